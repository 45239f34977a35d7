"""``parity``: compare environments from the command line.

Exit status follows ``diff``: 0 when there is no unexpected drift, 1 when there is, 2 when
something went wrong (a file that cannot be read, a bad option) — also when the rest of a
folder still loaded beside a file that could not be read: the comparison is then incomplete. Errors are one line on
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
from parity_gui.app.compare import nothing_in_common, prepare, request_for, run
from parity_gui.cli import text
from parity_gui.core.printable import printable
from parity_gui.core.secrets import mask_text
from parity_gui.errors import ParityError
from parity_gui.export import json_report
from parity_gui.export.files import write_output
from parity_gui.export.sections import load_errors

EXIT_SAME, EXIT_DRIFT, EXIT_TROUBLE = 0, 1, 2
FORMATS = ("text", "json", "markdown", "html", "sarif")
SHOW_FORMATS = ("text", "json", "yaml")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parity",
        description="How far apart are your environments? Compare compose projects and more.",
    )
    parser.add_argument("--version", action="version", version=f"parity {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_compare(commands)
    _add_review(commands)
    _add_patch(commands)
    _add_show(commands)
    _add_apply(commands)
    _add_init(commands)
    _add_contexts(commands)
    return parser


def _add_show(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    show = commands.add_parser(
        "show", help="print one environment's canonical tree with where each value came from",
        description=(
            "Print what parity understood of one environment: its canonical tree, each value with "
            "its origin (file:line, or the container it was read from), defaults marked. ENV is a "
            "spec (file, a+b, folder, docker://…) or a name from .parity.toml. Secrets are masked "
            "unless --show-secrets."
        ),
    )
    show.add_argument("environment", metavar="ENV", help="an environment spec, or a name from .parity.toml")
    show.add_argument("--format", choices=SHOW_FORMATS, default="text", help="output format (default: text)")
    show.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (atomically)")
    show.add_argument("--show-secrets", action="store_true", help="print secret values in clear")
    show.add_argument("--project", type=Path, metavar="FILE",
                      help="the project file (default: .parity.toml here or in a folder above)")
    show.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _add_patch(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    patch = commands.add_parser(
        "patch", help="write a fix patch that makes TARGET's files match REFERENCE",
        description=(
            "Write a unified diff (git style) that edits TARGET's source files so that TARGET "
            "matches REFERENCE, for all unexpected drift or the pointers given with --only. "
            "Nothing is changed: apply it yourself with 'git apply'. Exit 0 when there is nothing "
            "to fix, 1 when a patch was written, 2 on trouble."
        ),
    )
    patch.add_argument("reference", metavar="REFERENCE", help="the environment to match (spec or project name)")
    patch.add_argument("target", metavar="TARGET", help="the environment whose files the patch edits")
    patch.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the patch to FILE (default: stdout)")
    patch.add_argument("--only", action="append", default=[], metavar="POINTER",
                       help="fix only this drift (a JSON Pointer such as /services/db/image/tag); repeatable")
    patch.add_argument("--show-secrets", action="store_true",
                       help="write secret values in clear instead of placeholders")
    patch.add_argument("--project", type=Path, metavar="FILE",
                       help="the project file (default: .parity.toml found here)")
    patch.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _add_apply(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    apply = commands.add_parser(
        "apply", help="apply a fix patch, only to the exact files it was made from",
        description=(
            "Apply a fix patch written by 'parity patch' to the files under DIR (default: here), "
            "only when each file it edits still has the SHA-256 recorded in the patch; otherwise "
            "nothing is changed and the reason is one line. Each file is replaced atomically. "
            "Exit 0 when applied, 2 when refused."
        ),
    )
    apply.add_argument("patch", type=Path, metavar="PATCH", help="the fix patch file")
    apply.add_argument("-C", "--directory", type=Path, default=Path(), metavar="DIR",
                       help="the folder the patch applies from (default: here)")
    apply.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _add_init(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = commands.add_parser(
        "init", help="write a starting .parity.toml from what a folder holds (never overwrites)",
        description="Write FOLDER/.parity.toml naming the environments found there. Asks nothing, overwrites nothing.",
    )
    init.add_argument("folder", nargs="?", type=Path, default=Path(), help="the repository root (default: here)")
    init.add_argument("--print", action="store_true", help="print the file instead of writing it")
    init.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _add_contexts(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    contexts = commands.add_parser(
        "contexts", help="list the Docker contexts (docker://NAME) and their endpoints",
        description="List Docker contexts as the docker CLI resolves them; * marks the current one.",
    )
    contexts.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _add_compare(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    compare = commands.add_parser(
        "compare",
        help="compare two or more environments (the first is the baseline)",
        description=(
            "Compare environments. Each one is a file, several files joined with '+' "
            "(compose.yml+compose.prod.yml, merged like docker compose -f), a folder, or a live engine: "
            "docker://CONTEXT/PROJECT (a compose project, or on a swarm manager a stack; "
            "project:NAME or stack:NAME when both exist), and docker://*/NAME for every stored "
            "context that runs NAME."
        ),
    )
    compare.add_argument(
        "environments", nargs="*", metavar="ENV",
        help="environment specs, or names from .parity.toml; the first is the baseline",
    )
    compare.add_argument("--project", type=Path, metavar="FILE",
                         help="the project file (default: .parity.toml here or in a folder above)")
    compare.add_argument("--name", action="append", default=[], metavar="NAME",
                         help="a name for each environment, in order (default: from the spec)")
    compare.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    compare.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report to FILE")
    compare.add_argument("--show-secrets", action="store_true", help="print secret values in clear")
    compare.add_argument("--baseline", type=Path, metavar="REPORT.json",
                         help="an earlier JSON report: drift it already has is 'known' and does not fail")
    compare.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                         help="colour the text output (default: on a terminal only)")
    compare.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _add_review(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    review = commands.add_parser(
        "review",
        help="what a change does to each environment, and the drift between them it adds or resolves",
        description=(
            "Compare each environment of .parity.toml at the base revision with the work tree, and "
            "the environments with each other before and after: new, resolved and changed drift. "
            "Exit 1 when the change adds unexpected drift between environments."
        ),
    )
    review.add_argument("environments", nargs="*", metavar="ENV",
                        help="environments of .parity.toml (default: all of them)")
    review.add_argument("--base", metavar="REV",
                        help="the revision before the change (default: the merge base with the default branch, "
                             "else HEAD)")
    review.add_argument("--project", type=Path, metavar="FILE",
                        help="the project file (default: .parity.toml here or in a folder above)")
    review.add_argument("--baseline", type=Path, metavar="REPORT.json",
                        help="an earlier JSON report: drift it already has is 'known' and does not fail")
    review.add_argument("--format", choices=("text", "markdown", "json", "sarif"), default="text",
                        help="output format (default: text; markdown is a pull-request comment)")
    review.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the review to FILE")
    review.add_argument("--show-secrets", action="store_true", help="print secret values in clear")
    review.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text output (default: on a terminal only)")
    review.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help(sys.stderr)
        return EXIT_TROUBLE
    commands = {"compare": _compare, "patch": _patch, "show": _show, "apply": _apply, "init": _init,
                "contexts": _contexts, "review": _review}
    try:
        return commands[args.command](args)
    except ParityError as e:
        return _fail(str(e), args.debug)
    except KeyboardInterrupt:
        return _fail("interrupted", args.debug)
    except Exception as e:
        return _fail(f"internal error: {type(e).__name__}: {e} (run with --debug for details)", args.debug)


def _fail(message: str, debug: bool) -> int:
    if debug:  # the traceback repeats the message (and any it was raised from): masked as well
        print(mask_text(traceback.format_exc()), end="", file=sys.stderr)
    print(f"parity: {printable(mask_text(message))}", file=sys.stderr)
    return EXIT_TROUBLE


def _compare(args: argparse.Namespace) -> int:
    single = len(args.environments) == 1 and not args.environments[0].startswith("docker://*/")
    if single and args.project is None and not _has_project():
        return _fail("compare needs at least two environments (LEFT RIGHT)", args.debug)
    prepare()
    request = request_for(args.environments, names=args.name, project_file=args.project)
    comparison = run(request)
    if args.baseline is not None:
        from parity_gui.app.known import mark_known, read_baseline

        mark_known(comparison, read_baseline(args.baseline))
    if args.format == "json":
        output = json_report.render(comparison, reveal_secrets=args.show_secrets)
    elif args.format == "text":
        output = text.render(comparison, colour=_colour(args), reveal_secrets=args.show_secrets)
    else:
        from parity_gui.app.export import build_report

        output = build_report(comparison, args.format, reveal_secrets=args.show_secrets)
    if args.output:
        from parity_gui.app.export import report_inputs

        inputs = report_inputs(comparison, request.base)
        if request.project is not None:
            inputs.append(request.project.path)
        write_output(args.output, output.encode("utf-8"), inputs)
    else:
        sys.stdout.write(output)
    if load_errors(comparison):
        return EXIT_TROUBLE  # what failed to load was not compared: never "no drift"
    if comparison.unexpected:
        return EXIT_DRIFT
    return EXIT_TROUBLE if nothing_in_common(comparison.environments) else EXIT_SAME


def _review(args: argparse.Namespace) -> int:
    from parity_gui.app.known import read_baseline
    from parity_gui.app.review import review_project
    from parity_gui.cli import review_text
    from parity_gui.export import review_report

    prepare()
    known = read_baseline(args.baseline) if args.baseline is not None else None
    found = review_project(args.environments, base=args.base, project_file=args.project, known=known)
    renders = {"markdown": review_report.render_markdown, "json": review_report.render_json,
               "sarif": review_report.render_sarif}
    if args.format == "text":
        output = review_text.render(found, colour=_colour(args), reveal_secrets=args.show_secrets)
    else:
        output = renders[args.format](found, reveal_secrets=args.show_secrets)
    if args.output:
        write_output(args.output, output.encode("utf-8"))
    else:
        sys.stdout.write(output)
    if any(load_errors(c.comparison) for c in found.changes):
        return EXIT_TROUBLE
    return EXIT_DRIFT if found.failing else EXIT_SAME


def _patch(args: argparse.Namespace) -> int:
    from parity_gui.app.export import patch_for

    prepare()
    patch = patch_for(args.reference, args.target, only=args.only, reveal_secrets=args.show_secrets,
                      project_file=args.project)
    if args.output:
        from parity_gui.app.export import patch_inputs

        write_output(args.output, patch.text, patch_inputs(patch))
    else:
        sys.stdout.buffer.write(patch.text)
        sys.stdout.flush()
    print(printable(patch.summary(), keep_lines=True), file=sys.stderr)  # the patch's own words, free of secrets
    if patch.load_errors:
        print(f"parity: incomplete: {patch.load_errors} error(s) while loading the environments; the patch "
              "covers only what loaded (parity compare shows them)", file=sys.stderr)
        return EXIT_TROUBLE
    return EXIT_SAME if patch.empty else EXIT_DRIFT


def _show(args: argparse.Namespace) -> int:
    from parity_gui.app.show import show

    prepare()
    env, output = show(args.environment, args.format, reveal_secrets=args.show_secrets, project_file=args.project)
    if args.output:
        write_output(args.output, output.encode("utf-8"), [Path(source) for source in env.sources])
    else:
        sys.stdout.write(output)
    return EXIT_SAME


def _apply(args: argparse.Namespace) -> int:
    from parity_gui.app.export import apply_fix_patch

    applied = apply_fix_patch(args.patch, args.directory)
    names = ", ".join([*applied.edited, *(f"{name} (new)" for name in applied.created)])
    print(printable(f"applied {args.patch}: {names}"))
    return EXIT_SAME


def _has_project() -> bool:
    from parity_gui.app.project import find_project

    return find_project(Path.cwd()) is not None


def _init(args: argparse.Namespace) -> int:
    from parity_gui.app.project_init import create_project_file, init_project

    if args.print:
        sys.stdout.write(init_project(args.folder))
        return EXIT_SAME
    path = create_project_file(args.folder)
    print(f"wrote {path}: review the environments and add the differences you expect")
    return EXIT_SAME


def _contexts(args: argparse.Namespace) -> int:
    from parity_gui.app.contexts import list_contexts

    contexts = list_contexts()
    width = max((len(c.name) for c in contexts), default=4)
    for context in contexts:
        mark = "*" if context.current else " "
        description = f"  {context.description}" if context.description else ""
        print(printable(f"{mark} {context.name:<{width}}  {context.endpoint}{description}"))
    return EXIT_SAME


def _colour(args: argparse.Namespace) -> bool:
    if args.color != "auto":
        return bool(args.color == "always")
    if args.output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


if __name__ == "__main__":
    raise SystemExit(main())
