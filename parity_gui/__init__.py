"""parity: see and close the drift between environments."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """``parity_gui.__version__``, read from the installed package's metadata (the one source of
    the version: ``pyproject.toml``) only when asked: importing that machinery costs the app's
    start-up about 30 ms."""
    if name != "__version__":
        raise AttributeError(f"module 'parity_gui' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("parity-gui")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0+unknown"
