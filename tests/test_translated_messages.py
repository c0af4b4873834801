"""Every error and warning learnsoc raises can be printed in Vietnamese.

The command line prints errors and warnings with ``.localized(locale)``; a message
without a catalog id stays English under ``--locale vi``. This test reads the source of
learnsoc and finds every ``raise SomeLearnsocError(...)`` and ``warnings.warn(...)`` of a
learnsoc warning whose message is not given a catalog id (``.translatable(...)``), so a
new English-only message fails here instead of reaching a Vietnamese user.

Classes that build a translatable message themselves (from their parameters) are listed
in ``SELF_TRANSLATING``.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import learnsoc
from learnsoc.errors import LearnsocError, LearnsocWarning

ROOT = Path(learnsoc.__file__).parent

#: Classes whose constructor gives the message its catalog id.
SELF_TRANSLATING = frozenset(
    {
        "UnknownIdError",
        "PlaceholderWarning",
        "SheetWarning",
        "BirthDatesAsYearsWarning",
        "WorkerVersionError",
    }
)
#: Classes that translate one argument, given by position, when it is marked with ``N_``.
TRANSLATED_ARGUMENT = {"SchemaError": 2, "OptionalDependencyError": 2}


def _learnsoc_classes(base: type) -> frozenset[str]:
    """The names of every class in learnsoc derived from ``base``."""
    # Load every module that defines one.
    import learnsoc.cli
    import learnsoc.io
    import learnsoc.report
    import learnsoc.rules
    import learnsoc.scale.dask
    import learnsoc.targets  # noqa: F401

    names: set[str] = set()
    todo = [base]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return frozenset(names)


ERRORS = _learnsoc_classes(LearnsocError)
WARNINGS = _learnsoc_classes(LearnsocWarning)


def _called_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return None


def untranslated(source: str) -> list[int]:
    r"""Return the lines that make a learnsoc error or warning without a catalog id.

    A message is translatable when the new error or warning is given one with
    ``.translatable(...)``, directly or through the name it was assigned to in the
    same function.

    Examples
    --------
    >>> untranslated("raise RulebookError('bad')")
    [1]
    >>> untranslated("raise RulebookError(str(m)).translatable(m)")
    []
    >>> untranslated("def f():\n    e = RulebookError('x')\n    raise e.translatable(m)")
    []
    >>> untranslated("warnings.warn(LeadingZerosWarning('x'), stacklevel=2)")
    [1]
    >>> untranslated("warnings.warn('x', PlaceholderWarning)")
    [1]
    >>> untranslated("raise SchemaError('person', 'age', N_('no such column'))")
    []
    >>> untranslated("raise SchemaError('person', 'age', f'bad {x}')")
    [1]
    >>> untranslated("raise ValueError('not ours')")
    []
    >>> untranslated("raise errors.RulebookError('bad')")
    [1]
    """
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name == "warn" and len(node.args) > 1:
            category = node.args[1]
            if isinstance(category, ast.Name) and category.id in WARNINGS:
                lines.append(node.lineno)  # a plain string can carry no catalog id
            continue
        if name not in ERRORS | WARNINGS or name in SELF_TRANSLATING:
            continue
        position = TRANSLATED_ARGUMENT.get(name)
        if (
            position is not None
            and len(node.args) > position
            and _called_name(node.args[position]) == "N_"
        ):
            continue
        if not isinstance(node.func, ast.Name) and not _module_attribute(node.func):
            continue  # a method of the same name, not the class
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.attr == "translatable":
            continue
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            target = parent.targets[0]
            scope = _scope(parent, parents)
            if isinstance(target, ast.Name) and _translated_later(target.id, scope):
                continue
        lines.append(node.lineno)
    return sorted(lines)


def _module_attribute(func: ast.expr) -> bool:
    """Whether a call is of a class named through its module (``errors.SchemaError(...)``)."""
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in {"errors", "ls", "learnsoc"}
    )


#: Catalog ids written as plain strings on purpose: another library's own words, shown
#: as they are (Python's csv module).
PLAIN_IDS = frozenset({"{detail}"})


def unmarked_ids(source: str) -> list[int]:
    r"""Return the lines that give a message a catalog id the catalogs cannot have.

    ``Message(...)`` and ``.translatable(...)`` take a catalog id: a string literal not
    marked with ``N_`` (or an f-string) is not extracted into the catalogs, so it is never
    translated; a variable is marked where it is set.

    Examples
    --------
    >>> unmarked_ids("m = Message('bad {x}', x=1)")
    [1]
    >>> unmarked_ids("raise E(s).translatable(f'bad {x}')")
    [1]
    >>> unmarked_ids("m = Message(N_('good {x}'), x=1)\nraise E(str(m)).translatable(m)")
    []
    >>> unmarked_ids("m = Message(one if n == 1 else many, n=n)")
    []
    """
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        if _called_name(node) not in ("Message", "translatable"):
            continue
        first = node.args[0]
        if isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and first.value not in PLAIN_IDS
        ):
            lines.append(node.lineno)
    return sorted(lines)


@pytest.mark.parametrize("module", sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")))
def test_every_catalog_id_is_marked_for_the_catalogs(module: str) -> None:
    lines = unmarked_ids((ROOT / module).read_text(encoding="utf-8"))
    assert not lines, f"learnsoc/{module}: catalog ids not marked with N_ at lines {lines}"


def _scope(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST:
    while node in parents and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        node = parents[node]
    return node


def _translated_later(variable: str, scope: ast.AST) -> bool:
    for node in ast.walk(scope):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "translatable"
            and isinstance(node.value, ast.Name)
            and node.value.id == variable
        ):
            return True
    return False


MODULES = sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES)
def test_every_message_has_a_catalog_id(module: str) -> None:
    lines = untranslated((ROOT / module).read_text(encoding="utf-8"))
    assert not lines, f"learnsoc/{module}: English-only messages at lines {lines}"


def test_the_lists_name_real_things() -> None:
    assert set(SELF_TRANSLATING) | set(TRANSLATED_ARGUMENT) <= ERRORS | WARNINGS
    assert "LeadingZerosWarning" in WARNINGS  # the walk finds the subclasses
    assert inspect.isclass(LearnsocWarning)
