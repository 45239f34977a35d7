"""Which values are secrets, and how they are shown: the one masking module of parity.

The GUI, the command line, every report, the clipboard, logs and error messages show values
through :func:`mask_value` and :func:`mask_text`. The comparison itself always runs on the real
values; only what is shown is masked.

A value is secret when

* its key looks secret: one of its words (split on ``_``, ``-``, ``.`` and case changes) is a
  secret word (``POSTGRES_PASSWORD``, ``api-key``, ``AWS_SECRET_ACCESS_KEY``, ``githubToken``,
  ``SENTRY_DSN``, ``DATABASE_CONNECTION_STRING``), or its last word is a short secret name
  (``GITHUB_PAT``, ``JWT``, ``STRIPE_SK``, ``DB_PW``, ``REDIS_REQUIREPASS``, ``MASTERAUTH``), or it
  ends in ``SECRET_ID`` (``VAULT_SECRET_ID``: a credential, unlike ``CLIENT_ID``), unless its last
  word says it only points at or describes one (``PASSWORD_FILE``, ``TOKEN_PATH``,
  ``AWS_ACCESS_KEY_ID``, ``AUTH_ENABLED``, ``JWT_ISSUER`` is not secret either);
* it is the value or default of a Terraform variable or output declared ``sensitive = true``
  (known to a :class:`Masking` built from the compared trees), or the same text as such a value
  or a secret-keyed value;
* it is a value of a Kubernetes Secret (``/kubernetes/Secret/<name>/data/<key>``), or a service
  variable of the same tree holding one (a ``secretKeyRef`` resolved);
* its text is a secret whatever the key: a known token format or a high-entropy string
  (:mod:`parity_gui.core.secret_text`).

What is secret is decided by meaning: a structured identifier — an IP address, a network range
(``10.16.40.0/21``), an ARN, a cloud resource id — is shown even under a secret-looking key
(``auth_cidr``); only a Terraform ``sensitive`` declaration masks it.

A secret's text is hidden wherever else it appears. A Terraform ``sensitive`` value is hidden
whatever its length or case, as a whole word (``echo hunter2 >``, ``app-hunter2``; not inside
``xhunter2x``), also in upper or lower case (``upper(var.pw)``); a value of one or two characters
only where it is a whole value. Other secrets are hidden inside other text only when
distinctive (:func:`_distinctive`): ``postgres`` as a password must not hide the ``postgres``
image.

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
from parity_gui.core.secret_text import MASK, hide_in_text, is_identifier, looks_secret, secret_arguments
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
        "cert", "signature", "salt", "dsn", "cookie", "sessionid", "otp", "pin",
    }
)
#: Found anywhere in the key's letters (``PGPASSWORD``, ``MYSQL_ROOTPASSWORD``, ``apikey``).
_SECRET_JOINED = ("password", "passwd", "passphrase", "secret", "apikey", "privatekey", "accesskey",
                  "connectionstring", "connstr", "requirepass", "masterauth")
#: A last word that makes the key name something about a secret rather than the secret.
_NOT_SECRET_WORDS = frozenset(
    {
        "public", "id", "ids", "file", "files", "path", "paths", "dir", "name", "names", "user",
        "username", "enabled", "disabled", "enable", "required", "type", "types", "length", "len",
        "min", "max", "header", "algorithm", "alg", "expiry", "expires", "ttl", "timeout", "mode",
        "version", "policy", "rotation", "format", "size", "prefix", "location", "arn", "ref",
    }
)
#: Secret when they are the key's last word (``GITHUB_PAT``, but ``JWT_ISSUER`` is not).
_SECRET_LAST_WORDS = frozenset({"jwt", "pat", "sk", "pw", "requirepass", "masterauth"})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")

#: Subtrees whose leaves are named by user-chosen keys that may be secret.
_KEYED_SUBTREES = frozenset({"environment", "variables", "args", "labels", "build_args", "inputs", "locals"})
#: A secret shorter than this is not searched for inside other values (see _distinctive).
_MIN_KNOWN_LENGTH = 8


@functools.lru_cache(maxsize=65536)
def is_secret_key(key: str) -> bool:
    """Whether a key name looks like it holds a secret (see the module docstring)."""
    words = [w.lower() for w in _WORD.findall(key)]
    if words[-2:] == ["secret", "id"] or (words and words[-1] in _SECRET_LAST_WORDS):
        return True
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
        """Whether ``path`` is (inside) the value or default of a declared-sensitive Terraform
        variable or output, or a service variable read from a Kubernetes Secret."""
        if not self.sensitive or not path:
            return False
        if path[0] == "infrastructure":
            return len(path) >= 3 and path[2] in _SENSITIVE_VALUES and path[:2] in self.sensitive
        return len(path) >= 4 and path[:4] in self.sensitive

    def hide_known(self, text: str) -> str:
        """``text`` with every known secret in it hidden (see the module docstring)."""
        if not self.known or not text:
            return text
        if text in self.known:
            return MASK
        folded = text.casefold()
        for secret, distinctive in self._longest_first:
            if distinctive:
                text = text.replace(secret, MASK) if secret in text else text
            elif len(secret) >= _MIN_WORD_LENGTH and secret.casefold() in folded:
                text = _as_word(secret).sub(MASK, text)
        return text

    @functools.cached_property
    def _longest_first(self) -> tuple[tuple[str, bool], ...]:
        """The known secrets, longest first (so a longer one is hidden whole), each with
        whether it is distinctive: worked out once per report, not once per value shown."""
        return tuple((s, _distinctive(s)) for s in sorted(self.known, key=len, reverse=True))


NO_MASKING = Masking()
_by_report: dict[int, Masking] = {}
#: The keys of a variable or output that hold its value.
_SENSITIVE_VALUES = frozenset({"value", "default"})
#: A sensitive value shorter than this is hidden only where it is a whole value.
_MIN_WORD_LENGTH = 3


@functools.lru_cache(maxsize=4096)
def _as_word(secret: str) -> re.Pattern[str]:
    """``secret`` as a word of its own, in any case (``hunter2`` in ``echo HUNTER2 >``)."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", re.IGNORECASE)


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
    elif isinstance(node, list):
        for item in node:
            _collect_secrets(item, path, masking, known)
    elif isinstance(node, str | int | float) and not isinstance(node, bool) and masking.covers(path):
        if str(node).strip():
            known.add(str(node))  # declared sensitive: any length, any case
    elif (  # cheapest tests first: this runs once per value of both trees
        isinstance(node, str)
        and len(node) >= _MIN_KNOWN_LENGTH
        and (is_secret_path(path, masking) or looks_secret(node))
        and _distinctive(node)
        and not is_identifier(node)
        and not _is_file_path(node)
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


def is_secret_value(path: Path, value: Any, masking: Masking = NO_MASKING) -> bool:
    """Whether ``value`` at ``path`` is masked whole: its path is secret and it is not a
    structured identifier (unless declared sensitive), or its text is a token."""
    if isinstance(value, str) and value in masking.known:
        return True
    if is_secret_path(path, masking):
        return masking.covers(path) or not (_is_identifier_value(value) or _is_file_path(value))
    return isinstance(value, str) and looks_secret(value)


def _is_file_path(value: Any) -> bool:
    """An absolute or home-relative file path (``/etc/tls/cert.pem``): where a secret is kept,
    not the secret, as a ``--tls-key /path`` flag's value is shown too."""
    return isinstance(value, str) and value.startswith(("/", "~/")) and " " not in value and len(value) < 4096


def _is_identifier_value(value: Any) -> bool:
    if isinstance(value, str):
        return is_identifier(value)
    if isinstance(value, list | tuple):
        return bool(value) and all(isinstance(v, str) and is_identifier(v) for v in value)
    return False


def mask_value(path: Path, value: Any, masking: Masking = NO_MASKING) -> Any:
    """The value to show for ``path``: a tagged mask when secret, else with credentials hidden."""
    if value is None or isinstance(value, bool | int | float):
        return _masked(value, masking) if value is not None and is_secret_value(path, value, masking) else value
    if isinstance(value, Mapping):
        return {k: mask_value((*path, k), v, masking) for k, v in value.items()}
    if is_secret_value(path, value, masking):
        return _masked(value, masking) if value != "" else value
    if isinstance(value, str):
        return mask_text(value, masking)
    if isinstance(value, list | tuple):
        return mask_words(path, value, masking)
    return value


def mask_words(path: Path, words: Sequence[Any], masking: Masking = NO_MASKING) -> list[Any]:
    """A list shown item by item; in a command (``["redis-server", "--requirepass", "pw"]``) the
    word after a secret flag is masked whole."""
    texts = [w for w in words if isinstance(w, str)]
    flagged = secret_arguments(words, is_secret_key) if len(texts) == len(words) else frozenset()
    return [_masked(w, masking) if i in flagged else mask_value(path, w, masking) for i, w in enumerate(words)]


def mask_text(text: str, masking: Masking = NO_MASKING) -> str:
    """``text`` (a raw value, a message, a line of a log) with every credential in it hidden."""
    return hide_in_text(masking.hide_known(text), is_secret_key)


def secret_status(path: Path, values: Sequence[Any], masking: Masking = NO_MASKING) -> str | None:
    """``(secret changed)`` or ``(secret, unchanged)`` for the values one path has in the
    compared environments, when they are shown masked, whole or in part (``echo •••••• >``);
    None when nothing in them is secret."""
    present = [v for v in values if isinstance(v, str | int | float) and not isinstance(v, bool)]
    if not present:
        return None
    secret = any(is_secret_value(path, v, masking) or (isinstance(v, str) and mask_text(v, masking) != v)
                 for v in present)
    if not secret:
        return None
    return "(secret, unchanged)" if len(set(map(repr, values))) == 1 else "(secret changed)"
