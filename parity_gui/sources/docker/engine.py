"""Live Docker engines: ``docker://[CONTEXT[/PROJECT]]`` read into an :class:`Environment`.

This is the only module that talks to docker-py; its exceptions (and the raw ``requests`` ones
that escape it, and those of :mod:`docker_socket`) become
:class:`~parity_gui.errors.DockerUnavailable` naming the context, its endpoint and where the
choice came from. Only reading endpoints are called (``GET``): the engine is never changed.
docker-py carries requests to TLS endpoints; a unix socket or a plain TCP port is read
directly (:mod:`docker_socket`), which costs a fraction of the processor time per request, and
an SSH endpoint the same way through ``ssh … docker system dial-stdio`` (:mod:`docker_ssh`).

A load lists containers once (the sparse list), then inspects the containers and their images in
parallel with a bounded pool; a container removed in the meantime is recorded as gone, not an
error. A list of more than :data:`MAX_CONTAINERS` is refused before any is inspected. The whole
load runs under a wall-clock deadline and a per-request limit (:mod:`docker_watch`), the bytes
it reads under a cap per answer and per load
(:class:`~parity_gui.sources.docker.socket.Allowance`: bytes, and JSON values, whose count
bounds the memory parsing takes), and it can be cancelled. Answers are checked: each must be
JSON of the kind the API documents (an object or an array), and what parity takes from them may
nest at most 64 levels; an answer of any other shape is an error naming the engine, never an
internal error. What the answers mean is decided in :mod:`docker_tree`.
"""

from __future__ import annotations

import json
import os
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, Protocol, TypeVar

import docker
import docker.constants
import docker.errors
import docker.tls
import docker.utils
import requests.exceptions
import urllib3.exceptions

from parity_gui.core.tree import Environment
from parity_gui.errors import Cancelled, DockerUnavailable, NotOnEngine, SourceError
from parity_gui.sources.docker.contexts import ResolvedContext, parse_spec, resolve_context
from parity_gui.sources.docker.services import Inspect
from parity_gui.sources.docker.socket import (
    PIECE_BYTES,
    Allowance,
    AnswerTooLarge,
    BrokenAnswer,
    Connection,
    EngineConnections,
    UnixSocket,
    tcp_socket,
)
from parity_gui.sources.docker.ssh import SSHConnection, SSHFailed, parse_ssh_url
from parity_gui.sources.docker.stack import StackSnapshot
from parity_gui.sources.docker.stack_read import StackRead, is_manager, read_stack
from parity_gui.sources.docker.stack_tree import build_stack_environment
from parity_gui.sources.docker.tree import PROJECT_LABEL, EngineSnapshot, build_environment
from parity_gui.sources.docker.watch import LoadWatch, Stopped
from parity_gui.sources.nesting import MAX_DEPTH

T = TypeVar("T")

#: The whole load, however many containers.
DEADLINE_SECONDS = 60.0
#: One request, from sending it to the last byte of the answer (and each connect or read).
REQUEST_SECONDS = 4.0
#: Inspections in flight at once.
INSPECT_WORKERS = 32
#: Connections to an engine reached over SSH open at once: each is an ssh process and a
#: handshake (half a second on a busy machine), while requests on an open one take milliseconds.
SSH_CONNECTIONS = 2
#: Containers one load reads (``PARITY_DOCKER_MAX_CONTAINERS`` raises it): each is inspected, so
#: a list longer than this is refused as soon as it arrives rather than read for a minute.
MAX_CONTAINERS = 20_000

#: Called with (done, total) as containers and images are inspected.
Progress = Callable[[int, int], None]


def load_docker(
    spec: str,
    name: str,
    *,
    deadline: float = DEADLINE_SECONDS,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
) -> Environment:
    """Read the engine ``spec`` names (one compose project when it names one)."""
    parsed = parse_spec(spec)
    context = resolve_context(parsed.context)
    watch = LoadWatch(deadline, REQUEST_SECONDS, cancel)
    try:
        snapshot = watch.run(lambda: read_engine(context, parsed.project, watch, progress, parsed.kind))
        if isinstance(snapshot, StackSnapshot):
            environment = build_stack_environment(snapshot, name, spec)
        else:
            environment = build_environment(snapshot, name, spec)
    except Stopped as e:
        if e.cancelled:
            raise Cancelled(f"loading {spec} was cancelled") from e
        raise DockerUnavailable(f"{context.describe()}: {e.reason}") from e
    except _SHAPE_ERRORS as e:
        raise DockerUnavailable(
            f"{context.describe()}: the engine's answers are not shaped as the Docker API documents "
            f"({type(e).__name__}: {_first_line(str(e))})"
        ) from e
    if _deeper_than(environment.tree, MAX_DEPTH):
        raise DockerUnavailable(
            f"{context.describe()}: the engine's answers nest deeper than {MAX_DEPTH} levels; "
            "parity reads at most that many"
        )
    return environment


#: What reading an answer of an unexpected shape (a string where an object belongs) raises.
_SHAPE_ERRORS = (AttributeError, TypeError, KeyError, IndexError, ValueError, RecursionError)


def _first_line(text: str) -> str:
    return (text.splitlines() or [""])[0][:200]


def read_engine(
    context: ResolvedContext,
    project: str | None,
    watch: LoadWatch,
    progress: Progress | None,
    kind: str | None = None,
) -> EngineSnapshot | StackSnapshot:
    """Everything parity reads from one engine, as the engine answered (inspect dicts).

    Requests that do not wait on each other are in flight together: the container list goes out
    with ``/version``, and the engine facts, networks and volumes are read while the containers
    are inspected. When a request fails, the load ends without waiting for the others: the
    watch closes their sockets.
    """
    call = _Caller(context, watch)
    allowance = Allowance.from_environment()
    engine = call("connect", lambda: _open(context, allowance))
    side = ThreadPoolExecutor(4, "docker-read", initializer=watch.attach)
    try:
        return _read(engine, call, side, project, progress, kind=kind)
    finally:
        side.shutdown(wait=False, cancel_futures=True)
        engine.close()


def _read(
    engine: _Engine,
    call: _Caller,
    side: ThreadPoolExecutor,
    project: str | None,
    progress: Progress | None,
    *,
    kind: str | None = None,
) -> EngineSnapshot | StackSnapshot:
    version, listing = call("GET /version", lambda: _version_and_list(engine, call, side, project))
    api = f"/v{_api_version(version)}"
    info = side.submit(call, "GET /info", lambda: _get(engine, f"{api}/info", dict))
    networks = side.submit(call, "GET /networks", lambda: _get(engine, f"{api}/networks", list))
    volumes = side.submit(call, "GET /volumes", lambda: _get(engine, f"{api}/volumes", dict))
    if project is not None and kind != "project":
        stack = read_stack(StackRead(partial(_get, engine), call, api, project, kind), info, networks, listing)
        if stack is not None:
            stack.version = version
            return stack
    listed = listing.result() or []
    _check_count(listed, call.context)
    what = "compose project or swarm stack" if project and kind is None and is_manager(info.result() or {}) else None
    chosen = _in_project(listed, project, engine, call, what or "compose project")
    containers, images = _inspect_everything(engine, api, call, chosen, progress)
    return EngineSnapshot(
        context=call.context.name,
        project=project,
        version=version,
        info=info.result() or {},
        containers=[c for c in containers if c is not None],
        gone=[_name(s) for s, c in zip(chosen, containers, strict=True) if c is None],
        images={image_id: found for image_id, found in images.items() if found is not None},
        networks=networks.result() or [],
        volumes=(volumes.result() or {}).get("Volumes") or [],
    )


def _check_count(listed: list[Inspect], context: ResolvedContext) -> None:
    """Refuse a list of more containers than one load reads (:data:`MAX_CONTAINERS`)."""
    most = max_containers()
    if len(listed) > most:
        raise SourceError(
            f"{context.describe()}: the engine lists {len(listed):,} containers, more than the {most:,} "
            "one load reads; name one compose project (docker://CONTEXT/PROJECT) or set "
            "PARITY_DOCKER_MAX_CONTAINERS"
        )


def max_containers() -> int:
    """:data:`MAX_CONTAINERS`, or ``PARITY_DOCKER_MAX_CONTAINERS`` when that is a positive whole number."""
    setting = os.environ.get("PARITY_DOCKER_MAX_CONTAINERS", "").strip()
    if setting.isascii() and setting.isdigit() and 0 < len(setting) < 10 and int(setting) > 0:
        return int(setting)
    return MAX_CONTAINERS


def _version_and_list(
    engine: _Engine, call: _Caller, side: ThreadPoolExecutor, project: str | None
) -> tuple[Inspect, Future[Any]]:
    """The engine's ``/version``, with the list of containers (of ``project``) asked alongside it.

    The list is asked without an API version, so that it need not wait for the answer: parity
    reads only ids, names, labels and image ids from it, which every API version spells alike.
    It is sent once the version request is under way, so that an engine answering nothing is
    reported by the first request it left unanswered.
    """
    listing = side.submit(call, "GET /containers/json", lambda: _get(engine, _list_path(project), list))
    answer: Inspect = _get(engine, "/version", dict) or {}
    return answer, listing


def _get(engine: _Engine, path: str, kind: type[dict[str, Any]] | type[list[Any]]) -> Any:
    """``GET path``, whose answer must be a JSON object (``dict``) or array (``list``), or 404."""
    answer = engine.get_json(path)
    if answer is not None and not isinstance(answer, kind):
        wanted = "an object" if kind is dict else "an array"
        raise BrokenAnswer(f"{path.partition('?')[0]} answered {_json_kind(answer)}, not {wanted}")
    return answer


def _json_kind(value: Any) -> str:
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number"}
    return "null" if value is None else kinds.get(type(value), "a number")


_LIST = "/containers/json?all=1"


def _list_path(project: str | None) -> str:
    """All containers, or (filtered by the engine) those of one compose project.

    The engine's work per listed container outweighs the filtering by far, so a project on an
    engine shared with others lists only its own.
    """
    if project is None:
        return _LIST
    return f"{_LIST}&filters={urllib.parse.quote(json.dumps({'label': [f'{PROJECT_LABEL}={project}']}))}"


_API_VERSION = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}")


def _api_version(answer: Inspect) -> str:
    """The newest API version both the engine (its ``/version`` ``answer``) and docker-py know."""
    server = str(answer.get("ApiVersion") or docker.constants.MINIMUM_DOCKER_API_VERSION)
    if not _API_VERSION.fullmatch(server):  # it becomes part of every request's path
        raise ValueError(f"ApiVersion {server[:20]!r} is not a version number")
    newest = docker.constants.DEFAULT_DOCKER_API_VERSION
    return server if docker.utils.version_lt(server, newest) else newest


class _Engine(Protocol):
    """Reading requests to one engine: ``GET path`` → the JSON answer, ``None`` for 404."""

    #: How many requests may be in flight at once.
    parallel: int

    def get_json(self, path: str) -> Any: ...

    def close(self) -> None: ...


def _open(context: ResolvedContext, allowance: Allowance) -> _Engine:
    """The way to the context's engine: its unix socket or plain TCP port directly, ``ssh``
    running ``docker system dial-stdio`` for SSH, TLS (and a TCP address with a base path) by
    docker-py."""
    host = context.endpoint.host
    if host.startswith("unix://"):
        path = docker.utils.parse_host(host).removeprefix("http+unix://")
        socket_path = path if path.startswith("/") else f"/{path}"
        return _StreamEngine(
            UnixSocket(socket_path, timeout=REQUEST_SECONDS, keep=INSPECT_WORKERS, allowance=allowance),
            INSPECT_WORKERS,
            allowance,
        )
    if host.startswith(("tcp://", "http://")) and context.endpoint.tls is None:
        url = urllib.parse.urlsplit(docker.utils.parse_host(host))
        if url.hostname and url.port and url.path in ("", "/"):
            address = (url.hostname, url.port)
            connections = EngineConnections(
                lambda: Connection(tcp_socket(address, REQUEST_SECONDS), allowance), keep=INSPECT_WORKERS
            )
            return _StreamEngine(connections, INSPECT_WORKERS, allowance)
    if host.startswith("ssh://"):
        destination = parse_ssh_url(host)
        connections = EngineConnections(
            lambda: SSHConnection(destination, REQUEST_SECONDS, allowance), keep=SSH_CONNECTIONS, most=SSH_CONNECTIONS
        )
        return _StreamEngine(connections, SSH_CONNECTIONS, allowance)
    return _ClientEngine(_client(context), allowance)


class _ClientEngine:
    """GET requests through a docker-py client (TLS), read under the byte ``allowance``."""

    parallel = INSPECT_WORKERS

    def __init__(self, client: docker.APIClient, allowance: Allowance) -> None:
        self.client = client
        self.allowance = allowance

    def get_json(self, path: str) -> Any:
        response = self.client.get(self.client.base_url + path, timeout=REQUEST_SECONDS, stream=True)
        try:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit():
                self.allowance.take(0, int(declared[:16]))
            body = bytearray()
            for piece in response.iter_content(PIECE_BYTES):
                self.allowance.take(len(piece), len(body))
                body += piece
        finally:
            response.close()
        return _answer(response.status_code, response.reason or "", bytes(body), self.allowance)

    def close(self) -> None:
        self.client.close()


class _StreamEngine:
    """GET requests read by parity itself (:mod:`docker_socket`): on a unix socket, plain TCP or ssh.

    Inspecting hundreds of containers one request each, an HTTP library's own work per request
    (requests, urllib3, http.client's e-mail header parser) costs more processor time than the
    engine's answer, on the same cores the engine needs; reading dockerd's answers directly
    costs a fraction of it.
    """

    def __init__(self, connections: EngineConnections, parallel: int, allowance: Allowance) -> None:
        self.connections = connections
        self.parallel = parallel
        self.allowance = allowance

    def get_json(self, path: str) -> Any:
        return _answer(*self.connections.get(path), self.allowance)

    def close(self) -> None:
        self.connections.close()


def _client(context: ResolvedContext) -> docker.APIClient:
    """A client for the context's endpoint, trusting only the context's own TLS material.

    ``requests`` would otherwise let ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` replace the
    context's CA, and proxy variables redirect the connection; neither belongs to a context.
    The client asks nothing by itself: parity names the API version in each path.
    """
    endpoint = context.endpoint
    tls: docker.tls.TLSConfig | bool = False
    if endpoint.tls is not None:
        files = endpoint.tls
        client_cert = (str(files.cert), str(files.key)) if files.cert and files.key else None
        tls = docker.tls.TLSConfig(
            client_cert=client_cert,
            ca_cert=str(files.ca) if files.ca else None,
            verify=files.verify,
        )
    client = docker.APIClient(
        base_url=endpoint.host,
        version=docker.constants.DEFAULT_DOCKER_API_VERSION,
        timeout=REQUEST_SECONDS,
        tls=tls,
        max_pool_size=INSPECT_WORKERS,
    )
    client.trust_env = False
    return client


def _answer(status: int, reason: str, body: bytes, allowance: Allowance) -> Any:
    """The JSON of a 200 answer, ``None`` for 404 (the object is gone); else :class:`APIError`.

    The values it holds are counted against the ``allowance`` before it is parsed."""
    if status == 404:
        return None
    if status != 200:
        raise docker.errors.APIError(f"{status} {reason}", explanation=_message(body))
    allowance.take_values(body)
    try:
        found = json.loads(body)
    except ValueError as e:
        raise BrokenAnswer(f"the answer is not JSON ({e})") from e
    except RecursionError as e:
        raise BrokenAnswer(f"the answer nests deeper than {MAX_DEPTH} levels") from e
    if found is None:  # ``None`` means 404 to the callers
        raise BrokenAnswer("the answer is null")
    return found


def _deeper_than(tree: Any, most: int) -> bool:
    """True when the maps and lists of ``tree`` nest more than ``most`` levels (level by level,
    without recursion; run on the finished environment, a small fraction of the answers)."""
    level = [tree] if isinstance(tree, dict | list) else []
    for _ in range(most):
        inner = [v for item in level for v in (item.values() if isinstance(item, dict) else item)]
        level = [v for v in inner if isinstance(v, dict | list)]
        if not level:
            return False
    return True


def _message(body: bytes) -> str:
    """What an engine's error answer says (its ``message``, or the text as it came)."""
    text = body.decode("utf-8", "replace").strip()
    try:
        found = json.loads(text)
    except ValueError:
        return text[:200]
    return str(found.get("message") or text)[:200] if isinstance(found, dict) else text[:200]


def _inspect(engine: _Engine, api: str, kind: str, object_id: str) -> Inspect | None:
    """One container or image (``kind``), or ``None`` when it was removed meanwhile."""
    found: Inspect | None = engine.get_json(f"{api}/{kind}s/{urllib.parse.quote(object_id)}/json")
    return found


def _in_project(
    listed: list[Inspect], project: str | None, engine: _Engine, call: _Caller, what: str = "compose project"
) -> list[Inspect]:
    """The listed containers of ``project`` (all of them without one).

    No container of the project is an error naming the projects the engine does have, which
    takes a second, unfiltered list.
    """
    if project is None:
        return listed
    chosen = [c for c in listed if (c.get("Labels") or {}).get(PROJECT_LABEL) == project]
    if not chosen:
        everything: list[Inspect] = call("GET /containers/json", lambda: engine.get_json(_LIST)) or []
        found = {str((c.get("Labels") or {}).get(PROJECT_LABEL)) for c in everything}
        known = ", ".join(sorted(found - {"None"})) or "none"
        raise NotOnEngine(
            f"{call.context.describe()}: no container of {what} {project!r} (projects there: {known})"
        )
    return chosen


def _inspect_everything(
    engine: _Engine,
    api: str,
    call: _Caller,
    listed: list[dict[str, Any]],
    progress: Progress | None,
) -> tuple[list[dict[str, Any] | None], dict[str, dict[str, Any] | None]]:
    image_ids = sorted({str(c["ImageID"]) for c in listed if c.get("ImageID")})
    total = len(listed) + len(image_ids)
    counter = _Counter(total, progress)
    workers = max(1, min(engine.parallel, total))
    with ThreadPoolExecutor(workers, "docker-inspect", initializer=call.watch.attach) as pool:
        containers = pool.map(
            lambda c: counter.after(
                call(f"inspect container {_name(c)}", lambda: _inspect(engine, api, "container", c["Id"]))
            ),
            listed,
        )
        images = pool.map(
            lambda i: counter.after(call(f"inspect image {i[:19]}", lambda: _inspect(engine, api, "image", i))),
            image_ids,
        )
        return list(containers), dict(zip(image_ids, images, strict=True))


class _Counter:
    """Reports progress as inspections finish (from any worker thread)."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress
        self.lock = threading.Lock()

    def after(self, result: T) -> T:
        with self.lock:
            self.done += 1
            done = self.done
        if self.progress is not None:
            self.progress(done, self.total)
        return result


class _Caller:
    """Makes one timed request and turns its failure into a :class:`DockerUnavailable`."""

    def __init__(self, context: ResolvedContext, watch: LoadWatch) -> None:
        self.context = context
        self.watch = watch

    def __call__(self, what: str, request: Callable[[], T]) -> T:
        with self.watch.request(what):
            try:
                return request()
            except docker.errors.APIError as e:
                raise self.failure(f"{what} failed: {e.explanation or e}") from e
            except _TRANSPORT_ERRORS as e:
                raise self.failure(_reason(e)) from e

    def failure(self, reason: str) -> DockerUnavailable:
        return DockerUnavailable(f"{self.context.describe()}: {reason}")


_TRANSPORT_ERRORS = (
    docker.errors.DockerException,
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    OSError,
)


def _reason(error: BaseException) -> str:
    """One line on why a request failed, from the innermost cause that says something."""
    if isinstance(error, requests.exceptions.SSLError):
        return f"TLS handshake failed: {_innermost(error)}"
    if isinstance(error, requests.exceptions.ReadTimeout | urllib3.exceptions.ReadTimeoutError | TimeoutError):
        return f"no answer within {REQUEST_SECONDS:g}s"
    if isinstance(error, SSHFailed | BrokenAnswer):
        return _stream_failure(error)
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return f"could not connect within {REQUEST_SECONDS:g}s"
    return f"cannot reach the engine: {_innermost(error)}"


def _stream_failure(error: SSHFailed | BrokenAnswer) -> str:
    if isinstance(error, SSHFailed):
        return f"cannot reach the engine over ssh: {error}"
    if isinstance(error, AnswerTooLarge):
        return f"the engine's answer is too large: {error}"
    return f"the engine's answer could not be read: {error}"


def _innermost(error: BaseException) -> str:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__ or _wrapped(current.args)
    for candidate in reversed(seen):
        if isinstance(candidate, OSError) and candidate.strerror:
            return candidate.strerror
    text = str(seen[-1]) or type(seen[-1]).__name__
    return text.splitlines()[0][:200]


def _wrapped(args: Iterable[Any]) -> BaseException | None:
    return next((a for a in args if isinstance(a, BaseException)), None)


def _name(listed: dict[str, Any]) -> str:
    names = listed.get("Names") or [listed.get("Id", "?")[:12]]
    return str(names[0]).lstrip("/")
