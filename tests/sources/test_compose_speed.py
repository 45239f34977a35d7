"""Loading a big compose project (about 2.5 MB, 1,000 services, 100k leaves) stays under two
seconds of processor time, YAML included."""

from __future__ import annotations

import time
from pathlib import Path

from parity_gui.sources.compose import load_compose_files
from parity_gui.sources.registry import SpecFile

SERVICES = 1_000


def service(index: int) -> str:
    """One service as a big real project writes it: anchors, env lists, ports, volumes…"""
    name = f"worker-{index:04d}"
    environment = "".join(f"      - OPTION_{k:02d}=v{index}.{k}\n" for k in range(64))
    labels = "".join(f'      com.example.team{k}: "team-{index % 13}"\n' for k in range(8))
    return f"""\
  {name}:
    <<: *defaults
    image: registry.example.com/acme/{name}:1.{index % 20}.{index % 7}
    command: ["serve", "--port", "80", "--workers", "{index % 8 + 1}"]
    environment:
{environment}    labels:
{labels}    ports:
      - "{8000 + index % 900}:80"
      - "127.0.0.1:{9000 + index % 900}:9090/tcp"
    volumes:
      - ./data/{name}:/var/lib/{name}:ro
      - cache-{index % 10}:/cache
      - type: tmpfs
        target: /tmp
    depends_on:
      db:
        condition: service_healthy
    healthcheck:
      test: wget -qO- http://localhost/health || exit 1
      interval: 30s
      timeout: 5s
      start_period: 1m30s
      retries: 3
    deploy:
      replicas: {1 + index % 3}
      resources:
        limits: {{cpus: '0.5', memory: 512m}}
"""


def big_project(folder: Path) -> Path:
    head = """\
# generated: a big project of many similar workers
x-defaults: &defaults
  restart: unless-stopped
  logging:
    driver: json-file
    options: {max-size: "10m", max-file: "3"}
services:
  db:
    image: postgres:16
"""
    path = folder / "docker-compose.yml"
    path.write_text(head + "".join(service(i) for i in range(SERVICES)), encoding="utf-8")
    return path


def test_a_big_project_loads_in_under_two_seconds(tmp_path: Path) -> None:
    path = big_project(tmp_path)
    assert 2_000_000 < path.stat().st_size < 3_000_000
    timings = []
    for _ in range(3):  # the best of three runs: the machine may be busy with something else
        started = time.process_time()
        env = load_compose_files([SpecFile(path, path.name)], "big", path.name)
        timings.append(time.process_time() - started)
    assert env.leaf_count() > 100_000
    assert len(env.tree["services"]) == SERVICES + 1
    assert min(timings) < 2.0
