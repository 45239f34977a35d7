"""How each key of a compose service becomes its canonical node: single values, the image,
build settings, command lines and name → value mappings (ports and volumes are in
:mod:`compose_mounts`, settings with sub-keys such as ``healthcheck`` and ``deploy`` in
:mod:`compose_sections`).

Every function here takes the :class:`Reading` of the file and the YAML node of one key and
returns an :class:`Item`. Decisions a user may ask about:

* environment values, labels and build args are text as compose v2 passes them to the
  container: an unquoted YAML number or boolean becomes the text compose-go makes of it (Go's
  ``fmt.Sprint``: ``PY: 3.10`` → ``"3.1"``, ``MODE: 0755`` → ``"493"``, ``N: 1e3`` → ``"1000"``,
  ``V: 1.0`` → ``"1"``, ``DEBUG: True`` → ``"true"``), with a warning at the line whenever that
  text differs from what was written; quoting the value keeps it as written.
* ``KEY`` alone (list form) or ``KEY:`` with nothing (mapping form), in ``environment`` or build
  ``args``, takes its value from the project's ``.env`` as compose does, with the ``.env`` line
  as origin. Set nowhere, it reads :data:`FROM_SHELL`: compose would take it from the shell it
  runs in, which parity never reads.
* ``labels`` and ``sysctls`` in list form without ``=`` get an empty string, as compose does.
* sizes are bytes (``512m`` → 536870912), durations seconds (``1m30s`` → 90), ``cpus`` a float.
"""

from __future__ import annotations

from collections.abc import Callable

from parity_gui.sources.compose.merge import Item
from parity_gui.sources.compose.reading import Reading, is_null, leaf_merge, source_text
from parity_gui.sources.compose.values import (
    duration_seconds,
    go_text,
    image_problem,
    key_value,
    parse_image,
    shell_words,
    size_bytes,
)
from parity_gui.sources.yamlfile import Scalar, YMap, YNode

#: The value of a pass-through variable (``- KEY``) that the project's ``.env`` does not set.
FROM_SHELL = "(from the shell at run time)"

#: Reads the node of one key (``what`` names it in messages: ``services.web.deploy.replicas``).
Field = Callable[[Reading, YNode, str], Item | None]

# --- scalars -------------------------------------------------------------------------------


def text(r: Reading, node: YNode, what: str) -> Item:
    """A value compose reads as text (``user: 1000`` → ``"1000"``; ``restart: no`` → ``"no"``)."""
    value = r.value(node, what)
    if value is False:  # a YAML 1.1 ``no`` that reached us as a boolean
        return r.leaf(node, "no")
    return r.leaf(node, r.text(node, what))


def boolean(r: Reading, node: YNode, what: str) -> Item:
    return r.leaf(node, r.boolean(node, what))


def integer(r: Reading, node: YNode, what: str) -> Item:
    return r.leaf(node, r.integer(node, what))


def cpus(r: Reading, node: YNode, what: str) -> Item:
    return r.leaf(node, float(r.number(node, what)))


def size(r: Reading, node: YNode, what: str) -> Item:
    """A size in bytes (``512m``, ``1.5g``, ``1gb``, a plain number)."""
    try:
        return r.leaf(node, size_bytes(r.value(node, what)))
    except ValueError as e:
        r.fail(f"{what}: {e}", node)


def duration(r: Reading, node: YNode, what: str) -> Item:
    """A duration in seconds (``1m30s`` → 90, ``500ms`` → 0.5)."""
    try:
        return r.leaf(node, duration_seconds(r.value(node, what)))
    except ValueError as e:
        r.fail(f"{what}: {e}", node)


def generic(r: Reading, node: YNode, what: str) -> Item:
    return r.generic(node, what)


# --- image, build, command lines -----------------------------------------------------------


def image(r: Reading, node: YNode, what: str) -> Item | None:
    """``image:`` → registry, repository, tag, digest; raw is the reference as written."""
    reference = r.text(node, what)
    if not reference:
        r.warn(f"{what} is empty", node)
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


def build(r: Reading, node: YNode, what: str) -> Item:
    """``build: ./dir`` is ``build: {context: ./dir}``; args and labels as name → value."""
    item = r.branch(node)
    if isinstance(node, Scalar) and not is_null(node):
        item.value["context"] = r.leaf(node, r.project_path(r.text(node, what)))
        return item
    for key, child in r.items(node, what):
        reader = _BUILD_FIELDS.get(key, generic)
        if key == "context":
            item.value[key] = r.leaf(child, r.project_path(r.text(child, f"{what}.context")))
        elif (read := reader(r, child, f"{what}.{key}")) is not None:
            item.value[key] = read
    return item


def command_line(r: Reading, node: YNode, what: str) -> Item:
    """``command``/``entrypoint``: a list of words; the string form is split like a shell does."""
    if is_null(node):
        return r.leaf(node, None)
    if isinstance(node, Scalar):
        try:
            return r.leaf(node, shell_words(r.text(node, what)))
        except ValueError as e:
            r.fail(f"{what}: {e}", node)
    words = [r.text(word, f"a word of {what}") for word in r.sequence(node, what)]
    return Item(words, r.at(node), None, leaf_merge(node))


# --- name → value mappings -----------------------------------------------------------------


def key_values(r: Reading, node: YNode, what: str, bare: str | None, separators: str = "=") -> Item:
    """A mapping or a ``KEY=value`` list as name → text; ``bare`` is the value of ``KEY`` alone
    in a list, or of ``KEY:`` with nothing in a mapping (None: a pass-through variable)."""
    item = r.branch(node)
    children = item.value
    if isinstance(node, YMap):
        for key, child in node.items():
            text = _plain_text(child)
            if text is not None:
                children[key] = r.leaf(child, text)
            elif is_null(child):
                children[key] = _bare(r, key, child, bare, None)
            else:
                children[key] = r.leaf(child, _mapping_value(r, child, f"{what}.{key}"))
        return item
    for entry in r.entries(node, what):
        written = _plain_text(entry)
        if written is None:
            written = r.text(entry, f"an entry of {what}")
        key, value = key_value(written, separators)
        children[key] = r.leaf(entry, value, written) if value is not None else _bare(r, key, entry, bare, written)
    return item


def _mapping_value(r: Reading, node: YNode, what: str) -> str:
    """A value in a mapping as compose-go's text, warning where that is not what was written."""
    value = r.value(node, what)
    if isinstance(value, str):
        return value
    text = go_text(value)
    raw = source_text(node)  # type: ignore[arg-type]
    if text != raw:
        r.warn(f"{what}: the unquoted {raw} reaches the container as {text!r}, as compose reads "
               f"YAML numbers and booleans; quote it (\"{raw}\") to keep it as written", node)
    return text


def _bare(r: Reading, key: str, node: YNode, bare: str | None, raw: str | None) -> Item:
    """``KEY`` with no value: ``bare`` where given, else the project's ``.env`` value."""
    if bare is not None:
        return r.leaf(node, bare, raw)
    found = passed_through(r, key)
    if found is None:
        return r.leaf(node, FROM_SHELL, raw)
    found.merge = leaf_merge(node)
    return found


def passed_through(r: Reading, name: str) -> Item | None:
    """The project's ``.env`` value of a pass-through variable, with its line; None when the
    ``.env`` does not set it (it is then :data:`FROM_SHELL`)."""
    found = r.defined.get(name)
    if found is None or found.value is None:
        return None
    return Item(found.value, found.origin, found.raw)


def _plain_text(node: YNode) -> str | None:
    """A string scalar with nothing to interpolate, quickly (long environment lists)."""
    if node.__class__ is Scalar:
        value = node.value
        if value.__class__ is str and "$" not in value:
            return value
    return None


def environment(r: Reading, node: YNode, what: str) -> Item:
    return key_values(r, node, what, None)


def labels(r: Reading, node: YNode, what: str) -> Item:
    return key_values(r, node, what, "")


def extra_hosts(r: Reading, node: YNode, what: str) -> Item:
    """``host:ip`` or ``host=ip`` entries, or a mapping → host → address (``[::1]`` → ``::1``)."""
    item = key_values(r, node, what, "", "=:")
    for entry in item.value.values():
        if isinstance(entry.value, str) and entry.value.startswith("["):
            entry.value = entry.value.strip("[]")
    return item


def set_map(r: Reading, node: YNode, what: str) -> Item:
    """A list whose order means nothing (``cap_add``, ``dns``, ``profiles``…) → item → item."""
    entries = r.entries(node, what) if not isinstance(node, YMap) else []
    if isinstance(node, YMap) or any(isinstance(entry, YMap) for entry in entries):
        return r.generic(node, what)
    item = r.branch(node)
    for entry in entries:
        written = r.text(entry, f"an entry of {what}")
        item.value[written] = r.leaf(entry, written)
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
