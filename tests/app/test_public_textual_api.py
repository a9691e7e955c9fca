"""The app uses Textual's public API only, so that the Textual pin can follow Textual's releases:
no private module (``textual.widgets._toast``), no private name (``_character_to_key``), and no
``_``-prefixed attribute of Textual's (``_message_queue``, ``_notifications``, ``_button``...)
read, written or overridden, anywhere in ``outlook_tui/app``."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import textwrap
from pathlib import Path

import textual
from textual.widgets import Checkbox

import outlook_tui.app

APP = Path(outlook_tui.app.__file__).parent
TEXTUAL = Path(textual.__file__).parent


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined_private(tree: ast.AST) -> set[str]:
    """``_`` names class bodies define (methods, attributes) and methods set on ``self``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
                elif isinstance(item, ast.Assign):
                    names.update(t.id for t in item.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                and isinstance(node.value, ast.Name) and node.value.id == "self":
            names.add(node.attr)
    return {name for name in names if _private(name)}


@functools.cache
def textual_private_names() -> frozenset[str]:
    """Every ``_`` name of Textual's own classes, in any of its modules."""
    names: set[str] = set()
    for path in TEXTUAL.rglob("*.py"):
        names |= _defined_private(ast.parse(path.read_text(encoding="utf-8")))
    return frozenset(names)


@functools.cache
def inherited_private_names(cls: type) -> frozenset[str]:
    """The ``_`` names of the Textual classes ``cls`` inherits from."""
    names: set[str] = set()
    for base in cls.__mro__:
        if base.__module__.split(".")[0] == "textual":
            names |= _defined_private(ast.parse(textwrap.dedent(inspect.getsource(base))))
    return frozenset(names)


def _app_sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in APP.rglob("*.py")}


def _module_classes(path: Path) -> dict[str, type]:
    name = ".".join(path.relative_to(APP.parent.parent).with_suffix("").parts)
    module = importlib.import_module(name.removesuffix(".__init__"))
    return {key: value for key, value in vars(module).items() if isinstance(value, type)}


def private_uses(trees: dict[Path, ast.Module] | None = None,
                 classes: dict[str, type] | None = None) -> list[str]:
    """Each use of Textual's private API in ``trees`` (default: every module of the app)."""
    theirs = textual_private_names()
    found: list[str] = []
    for path, tree in (trees if trees is not None else _app_sources()).items():
        known = classes if classes is not None else _module_classes(path)
        found.extend(f"{path.relative_to(APP.parent.parent)}:{use}"
                     for use in _uses_in(tree, known, theirs))
    return found


def _uses_in(tree: ast.Module, known: dict[str, type], theirs: frozenset[str]) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST, inherited: frozenset[str]) -> None:
        if isinstance(node, ast.ClassDef):
            cls = known.get(node.name)
            inherited = inherited_private_names(cls) if cls is not None else frozenset()
            for item in node.body:
                for name in [getattr(item, "name", None), getattr(item, "target", None),
                             *getattr(item, "targets", [])]:
                    name = name.id if isinstance(name, ast.Name) else name
                    if isinstance(name, str) and name in inherited:
                        found.append(f"{item.lineno}: {node.name} overrides Textual's {name}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            module = node.module or ""
            names = [alias.name for alias in node.names if _private(alias.name)]
            if any(map(_private, module.split("."))):
                found.append(f"{node.lineno}: imports {module}")
            elif names:
                found.append(f"{node.lineno}: imports {module}.{names[0]}")
        if isinstance(node, ast.Import):
            found.extend(f"{node.lineno}: imports {alias.name}" for alias in node.names
                         if alias.name.split(".")[0] == "textual"
                         and any(map(_private, alias.name.split("."))))
        if isinstance(node, ast.Attribute) and _private(node.attr):
            on_self = isinstance(node.value, ast.Name) and node.value.id == "self"
            # On self: only what this class inherits from Textual; on anything else
            # (super(), the app, a widget), any name Textual uses.
            if node.attr in (inherited if on_self else theirs):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, inherited)

    visit(tree, frozenset())
    return found


def test_the_app_uses_only_textuals_public_api() -> None:
    assert private_uses() == []


def test_the_check_finds_each_kind_of_private_use() -> None:
    """The check itself: it knows Textual's private names and catches each kind of use, and
    leaves alone a helper class's own private attributes."""
    assert {"_message_queue", "_notifications", "_button", "_selected",
            "_refresh_notifications", "_registry"} <= textual_private_names()
    sample = ast.parse(
        "from textual.widgets._toast import ToastRack\n"
        "from textual.keys import _character_to_key\n"
        "import textual._wait\n"
        "class Box(Checkbox):\n"
        "    def _on_click(self): ...\n"
        "    def render(self): return self._button, self._mine\n"
        "class Helper:\n"
        "    def go(self, app): return self._task, app._registry, super()._registry\n")

    class Box(Checkbox):
        pass

    class Helper:
        pass

    uses = private_uses({APP / "sample.py": sample}, {"Box": Box, "Helper": Helper})
    assert uses == [
        "outlook_tui/app/sample.py:1: imports textual.widgets._toast",
        "outlook_tui/app/sample.py:2: imports textual.keys._character_to_key",
        "outlook_tui/app/sample.py:3: imports textual._wait",
        "outlook_tui/app/sample.py:5: Box overrides Textual's _on_click",
        "outlook_tui/app/sample.py:6: self._button",
        "outlook_tui/app/sample.py:8: app._registry",
        "outlook_tui/app/sample.py:8: super()._registry",
    ]
