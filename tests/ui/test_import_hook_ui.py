"""ui/import_hook.py replaces a private function of PySide6 (shibokensupport.feature's
_mod_uses_pyside), which PySide6 calls on every import once it is loaded. pyproject.toml pins
PySide6 below its next major version; these tests say at once if a release moves or changes
that function, where otherwise the hook would quietly stop saving time (or, if the function
took other arguments, break every import of our modules)."""

from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401 - loads PySide6's import hook
import pytest

import tests
from collab_desktop.ui.import_hook import skip_source_scans

# Text that PySide6's scan looks for in a module's source.
MENTIONS_PYSIDE = '"""Mentions PySide6, as a module using its switches would."""\n'


@pytest.fixture
def feature(monkeypatch):
    """PySide6's feature module, with its scan put back as it was after the test."""
    module = sys.modules.get("shibokensupport.feature")
    assert module is not None, "PySide6 no longer loads shibokensupport.feature"
    assert callable(getattr(module, "_mod_uses_pyside", None)), "the scan we replace is gone"
    assert isinstance(getattr(module, "pyside_feature_dict", None), dict)
    monkeypatch.setattr(module, "_mod_uses_pyside", module._mod_uses_pyside)
    return module


def imported(name: str, monkeypatch) -> None:
    # As `from name import x` does: PySide6's hook sits in __import__ (importlib.import_module
    # passes it by) and looks at the module the import returns.
    __import__(name, fromlist=["x"])
    monkeypatch.delitem(sys.modules, name)


def test_other_libraries_are_not_read_and_our_modules_still_are(feature, tmp_path, monkeypatch):
    (tmp_path / "collab_probe_library.py").write_text(MENTIONS_PYSIDE, encoding="utf-8")
    (tmp_path / "collab_probe_ours.py").write_text(MENTIONS_PYSIDE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    # One of ours: a module of the tests package, found in tmp_path.
    monkeypatch.setattr(tests, "__path__", [*tests.__path__, str(tmp_path)])
    for name in ("collab_probe_library", "tests.collab_probe_ours"):
        monkeypatch.delitem(feature.pyside_feature_dict, name, raising=False)

    skip_source_scans()
    skip_source_scans()  # a second call changes nothing
    assert getattr(feature._mod_uses_pyside, "_skips_libraries", False)
    imported("collab_probe_library", monkeypatch)
    imported("tests.collab_probe_ours", monkeypatch)

    # PySide6 records each new module: 0 if it may use the switches, -1 if not.
    assert feature.pyside_feature_dict.pop("collab_probe_library") == -1, "not read"
    assert feature.pyside_feature_dict.pop("tests.collab_probe_ours") == 0, "read, as before"


def test_the_scan_still_reads_a_modules_source(feature):
    # What the hook saves: PySide6 reading the source of a library that mentions it.
    import pytestqt.qt_compat  # its source names PySide6

    scan = feature._mod_uses_pyside
    if getattr(scan, "_skips_libraries", False):  # the app's start (tests/ui/test_app.py)
        scan = next(c.cell_contents for c in scan.__closure__ if callable(c.cell_contents))
    assert scan(pytestqt.qt_compat) is True
    assert scan(sys.modules["collections"]) is False
