locals {
  name_prefix = "shop-${var.environment}"
  is_prod     = var.environment == "production"
  common_tags = {
    Project     = "shop"
    Environment = var.environment
  }
}

resource "aws_db_instance" "main" {
  identifier        = "${local.name_prefix}-db"
  engine            = "postgres"
  engine_version    = var.db_engine_version
  instance_class    = local.is_prod ? "db.r6g.large" : "db.t4g.micro"
  allocated_storage = local.is_prod ? 100 : 20
  multi_az          = local.is_prod
  password          = var.db_password
  tags              = local.common_tags

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [password]
  }
}

resource "aws_instance" "web" {
  count         = var.replicas
  ami           = data.aws_ami.ubuntu.id
  instance_type = var.environment == "production" ? "t3.large" : "t3.small"
  user_data     = <<-EOT
    #!/bin/bash
    echo "starting ${local.name_prefix}"
      systemctl start shop
  EOT

  ebs_block_device {
    device_name = "/dev/sdb"
    volume_size = 50
  }
  ebs_block_device {
    device_name = "/dev/sdc"
    volume_size = 10 * 2
  }
}

resource "aws_security_group" "web" {
  name = "${local.name_prefix}-web"

  dynamic "ingress" {
    for_each = [80, 443]
    content {
      from_port = ingress.value
      to_port   = ingress.value
      protocol  = "tcp"
    }
  }
}

data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"]
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

module "cache" {
  source  = "terraform-aws-modules/elasticache/aws"
  version = "1.2.0"

  cluster_id     = "${local.name_prefix}-cache"
  node_type      = local.is_prod ? "cache.r7g.large" : "cache.t4g.micro"
  engine_version = "7.1"
}

output "db_endpoint" {
  value       = aws_db_instance.main.endpoint
  description = "Where the application finds its database"
}
