"""ui/import_hook.py replaces a private function of PySide6 (shibokensupport.feature's
_mod_uses_pyside), which PySide6 calls on every import once it is loaded. pyproject.toml pins
PySide6 below its next major version; these tests say at once if a release moves or changes
that function, where otherwise the hook would quietly stop saving time (or, if the function
took other arguments, break every import of our modules)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

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


def test_neither_other_libraries_nor_ours_are_read(feature, tmp_path, monkeypatch):
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
    assert feature.pyside_feature_dict.pop("tests.collab_probe_ours") == -1, "not read"


def test_pysides_own_modules_are_still_read(feature, tmp_path):
    source = tmp_path / "probe.py"
    source.write_text(MENTIONS_PYSIDE, encoding="utf-8")
    skip_source_scans()
    for name, read in (("shiboken6.collab_probe", True), ("collab_desktop.collab_probe", False)):
        module = ModuleType(name)
        module.__file__ = str(source)
        assert feature._mod_uses_pyside(module) is read, name


def test_no_module_of_the_app_or_its_tests_uses_pysides_switches():
    # What lets the hook skip them: a module that used `from __feature__ import ...` would
    # silently not get the switches. Should one need them, name it in MAY_USE_PYSIDE.
    root = Path(__file__).resolve().parents[2]
    users = [
        path.relative_to(root)
        for folder in ("collab_desktop", "tests", "benchmarks")
        for path in (root / folder).rglob("*.py")
        if path.name not in ("import_hook.py", Path(__file__).name)
        and "__feature__" in path.read_text(encoding="utf-8")
    ]
    assert users == []


def test_the_scan_still_reads_a_modules_source(feature):
    # What the hook saves: PySide6 reading the source of a library that mentions it.
    import pytestqt.qt_compat  # its source names PySide6

    scan = feature._mod_uses_pyside
    if getattr(scan, "_skips_libraries", False):  # the app's start (tests/ui/test_app.py)
        scan = next(c.cell_contents for c in scan.__closure__ if callable(c.cell_contents))
    assert scan(pytestqt.qt_compat) is True
    assert scan(sys.modules["collections"]) is False
