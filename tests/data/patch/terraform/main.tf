# The shop's infrastructure: one module, one var file per environment.
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
    random = "~> 3.6" # legacy string form
  }
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "shop/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
