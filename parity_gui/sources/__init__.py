"""Turning a spec (a file, files joined with ``+``, a folder, ``docker://…``) into an Environment."""
