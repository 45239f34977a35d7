"""Opening a ``file:line`` in the user's editor, at the line.

The editor is ``$VISUAL``, else ``$EDITOR``, called the way it takes a line: VS Code and its
kin ``-g file:line``, JetBrains IDEs ``--line N file``, Sublime Text and Zed ``file:line``, Kate
``-l N file``, and the vi/Emacs/nano family ``+N file``. Editors that need a terminal (vim,
nano, …) open in ``x-terminal-emulator`` when there is one. Without an editor, or when it cannot
be started, the desktop's default application for the file opens it (at its first line). When
nothing could be opened, the caller gets a sentence to show.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

VS_CODE = {"code", "code-insiders", "codium", "vscodium", "cursor"}
JETBRAINS = {"idea", "pycharm", "charm", "goland", "webstorm", "clion", "phpstorm", "rubymine", "rider",
             "datagrip", "rustrover", "studio"}
COLON_LINE = {"subl", "sublime_text", "zed", "zeditor"}
PLUS_LINE = {"gvim", "mvim", "vim", "nvim", "vi", "emacs", "emacsclient", "nano", "micro", "gedit",
             "gnome-text-editor", "mousepad", "pluma", "xed", "kak", "hx", "helix", "joe", "mcedit"}
IN_TERMINAL = {"vim", "nvim", "vi", "nano", "micro", "kak", "hx", "helix", "joe", "mcedit"}

#: How each family of editors is told the line: the words after the editor's own.
LINE_STYLES: list[tuple[set[str], Callable[[str, int], list[str]]]] = [
    (VS_CODE, lambda file, line: ["-g", f"{file}:{line}"]),
    (JETBRAINS, lambda file, line: ["--line", str(line), file]),
    (COLON_LINE, lambda file, line: [f"{file}:{line}"]),
    ({"kate"}, lambda file, line: ["-l", str(line), file]),
    (PLUS_LINE, lambda file, line: [f"+{line}", file]),
]


def editor_command(file: str, line: int | None, environ: Mapping[str, str]) -> list[str] | None:
    """The command that opens ``file`` at ``line`` in the user's editor, or None when no editor
    is set (or it needs a terminal and there is none). An editor parity does not know is given
    the file alone."""
    words = shlex.split(environ.get("VISUAL") or environ.get("EDITOR") or "")
    if not words:
        return None
    name = Path(words[0]).name.removesuffix(".sh").removesuffix(".exe").removesuffix("64")
    tail = next((style(file, line or 1) for names, style in LINE_STYLES if name in names), [file])
    command = [*words, *tail]
    if name in IN_TERMINAL or (name == "emacs" and "-nw" in words):
        terminal = environ.get("TERMINAL") or shutil.which("x-terminal-emulator")
        return [terminal, "-e", *command] if terminal else None
    return command


def open_in_editor(file: str, line: int | None = None) -> str | None:
    """Open ``file`` at ``line``; None when something opened it, else why nothing could."""
    from PySide6.QtCore import QProcess, QUrl
    from PySide6.QtGui import QDesktopServices

    path = Path(file).absolute()
    if not path.exists():
        return f"Cannot open {file}: it is no longer there"
    command = editor_command(str(path), line, os.environ)
    if command is not None and shutil.which(command[0]) is not None:
        started, _ = QProcess.startDetached(command[0], command[1:])
        if started:
            return None
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return None
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    hint = f"{editor!r} did not start" if editor else "set $VISUAL or $EDITOR to your editor"
    return f"Could not open {path}{f':{line}' if line else ''}: {hint}, and there is no default application for it"
