variable "size" {}
resource "aws_db_instance" "this" {
  instance_class = var.size
}
