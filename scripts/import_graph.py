"""List learnsoc's internal imports, the circles among its modules and the upward imports.

An import is *top* when it runs at import time (module level, including ``try``/``if`` blocks
that are not ``TYPE_CHECKING``), *lazy* when it sits inside a function or method (it runs when
called), *typing* when it sits under ``if TYPE_CHECKING:`` (it never runs), and *reexport*
when a module-level ``__getattr__`` hands out a name that moved elsewhere (the old import path
keeps working; the module itself does not use it). A circle is a set of modules that reach
each other through top and lazy imports; a circle that only exists thanks to lazy imports is
one "broken at run time by an import inside a function".

Floors are those of ``/work/shared/DESIGN.md`` (see :data:`FLOORS`): a module may import from its
own floor and the floors below. ``tests/test_import_graph.py`` fails on an upward import that is
not in its list of allowed exceptions.

Usage::

    python scripts/import_graph.py            # circles and upward imports
    python scripts/import_graph.py --edges    # every edge, with its kind and line
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "learnsoc"

#: The floor of each top-level module or subpackage of learnsoc (DESIGN.md). The private
#: helpers beside errors.py and i18n.py (messages, phrases, frames, arrays...) serve every
#: floor, so they sit on floor 0 with them; ``rejects`` is the rejects table every reader and
#: the errors fill; ``synth`` builds populations and evaluates the bundled rulebook on them;
#: ``_tidy`` is the tidy-table base of Progress (floor 4) and Results (floor 5).
FLOORS: dict[str, int] = {
    "__init__": 7,  # the lazy public face: may name anything
    "__main__": 7,
    "_version": 0,
    "_build": 0,
    "_messages": 0,
    "_phrases": 0,
    "_arrays": 0,
    "_texts": 0,
    "_frames": 0,
    "_tables": 0,
    "_date_cells": 0,
    "_excel_cells": 0,
    "_control_chars": 0,
    "_progress": 0,
    "_bars": 0,
    "_toml": 0,
    "_translation": 0,
    "_made_in": 0,
    "_reprs": 0,
    "_apostrophes": 0,
    "_row_arrays": 0,
    "_warnings": 0,
    "_argument_types": 0,
    "errors": 0,
    "i18n": 0,
    "limits": 0,
    "vocabulary": 0,
    "_headings": 0,
    "rejects": 0,
    "model": 1,
    "aggregate": 2,
    "rules": 3,
    "targets": 4,
    "_tidy": 4,
    "report": 5,
    "synth": 6,
    "io": 6,
    "cli": 6,
    "scale": 6,
}


@dataclass(frozen=True)
class Edge:
    """One import of a learnsoc module by another."""

    source: str
    target: str
    kind: str  # "top", "lazy", "typing" or "reexport"
    line: int


def module_name(path: Path) -> str:
    """Return the dotted name of the module at ``path`` (a file under the package)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    return {module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Yield each import statement with its kind, by walking with the enclosing context."""

    def walk(node: ast.AST, kind: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, kind
            elif (
                isinstance(child, ast.FunctionDef)
                and child.name == "__getattr__"
                and isinstance(node, ast.Module)
            ):
                # A module's __getattr__ keeps an old import path working for a name that
                # moved: the module does not use it, so it is no dependency of its own.
                yield from walk(child, "reexport")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(child, "typing" if kind == "typing" else "lazy")
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), "typing")
                for stmt in child.orelse:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), kind)
            else:
                yield from walk(child, kind)

    yield from walk(tree, "top")


def _resolve(source: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = source.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def edges(modules: dict[str, Path] | None = None) -> list[Edge]:
    """Return every import of one learnsoc module by another."""
    modules = all_modules() if modules is None else modules
    found: list[Edge] = []
    for source, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node, kind in _imports(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _resolve(source, is_package, node)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    # ``from learnsoc.io import export`` names a module; otherwise the name
                    # comes from the package's __init__ (or the module itself).
                    targets.append(sub if sub in modules else base)
            for target in targets:
                if target.split(".")[0] != PACKAGE or target == source:
                    continue
                while target not in modules and "." in target:
                    target = target.rsplit(".", 1)[0]
                found.append(Edge(source, target, kind, node.lineno))
    return sorted(set(found), key=lambda e: (e.source, e.line, e.target))


def unit(module: str) -> str:
    """Return the floor unit of ``module``: its subpackage or top-level module name."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def floor(module: str) -> int:
    """Return the floor of ``module`` (:data:`FLOORS`)."""
    return FLOORS[unit(module)]


def circles(found: list[Edge], kinds: tuple[str, ...] = ("top", "lazy")) -> list[list[str]]:
    """Return the strongly connected sets of two or more modules (Tarjan), sorted."""
    graph: dict[str, set[str]] = {}
    for e in found:
        if e.kind in kinds:
            graph.setdefault(e.source, set()).add(e.target)
            graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                result.append(sorted(group))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(result)


def circle_edges(found: list[Edge], group: list[str]) -> list[Edge]:
    """Return the run-time edges inside one circle."""
    members = set(group)
    return [e for e in found if e.kind != "typing" and e.source in members and e.target in members]


def upward(found: list[Edge]) -> list[Edge]:
    """Return the run-time imports from a lower floor into a higher one."""
    return [e for e in found if e.kind != "typing" and floor(e.target) > floor(e.source)]


def main(argv: list[str] | None = None) -> int:
    """Print the circles and upward imports; return 1 when there is a circle."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", action="store_true", help="print every edge")
    args = parser.parse_args(argv)
    found = edges()
    if args.edges:
        for e in found:
            print(f"{e.source} -> {e.target}  [{e.kind}, line {e.line}]")
        return 0
    groups = circles(found)
    print(f"{len(groups)} circle(s) through top-level and lazy imports:")
    for group in groups:
        print("  " + " <-> ".join(group))
        for e in circle_edges(found, group):
            print(f"      {e.source} -> {e.target}  [{e.kind}, line {e.line}]")
    top_only = circles(found, kinds=("top",))
    print(f"{len(top_only)} circle(s) through top-level imports alone")
    # A module that imports another only for its annotations still needs it to make sense:
    # these circles never fail at run time but show two modules that lean on each other.
    typed = [g for g in circles(found, kinds=("top", "lazy", "typing")) if g not in groups]
    print(f"{len(typed)} more circle(s) once TYPE_CHECKING imports count:")
    for group in typed:
        print("  " + " <-> ".join(group))
    ups = upward(found)
    print(f"{len(ups)} upward import(s):")
    for e in ups:
        print(
            f"  {e.source} (floor {floor(e.source)}) -> {e.target} (floor {floor(e.target)})"
            f"  [{e.kind}, line {e.line}]"
        )
    return 1 if groups else 0


if __name__ == "__main__":
    raise SystemExit(main())
