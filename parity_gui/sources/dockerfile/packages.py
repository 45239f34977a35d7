"""The packages a ``RUN`` line installs, with their pins.

Recognised commands: ``apt-get install``/``apt install`` (``pkg=1.2``), ``apk add``
(``pkg=1.2``), ``pip install``/``pip3 install``/``python -m pip install`` (``pkg==1.2``; other
specifiers such as ``>=1.2`` are kept with their operator), ``npm install``/``npm i``
(``pkg@1.2``, ``@scope/pkg@1.2``). The result maps manager → package name → the pinned version,
or ``None`` for an unpinned install, so that both a version drift and a missing pin show.

A shell line is split on ``&&``, ``||``, ``;``, ``|`` and newlines; words are read with shell
quoting. A word holding a shell variable (``$VERSION``) is kept as written. Requirement files
(``pip install -r requirements.txt``) and local paths are not followed.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

Packages = dict[str, dict[str, str | None]]

_SEPARATORS = re.compile(r"&&|\|\||;|\||\n")
#: options that take the next word as their value, by manager
_OPTIONS_WITH_VALUE = {
    "apt": {"-o", "-t", "--target-release", "-c", "--config-file"},
    "apk": {"-t", "--virtual", "-X", "--repository", "--arch", "-p", "--root"},
    "pip": {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--trusted-host",
    },
    "npm": {"--prefix", "--registry", "-w", "--workspace", "--tag"},
}
_PIP_SPEC = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*((?:==|>=|<=|~=|!=|>|<|===).*)?$"
)


def installed_packages(script: str) -> Packages:
    """Every package ``script`` (a RUN command, or a heredoc body) installs."""
    found: Packages = {}
    for command in _SEPARATORS.split(script.replace("\\\n", " ")):
        words = _words(command)
        for manager, args in _install_commands(words):
            for name, version in _packages(manager, args):
                found.setdefault(manager, {})[name] = version
    return found


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, comments=True)
    except ValueError:
        return command.split()


def _install_commands(words: list[str]) -> Iterator[tuple[str, list[str]]]:
    for i, word in enumerate(words):
        base = word.rsplit("/", 1)[-1]
        verb_index = _verb_index(words, i + 1)
        verb = words[verb_index] if verb_index < len(words) else ""
        rest = words[verb_index + 1 :]
        if base in ("apt-get", "apt") and verb == "install":
            yield "apt", rest
        elif base == "apk" and verb == "add":
            yield "apk", rest
        elif _is_pip(words, i) and verb == "install":
            yield "pip", rest
        elif base == "npm" and verb in ("install", "i", "add"):
            yield "npm", rest


def _verb_index(words: list[str], start: int) -> int:
    """The index of the first word from ``start`` that is not an option (``apt-get -y install``)."""
    i = start
    while i < len(words) and words[i].startswith("-"):
        i += 1
    return i


def _is_pip(words: list[str], i: int) -> bool:
    base = words[i].rsplit("/", 1)[-1]
    if re.fullmatch(r"pip(3(\.\d+)?)?", base):
        return True
    return base == "pip" and i >= 2 and words[i - 1] == "-m"


def _packages(manager: str, args: list[str]) -> Iterator[tuple[str, str | None]]:
    takes_value = _OPTIONS_WITH_VALUE[manager]
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg.startswith("-"):
            skip = arg in takes_value
            continue
        parsed = _package(manager, arg)
        if parsed is not None:
            yield parsed


def _package(manager: str, arg: str) -> tuple[str, str | None] | None:
    if any(c in arg for c in "/\\") and not (manager == "npm" and arg.startswith("@")):
        return None
    if manager == "pip":
        return _pip_package(arg)
    if manager == "npm":
        return _npm_package(arg)
    name, _, version = arg.partition("=")
    return name.lower(), version or None


def _pip_package(arg: str) -> tuple[str, str | None] | None:
    match = _PIP_SPEC.match(arg.strip())
    if match is None or arg.endswith((".txt", ".whl", ".tar.gz")):
        return None
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    spec = (match.group(3) or "").strip()
    if spec.startswith("==") and not spec.startswith("==="):
        return name, spec[2:].strip() or None
    return name, spec or None


def _npm_package(arg: str) -> tuple[str, str | None]:
    at = arg.find("@", 1)
    if at < 0:
        return arg.lower(), None
    return arg[:at].lower(), arg[at + 1 :] or None
