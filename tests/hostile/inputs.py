"""Hostile inputs, generated: nothing large is kept in the repository."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

DEEP = 10_000


def yaml_alias_bomb() -> str:
    """The classic "billion laughs" in 342 bytes: nine levels of nine aliases each."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghi"
    for previous, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def yaml_merge_bomb() -> str:
    """Merge keys that each pull in the previous level many times (about 4 KB)."""
    lines = ["x-l0: &l0 {" + ", ".join(f"k{i}: v{i}" for i in range(20)) + "}"]
    for level in range(1, 12):
        keys = ", ".join(f"k{i}: *l{level - 1}" for i in range(20))
        lines.append(f"x-l{level}: &l{level} {{<<: *l{level - 1}, {keys}}}")
    lines.append("services:\n  web:\n    image: nginx\n    labels: *l11")
    return "\n".join(lines) + "\n"


RECURSIVE_ALIAS = "services:\n  web: &web\n    image: nginx\n    extra: [*web]\n"
SELF_MERGE = "services:\n  web: &web\n    <<: *web\n    image: nginx\n"


def yaml_flow_nesting(depth: int = DEEP) -> str:
    return "services: " + "[" * depth + "]" * depth + "\n"


def yaml_block_nesting(depth: int = DEEP) -> str:
    return "services:\n  web:\n    command:\n      " + "- " * depth + "x\n"


def json_nesting(depth: int = DEEP) -> str:
    return '{"region": ' + "[" * depth + "]" * depth + "}\n"


def hcl_list_nesting(depth: int = DEEP) -> str:
    return "region = " + "[" * depth + "]" * depth + "\n"


def hcl_object_nesting(depth: int = DEEP) -> str:
    return "tags = " + "{a = " * depth + "1" + "}" * depth + "\n"


def hcl_block_nesting(depth: int = DEEP) -> str:
    return 'resource "null_resource" "x" {\n' + "dynamic {\n" * depth + "}\n" * depth + "}\n"


def dotenv_expansion_bomb() -> str:
    """Each line doubles the one above it, twenty-five times (a few hundred bytes)."""
    lines = ["A0=xxxxxxxxxxxxxxxx"]
    lines += [f"A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 26)]
    return "\n".join(lines) + "\n"


DOTENV_CYCLE = "A=${B}\nB=${A}\nC=${C}x\n"


def big_dotenv(target: int = 800 * 1024) -> str:
    """About ``target`` bytes of ordinary ``.env`` lines, some interpolating earlier ones."""
    lines = []
    size = 0
    i = 0
    while size < target:
        if i % 10 == 0:
            line = f"VAR_{i}=value-{i}-${{VAR_{max(i - 1, 0)}:-x}}"
        else:
            line = f'VAR_{i}="quoted {i} # not a comment"'
        lines.append(line)
        size += len(line) + 1
        i += 1
    return "\n".join(lines) + "\n"


def sparse_file(path: Path, size: int) -> Path:
    """A file that claims ``size`` bytes without using the disk for them."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


#: Realistic files of each format, the starting point for encodings and mutations.
COMPOSE = """\
# shop: web front and its database
x-common: &common
  restart: unless-stopped
  logging:
    driver: json-file

services:
  web:
    <<: *common
    image: "nginx:1.25-alpine"
    ports:
      - "8080:80"
    environment:
      API_URL: http://api:8000   # inline comment
      FEATURE_FLAGS: 'a,b'
    depends_on: [db]
  db:
    <<: *common
    image: postgres:16
    environment:
      - POSTGRES_DB=shop
      - POSTGRES_USER=shop
    volumes:
      - dbdata:/var/lib/postgresql/data
volumes:
  dbdata: {}
"""

DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG PYTHON=3.12
FROM python:${PYTHON}-slim AS base
ENV PYTHONUNBUFFERED=1 \\
    APP_HOME=/srv/app
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

FROM base AS production
LABEL org.opencontainers.image.title="shop api"
EXPOSE 8000/tcp
USER 1000:1000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "shop.wsgi"]
"""

TERRAFORM = """\
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

# the web server
resource "aws_instance" "web" {
  ami           = "ami-0abcdef1234567890"
  instance_type = var.instance_type
  tags = {
    Name = "web-${var.instance_type}"
  }
  user_data = <<-EOT
    #!/bin/sh
    echo "{ not a block [" > /tmp/x
  EOT
}
"""

TFVARS = """\
# production sizes
instance_type = "t3.large"
zones         = ["eu-west-1a", "eu-west-1b"]
"""

TFVARS_JSON = """\
{
  "instance_type": "t3.large",
  "zones": ["eu-west-1a", "eu-west-1b"]
}
"""

DOTENV = """\
# local settings
export APP_ENV=production
DATABASE_HOST=db
DATABASE_URL="postgres://shop@${DATABASE_HOST}:5432/shop"
GREETING='hello # not a comment'
MULTILINE="first
second"
EMPTY=
"""

#: File name → realistic content, one per format parity reads.
SEEDS = {
    "docker-compose.yml": COMPOSE,
    "Dockerfile": DOCKERFILE,
    "main.tf": TERRAFORM,
    "prod.tfvars": TFVARS,
    "prod.tfvars.json": TFVARS_JSON,
    ".env": DOTENV,
}


def terraform_locals_bomb(levels: int = 8) -> str:
    """Locals that each repeat the one before eight times: 76 characters grow to 160 MB."""
    lines = ['locals {', '  l0 = "' + "x" * 76 + '"']
    lines += [f'  l{i} = "' + f"${{local.l{i - 1}}}" * 8 + '"' for i in range(1, levels)]
    return "\n".join([*lines, "}"]) + "\n"


def dockerfile_env_bomb(levels: int = 9) -> str:
    """ENV lines that each repeat the one before eight times: 76 characters grow to 1.2 GB."""
    lines = ["FROM alpine:3.20", "ENV A0=" + "x" * 76]
    lines += [f"ENV A{i}=" + f"${{A{i - 1}}}" * 8 for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def include_fan_out(folder: Path, depth: int = 15) -> Path:
    """Compose files in ``depth`` levels of three, each including all three of the next level:
    3**depth reads unless each file is read once. Returns the top file."""
    for level in range(depth, 0, -1):
        for side in "abc":
            below = [f"level{level + 1}-{s}.yml" for s in "abc"] if level < depth else []
            include = "include:\n" + "".join(f"  - {name}\n" for name in below) if below else ""
            (folder / f"level{level}-{side}.yml").write_text(
                f"# level {level}, part {side}\n{include}services:\n"
                f"  svc-{level}-{side}:\n    image: \"busybox:1.{level}\"\n"
            )
    top = folder / "compose.yml"
    top.write_text("include:\n  - level1-a.yml\n  - level1-b.yml\n  - level1-c.yml\n"
                   "services:\n  web:\n    image: nginx:1.27\n")
    return top


def port_ranges(count: int = 12) -> str:
    """``count`` services each publishing the whole port range (660 bytes for twelve)."""
    services = "".join(f"  s{i}:\n    image: nginx\n    ports: [\"1-65535:1-65535\"]\n" for i in range(count))
    return "services:\n" + services


def many_services(count: int) -> str:
    return "services:\n" + "".join(f"  svc-{i}:\n    image: busybox\n" for i in range(count))


def many_variables(count: int) -> str:
    return "# generated\n" + "".join(f"V{i}=x\n" for i in range(count))


def many_stages(count: int) -> str:
    """A Dockerfile of ``count`` stages, each built from the one before."""
    first = "FROM alpine:3.20 AS s0\nRUN echo 0\n"
    return first + "".join(f"FROM s{i - 1} AS s{i}\nRUN echo {i}\n" for i in range(1, count))
