"""Private engines in swarm mode: one ``dockerd`` each, in a network namespace of its own.

:func:`start_swarm` starts an engine (:func:`~tests.docker.engine.start_engine` with
``own_network``), makes it a single-node swarm (``docker swarm init --advertise-addr 127.0.0.1``)
and builds the shop's images ``FROM scratch`` with busybox; :meth:`SwarmEngine.deploy` runs
``docker stack deploy --resolve-image never`` (no registry is reachable) and waits until every
service runs the replicas it asks for; :meth:`SwarmEngine.stop` leaves the swarm and stops the engine,
which takes its network namespace (and what swarm created in it) along.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from tests.docker.engine import PrivateEngine, build_image, docker_cli, image_dockerfile, start_engine

SWARM_DATA = Path(__file__).resolve().parent.parent / "data" / "docker" / "swarm"
#: How long a deployed stack may take until its replicas run.
CONVERGE_SECONDS = 60.0


@dataclass
class SwarmEngine:
    """A private engine that is the manager of a one-node swarm."""

    engine: PrivateEngine

    @property
    def host(self) -> str:
        return self.engine.host

    def docker(self, *args: str, cwd: Path | None = None) -> str:
        return self.engine.docker(*args, cwd=cwd)

    def deploy(self, name: str, stack_file: Path, *more: Path) -> None:
        """``docker stack deploy`` the file (and ``more`` over it) as stack ``name``, then wait for
        its replicas to run."""
        files = [part for f in (stack_file, *more) for part in ("-c", str(f))]
        self.engine.run(
            [docker_cli(), "stack", "deploy", "--resolve-image", "never", *files, name],
            cwd=stack_file.parent,
            timeout=120,
        )
        self.wait_converged(name)

    def stack_folder(self, name: str) -> Path:
        """A copy of the test stack (file, secret and config) beside the engine."""
        folder = self.engine.root / "stacks" / name
        if not folder.exists():
            shutil.copytree(SWARM_DATA, folder)
        return folder

    def wait_converged(self, name: str) -> None:
        """Wait until every service of stack ``name`` runs as many replicas as it wants."""
        deadline = time.monotonic() + CONVERGE_SECONDS
        while True:
            lines = self.docker("stack", "services", name, "--format", "{{json .}}").splitlines()
            pending = [s for s in map(json.loads, lines) if not _converged(str(s.get("Replicas", "")))]
            if lines and not pending:
                return
            if time.monotonic() > deadline:
                replicas = self.docker("stack", "ps", name, "--no-trunc")
                raise RuntimeError(f"stack {name} did not converge in {CONVERGE_SECONDS:.0f}s:\n{replicas}")
            time.sleep(0.5)

    def stop(self) -> None:
        """Leave the swarm, then stop the engine (its namespace goes with it); safe twice."""
        if not self.engine.stopped and self.engine.process.poll() is None:
            with contextlib.suppress(RuntimeError, OSError):
                self.docker("swarm", "leave", "--force")
        self.engine.stop()


def _converged(replicas: str) -> bool:
    """``2/2`` (or ``1/1 (max 1 per node)``): as many running as wanted."""
    running, _, wanted = replicas.partition(" ")[0].partition("/")
    return running.isdigit() and running == wanted and int(wanted) > 0


def start_swarm() -> SwarmEngine:
    """A new engine in its own network namespace, a swarm manager, with the shop's images."""
    engine = start_engine(own_network=True)
    swarm = SwarmEngine(engine)
    try:
        swarm.docker("swarm", "init", "--advertise-addr", "127.0.0.1")
        base = {"PATH": "/bin", "SHOP_HOME": "/srv", "LOG_LEVEL": "warn"}
        labels = {"org.opencontainers.image.vendor": "Example Shop"}
        build_image(engine, "shop/web:1.4", image_dockerfile(base, labels=labels))
        build_image(engine, "shop/worker:1.4", image_dockerfile(base, labels=labels, cmd=("sleep", "600")))
    except BaseException:
        swarm.stop()
        raise
    return swarm
