variable "environment" {
  type        = string
  description = "Which environment this is: development or production"
  default     = "development"

  validation {
    condition     = contains(["development", "production"], var.environment)
    error_message = "Unknown environment."
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "db_engine_version" {
  type = string
}

variable "replicas" {
  type    = number
  default = 1
}

variable "db_password" {
  type      = string
  sensitive = true
}
