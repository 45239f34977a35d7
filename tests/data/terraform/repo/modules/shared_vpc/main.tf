# A network and its subnetworks, one per region of var.subnets.
variable "project" {
  type = string
}

variable "subnets" {
  description = "CIDR range of each subnetwork, by region"
  type        = map(string)
}

variable "flow_logs" {
  type    = bool
  default = false
}

resource "google_compute_network" "vpc" {
  name                    = "${var.project}-vpc"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "x" {
  for_each      = var.subnets
  name          = "${var.project}-${each.key}"
  region        = each.key
  ip_cidr_range = each.value
  network       = google_compute_network.vpc.id

  dynamic "log_config" {
    for_each = var.flow_logs ? [1] : []
    content {
      aggregation_interval = "INTERVAL_5_MIN"
    }
  }
}

output "network_id" {
  value = google_compute_network.vpc.id
}
