"""The one exception hierarchy of parity.

Every failure a user can cause (a bad file, a missing engine, an unwritable export) is raised as
a :class:`ParityError` carrying the file and line the user needs; third-party exceptions are
converted once, at the module that calls the library, with ``raise ... from e``.
"""

from __future__ import annotations


class ParityError(Exception):
    """Base of every error parity reports to a user."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def location(self) -> str:
        """``file:line:column`` as far as known, or an empty string."""
        if self.file is None:
            return ""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class SourceError(ParityError):
    """A spec names nothing loadable: missing file, empty folder, unknown format."""


class ParseError(SourceError):
    """A file exists but its content cannot be read as what it claims to be."""


class LimitExceeded(ParseError):
    """An input is larger, deeper or more expanding than parity agrees to read."""


class DockerUnavailable(SourceError):
    """A Docker engine or context cannot be reached or resolved."""


class NotOnEngine(SourceError):
    """An engine answered, but runs no compose project or swarm stack of the name asked for."""


class ProjectFileError(ParseError):
    """``.parity.toml`` is invalid."""


class OptionsError(ParityError):
    """Compare options are contradictory or unknown."""


class ExportError(ParityError):
    """An export (report or patch) cannot be produced or written."""


class Cancelled(ParityError):
    """The user cancelled a running load or comparison."""
