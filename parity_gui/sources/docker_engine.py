"""Live Docker engines: ``docker://[CONTEXT[/PROJECT]]`` read into an :class:`Environment`.

This is the only module that talks to docker-py; its exceptions (and the raw ``requests`` ones
that escape it) become :class:`~parity_gui.errors.DockerUnavailable` naming the context, its
endpoint and where the choice came from. Only reading endpoints are called: the engine is never
changed.

A load lists containers once (the sparse list), then inspects the containers and their images
in parallel with a bounded pool; a container removed in the meantime is recorded as gone, not an
error. The whole load runs under a wall-clock deadline and a per-request limit
(:mod:`docker_watch`) and can be cancelled. What the answers mean is decided in
:mod:`docker_tree`.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import docker
import docker.constants
import docker.errors
import docker.tls
import docker.transport
import docker.utils
import requests.exceptions
import urllib3.exceptions

from parity_gui.core.tree import Environment
from parity_gui.errors import Cancelled, DockerUnavailable, SourceError
from parity_gui.sources.docker_contexts import ResolvedContext, parse_spec, resolve_context
from parity_gui.sources.docker_tree import PROJECT_LABEL, EngineSnapshot, build_environment
from parity_gui.sources.docker_watch import LoadWatch, Stopped

T = TypeVar("T")

#: The whole load, however many containers.
DEADLINE_SECONDS = 60.0
#: One request, from sending it to the last byte of the answer (and each connect or read).
REQUEST_SECONDS = 4.0
#: Inspections in flight at once.
INSPECT_WORKERS = 32

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
        snapshot = watch.run(lambda: read_engine(context, parsed.project, watch, progress))
    except Stopped as e:
        if e.cancelled:
            raise Cancelled(f"loading {spec} was cancelled") from e
        raise DockerUnavailable(f"{context.describe()}: {e.reason}") from e
    return build_environment(snapshot, name, spec)


def read_engine(
    context: ResolvedContext, project: str | None, watch: LoadWatch, progress: Progress | None
) -> EngineSnapshot:
    """Everything parity reads from one engine, as the engine answered (inspect dicts)."""
    call = _Caller(context, watch)
    client, version = _connect(context, call)
    try:
        info = call("GET /info", client.info)
        listed = call("GET /containers/json", lambda: client.containers(all=True))
        chosen = _in_project(listed, project, context)
        containers, images = _inspect_everything(client, call, chosen, progress)
        networks = call("GET /networks", client.networks)
        volumes = call("GET /volumes", client.volumes).get("Volumes") or []
    finally:
        client.close()
    return EngineSnapshot(
        context=context.name,
        project=project,
        version=version,
        info=info,
        containers=[c for c in containers if c is not None],
        gone=[_name(s) for s, c in zip(chosen, containers, strict=True) if c is None],
        images={image_id: found for image_id, found in images.items() if found is not None},
        networks=networks,
        volumes=volumes,
    )


def _connect(context: ResolvedContext, call: _Caller) -> tuple[docker.APIClient, dict[str, Any]]:
    """A client speaking the newest API version both sides know, and the engine's version."""
    probe = call("connect", lambda: _client(context, docker.constants.MINIMUM_DOCKER_API_VERSION))
    try:
        answer: dict[str, Any] = call("GET /version", lambda: probe.version(api_version=False))
    finally:
        probe.close()
    server = str(answer.get("ApiVersion") or docker.constants.MINIMUM_DOCKER_API_VERSION)
    newest = docker.constants.DEFAULT_DOCKER_API_VERSION
    chosen = server if docker.utils.version_lt(server, newest) else newest
    return call("connect", lambda: _client(context, chosen)), answer


def _client(context: ResolvedContext, version: str) -> docker.APIClient:
    """A client for the context's endpoint, trusting only the context's own TLS material.

    ``requests`` would otherwise let ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` replace the
    context's CA, and proxy variables redirect the connection; neither belongs to a context.
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
        version=version,
        timeout=REQUEST_SECONDS,
        tls=tls,
        max_pool_size=INSPECT_WORKERS,
        use_ssh_client=endpoint.host.startswith("ssh://"),
    )
    client.trust_env = False
    if endpoint.host.startswith("unix://"):
        shared = _OnePoolUnixAdapter("http+" + endpoint.host, REQUEST_SECONDS, max_pool_size=INSPECT_WORKERS)
        client.mount("http+docker://", shared)
    return client


class _OnePoolUnixAdapter(docker.transport.UnixHTTPAdapter):  # type: ignore[misc]
    """docker-py's unix socket adapter, with one connection pool for the whole engine.

    docker-py keys its unix pools by the full request URL, so every container inspected gets a
    pool and a connection of its own, and older pools are closed as new ones arrive: 200
    inspections open 200 connections. One pool keeps a few connections open and reuses them.
    """

    def get_connection(self, url: str, proxies: Any = None) -> Any:
        return super().get_connection("http+docker://localhost", proxies)

    def get_json(self, path: str) -> Any:
        """``GET path`` straight through the pool; ``None`` for 404 (the object is gone).

        Inspecting hundreds of containers one request each, requests' own per-request work
        costs more than the engine's answer; this is the same pool and socket without it.
        """
        pool = self.get_connection("")
        response = pool.urlopen("GET", path, retries=False, timeout=self.timeout, headers=_HEADERS)
        if response.status == 404:
            return None
        if response.status != 200:
            text = response.data.decode("utf-8", "replace").strip()
            raise docker.errors.APIError(f"{response.status} {response.reason}", explanation=text)
        return json.loads(response.data)


_HEADERS = {"Host": "docker", "Accept": "application/json"}


def _inspect(client: docker.APIClient, kind: str, object_id: str) -> dict[str, Any] | None:
    """One container or image (``kind``), or ``None`` when it was removed meanwhile."""
    adapter = client.get_adapter(client.base_url)
    if isinstance(adapter, _OnePoolUnixAdapter):
        found: dict[str, Any] | None = adapter.get_json(
            f"/v{client.api_version}/{kind}s/{urllib.parse.quote(object_id)}/json"
        )
        return found
    try:
        if kind == "container":
            return client.inspect_container(object_id)  # type: ignore[no-any-return]
        return client.inspect_image(object_id)  # type: ignore[no-any-return]
    except docker.errors.NotFound:
        return None


def _in_project(listed: list[dict[str, Any]], project: str | None, context: ResolvedContext) -> list[dict[str, Any]]:
    if project is None:
        return listed
    chosen = [c for c in listed if (c.get("Labels") or {}).get(PROJECT_LABEL) == project]
    if not chosen:
        found = {str((c.get("Labels") or {}).get(PROJECT_LABEL)) for c in listed}
        known = ", ".join(sorted(found - {"None"})) or "none"
        raise SourceError(
            f"{context.describe()}: no container of compose project {project!r} (projects there: {known})"
        )
    return chosen


def _inspect_everything(
    client: docker.APIClient,
    call: _Caller,
    listed: list[dict[str, Any]],
    progress: Progress | None,
) -> tuple[list[dict[str, Any] | None], dict[str, dict[str, Any] | None]]:
    image_ids = sorted({str(c["ImageID"]) for c in listed if c.get("ImageID")})
    total = len(listed) + len(image_ids)
    counter = _Counter(total, progress)
    workers = max(1, min(INSPECT_WORKERS, total))
    with ThreadPoolExecutor(workers, "docker-inspect", initializer=call.watch.attach) as pool:
        containers = pool.map(
            lambda c: counter.after(
                call(f"inspect container {_name(c)}", lambda: _inspect(client, "container", c["Id"]))
            ),
            listed,
        )
        images = pool.map(
            lambda i: counter.after(call(f"inspect image {i[:19]}", lambda: _inspect(client, "image", i))),
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
    if isinstance(error, requests.exceptions.ReadTimeout | urllib3.exceptions.ReadTimeoutError):
        return f"no answer within {REQUEST_SECONDS:g}s"
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return f"could not connect within {REQUEST_SECONDS:g}s"
    return f"cannot reach the engine: {_innermost(error)}"


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
