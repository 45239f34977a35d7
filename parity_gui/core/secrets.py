"""Which values are secrets, and how they are shown: the one masking module of parity.

The GUI, the command line, every report, the clipboard, logs and error messages show values
through :func:`mask_value` and :func:`mask_text`. The comparison itself always runs on the real
values; only what is shown is masked.

A value is secret when

* its key looks secret: one of its words (split on ``_``, ``-``, ``.`` and case changes) is a
  secret word (``POSTGRES_PASSWORD``, ``api-key``, ``AWS_SECRET_ACCESS_KEY``, ``githubToken``,
  ``SENTRY_DSN``, ``DATABASE_CONNECTION_STRING``), unless its last word says it only points at
  or describes one (``PASSWORD_FILE``, ``TOKEN_PATH``, ``AWS_ACCESS_KEY_ID``, ``AUTH_ENABLED``);
* it is a value of a Kubernetes Secret (``/kubernetes/Secret/<name>/data/<key>``), or a service
  variable of the same tree holding one (a ``secretKeyRef`` resolved);
* it is a Terraform variable declared ``sensitive = true`` (known to a :class:`Masking` built
  from the compared trees), or the same text as such a variable or a secret-keyed value;
* its text is a secret whatever the key: a known token format or a high-entropy string
  (:mod:`parity_gui.core.secret_text`).

Other text is shown with the credentials inside it hidden: URL passwords, ``Authorization:``
headers, ``--password=`` flags, ``NAME=value`` pairs with a secret name, tokens.

A masked secret shows as ``•••••• [3fa2c1d9]``: the tag is a keyed hash of the value whose key
is drawn at random for each report (:meth:`Masking.for_report`) and thrown away with it, so equal secrets
carry equal tags within one report — the reader can tell that two environments agree — and no
tag can be matched against a guess, in this report or across reports. :func:`secret_status`
words it: ``(secret changed)`` or ``(secret, unchanged)``. Output that shows secrets in clear
does so only on explicit request, and starts with :data:`REVEALED_NOTICE`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets as random_source
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from parity_gui.core.pointer import Path
from parity_gui.core.secret_text import MASK, hide_in_text, looks_secret
from parity_gui.core.tree import Environment

__all__ = [
    "MASK",
    "REVEALED_NOTICE",
    "Masking",
    "fingerprint",
    "is_secret_key",
    "is_secret_path",
    "mask_text",
    "mask_value",
    "new_report",
    "secret_status",
]

#: The first line of any output that shows secrets in clear.
REVEALED_NOTICE = "WARNING: secrets are shown in clear in this output, as requested"

_SECRET_WORDS = frozenset(
    {
        "password", "passwd", "pwd", "pass", "passphrase", "secret", "secrets", "token", "tokens",
        "apikey", "key", "keys", "credential", "credentials", "creds", "auth", "authorization",
        "private", "cert", "signature", "salt", "dsn", "cookie", "sessionid", "otp", "pin",
    }
)
#: Found anywhere in the key's letters (``PGPASSWORD``, ``MYSQL_ROOTPASSWORD``, ``apikey``).
_SECRET_JOINED = ("password", "passwd", "passphrase", "secret", "apikey", "privatekey", "accesskey",
                  "connectionstring", "connstr")
#: A last word that makes the key name something about a secret rather than the secret.
_NOT_SECRET_WORDS = frozenset(
    {
        "public", "id", "ids", "file", "files", "path", "paths", "dir", "name", "names", "user",
        "username", "enabled", "disabled", "enable", "required", "type", "types", "length", "len",
        "min", "max", "header", "algorithm", "alg", "expiry", "expires", "ttl", "timeout", "mode",
        "version", "policy", "rotation", "format", "size", "prefix", "location", "arn", "ref",
    }
)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")

#: Subtrees whose leaves are named by user-chosen keys that may be secret.
_KEYED_SUBTREES = frozenset({"environment", "variables", "args", "labels", "build_args", "inputs", "locals"})
#: A secret shorter than this is not searched for inside other values (see _distinctive).
_MIN_KNOWN_LENGTH = 8


@functools.lru_cache(maxsize=65536)
def is_secret_key(key: str) -> bool:
    """Whether a key name looks like it holds a secret (see the module docstring)."""
    words = [w.lower() for w in _WORD.findall(key)]
    if not words or words[-1] in _NOT_SECRET_WORDS:
        return False
    joined = "".join(words)
    return any(j in joined for j in _SECRET_JOINED) or any(w in _SECRET_WORDS for w in words)


@dataclass(frozen=True)
class Masking:
    """What one report treats as secret beyond key names and token formats: the paths of
    Terraform variables declared sensitive, and the secret values themselves, so that the same
    text is hidden wherever else it appears (a module input fed from the variable, a command)."""

    sensitive: frozenset[Path] = frozenset()
    known: frozenset[str] = frozenset()
    key: bytes = field(default_factory=lambda: random_source.token_bytes(32), repr=False, compare=False)

    @classmethod
    def of(cls, sources: Iterable[Mapping[str, Any] | Environment]) -> Masking:
        """The masking for a comparison of ``sources`` (environments, or their canonical trees),
        with a fresh key for its tags. An environment whose secrets were found when it was loaded
        (:attr:`Environment.secrets`) is not scanned again: on a big tree that scan is seconds."""
        sources = list(sources)
        trees = [s.tree if isinstance(s, Environment) else s for s in sources]
        declared = cls(frozenset(p for tree in trees for p in _sensitive_declarations(tree)))
        known: set[str] = set()
        for source, tree in zip(sources, trees, strict=True):
            found = source.secrets if isinstance(source, Environment) else None
            if found is None:
                _collect_secrets(tree, (), declared, known)
            else:
                known |= found
        return cls(declared.sensitive, frozenset(known))

    @classmethod
    def for_report(cls, report: object, trees: Iterable[Mapping[str, Any] | Environment]) -> Masking:
        """The masking of one report (a comparison): the same each time it is asked for while
        ``report`` lives, so the screen, the saved file and the clipboard show the same tags;
        forgotten, key and all, when ``report`` is."""
        found = _by_report.get(id(report))
        if found is not None:
            return found
        masking = cls.of(trees)
        try:
            weakref.finalize(report, _by_report.pop, id(report), None)
        except TypeError:  # an object that cannot be watched gets a masking of its own
            return masking
        _by_report[id(report)] = masking
        return masking

    def tag(self, value: Any) -> str:
        """This report's tag for ``value``: equal values, equal tags; nothing else can be learnt."""
        return hmac.new(self.key, repr(value).encode(), hashlib.sha256).hexdigest()[:8]

    def covers(self, path: Path) -> bool:
        return bool(self.sensitive) and any(path[:n] in self.sensitive for n in range(2, len(path) + 1))

    def hide_known(self, text: str) -> str:
        for secret in sorted((s for s in self.known if s in text), key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text


NO_MASKING = Masking()
_by_report: dict[int, Masking] = {}


def _sensitive_declarations(tree: Mapping[str, Any]) -> Iterable[Path]:
    yield from _kubernetes_secret_uses(tree)
    infrastructure = tree.get("infrastructure")
    if not isinstance(infrastructure, Mapping):
        return
    for address, node in infrastructure.items():
        if isinstance(node, Mapping) and node.get("sensitive") is True:
            yield ("infrastructure", address)


def _kubernetes_secret_uses(tree: Mapping[str, Any]) -> Iterable[Path]:
    """Service variables holding a value of one of the tree's Kubernetes Secrets (a
    ``secretKeyRef`` resolved), however short or plain that value is."""
    objects = tree.get("kubernetes")
    found = objects.get("Secret") if isinstance(objects, Mapping) else None
    if not isinstance(found, Mapping):
        return
    values = {v for secret in found.values() if isinstance(secret, Mapping)
              for v in (secret.get("data") or {}).values() if isinstance(v, str) and v}
    services = tree.get("services")
    for name, service in (services.items() if values and isinstance(services, Mapping) else ()):
        environment = service.get("environment") if isinstance(service, Mapping) else None
        for key, value in (environment.items() if isinstance(environment, Mapping) else ()):
            if isinstance(value, str) and value in values:
                yield ("services", name, "environment", key)


def _collect_secrets(node: Any, path: Path, masking: Masking, known: set[str]) -> None:
    if isinstance(node, dict):
        for key, child in node.items():
            _collect_secrets(child, (*path, key), masking, known)
    elif (  # cheapest tests first: this runs once per value of both trees
        isinstance(node, str)
        and len(node) >= _MIN_KNOWN_LENGTH
        and (is_secret_path(path, masking) or looks_secret(node))
        and _distinctive(node)
    ):
        known.add(node)


def secrets_in(tree: Mapping[str, Any]) -> frozenset[str]:
    """The distinctive secret values of one tree, for :attr:`Environment.secrets`: worked out
    where the environment is loaded (in its parsing worker), so a comparison only unites them."""
    declared = Masking(frozenset(_sensitive_declarations(tree)))
    known: set[str] = set()
    _collect_secrets(tree, (), declared, known)
    return frozenset(known)


def _distinctive(secret: str) -> bool:
    """Whether a secret is unlike ordinary words enough to be hidden wherever its text appears:
    ``postgres`` as a password must not hide the ``postgres`` image."""
    if len(secret) < _MIN_KNOWN_LENGTH:
        return False
    kinds = (any(c.islower() for c in secret), any(c.isupper() for c in secret),
             any(c.isdigit() for c in secret), any(not c.isalnum() for c in secret))
    return sum(kinds) >= 2


def _in_kubernetes_secret(path: Path) -> bool:
    """Every value of a Kubernetes Secret is secret, whatever its key."""
    return len(path) >= 5 and path[0] == "kubernetes" and path[1] == "Secret" and path[3] == "data"


def is_secret_path(path: Path, masking: Masking = NO_MASKING) -> bool:
    """True when the value at ``path`` is to be masked whatever it holds."""
    if not path:
        return False
    if masking.covers(path) or _in_kubernetes_secret(path):
        return True
    if path[0] == "variables" and len(path) >= 2:
        return is_secret_key(path[1])
    if path[0] == "infrastructure" and len(path) >= 3 and path[1].startswith("variable."):
        return is_secret_key(path[1].removeprefix("variable.")) or is_secret_key(path[-1])
    for i, segment in enumerate(path[:-1]):
        if segment in _KEYED_SUBTREES:
            return is_secret_key(path[i + 1])
    return is_secret_key(path[-1])


# --- tags ---------------------------------------------------------------------------------

_session = [Masking()]


def new_report() -> None:
    """Draw a fresh key for tags made without a report's :class:`Masking` (and forget the old)."""
    _session[0] = Masking()


def fingerprint(value: Any, masking: Masking | None = None) -> str:
    """The tag of ``value``: ``masking``'s, or this session's when there is none."""
    return (masking or _session[0]).tag(value)


def _masked(value: Any, masking: Masking) -> str:
    return f"{MASK} [{fingerprint(value, None if masking is NO_MASKING else masking)}]"


# --- showing values -----------------------------------------------------------------------


def mask_value(path: Path, value: Any, masking: Masking = NO_MASKING) -> Any:
    """The value to show for ``path``: a tagged mask when secret, else with credentials hidden."""
    if value is None or isinstance(value, bool | int | float):
        return _masked(value, masking) if value is not None and is_secret_path(path, masking) else value
    if isinstance(value, Mapping):
        return {k: mask_value((*path, k), v, masking) for k, v in value.items()}
    if is_secret_path(path, masking):
        return _masked(value, masking) if value != "" else value
    if isinstance(value, str):
        return _masked(value, masking) if looks_secret(value) else mask_text(value, masking)
    if isinstance(value, list | tuple):
        return [mask_value(path, v, masking) for v in value]
    return value


def mask_text(text: str, masking: Masking = NO_MASKING) -> str:
    """``text`` (a raw value, a message, a line of a log) with every credential in it hidden."""
    return hide_in_text(masking.hide_known(text), is_secret_key)


def secret_status(path: Path, values: Sequence[Any], masking: Masking = NO_MASKING) -> str | None:
    """``(secret changed)`` or ``(secret, unchanged)`` for the values one path has in the
    compared environments, when they are shown masked; None when they are not secret."""
    present = [v for v in values if isinstance(v, str | int | float) and not isinstance(v, bool)]
    if not present:
        return None
    secret = is_secret_path(path, masking) or any(isinstance(v, str) and looks_secret(v) for v in present)
    if not secret:
        return None
    return "(secret, unchanged)" if len(set(map(repr, values))) == 1 else "(secret changed)"
