"""The bundled ``parity-gui`` desktop app: the same entry point as the installed package's."""

from parity_gui.ui.main import main

raise SystemExit(main())
