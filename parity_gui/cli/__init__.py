"""The ``parity`` command line: parses arguments, calls :mod:`parity_gui.app`, prints."""
