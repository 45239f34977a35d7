"""Benchmark: a kustomize overlay rendering 2,000 objects, loaded and compared.

A base of N apps (each a Deployment, a Service, a ConfigMap and a HorizontalPodAutoscaler — four
objects) and two overlays over it (staging and production: namespace, image tags, replica
counts, a ConfigMap generator merged in) are generated in a temporary folder. Then, in the same
run, medians of five:

* ``kubectl kustomize overlays/production`` alone, once (the baseline: what rendering costs);
* parity's load of the overlay, once (render through its wrapper kustomization with origin
  annotations, parse, normalise, in the isolated worker process, as the app loads it);
* parity's own part of that, median of five: parsing and normalising the rendered YAML;
* parity's comparison of the two loaded overlays, median of five.

kustomize is the slow step, and it grows faster than the number of objects (about 15 CPU
seconds for 2,000 objects here, twice that when the overlay sets ``namespace:``, whose
transformer is quadratic); it runs twice (alone, and for the overlay parity loads), so
the overlays here set images, replicas and a generator but no namespace, which would only
lengthen kustomize's share, and staging is built from production's rendering with other tags
and replica counts rather than rendered a third time. Run ``python bench/kubernetes.py`` (under a minute on a quiet
machine) or pass a number of apps: ``python bench/kubernetes.py 100``. The objects rendered are
counted, not assumed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parity_gui.core.tree import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

APPS = 500  #: four objects each, plus the generated ConfigMap: 2,001 objects
RUNS = 5

_DEPLOYMENT = """\
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  labels: {{app: app-{i}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/app-{i}:1.0.{i}
          args: ["serve", "--port", "8080"]
          ports: [{{name: http, containerPort: 8080}}]
          envFrom: [{{configMapRef: {{name: shared-config}}}}]
          env:
            - {{name: APP_NAME, value: app-{i}}}
            - {{name: APP_CONFIG, valueFrom: {{configMapKeyRef: {{name: app-{i}-config, key: mode}}}}}}
          resources:
            limits: {{cpu: 500m, memory: 256Mi}}
            requests: {{cpu: 100m, memory: 128Mi}}
          livenessProbe:
            httpGet: {{path: /healthz, port: http}}
          readinessProbe:
            httpGet: {{path: /ready, port: http}}
---
apiVersion: v1
kind: Service
metadata: {{name: app-{i}}}
spec:
  selector: {{app: app-{i}}}
  ports: [{{port: 80, targetPort: http}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: app-{i}-config}}
data: {{mode: standard, workers: "4"}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: app-{i}}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: app-{i}}}
  minReplicas: 1
  maxReplicas: 4
"""


def write_project(root: Path, apps: int) -> None:
    base = root / "base"
    base.mkdir(parents=True)
    files = []
    for chunk in range(0, apps, 50):
        name = f"apps-{chunk // 50:03d}.yaml"
        (base / name).write_text("".join(_DEPLOYMENT.format(i=i) for i in range(chunk, min(apps, chunk + 50))),
                                 encoding="utf-8")
        files.append(name)
    (base / "kustomization.yaml").write_text(
        "resources:\n" + "".join(f"  - {f}\n" for f in files)
        + "configMapGenerator:\n  - name: shared-config\n    literals: [LOG_LEVEL=info, REGION=eu-west-1]\n",
        encoding="utf-8")
    for env, tag, replicas in (("staging", "1.1.0-rc.1", 2), ("production", "1.1.0", 3)):
        overlay = root / "overlays" / env
        overlay.mkdir(parents=True)
        images = "".join(f"  - name: ghcr.io/acme/app-{i}\n    newTag: {tag}\n" for i in range(0, apps, 50))
        counts = "".join(f"  - name: app-{i}\n    count: {replicas}\n" for i in range(0, apps, 50))
        (overlay / "kustomization.yaml").write_text(
            f"resources:\n  - ../../base\nimages:\n{images}replicas:\n{counts}"
            f"configMapGenerator:\n  - name: shared-config\n    behavior: merge\n    literals: [ENV={env}]\n",
            encoding="utf-8")


def seconds(action: Callable[[], object], runs: int = 1) -> float:
    """The median wall time of ``runs`` calls of ``action``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def parse_only(rendered: str, folder: Path) -> Environment:
    """parity's own work on kustomize's output: parse every object and build the tree."""
    from parity_gui.core.origin import Origin
    from parity_gui.sources.kubernetes.documents import read_manifests
    from parity_gui.sources.kubernetes.load import build
    from parity_gui.sources.text import Text

    text = Text(folder, "bench", rendered, b"", "utf-8", b"", "\n")
    return build(read_manifests(text), "bench", "bench", lambda _m: lambda _n: Origin("bench"), [])


def main(apps: int = APPS) -> None:
    from parity_gui.app.compare import load_environment
    from parity_gui.engine import compare
    from parity_gui.sources import isolation
    from parity_gui.sources.kubernetes.kustomize import tool

    # kustomize alone may take longer than the time a file may take by default on a busy machine
    os.environ.setdefault("PARITY_PARSE_SECONDS", "600")
    os.environ.setdefault("PARITY_KUSTOMIZE_SECONDS", "600")
    isolation.prepare()
    with tempfile.TemporaryDirectory(prefix="parity-bench-k8s-") as folder:
        root = Path(folder)
        write_project(root, apps)
        production, staging = root / "overlays" / "production", root / "overlays" / "staging"
        command = [*tool(), str(production)]
        load_environment(str(root / "base" / "apps-000.yaml"), "warm-up")  # the worker server is up
        started = time.perf_counter()
        rendered = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600).stdout
        kustomize = time.perf_counter() - started
        objects = rendered.count("\nkind: ") + rendered.startswith("kind: ")
        own = seconds(lambda: parse_only(rendered, root), RUNS)
        started = time.perf_counter()
        b_env = load_environment(str(production), "production")
        load = time.perf_counter() - started
        # staging as its overlay would render (other tags, fewer replicas), without a third kustomize run
        as_staging = (rendered.replace(":1.1.0\n", ":1.1.0-rc.1\n").replace("replicas: 3\n", "replicas: 2\n")
                      .replace("ENV: production", "ENV: staging"))
        a_env = parse_only(as_staging, staging)
        comparing = seconds(lambda: compare(a_env, b_env), RUNS)
        comparison = compare(a_env, b_env)
    print(f"{objects:,} objects rendered ({len(rendered) / 1e6:.2f} MB of YAML), {b_env.leaf_count():,} leaves, "
          f"{len(comparison.drifts):,} drift between the overlays")
    print()
    print("| step | time | against `kubectl kustomize` alone |")
    print("|---|---:|---:|")
    rows = [
        (f"`{Path(command[0]).name} {command[1]}` alone (once)", kustomize),
        ("parity: load the overlay: render + parse + normalise, isolated (once)", load),
        (f"parity's own part: parse + normalise the rendered YAML (median of {RUNS})", own),
        (f"parity: compare staging with production (median of {RUNS})", comparing),
    ]
    for label, value in rows:
        shown = f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"
        print(f"| {label} | {shown} | {value / kustomize:.3f}× |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else APPS)
