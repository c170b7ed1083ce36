"""Take the cost out of PySide6's import hook for the libraries that cannot use it.

Once PySide6 is loaded, every later import passes through its hook for the optional
`from __feature__ import snake_case, true_property` switches, and the hook reads the whole
source of each new module (inspect.getsource) to see whether it mentions PySide6. For the
two hundred modules of SQLAlchemy (and later Alembic and ReportLab) that costs about 50 ms of
start-up and 19 MiB of source lines kept in linecache for nothing (benchmarks/run.py measures
both). Modules of other libraries cannot use those switches, and the app's own do not
(tests/ui/test_import_hook_ui.py says so if one starts to), so they are marked as not using
PySide without being read: for the app's fifty modules of the first page that was another
megabyte of source kept (issue 17's first-page memory). PySide's own are looked at as before.
"""

from __future__ import annotations

import sys
from types import ModuleType

# Modules that may use PySide's switches: PySide's own, and a script run as the main module.
MAY_USE_PYSIDE = ("PySide6", "shiboken6", "__main__")


def skip_source_scans() -> None:
    """Call once PySide6 has been imported. Does nothing on a PySide6 without that hook."""
    feature = sys.modules.get("shibokensupport.feature")
    scan = getattr(feature, "_mod_uses_pyside", None)
    if scan is None or getattr(scan, "_skips_libraries", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        name = getattr(module, "__name__", "")
        if name.split(".", 1)[0] in MAY_USE_PYSIDE:
            return scan(module)
        return False

    uses_pyside._skips_libraries = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
