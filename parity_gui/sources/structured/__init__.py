"""Structured configuration files read as their own trees: YAML, JSON, TOML, INI and Java
``.properties`` (:mod:`parity_gui.sources.structured.load` says how)."""
