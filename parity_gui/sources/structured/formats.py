"""The formats of structured files, each read into :mod:`parity_gui.sources.yamlfile` nodes."""

from __future__ import annotations

from collections.abc import Callable

from parity_gui.sources.structured.ini import parse_ini
from parity_gui.sources.structured.json_text import parse_json
from parity_gui.sources.structured.nodes import Parsed
from parity_gui.sources.structured.properties import parse_properties
from parity_gui.sources.structured.toml_text import parse_toml
from parity_gui.sources.text import Text
from parity_gui.sources.yamlfile import load_yaml_documents

__all__ = ["FORMATS", "Parsed"]


def parse_yaml(text: Text) -> Parsed:
    """Every document of a YAML file, read as yaml.v3 reads YAML (:mod:`yamlfile`)."""
    return Parsed(tuple(load_yaml_documents(text)))


FORMATS: dict[str, Callable[[Text], Parsed]] = {
    "yaml": parse_yaml,
    "json": parse_json,
    "toml": parse_toml,
    "ini": parse_ini,
    "properties": parse_properties,
}
