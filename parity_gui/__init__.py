"""parity: see and close the drift between environments."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("parity-gui")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
