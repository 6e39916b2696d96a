"""Data flows one way: importers → domain ← layers ← pages, under the project's roof.

An ``ast`` walk over every module (imports inside functions included) checks that no module
imports one of a higher layer, that the write and read sides never import each other, and that
no two modules import each other, directly or through a chain.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("geo_civic", "layers", "importers")

# Lower rank = lower layer. A module may import its own rank or below, never above.
RANKS = {
    "geo_civic.operations": 0,
    "geo_civic.sources": 0,
    "geo_civic.web": 0,
    "geo_civic.outbound": 0,
    "geo_civic.territories": 1,
    "geo_civic.actors": 1,
    "geo_civic.accounts": 1,
    "geo_civic.contributions": 1,
    "geo_civic.geocoding": 1,
    "geo_civic.participation": 1,
    "geo_civic.federation": 1,
    "geo_civic.notifications": 1,
    "geo_civic.social": 1,
    "importers": 2,
    "layers": 2,
    "geo_civic.pages": 3,
    "geo_civic.api_v1": 3,
    "geo_civic.fediverse": 3,
    # The roof, the only modules allowed to import everything.
    **dict.fromkeys(
        ["geo_civic", "geo_civic.settings", "geo_civic.urls", "geo_civic.wsgi", "geo_civic.asgi"], 4
    ),
}
ROOF = 4
# Siblings of one rank that must not know each other: the write side and the read side.
APART = {frozenset({"importers", "layers"})}


def module_files() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports (a package's ``__init__`` only when named itself)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            submodules = {f"{base}.{alias.name}" for alias in node.names}
            found.update(submodules & modules.keys() or {base})
    return {target for target in found if target in modules and target != name}


def layer_of(name: str) -> str | None:
    """The longest prefix of ``name`` in RANKS; the roof's names match only themselves."""
    matches = [
        prefix
        for prefix in RANKS
        if name == prefix or (name.startswith(prefix + ".") and RANKS[prefix] != ROOF)
    ]
    return max(matches, key=len, default=None)


def graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_every_module_has_a_layer():
    """A new package must be placed in RANKS: nothing lands in the project package unseen."""
    assert [name for name in graph() if layer_of(name) is None] == []


def test_no_module_imports_a_higher_layer():
    upward = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in targets
        if RANKS[layer_of(target)] > RANKS[layer_of(name)]
        or frozenset({layer_of(name), layer_of(target)}) in APART
    ]
    assert upward == []


def test_no_import_cycles():
    edges = graph()
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(" → ".join(trail[trail.index(target) :] + [target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_checker_sees_an_upward_import(tmp_path):
    """The walk is not blind: a planted upward import is found."""
    planted = tmp_path / "x.py"
    planted.write_text("def f():\n    from layers import registry\n")
    modules = {"geo_civic.actors.x": planted, "layers.registry": planted}
    assert imports_of("geo_civic.actors.x", planted, modules) == {"layers.registry"}
