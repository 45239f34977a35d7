"""Benchmark: hostile Docker engines and context files, one cause a row.

Each cause is loaded as ``docker://`` by a fresh ``python`` process (the import of parity
included, as a user's command would run); printed are the load's own time (measured inside
that process), the whole process's wall-clock time, and the peak of the resident memory of its
whole process tree (the process and its children, such as ``ssh``, summed; sampled every 10 ms
from ``/proc``), with the outcome. The engines are the test suite's fakes
(:mod:`tests.docker.fakes`), served from this process so their memory does not count; context
files are written to a scratch ``DOCKER_CONFIG``. With root and openssh-server installed, the
cap is also measured over an ``ssh://`` context through a private sshd (:mod:`tests.docker.sshd`).

Bound (issue: hostile input, round two): each cause under 5 s and 500 MB; the exit status is 1
when one is missed. Run ``python bench/hostile_docker.py`` (about half a minute).
"""

from __future__ import annotations

import contextlib
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and bench/docker.py would hide docker-py.
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [str(_BENCH.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _BENCH]

from parity_gui.sources.docker.contexts import context_hash  # noqa: E402
from tests.docker import fakes  # noqa: E402
from tests.docker.engine import make_certificates  # noqa: E402
from tests.docker.fakes import Answer  # noqa: E402
from tests.docker.sshd import SSHDCannotStart, start_sshd  # noqa: E402

SECONDS_BOUND = 5.0
MEGABYTES_BOUND = 500.0
SAMPLE_SECONDS = 0.01
LOADER = """
import sys, time
from parity_gui.errors import ParityError
from parity_gui.sources.registry import load
began = time.perf_counter()
try:
    outcome = f"loaded, {load(sys.argv[1]).leaf_count()} leaves"
except ParityError as e:
    outcome = str(e)
print(f"{time.perf_counter() - began:.3f}", outcome.splitlines()[0] if outcome else "")
"""

#: Sets up one cause in a scratch folder: yields the environment variables of the load.
Cause = Callable[[Path], contextlib.AbstractContextManager[dict[str, str]]]


def on_engine(changed: dict[str, Answer], *, tcp: bool = False, tls: bool = False) -> Cause:
    @contextlib.contextmanager
    def cause(scratch: Path) -> Iterator[dict[str, str]]:
        if tls:
            certificates = make_certificates(scratch / "certificates")
            server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            server.load_cert_chain(certificates["server-cert.pem"], certificates["server-key.pem"])
            with fakes.fake_tcp_engine(fakes.engine_answering(changed), tls=server) as host:
                yield {"DOCKER_HOST": host, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(certificates.folder)}
        elif tcp:
            with fakes.fake_tcp_engine(fakes.engine_answering(changed)) as host:
                yield {"DOCKER_HOST": host}
        else:
            with fakes.fake_engine(fakes.engine_answering(changed)) as path:
                yield {"DOCKER_HOST": f"unix://{path}"}

    return cause


def many_big_inspects(*entry: bytes) -> dict[str, Answer]:
    """40 containers, each inspected as 20 MB (of long strings, or of ``entry``)."""
    listed = fakes.body(fakes.listing_of(40))
    return {"/containers/json?all=1": listed, "/v1.41/containers/": fakes.inspect_of(20, *entry)}


def with_config(write: Callable[[Path], None], current: str | None = None) -> Cause:
    @contextlib.contextmanager
    def cause(scratch: Path) -> Iterator[dict[str, str]]:
        config = scratch / "docker-config"
        config.mkdir()
        write(config)
        yield {"DOCKER_CONFIG": str(config), **({"DOCKER_CONTEXT": current} if current else {})}

    return cause


def meta_file(config: Path) -> Path:
    folder = config / "contexts" / "meta" / context_hash("prod")
    folder.mkdir(parents=True)
    return folder / "meta.json"


def with_host(host: str) -> Cause:
    @contextlib.contextmanager
    def cause(_: Path) -> Iterator[dict[str, str]]:
        yield {"DOCKER_HOST": host}

    return cause


@contextlib.contextmanager
def over_ssh(_: Path) -> Iterator[dict[str, str]]:
    with fakes.fake_engine(fakes.engine_answering({"/version": fakes.ENDLESS_CHUNKS})) as path:
        server = start_sshd({"fake": {"DOCKER_HOST": f"unix://{path}"}})
        try:
            yield {"DOCKER_HOST": server.url(), "PATH": f"{server.bin('fake')}:{os.environ.get('PATH', '')}"}
        finally:
            server.stop()


CAUSES: list[tuple[str, Cause]] = [
    ("10 GB body, by length", on_engine({"/version": fakes.TEN_GIGABYTES_DECLARED})),
    ("10 GB body, until closed", on_engine({"/version": fakes.TEN_GIGABYTES_UNTIL_CLOSED})),
    ("endless chunks", on_engine({"/version": fakes.ENDLESS_CHUNKS})),
    ("endless chunks, TCP", on_engine({"/version": fakes.ENDLESS_CHUNKS}, tcp=True)),
    ("endless chunks, TLS", on_engine({"/version": fakes.ENDLESS_CHUNKS}, tls=True)),
    ("40 inspects of 20 MB", on_engine(many_big_inspects())),
    ("40 inspects of 20 MB of 0s", on_engine(many_big_inspects(b"0"))),
    ("40 inspects of 20 MB of []s", on_engine(many_big_inspects(b"[]"))),
    ('40 inspects of 20 MB of "ab"s', on_engine(many_big_inspects(b'"ab"'))),
    ("200,000 containers listed", on_engine({"/containers/json?all=1": fakes.body(fakes.listing_of(200_000)),
                                             "/v1.41/containers/": fakes.inspect_of(0.001)})),
    ("chunk size fff… (20 digits)", on_engine({"/version": fakes.chunk_size(b"f" * 20)})),
    ("chunk size 0xfff", on_engine({"/version": fakes.chunk_size(b"0xfff")})),
    ("/version is a list", on_engine({"/version": fakes.body(b'[{"Version": "20.10.24"}]')})),
    ("JSON nested 200,000 deep", on_engine({"/version": fakes.body(b"[" * 200_000 + b"]" * 200_000)})),
    ("meta.json → /dev/zero", with_config(lambda c: meta_file(c).symlink_to("/dev/zero"), "prod")),
    ("meta.json is a FIFO", with_config(lambda c: os.mkfifo(meta_file(c)), "prod")),
    ("config.json is a FIFO", with_config(lambda c: os.mkfifo(c / "config.json"))),
    ("config.json → /dev/zero", with_config(lambda c: (c / "config.json").symlink_to("/dev/zero"))),
    ("currentContext a number", with_config(lambda c: (c / "config.json").write_text('{"currentContext": 7}'))),
    ("tcp://127.0.0.1:99999", with_host("tcp://127.0.0.1:99999")),
    ("endless chunks over ssh", over_ssh),
]


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError, ValueError):
            status = Path(f"/proc/{current}/status").read_text().splitlines()
            total += sum(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
    return total


def measure(environment: dict[str, str]) -> tuple[float, float, float, str]:
    """(load seconds, process seconds, peak MB of the tree, outcome) of one load of ``docker://``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
    clean |= {"HOME": tempfile.gettempdir(), "DOCKER_CONFIG": str(Path(tempfile.mkdtemp()) / "none")} | environment
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", LOADER, "docker://"], env=clean, cwd=_BENCH.parent, stdout=subprocess.PIPE, text=True
    )
    peak = 0
    sampling = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not sampling.wait(SAMPLE_SECONDS):
            peak = max(peak, tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    took = time.perf_counter() - began
    sampling.set()
    sampler.join()
    seconds, _, outcome = out.strip().partition(" ")
    return float(seconds or "nan"), took, peak / 2**20, outcome


def main() -> int:
    print(f"{'cause':<30} {'load s':>7} {'process s':>9} {'peak MB':>8}  outcome")
    missed = 0
    for label, cause in CAUSES:
        with tempfile.TemporaryDirectory(prefix="hostile-docker-") as scratch:
            try:
                with cause(Path(scratch)) as environment:
                    load_s, process_s, peak, outcome = measure(environment)
            except SSHDCannotStart as e:
                print(f"{label:<30} {'-':>7} {'-':>9} {'-':>8}  not measured: {e}")
                continue
        over = process_s > SECONDS_BOUND or peak > MEGABYTES_BOUND
        missed += over
        print(f"{label:<30} {load_s:7.3f} {process_s:9.3f} {peak:8.1f}  {'OVER ' if over else ''}{outcome[-110:]}")
    print(f"bounds: {SECONDS_BOUND:g} s and {MEGABYTES_BOUND:g} MB per cause (process and its children)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
