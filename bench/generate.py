"""Generates pairs of realistic compose projects of a given size for the benchmarks.

Each service has an image, a command, ~40 environment variables, labels, ports, volumes,
depends_on, a healthcheck and deploy settings (about 60 leaves). The right-hand copy changes
about 2% of the leaves, adds or removes about 0.5%, and writes some lists in another order
(environment and ports), which must not count as drift.
"""

from __future__ import annotations

import random
from pathlib import Path

LEAVES_PER_SERVICE = 60


def service_lines(index: int, rng: random.Random, *, drift: bool) -> list[str]:
    name = f"svc{index:05d}"
    tag = f"1.{index % 20}.{index % 7}"
    env = {f"OPT_{k:02d}": f"v{index}.{k}" for k in range(40)}
    ports = [f"{8000 + (index % 900) + k}:{80 + k}" for k in range(3)]
    labels = {f"team{k}": f"t{index % 13}" for k in range(6)}
    if drift:
        for key in list(env):
            roll = rng.random()
            if roll < 0.02:
                env[key] = env[key] + "-changed"
            elif roll < 0.0225:
                del env[key]
            elif roll < 0.025:
                env[key + "_EXTRA"] = "added"
        if rng.random() < 0.05:
            tag = f"1.{index % 20}.{index % 7 + 1}"
        env = dict(reversed(list(env.items()))) if rng.random() < 0.3 else env
        ports = list(reversed(ports)) if rng.random() < 0.3 else ports
    return [
        f"  {name}:",
        f"    image: registry.example.com/acme/{name}:{tag}",
        f'    command: ["serve", "--port", "{80}", "--workers", "{index % 8 + 1}"]',
        "    restart: unless-stopped",
        "    environment:",
        *(f"      - {k}={v}" for k, v in env.items()),
        "    labels:",
        *(f'      {k}: "{v}"' for k, v in labels.items()),
        "    ports:",
        *(f'      - "{p}"' for p in ports),
        "    volumes:",
        f"      - ./data/{name}:/var/lib/{name}",
        "      - type: tmpfs",
        "        target: /tmp",
        "    healthcheck:",
        '      test: ["CMD", "wget", "-qO-", "http://localhost/health"]',
        "      interval: 30s",
        "      timeout: 5s",
        "      retries: 3",
        "    deploy:",
        f"      replicas: {1 + index % 3}",
        "      resources:",
        "        limits: {cpus: '0.5', memory: 512m}",
    ]


def compose_text(services: int, seed: int, *, drift: bool) -> str:
    rng = random.Random(seed)
    lines = ["# generated benchmark project", "services:"]
    for index in range(services):
        if drift and rng.random() < 0.005:
            continue  # a removed service
        lines += service_lines(index, rng, drift=drift)
    if drift:
        lines += service_lines(services + 1, rng, drift=False)
    return "\n".join(lines) + "\n"


def write_pair(folder: Path, leaves: int, seed: int = 7) -> tuple[Path, Path]:
    services = max(1, leaves // LEAVES_PER_SERVICE)
    left = folder / f"left-{leaves}" / "docker-compose.yml"
    right = folder / f"right-{leaves}" / "docker-compose.yml"
    for path, drift in ((left, False), (right, True)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(compose_text(services, seed, drift=drift), encoding="utf-8")
    return left, right
