"""The plan of an evaluation: for a date, the versions and parameter values in force, compiled.

:class:`Planner` walks a rulebook's derived variables and titles in evaluation order and,
for the ``as_of`` date, picks each title's version in force, binds the parameters' values
of that date into every condition, type-checks it against the population's hierarchy and
compiles it: one :class:`Step` per node that can run. What cannot run here (a level the
tree does not have, a collection it lacks, a name that was skipped) is skipped with its
reason; what was used past its end date is kept as a warning for
:func:`~learnsoc.rules.engine.evaluate` to emit. The conditions are bound from the trees
parsed at load (:func:`~learnsoc.rules.conditions.bind_values`), never parsed again;
:meth:`Planner.planned` returns the whole :class:`Plan`, which the engine keeps
(:mod:`learnsoc.rules.plans`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from learnsoc._messages import N_, Message
from learnsoc._phrases import LevelName
from learnsoc.errors import RulebookError, Translatable
from learnsoc.model.population import Population
from learnsoc.rules.compiler import CompiledExpr, compile_typed
from learnsoc.rules.conditions import bind_values
from learnsoc.rules.context import ENTITY_LEVELS, collections
from learnsoc.rules.entries import Node, Title, Version
from learnsoc.rules.language import Expr, collections_used, member_names_used, names_used
from learnsoc.rules.rulebook import Rulebook, scope_for
from learnsoc.rules.typecheck import check_condition, typecheck

__all__ = ["AbolishedNotice", "Plan", "Planner", "Step"]


# (text, tree parsed at load, parameters, file, on_empty)
_Expression = tuple[str, Expr, frozenset[str], str | None, str]


@attrs.frozen(eq=False)
class Step:
    """A compiled node: its expressions, ready to run."""

    node: Node
    exprs: tuple[CompiledExpr, ...]
    eligible: CompiledExpr | None = None
    version: Version | None = None


class AbolishedNotice(Translatable):
    """The notice of a title decided after its procedure was abolished, in any locale.

    Its text is built from the title's label and dates in the locale asked for (see
    :func:`learnsoc.rules.explain.abolished_message`), not from one catalog template.
    """

    def __init__(self, book: Rulebook, title: Title, version: Version, as_of: dt.date) -> None:
        self.args = (book, title, version, as_of)

    def __str__(self) -> str:
        return self.localized(None)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def localized(self, locale: str | None = None) -> str:
        from learnsoc.rules.explain import abolished_message

        return abolished_message(*self.args, locale)


@attrs.frozen(eq=False)
class Plan:
    """What :class:`Planner` decided for a rulebook, a date and a hierarchy's levels.

    Shared by every evaluation with the same three (see :mod:`learnsoc.rules.plans`), so
    it holds nothing that depends on a population's rows.
    """

    steps: tuple[Step, ...]
    warnings: tuple[Message, ...]
    abolished: tuple[AbolishedNotice, ...]
    skipped: Mapping[str, Message]


class Planner:
    """Choose versions and parameter values for a date, and compile what applies."""

    def __init__(self, book: Rulebook, pop: Population, as_of: dt.date) -> None:
        self.book = book
        self.as_of = as_of
        self.levels = tuple(pop.hierarchy.levels)
        self.available = frozenset((*ENTITY_LEVELS, *self.levels))
        self.names = {lv: dict(book.names.get(lv, {})) for lv in self.available}
        self.warnings: list[Message] = []
        self.abolished: list[AbolishedNotice] = []
        self.skipped: dict[str, Message] = {}
        self._param_warned: set[str] = set()
        self.skipped_keys: set[str] = set()

    def values(self, used: frozenset[str]) -> dict[str, bool | int | float]:
        out: dict[str, bool | int | float] = {}
        for name in sorted(used):
            dated, warning = self.book.parameters[name]._value_and_warning(self.as_of)
            if warning is not None and name not in self._param_warned:
                self._param_warned.add(name)
                self.warnings.append(warning)
            out[name] = dated.value
        return out

    def compile(self, level: str, expr: _Expression, *, condition: bool) -> CompiledExpr | Message:
        """Compile an expression for this date, or say why it cannot run here."""
        text, tree, used, file, on_empty = expr
        ir = bind_values(tree, self.values(used), file=file)
        reason = self.blocked(level, ir)
        if reason is not None:
            return reason
        scope = scope_for(level, self.names, self.levels, routed=True)
        try:
            if condition:
                typed = check_condition(ir, scope, file=file)
            else:
                typed = typecheck(ir, scope, file=file)
        except RulebookError as exc:
            # It type-checked against the rulebook's levels when loaded; here ``children``
            # may be another level (the 2025 tree has no districts).
            # The error itself, not its English: the reason is said in the reader's language.
            fit = exc.with_traceback(None)  # the plan is cached: keep no frames alive
            return Message(N_("it does not fit this hierarchy: {error}"), error=fit)
        return compile_typed(typed, on_empty=on_empty, source=text)

    def blocked(self, level: str, ir: Expr) -> Message | None:
        """Say why an expression cannot run on this population, if it cannot."""
        available = collections(level, self.levels)
        for collection in sorted(collections_used(ir)):
            if collection not in available:
                return Message(
                    N_("it aggregates over {collection!r}, which this hierarchy does not have"),
                    collection=collection,
                )
        for name in sorted(names_used(ir)):
            if f"{level}.{name}" in self.skipped_keys:
                return Message(N_("it uses {name!r}, which was skipped"), name=name)
        for collection, name in sorted(member_names_used(ir)):
            member = available[collection].member_level
            if f"{member}.{name}" in self.skipped_keys:
                return Message(
                    N_("it uses {collection}.{name}, which was skipped"),
                    collection=collection,
                    name=name,
                )
        return None

    def planned(self) -> Plan:
        """Plan, and return the plan with the warnings and skips found on the way."""
        steps = self.plan()
        return Plan(tuple(steps), tuple(self.warnings), tuple(self.abolished), dict(self.skipped))

    def plan(self) -> list[Step]:
        steps: list[Step] = []
        for node in self.book.order:
            if node.level not in self.available:
                msg = Message(
                    N_("the population's hierarchy has no level {level!r}"),
                    level=LevelName(node.level),
                )
                self.skip(node, msg)
                continue
            if node.kind == "derived":
                derived = self.book.derived_variable(node.level, node.name)
                expr = (
                    derived.expr,
                    derived.tree,
                    derived.parameters,
                    derived.origin.file,
                    derived.on_empty,
                )
                compiled = self.compile(node.level, expr, condition=False)
                if isinstance(compiled, Message):
                    self.skip(node, compiled)
                else:
                    steps.append(Step(node, (compiled,)))
                continue
            step = self.plan_title(node)
            if isinstance(step, Message):
                self.skip(node, step)
            else:
                steps.append(step)
        return steps

    def plan_title(self, node: Node) -> Step | Message:
        title = self.book.title(node.name)
        version, warning = title._version_and_warning(self.as_of)
        if warning is not None:
            self.warnings.append(warning)
        exprs: list[CompiledExpr] = []
        for c in version.criteria:
            expr = (c.expr, c.tree, c.parameters, c.origin.file, c.on_empty)
            compiled = self.compile(title.level, expr, condition=True)
            if isinstance(compiled, Message):
                return compiled
            exprs.append(compiled)
        if title.abolished is not None and title.abolished.applies(self.as_of) and version.in_force:
            # Only a title that is decided warns: one skipped (no such level) has no
            # verdicts, and one whose version is not in force (the learning district from
            # 1/7/2025) assesses nobody, which its "not in force" row says.
            self.abolished.append(AbolishedNotice(self.book, title, version, self.as_of))
        eligible = None
        if title.eligible is not None and title.eligible_tree is not None:
            expr = (
                title.eligible,
                title.eligible_tree,
                title.eligible_parameters,
                title.origin.file,
                "fail",
            )
            compiled = self.compile(title.level, expr, condition=True)
            if isinstance(compiled, Message):
                return compiled
            eligible = compiled
        return Step(node, tuple(exprs), eligible, version)

    def skip(self, node: Node, reason: Message) -> None:
        self.skipped[node.name] = reason
        self.skipped_keys.add(f"{node.level}.{node.name}")
        if node.kind == "title":
            title = self.book.title(node.name)
            for companion in title.companions:
                self.skipped_keys.add(f"{node.level}.{companion}")
