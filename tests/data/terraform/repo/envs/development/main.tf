terraform {
  required_version = ">= 1.6"
}

variable "machine_type" {
  type    = string
  default = "e2-small"
}

variable "workers" {
  type    = number
  default = 1
}

module "base_env" {
  source = "../../modules/base_env"

  env          = "development"
  machine_type = var.machine_type
  workers      = var.workers
  subnets = {
    "europe-west1" = "10.16.40.0/21"
  }
}
