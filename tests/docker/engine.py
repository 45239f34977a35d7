"""A private Docker engine for the test suite: its own ``dockerd``, socket and data root.

The engine runs as root on a unix socket (and, when asked, on ``127.0.0.1`` with TLS) inside a
short temporary folder, with no bridge, no iptables rules and no way to reach a registry: images
are built ``FROM scratch`` with Debian's static busybox. :func:`start_engine` waits for ``/_ping``
with a deadline; :meth:`PrivateEngine.stop` stops it, unmounts what it left mounted and removes
its folder, whatever state it is in.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BUSYBOX = Path("/bin/busybox")
STORAGE_DRIVERS = ("overlay2", "vfs")
START_DEADLINE = 30.0
STOP_DEADLINE = 20.0
#: Any pull the engine attempts fails at once instead of reaching a registry.
NO_REGISTRY = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
APT_FIX = "apt-get install -y docker.io busybox-static docker-compose"


class EngineCannotStart(RuntimeError):
    """dockerd cannot run on this machine; the message says why."""


@dataclass(frozen=True)
class TcpListener:
    """Where a second listener goes, with the server's TLS files (``None`` for plain TCP).

    With TLS the engine proves who it is but does not require client certificates
    (``--tls --tlsverify=false``: dockerd requires them unless told otherwise), so that a context
    holding only the CA can reach it.
    """

    address: str  #: ``127.0.0.1:PORT``
    ca: Path | None = None
    cert: Path | None = None
    key: Path | None = None


@dataclass
class PrivateEngine:
    """One running ``dockerd`` that only this test session talks to."""

    root: Path
    process: subprocess.Popen[bytes]
    storage_driver: str
    started_in: float
    tcp: TcpListener | None = None
    stopped: bool = field(default=False, init=False)

    @property
    def socket(self) -> Path:
        return self.root / "docker.sock"

    @property
    def host(self) -> str:
        """The ``DOCKER_HOST`` value that reaches this engine."""
        return f"unix://{self.socket}"

    @property
    def log(self) -> Path:
        return self.root / "dockerd.log"

    @property
    def config_dir(self) -> Path:
        """An empty ``DOCKER_CONFIG`` for the command-line tools run against this engine."""
        return self.root / "client-config"

    def client_env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """Environment for ``docker``/``docker-compose``: this engine and nothing of the user's."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
        env |= {"DOCKER_HOST": self.host, "DOCKER_CONFIG": str(self.config_dir)}
        env |= {"DOCKER_BUILDKIT": "0", "COMPOSE_DOCKER_CLI_BUILD": "0", "HOME": str(self.root)}
        env |= dict(extra or {})
        return env

    def run(self, args: Sequence[str], *, cwd: Path | None = None, timeout: float = 60,
            extra: Mapping[str, str] | None = None) -> str:
        """Run a client command against this engine (``extra`` added to its environment); raise
        with its output when it fails."""
        done = subprocess.run(
            list(args),
            cwd=cwd,
            env=self.client_env(extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return done.stdout

    def docker(self, *args: str, cwd: Path | None = None, timeout: float = 60,
               extra: Mapping[str, str] | None = None) -> str:
        return self.run([docker_cli(), *args], cwd=cwd, timeout=timeout, extra=extra)

    def compose(self, project: str, files: Sequence[Path], *args: str) -> str:
        """``docker-compose -p PROJECT -f FILE… ARGS`` in the folder of the first file."""
        command = ["docker-compose", "-p", project]
        for f in files:
            command += ["-f", str(f)]
        return self.run([*command, *args], cwd=files[0].parent, timeout=120)

    def stop(self) -> None:
        """Stop the engine and remove everything it wrote; safe to call twice."""
        if self.stopped:
            return
        self.stopped = True
        try:
            self._remove_bridges()
            _terminate(self.process)
        finally:
            _kill_leftovers(self.root)
            _unmount_below(self.root)
            shutil.rmtree(self.root, ignore_errors=True)

    def _remove_bridges(self) -> None:
        """Kill every container at once and remove networks with host interfaces.

        Killing first spares the engine's own shutdown from waiting on each container; bridges
        would otherwise outlive dockerd on the host.
        """
        if self.process.poll() is not None:
            return
        try:
            containers = self.docker("ps", "-aq").split()
            if containers:
                self.docker("rm", "-f", *containers)
            bridges = self.docker("network", "ls", "-q", "--filter", "driver=bridge").split()
            if bridges:
                self.docker("network", "rm", *bridges)
        except (RuntimeError, subprocess.TimeoutExpired):
            pass


def docker_cli() -> str:
    """The docker command-line client: Debian's (``docker.io``) or whichever is on PATH."""
    return shutil.which("docker") or "/usr/bin/docker"


def cannot_start_reason() -> str | None:
    """Why no engine can be started here, or ``None`` when it is worth trying."""
    missing = [tool for tool in ("dockerd", "containerd", "runc", "docker-compose") if not shutil.which(tool)]
    if not BUSYBOX.is_file() or not _is_static(BUSYBOX):
        missing.append(f"a static {BUSYBOX} (busybox-static)")
    if missing:
        return f"missing {', '.join(missing)}; as root run: {APT_FIX}"
    if os.geteuid() != 0:
        return "dockerd must run as root (rootless mode is not set up by the test suite)"
    return None


def _is_static(binary: Path) -> bool:
    """True when ``binary`` names no program interpreter (it runs in an empty image)."""
    with binary.open("rb") as f:
        head = f.read(4096)
    return b"ld-linux" not in head and b"ld-musl" not in head


def start_engine(tcp: TcpListener | None = None, *, own_network: bool = False) -> PrivateEngine:
    """Start a private dockerd, trying overlay2 then vfs; raise :class:`EngineCannotStart`.

    With ``own_network`` the engine runs in a network namespace of its own (``unshare --net``,
    loopback up): what swarm mode creates (``docker_gwbridge``, the ingress and overlay vxlan
    devices) lives and dies with that namespace instead of outliving the engine on the host, where
    it would make the next engine's containers fail with "network sandbox join failed". Its unix socket
    is a file, reachable from the host's namespace all the same.
    """
    reason = cannot_start_reason()
    if reason:
        raise EngineCannotStart(reason)
    failures = []
    for driver in STORAGE_DRIVERS:
        root = Path(tempfile.mkdtemp(prefix="pe-", dir="/tmp"))
        try:
            return _start(root, driver, tcp, own_network)
        except EngineCannotStart as e:
            failures.append(f"{driver}: {e}")
    raise EngineCannotStart("dockerd did not start with any storage driver:\n" + "\n".join(failures))


def _start(root: Path, driver: str, tcp: TcpListener | None, own_network: bool = False) -> PrivateEngine:
    (root / "client-config").mkdir()
    (root / "daemon.json").write_text("{}\n")
    log = (root / "dockerd.log").open("wb")
    began = time.monotonic()
    process = subprocess.Popen(
        _in_own_network(_dockerd_command(root, driver, tcp)) if own_network else _dockerd_command(root, driver, tcp),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=_dockerd_env(),
        start_new_session=True,
    )
    log.close()
    engine = PrivateEngine(root, process, driver, 0.0, tcp)
    try:
        _wait_for_ping(engine)
    except BaseException:  # not started, or interrupted while starting: leave nothing behind
        engine.stop()
        raise
    engine.started_in = time.monotonic() - began
    return engine


def _dockerd_command(root: Path, driver: str, tcp: TcpListener | None) -> list[str]:
    command = [
        "dockerd",
        f"--host=unix://{root / 'docker.sock'}",
        f"--data-root={root / 'data'}",
        f"--exec-root={root / 'exec'}",
        f"--pidfile={root / 'dockerd.pid'}",
        f"--config-file={root / 'daemon.json'}",
        f"--storage-driver={driver}",
        "--bridge=none",
        "--iptables=false",
        "--ip6tables=false",
        "--ip-forward=false",
        "--ip-masq=false",
        "--shutdown-timeout=1",
    ]
    if tcp is not None:
        command.append(f"--host=tcp://{tcp.address}")
        if tcp.cert is not None:
            command += [
                "--tls",
                "--tlsverify=false",
                f"--tlscacert={tcp.ca}",
                f"--tlscert={tcp.cert}",
                f"--tlskey={tcp.key}",
            ]
    return command


def _in_own_network(command: list[str]) -> list[str]:
    """``command`` run in a new network namespace whose loopback is up."""
    if any(part.startswith("--host=tcp://") for part in command):
        raise EngineCannotStart("an engine in its own network namespace cannot be reached over TCP from the host")
    if not shutil.which("unshare") or not shutil.which("ip"):
        raise EngineCannotStart("unshare (util-linux) and ip (iproute2) are needed for an engine in its own network")
    return ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]


def _dockerd_env() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.setdefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    return env | NO_REGISTRY


def _wait_for_ping(engine: PrivateEngine) -> None:
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        if engine.process.poll() is not None:
            raise EngineCannotStart(f"dockerd exited ({engine.process.returncode}): {_log_tail(engine.log)}")
        if _ping(engine.socket):
            return
        time.sleep(0.05)
    raise EngineCannotStart(f"no answer on {engine.socket} within {START_DEADLINE:.0f}s: {_log_tail(engine.log)}")


def _ping(path: Path) -> bool:
    if not path.exists():
        return False
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(1.0)
    try:
        sock.connect(str(path))
        sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status == 200 and response.read() == b"OK"
    except OSError:
        return False
    finally:
        sock.close()


def _log_tail(log: Path, lines: int = 6) -> str:
    try:
        text = log.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    wanted = [line for line in text if "level=error" in line or "level=fatal" in line or "failed" in line]
    return "\n".join((wanted or text)[-lines:])


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_DEADLINE)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def _kill_leftovers(root: Path) -> None:
    """Kill the containerd and shims this engine started, if its shutdown left them behind."""
    marker = str(root).encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if marker in cmdline and int(proc.name) != os.getpid():
            _kill_quietly(int(proc.name))


def _kill_quietly(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _unmount_below(root: Path) -> None:
    """Lazily unmount every mount point under ``root``, deepest first."""
    prefix = str(root) + "/"
    points = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = line.split()[4].replace("\\040", " ")
        if point.startswith(prefix) or point == str(root):
            points.append(point)
    for point in sorted(points, key=len, reverse=True):
        subprocess.run(["umount", "-l", point], capture_output=True, check=False)


def image_dockerfile(
    env: Mapping[str, str],
    *,
    workdir: str = "/srv",
    user: str | None = None,
    labels: Mapping[str, str] | None = None,
    cmd: Sequence[str] = ("sleep", "3600"),
) -> str:
    """A ``FROM scratch`` Dockerfile with busybox as entrypoint and the given config."""
    lines = ["FROM scratch", "COPY busybox /bin/busybox"]
    lines += [f"ENV {k}={json.dumps(v)}" for k, v in env.items()]
    lines += [f"LABEL {k}={json.dumps(v)}" for k, v in (labels or {}).items()]
    lines.append(f"WORKDIR {workdir}")
    if user:
        lines.append(f"USER {user}")
    lines.append('ENTRYPOINT ["/bin/busybox"]')
    lines.append(f"CMD {json.dumps(list(cmd))}")
    return "\n".join(lines) + "\n"


def build_image(engine: PrivateEngine, tag: str, dockerfile: str) -> str:
    """Build ``tag`` from ``dockerfile`` with busybox in the context; return the image id."""
    context = Path(tempfile.mkdtemp(prefix="ctx-", dir=engine.root))
    try:
        shutil.copy2(BUSYBOX, context / "busybox")
        (context / "Dockerfile").write_text(dockerfile)
        engine.docker("build", "-q", "-t", tag, str(context))
        return engine.docker("image", "inspect", "--format", "{{.Id}}", tag).strip()
    finally:
        shutil.rmtree(context, ignore_errors=True)


@dataclass(frozen=True)
class Certificates:
    """A CA, a server certificate for 127.0.0.1, a client certificate, and an unrelated CA."""

    folder: Path

    def __getitem__(self, name: str) -> Path:
        return self.folder / name


def make_certificates(folder: Path) -> Certificates:
    """Generate the TLS files with ``openssl`` (P-256 keys, valid two days)."""
    folder.mkdir(parents=True, exist_ok=True)
    _self_signed(folder, "ca", "parity test CA")
    _self_signed(folder, "other-ca", "some other CA")
    _signed(folder, "server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth")
    _signed(folder, "client", "parity test client", "extendedKeyUsage=clientAuth")
    return Certificates(folder)


def _openssl(folder: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True, timeout=30)


def _self_signed(folder: Path, name: str, subject: str) -> None:
    _openssl(
        folder,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        f"{name}-key.pem",
        "-out",
        f"{name}.pem",
        "-days",
        "2",
        "-subj",
        f"/CN={subject}",
    )


def _signed(folder: Path, name: str, subject: str, extensions: str) -> None:
    _openssl(
        folder,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        f"{name}-key.pem",
        "-out",
        f"{name}.csr",
        "-subj",
        f"/CN={subject}",
    )
    (folder / f"{name}.ext").write_text(extensions + "\n")
    _openssl(
        folder,
        "x509",
        "-req",
        "-in",
        f"{name}.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-out",
        f"{name}-cert.pem",
        "-days",
        "2",
        "-extfile",
        f"{name}.ext",
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _store_key(name: str) -> str:
    """The docker CLI's folder name for a context: the hex SHA-256 of the name."""
    return hashlib.sha256(name.encode()).hexdigest()


def write_context(
    config: Path,
    name: str,
    host: str,
    *,
    description: str = "",
    tls: dict[str, str] | None = None,
    skip_verify: bool = False,
) -> Path:
    """Write a context exactly where and how ``docker context create`` stores it."""
    meta_dir = config / "contexts" / "meta" / _store_key(name)
    meta_dir.mkdir(parents=True)
    meta = {
        "Name": name,
        "Metadata": {"Description": description},
        "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_verify}},
    }
    (meta_dir / "meta.json").write_text(json.dumps(meta))
    if tls:
        tls_dir = config / "contexts" / "tls" / _store_key(name) / "docker"
        tls_dir.mkdir(parents=True)
        for file_name, text in tls.items():
            (tls_dir / file_name).write_text(text)
    return meta_dir / "meta.json"
