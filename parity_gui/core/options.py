"""The options of a comparison: one small, frozen, validated object built by the front ends."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from parity_gui.core.drift import Severity
from parity_gui.core.pointer import Path, PathGlob
from parity_gui.errors import OptionsError


@dataclass(frozen=True)
class ExpectedDifference:
    """A difference that is there by design (prod has more replicas), with the reason why.

    ``environments`` limits it to comparisons that involve those environment names; empty means
    any. It never fails a check; the drift stays visible, marked expected with this reason.
    """

    glob: PathGlob
    reason: str
    environments: tuple[str, ...] = ()
    source: str | None = None  #: where it was declared, ``file:line``

    def applies(self, path: Path, names: Iterable[str]) -> bool:
        if self.environments and not set(self.environments) & set(names):
            return False
        return self.glob.matches(path)


@dataclass(frozen=True)
class SeverityOverride:
    """Rate drift under ``glob`` at ``severity``, whatever the rules say."""

    glob: PathGlob
    severity: Severity
    source: str | None = None


@dataclass(frozen=True)
class Rename:
    """One thing written under different keys in different environments (``[[rename]]`` of
    ``.parity.toml``): the path it has in each environment named. The paths share their parent."""

    paths: tuple[tuple[str, Path], ...]  #: (environment name, path), in the order written
    source: str | None = None

    def path_in(self, environment: str) -> Path | None:
        return next((p for name, p in self.paths if name == environment), None)


@dataclass(frozen=True)
class ServicePair:
    """Services that are one service under different names (compose ``web``, Deployment
    ``shop-web``): compared as :attr:`name`, the first name given."""

    names: tuple[str, ...]
    source: str | None = None

    def __post_init__(self) -> None:
        if len(self.names) < 2 or len(set(self.names)) != len(self.names):
            raise OptionsError(f"a pair names two or more different services, not {list(self.names)}")

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class CompareOptions:
    """What a comparison takes besides the environments.

    ``ignore`` drops paths from the comparison altogether (they are not shown as drift);
    ``expected`` and ``overrides`` usually come from ``.parity.toml``. ``aliases`` gives, by
    environment name, the other names an environment goes by inside keys (``d`` for ``dev`` in
    ``rn-d-app``); ``renames`` pairs keys that name one thing (see :mod:`parity_gui.engine.align`);
    ``pairs`` compare services of different names as one.
    """

    expected: tuple[ExpectedDifference, ...] = ()
    overrides: tuple[SeverityOverride, ...] = ()
    ignore: tuple[PathGlob, ...] = field(default=())
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    renames: tuple[Rename, ...] = ()
    pairs: tuple[ServicePair, ...] = ()

    def __post_init__(self) -> None:
        for name, items, kind in (
            ("expected", self.expected, ExpectedDifference),
            ("overrides", self.overrides, SeverityOverride),
            ("ignore", self.ignore, PathGlob),
            ("renames", self.renames, Rename),
            ("pairs", self.pairs, ServicePair),
        ):
            if not isinstance(items, tuple):
                raise OptionsError(f"CompareOptions.{name} must be a tuple, not {type(items).__name__}")
            for item in items:
                if not isinstance(item, kind):
                    raise OptionsError(f"CompareOptions.{name} holds {item!r}, not a {kind.__name__}")
        for exp in self.expected:
            if not exp.reason.strip():
                raise OptionsError(f"expected difference {exp.glob.pattern} needs a reason")

    def expectation(self, path: Path, names: Iterable[str]) -> ExpectedDifference | None:
        names = tuple(names)
        return next((e for e in self.expected if e.applies(path, names)), None)

    def override(self, path: Path) -> SeverityOverride | None:
        return next((o for o in self.overrides if o.glob.matches(path)), None)

    def names_of(self, environment: str) -> tuple[str, ...]:
        """The names ``environment`` goes by inside keys: its own and its aliases."""
        return (environment, *next((a for name, a in self.aliases if name == environment), ()))

    def ignores(self, path: Path) -> bool:
        return any(g.matches(path) for g in self.ignore)
