# overridden by a.auto.tfvars, then by b.auto.tfvars.json
machine_type = "n2-standard-2"
workers      = 2
