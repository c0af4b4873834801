"""A slow, per-entity evaluator of a whole rulebook, used only by tests.

It rebuilds every collection with Python loops over the population's structure (not
with the evaluation context's offsets and gather indexes), evaluates every condition
one entity at a time with the rule-language reference interpreter
(:mod:`tests.rules.reference`), and decides each title with plain Python: the vectorised
engine must agree with it entity by entity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from learnsoc.model.population import Population
from learnsoc.rules.context import ENTITY_LEVELS, plural
from learnsoc.rules.rulebook import Rulebook, Title, parse_with_parameters, scope_for
from learnsoc.rules.typecheck import check_condition, typecheck

from .reference import Py, RefColumn, Reference, RefPopulation


@attrs.frozen
class RefVerdict:
    """One entity's verdict for one title."""

    passed: bool
    known: bool
    assessed: bool
    criteria: tuple[Py, ...]
    points: float | None = None
    grade: int | None = None
    open_points: float = 0.0
    grade_at_most: int | None = None
    #: At least one aggregate of its criteria or eligibility left out a member for want of data.
    skipped: bool = False
    #: The levels of the members left out.
    skipped_levels: frozenset[str] = frozenset()


def _python(values: np.ndarray[Any, Any], spec_kind: str, sentinel: Any) -> list[Py]:
    out: list[Py] = []
    for v in values.tolist():
        if (isinstance(v, float) and v != v) or (
            sentinel is not None and not isinstance(sentinel, float) and v == sentinel
        ):
            out.append(None)
        elif spec_kind == "bool":
            out.append(bool(v == 1))
        else:
            out.append(v)
    return out


def _ids(pop: Population, level: str) -> list[Any]:
    table = {
        "person": pop.person_ids,
        "household": pop.household_ids,
        "clan": pop.clan_ids,
        "organisation": pop.organisation_ids,
    }
    ids = table[level] if level in table else pop.hierarchy.codes_at(level)
    return list(ids.tolist())


def _members(pop: Population) -> dict[tuple[str, str], list[list[int]]]:
    """Every collection of every level, by Python loops over the structure."""
    h = pop.hierarchy
    levels = list(h.levels)
    out: dict[tuple[str, str], list[list[int]]] = {}
    person_household = pop.person_household.tolist()
    household_unit = pop.household_unit.tolist()
    household_clan = pop.household_clan.tolist()

    members: list[list[int]] = [[] for _ in range(pop.n_households)]
    for i, j in enumerate(person_household):
        members[j].append(i)
    out[("household", "members")] = members

    clan_households: list[list[int]] = [[] for _ in range(pop.n_clans)]
    for j, c in enumerate(household_clan):
        if c >= 0:
            clan_households[c].append(j)
    out[("clan", "households")] = clan_households
    out[("clan", "members")] = [[i for j in hs for i in members[j]] for hs in clan_households]

    offsets = pop.member_offsets.tolist()
    people = pop.member_person.tolist()
    out[("organisation", "members")] = [
        people[offsets[k] : offsets[k + 1]] for k in range(pop.n_organisations)
    ]

    # Ancestors: walk the parents, one unit at a time.
    def ancestor(level_number: int, local: int, target: int) -> int:
        while level_number > target:
            local = int(h.parent_index(levels[level_number])[local])
            level_number -= 1
        return local

    def unit_of(global_index: int) -> tuple[int, int]:
        for k in range(len(levels)):
            if h.starts[k] <= global_index < h.starts[k + 1]:
                return k, global_index - int(h.starts[k])
        raise AssertionError(global_index)

    leaf = len(levels) - 1
    for t, level in enumerate(levels):
        n = h.n_units(level)
        households: list[list[int]] = [[] for _ in range(n)]
        for j, u in enumerate(household_unit):
            households[ancestor(leaf, u, t)].append(j)
        out[(level, "households")] = households
        out[(level, "persons")] = [[i for j in hs for i in members[j]] for hs in households]
        for name, units in (("clans", pop.clan_unit), ("organisations", pop.organisation_unit)):
            lists: list[list[int]] = [[] for _ in range(n)]
            for e, g in enumerate(units.tolist()):
                if g < 0:
                    continue
                k, local = unit_of(g)
                if k >= t:
                    lists[ancestor(k, local, t)].append(e)
            out[(level, name)] = lists
        for m in range(t + 1, len(levels)):
            lower: list[list[int]] = [[] for _ in range(n)]
            for u in range(h.n_units(levels[m])):
                lower[ancestor(m, u, t)].append(u)
            out[(level, plural(levels[m]))] = lower
            if m == t + 1:
                out[(level, "children")] = lower
    return out


def _input_values(pop: Population, level: str, raw: Any, n: int) -> list[Py]:
    if isinstance(raw, Mapping):
        ids = _ids(pop, level)
        position = {k: i for i, k in enumerate(ids)}
        out: list[Py] = [None] * n
        for key, value in raw.items():
            out[position[key]] = None if value is None or value != value else value
        return [None if v is None else (v.item() if hasattr(v, "item") else v) for v in out]
    arr = np.asarray(raw)
    values: list[Py] = []
    for v in arr.tolist():
        if v is None or (isinstance(v, float) and v != v) or (arr.dtype == np.uint8 and v == 255):
            values.append(None)
        else:
            values.append(v)
    return values


def reference_evaluate(
    pop: Population,
    book: Rulebook,
    as_of: dt.date,
    inputs: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, list[RefVerdict]]:
    """Decide every title for every entity, one at a time."""
    levels = tuple(pop.hierarchy.levels)
    sizes = {
        "person": pop.n_persons,
        "household": pop.n_households,
        "clan": pop.n_clans,
        "organisation": pop.n_organisations,
    }
    for level in levels:
        sizes[level] = pop.hierarchy.n_units(level)
    columns: dict[str, dict[str, RefColumn]] = {level: {} for level in sizes}
    empty = np.zeros(0)
    for level in ENTITY_LEVELS:
        table = pop.schema.table(level)
        stored = {
            "person": pop.person_columns,
            "household": pop.household_columns,
            "clan": pop.clan_columns,
            "organisation": pop.organisation_columns,
        }[level]
        for name, stored_values in stored.items():
            column_spec = table.column(name)
            if column_spec.kind in ("bool", "int", "float", "code"):
                columns[level][name] = RefColumn(
                    _python(stored_values, column_spec.kind, column_spec.missing), empty, None
                )
    for level, given in (inputs or {}).items():
        for name, raw in given.items():
            given_values = _input_values(pop, level, raw, sizes[level])
            spec = next(s for s in book.inputs if s.level == level and s.name == name)
            if spec.kind == "bool":
                given_values = [None if v is None else bool(v) for v in given_values]
            columns[level][name] = RefColumn(given_values, empty, None)
    names = {lv: dict(book.names.get(lv, {})) for lv in sizes}
    for level in sizes:
        for name in names[level]:
            if name not in columns[level]:
                columns[level][name] = RefColumn([None] * sizes[level], empty, None)
    ref_pop = RefPopulation(sizes, columns, _members(pop), {})

    def values_of(used: frozenset[str]) -> dict[str, bool | int | float]:
        return {p: book.parameters[p].value_at(as_of)[0].value for p in used}

    def run(
        level: str,
        text: str,
        used: frozenset[str],
        on_empty: str,
        condition: bool,
        skipped: set[tuple[str, int, str]] | None = None,
    ) -> list[Py]:
        ir = parse_with_parameters(text, values_of(used), (None, None), None)
        scope = scope_for(level, names, levels)
        typed = check_condition(ir, scope) if condition else typecheck(ir, scope)
        return Reference(ref_pop, scope, on_empty, skipped).evaluate(typed.expr, condition)

    skipped: set[tuple[str, str]] = set()
    out: dict[str, list[RefVerdict]] = {}
    for node in book.order:
        if node.level not in sizes:
            skipped.add((node.level, node.name))
            continue
        level = node.level
        if node.kind == "derived":
            derived = book.derived_variable(level, node.name)
            computed = run(level, derived.expr, derived.parameters, derived.on_empty, False)
            columns[level][node.name] = RefColumn(computed, empty, None)
            continue
        title = book.title(node.name)
        verdicts = _decide(title, as_of, level, sizes[level], run)
        out[title.id] = verdicts
        # Seen from above, an unknown verdict is unknown (None), and so are points the
        # unknown criteria could still raise and a grade they could still change.
        columns[level][title.id] = RefColumn(
            [v.passed if v.known else None for v in verdicts], empty, None
        )
        if title.rule == "points":
            whole = title.companions[f"{title.id}_points"].kind == "int"
            columns[level][f"{title.id}_points"] = RefColumn(
                [
                    (round(v.points or 0) if whole else v.points) if not v.open_points else None
                    for v in verdicts
                ],
                empty,
                None,
            )
        if title.grades:
            columns[level][f"{title.id}_grade"] = RefColumn(
                [v.grade if v.grade == v.grade_at_most else None for v in verdicts], empty, None
            )
    return out


def _decide(title: Title, as_of: dt.date, level: str, n: int, run: Any) -> list[RefVerdict]:
    version, _ = title.version_at(as_of)
    skipped: set[tuple[str, int, str]] = set()
    if title.eligible is not None:
        eligible = run(level, title.eligible, title.eligible_parameters, "fail", True, skipped)
    else:
        eligible = [True] * n
    results = [
        run(level, c.expr, c.parameters, c.on_empty, True, skipped) for c in version.criteria
    ]
    left_out: dict[int, set[str]] = {}
    for at, i, member_level in skipped:
        if at == level:
            left_out.setdefault(i, set()).add(member_level)
    out = []
    for i in range(n):
        assessed = eligible[i] is True
        values = tuple(r[i] for r in results)
        points = grade = None
        still = 0.0
        if title.rule == "all":
            sure = all(v is True for v in values)
            fails = any(v is False for v in values)
        else:
            earned = sum(
                float(c.points) for c, v in zip(version.criteria, values, strict=True) if v is True
            )
            still = sum(
                float(c.points) for c, v in zip(version.criteria, values, strict=True) if v is None
            )
            required = [v for c, v in zip(version.criteria, values, strict=True) if c.required]
            mark = float(title.pass_mark or 0)
            sure = all(v is True for v in required) and earned >= mark
            fails = any(v is False for v in required) or earned + still < mark
            points = earned
        passed = assessed and sure
        known = sure or fails or not assessed
        grade_at_most = None
        if title.grades:

            def grade_of(total: float, passed: bool) -> int:
                bands = [g for g in title.grades if g.min <= total]
                return max(bands, key=lambda g: g.min).code if bands and passed else 0

            grade = grade_of(points or 0, passed)
            # the grade is known when the verdict is and the open points keep its band
            grade_at_most = grade_of((points or 0) + still, passed) if known else None
        out.append(
            RefVerdict(
                passed=passed,
                known=known,
                assessed=assessed,
                criteria=values,
                points=points,
                grade=grade,
                open_points=still,
                grade_at_most=grade_at_most,
                skipped=i in left_out,
                skipped_levels=frozenset(left_out.get(i, ())),
            )
        )
    return out


__all__ = ["RefVerdict", "reference_evaluate"]
