# Production
environment       = "production"
db_engine_version = "16.2"
replicas          = 3
db_password       = "s3cr3t-prod"
