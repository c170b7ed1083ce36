"""The layers of docs/architecture.md §2, checked by reading the imports of every module (no
importing)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "collab_desktop"
QT = {"PySide6", "shiboken6"}


def imported_roots(path: Path) -> set[str]:
    """Top-level names of every module a file imports, wherever the import is (functions
    too: a lazy import still ties the layer to Qt)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            roots.add(node.args[0].value.split(".")[0])
    return roots


def modules_of(*layers: str) -> list[Path]:
    return sorted(p for layer in layers for p in (PACKAGE / layer).rglob("*.py"))


def test_the_checker_sees_imports():
    sample = PACKAGE.parent / "tests" / "conftest.py"
    assert {"os", "pytest", "collab_desktop"} <= imported_roots(sample)


@pytest.mark.parametrize(
    "path",
    modules_of("models", "services", "pdf"),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_lower_layers_do_not_import_qt(path):
    assert not imported_roots(path) & QT, f"{path.relative_to(PACKAGE)} imports Qt"


def test_lower_layers_are_not_empty():
    names = {p.relative_to(PACKAGE).as_posix() for p in modules_of("models", "services", "pdf")}
    assert {"models/database.py", "services/agreements/service.py", "pdf/document.py"} <= names


@pytest.mark.parametrize("name", ["__init__.py", "config.py"])
def test_start_up_modules_import_neither_orm_nor_qt(name):
    # They run before the window shows; SQLAlchemy and Qt are loaded later, on purpose.
    assert not imported_roots(PACKAGE / name) & (QT | {"sqlalchemy", "alembic"})


def test_pdf_does_not_touch_the_database():
    for path in modules_of("pdf"):
        roots = imported_roots(path)
        assert "sqlalchemy" not in roots, f"{path.name} imports SQLAlchemy"
        assert not any(
            isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith(("collab_desktop.models", "collab_desktop.services"))
            and node.module != "collab_desktop.models.enums"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        ), f"{path.name} imports models or services"


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("models", ("collab_desktop.services", "collab_desktop.pdf", "collab_desktop.ui")),
        ("services", ("collab_desktop.ui", "collab_desktop.app")),
        ("pdf", ("collab_desktop.ui", "collab_desktop.app")),
    ],
)
def test_layers_import_only_those_below(layer, forbidden):
    for path in modules_of(layer):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not name.startswith(forbidden), f"{path.name} imports {name}"
