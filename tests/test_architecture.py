"""The floor plan of docs/architecture.md, read from the code: which app may import which,
no import cycle between apps or between the modules of one app (or anywhere in the apps
and config), and no module past 550 lines outside the demo data, the migrations and the
tests.

Imports are read with `ast` from the source, including those inside functions: a lazy
import is still a dependency, only a later one.
"""

import ast
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not the project's code: the virtualenv, the tests, generated or static files.
SKIPPED_DIRS = {".venv", "tests", "node_modules", "static", "templates", "staticfiles", "media"}
MAX_LINES = 550

# Which of the project's apps each app may import (docs/architecture.md, "Which app may
# import which"). `config` is the project's frame (settings, URLs, middleware), not an
# app: it may import every app, and the few config modules apps use import none
# (test_config_modules_that_apps_use_import_no_app).
MAY_IMPORT = {
    "core": set(),
    "rules": set(),
    "cases": {"core", "rules"},
    "workflows": {"cases", "core", "rules"},
    "employment": {"cases", "core", "rules"},
    "notifications": {"cases", "core", "rules", "workflows", "employment"},
    "enforcement": {"cases", "core", "rules", "notifications"},
    "reports": {"cases", "core", "rules", "workflows", "employment", "enforcement"},
    "demo": {
        "cases",
        "core",
        "rules",
        "workflows",
        "employment",
        "notifications",
        "reports",
        "enforcement",
    },
}
APPS = set(MAY_IMPORT)
SERVED = APPS | {"config"}


@cache
def modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the project (migrations included)."""
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts):
            continue
        names = list(Path(*parts).with_suffix("").parts)
        if names[-1] == "__init__":
            names.pop()
        if names:
            found[".".join(names)] = path
    return found


def _module_of(name: str) -> str | None:
    """The project module an imported name lives in (`cases.models.Case` -> cases.models)."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


@cache
def imports_of(module: str) -> frozenset[str]:
    """The project modules `module` imports, wherever in the file the import stands."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(_module_of(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                # `from cases import clocks` imports a module; `from cases.models import
                # Case` a name of one.
                target = _module_of(f"{base}.{alias.name}")
                found.add(target if target and target != module else _module_of(base))
    found.discard(None)
    found.discard(module)
    return frozenset(found)


def app_of(module: str) -> str:
    return module.split(".")[0]


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def module_graph() -> dict[str, frozenset[str]]:
    return {module: imports_of(module) for module in modules()}


def test_the_reading_of_imports_sees_what_is_there():
    """The checks below are only as good as the graph: it has the edges it must have."""
    assert "cases.models" in imports_of("cases.services")
    assert "rules.calendar" in imports_of("cases.clocks")
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]


def test_each_app_imports_only_what_the_floor_plan_allows():
    wrong = sorted(
        f"{module} imports {other}"
        for module, imported in module_graph().items()
        if app_of(module) in APPS
        for other in imported
        if app_of(other) in APPS
        and app_of(other) != app_of(module)
        and app_of(other) not in MAY_IMPORT[app_of(module)]
    )
    assert wrong == []


def test_no_import_cycle_between_apps():
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    for module, imported in module_graph().items():
        if app_of(module) in APPS:
            graph[app_of(module)] |= {app_of(o) for o in imported if app_of(o) in APPS}
    for app in graph:
        graph[app].discard(app)
    assert cycles(graph) == []


def test_no_import_cycle_inside_an_app_or_across_the_apps():
    """Between any modules of the apps and config (the benchmarks, tooling run as a
    script, are left out)."""
    served = {m: imported for m, imported in module_graph().items() if app_of(m) in SERVED}
    assert cycles(served) == []


def test_config_modules_that_apps_use_import_no_app():
    """Apps read a few helpers of config (client address, form errors, the JSON parser,
    the report router, token revocation); those must not lead back into the apps."""
    graph = module_graph()
    used = {
        other
        for module, imported in graph.items()
        if app_of(module) in APPS
        for other in imported
        if app_of(other) == "config"
    }
    assert used, "no config module used by an app: the check would prove nothing"
    leading_back = sorted(
        f"{module} imports {other}"
        for module in used
        for other in graph[module]
        if app_of(other) in APPS
    )
    assert leading_back == []


def test_no_module_is_longer_than_the_limit():
    """Past ~500 lines a module becomes a package (the demo data and migrations aside)."""
    long = sorted(
        f"{path.relative_to(ROOT)}: {lines}"
        for module, path in modules().items()
        if app_of(module) != "demo" and ".migrations" not in f".{module}"
        for lines in [len(path.read_text(encoding="utf-8").splitlines())]
        if lines > MAX_LINES
    )
    assert long == []
