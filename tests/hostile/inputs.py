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

APPSETTINGS_JSON = """\
// appsettings.Production.json
{
  "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.AspNetCore": "Warning" } },
  "ConnectionStrings": {
    "Shop": "Server=db;Database=shop;User Id=shop;Password=Sh0p-Pr0d-2024!;" /* rotated in May */
  },
  "Features": ["checkout", "wishlist",],
  "RetryCount": 3, "Ratio": 0.75, "Banner": "caf\\u00e9 \\"open\\"", "Legacy": null,
}
"""

CONFIG_TOML = """\
# config.toml of the shop worker
title = "shop worker"
[server]
host = "0.0.0.0"
port = 8_080
"timeouts".read = 1.5   # seconds
[database]
url = 'postgres://shop:hunter2@db:5432/shop'
pool = { min = 2, max = 10 }
started = 1979-05-27T07:32:00-08:00
[[products]]
name = "Hammer"
sku = 738594937
[[products]]
name = \"\"\"Nail
 "wire" kind\"\"\"
tags = [
  "steel",  # multi-line array
  "small",
]
"""

SETTINGS_INI = """\
; settings.ini, as supervisord and PHP write them
[DEFAULT]
ServerAliveInterval = 45
[program:web]
command=/srv/app/bin/gunicorn -b 0.0.0.0:8000 shop.wsgi
environment = DJANGO_SETTINGS_MODULE="shop.settings",SECRET_KEY="dj-insecure-x9"
autorestart: true
[mysql]
password = s3cr3t ; not a comment in every reader
multi = first line
  continued line
"""

APPLICATION_PROPERTIES = """\
# application.properties (Spring Boot)
server.port=8080
spring.datasource.url = jdbc:postgresql://db:5432/shop
spring.datasource.password : Pr0d\\=Pass\\:word
! an old-style comment
app.greeting=Gr\\u00fc\\u00df Gott, \\
    welcome back
key\\ with\\ spaces = value
empty.value=
logging.pattern.console=%d{yyyy-MM-dd HH:mm:ss} - %msg%n
"""

#: Several documents, a List of two objects and a Secret whose data is base64 (one of them binary).
MANIFESTS = """\
# deploy/production.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: "frontend"}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: "registry.example.com/shop/web:1.4.2"
          ports: [{containerPort: 8000}]
          env:
            - {name: DATABASE_HOST, value: db}
            - name: DATABASE_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
          resources: {limits: {cpu: 500m, memory: 256Mi}}
---
apiVersion: v1
kind: Secret
metadata: {name: db}
type: Opaque
data:
  password: c2hvcC1wcm9kLXBhc3N3b3Jk
  keystore: f0VMRgIBAQAAAAAAAAAAAAMAPgABAAAA
stringData:
  username: shop
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec: {ports: [{port: 80, targetPort: 8000}], selector: {app: web}}
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: web-config}
    data: {LOG_LEVEL: info, "feature.flags": "a,b"}
...
"""

#: A kustomization of the files beside it (:data:`KUSTOMIZE_FILES`), rendered by the real kustomize.
KUSTOMIZATION = """\
# overlays/production
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namePrefix: prod-
commonLabels: {env: production}
resources:
  - deployment.yaml
images:
  - {name: registry.example.com/shop/web, newTag: "1.4.3"}
configMapGenerator:
  - name: web-env
    literals: [LOG_LEVEL=warning, "GREETING=hello world"]
secretGenerator:
  - name: db
    literals: [password=shop-prod-password]
replicas:
  - {name: web, count: 4}
"""

#: What :data:`KUSTOMIZATION` names, written beside it.
KUSTOMIZE_FILES = {"deployment.yaml": MANIFESTS.split("---", 1)[0]}

#: File name → realistic content, one per format parity reads.
SEEDS = {
    "docker-compose.yml": COMPOSE,
    "Dockerfile": DOCKERFILE,
    "main.tf": TERRAFORM,
    "prod.tfvars": TFVARS,
    "prod.tfvars.json": TFVARS_JSON,
    ".env": DOTENV,
    "appsettings.json": APPSETTINGS_JSON,
    "config.toml": CONFIG_TOML,
    "settings.ini": SETTINGS_INI,
    "application.properties": APPLICATION_PROPERTIES,
    "production.yaml": MANIFESTS,
    "kustomization.yaml": KUSTOMIZATION,
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
