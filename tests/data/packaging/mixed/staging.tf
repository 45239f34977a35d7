# Staging runs on small instances.
variable "instance_type" {
  type    = string
  default = "t3.small"
}

resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = var.instance_type
  tags = {
    Name = "shop-web-staging"
  }
}
