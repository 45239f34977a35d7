# Development: the smallest sizes that work.
environment       = "development"
db_engine_version = "15.6"
db_password       = "dev-only-password"
