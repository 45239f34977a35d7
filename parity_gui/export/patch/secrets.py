"""What a fix patch may write: secrets become placeholders unless the user asked for them.

A patch is a file that ends up in a review and a repository, so it follows the same rules as
every report (:mod:`parity_gui.core.secrets`): a value under a secret-looking key, a Terraform
variable declared sensitive, a value that looks like a token, or the same text as a known secret
is never written in clear; inside other text (a URL's password, a ``--password=`` flag) only the
secret part is replaced. The placeholder names the setting it stands for
(``CHANGE-ME-secret-DB_PASSWORD``) and nothing about the value.

Text copied from the reference keeps its variables: ``${POSTGRES_PASSWORD}`` is not a secret, but
a default written beside it (``${POSTGRES_PASSWORD:-shop}``) is replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parity_gui.core.pointer import Path
from parity_gui.core.secret_text import MASK, looks_secret
from parity_gui.core.secrets import NO_MASKING, Masking, is_secret_path, mask_text
from parity_gui.core.tree import MISSING

#: Marks every placeholder a patch writes.
PLACEHOLDER_MARK = "CHANGE-ME-secret-"

_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?-)(?P<default>[^${}]*))?\}|\$\w+")
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]+:)(?P<pw>[^@\s/]+)(?P<tail>@)")
_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def placeholder(path: Path) -> str:
    """What a patch writes instead of the secret at ``path``: says what to put there."""
    name = _NAME.sub("_", path[-1] if path else "value").strip("_") or "value"
    return f"{PLACEHOLDER_MARK}{name}"


@dataclass(frozen=True, slots=True)
class SecretPolicy:
    """Whether secrets may be written, and what the compared environments know to be secret."""

    reveal: bool = False
    masking: Masking = field(default=NO_MASKING)

    def value(self, path: Path, value: Any) -> Any:
        """``value`` as the patch may write it at ``path``."""
        if self.reveal or value is None or value == "" or value is MISSING or isinstance(value, bool):
            return value
        if isinstance(value, list):
            return [self.value(path, item) for item in value]
        if self._whole(path, value):
            return placeholder(path)
        if isinstance(value, str):
            hidden = mask_text(value, self.masking)
            return hidden.replace(MASK, placeholder(path)) if hidden != value else value
        return value

    def raw(self, path: Path, raw: str) -> str:
        """Text as the reference writes it, variables kept, secret defaults and passwords replaced."""
        if self.reveal:
            return raw
        if self._whole(path, raw) and not _VARIABLE.fullmatch(raw):
            return placeholder(path)

        def password(match: re.Match[str]) -> str:
            secret = match["pw"]
            hidden = self._defaults(path, secret) if _VARIABLE.fullmatch(secret) else placeholder(path)
            return match["head"] + hidden + match["tail"]

        if _VARIABLE.fullmatch(raw):
            return self._defaults(path, raw) if is_secret_path(path, self.masking) else raw
        return _URL_PASSWORD.sub(password, raw)

    def text(self, message: str) -> str:
        """A message (a reason, a note) with any credential in it hidden, unless revealing."""
        return message if self.reveal else mask_text(message, self.masking)

    def holds(self, path: Path, value: Any) -> bool:
        """True when ``value`` (or anything inside it) would be written as a placeholder."""
        if self.reveal:
            return False
        if isinstance(value, dict):
            return any(self.holds((*path, k), v) for k, v in value.items())
        return bool(self.value(path, value) != value)

    def _whole(self, path: Path, value: Any) -> bool:
        if is_secret_path(path, self.masking):
            return True
        return isinstance(value, str) and (looks_secret(value) or value in self.masking.known)

    def _defaults(self, path: Path, text: str) -> str:
        def without_default(match: re.Match[str]) -> str:
            if not match["default"]:
                return match.group(0)
            return f"${{{match['name']}{match['op']}{placeholder(path)}}}"

        return _VARIABLE.sub(without_default, text)
