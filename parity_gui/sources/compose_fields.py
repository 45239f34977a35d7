"""How each key of a compose service becomes its canonical node (besides ports and volumes,
which live in :mod:`compose_mounts`).

Every function here takes the :class:`Reading` of the file and the YAML node of one key and
returns an :class:`Item`. Decisions a user may ask about:

* environment values are text as compose passes them to the container: a YAML number or boolean
  keeps the text written (``PY: 3.10`` → ``"3.10"``, ``DEBUG: true`` → ``"true"``); ``KEY``
  alone (list form) or ``KEY:`` with nothing (mapping form) is None: passed through from the
  host running compose, shown as such.
* ``labels`` and ``sysctls`` in list form without ``=`` get an empty string, as compose does.
* a healthcheck written ``disable: true`` is the same node as ``test: ["NONE"]``.
* sizes are bytes (``512m`` → 536870912), durations seconds (``1m30s`` → 90), ``cpus`` a float.
"""

from __future__ import annotations

from collections.abc import Callable

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Level
from parity_gui.errors import ParityError
from parity_gui.sources.compose_merge import Item, Merge
from parity_gui.sources.compose_reading import Reading, is_null, leaf_merge, source_text
from parity_gui.sources.compose_values import (
    duration_seconds,
    image_problem,
    key_value,
    parse_image,
    shell_words,
    size_bytes,
)
from parity_gui.sources.dotenv import parse_dotenv
from parity_gui.sources.text import read_text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode

Field = Callable[[Reading, YNode], Item | None]

# --- scalars -------------------------------------------------------------------------------


def text(r: Reading, node: YNode) -> Item:
    """A value compose reads as text (``user: 1000`` → ``"1000"``; ``restart: no`` → ``"no"``)."""
    value = r.value(node, "value")
    if value is False:  # a YAML 1.1 ``no`` that reached us as a boolean
        return r.leaf(node, "no")
    return r.leaf(node, r.text(node, "value"))


def boolean(r: Reading, node: YNode) -> Item:
    return r.leaf(node, r.boolean(node, "value"))


def integer(r: Reading, node: YNode) -> Item:
    return r.leaf(node, r.integer(node, "value"))


def cpus(r: Reading, node: YNode) -> Item:
    return r.leaf(node, float(r.number(node, "cpus")))


def size(r: Reading, node: YNode) -> Item:
    """A size in bytes (``512m``, ``1.5g``, ``1gb``, a plain number)."""
    try:
        return r.leaf(node, size_bytes(r.value(node, "size")))
    except ValueError as e:
        r.fail(str(e), node)


def duration(r: Reading, node: YNode) -> Item:
    """A duration in seconds (``1m30s`` → 90, ``500ms`` → 0.5)."""
    try:
        return r.leaf(node, duration_seconds(r.value(node, "duration")))
    except ValueError as e:
        r.fail(str(e), node)


def generic(r: Reading, node: YNode) -> Item:
    return r.generic(node, "value")


# --- image, build, command lines -----------------------------------------------------------


def image(r: Reading, node: YNode) -> Item | None:
    """``image:`` → registry, repository, tag, digest; raw is the reference as written."""
    reference = r.text(node, "image")
    if not reference:
        r.warn("image is empty", node)
        return None
    parsed = parse_image(reference)
    problem = image_problem(parsed)
    if problem:
        r.warn(f"{problem}; docker would refuse this image", node)
    origin = r.at(node)
    raw = source_text(node) if isinstance(node, Scalar) else reference
    item = Item({}, origin, raw, leaf_merge(node))
    item.put("registry", parsed.registry, origin)
    item.put("repository", parsed.repository, origin)
    if parsed.tag is not None:
        item.put("tag", parsed.tag, origin)
    if parsed.digest is not None:
        item.put("digest", parsed.digest, origin)
    return item


_BUILD_FIELDS: dict[str, Field] = {}


def build(r: Reading, node: YNode) -> Item:
    """``build: ./dir`` is ``build: {context: ./dir}``; args and labels as name → value."""
    if isinstance(node, Scalar):
        item = r.branch(node)
        item.value["context"] = r.leaf(node, r.project_path(r.text(node, "build")))
        return item
    item = r.branch(node)
    for key, child in r.items(node, "build"):
        reader = _BUILD_FIELDS.get(key, generic)
        if key == "context":
            item.value[key] = r.leaf(child, r.project_path(r.text(child, "build.context")))
        elif (read := reader(r, child)) is not None:
            item.value[key] = read
    return item


def command_line(r: Reading, node: YNode) -> Item:
    """``command``/``entrypoint``: a list of words; the string form is split like a shell does."""
    if is_null(node):
        return r.leaf(node, None)
    if isinstance(node, Scalar):
        try:
            return r.leaf(node, shell_words(r.text(node, "command")))
        except ValueError as e:
            r.fail(str(e), node)
    words = [r.text(word, "a word of the command") for word in r.sequence(node, "command")]
    return Item(words, r.at(node), None, leaf_merge(node))


# --- name → value mappings -----------------------------------------------------------------


def key_values(r: Reading, node: YNode, bare: str | None, separators: str = "=") -> Item:
    """A mapping or a ``KEY=value`` list as name → text; ``bare`` is the value of ``KEY`` alone."""
    item = r.branch(node)
    if isinstance(node, YMap):
        for key, child in node.items():
            item.value[key] = r.leaf(child, r.optional_text(child, key))
        return item
    for entry in r.entries(node, "list"):
        written = r.text(entry, "entry")
        key, value = key_value(written, separators)
        item.value[key] = r.leaf(entry, bare if value is None else value, written)
    return item


def environment(r: Reading, node: YNode) -> Item:
    return key_values(r, node, None)


def labels(r: Reading, node: YNode) -> Item:
    return key_values(r, node, "")


def extra_hosts(r: Reading, node: YNode) -> Item:
    """``host:ip`` or ``host=ip`` entries, or a mapping → host → address (``[::1]`` → ``::1``)."""
    item = key_values(r, node, "", "=:")
    for entry in item.value.values():
        if isinstance(entry.value, str) and entry.value.startswith("["):
            entry.value = entry.value.strip("[]")
    return item


def set_map(r: Reading, node: YNode) -> Item:
    """A list whose order means nothing (``cap_add``, ``dns``, ``profiles``…) → item → item."""
    if isinstance(node, YMap):
        return r.generic(node, "value")
    item = r.branch(node)
    for entry in r.entries(node, "list"):
        if isinstance(entry, YMap):
            return r.generic(node, "list")
        written = r.text(entry, "entry")
        item.value[written] = r.leaf(entry, written)
    return item


def env_file(r: Reading, node: YNode) -> Item:
    """``env_file:`` entries read as .env files, name → value with each line as origin.

    Kept under its own key until the files are merged; then it fills ``environment`` wherever
    ``environment`` does not set the name. Later files in the list win over earlier ones.
    """
    item = r.branch(node)
    for entry in r.entries(node, "env_file"):
        written, required = _env_file_entry(r, entry)
        path, shown = r.file_path(written)
        if not path.is_file():
            if required:
                r.warn(f"env_file {written} not found ({shown})", entry, Level.ERROR)
            continue
        _read_env_file(r, path, shown, entry, item)
    return item


def _env_file_entry(r: Reading, entry: YNode) -> tuple[str, bool]:
    if not isinstance(entry, YMap):
        return r.text(entry, "env_file"), True
    if is_null(entry.get("path")):
        r.fail("an env_file entry in long syntax needs a 'path'", entry)
    required = r.boolean(entry["required"], "required") if "required" in entry else True
    return r.text(entry["path"], "env_file.path"), required


def _read_env_file(r: Reading, path: object, shown: str, entry: YNode, into: Item) -> None:
    try:
        parsed = parse_dotenv(read_text(path, shown))  # type: ignore[arg-type]
    except ParityError as e:
        r.warn(f"env_file {shown}: {e}", entry, Level.ERROR)
        return
    r.log.read(shown)
    r.log.diagnostics.extend(parsed.diagnostics)
    for found in parsed.entries:
        origin = Origin(shown, found.line, found.column)
        into.value[found.name] = Item(found.value, origin, found.raw, Merge.REPLACE)


# --- structured keys -----------------------------------------------------------------------


def healthcheck(r: Reading, node: YNode) -> Item:
    """``test`` as a list (a string is ``["CMD-SHELL", …]``), durations in seconds."""
    item = r.branch(node)
    disabled: YNode | None = None
    for key, child in r.items(node, "healthcheck"):
        if key == "disable":
            disabled = child
        else:
            item.value[key] = _HEALTHCHECK_FIELDS.get(key, generic)(r, child)
    if disabled is not None and r.boolean(disabled, "healthcheck.disable"):
        item.value["test"] = r.leaf(disabled, ["NONE"])
    return item


def _health_test(r: Reading, node: YNode) -> Item:
    if isinstance(node, Scalar):
        written = r.text(node, "healthcheck.test")
        return r.leaf(node, ["NONE"] if written == "NONE" else ["CMD-SHELL", written])
    words = [r.text(word, "healthcheck.test") for word in r.sequence(node, "healthcheck.test")]
    return Item(words, r.at(node), None, leaf_merge(node))


_HEALTHCHECK_FIELDS: dict[str, Field] = {
    "test": _health_test,
    "interval": duration,
    "timeout": duration,
    "start_period": duration,
    "start_interval": duration,
    "retries": integer,
}


def depends_on(r: Reading, node: YNode) -> Item:
    """The list form is ``{condition: service_started, required: true, restart: false}`` each."""
    item = r.branch(node)
    if isinstance(node, YMap):
        for name, child in node.items():
            item.value[name] = _structured(r, child, _DEPENDENCY_FIELDS, r.key_at(node, name))
        return item
    for entry in r.entries(node, "depends_on"):
        name = r.text(entry, "depends_on entry")
        origin = r.at(entry)
        dependency = item.value[name] = Item({}, origin, name, Merge.MERGE)
        dependency.put("condition", "service_started", origin)
        dependency.put("required", True, origin)
        dependency.put("restart", False, origin)
    return item


_DEPENDENCY_FIELDS: dict[str, Field] = {"condition": text, "required": boolean, "restart": boolean}


def networks(r: Reading, node: YNode) -> Item:
    """``- front`` ≡ ``front: {}`` ≡ ``front: null``; aliases as a set."""
    item = r.branch(node)
    if isinstance(node, YMap):
        for name, child in node.items():
            item.value[name] = _structured(r, child, _NETWORK_FIELDS, r.key_at(node, name))
        return item
    for entry in r.entries(node, "networks"):
        name = r.text(entry, "network")
        item.value[name] = Item({}, r.at(entry), name, Merge.MERGE)
    return item


_NETWORK_FIELDS: dict[str, Field] = {
    "aliases": set_map,
    "link_local_ips": set_map,
    "ipv4_address": text,
    "ipv6_address": text,
    "mac_address": text,
    "priority": integer,
    "gw_priority": integer,
}


def ulimits(r: Reading, node: YNode) -> Item:
    """``nofile: 1024`` ≡ ``nofile: {soft: 1024, hard: 1024}``."""
    item = r.branch(node)
    for name, child in r.items(node, "ulimits"):
        if isinstance(child, Scalar):
            limit = r.integer(child, f"ulimits.{name}")
            entry = item.value[name] = Item({}, r.key_at(node, name), source_text(child), Merge.REPLACE)  # type: ignore[arg-type]
            entry.put("soft", limit, r.at(child))
            entry.put("hard", limit, r.at(child))
        else:
            item.value[name] = _structured(r, child, {"soft": integer, "hard": integer}, r.key_at(node, name))  # type: ignore[arg-type]
    return item


def logging(r: Reading, node: YNode) -> Item:
    return _structured(r, node, {"driver": text, "options": labels})


def deploy(r: Reading, node: YNode) -> Item:
    return _structured(r, node, _DEPLOY_FIELDS)


def _resources(r: Reading, node: YNode) -> Item:
    return _structured(r, node, {"limits": _resource_limits, "reservations": _resource_limits})


def _resource_limits(r: Reading, node: YNode) -> Item:
    return _structured(r, node, {"memory": size, "cpus": cpus, "pids": integer})


def _update_config(r: Reading, node: YNode) -> Item:
    fields: dict[str, Field] = {"delay": duration, "monitor": duration, "parallelism": integer}
    return _structured(r, node, fields)


def _restart_policy(r: Reading, node: YNode) -> Item:
    fields: dict[str, Field] = {"condition": text, "delay": duration, "window": duration,
                                "max_attempts": integer}
    return _structured(r, node, fields)


_DEPLOY_FIELDS: dict[str, Field] = {
    "replicas": integer,
    "resources": _resources,
    "restart_policy": _restart_policy,
    "update_config": _update_config,
    "rollback_config": _update_config,
    "labels": labels,
    "mode": text,
}


def _structured(
    r: Reading, node: YNode, fields: dict[str, Field], origin: Origin | None = None
) -> Item:
    """A mapping whose known keys have their own readers; the rest kept as written."""
    item = r.branch(node, origin)
    if not isinstance(node, YMap):
        if not is_null(node):
            r.fail(f"expected a mapping, not {source_text(node)!r}", node)  # type: ignore[arg-type]
        return item
    for key, child in node.items():
        read = fields.get(key, generic)(r, child)
        if read is not None:
            if read.is_branch:
                read.origin = r.key_at(node, key)
            item.value[key] = read
    return item


_BUILD_FIELDS.update({
    "dockerfile": text,
    "target": text,
    "network": text,
    "dockerfile_inline": text,
    "args": environment,
    "labels": labels,
    "additional_contexts": labels,
    "shm_size": size,
    "cache_from": set_map,
    "cache_to": set_map,
    "tags": set_map,
    "platforms": set_map,
    "extra_hosts": extra_hosts,
    "no_cache": boolean,
    "pull": boolean,
    "privileged": boolean,
})
