"""The desktop app: the only package that imports PySide6 (see ``tests/test_layers.py``)."""
