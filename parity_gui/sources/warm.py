"""Imported once by the server that parse workers are forked from (see :mod:`isolation`).

Importing this module builds python-hcl2's parser tables (about 0.2 s, done lazily on the first
parse), so every worker forked afterwards starts with them instead of building them again.
"""

from __future__ import annotations

from parity_gui.sources.terraform.hcl import parse_hcl

parse_hcl('warm = "up"\n', "(warm-up)")
