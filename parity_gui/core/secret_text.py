"""Secrets recognised by their text, whatever key holds them.

* Known token formats: GitHub, GitLab, AWS access keys, Slack, Stripe secret keys, Google API
  and OAuth tokens, npm, PyPI, SendGrid, JSON Web Tokens and PEM private keys.
* Credentials inside free text: the password of a URL (``postgres://user:pw@host``), the value
  of an ``Authorization:`` header (or any header named like a secret), a ``--password=…`` or
  ``--token …`` flag, the password of ``curl -u user:pw``, ``NAME=value`` pairs whose name is
  secret (``PGPASSWORD=… psql``), and the secret parts of a connection string
  (``Server=db;User Id=app;Password=two words;``, up to the next ``;``).
* High-entropy words: 24 characters or more, mixing letters and digits, at four bits a character
  or more (an AWS secret key, a random password). Not counted: hexadecimal strings (digests,
  commit and image ids), UUIDs, ``${VAR}`` references, paths, URLs and ARNs.

:func:`hide_in_text` replaces each of these with the mask and keeps the rest of the text, so a
command line stays readable; :func:`looks_secret` tells whether a whole value is one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

MASK = "••••••"

_TOKENS = re.compile(
    "|".join(
        (
            r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b",
            r"\bgithub_pat_[A-Za-z0-9_]{22,255}\b",
            r"\bgl(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_-]{20,}",
            r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b",
            r"\bxox[abposr]-[A-Za-z0-9-]{10,}",
            r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+",
            r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b",
            r"\bAIza[0-9A-Za-z_-]{35}",
            r"\bya29\.[0-9A-Za-z_-]{20,}",
            r"\bnpm_[A-Za-z0-9]{36}\b",
            r"\bpypi-AgE[A-Za-z0-9_-]{50,}",
            r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
            r".*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)",
        )
    ),
    re.DOTALL,
)
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)(?P<secret>[^@\s/]+)(?=@)")
_HEADER = re.compile(
    r"(?P<head>\b(?P<name>[A-Za-z][\w-]*)\s*:\s*(?:(?:Bearer|Basic|Token|Digest|Bot)\s+)?)"
    r"(?P<secret>[^\s\"',;]+)",
    re.IGNORECASE,
)
_FLAG = re.compile(r"(?P<head>(?<![\w-])--?(?P<name>[A-Za-z][\w-]*)(?:=|\s+))(?P<secret>\"[^\"]*\"|'[^']*'|[^\s\"']+)")
#: ``curl -u user:password``, ``--user=user:password``, ``--proxy-user …``: the part after the
#: colon (not ``-u 1000:1000``, a user and group id).
_USER_FLAG = re.compile(
    r"(?P<head>(?<![\w-])(?:-u\s*|--(?:proxy-)?user(?:=|\s+))[\"']?[A-Za-z][^\s:\"'@]*:)(?P<secret>[^\s\"'@]+)"
)
_PAIR = re.compile(r"(?P<head>(?<![\w$.{-])(?P<name>[A-Za-z_][\w.-]*)=)(?P<secret>\"[^\"]*\"|'[^']*'|[^\s\"'&;]+)")
#: ``Server=db;User Id=app;Password=two words;``: in a connection string a value runs to the next
#: ``;`` (blanks included) or is quoted; a quoted value is looked for up to 256 characters, so
#: the scan stays linear.
_CONNECTION_PAIR = re.compile(
    r"(?P<head>(?:^|(?<=;))[ \t]*(?P<name>[A-Za-z][\w]*(?: \w+)*)[ \t]*=[ \t]*)"
    r"(?P<secret>\"[^\"\n]{0,256}\"|'[^'\n]{0,256}'|[^;\n]+)"
)
_WORD = re.compile(r"[^\s\"'`,;=()\[\]{}<>|]+")
_HEX = re.compile(r"(?:sha\d+:|md5:)?[0-9a-fA-F]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SPACE = re.compile(r"\s")
MIN_ENTROPY_LENGTH = 24
MIN_BITS_PER_CHARACTER = 4.0


def looks_secret(value: str) -> bool:
    """Whether the whole of ``value`` is a token of a known format or a high-entropy string."""
    text = value.strip()
    if len(text) < 20:  # the shortest format (an AWS access key id) has 20 characters
        return False
    token = _TOKENS.fullmatch(text)
    return token is not None or is_high_entropy(text)


def is_high_entropy(word: str) -> bool:
    """Whether ``word`` looks randomly generated (see the module docstring for what is not)."""
    if len(word) < MIN_ENTROPY_LENGTH or "${" in word or "://" in word or word[0] in "/.~$" or _SPACE.search(word):
        return False
    if _HEX.fullmatch(word) or _UUID.fullmatch(word) or _is_structured(word):
        return False
    if not (any(c.isdigit() for c in word) and any(c.isalpha() for c in word)):
        return False
    return _bits_per_character(word) >= MIN_BITS_PER_CHARACTER


def _is_structured(word: str) -> bool:
    """A path, a dotted name, an ARN: separators a random token does not have this many of."""
    return word.count("/") > 2 or word.count(".") > 2 or word.count(":") > 1


def _bits_per_character(word: str) -> float:
    counts = Counter(word)
    return -sum(n / len(word) * math.log2(n / len(word)) for n in counts.values())


def hide_in_text(text: str, is_secret_name: Callable[[str], bool]) -> str:
    """``text`` with every credential it carries replaced by the mask (see the module docstring).

    ``is_secret_name`` decides for headers, flags and ``NAME=value`` pairs whether the name is
    a secret's.
    """
    if not text:
        return text
    hidden = _TOKENS.sub(MASK, text)
    hidden = _URL_PASSWORD.sub(lambda m: m["head"] + MASK, hidden)
    hidden = _USER_FLAG.sub(lambda m: m["head"] + MASK, hidden)
    if ";" in hidden and "=" in hidden:
        hidden = _CONNECTION_PAIR.sub(lambda m: _named(m, is_secret_name), hidden)
    for pattern in (_HEADER, _FLAG, _PAIR):
        hidden = pattern.sub(lambda m: _named(m, is_secret_name), hidden)
    return _WORD.sub(lambda m: MASK if is_high_entropy(m.group()) else m.group(), hidden)


def _named(match: re.Match[str], is_secret_name: Callable[[str], bool]) -> str:
    name = match["name"]
    if match["secret"] == MASK or not (name.lower() == "authorization" or is_secret_name(name)):
        return match.group()
    return match["head"] + MASK
