"""The name an object is keyed by, so objects meet across environments.

* A ConfigMap or Secret that kustomize generated carries a content hash after its name
  (``app-config-89g4tffbfk``: a dash and ten characters of kustomize's hash alphabet,
  ``api/hasher``); the key is the name without it.
* An object created from ``metadata.generateName`` (``job-``) is keyed by that prefix without its
  trailing dash; a name that is the prefix plus the five random characters the API server appends
  (``k8s.io/apiserver`` ``names.SimpleNameGenerator``) is keyed the same way.
* A ConfigMap or Secret name ending in a dash and five characters of that random alphabet with at
  least one digit and one letter (``app-config-7h2k9``) is taken to be generated too.

The full name stays beside the key as the raw text of ``name``.
"""

from __future__ import annotations

import re

_KUSTOMIZE_HASH = re.compile(r"^(.+)-[2456789bcdfghkmt]{10}$")
_RANDOM_SUFFIX = re.compile(r"^(.+)-([bcdfghjklmnpqrstvwxz2456789]{5})$")
_GENERATED_KINDS = frozenset({"ConfigMap", "Secret"})


def name_stem(kind: str, name: str, generate_name: str | None = None) -> str:
    """The key of an object of ``kind`` called ``name`` (see the module docstring)."""
    if generate_name and (not name or _is_generated_from(name, generate_name)):
        return generate_name.rstrip("-") or generate_name
    if kind not in _GENERATED_KINDS:
        return name
    hashed = _KUSTOMIZE_HASH.match(name)
    if hashed is not None:
        return hashed.group(1)
    suffixed = _RANDOM_SUFFIX.match(name)
    if suffixed is not None and _mixed(suffixed.group(2)):
        return suffixed.group(1)
    return name


def _is_generated_from(name: str, prefix: str) -> bool:
    return name.startswith(prefix) and len(name) == len(prefix) + 5


def _mixed(suffix: str) -> bool:
    return any(c.isdigit() for c in suffix) and any(c.isalpha() for c in suffix)
