"""The bundle's entry point: the same as `python -m collab_desktop` (PyInstaller wants a
script outside the package, so that the package itself is imported normally)."""

import sys

from collab_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
