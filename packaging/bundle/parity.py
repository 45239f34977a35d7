"""The bundled ``parity`` command: the same entry point as the installed package's."""

from parity_gui.cli.main import main

raise SystemExit(main())
