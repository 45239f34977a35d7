"""Whether ``docker://CONTEXT/NAME`` means a swarm stack, and reading it when it does.

On a swarm manager, NAME is the stack whose services carry ``com.docker.stack.namespace=NAME``
(asked with a label filter: the engine sends only that stack's services). When the engine also
runs a compose project NAME, the spec is ambiguous and refused with the two specs that are not
(``docker://CONTEXT/project:NAME``, ``docker://CONTEXT/stack:NAME``). ``stack:NAME`` on an engine
that is not a swarm manager, or that has no such stack, is an error naming the stacks it has.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from parity_gui.errors import NotOnEngine, SourceError
from parity_gui.sources.docker.contexts import ResolvedContext
from parity_gui.sources.docker.services import Inspect
from parity_gui.sources.docker.stack import STACK_LABEL, StackSnapshot

T = TypeVar("T")


class Caller(Protocol):
    """Makes one timed request (see ``engine._Caller``)."""

    context: ResolvedContext

    def __call__(self, what: str, request: Callable[[], T]) -> T: ...


@dataclass(frozen=True)
class StackRead:
    """How to ask one engine: ``get(path, dict or list)``, the caller, the API prefix, the name."""

    get: Callable[[str, type[Any]], Any]
    call: Caller
    api: str
    stack: str
    kind: str | None  #: ``"stack"`` when the spec says so, ``None`` when it does not

    def services(self, stack: str | None) -> list[Inspect]:
        """The services of ``stack`` (every service for ``None``)."""
        path = f"{self.api}/services"
        if stack is not None:
            path += "?filters=" + urllib.parse.quote(json.dumps({"label": [f"{STACK_LABEL}={stack}"]}))
        found: list[Inspect] = self.call("GET /services", lambda: self.get(path, list)) or []
        return found

    def refuse(self, reason: str) -> SourceError:
        return SourceError(f"{self.call.context.describe()}: {reason}")


def read_stack(
    read: StackRead, info: Future[Any], networks: Future[Any], listing: Future[Any]
) -> StackSnapshot | None:
    """The stack ``read.stack``, or ``None`` when the spec means a compose project."""
    answer: Inspect = info.result() or {}
    if not is_manager(answer):
        if read.kind == "stack":
            worker = (answer.get("Swarm") or {}).get("LocalNodeState") == "active"
            why = "a swarm worker; stacks are read from a manager" if worker else "not in swarm mode"
            raise NotOnEngine(f"{read.call.context.describe()}: {why}, so stack {read.stack!r} cannot be read here")
        return None
    services = read.services(read.stack)
    if not services:
        if read.kind == "stack":
            stacks = _stacks(read)
            raise NotOnEngine(f"{read.call.context.describe()}: no stack {read.stack!r} (stacks there: {stacks})")
        return None
    if read.kind is None and listing.result():
        spec = f"docker://{read.call.context.name}"
        raise read.refuse(
            f"both a compose project and a swarm stack are named {read.stack!r}; "
            f"say which: {spec}/project:{read.stack} or {spec}/stack:{read.stack}"
        )
    return StackSnapshot(
        context=read.call.context.name,
        stack=read.stack,
        version={},
        info=answer,
        services=sorted(services, key=lambda s: str((s.get("Spec") or {}).get("Name"))),
        networks=networks.result() or [],
    )


def is_manager(info: Inspect) -> bool:
    """True when ``/info`` says this engine manages a swarm."""
    swarm = info.get("Swarm") or {}
    return bool(swarm.get("ControlAvailable")) and swarm.get("LocalNodeState") == "active"


def _stacks(read: StackRead) -> str:
    names = {str(((s.get("Spec") or {}).get("Labels") or {}).get(STACK_LABEL)) for s in read.services(None)}
    return ", ".join(sorted(names - {"None"})) or "none"
