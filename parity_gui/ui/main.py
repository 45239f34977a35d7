"""``parity-gui [ENV …]``: open the desktop app, one pane per environment.

With no environments named, the app reopens the pair of the last session, or the bundled
examples on a first run. ``--screenshot FILE`` loads, renders offscreen, writes a PNG and exits:
0 when both sides loaded, 2 when one did not (the PNG still shows the error in place).

Start-up stays light: only Qt and the window are imported here; the sources (and docker, hcl2,
deepdiff with them) are imported by the loading workers after the window is on screen.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMessageLogContext,
    QSize,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QApplication

from parity_gui.ui import session, theme
from parity_gui.ui.session import Remembered

EXIT_OK, EXIT_TROUBLE = 0, 2
SCREENSHOT_TIMEOUT_MS = 120_000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parity-gui", description="See where environments drift apart.")
    parser.add_argument("environments", nargs="*", metavar="ENV",
                        help="environments to compare, side by side, the first is the baseline: specs (files "
                             "joined with '+', a folder, docker://…) or names from .parity.toml")
    parser.add_argument("--name", action="append", default=[], metavar="NAME", help="a name for each side, in order")
    parser.add_argument("--screenshot", type=Path, metavar="FILE", help="render to a PNG and exit")
    parser.add_argument("--size", default="1400x900", type=_size, help="window size for --screenshot (WxH)")
    parser.add_argument("--tab", choices=("details", "groups"), default="details",
                        help="for --screenshot: the panel under the panes shows the details or the drift groups")
    return parser


def _size(text: str) -> QSize:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1400x900, not {text!r}") from None
    if width < 200 or height < 150:
        raise argparse.ArgumentTypeError("size must be at least 200x150")
    return QSize(width, height)


#: How long a worker thread may hold the interpreter before the window's thread gets a turn.
#: Decision: 0.2 ms rather than Python's 5 ms. Painting a tree calls between Python and Qt many
#: times per cell, and while a worker builds a big comparison each of those calls waits for the
#: worker to let go: at 5 ms a million-row comparison froze the window for about a second, at
#: 1 ms for 250 ms, at 0.2 ms for under 100 ms. The worker pays a few per cent, only while the
#: window wants the interpreter.
SWITCH_INTERVAL = 0.0002


def application(argv: Sequence[str]) -> QApplication:
    """The QApplication, named (so QSettings has a place) and themed after the system."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "parity-gui", *argv])
    session.name_application()
    app.setApplicationDisplayName("parity")
    app.setDesktopFileName("io.github.paritygui.Parity")  # matches the launcher entry (Wayland)
    from parity_gui.app.resources import resource_path

    icon = resource_path("icons", "parity.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    app.setStyle("Fusion")
    sys.setswitchinterval(SWITCH_INTERVAL)
    theme.apply(app)
    hints = app.styleHints()
    if hints is not None:
        hints.colorSchemeChanged.connect(lambda _: theme.apply(app))
    return app


Sides = list[tuple[str | None, str | None]]


def sides_from(args: argparse.Namespace, previous: Sides) -> Sides:
    """(name, spec) per side: the arguments, else the last session, else the bundled examples."""
    if args.environments:
        names = [*args.name, *([None] * len(args.environments))]
        return [(names[i], spec) for i, spec in enumerate(args.environments)]
    if previous and not args.screenshot:
        return previous
    return _examples()


def last_session(previous: list[Remembered | None]) -> tuple[Sides, Path | None]:
    """The panes of the last session as (name, spec), and the project folder they came from."""
    sides: Sides = [(entry.name, entry.spec) if entry else (None, None) for entry in previous]
    projects = [entry.project for entry in previous if entry and entry.project]
    return sides, Path(projects[0]) if projects else None


def _examples() -> Sides:
    from parity_gui.app.resources import example_specs

    return [(name, spec) for name, spec in example_specs()[:2]]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else list(argv))
    if args.screenshot and not _has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    app = application([])
    if app.platformName() == "offscreen":
        _quiet_offscreen_notices()
    from parity_gui.ui.window import MainWindow

    window = MainWindow(base=Path.cwd())
    previous, project = last_session(window.session.last_pair())
    sides = sides_from(args, previous)
    fallback: Path | None = None  #: where the names of the last session or the examples come from
    if not args.environments and previous and sides == previous and project is not None:
        fallback = project  # project environment names, and the project's rules, from where they came
    if not args.environments and sides == _examples():
        from parity_gui.app.resources import example_project

        fallback = example_project()  # the example names come from the example's .parity.toml
    if not args.environments:
        window.prefer_project(fallback)  # a .parity.toml here names what to open
    if args.screenshot:
        window.bottom.setCurrentIndex(1 if args.tab == "groups" else 0)
        if args.tab == "groups":
            groups = window.groups
            window.comparison_shown.connect(lambda: groups.view.expand(groups.model.index(0, 0)))  # the first one open
        return screenshot(app, window, sides, args.screenshot, args.size)
    window.show()
    QTimer.singleShot(0, _prepare_loading)
    window.start(sides)
    return app.exec()


#: What the offscreen platform says for every window it cannot treat as a screen would.
_OFFSCREEN_NOTICES = ("does not support propagateSizeHints", "does not support raise")


def _quiet_offscreen_notices() -> None:
    """Keep the offscreen platform's notices (nothing a user of ``--screenshot`` can act on) off
    standard error; every other Qt message is written as Qt would."""
    def handler(_mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if not any(notice in message for notice in _OFFSCREEN_NOTICES):
            sys.stderr.write(f"{message}\n")

    qInstallMessageHandler(handler)


def _has_display() -> bool:
    """Whether Qt has a screen to open on: a platform chosen, an X display or a Wayland one."""
    return any(os.environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"))


def _prepare_loading() -> None:
    """Start the parsing workers' server once the window is up (it imports the parsers)."""
    from parity_gui.app.compare import prepare

    prepare()


def screenshot(app: QApplication, window: object, sides: list[tuple[str | None, str | None]], file: Path,
               size: QSize) -> int:
    """Load ``sides``, render the window at ``size`` into ``file`` (PNG), and say how it went."""
    from parity_gui.ui.window import MainWindow

    assert isinstance(window, MainWindow)
    window.persist = False
    window.resize(size)
    window.show()
    window.comparison_shown.connect(app.quit)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, app.quit)
    window.start(sides)
    app.exec()
    app.processEvents()
    from parity_gui.core.printable import printable
    from parity_gui.export.sections import load_errors

    saved = _save_png(window.grab().toImage(), file)
    incomplete = load_errors(window.comparison) if window.comparison is not None else 0
    failed = window.busy or any(s.failure is not None for s in window.states) or not saved or incomplete > 0
    if incomplete:
        print(f"parity-gui: incomplete: {incomplete} error(s) while loading (shown in the window)", file=sys.stderr)
    for state in window.states:
        if state.failure is not None:
            where = state.failure.location()
            print(printable(f"parity-gui: {where + ': ' if where else ''}{state.failure.message}"), file=sys.stderr)
    window.close()
    return EXIT_TROUBLE if failed else EXIT_OK


def _save_png(image: QImage, file: Path) -> bool:
    """Encode ``image`` as PNG and write it as exports are written (a link at ``file`` is
    replaced, never written through); say on stderr why not when it fails."""
    from parity_gui.errors import ExportError
    from parity_gui.export.files import write_output

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    encoded = image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    try:
        if not encoded:
            raise ExportError("cannot encode the window as PNG", file=str(file))
        write_output(file, bytes(data.data()))
    except ExportError as e:
        print(f"parity-gui: {e}", file=sys.stderr)
        return False
    return True
