machine_type = "n2-standard-4"
