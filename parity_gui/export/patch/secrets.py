"""What a fix patch may write: secrets become placeholders unless the user asked for them.

A patch is a file that ends up in a review and a repository, so it follows the same rules as
every report (:mod:`parity_gui.core.secrets`): a value under a secret-looking key, a Terraform
variable declared sensitive, a value that looks like a token, or the same text as a known secret
is never written in clear; inside other text (a URL's password, a ``--password=`` flag) only the
secret part is replaced. The placeholder names the setting it stands for
(``CHANGE-ME-secret-DB_PASSWORD``) and nothing about the value.

Text copied from the reference keeps its variables: ``${POSTGRES_PASSWORD}`` is not a secret, but
a default written beside it (``${POSTGRES_PASSWORD:-shop}``) is replaced. In a command written as
a list, the word after a secret flag (``--requirepass``, ``--token``, ``-p`` when not a port) is
replaced whole.

The lines a patch removes and the context around them are the target's own file, and carry the
target's secrets. Without ``--show-secrets`` they are masked too (:meth:`SecretPolicy.hunks`): the
credentials in them (as in every report), and the value of any ``NAME = value``, ``NAME: value``,
``ENV NAME value`` line whose name is secret. Such a patch no longer applies as it is; its preface
says how many lines are masked and that the real text must be put back in them (or the patch
made with ``--show-secrets``) before ``git apply``. This keeps one patch, reviewable and safe to
paste, rather than a second file that would hold the secrets in clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parity_gui.core.pointer import Path
from parity_gui.core.secret_text import (
    MASK,
    YAML_BLOCKS,
    is_identifier,
    looks_secret,
    replace_url_passwords,
    secret_arguments,
)
from parity_gui.core.secrets import NO_MASKING, Masking, is_secret_key, is_secret_path, mask_text
from parity_gui.core.tree import MISSING
from parity_gui.export.patch.diff import lines

#: Marks every placeholder a patch writes.
PLACEHOLDER_MARK = "CHANGE-ME-secret-"

_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?-)(?P<default>[^${}]*))?\}|\$\w+")
#: ``NAME = value``, ``NAME: value``, ``- NAME=value``, ``export NAME=value``, ``ENV NAME=value``.
_ASSIGNMENT = re.compile(
    r"[ \t]*+(?:(?:export|ENV|ARG|-)[ \t]++)?[\"']?+(?P<name>[A-Za-z_][\w.-]{0,255}+)[\"']?+[ \t]*+[=:][ \t]*+"
)
#: Dockerfile's legacy ``ENV NAME value``.
_LEGACY_ENV = re.compile(r"[ \t]*+(?:ENV|ARG)[ \t]++(?P<name>[A-Za-z_][\w.-]{0,255}+)[ \t]++")
_QUOTES = "\"'"
_OPENERS = YAML_BLOCKS | {"{", "["}


def _block_after(text: str, block: int | None, opens: bool) -> int | None:
    """The indentation of the secret block open after ``text``: ``text``'s own when it opens
    one, None when it is a non-blank line not indented under the open one."""
    body, indent = _indented(text)
    if opens:
        return indent
    if block is not None and body.strip() and indent <= block:
        return None
    return block


def _indented(text: str) -> tuple[str, int]:
    """``text`` without its line end, and how far it is indented."""
    body = text.rstrip("\r\n")
    return body, len(body) - len(body.lstrip(" \t"))


def _secret_setting(text: str) -> re.Match[str] | None:
    """The ``NAME =``/``NAME:``/``ENV NAME`` head of ``text`` when NAME is a secret's."""
    head = _LEGACY_ENV.match(text) or _ASSIGNMENT.match(text)
    return head if head is not None and is_secret_key(head["name"]) else None
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
            texts = all(isinstance(item, str) for item in value)
            flagged = secret_arguments(value, is_secret_key) if texts else frozenset()
            return [placeholder(path) if i in flagged else self.value(path, item) for i, item in enumerate(value)]
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

        def password(secret: str) -> str:
            return self._defaults(path, secret) if _VARIABLE.fullmatch(secret) else placeholder(path)

        if _VARIABLE.fullmatch(raw):
            return self._defaults(path, raw) if is_secret_path(path, self.masking) else raw
        return replace_url_passwords(raw, password)

    def text(self, message: str) -> str:
        """A message (a reason, a note) with any credential in it hidden, unless revealing."""
        return message if self.reveal else mask_text(message, self.masking)

    def hunks(self, body: bytes) -> tuple[bytes, int]:
        """The diff ``body`` with the secrets in its removed, context and added lines masked
        (unless revealing), and how many lines that changed (see the module docstring). Each
        line is read after the line before it on its side of the diff, so the value of a flag
        written as the next list item (``- --token`` then ``- value``) is masked too."""
        if self.reveal:
            return body, 0
        out: list[bytes] = []
        masked = 0
        before = {b"-": "", b"+": ""}  #: the previous line of the old and of the new file
        block: dict[bytes, int | None] = {b"-": None, b"+": None}  #: indentation of an open secret block
        for line in lines(body):
            sign = line[:1]
            if line.startswith((b"diff --git ", b"@@ ")):
                before = {b"-": "", b"+": ""} if line.startswith(b"@@ ") else {}
                block = {b"-": None, b"+": None}
                out.append(line)
                continue
            if not before or sign not in (b"-", b" ", b"+"):
                out.append(line)
                continue
            text = line[1:].decode("utf-8", "surrogateescape")
            sides = (b"-", b"+") if sign == b" " else (sign,)
            hidden = self._in_block(text, [block[side] for side in sides]) or self._after(before[sides[0]], text)
            for side in sides:
                before[side] = text
                block[side] = _block_after(text, block[side], self.opens_secret_block(text))
            if hidden != text:
                masked += 1
                out.append(sign + hidden.encode("utf-8", "surrogateescape"))
            else:
                out.append(line)
        return b"".join(out), masked

    @staticmethod
    def _in_block(text: str, blocks: list[int | None]) -> str | None:
        """``text`` masked whole (indentation kept) when it is inside an open secret block."""
        body, indent = _indented(text)
        if not body.strip() or not any(b is not None and indent > b for b in blocks):
            return None
        return body[:indent] + MASK + text[len(body):]

    def _after(self, previous: str, text: str) -> str:
        """``text`` masked as :meth:`line` does, read as the line after ``previous``."""
        hidden = self.line(text)
        if not previous or PLACEHOLDER_MARK in text:
            return hidden
        shown_before = self.line(previous)
        joined = self.line(previous + text)
        if joined.startswith(shown_before) and joined[len(shown_before):] != text:
            return joined[len(shown_before):]
        return hidden

    def line(self, text: str) -> str:
        """One line of a file with its credentials and the value of a secret-named setting masked
        (a trailing ``# comment`` kept)."""
        if PLACEHOLDER_MARK in text:  # written by this policy already, placeholders and all
            return text
        hidden = mask_text(text, self.masking)
        head = _secret_setting(hidden)
        if head is None:
            return hidden
        body = hidden[head.end():].rstrip("\r\n")
        end = hidden[head.end() + len(body):]
        close = body.find(body[0], 1) if body and body[0] in _QUOTES else -1
        if close > 0:
            quote, inner, after = body[0], body[1:close], body[close:]
        else:
            quote, inner = "", body.split(" #", 1)[0].rstrip(" \t,")
            after = body[len(inner):]
        if not inner or MASK in inner or _VARIABLE.fullmatch(inner) or inner in _OPENERS or is_identifier(inner):
            return hidden
        return hidden[: head.end()] + quote + MASK + after + end

    def opens_secret_block(self, text: str) -> bool:
        """Whether ``text`` is ``NAME: |`` (or ``>``) with a secret name: the lines indented
        under it are the secret."""
        head = _secret_setting(text)
        return head is not None and text[head.end():].split(" #", 1)[0].strip() in YAML_BLOCKS

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
