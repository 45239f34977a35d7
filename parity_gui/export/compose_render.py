"""Writing canonical values back as compose YAML, for settings a target does not have yet.

The canonical tree is close to compose's long syntax, so most settings are written as they are:
mappings as block mappings, lists whose order matters (``command``) as flow lists. The few that
differ are turned back: an image's parts become one reference (``postgres:14.7``), ports keyed
by ``"80/tcp"`` become ``"8080:80"`` entries, volumes keyed by target become long-syntax entries,
durations in seconds become ``30s``. Values are quoted only when they must be, and a ``$`` is
written ``$$`` so compose does not read it as a variable.
"""

from __future__ import annotations

from typing import Any

from parity_gui.export.yaml_text import double_quoted, flow_list, is_plain_safe, scalar_text, value_text
from parity_gui.sources.yamlfile import resolve_plain

#: Settings compose reads as a duration; the canonical value is seconds.
DURATION_KEYS = frozenset({"interval", "timeout", "start_period", "start_interval", "stop_grace_period",
                           "delay", "window", "monitor"})
#: Mappings of name → text written ``NAME: value``.
KEY_VALUE_KEYS = frozenset({"environment", "labels", "annotations", "sysctls", "args", "options",
                            "extra_hosts", "additional_contexts"})


def image_reference(parts: dict[str, Any]) -> str:
    """``{"registry": "docker.io", "repository": "library/postgres", "tag": "14"}`` → ``postgres:14``."""
    registry, repository = parts.get("registry", "docker.io"), str(parts.get("repository", ""))
    name = repository.removeprefix("library/") if registry in ("docker.io", None) else f"{registry}/{repository}"
    if parts.get("tag"):
        name += f":{parts['tag']}"
    if parts.get("digest"):
        name += f"@{parts['digest']}"
    return name


def port_entry(key: str, bound: str) -> str:
    """``("80/tcp", "127.0.0.1:8080")`` → ``127.0.0.1:8080:80``; a random host port → ``80``."""
    port, _, protocol = key.partition("/")
    suffix = "" if protocol in ("", "tcp") else f"/{protocol}"
    if bound == "(random)":
        return port + suffix
    if bound.endswith(":(random)"):
        return f"{bound.removesuffix('(random)')}:{port}{suffix}".replace("::", ":")
    return f"{bound}:{port}{suffix}"


class Verbatim(str):
    """Text the reference writes with variables (``${POSTGRES_PASSWORD:-shop}``): written as it
    is, so the variables stay variables (a plain value's ``$`` is escaped instead)."""

    __slots__ = ()


def short_volume(target: str, volume: Any) -> str | None:
    """A volume in short syntax (``./data:/var/lib/x:ro``), or None when it needs the long one.

    A bind in short syntax creates its missing host folder (``bind/create_host_path`` true, as
    compose-go reads it), so only such a bind can be written short.
    """
    if not isinstance(volume, dict) or set(volume) - {"type", "source", "read_only", "bind"}:
        return None
    kind, source = volume.get("type"), volume.get("source")
    if ("bind" in volume or kind == "bind") and volume.get("bind") != {"create_host_path": True}:
        return None
    if kind not in ("bind", "volume") or (kind == "bind" and not source):
        return None
    text = f"{source}:{target}" if source else target
    return text + ":ro" if volume.get("read_only") else text


def scalar(value: Any, key: str = "") -> str:
    """One value as a YAML scalar: plain when safe, else double-quoted; ``$`` escaped."""
    if isinstance(value, Verbatim):
        return scalar_text(str(value), None)
    if key in DURATION_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value_text(value)}s"
    if isinstance(value, str):
        return scalar_text(value.replace("$", "$$"), None)
    text = value_text(value)
    return text if text else "null"


def key_text(key: str) -> str:
    if is_plain_safe(key) and isinstance(resolve_plain(key), str):
        return key
    return double_quoted(key)


def block(key: str, value: Any, indent: str, step: str, parent: str = "") -> list[str]:
    """The lines (without line ends) writing ``key: value`` at ``indent``."""
    head = f"{indent}{key_text(key)}:"
    if isinstance(value, dict):
        return _mapping(key, value, indent, step, parent)
    if isinstance(value, list):
        return [f"{head} {flow_list(value)}"]
    if parent in KEY_VALUE_KEYS and value is None:
        return [head]
    return [f"{head} {scalar(value, key)}"]


def _mapping(key: str, value: dict[str, Any], indent: str, step: str, parent: str) -> list[str]:
    head = f"{indent}{key_text(key)}:"
    if key == "image" and parent == "service":
        return [f"{head} {scalar(image_reference(value))}"]
    if key == "ports" and parent == "service":
        return [head, *(f"{indent}{step}- {double_quoted(port_entry(k, b))}" for k, bs in value.items() for b in bs)]
    if key == "volumes" and parent == "service":
        return [head, *(line for target, v in value.items() for line in _volume(target, v, indent + step, step))]
    if not value:
        return [f"{head} {{}}"]
    child = "service" if parent == "services" else key
    return [head, *(line for k, v in value.items() for line in block(k, v, indent + step, step, child))]


def _volume(target: str, value: Any, indent: str, step: str) -> list[str]:
    entry = {"target": target, **value} if isinstance(value, dict) else {"target": target}
    lines = [line for k, v in entry.items() for line in block(k, v, indent + "  ", step, "volume")]
    first = lines[0][len(indent) + 2:]
    return [f"{indent}- {first}", *lines[1:]]


def service_lines(path: tuple[str, ...], value: Any, indent: str, step: str, parent: str) -> list[str]:
    """``path`` (keys still missing under a container) and its value as block lines."""
    if len(path) == 1:
        return block(path[0], value, indent, step, parent)
    child = "service" if parent == "services" else path[0]
    return [f"{indent}{key_text(path[0])}:", *service_lines(path[1:], value, indent + step, step, child)]
