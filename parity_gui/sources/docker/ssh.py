"""``ssh://`` Docker endpoints, reached as the docker CLI reaches them: through ``ssh``.

For each connection parity runs the OpenSSH client as the docker CLI (and docker-py's
``use_ssh_client``) do::

    ssh -o ConnectTimeout=4 -o BatchMode=yes -T [-l USER] [-p PORT] -- HOST
        docker [--host unix://PATH] system dial-stdio       (one command line)

and speaks HTTP to the remote engine over the ssh process's standard input and output, which
are one end of a socket pair, so the load's watch bounds every request in time and the same
:class:`~parity_gui.sources.docker.socket.Allowance` bounds the bytes read. The user's own ssh
set-up applies (``~/.ssh/config``, keys, the agent, ``known_hosts``).

Decisions: ``BatchMode=yes``, because parity cannot answer a password or passphrase prompt and
an unknown host key must not be accepted behind the user's back: use a key the agent holds, or
one without a passphrase, and a host already in ``known_hosts``. A URL with a password, a query
or a fragment is refused as the docker CLI refuses it; a socket path may hold only letters,
digits and ``/._-`` because the remote shell reads it. When ssh fails, its last line of
complaint and exit status are the error.
"""

from __future__ import annotations

import contextlib
import math
import re
import socket
import subprocess
import threading
import urllib.parse
from dataclasses import dataclass
from typing import IO

from parity_gui.sources.docker.socket import Allowance, AnswerTooLarge, Connection
from parity_gui.sources.docker.watch import watch_socket

_SOCKET_PATH = re.compile(r"/[A-Za-z0-9/._-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: How much of what ssh writes to its standard error is kept for the message.
_KEPT_COMPLAINT = 4096


class SSHFailed(ConnectionError):
    """``ssh`` could not be started, or exited before the engine answered."""


@dataclass(frozen=True, slots=True)
class SSHDestination:
    """Where ``ssh://[USER@]HOST[:PORT][/SOCKET]`` points."""

    host: str
    user: str | None = None
    port: int | None = None
    socket_path: str | None = None

    def command(self, connect_seconds: float) -> list[str]:
        """The ``ssh`` command line that carries one connection to the remote engine."""
        args = ["ssh", "-o", f"ConnectTimeout={max(1, math.ceil(connect_seconds))}", "-o", "BatchMode=yes", "-T"]
        if self.user:
            args += ["-l", self.user]
        if self.port:
            args += ["-p", str(self.port)]
        remote = ["docker"]
        if self.socket_path:
            remote += ["--host", f"unix://{self.socket_path}"]
        return [*args, "--", self.host, *remote, "system", "dial-stdio"]


def parse_ssh_url(url: str) -> SSHDestination:
    """``ssh://deploy@build-1:2222`` → its parts; raise ``ValueError`` saying what is wrong."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "ssh":
        raise ValueError(f"{url!r} is not an ssh:// address")
    if parts.password is not None:
        raise ValueError("a password in an ssh:// address is not supported; use a key")
    if parts.query or parts.fragment:
        raise ValueError("an ssh:// address takes no query or fragment")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"the port in {url!r} is not a number from 1 to 65535") from None
    host = parts.hostname
    if not host or host.startswith("-"):
        raise ValueError(f"{url!r} names no host")
    path = parts.path or None
    if path is not None and not _SOCKET_PATH.fullmatch(path):
        raise ValueError(f"the socket path {path!r} may hold only letters, digits and /._-")
    return SSHDestination(host, urllib.parse.unquote(parts.username) if parts.username else None, port, path)


class SSHConnection(Connection):
    """One HTTP connection through its own ``ssh … docker system dial-stdio`` process."""

    def __init__(self, destination: SSHDestination, timeout: float, allowance: Allowance) -> None:
        ours, theirs = socket.socketpair()
        try:
            ours.settimeout(timeout)
            watch_socket(ours)
            self.process = _start(destination.command(timeout), theirs)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        assert self.process.stderr is not None
        self.complaint = _Complaint(self.process.stderr)
        super().__init__(ours, allowance)

    def get(self, target: str) -> tuple[int, str, bytes]:
        try:
            return super().get(target)
        except AnswerTooLarge:
            raise
        except OSError as e:  # BrokenAnswer included: ssh may have ended the stream
            failure = self.failure()
            if failure is not None:
                raise failure from e
            raise

    def failure(self) -> SSHFailed | None:
        """Why ssh ended, if it did (within half a second): its exit status and last complaint."""
        try:
            status = self.process.wait(0.5)
        except subprocess.TimeoutExpired:
            return None
        self.complaint.join(0.5)
        said = self.complaint.last_line()
        return SSHFailed(f"ssh exited with status {status}" + (f": {said}" if said else ""))

    def close(self) -> None:
        super().close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(1)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(1)


def _start(command: list[str], stream: socket.socket) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            command, stdin=stream.fileno(), stdout=stream.fileno(), stderr=subprocess.PIPE, start_new_session=True
        )
    except FileNotFoundError:
        raise SSHFailed("no ssh command found (ssh:// contexts need the OpenSSH client)") from None


class _Complaint(threading.Thread):
    """Reads what ssh writes to its standard error, keeping the last few kilobytes."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__(name="ssh-stderr", daemon=True)
        self.stream = stream
        self.tail = b""
        self.start()

    def run(self) -> None:
        with contextlib.suppress(OSError, ValueError), self.stream:
            while chunk := self.stream.read1(_KEPT_COMPLAINT):  # type: ignore[attr-defined]
                self.tail = (self.tail + chunk)[-_KEPT_COMPLAINT:]

    def last_line(self) -> str:
        lines = [line.strip() for line in self.tail.decode("utf-8", "replace").splitlines()]
        said = next((line for line in reversed(lines) if line), "")
        return _CONTROL.sub("?", said)[:200]
