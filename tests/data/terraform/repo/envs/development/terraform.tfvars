machine_type = "e2-small"
