"""Loading environments from specs and comparing them: the use case both front ends call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from parity_gui.core.options import CompareOptions
from parity_gui.core.tree import Environment
from parity_gui.engine import Comparison, compare
from parity_gui.errors import OptionsError
from parity_gui.sources import registry

#: Called with a short message as each step starts ("loading prod", "comparing").
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Request:
    """What to compare: specs (first is the baseline), optional names, and options."""

    specs: tuple[str, ...]
    names: tuple[str | None, ...] = ()
    options: CompareOptions = field(default_factory=CompareOptions)
    base: Path | None = None

    def __post_init__(self) -> None:
        if len(self.specs) < 2:
            raise OptionsError("name at least two environments to compare")
        if len(self.names) > len(self.specs):
            raise OptionsError("more names than environments")

    def name_of(self, index: int) -> str | None:
        return self.names[index] if index < len(self.names) else None


def load_environment(spec: str, name: str | None = None, *, base: Path | None = None) -> Environment:
    """Load one environment; raises a :class:`~parity_gui.errors.SourceError` when nothing loads."""
    return registry.load(spec, name, base=base)


def load_all(request: Request, progress: Progress | None = None) -> list[Environment]:
    environments = []
    for index, spec in enumerate(request.specs):
        if progress:
            progress(f"loading {request.name_of(index) or spec}")
        environments.append(load_environment(spec, request.name_of(index), base=request.base))
    return unique_names(environments)


def unique_names(environments: Sequence[Environment]) -> list[Environment]:
    """Give environments that share a name a distinguishing suffix (``compose.yml (2)``)."""
    seen: dict[str, int] = {}
    for env in environments:
        count = seen.get(env.name, 0)
        seen[env.name] = count + 1
        if count:
            env.name = f"{env.name} ({count + 1})"
    return list(environments)


def run(request: Request, progress: Progress | None = None) -> Comparison:
    """Load every environment of ``request`` and compare them against the first."""
    environments = load_all(request, progress)
    if progress:
        progress("comparing")
    return compare(environments[0], *environments[1:], options=request.options)
