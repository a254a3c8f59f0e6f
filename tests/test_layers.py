"""The packages show the data's way: each imports only from the layers before it, and no module
takes part in an import circle (imports inside functions and for type checking count too).

docs/decisions.md → "Where things live" explains each layer.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sme_review_desktop"

# Earlier layers first. A module may import from its own layer and the layers before it.
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(names.split())
    for names in (
        "(root) errors text",  # the version, user errors, text as people write it
        "models",
        "migrations",
        "store",
        "rules",
        "rounds",
        "register",  # importing asks it for the re-application bar
        "importing",
        "review",
        "scoring",
        "publicity",
        "overview",
        "exports",
        "demo",
        "ui",
        "cli",  # a bare `sme-review` starts the app
    )
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "versions" in path.parts:
            continue  # Alembic's scripts are loaded by Alembic, not imported
        parts = ("sme_review_desktop", *path.relative_to(PACKAGE).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.level == 0, f"{name}: relative import"
                targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
                    break
    return graph


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(root)"


def _layer(room: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if room in layer)


def test_every_package_has_a_layer() -> None:
    rooms = {_room(m) for m in _modules()}
    assert rooms == set().union(*LAYERS)


def test_no_import_runs_back_against_the_layers() -> None:
    back = [
        f"{a} → {b}"
        for a, targets in _imports(_modules()).items()
        for b in targets
        if _layer(_room(b)) > _layer(_room(a))
    ]
    assert back == []


def test_no_import_circles() -> None:
    graph = _imports(_modules())
    # The ORM's tables name each other's classes for relationships (type checking only).
    graph = {
        a: {b for b in targets if not (_room(a) == _room(b) == "models")}
        for a, targets in graph.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in list(graph):
        if module not in index:
            visit(module)
    assert circles == []


def test_dialogs_never_import_the_main_window() -> None:
    """Only what starts the app builds the main window: the app itself, and the offscreen
    pictures for a machine without a display."""
    importers = {
        a
        for a, targets in _imports(_modules()).items()
        if "sme_review_desktop.ui.main_window" in targets
    }
    assert importers == {"sme_review_desktop.ui.app", "sme_review_desktop.ui.snapshot"}


def test_no_module_is_a_house_of_its_own() -> None:
    """About 400 lines a module at most; the rule engine's data tables may run longer."""
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if "versions" not in p.parts
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > 460
    }
    assert long == {}
