"""Secrets recognised by their text, whatever key holds them.

* Known token formats: GitHub, GitLab, AWS access keys, Slack, Stripe secret keys, Google API
  and OAuth tokens, npm, PyPI, SendGrid, JSON Web Tokens and PEM private keys.
* Credentials inside free text: the password of a URL (``postgres://user:pw@host``, also when it
  holds ``/`` or ``@``, and ``postgres:/user:pw@host`` where a path clean-up collapsed the
  ``//``), the value of an ``Authorization:`` header (or any header named like a secret), a
  ``--password=…`` flag, a ``--password``/``--requirepass``/``--token`` flag followed by its value
  as the next command word, ``-p VALUE`` unless VALUE is a port, a port mapping or a number or
  the command is one whose ``-p`` means something else (``-p 8080:80``, ``mkdir -p data``), the
  password of ``curl -u user:pw``, and ``NAME=value`` pairs whose name is secret
  (``PGPASSWORD=… psql``). A flag's value that is a path names where a secret is, and is shown
  (``--tls-key /etc/ssl/key.pem``).
* The secret parts of a connection string (``Server=db;User Id=app;Password=two words;``, up
  to the next ``;``).
* High-entropy words: 24 characters or more, mixing letters and digits, at four bits a character
  or more (an AWS secret key, a random password). Not counted: hexadecimal strings (digests,
  commit and image ids, image references pinned by digest), UUIDs, structured identifiers,
  lower-case resource names with a generated part (``gke-prod-pool-3f2a9c1d-x7k2``), ``${VAR}``
  references, paths, URLs and ARNs.

What is never a secret, by meaning: a structured identifier (:func:`is_identifier`) — an IP
address, a network range (``10.16.40.0/21``), an ARN, a cloud resource id (``vpc-0a1b2c3d``,
``/subscriptions/…``) — and, in the text after ``key:``, a word of an error message or a
``line:column`` position (``duplicate key: cannot …``).

A URL password runs from ``user:`` to the last ``@`` before the URL's query, fragment, a space or
a quote, so ``pa/ss@w@rd`` is hidden whole; a port followed by a path (``host:443/@scope``) is
not a password.

Every pattern is linear in the length of the text: each unbounded repetition is possessive and
may only start where the run it scans starts (a look-behind), so a 200,000-character value is
masked in milliseconds (``bench/masking.py`` measures it against ``str.count``).

:func:`hide_in_text` replaces each of these with the mask and keeps the rest of the text, so a
command line stays readable; :func:`hide_in_words` does the same for a command written as a list
of words; :func:`looks_secret` tells whether a whole value is one.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

MASK = "••••••"

#: Each known token format with a piece of text it cannot occur without: a pattern runs only
#: over text holding its piece, and each starts with a literal (its look-behind follows the
#: literal), so the regular expression engine finds candidates by a fast substring search.
_TOKEN_FORMATS = (
    ("gh", r"gh(?<![A-Za-z0-9_]gh)[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])"),
    ("github_pat_", r"github_pat_(?<![A-Za-z0-9_]github_pat_)[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])"),
    ("gl", r"gl(?<![A-Za-z0-9_-]gl)(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_-]{20,}+"),
    ("A", r"A(?<![A-Za-z0-9_]A)(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)[A-Z0-9]{16}(?![A-Za-z0-9_])"),
    ("xox", r"xox(?<![A-Za-z0-9_-]xox)[abposr]-[A-Za-z0-9-]{10,}+"),
    ("hooks.slack.com", r"https://hooks\.slack\.com/services/[A-Za-z0-9/]++"),
    ("k_", r"[sr]k_(?<![A-Za-z0-9_][sr]k_)(?:live|test)_[A-Za-z0-9]{16,}+(?![A-Za-z0-9_])"),
    ("AIza", r"AIza(?<![A-Za-z0-9_-]AIza)[0-9A-Za-z_-]{35}"),
    ("ya29.", r"ya29\.(?<![A-Za-z0-9_.-]ya29\.)[0-9A-Za-z_-]{20,}+"),
    ("npm_", r"npm_(?<![A-Za-z0-9_]npm_)[A-Za-z0-9]{36}(?![A-Za-z0-9_])"),
    ("pypi-AgE", r"pypi-AgE(?<![A-Za-z0-9_-]pypi-AgE)[A-Za-z0-9_-]{50,}+"),
    ("SG.", r"SG\.(?<![A-Za-z0-9_.-]SG\.)[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
    ("eyJ", r"eyJ(?<![A-Za-z0-9_-]eyJ)[A-Za-z0-9_-]{8,}+\.eyJ[A-Za-z0-9_-]{8,}+\.[A-Za-z0-9_-]{8,}+"),
    ("-----BEGIN ", r"-----BEGIN (?:[A-Z0-9]{1,40} ){0,4}PRIVATE KEY(?: BLOCK)?-----"
                    r".*?(?:-----END (?:[A-Z0-9]{1,40} ){0,4}PRIVATE KEY(?: BLOCK)?-----|\Z)"),
)
_TOKEN_PATTERNS = tuple((piece, re.compile(pattern, re.DOTALL)) for piece, pattern in _TOKEN_FORMATS)
_TOKENS = re.compile("|".join(f"(?:{pattern})" for _, pattern in _TOKEN_FORMATS), re.DOTALL)
#: The start of a URL's authority with a user: ``scheme://user:`` (one to three slashes).
_URL_HEAD = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}+:/{1,3}+[^\s:/@\"'<>?#]{0,256}+:")
#: The rest of the authority and path, up to the query, the fragment, a space or a quote.
_URL_REST = re.compile(r"[^\s\"'<>?#]*+")
_PORT_AND_PATH = re.compile(r"\d{1,5}+/.*", re.DOTALL)
_HEADER = re.compile(
    r"(?P<head>(?<![\w-])(?P<name>[A-Za-z][\w-]*+)[ \t]*+:[ \t]*+(?:(?:Bearer|Basic|Token|Digest|Bot)[ \t]++)?)"
    r"(?P<secret>[^\s\"',;]++)",
    re.IGNORECASE,
)
#: A flag and its value: ``--name=value``, ``--name value``, and the next item of a list as
#: written in a file (``"--requirepass", "pw"`` in a flow list, ``- --requirepass`` then ``- pw``).
_FLAG = re.compile(
    r"(?P<head>(?<![\w-])--?+(?P<name>[A-Za-z][\w-]*+)"
    r"(?:=|[ \t]++|[\"']?+[ \t]*+,[ \t]*+|[\"']?+[ \t]*+\r?\n[ \t]*+-[ \t]++))"
    r"(?P<secret>\"[^\"\n]*+\"|'[^'\n]*+'|[^\s\"',\]]++)"
)
#: ``curl -u user:password``, ``--user=user:password``, ``--proxy-user …``: the part after the
#: colon (not ``-u 1000:1000``, a user and group id).
_USER_FLAG = re.compile(
    r"(?P<head>(?<![\w-])(?:-u[ \t]*+|--(?:proxy-)?user(?:=|[ \t]++))[\"']?+[A-Za-z][^\s:\"'@]{0,256}+:)"
    r"(?P<secret>[^\s\"'@]++)"
)
_PAIR = re.compile(r"(?P<head>(?<![\w$.{-])(?P<name>[A-Za-z_][\w.-]*+)=)(?P<secret>\"[^\"]*+\"|'[^']*+'|[^\s\"'&;]++)")
_WORD = re.compile(r"[^\s\"'`,;=()\[\]{}<>|]++")
_HEX = re.compile(r"(?:sha\d+:|md5:)?[0-9a-fA-F]++")
#: An image reference with a repository path and a tag (``ghcr.io/acme/node-agent:1.0``): lower-case
#: path components joined by ``/``, as the distribution spec writes them; a random token mixes cases.
_IMAGE_REFERENCE = re.compile(
    r"[a-z0-9]++(?:[._-][a-z0-9]++)*+(?::\d{1,5}+)?+(?:/[a-z0-9]++(?:[._-][a-z0-9]++)*+)++(?::\w[\w.-]{0,127}+)?+"
)
#: An image reference pinned by digest (``acme/app@sha256:0123…``): the digest is no secret.
_DIGEST = re.compile(r"@?+(?:sha256|sha384|sha512):[0-9a-fA-F]{32,}+$")
#: ``Server=db;User Id=app;Password=two words;``: in a connection string a value runs to the next
#: ``;`` (blanks included) or is quoted; a quoted value is looked for up to 256 characters, so
#: the scan stays linear.
_CONNECTION_PAIR = re.compile(
    r"(?P<head>(?:^|(?<=;))[ \t]*+(?P<name>[A-Za-z]\w{0,64}+(?: \w{1,64}+){0,8}+)[ \t]*+=[ \t]*+)"
    r"(?P<secret>\"[^\"\n]{0,256}+\"|'[^'\n]{0,256}+'|[^;\n]++)"
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SPACE = re.compile(r"\s")
#: ``-p`` values that are not passwords: ports and port mappings (``8080:80/tcp``,
#: ``127.0.0.1:5432:5432``), numbers, paths, variables and other flags.
_NOT_A_PASSWORD = re.compile(r"[\d.:/\[\]-]+(?:/(?:tcp|udp|sctp))?|(?:/|~/|\.{1,2}/|\$|-).*|\.{1,2}", re.DOTALL)
#: Flags written as a command word of their own whose next word is a secret.
_SECRET_FLAGS = frozenset({"password", "passwd", "pass", "requirepass", "masterauth", "token", "secret",
                           "api-key", "apikey", "auth-token", "access-token", "client-secret"})
#: Commands whose ``-p`` is not a password (``mkdir -p data``, ``cp -p a b``).
_P_IS_NOT_PASSWORD = frozenset({"mkdir", "cp", "install", "rsync", "ssh", "scp", "psql", "nc", "tar", "ls", "git"})
#: Cloud resource ids: ``vpc-0a1b2c3d``, ``subnet-0123456789abcdef0``, ``ami-…``, ``sg-…``.
_RESOURCE_ID = re.compile(r"[a-z]{1,12}-[0-9a-f]{8,17}")
_CLOUD_PATH = re.compile(r"(?:/subscriptions/|projects/|organizations/|folders/)[\w./:-]++")
#: Words of error messages and positions that follow ``key:`` in a message, never a secret.
_MESSAGE_WORDS = frozenset(
    {"cannot", "can't", "must", "is", "not", "expected", "found", "missing", "invalid", "unknown", "line",
     "column", "should", "was", "has", "does", "may", "empty", "duplicate", "unexpected", "required", "none",
     "null", "true", "false", "a", "an", "the", "no", "in", "at", "of", "for", "or", "and", "refused", "see"}
)
#: A variable reference without a default: names a secret, holds none.
_REFERENCE = re.compile(r"[\"']?+(?:\$\{[A-Za-z_]\w{0,255}+\}|\$[A-Za-z_]\w{0,255}+)[\"']?+")
#: ``key: |``: the value follows on the next lines (masked there by whoever knows the key).
YAML_BLOCKS = frozenset({"|", ">", "|-", ">-", "|+", ">+"})
_POSITION = re.compile(r"\d++(?::\d++)*+[.,]?")
MIN_ENTROPY_LENGTH = 24
MIN_BITS_PER_CHARACTER = 4.0


def looks_secret(value: str) -> bool:
    """Whether the whole of ``value`` is a token of a known format or a high-entropy string."""
    text = value.strip()
    if len(text) < 20:  # the shortest format (an AWS access key id) has 20 characters
        return False
    token = _TOKENS.fullmatch(text)
    return token is not None or is_high_entropy(text)


def is_identifier(value: str) -> bool:
    """Whether ``value`` is a structured identifier, never a secret: an IP address or network
    range, an ARN, a cloud resource id or path."""
    text = value.strip()
    if not text or len(text) > 2048:
        return False
    if text.startswith("arn:") and text.count(":") >= 5:
        return True
    if _RESOURCE_ID.fullmatch(text) or _CLOUD_PATH.fullmatch(text):
        return True
    if len(text) > 50 or not any(c.isdigit() for c in text):
        return False
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def is_high_entropy(word: str) -> bool:
    """Whether ``word`` looks randomly generated (see the module docstring for what is not)."""
    if len(word) < MIN_ENTROPY_LENGTH or "${" in word or "://" in word or word[0] in "/.~$" or _SPACE.search(word):
        return False
    if _HEX.fullmatch(word) or _UUID.fullmatch(word) or _is_structured(word) or _DIGEST.search(word):
        return False
    if _IMAGE_REFERENCE.fullmatch(word):
        return False
    if _is_resource_name(word) or is_identifier(word):
        return False
    if not (any(c.isdigit() for c in word) and any(c.isalpha() for c in word)):
        return False
    return _bits_per_character(word) >= MIN_BITS_PER_CHARACTER


def _is_structured(word: str) -> bool:
    """A path, a dotted name, an ARN: separators a random token does not have this many of."""
    return word.count("/") > 2 or word.count(".") > 2 or word.count(":") > 1


def _is_resource_name(word: str) -> bool:
    """A lower-case name of words joined by hyphens with a generated part (``gke-prod-pool-3f2a9c1d-x7k2``,
    ``acme-shop-tfstate-9f3k2x7q1m``): cloud resources are named so; random tokens mix cases."""
    if "-" not in word or not all(c.islower() or c.isdigit() or c == "-" for c in word):
        return False
    return any(len(part) >= 3 and part.isalpha() for part in word.split("-"))


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
    hidden = text
    for piece, pattern in _TOKEN_PATTERNS:
        if piece in hidden:
            hidden = pattern.sub(MASK, hidden)
    hidden = replace_url_passwords(hidden, lambda _: MASK)
    hidden = _USER_FLAG.sub(lambda m: m["head"] + MASK, hidden)
    if ";" in hidden and "=" in hidden:
        hidden = _CONNECTION_PAIR.sub(lambda m: _named(m, is_secret_name), hidden)
    hidden = _HEADER.sub(lambda m: _header(m, is_secret_name), hidden)
    hidden = _FLAG.sub(lambda m: _flag(m, is_secret_name), hidden)
    hidden = _PAIR.sub(lambda m: _named(m, is_secret_name), hidden)
    return _WORD.sub(lambda m: MASK if is_high_entropy(m.group()) else m.group(), hidden)


def hide_in_words(words: Sequence[str], is_secret_name: Callable[[str], bool]) -> list[str]:
    """A command written as a list of words (``["redis-server", "--requirepass", "pw"]``) with
    each word's credentials hidden, and the word after a secret flag hidden whole."""
    flagged = secret_arguments(words, is_secret_name)
    return [MASK if i in flagged else hide_in_text(word, is_secret_name) for i, word in enumerate(words)]


def secret_arguments(words: Sequence[str], is_secret_name: Callable[[str], bool]) -> frozenset[int]:
    """The positions of the words that are the value of a secret flag written before them as a
    word of its own (``--password``, ``--requirepass``, ``--token``, ``-p`` when not a port)."""
    found = set()
    for i in range(1, len(words)):
        flag, before = words[i - 1], words[i - 2] if i > 1 else ""
        if flag.startswith("-") and "=" not in flag and _secret_flag_value(flag.lstrip("-"), words[i], before,
                                                                           is_secret_name):
            found.add(i)
    return frozenset(found)


def replace_url_passwords(text: str, replace: Callable[[str], str]) -> str:
    """``text`` with each URL password ``pw`` replaced by ``replace(pw)`` (see the module docstring)."""
    out: list[str] = []
    position = 0
    search_from = 0
    while (head := _URL_HEAD.search(text, search_from)) is not None:
        rest = _URL_REST.match(text, head.end())
        end = rest.end() if rest else head.end()
        at = text.rfind("@", head.end(), end)
        password = text[head.end() : at] if at > head.end() else ""
        if not password or _PORT_AND_PATH.fullmatch(password):
            # no later head inside this run can have a password the rfind did not see
            search_from = max(end, head.end())
            continue
        out += [text[position : head.end()], replace(password)]
        position = search_from = at
    out.append(text[position:])
    return "".join(out)


def _secret_flag_value(name: str, value: str, before: str, is_secret_name: Callable[[str], bool]) -> bool:
    """Whether ``value``, written after the flag ``-name``/``--name``, is a secret: not a
    variable, another flag or a file (``--tls-key /etc/ssl/key.pem`` names where a key is)."""
    if not value or value == MASK or value.startswith(("-", "/", "./", "~/")) or _REFERENCE.fullmatch(value):
        return False
    if name == "p":
        command = before.rsplit("/", 1)[-1]
        return command not in _P_IS_NOT_PASSWORD and not _NOT_A_PASSWORD.fullmatch(value)
    if len(name) == 1:
        return False
    return name.lower() in _SECRET_FLAGS or is_secret_name(name)


def _flag(match: re.Match[str], is_secret_name: Callable[[str], bool]) -> str:
    name, secret = match["name"], match["secret"]
    if match["head"].endswith("="):
        return _named(match, is_secret_name)
    before = _word_before(match.string, match.start()) if name == "p" else ""
    if not _secret_flag_value(name, secret.strip("\"'"), before, is_secret_name):
        return _inside(match, is_secret_name)
    quote = secret[0] if secret[0] in "\"'" else ""
    return match["head"] + quote + MASK + quote


def _word_before(text: str, start: int) -> str:
    """The command word before position ``start`` (quotes, brackets and commas of a list aside)."""
    words = [w.strip("\"'[]") for w in text[max(0, start - 64) : start].replace(",", " ").split()]
    return next((w for w in reversed(words) if w), "")


def _header(match: re.Match[str], is_secret_name: Callable[[str], bool]) -> str:
    secret = match["secret"]
    if secret.lower() in _MESSAGE_WORDS or _POSITION.fullmatch(secret) or secret in YAML_BLOCKS:
        return match.group()
    return _named(match, is_secret_name)


def _named(match: re.Match[str], is_secret_name: Callable[[str], bool]) -> str:
    name = match["name"]
    secret = match["secret"]
    if secret == MASK or _REFERENCE.fullmatch(secret) or not (name.lower() == "authorization" or is_secret_name(name)):
        return _inside(match, is_secret_name)
    return match["head"] + MASK


def _inside(match: re.Match[str], is_secret_name: Callable[[str], bool]) -> str:
    """A flag or pair that is not secret itself, with the credentials inside its quoted value
    hidden (``sh -c "mysql -p pw"``). Quotes of one kind hold none of their own kind, so this
    goes at most two levels deep."""
    secret = match["secret"]
    if len(secret) < 2 or secret[0] not in "\"'" or secret[-1] != secret[0]:
        return match.group()
    return match["head"] + secret[0] + hide_in_text(secret[1:-1], is_secret_name) + secret[0]
