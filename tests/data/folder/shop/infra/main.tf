variable "environment" {
  default = "development"
}

resource "aws_instance" "web" {
  instance_type = var.environment == "production" ? "t3.large" : "t3.small"
}
