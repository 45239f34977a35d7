"""Benchmark: loading a Terraform repository of about 3 MB, cold and warm, against python-hcl2.

A repository shaped like the common layouts is generated: ``envs/production`` calling local
modules under ``modules/`` (each module a few files of resources with nested blocks, heredocs,
comments; a quarter of the instances with ``count = 2``, every firewall rule a ``for_each``
over two ports). Then, in this run:

* **hcl2.loads**: python-hcl2 alone, parsing every ``.tf`` file of the tree one after another
  (the library's own load, the baseline);
* **cold**: ``parity``'s load of the environment with an empty parse cache (parse, compile,
  evaluate, expand the modules, build the tree), through the same isolated worker the app uses;
* **warm**: the same load again (median of three), nothing changed since: every file's parse
  and the load itself remembered (:mod:`parity_gui.sources.terraform.loads`), re-checked against
  every file and folder it read.

Wall times (the loads run in a worker process, partly in parallel). Targets (issue: Terraform
repositories): cold at most 1.2× the library alone; warm at least 20× faster than cold.
Run ``python bench/terraform.py`` (about a minute on a quiet 2-core machine) or
``python bench/terraform.py --megabytes 1`` for a quicker look.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RESOURCE = '''
# {kind} {index}: generated, shaped like a real module's resources
resource "aws_instance" "{kind}_{index}" {{
{count}  ami           = data.aws_ami.ubuntu.id
  instance_type = var.environment == "production" ? "m5.large" : "t3.small"
  subnet_id     = element(var.subnet_ids, {index} % length(var.subnet_ids))

  tags = merge(local.common_tags, {{
    Name = "${{var.name}}-{kind}-{index}"
    Tier = "{kind}"
  }})

  root_block_device {{
    volume_size = {size}
    volume_type = "gp3"
    encrypted   = true
  }}

  lifecycle {{
    ignore_changes = [ami, tags["UpdatedAt"]]
  }}

  user_data = <<-EOT
    #!/bin/bash
    echo "{kind} {index} in ${{var.environment}}" > /etc/motd
  EOT
}}

resource "aws_security_group_rule" "{kind}_{index}" {{
  for_each          = toset(["80", "443"])
  type              = "ingress"
  from_port         = each.value
  to_port           = each.value
  protocol          = "tcp"
  cidr_blocks       = ["10.{octet}.0.0/16"]
  security_group_id = aws_security_group.{kind}.id
}}
'''

MODULE_HEADER = '''variable "name" {{ type = string }}
variable "environment" {{ type = string }}
variable "replicas" {{
  type    = number
  default = 1
}}
variable "subnet_ids" {{ type = list(string) }}

locals {{
  common_tags = {{ Module = "{module}", Environment = var.environment }}
}}

resource "aws_security_group" "{module}" {{
  name = "${{var.name}}-{module}"
}}
'''


def generate(root: Path, megabytes: float, seed: int = 11) -> list[Path]:
    """The repository under ``root``; every ``.tf`` file in it."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    written = 0
    modules: list[str] = []
    files: list[Path] = []
    while written < target:
        module = f"m{len(modules)}"
        folder = root / "modules" / module
        folder.mkdir(parents=True)
        modules.append(module)
        header = folder / "variables.tf"
        header.write_text(MODULE_HEADER.format(module=module))
        files.append(header)
        for part in range(4):
            text = "".join(
                RESOURCE.format(
                    kind=module,
                    index=part * 1000 + i,
                    size=rng.randint(8, 500),
                    octet=rng.randint(0, 255),
                    count="  count         = var.replicas\n" if i % 4 == 0 else "",  # a quarter scale out
                )
                for i in range(40)
            )
            path = folder / f"part{part}.tf"
            path.write_text(text)
            files.append(path)
            written += len(text)
    (root / ".git").mkdir()  # a repository: its modules belong to the project
    env = root / "envs" / "production"
    env.mkdir(parents=True)
    calls = "".join(
        f'module "{m}" {{\n  source      = "../../modules/{m}"\n  name        = "shop"\n'
        f'  environment = "production"\n  replicas    = 2\n  subnet_ids  = ["subnet-a", "subnet-b"]\n}}\n\n'
        for m in modules
    )
    (env / "main.tf").write_text(calls)
    files.append(env / "main.tf")
    return files


def library_alone(files: list[Path]) -> float:
    import hcl2

    started = time.perf_counter()
    for path in files:
        hcl2.loads(path.read_text())
    return time.perf_counter() - started


def parity_load(spec: Path, cache: Path) -> tuple[float, int]:
    from parity_gui.sources import registry

    os.environ["PARITY_CACHE_DIR"] = str(cache)
    started = time.perf_counter()
    env = registry.load(str(spec), "production")
    return time.perf_counter() - started, len(env.origins)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=3.0, help="size of the generated tree (default 3)")
    options = parser.parse_args(argv)
    from parity_gui.sources import isolation, registry

    os.environ.setdefault("PARITY_PARSE_SECONDS", "300")
    with tempfile.TemporaryDirectory(prefix="parity-bench-tf-") as folder:
        root = Path(folder)
        files = generate(root / "repo", options.megabytes)
        size = sum(p.stat().st_size for p in files)
        isolation.prepare()
        warm_up = root / "warm-up.tf"
        warm_up.write_text('variable "x" {}\n')
        registry.load(str(warm_up), "warm-up")  # the worker server is up before timing
        baseline = library_alone(files)
        spec = root / "repo" / "envs" / "production"
        cold, leaves = parity_load(spec, root / "cache")
        warm = statistics.median(parity_load(spec, root / "cache")[0] for _ in range(3))
    rows = [
        ("hcl2.loads, file after file", baseline, "1.00×"),
        ("parity, cold cache", cold, f"{cold / baseline:.2f}× the library (target ≤ 1.2×)"),
        ("parity, warm cache", warm, f"{cold / warm:.1f}× faster than cold (target ≥ 20×)"),
    ]
    print(f"Terraform tree: {len(files)} files, {size / 1e6:.2f} MB; parity's tree: {leaves:,} leaves")
    print(f"{'load':<32}{'seconds':>10}  ratio")
    print("-" * 80)
    for name, seconds, ratio in rows:
        print(f"{name:<32}{seconds:>10.2f}  {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
