variable "env" {
  type = string
}

variable "subnets" {
  type = map(string)
}

variable "machine_type" {
  type    = string
  default = "e2-small"
}

variable "workers" {
  type    = number
  default = 1
}

locals {
  project = "acme-${var.env}"
  labels = {
    env   = var.env
    owner = "platform"
  }
}

module "shared_vpc" {
  source    = "../shared_vpc"
  project   = local.project
  subnets   = var.subnets
  flow_logs = var.env == "production"
}

resource "google_compute_instance" "worker" {
  count        = var.workers
  name         = "${local.project}-worker-${count.index}"
  machine_type = var.machine_type
  labels       = local.labels

  metadata_startup_script = <<-EOT
    #!/bin/sh
    echo "worker ${count.index} of ${var.env}"
  EOT
}

# A registry module stays a call: parity does not download modules.
module "gke" {
  source  = "terraform-google-modules/kubernetes-engine/google"
  version = "~> 30.0"

  project_id = local.project
  name       = "${local.project}-gke"
}

output "network_id" {
  value = module.shared_vpc.network_id
}
