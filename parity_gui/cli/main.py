"""``parity``: compare environments from the command line.

Exit status follows ``diff``: 0 when there is no unexpected drift, 1 when there is, 2 when
something went wrong (a file that cannot be read, a bad option). Errors are one line on
stderr naming the file and line; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from parity_gui import __version__
from parity_gui.app.compare import Request, run
from parity_gui.cli import text
from parity_gui.errors import ParityError
from parity_gui.export import json_report
from parity_gui.export.files import write_atomically

EXIT_SAME, EXIT_DRIFT, EXIT_TROUBLE = 0, 1, 2
FORMATS = ("text", "json")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parity",
        description="How far apart are your environments? Compare compose projects and more.",
    )
    parser.add_argument("--version", action="version", version=f"parity {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_compare(commands)
    return parser


def _add_compare(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    compare = commands.add_parser(
        "compare",
        help="compare two or more environments (the first is the baseline)",
        description=(
            "Compare environments. Each one is a file, several files joined with '+' "
            "(compose.yml+compose.prod.yml, merged like docker compose -f), or a folder."
        ),
    )
    compare.add_argument("environments", nargs="+", metavar="ENV", help="environment specs; the first is the baseline")
    compare.add_argument("--name", action="append", default=[], metavar="NAME",
                         help="a name for each environment, in order (default: from the spec)")
    compare.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    compare.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report to FILE")
    compare.add_argument("--show-secrets", action="store_true", help="print secret values in clear")
    compare.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                         help="colour the text output (default: on a terminal only)")
    compare.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help(sys.stderr)
        return EXIT_TROUBLE
    try:
        return _compare(args)
    except ParityError as e:
        return _fail(str(e), args.debug)
    except KeyboardInterrupt:
        return _fail("interrupted", args.debug)
    except Exception as e:
        return _fail(f"internal error: {type(e).__name__}: {e} (run with --debug for details)", args.debug)


def _fail(message: str, debug: bool) -> int:
    if debug:
        traceback.print_exc()
    print(f"parity: {message}", file=sys.stderr)
    return EXIT_TROUBLE


def _compare(args: argparse.Namespace) -> int:
    if len(args.environments) < 2:
        return _fail("compare needs at least two environments (LEFT RIGHT)", args.debug)
    request = Request(tuple(args.environments), tuple(args.name))
    comparison = run(request)
    if args.format == "json":
        output = json_report.render(comparison, reveal_secrets=args.show_secrets)
    else:
        output = text.render(comparison, colour=_colour(args), reveal_secrets=args.show_secrets)
    if args.output:
        write_atomically(args.output, output.encode("utf-8"))
    else:
        sys.stdout.write(output)
    return EXIT_DRIFT if comparison.unexpected else EXIT_SAME


def _colour(args: argparse.Namespace) -> bool:
    if args.color != "auto":
        return bool(args.color == "always")
    if args.output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


if __name__ == "__main__":
    raise SystemExit(main())
