"""How deep brackets nest in a JSON or HCL text, measured before any parser sees it.

Parsers and the code that walks their output recurse once (or a dozen times) per level, so a
few kilobytes of ``[[[[…`` reach Python's recursion limit, and raising that limit can crash the
interpreter. parity never raises it: it counts bracket depth in one linear pass first and refuses
a file deeper than :data:`MAX_DEPTH` with the line and column of the bracket that went too deep.

Decisions: a real configuration nests a handful of levels (a Terraform policy document a dozen),
so 64 leaves room. Brackets inside JSON strings, HCL strings, comments and heredocs do not count;
``${`` and ``%{`` inside an HCL string open an expression whose brackets do.
"""

from __future__ import annotations

import re

from parity_gui.errors import LimitExceeded

MAX_DEPTH = 64

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[{]|[\]}]', re.DOTALL)
#: In HCL code: strings, comments, heredoc openers and brackets.
_HCL_CODE = re.compile(r'"|#[^\n]*|//[^\n]*|/\*.*?(?:\*/|\Z)|<<-?([A-Za-z_][\w-]*)[^\S\n]*\n|[\[{(]|[\]})]', re.DOTALL)
#: In an HCL string: escapes, the closing quote, and the start of an interpolation.
_HCL_STRING = re.compile(r'\\.|"|[$%]\{|\n', re.DOTALL)


def check_json_depth(text: str, display: str) -> None:
    """Raise :class:`LimitExceeded` when JSON ``text`` nests deeper than :data:`MAX_DEPTH`."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(text, match.start(), display, "JSON")
        elif token in "]}":
            depth = max(0, depth - 1)


def check_hcl_depth(text: str, display: str) -> None:
    """Raise :class:`LimitExceeded` when HCL ``text`` nests deeper than :data:`MAX_DEPTH`.

    The scan keeps a stack of what is open: a bracket, a string, or an interpolation inside a
    string (which closes with ``}`` and returns to the string).
    """
    stack: list[str] = []
    pos, size = 0, len(text)
    while pos < size:
        in_string = bool(stack) and stack[-1] == '"'
        match = (_HCL_STRING if in_string else _HCL_CODE).search(text, pos)
        if match is None:
            return
        pos = match.end()
        token = match.group()
        if in_string:
            _string_token(token, stack)
        elif match.group(1):
            pos = _after_heredoc(text, pos, match.group(1))
        elif token == '"' or token in "[{(":
            stack.append(token)
        elif token in "]})" and stack:
            stack.pop()
        if len(stack) > MAX_DEPTH:
            raise _too_deep(text, match.start(), display, "HCL")


def _string_token(token: str, stack: list[str]) -> None:
    if token in ('"', "\n"):  # a newline ends an unterminated string: the parser will say so
        stack.pop()
    elif token.endswith("{"):
        stack.append("{")


def _after_heredoc(text: str, pos: int, word: str) -> int:
    """The offset after the line that closes the heredoc started before ``pos``."""
    closing = re.compile(rf"^[^\S\n]*{re.escape(word)}[^\S\n]*$", re.MULTILINE)
    found = closing.search(text, pos)
    return len(text) if found is None else found.end()


def _too_deep(text: str, offset: int, display: str, language: str) -> LimitExceeded:
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return LimitExceeded(f"{language} nests deeper than {MAX_DEPTH} levels here; parity reads at most that many",
                         file=display, line=line, column=column)
