"""Benchmark: a fleet of 3 swarm engines × 100 services, compared N-way.

Starts three private engines in swarm mode (:mod:`tests.docker.swarm`: each its own ``dockerd``
in a network namespace of its own, a one-node swarm, images built ``FROM scratch`` with busybox)
and deploys on each, with ``docker stack deploy``, the same generated stack of 100 services
(environment, labels, resources, placement, update config; ``replicas: 0``, so no container runs:
a stack is read from its service specs, and 300 idle containers would only load the shared machine).
On the third engine three services then get an extra variable (``docker service update
--env-add``). In the same run it times:

* parity: ``parity compare docker://a/bench docker://b/bench docker://c/bench`` as the app runs
  it (:func:`~parity_gui.app.compare.run`: contexts resolved, the engines read in parallel, the
  three trees normalised and compared), in this process;
* the baseline: ``docker service inspect $(docker service ls -q --filter
  label=com.docker.stack.namespace=bench)`` by the docker command-line client, run against one
  engine after another, as a user would to look at the same services (both commands per engine,
  process start-up included).

Times are wall-clock medians of a few runs after a warm-up; every answer is checked (300
services, exactly the three drifts). The ratio is against the baseline in the same run. Target:
parity no slower than the baseline. Exit status 1 when missed, 2 when no engine can start here.

Run ``python bench/swarm.py`` as root (about half a minute); ``--repeats N`` changes the number
of timed runs (5). The engines are stopped and their folders removed at the end, also after a
failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
sys.path[:] = [str(_BENCH.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _BENCH]

from parity_gui.app.compare import request_for, run  # noqa: E402
from tests.docker.engine import EngineCannotStart, docker_cli, write_context  # noqa: E402
from tests.docker.swarm import SwarmEngine, start_swarm  # noqa: E402

STACK = "bench"
ENGINES = ("a", "b", "c")
SERVICES = 100
DRIFTED = ("svc-007", "svc-042", "svc-099")
REPEATS = 5
CLIENT_VARIABLES = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY")


def stack_file(services: int) -> str:
    """A stack of ``services`` services as a team would write it: an anchor for what they share."""
    lines = [
        'version: "3.8"',
        "x-deploy: &deploy",
        "  replicas: 0",
        "  resources:",
        "    limits: {cpus: \"0.25\", memory: 32M}",
        "  update_config: {parallelism: 2, delay: 5s, order: start-first}",
        "  placement:",
        "    constraints: [node.role == manager]",
        "services:",
    ]
    for index in range(services):
        name = f"svc-{index:03d}"
        lines += [
            f"  {name}:",
            f"    image: shop/{'web' if index % 2 else 'worker'}:1.4",
            "    environment:",
            f"      SERVICE_INDEX: \"{index}\"",
            "      LOG_LEVEL: info",
            f"      UPSTREAM: \"tcp://svc-{(index + 1) % services:03d}:9000\"",
            "    labels:",
            f"      com.example.team: team-{index % 7}",
            "    deploy: *deploy",
        ]
    return "\n".join(lines) + "\n"


def start_fleet() -> dict[str, SwarmEngine]:
    """Three swarm engines, started side by side, each with the bench stack deployed."""
    with ThreadPoolExecutor(len(ENGINES)) as pool:
        started = list(pool.map(lambda _: _started(), ENGINES))
    failures = [e for e in started if isinstance(e, BaseException)]
    engines = [e for e in started if isinstance(e, SwarmEngine)]
    if failures:
        for engine in engines:
            engine.stop()
        raise failures[0]
    return dict(zip(ENGINES, engines, strict=True))


def _started() -> SwarmEngine | BaseException:
    try:
        engine = start_swarm()
    except (EngineCannotStart, RuntimeError) as e:
        return e
    try:
        file = engine.engine.root / "bench-stack.yml"
        file.write_text(stack_file(SERVICES))
        engine.engine.run([docker_cli(), "stack", "deploy", "--resolve-image", "never", "-c", str(file), STACK],
                          timeout=300)
    except BaseException as e:
        engine.stop()
        return e if isinstance(e, Exception) else RuntimeError(str(e))
    return engine


def drift(engine: SwarmEngine) -> None:
    for service in DRIFTED:
        engine.docker("service", "update", "--detach", "--env-add", "HOTFIX=1", f"{STACK}_{service}")


def use_contexts(fleet: dict[str, SwarmEngine], config: Path) -> None:
    """Parity (this process) reaches the engines through contexts a, b, c and nothing else."""
    config.mkdir(parents=True, exist_ok=True)
    for name, engine in fleet.items():
        write_context(config, name, engine.host, description=f"bench engine {name}")
    for variable in CLIENT_VARIABLES:
        os.environ.pop(variable, None)
    os.environ["DOCKER_CONFIG"] = str(config)


def parity_compare() -> None:
    comparison = run(request_for([f"docker://{name}/{STACK}" for name in ENGINES]))
    counts = [len(env.tree.get("services", {})) for env in comparison.environments]
    _expect(counts == [SERVICES] * len(ENGINES), f"parity read {counts} services, not {SERVICES} on each engine")
    found = sorted(d.path[1] for d in comparison.drifts)
    _expect(found == list(DRIFTED), f"parity found drift in {found}, not exactly in {list(DRIFTED)}")


def cli_inspect(fleet: dict[str, SwarmEngine]) -> Callable[[], None]:
    def inspect_all() -> None:
        for engine in fleet.values():
            listed = engine.engine.docker("service", "ls", "-q", "--filter",
                                          f"label=com.docker.stack.namespace={STACK}", timeout=120)
            specs = json.loads(engine.engine.docker("service", "inspect", *listed.split(), timeout=120))
            _expect(len(specs) == SERVICES, f"docker service inspect gave {len(specs)} services")

    return inspect_all


def _expect(condition: bool, failure: str) -> None:
    if not condition:
        raise RuntimeError(failure)


def timed(action: Callable[[], None], repeats: int) -> list[float]:
    action()  # warm-up: imports, the engines' caches
    runs = []
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        runs.append(time.perf_counter() - began)
    return runs


def report(ours: list[float], theirs: list[float], repeats: int) -> bool:
    print(f"Comparing {len(ENGINES)} swarm engines × {SERVICES} services (stack {STACK!r}) N-way.")
    print(f"Wall-clock seconds, median of {repeats} runs after a warm-up (min-max in brackets);")
    print("x = time / the docker CLI's time in this run. parity runs in this process (imports done);")
    print("the CLI's time includes starting it twice per engine.")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine: {os.cpu_count()} cores, shared with other work (load average {load}): times vary run to run.")
    print()
    base = statistics.median(theirs)
    rows = (
        ("parity compare docker://{a,b,c}/bench", ours),
        ("docker service inspect, engine by engine", theirs),
    )
    for label, runs in rows:
        median = statistics.median(runs)
        print(f"{label:<44}{median:7.3f} s [{min(runs):.2f}-{max(runs):.2f}] {median / base:5.2f}x")
    met = statistics.median(ours) <= base
    print()
    verdict = "met   " if met else "MISSED"
    print(f"  {verdict}  parity (load, normalise and compare) no slower than the CLI's inspect alone")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=REPEATS, help=f"timed runs ({REPEATS})")
    args = parser.parse_args(argv)
    began = time.monotonic()
    try:
        fleet = start_fleet()
    except EngineCannotStart as e:
        print(f"bench/swarm.py: the private Docker engines cannot start: {e}", file=sys.stderr)
        return 2
    try:
        drift(fleet["c"])
        use_contexts(fleet, fleet["a"].engine.root / "bench-config")
        print(f"(3 engines up with {SERVICES} services each in {time.monotonic() - began:.1f} s)")
        repeats = max(1, args.repeats)
        met = report(timed(parity_compare, repeats), timed(cli_inspect(fleet), repeats), repeats)
    except KeyboardInterrupt:
        print("bench/swarm.py: interrupted", file=sys.stderr)
        return 130
    finally:
        for engine in fleet.values():
            engine.stop()
    print(f"(whole run {time.monotonic() - began:.1f} s, engines stopped and removed)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
