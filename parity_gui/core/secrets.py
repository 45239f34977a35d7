"""Which values are secrets, and how they are shown.

A key looks secret when one of its words (split on ``_``, ``-``, ``.`` and case changes) is a
secret word: ``POSTGRES_PASSWORD``, ``api-key``, ``AWS_SECRET_ACCESS_KEY``, ``githubToken``.
Values whose text carries credentials (``postgres://user:pw@host``) are masked in their
password part whatever the key.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from parity_gui.core.pointer import Path

MASK = "••••••"

_SECRET_WORDS = frozenset(
    {
        "password", "passwd", "pwd", "pass", "secret", "secrets", "token", "apikey", "key",
        "credential", "credentials", "auth", "private", "cert", "signature", "salt", "dsn",
    }
)
_NOT_SECRET_WORDS = frozenset({"public", "id", "file", "path", "name", "user", "username"})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]+:)(?P<pw>[^@\s/]+)(?P<tail>@)")

#: Subtrees whose leaves are named by user-chosen keys that may be secret.
_KEYED_SUBTREES = frozenset({"environment", "variables", "args", "labels", "build_args"})


def is_secret_key(key: str) -> bool:
    words = [w.lower() for w in _WORD.findall(key)]
    if not words:
        return False
    if words[-1] in _NOT_SECRET_WORDS:
        return False
    joined = "".join(words)
    if "apikey" in joined or "privatekey" in joined or "secretkey" in joined:
        return True
    return any(w in _SECRET_WORDS for w in words)


def is_secret_path(path: Path) -> bool:
    """True when the value at ``path`` should be masked."""
    if not path:
        return False
    if path[0] == "variables" and len(path) >= 2:
        return is_secret_key(path[1])
    if path[0] == "infrastructure" and len(path) >= 3 and path[1].startswith("variable."):
        return is_secret_key(path[1].removeprefix("variable.")) or is_secret_key(path[-1])
    for i, segment in enumerate(path[:-1]):
        if segment in _KEYED_SUBTREES and i + 1 < len(path):
            return is_secret_key(path[i + 1])
    return is_secret_key(path[-1])


def fingerprint(value: Any) -> str:
    """A short, stable digest so a reader can tell two masked secrets apart without seeing them."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:8]


def mask_value(path: Path, value: Any) -> Any:
    """The value to show for ``path``: masked when secret, with credentials in URLs hidden."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dict):
        return {k: mask_value((*path, k), v) for k, v in value.items()}
    if is_secret_path(path) and value != "":
        return f"{MASK} (sha256:{fingerprint(value)})"
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [mask_text(v) if isinstance(v, str) else v for v in value]
    return value


def mask_text(text: str) -> str:
    """Hide the password part of URLs inside ``text``."""
    return _URL_PASSWORD.sub(lambda m: m["head"] + MASK + m["tail"], text)
