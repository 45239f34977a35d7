# Development
environment       = "development"
db_engine_version = "15.6"
db_password       = "dev-only-password"
