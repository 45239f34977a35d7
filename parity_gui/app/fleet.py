"""Fleets: one compose project or swarm stack on many engines, compared side by side.

``docker://*/NAME`` stands for ``docker://CONTEXT/NAME`` for every context stored in the docker
CLI's configuration (``$DOCKER_CONFIG``, else ``~/.docker``), in name order; the ``default``
context (the local engine or ``DOCKER_HOST``) is not part of it — name it to include it. Of
those, the contexts whose engine answers that it runs no project or stack NAME are left out with
a note; an engine that cannot be reached cannot say so and stays in, as a failed column.

A comparison naming two or more live engines is a fleet (a stack file may come first, as the
reference): everything loads in parallel, each engine under its own deadline, and an engine that
fails becomes a *failed column* — an environment holding only its error, which takes no part in
the comparison. The others compare; the result says it is incomplete, and the command exits 2,
never "no drift". A file that fails to load is still an error for the whole comparison, and so
is a fleet of which fewer than two environments load.
"""

from __future__ import annotations

from collections.abc import Sequence

from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level
from parity_gui.errors import OptionsError, ParityError
from parity_gui.sources.docker.contexts import SCHEME, list_contexts

WILDCARD = f"{SCHEME}*/"


def is_wildcard(spec: str) -> bool:
    return spec.startswith(WILDCARD)


def is_fleet(specs: Sequence[str]) -> bool:
    """True when two or more specs are live engines: an engine that fails becomes a failed column."""
    return sum(spec.startswith(SCHEME) for spec in specs) >= 2


def expand(arguments: Sequence[str]) -> tuple[tuple[str, ...], frozenset[int]]:
    """The specs ``arguments`` stand for, with ``docker://*/NAME`` expanded, and the positions of
    the specs that came from a wildcard (left out when their engine lacks NAME)."""
    specs: list[str] = []
    optional: set[int] = set()
    for argument in arguments:
        if not is_wildcard(argument):
            specs.append(argument)
            continue
        name = argument.removeprefix(WILDCARD)
        if not name or "/" in name:
            raise OptionsError(f"{argument}: write docker://*/NAME (a compose project or stack name)")
        stored = [c.name for c in list_contexts()[1:]]
        if not stored:
            raise OptionsError(f"{argument}: no Docker contexts are stored (docker context create …)")
        for context in stored:
            optional.add(len(specs))
            specs.append(f"{SCHEME}{context}/{name}")
    return tuple(specs), frozenset(optional)


def failed_environment(spec: str, name: str, error: ParityError) -> Environment:
    """A failed column: no tree, no coverage, the error that stopped the load."""
    env = Environment(name=name, spec=spec, coverage=Coverage.of([]))
    env.sources = [spec]
    env.diagnostics = [Diagnostic(error.message, error.file, error.line, error.column, Level.ERROR)]
    return env


def left_out_note(spec: str, why: str) -> Diagnostic:
    """The note for an engine a wildcard named that runs no such project or stack (``why``: its answer)."""
    return Diagnostic(f"{spec} is left out: {why}", level=Level.NOTE)
