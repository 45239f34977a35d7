# Production runs on larger instances.
variable "instance_type" {
  type    = string
  default = "m5.large"
}

resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = var.instance_type
  tags = {
    Name = "shop-web-prod"
  }
}
