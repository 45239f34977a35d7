"""A swarm stack (:class:`~parity_gui.sources.docker.stack.StackSnapshot`) → the canonical tree.

``/services/<name>`` (:mod:`docker_stack`), the stack's own networks under ``/networks/<name>``
(prefix removed, the stack's ``default`` network left out as compose leaves it out), and the
engine's facts under ``/engine``. A stack speaks for its services and networks, except what swarm
does not keep or a compose file cannot say the same way: build settings, ``depends_on``,
``container_name``, ``restart`` (swarm follows ``deploy.restart_policy``), profiles, pull policy,
a network's driver (``overlay`` whether written or not), top-level volumes, secrets and configs
(their content is never read), and the source of a bind mount (``docker stack deploy`` makes it
absolute; the stack file writes it relative to its folder, which the engine does not record).
"""

from __future__ import annotations

from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import PathGlob, escape
from parity_gui.core.tree import Coverage, Environment, TreeBuilder
from parity_gui.sources.docker.stack import STACK_LABEL, STACK_LABELS, StackServiceWriter, StackSnapshot
from parity_gui.sources.docker.tree import EngineSnapshot, write_engine_facts

STACK_COVERAGE = Coverage.of(
    ["/services/**", "/engine/**", "/networks/**"],
    [
        "/services/*/build/**",
        "/services/*/depends_on/**",
        "/services/*/profiles/**",
        "/services/*/pull_policy",
        "/services/*/restart",
        "/services/*/container_name",
        "/services/*/volumes/*/bind/**",
        "/services/*/volumes/*/volume/**",
        "/services/*/develop/**",
        "/services/*/state",
        "/networks/*/driver",
        "/networks/*/name",
        "/networks/*/external",
    ],
)


def build_stack_environment(snapshot: StackSnapshot, name: str, spec: str) -> Environment:
    """The environment of ``spec``: the stack's services, networks and the engine's facts."""
    builder = TreeBuilder()
    write_engine_facts(builder, EngineSnapshot(snapshot.context, snapshot.stack, snapshot.version,
                                               snapshot.info, [], {}))
    by_id = {str(n.get("Id")): str(n.get("Name")) for n in snapshot.networks}
    binds: list[str] = []
    for service in snapshot.services:
        writer = StackServiceWriter(builder, snapshot, service, by_id)
        writer.write()
        binds += [f"/services/{escape(writer.name)}/volumes/{escape(target)}/source" for target in writer.bind_targets]
    _networks(builder, snapshot)
    coverage = STACK_COVERAGE | Coverage((), tuple(PathGlob(b) for b in binds)) if binds else STACK_COVERAGE
    env = builder.into(Environment(name=name, spec=spec, coverage=coverage))
    env.sources = [spec]
    return env


def _networks(builder: TreeBuilder, snapshot: StackSnapshot) -> None:
    prefix = f"{snapshot.stack}_"
    for network in sorted(snapshot.networks, key=lambda n: str(n.get("Name"))):
        labels = network.get("Labels") or {}
        name = str(network.get("Name"))
        if labels.get(STACK_LABEL) != snapshot.stack or name == f"{prefix}default":
            continue
        node: dict[str, Any] = {}
        for flag, key in (("Internal", "internal"), ("Attachable", "attachable"), ("EnableIPv6", "enable_ipv6")):
            if network.get(flag):
                node[key] = True
        own = {k: v for k, v in sorted(labels.items()) if not k.startswith(STACK_LABELS)}
        if own:
            node["labels"] = own
        origin = Origin(context=snapshot.context, object_id=str(network.get("Id")), attribute="Network")
        builder.set(("networks", name.removeprefix(prefix)), node, origin)
