"""``python -m parity_gui`` opens the desktop app (``parity-gui``)."""

from parity_gui.ui.main import main

raise SystemExit(main())
