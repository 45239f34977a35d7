"""Benchmark: reading a live Docker engine of 200 containers, locally and 20 ms away.

Starts the test suite's private engine (:mod:`tests.docker.engine`: its own ``dockerd``, socket
and data root in a temporary folder, no bridge, no iptables), builds a few images ``FROM
scratch`` with busybox and creates 200 containers in 20 services of one compose project, with the
labels docker-compose writes (they are created, never started). Then, in the same run, it times:

* parity's :func:`~parity_gui.sources.docker.engine.load_docker` of ``docker://CONTEXT/bench``,
  from the first request to the finished environment (tree, origins, coverage);
* ``docker inspect $(docker ps -aq)`` by the docker command-line client: both commands, with
  their process start-up, as a user would type them;
* docker-py's default ``docker.DockerClient(...).containers.list(all=True)``, client included
  (it asks the engine its version first), which lists and then inspects every container one by
  one.

Each is measured on the engine's own socket and through a delaying proxy written here (a unix
socket, in a process of its own), which holds every request 20 ms before passing it on, as an
engine on the other side of a network would. Every tool reaches the engine the same way (a
context for parity, ``DOCKER_HOST`` for the others, both naming the same socket). Times are
wall-clock medians of a few runs (locally after one warm-up run), and every answer is checked
(200 containers, 20 services). Ratios are against ``docker inspect`` in the same run and on the
same path, so they hold on a busy machine better than the absolute times do.

Targets (issue: live Docker environments): parity under 0.5 s locally, under 1 s with 20 ms per
request, and never slower than ``docker inspect $(docker ps -aq)``. The exit status is 1 when a
target is missed, 2 when no engine can start here.

Run ``python bench/docker.py`` as root (dockerd runs as root; about a minute); ``--repeats N``
and ``--delayed-repeats N`` change the number of timed runs (5 and 3). The engine and the proxy
are stopped and the engine's folder removed at the end, also after a failure, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

# Run as a script, this file's folder comes first on sys.path and its name would hide docker-py.
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [str(_BENCH.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _BENCH]

import docker  # noqa: E402

from parity_gui.sources.docker.engine import load_docker  # noqa: E402
from tests.docker.engine import (  # noqa: E402
    EngineCannotStart,
    PrivateEngine,
    build_image,
    image_dockerfile,
    start_engine,
    write_context,
)

PROJECT = "bench"
SERVICES = 20
CONTAINERS = 200
IMAGES = 5
DELAY_SECONDS = 0.020
REPEATS = 5
DELAYED_REPEATS = 3
#: The proxy serves at most this many connections at once, and stops after this long.
PROXY_CONNECTIONS = 256
PROXY_LIFETIME_SECONDS = 600.0
TARGET_LOCAL = 0.5
TARGET_DELAYED = 1.0
CLIENT_VARIABLES = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY")


# --- the delaying proxy --------------------------------------------------------------------


class DelayingProxy:
    """A unix-socket proxy to a local engine that holds each request ``delay`` seconds.

    Each accepted connection gets its own connection upstream; the first bytes a client sends
    after the last answer (the start of its next request) wait ``delay`` before they are passed
    on, so a request costs one delay whatever its size, and requests on different connections
    wait side by side as they would on a network. Answers pass at once. It listens only on a
    socket file, serves at most ``limit`` connections at once (others are closed at once), drops
    a connection idle for ``idle`` seconds, and stops serving after ``lifetime`` seconds or as
    soon as the process that started it is gone.
    """

    def __init__(
        self,
        listen: Path,
        upstream: Path,
        delay: float,
        *,
        limit: int = PROXY_CONNECTIONS,
        lifetime: float = PROXY_LIFETIME_SECONDS,
        idle: float = 60.0,
    ) -> None:
        self.upstream = upstream
        self.delay = delay
        self.idle = idle
        self.slots = threading.BoundedSemaphore(limit)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(listen))
        self.server.listen(limit)
        self.server.settimeout(0.2)
        self.ends_at = time.monotonic() + lifetime
        self.parent = os.getppid()

    def serve(self) -> None:
        """Accept connections until the lifetime ends or the parent process is gone."""
        while time.monotonic() < self.ends_at and os.getppid() == self.parent:
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            if not self.slots.acquire(blocking=False):
                client.close()
                continue
            threading.Thread(target=self._serve, args=(client,), name="proxy-connection", daemon=True).start()
        self.server.close()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            for sock in (client, upstream):
                sock.settimeout(self.idle)
            upstream.connect(str(self.upstream))
            answered = threading.Event()
            answered.set()
            back = threading.Thread(target=_answers, args=(upstream, client, answered), daemon=True)
            back.start()
            self._requests(client, upstream, answered)
            back.join()
        except OSError:
            pass
        finally:
            client.close()
            upstream.close()
            self.slots.release()

    def _requests(self, client: socket.socket, upstream: socket.socket, answered: threading.Event) -> None:
        """Client → engine: the first chunk after an answer waits ``delay`` seconds."""
        for chunk in _chunks(client):
            if answered.is_set():
                answered.clear()
                time.sleep(self.delay)
            if not _send(upstream, chunk):
                break
        _end_writes(upstream)


def _answers(upstream: socket.socket, client: socket.socket, answered: threading.Event) -> None:
    """Engine → client, at once; marks that the client's next bytes start a new request."""
    for chunk in _chunks(upstream):
        answered.set()
        if not _send(client, chunk):
            break
    _end_writes(client)


def _chunks(sock: socket.socket) -> Iterator[bytes]:
    """What arrives on ``sock`` until it ends, times out or breaks."""
    while True:
        try:
            chunk = sock.recv(65536)
        except OSError:
            return
        if not chunk:
            return
        yield chunk


def _send(sock: socket.socket, chunk: bytes) -> bool:
    """Pass ``chunk`` on; ``False`` when the other side is gone."""
    try:
        sock.sendall(chunk)
    except OSError:
        return False
    return True


def _end_writes(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_WR)


class ProxyProcess:
    """A :class:`DelayingProxy` in a process of its own, so that its threads do not compete with
    the clients measured in this one; started with this script's hidden ``--proxy`` option."""

    def __init__(self, listen: Path, upstream: Path, delay: float) -> None:
        self.listen = listen
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--proxy", str(listen), str(upstream), str(delay)],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._wait_until_listening()

    @property
    def host(self) -> str:
        return f"unix://{self.listen}"

    def _wait_until_listening(self, deadline: float = 10.0) -> None:
        ends_at = time.monotonic() + deadline
        while not self.listen.exists():
            if self.process.poll() is not None or time.monotonic() > ends_at:
                self.stop()
                raise RuntimeError(f"the delaying proxy did not start listening on {self.listen}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop this proxy process (by its id) and remove its socket file."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        with contextlib.suppress(FileNotFoundError):
            self.listen.unlink()


# --- the engine's contents -----------------------------------------------------------------


def build_images(engine: PrivateEngine) -> list[str]:
    """``IMAGES`` small images, each with its own environment, labels and command."""
    tags = []
    for n in range(IMAGES):
        tag = f"bench/app{n}:1.{n}"
        env = {"PATH": "/bin", "APP_HOME": "/srv", "APP_FLAVOUR": f"flavour-{n}"}
        labels = {"org.opencontainers.image.title": f"app{n}", "org.opencontainers.image.version": f"1.{n}"}
        build_image(engine, tag, image_dockerfile(env, labels=labels, cmd=("sleep", str(3600 + n))))
        tags.append(tag)
    return tags


@dataclass(frozen=True)
class Replica:
    """One container to create: replica ``number`` of service ``service``."""

    service: int
    number: int
    image: str

    @property
    def service_name(self) -> str:
        return f"svc{self.service:02d}"

    @property
    def name(self) -> str:
        return f"{PROJECT}_{self.service_name}_{self.number}"


def replicas(images: list[str]) -> list[Replica]:
    """``CONTAINERS`` containers spread evenly over ``SERVICES`` services."""
    per_service = CONTAINERS // SERVICES
    return [
        Replica(s, n, images[s % len(images)])
        for s in range(SERVICES)
        for n in range(1, per_service + 1)
    ]


def compose_labels(replica: Replica) -> dict[str, str]:
    """The labels docker-compose 1.29 writes on a service container, plus two of the service's own."""
    return {
        "com.docker.compose.project": PROJECT,
        "com.docker.compose.service": replica.service_name,
        "com.docker.compose.container-number": str(replica.number),
        "com.docker.compose.oneoff": "False",
        "com.docker.compose.project.working_dir": f"/srv/{PROJECT}",
        "com.docker.compose.project.config_files": f"/srv/{PROJECT}/docker-compose.yml",
        "com.docker.compose.config-hash": f"{replica.service:064x}",
        "com.docker.compose.version": "1.29.2",
        "traefik.enable": "true",
        "team": "platform",
    }


def create_container(client: docker.APIClient, replica: Replica) -> None:
    """Create (never start) one service container, as compose would configure it."""
    environment = {f"SETTING_{k}": f"value-{replica.service}-{k}" for k in range(8)}
    environment |= {"DATABASE_URL": f"postgres://app@db:5432/{replica.service_name}", "LOG_LEVEL": "info"}
    host_config = client.create_host_config(
        network_mode="none",
        restart_policy={"Name": "unless-stopped"},
        mem_limit="64m",
        nano_cpus=250_000_000,
        binds={f"{PROJECT}_{replica.service_name}-data": {"bind": "/var/lib/app", "mode": "rw"}},
        tmpfs={"/tmp": "size=16m"},
    )
    client.create_container(
        replica.image,
        command=["sleep", "86400"],
        name=replica.name,
        environment=environment,
        labels=compose_labels(replica),
        working_dir="/srv/app",
        user="1000:1000",
        healthcheck={"test": ["CMD", "/bin/busybox", "true"], "interval": 30_000_000_000, "retries": 3},
        host_config=host_config,
    )


def populate(engine: PrivateEngine) -> None:
    """Build the images and create every container, several at a time."""
    images = build_images(engine)
    client = docker.APIClient(base_url=engine.host, version="auto", timeout=60)
    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda r: create_container(client, r), replicas(images)))
    finally:
        client.close()


# --- what is timed -------------------------------------------------------------------------


def parity_load(context: str) -> Callable[[], None]:
    def run() -> None:
        environment = load_docker(f"docker://{context}/{PROJECT}", "bench")
        services = environment.tree.get("services") or {}
        _expect(len(services) == SERVICES, f"parity read {len(services)} services, not {SERVICES}")

    return run


def cli_inspect(engine: PrivateEngine, host: str) -> Callable[[], None]:
    through = {"DOCKER_HOST": host}

    def run() -> None:
        ids = engine.docker("ps", "-aq", timeout=120, extra=through).split()
        found = json.loads(engine.docker("inspect", *ids, timeout=120, extra=through))
        _expect(len(found) == CONTAINERS, f"docker inspect printed {len(found)} containers, not {CONTAINERS}")

    return run


def docker_py_list(host: str) -> Callable[[], None]:
    def run() -> None:
        client = docker.DockerClient(base_url=host, version="auto", timeout=60)
        try:
            found = client.containers.list(all=True)
        finally:
            client.close()
        _expect(len(found) == CONTAINERS, f"docker-py listed {len(found)} containers, not {CONTAINERS}")

    return run


def _expect(condition: bool, failure: str) -> None:
    if not condition:
        raise RuntimeError(failure)


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of the timed runs of one tool on one path."""

    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def timed(action: Callable[[], None], repeats: int, *, warm_up: bool) -> Timing:
    """``repeats`` timed runs, after one untimed run when ``warm_up``."""
    if warm_up:
        action()
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return Timing(runs)


# --- the run -------------------------------------------------------------------------------

TOOLS = ("parity load_docker", "docker inspect $(docker ps -aq)", "docker-py containers.list(all=True)")
PATHS = ("local socket", f"{DELAY_SECONDS * 1000:g} ms per request")


def measure(engine: PrivateEngine, proxy: ProxyProcess, repeats: dict[str, int]) -> dict[tuple[str, str], Timing]:
    """Every tool on both paths, ``repeats[path]`` timed runs each.

    Only the local runs are preceded by a warm-up run (imports, the engine's caches): on the
    delayed path everything is already warm, and a run there costs seconds.
    """
    contexts = {PATHS[0]: "bench-local", PATHS[1]: "bench-delayed"}
    hosts = {PATHS[0]: engine.host, PATHS[1]: proxy.host}
    results = {}
    for path in PATHS:
        actions = {
            TOOLS[0]: parity_load(contexts[path]),
            TOOLS[1]: cli_inspect(engine, hosts[path]),
            TOOLS[2]: docker_py_list(hosts[path]),
        }
        for tool, action in actions.items():
            results[tool, path] = timed(action, repeats[path], warm_up=path == PATHS[0])
    return results


def use_contexts(engine: PrivateEngine, proxy: ProxyProcess) -> None:
    """Parity (this process) reaches the engine through two contexts and nothing of the user's."""
    write_context(engine.config_dir, "bench-local", engine.host, description="private engine")
    write_context(engine.config_dir, "bench-delayed", proxy.host, description="through the delaying proxy")
    for name in CLIENT_VARIABLES:
        os.environ.pop(name, None)
    os.environ["DOCKER_CONFIG"] = str(engine.config_dir)


def report(results: dict[tuple[str, str], Timing], repeats: dict[str, int]) -> list[str]:
    """The table, the machine note and whether each target is met."""
    print(f"Reading {CONTAINERS} containers in {SERVICES} compose services ({IMAGES} images) from a private dockerd.")
    print(f"Wall-clock seconds, median of {repeats[PATHS[0]]} runs after a warm-up locally, "
          f"of {repeats[PATHS[1]]} at {PATHS[1]} (min-max in brackets);")
    print("x = time / docker inspect's time on the same path in this run. parity and docker-py run in this")
    print("process (imports done); docker inspect's time includes starting the docker CLI twice.")
    print(_machine())
    print()
    print(f"{'':<38}" + "".join(f"{path:>28}" for path in PATHS))
    for tool in TOOLS:
        cells = []
        for path in PATHS:
            t, base = results[tool, path], results[TOOLS[1], path]
            cells.append(f"{t.median:6.3f} s [{min(t.runs):.2f}-{max(t.runs):.2f}] {t.median / base.median:5.2f}x")
        print(f"{tool:<38}" + "".join(f"{c:>28}" for c in cells))
    print()
    return _verdicts(results)


def _verdicts(results: dict[tuple[str, str], Timing]) -> list[str]:
    local, delayed = results[TOOLS[0], PATHS[0]].median, results[TOOLS[0], PATHS[1]].median
    checks = [
        (f"parity under {TARGET_LOCAL:g} s locally", local < TARGET_LOCAL),
        (f"parity under {TARGET_DELAYED:g} s at {PATHS[1]}", delayed < TARGET_DELAYED),
    ]
    for path in PATHS:
        ours, theirs = results[TOOLS[0], path].median, results[TOOLS[1], path].median
        checks.append((f"parity no slower than docker inspect ({path})", ours <= theirs))
    missed = []
    for text, met in checks:
        print(f"  {'met   ' if met else 'MISSED'}  {text}")
        if not met:
            missed.append(text)
    return missed


def _machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"Machine: {os.cpu_count()} cores, shared with other work (load average {load}): times vary run to run."


def run(repeats: dict[str, int]) -> int:
    """Start the engine, fill it, measure, print; stop and clean up whatever happens."""
    began = time.monotonic()
    try:
        engine = start_engine()
    except EngineCannotStart as e:
        print(f"bench/docker.py: the private Docker engine cannot start: {e}", file=sys.stderr)
        return 2
    proxy = None
    try:
        populate(engine)
        proxy = ProxyProcess(engine.root / "delayed.sock", engine.socket, DELAY_SECONDS)
        use_contexts(engine, proxy)
        print(f"({_server(engine)}: up with {CONTAINERS} containers in {time.monotonic() - began:.1f} s)")
        missed = report(measure(engine, proxy, repeats), repeats)
    finally:
        _clean_up(engine, proxy)
    print(f"(whole run {time.monotonic() - began:.1f} s, engine stopped and removed)")
    return 1 if missed else 0


def _server(engine: PrivateEngine) -> str:
    """``dockerd 20.10.24, API 1.41, overlay2``: which engine answered."""
    version = engine.docker("version", "--format", "dockerd {{.Server.Version}}, API {{.Server.APIVersion}}")
    return f"{version.strip()}, {engine.storage_driver}"


def _clean_up(engine: PrivateEngine, proxy: ProxyProcess | None) -> None:
    """Stop the proxy and the engine; a second Ctrl-C does not cut the clean-up short."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if proxy is not None:
            proxy.stop()
        engine.stop()
    finally:
        signal.signal(signal.SIGINT, previous)


def _interrupted(signum: int, frame: FrameType | None) -> Any:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=REPEATS, help=f"timed runs on the local socket ({REPEATS})")
    parser.add_argument(
        "--delayed-repeats",
        type=int,
        default=DELAYED_REPEATS,
        help=f"timed runs through the delaying proxy ({DELAYED_REPEATS})",
    )
    parser.add_argument("--proxy", nargs=3, metavar=("LISTEN", "UPSTREAM", "DELAY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.proxy:
        listen, upstream, delay = args.proxy
        DelayingProxy(Path(listen), Path(upstream), float(delay)).serve()
        return 0
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        return run({PATHS[0]: max(1, args.repeats), PATHS[1]: max(1, args.delayed_repeats)})
    except KeyboardInterrupt:
        print("bench/docker.py: interrupted; the engine was stopped and removed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
