"""The bundled ``parity`` command: the same entry point as the installed package's."""

import multiprocessing

# The bundle has no separate Python: multiprocessing starts the bundled program itself as the
# server the parsing workers are forked from. Serve that before anything else is imported.
multiprocessing.freeze_support()

from parity_gui.cli.main import main  # noqa: E402 (after the worker start-up)

raise SystemExit(main())
