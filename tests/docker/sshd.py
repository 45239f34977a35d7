"""A private OpenSSH server on 127.0.0.1 whose logins reach only engines the test suite started.

:func:`start_sshd` runs Debian's ``sshd`` (openssh-server) in the foreground on a free loopback
port, from a temporary folder holding everything it uses: its own host key, its own
``sshd_config`` (nothing of ``/etc/ssh`` is read) and an ``authorized_keys`` file with keys made
for the test. Each key carries, through the ``environment=`` option (allowed for exactly
``DOCKER_HOST`` and ``DOCKER_CONFIG`` by ``PermitUserEnvironment``), the engine its sessions
reach: the ``docker system dial-stdio`` that parity asks for runs as asked, against that engine
and nothing else.

The client side is the real ``ssh`` too, run through a two-line wrapper first on ``PATH`` that
adds ``-F`` with the test's client configuration (a ``known_hosts`` holding the server's key,
strict host key checking) and ``-i`` with one of the test's keys: OpenSSH reads ``~/.ssh`` from the password database,
not from ``HOME``, so the user's own ssh set-up would otherwise apply.

Running as root, ``sshd`` needs its privilege separation folder ``/run/sshd``, which Debian's
service unit creates at boot and which is missing where no service manager runs; it is created
here (root-owned, mode 0755) when absent. ``sshd`` must be started by its absolute path, since
it re-executes itself.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.docker.engine import free_port

SSHD = Path("/usr/sbin/sshd")
SSH = Path("/usr/bin/ssh")
START_DEADLINE = 15.0
PRIVILEGE_SEPARATION = Path("/run/sshd")


class SSHDCannotStart(RuntimeError):
    """sshd cannot run on this machine; the message says why."""


@dataclass
class SSHServer:
    """One running ``sshd`` and the client files that reach it."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def user(self) -> str:
        return pwd.getpwuid(os.getuid()).pw_name

    def bin(self, key: str) -> Path:
        """The folder to put first on ``PATH`` to log in with ``key``: it holds an ``ssh`` wrapper."""
        return self.root / f"bin-{key}"

    def url(self, path: str = "") -> str:
        """``ssh://USER@127.0.0.1:PORT[PATH]``, the host of a Docker context reaching this server."""
        return f"ssh://{self.user}@127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.root, ignore_errors=True)


def cannot_start_reason() -> str | None:
    """Why no sshd can be started here, or ``None`` when it is worth trying."""
    missing = [str(tool) for tool in (SSHD, SSH, Path("/usr/bin/ssh-keygen")) if not tool.is_file()]
    if missing:
        return f"missing {', '.join(missing)}; as root run: apt-get install -y openssh-server openssh-client"
    if os.geteuid() != 0 and not PRIVILEGE_SEPARATION.is_dir():
        return f"{PRIVILEGE_SEPARATION} is missing and only root can create it"
    return None


def start_sshd(keys: Mapping[str, Mapping[str, str]]) -> SSHServer:
    """Start sshd with one client key per entry of ``keys`` (key name → the environment its
    sessions get); the private keys are ``root/<name>``. Raise :class:`SSHDCannotStart`."""
    reason = cannot_start_reason()
    if reason:
        raise SSHDCannotStart(reason)
    if not PRIVILEGE_SEPARATION.is_dir():
        PRIVILEGE_SEPARATION.mkdir(mode=0o755)
    root = Path(tempfile.mkdtemp(prefix="sshd-", dir="/tmp"))
    try:
        port = free_port()
        _keygen(root / "host_key")
        lines = []
        for name, environment in keys.items():
            _keygen(root / name)
            options = ",".join(f'environment="{k}={v}"' for k, v in environment.items())
            lines.append(f"{options} {(root / f'{name}.pub').read_text().strip()}")
        (root / "authorized_keys").write_text("\n".join(lines) + "\n")
        _server_config(root, port, list(keys))
        _client_files(root, port, list(keys))
        with (root / "sshd.log").open("wb") as log:
            process = subprocess.Popen(
                [str(SSHD), "-D", "-e", "-f", str(root / "sshd_config")],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        server = SSHServer(root, port, process)
        _wait_for_banner(server)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
        capture_output=True,
        timeout=30,
    )


def _server_config(root: Path, port: int, keys: list[str]) -> None:
    user = pwd.getpwuid(os.getuid()).pw_name
    (root / "sshd_config").write_text(
        f"""# A private sshd for the test suite: loopback only, keys only, this folder only.
Port {port}
ListenAddress 127.0.0.1
HostKey {root / "host_key"}
PidFile {root / "sshd.pid"}
AuthorizedKeysFile {root / "authorized_keys"}
# The temporary folder is below /tmp, which any user may write to.
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
AllowUsers {user}
PermitUserEnvironment DOCKER_HOST,DOCKER_CONFIG
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
LogLevel VERBOSE
"""
    )


def _client_files(root: Path, port: int, keys: list[str]) -> None:
    """The client configuration, a ``known_hosts`` with the server's key, and the ssh wrapper."""
    host_key = (root / "host_key.pub").read_text().split()
    (root / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    (root / "ssh_config").write_text(
        f"""Host *
  IdentitiesOnly yes
  UserKnownHostsFile {root / "known_hosts"}
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  PasswordAuthentication no
  LogLevel ERROR
"""
    )
    for name in keys:
        wrapper = root / f"bin-{name}" / "ssh"
        wrapper.parent.mkdir()
        wrapper.write_text(f'#!/bin/sh\nexec {SSH} -F {root / "ssh_config"} -i {root / name} "$@"\n')
        wrapper.chmod(0o755)


def _wait_for_banner(server: SSHServer) -> None:
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SSHDCannotStart(f"sshd exited ({server.process.returncode}): {_log(server.root)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", server.port), 1) as probe:
            probe.settimeout(1)
            if probe.recv(64).startswith(b"SSH-2.0-"):
                return
        time.sleep(0.05)
    server.stop()
    raise SSHDCannotStart(f"sshd did not answer on 127.0.0.1:{server.port}: {_log(server.root)}")


def _log(root: Path) -> str:
    try:
        return " | ".join((root / "sshd.log").read_text(errors="replace").splitlines()[-5:])
    except OSError:
        return "(no log)"
