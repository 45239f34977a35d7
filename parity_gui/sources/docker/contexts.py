"""Which Docker engine a ``docker://`` spec means, resolved the way the docker CLI resolves it.

A spec is ``docker://`` (the current context), ``docker://NAME`` (a named context) or
``docker://NAME/PROJECT`` (one compose project on it, or on a swarm manager the stack of that
name); ``docker:///PROJECT`` is a project on the current context. ``docker://NAME/project:PROJECT``
and ``docker://NAME/stack:STACK`` say which of the two is meant when an engine has both. The
current context is, in this order: the one ``DOCKER_HOST`` points at (the
context named ``default``), the ``DOCKER_CONTEXT`` variable, ``currentContext`` in
``$DOCKER_CONFIG/config.json`` (``~/.docker`` when ``DOCKER_CONFIG`` is unset), else ``default``.
The context named ``default`` is ``DOCKER_HOST`` when it is set (with ``DOCKER_TLS_VERIFY`` and
``DOCKER_CERT_PATH``), else the local socket.

Named contexts are read from the CLI's context store: ``contexts/meta/<sha256(name)>/meta.json``
and TLS files under ``contexts/tls/<sha256(name)>/docker/``. Unlike docker-py, a context that
does not exist, or whose files are corrupt, is an error naming the context, its endpoint and where
the choice came from; parity never falls back to another engine. So is a ``config.json`` that
exists but cannot be read, and a ``currentContext`` that is not a string (the docker CLI warns
and goes on with the default engine; parity refuses to guess). An endpoint that cannot be an
address (``tcp://host:99999``, an ``ssh://`` address with a password) is refused here, before
any connection. A context with only a CA keeps verifying the server against that CA.

Every file is read through :func:`parity_gui.sources.text.read_text` (TLS files are checked by
:func:`~parity_gui.sources.text.check_regular_file` and read by the TLS library): regular files
only, size checked first, so a ``meta.json`` that is a link to ``/dev/zero`` or a FIFO is an
error at once, never an endless read.

This module only reads files; it does not talk to an engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parity_gui.errors import DockerUnavailable, SourceError
from parity_gui.sources.docker.ssh import parse_ssh_url
from parity_gui.sources.text import check_regular_file, read_text

SCHEME = "docker://"
DEFAULT_CONTEXT = "default"
LOCAL_SOCKET = "unix:///var/run/docker.sock"
_CONTEXT_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$")
_PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KINDS = ("project", "stack")
_ENDPOINT_SCHEMES = ("unix://", "tcp://", "ssh://", "npipe://", "http://", "https://")
_JSON_KINDS = {bool: "a boolean", list: "an array", dict: "an object"}
#: The largest TLS file (certificate or key) accepted; real ones are a few KB.
TLS_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class DockerSpec:
    """A parsed ``docker://`` spec: ``context`` is ``None`` for the current one."""

    context: str | None
    project: str | None
    #: ``"project"`` or ``"stack"`` when the spec says which; ``None``: whichever the engine has.
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class TLSFiles:
    """TLS material for an endpoint; any file may be absent (a CA alone still verifies)."""

    ca: Path | None
    cert: Path | None
    key: Path | None
    verify: bool


@dataclass(frozen=True, slots=True)
class DockerEndpoint:
    """Where an engine listens (``unix://…``, ``tcp://host:port``, ``ssh://…``) and how to trust it."""

    host: str
    tls: TLSFiles | None = None


@dataclass(frozen=True, slots=True)
class ResolvedContext:
    """A context chosen for a load: its name, endpoint and the reason it was chosen."""

    name: str
    endpoint: DockerEndpoint
    source: str  #: where the choice came from, e.g. "DOCKER_CONTEXT" or "currentContext in …"
    description: str = ""

    def describe(self) -> str:
        """``context 'staging' (tcp://10.0.0.5:2376, chosen by DOCKER_CONTEXT)`` for messages."""
        return f"context {self.name!r} ({self.endpoint.host}, chosen by {self.source})"


@dataclass(frozen=True, slots=True)
class ContextInfo:
    """One line of ``parity contexts``."""

    name: str
    endpoint: str
    description: str
    current: bool
    source: str  #: where the context is defined (a meta.json, DOCKER_HOST, or built in)


def parse_spec(spec: str) -> DockerSpec:
    """``docker://staging/shop`` → ``DockerSpec("staging", "shop")``; bad names are errors."""
    if not spec.startswith(SCHEME):
        raise DockerUnavailable(f"not a Docker spec: {spec!r} (expected docker://[CONTEXT[/PROJECT]])")
    rest = spec.removeprefix(SCHEME)
    context, _, project = rest.partition("/")
    kind, colon, named = project.partition(":")
    if colon and kind in _KINDS:
        project = named
    elif colon:
        raise DockerUnavailable(f"{spec}: {kind!r} is not project: or stack:")
    if context and not _CONTEXT_NAME.match(context):
        raise DockerUnavailable(f"{spec}: {context!r} is not a valid Docker context name")
    if project and not _PROJECT_NAME.match(project):
        raise DockerUnavailable(
            f"{spec}: {project!r} is not a valid compose project name (lowercase letters, digits, - and _)"
        )
    if colon and not project:
        raise DockerUnavailable(f"{spec}: name the {kind} after '{kind}:'")
    return DockerSpec(context or None, project or None, kind if colon else None)


def config_dir(environ: Mapping[str, str]) -> Path:
    """``$DOCKER_CONFIG``, else ``~/.docker`` (``HOME`` taken from ``environ``)."""
    configured = environ.get("DOCKER_CONFIG")
    if configured:
        return Path(configured)
    home = environ.get("HOME")
    return (Path(home) if home else Path.home()) / ".docker"


def context_hash(name: str) -> str:
    """The folder name the docker CLI stores a context under: the hex SHA-256 of its name."""
    return hashlib.sha256(name.encode()).hexdigest()


def current_context(environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The current context's name and where that choice came from, as the docker CLI decides."""
    env = os.environ if environ is None else environ
    if env.get("DOCKER_HOST"):
        return DEFAULT_CONTEXT, "DOCKER_HOST"
    if env.get("DOCKER_CONTEXT"):
        return env["DOCKER_CONTEXT"], "DOCKER_CONTEXT"
    config_file = config_dir(env) / "config.json"
    current = _read_config(config_file).get("currentContext")
    if current is not None and not isinstance(current, str):
        raise DockerUnavailable(
            f"currentContext is {json.dumps(current)[:40]} ({_JSON_KINDS.get(type(current), 'a number')}), "
            "not a context name; "
            "parity will not guess which engine was meant (fix it, or set DOCKER_CONTEXT)",
            file=str(config_file),
        )
    if current:
        return current, f"currentContext in {config_file}"
    return DEFAULT_CONTEXT, "the default context"


def resolve_context(name: str | None, environ: Mapping[str, str] | None = None) -> ResolvedContext:
    """The context ``name`` (``None``: the current one) with its endpoint; raise if unusable."""
    env = os.environ if environ is None else environ
    if name is None:
        name, source = current_context(env)
    else:
        source = f"the spec docker://{name}"
    if name == DEFAULT_CONTEXT:
        resolved = ResolvedContext(DEFAULT_CONTEXT, _default_endpoint(env), source, "the local engine")
    else:
        resolved = _stored_context(name, source, config_dir(env))
    problem = endpoint_problem(resolved.endpoint.host)
    if problem is not None:
        raise DockerUnavailable(f"{resolved.describe()}: {problem}")
    return resolved


def endpoint_problem(host: str) -> str | None:
    """Why ``host`` cannot be an engine's address (a port out of range, an unsafe ssh address), or ``None``."""
    if host.startswith("ssh://"):
        try:
            parse_ssh_url(host)
        except ValueError as e:
            return str(e)
        return None
    if not host.startswith(("tcp://", "http://", "https://")):
        return None
    try:
        port = urllib.parse.urlsplit(host).port
    except ValueError:
        port = 0
    if port == 0:
        return "not an engine address: the port must be a number from 1 to 65535"
    return None


def list_contexts(environ: Mapping[str, str] | None = None) -> list[ContextInfo]:
    """Every context the docker CLI would list: ``default`` first, then the stored ones by name."""
    env = os.environ if environ is None else environ
    current, _ = current_context(env)
    default = _default_endpoint(env)
    where = "DOCKER_HOST" if env.get("DOCKER_HOST") else "built in"
    found = [ContextInfo(DEFAULT_CONTEXT, default.host, "the local engine", current == DEFAULT_CONTEXT, where)]
    meta_root = config_dir(env) / "contexts" / "meta"
    stored = []
    for meta_file in sorted(meta_root.glob("*/meta.json")):
        data = _read_meta(meta_file, "(listing contexts)")
        context = _context_from_meta(data, meta_file, str(data.get("Name", "?")), "(listing contexts)")
        stored.append(
            ContextInfo(
                context.name, context.endpoint.host, context.description, context.name == current, str(meta_file)
            )
        )
    return found + sorted(stored, key=lambda c: c.name)


def _default_endpoint(env: Mapping[str, str]) -> DockerEndpoint:
    host = env.get("DOCKER_HOST") or LOCAL_SOCKET
    if not env.get("DOCKER_TLS_VERIFY"):
        return DockerEndpoint(host)
    certs = Path(env["DOCKER_CERT_PATH"]) if env.get("DOCKER_CERT_PATH") else config_dir(env)
    return DockerEndpoint(host, _tls_files(certs, verify=True))


def _stored_context(name: str, source: str, config: Path) -> ResolvedContext:
    if not _CONTEXT_NAME.match(name):
        raise DockerUnavailable(f"{name!r} (chosen by {source}) is not a valid Docker context name")
    meta_file = config / "contexts" / "meta" / context_hash(name) / "meta.json"
    if not os.path.lexists(meta_file):
        known = ", ".join(c.name for c in _known(config)) or "none"
        raise DockerUnavailable(
            f"Docker context {name!r} (chosen by {source}) does not exist in {config / 'contexts'}; "
            f"endpoint unknown; known contexts: {known}"
        )
    context = _context_from_meta(_read_meta(meta_file, source), meta_file, name, source)
    tls_dir = config / "contexts" / "tls" / context_hash(name) / "docker"
    return ResolvedContext(context.name, _with_tls(context.endpoint, tls_dir, meta_file), source, context.description)


def _known(config: Path) -> list[ContextInfo]:
    try:
        return list_contexts({"DOCKER_CONFIG": str(config)})[1:]
    except DockerUnavailable:
        return []


def _read_config(config_file: Path) -> dict[str, Any]:
    """The docker CLI's ``config.json``: nothing when there is none, an error when it cannot be read."""
    if not os.path.lexists(config_file):
        return {}
    return _read_json(config_file, "the docker CLI configuration")


def _read_meta(meta_file: Path, source: str) -> dict[str, Any]:
    return _read_json(meta_file, f"a Docker context (chosen by {source})")


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        text = read_text(path).content
    except SourceError as e:
        raise DockerUnavailable(f"cannot read {what}: {e.message}", file=str(path), line=e.line, column=e.column) from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise DockerUnavailable(
            f"{what} is not valid JSON: {e.msg}", file=str(path), line=e.lineno, column=e.colno
        ) from e
    if not isinstance(data, dict):
        raise DockerUnavailable(f"{what} is not a JSON object", file=str(path), line=1)
    return data


def _context_from_meta(data: Mapping[str, Any], meta_file: Path, name: str, source: str) -> ResolvedContext:
    endpoints = data.get("Endpoints")
    docker = endpoints.get("docker") if isinstance(endpoints, dict) else None
    host = docker.get("Host") if isinstance(docker, dict) else None
    if not isinstance(host, str) or not host.startswith(_ENDPOINT_SCHEMES):
        raise DockerUnavailable(
            f"Docker context {name!r} (chosen by {source}) has no usable docker endpoint "
            f"(Endpoints.docker.Host is {host!r})",
            file=str(meta_file),
        )
    skip_verify = bool(docker.get("SkipTLSVerify")) if isinstance(docker, dict) else False
    metadata = data.get("Metadata")
    description = metadata.get("Description", "") if isinstance(metadata, dict) else ""
    tls = TLSFiles(None, None, None, verify=False) if skip_verify else None
    return ResolvedContext(str(data.get("Name", name)), DockerEndpoint(host, tls), source, str(description))


def _with_tls(endpoint: DockerEndpoint, tls_dir: Path, meta_file: Path) -> DockerEndpoint:
    """Attach the stored TLS files; ``SkipTLSVerify`` keeps TLS but drops verification."""
    verify = endpoint.tls is None or endpoint.tls.verify
    has_files = tls_dir.is_dir() and any(os.path.lexists(tls_dir / f) for f in ("ca.pem", "cert.pem", "key.pem"))
    if not has_files and verify:
        return endpoint
    files = _tls_files(tls_dir, verify=verify)
    if (files.cert is None) != (files.key is None):
        raise DockerUnavailable(
            f"Docker context TLS material in {tls_dir} has a certificate without its key (or the reverse)",
            file=str(meta_file),
        )
    return DockerEndpoint(endpoint.host, files)


def _tls_files(folder: Path, *, verify: bool) -> TLSFiles:
    return TLSFiles(_tls_file(folder / "ca.pem"), _tls_file(folder / "cert.pem"), _tls_file(folder / "key.pem"), verify)


def _tls_file(path: Path) -> Path | None:
    """``path`` when it is there and a regular file of sane size, ``None`` when absent; else an error."""
    if not os.path.lexists(path):
        return None
    try:
        check_regular_file(path, str(path), TLS_FILE_BYTES)
    except SourceError as e:
        raise DockerUnavailable(f"cannot use TLS file: {e.message}", file=str(path)) from e
    return path
