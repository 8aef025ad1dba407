"""The reader's structure, kept by reading its source (AST): no class in ui/ declares
another class's attributes under TYPE_CHECKING; no class inherits from more than one class
of the project; the screens read nothing off the App but Textual's own API (the store and
the settings are handed to the screen)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.app import App

UI = Path(__file__).resolve().parent.parent / "newsroom_tui" / "ui"
SCREENS = UI / "screens"

# what a screen (or an object it holds) may use of the App: Textual's own API
TEXTUAL_APP_API = {
    "bell",
    "call_from_thread",
    "copy_to_clipboard",
    "exit",
    "is_headless",
    "notify",
    "open_url",
    "pop_screen",
    "push_screen",
    "screen",
    "switch_screen",
}


def modules(folder: Path) -> list[object]:
    """Each module under ``folder``, parsed, as a test parameter named by its path."""
    return [
        pytest.param(path, ast.parse(path.read_text("utf-8")), id=str(path.relative_to(UI)))
        for path in sorted(folder.rglob("*.py"))
    ]


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def project_classes(tree: ast.Module) -> set[str]:
    """Names in ``tree`` that are classes of the project: defined there or imported from
    ``newsroom_tui``."""
    names = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newsroom_tui"):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def base_name(base: ast.expr) -> str:
    if isinstance(base, ast.Subscript):  # Screen[None], OneAnswer[bool]
        base = base.value
    if isinstance(base, ast.Attribute):
        return base.attr
    return base.id if isinstance(base, ast.Name) else ""


def type_checking_declarations(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.If) and is_type_checking(statement.test):
                    found.append(f"{node.name} (line {statement.lineno})")
    return found


def several_project_bases(tree: ast.Module) -> list[str]:
    ours = project_classes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = [base_name(b) for b in node.bases if base_name(b) in ours]
            if len(bases) > 1:
                found.append(f"{node.name}({', '.join(bases)})")
    return found


def app_reads(tree: ast.Module) -> list[str]:
    """``<anything>.app.<name>`` where ``name`` is not Textual's App API."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "app"
            and node.attr not in TEXTUAL_APP_API
        ):
            found.append(f"line {node.lineno}: .app.{node.attr}")
    return found


@pytest.mark.parametrize(("path", "tree"), modules(UI))
def test_no_class_declares_attributes_under_type_checking(path: Path, tree: ast.Module) -> None:
    assert type_checking_declarations(tree) == []


@pytest.mark.parametrize(("path", "tree"), modules(UI))
def test_no_class_inherits_from_two_project_classes(path: Path, tree: ast.Module) -> None:
    assert several_project_bases(tree) == []


@pytest.mark.parametrize(("path", "tree"), modules(SCREENS))
def test_screens_use_only_textuals_api_of_the_app(path: Path, tree: ast.Module) -> None:
    assert app_reads(tree) == []


def test_the_allowed_app_api_is_textuals_own() -> None:
    assert all(hasattr(App, name) for name in TEXTUAL_APP_API)


def test_the_rules_catch_what_they_forbid() -> None:
    """The checks themselves find the shapes they forbid (the reader before its rebuild)."""
    source = """
from typing import TYPE_CHECKING
from textual.screen import Screen
from newsroom_tui.ui.screens.reader_triage import ReaderTriage
from newsroom_tui.ui.screens.reader_poll import ReaderPolling

class ReaderPart(Screen[None]):
    if TYPE_CHECKING:
        polling: bool

class ReaderScreen(ReaderTriage, ReaderPolling):
    def on_mount(self) -> None:
        self.app.store.feeds()
        self.app.notify("ok")
"""
    tree = ast.parse(source)
    assert type_checking_declarations(tree) == ["ReaderPart (line 8)"]
    assert several_project_bases(tree) == ["ReaderScreen(ReaderTriage, ReaderPolling)"]
    assert app_reads(tree) == ["line 13: .app.store"]
