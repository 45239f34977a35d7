"""Where a value came from: a place in a file, or an attribute of a live object."""

from __future__ import annotations

from typing import NamedTuple

#: The ``attribute`` of the origin a swarm service's own node records (its spec's name): how a
#: stack read from a swarm manager is told from containers grouped by compose labels.
SWARM_SERVICE_ATTRIBUTE = "Spec.Name"


class Origin(NamedTuple):
    """The place a value was read from.

    File sources set ``file``, ``line`` and ``column`` (1-based). Live sources set ``context``
    (the Docker context), ``object_id`` (container or image id) and ``attribute`` (the inspect
    field, e.g. ``Config.Env``).

    A named tuple rather than a dataclass: a big environment holds one per value (over 100,000)
    and they cross from the parsing worker process, where building them costs a tenth as much.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    context: str | None = None
    object_id: str | None = None
    attribute: str | None = None

    @property
    def is_file(self) -> bool:
        return self.file is not None

    def __str__(self) -> str:
        if self.file is not None:
            text = self.file
            if self.line is not None:
                text += f":{self.line}"
                if self.column is not None:
                    text += f":{self.column}"
            return text
        parts = [p for p in (self.context, self.object_id and self.object_id[:12]) if p]
        text = "/".join(parts) if parts else "(unknown)"
        if self.attribute:
            text += f" {self.attribute}"
        return text

    def to_json(self) -> dict[str, object]:
        """The JSON contract's origin object: only the fields that are set."""
        fields = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "context": self.context,
            "object_id": self.object_id,
            "attribute": self.attribute,
        }
        return {k: v for k, v in fields.items() if v is not None}
