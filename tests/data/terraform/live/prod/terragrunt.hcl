include "root" {
  path = find_in_parent_folders()
}

locals {
  env = "prod"
}

terraform {
  source = "git::https://github.com/acme/infra-modules.git//shop?ref=v1.4.0"
}

dependency "vpc" {
  config_path = "../vpc"
}

inputs = {
  environment   = local.env
  instance_type = "t3.large"
  vpc_id        = dependency.vpc.outputs.vpc_id
  replicas      = 3
}
