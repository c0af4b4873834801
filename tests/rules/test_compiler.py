"""Tests of the compiler: hand-worked cases, and agreement with the reference interpreter."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnsoc.aggregate.groups import Groups
from learnsoc.errors import RulebookError, SchemaError
from learnsoc.rules.compiler import (
    ON_EMPTY,
    ColumnsContext,
    compile_condition,
    compile_expression,
    compile_typed,
    evaluate_many,
)
from learnsoc.rules.language import parse_condition, to_source
from learnsoc.rules.typecheck import typecheck
from learnsoc.rules.types import BOOL, FLOAT, INT, Scope, Value, ValueType
from tests.strategies import (
    HOUSEHOLD,
    PERSON,
    VILLAGE,
    aggregate_conditions,
    expressions,
    reference_populations,
    scopes_and_kinds,
)

from .reference import RefPopulation, evaluate

QUAL = ValueType("code", {"none": 0, "primary": 1, "lower": 2, "college": 3, "university": 4})
SEX = ValueType("code", {"male": 1, "female": 2}, ordered=False)
P = Scope(
    "person",
    {
        "age": INT,
        "literate": BOOL,
        "learning_hours": FLOAT,
        "qualification": QUAL,
        "digital_skills": BOOL,
        "in_school": BOOL,
        "learning_citizen": BOOL,
        "sex": SEX,
    },
)
H = Scope("household", {"learning_family": BOOL}, {"members": P})
V = Scope("village", {"points": INT, "min_indicator": INT}, {"households": H})


def _ctx(
    persons: dict[str, Any],
    household_of: list[int],
    n_households: int,
    households: dict[str, Any] | None = None,
    village_of: list[int] | None = None,
    n_villages: int = 0,
    villages: dict[str, Any] | None = None,
) -> ColumnsContext:
    groups = {
        ("household", "members"): Groups.from_codes(np.array(household_of, int), n_households)
    }
    if village_of is not None:
        groups[("village", "households")] = Groups.from_codes(np.array(village_of, int), n_villages)
    return ColumnsContext(
        {
            "person": {
                k: (np.asarray(v[0]), v[1]) if isinstance(v, tuple) else np.asarray(v)
                for k, v in persons.items()
            },
            "household": households or {},
            "village": villages or {},
        },
        groups=groups,
        sizes={"person": len(household_of), "household": n_households, "village": n_villages},
    )


def _cells(value: Value) -> list[Any]:
    """Values as Python objects with None where unknown."""
    known = value.known_mask()
    return [v.item() if k else None for v, k in zip(value.values, known, strict=True)]


# ----------------------------------------------------------------------- the brief's examples


def test_person_rule_matches_hand_worked_values() -> None:
    """The learning-citizen rule, each person failing a different clause."""
    rule = compile_condition(
        "age >= 15 and literate and (learning_hours >= 40 or qualification >= 3) "
        "and digital_skills",
        P,
    )
    ctx = ColumnsContext(
        {
            "person": {
                "age": np.array([15, 14, 30, 30, 30, 60], np.uint8),
                "literate": np.array([1, 1, 0, 1, 1, 1], np.uint8),
                "learning_hours": np.array([40, 40, 40, 39.5, 0, 50], np.float32),
                "qualification": np.array([0, 0, 0, 2, 3, 5], np.uint8),
                "digital_skills": np.array([1, 1, 1, 1, 1, 0], np.uint8),
            }
        }
    )
    value = rule.evaluate(ctx)
    assert value.values.tolist() == [True, False, False, False, True, False]
    assert value.known is None
    assert value.values.dtype == np.bool_


def test_household_rules_match_hand_worked_values() -> None:
    """share/all/count/mean over members on four households, one of them empty."""
    ctx = _ctx(
        {
            "age": [40, 38, 10, 70, 16, 8, 30],
            "learning_citizen": [1, 0, 0, 1, 1, 0, 0],
            "in_school": [0, 0, 1, 0, 1, 0, 0],
            "learning_hours": [20.0, 30.0, 0.0, 10.0, 50.0, 0.0, 19.5],
        },
        [0, 0, 0, 1, 1, 1, 3],
        4,
    )
    share = compile_condition("share(members.learning_citizen, where=members.age >= 15) >= 0.5", H)
    school = compile_condition(
        "all(members.in_school, where=members.age.between(6, 17))", H, on_empty="pass"
    )
    adult = compile_condition("count(members, where=members.age >= 15) >= 1", H)
    hours = compile_condition("mean(members.learning_hours, where=members.age >= 15) >= 20", H)
    # household 0: adults 40 (yes), 38 (no): 1 of 2 = 50% >= 50%; child 10 in school.
    # household 1: adults 70 (yes), 16 (yes); child 8 not in school, 16 in school.
    # household 2: nobody. household 3: one adult, not a learning citizen, 19.5 hours.
    assert share.evaluate(ctx).values.tolist() == [True, True, False, False]
    assert school.evaluate(ctx).values.tolist() == [True, False, True, True]
    assert adult.evaluate(ctx).values.tolist() == [True, True, False, True]
    assert hours.evaluate(ctx).values.tolist() == [True, True, False, False]


def test_village_share_and_points() -> None:
    """share over households, and the points rule with codes from the schema."""
    ctx = _ctx(
        {"age": []},
        [],
        10,
        households={"learning_family": np.arange(10) < 7},
        village_of=[0] * 10,
        n_villages=2,
        villages={"points": np.array([80, 95]), "min_indicator": np.array([5, 4])},
    )
    assert compile_condition("share(households.learning_family) >= 0.7", V).evaluate(
        ctx
    ).values.tolist() == [True, False]
    assert compile_condition("points >= 80 and min_indicator >= 5", V).evaluate(
        ctx
    ).values.tolist() == [True, False]


def test_code_names_and_isin() -> None:
    """Code names resolve through the schema; isin mixes numbers and names."""
    rule = compile_condition('sex == "female" and qualification.isin([3, "university"])', P)
    ctx = ColumnsContext(
        {"person": {"sex": np.array([2, 2, 1, 2]), "qualification": np.array([3, 4, 3, 2])}}
    )
    assert rule.evaluate(ctx).values.tolist() == [True, True, False, False]


# --------------------------------------------------------------------------- exact shares


@pytest.mark.parametrize(
    ("hits", "total", "text", "expected"),
    [
        (7, 10, "share(members.learning_citizen) >= 0.7", True),
        (69, 100, "share(members.learning_citizen) >= 0.7", False),
        (7, 10, "share(members.learning_citizen) > 0.7", False),
        (7, 10, "share(members.learning_citizen) == 0.7", True),
        (7, 10, "0.7 <= share(members.learning_citizen)", True),
        (7, 10, "0.7 > share(members.learning_citizen)", False),
        (1, 3, "share(members.learning_citizen) <= 0.3333", False),
        (2, 3, "share(members.learning_citizen) >= 0.6667", False),
        (3, 3, "share(members.learning_citizen) >= 1", True),
        (0, 3, "share(members.learning_citizen) <= 0", True),
        (29, 100, "share(members.learning_citizen) >= 0.29", True),
        (57, 100, "share(members.learning_citizen) >= 0.57", True),
        (57, 100, "share(members.learning_citizen) * 100 >= 57", True),
        (57, 100, "100 * share(members.learning_citizen) > 57", False),
        (57, 100, "57 <= share(members.learning_citizen) * 100", True),
        (3, 4, "share(members.learning_citizen) * -1 <= -0.5", True),
        (1, 4, "share(members.learning_citizen) * -1 <= -0.5", False),
        (1, 4, "share(members.learning_citizen) / 0.5 >= 0.5", True),
        (7, 10, "share(members.learning_citizen) * 0 >= 0", True),
    ],
)
def test_share_threshold_is_exact_at_the_boundary(
    hits: int, total: int, text: str, expected: bool
) -> None:
    """k of n compared with a written decimal is decided exactly, as by hand."""
    ctx = _ctx({"learning_citizen": np.arange(total) < hits}, [0] * total, 1)
    assert compile_condition(text, H).evaluate(ctx).values.tolist() == [expected]


# --------------------------------------------------------------------------- three values


def test_kleene_truth_tables() -> None:
    """and/or/not over true, false and unknown follow Kleene's logic."""
    scope = Scope("person", {"a": BOOL, "b": BOOL})
    t, f, u = (True, True), (False, True), (True, False)
    pairs = [(x, y) for x in (t, f, u) for y in (t, f, u)]
    a = (np.array([p[0][0] for p in pairs]), np.array([p[0][1] for p in pairs]))
    b = (np.array([p[1][0] for p in pairs]), np.array([p[1][1] for p in pairs]))
    ctx = ColumnsContext({"person": {"a": a, "b": b}})
    got_and = _cells(compile_condition("a and b", scope).evaluate(ctx))
    got_or = _cells(compile_condition("a or b", scope).evaluate(ctx))
    got_not = _cells(compile_condition("not a", scope).evaluate(ctx))
    #            TT    TF     TU    FT     FF     FU     UT    UF     UU
    assert got_and == [True, False, None, False, False, False, None, False, None]
    assert got_or == [True, True, True, True, False, None, True, None, None]
    assert got_not == [False] * 3 + [True] * 3 + [None] * 3


def test_unknown_bool_values_are_false_in_values() -> None:
    """Where a true/false result is unknown its value is False (values = certainly true)."""
    scope = Scope("person", {"a": BOOL})
    ctx = ColumnsContext({"person": {"a": (np.array([True, True]), np.array([True, False]))}})
    value = compile_condition("a", scope).evaluate(ctx)
    assert value.values.tolist() == [True, False]
    assert value.known is not None
    assert value.known.tolist() == [True, False]


def test_nan_in_float_column_is_missing() -> None:
    """A NaN is a missing value, never a comparison that is simply false."""
    scope = Scope("person", {"x": FLOAT})
    ctx = ColumnsContext({"person": {"x": np.array([1.0, np.nan])}})
    assert _cells(compile_condition("not x > 0", scope).evaluate(ctx)) == [False, None]


def test_division_by_zero_and_int_overflow_are_unknown() -> None:
    """x / 0 is unknown; int results beyond 2**62 are unknown instead of wrapping."""
    scope = Scope("person", {"x": INT, "y": INT})
    ctx = ColumnsContext({"person": {"x": np.array([1, 2, 2**40]), "y": np.array([0, 4, 2**40])}})
    assert _cells(compile_expression("x / y", scope).evaluate(ctx)) == [None, 0.5, 1.0]
    assert _cells(compile_expression("x * y", scope).evaluate(ctx)) == [0, 8, None]
    assert _cells(compile_expression("x + y", scope).evaluate(ctx)) == [1, 6, 2**41]


def test_narrow_int_columns_do_not_wrap() -> None:
    """uint8 columns are widened before arithmetic and compared exactly with big literals."""
    scope = Scope("person", {"age": INT})
    ctx = ColumnsContext({"person": {"age": np.array([200, 250], np.uint8)}})
    assert compile_expression("age + age", scope).evaluate(ctx).values.tolist() == [400, 500]
    assert compile_condition("age < 300", scope).evaluate(ctx).values.tolist() == [True, True]
    assert compile_condition("age - 255 < 0", scope).evaluate(ctx).values.tolist() == [True, True]


# -------------------------------------------------------------------- empty and missing groups


def _one_each() -> ColumnsContext:
    """Household 0: an adult learner; 1: nobody; 2: a member whose value is missing."""
    return _ctx(
        {
            "age": [40, 30],
            "learning_citizen": (np.array([True, True]), np.array([True, False])),
            "learning_hours": (np.array([12.0, 0.0]), np.array([True, False])),
        },
        [0, 2],
        3,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("share(members.learning_citizen) >= 0.5", {"pass": True, "fail": False, "unknown": None}),
        ("all(members.learning_citizen)", {"pass": True, "fail": False, "unknown": None}),
        ("any(members.learning_citizen)", {"pass": True, "fail": False, "unknown": None}),
        ("mean(members.learning_hours) > 1", {"pass": True, "fail": False, "unknown": None}),
        ("min(members.learning_hours) > 1", {"pass": True, "fail": False, "unknown": None}),
        ("max(members.learning_hours) > 1", {"pass": True, "fail": False, "unknown": None}),
        ("count(members) >= 1", {"pass": False, "fail": False, "unknown": False}),
        ("count(members) == 0", {"pass": True, "fail": True, "unknown": True}),
        ("sum(members.learning_hours) == 0", {"pass": True, "fail": True, "unknown": True}),
        ("not all(members.learning_citizen)", {"pass": False, "fail": True, "unknown": None}),
    ],
)
def test_empty_group_policy(text: str, expected: dict[str, bool | None]) -> None:
    """on_empty decides the atom around share/all/any/mean/min/max; count and sum give 0."""
    for policy in ON_EMPTY:
        value = compile_condition(text, H, on_empty=policy).evaluate(_one_each())
        assert _cells(value)[1] == expected[policy], policy


@pytest.mark.parametrize(
    "text",
    [
        "share(members.learning_citizen) >= 0.5",
        "all(members.learning_citizen)",
        "any(members.learning_citizen)",
        "mean(members.learning_hours) > 1",
        "sum(members.learning_hours) >= 0",
        "min(members.learning_hours) > 1",
    ],
)
def test_group_with_only_missing_members_is_unknown(text: str) -> None:
    """Eligible members that are all missing give unknown, whatever on_empty says."""
    for policy in ON_EMPTY:
        value = compile_condition(text, H, on_empty=policy).evaluate(_one_each())
        assert _cells(value)[2] is None


def test_unknown_where_counts_as_missing() -> None:
    """A member whose where= filter is unknown is left out and counted as missing."""
    ctx = _ctx(
        {
            "age": (np.array([40, 0, 0]), np.array([True, False, False])),
            "learning_citizen": [True, False, True],
        },
        [0, 0, 1],
        2,
    )
    rule = compile_condition("share(members.learning_citizen, where=members.age >= 15) >= 1", H)
    value, trace = rule.evaluate_with_trace(ctx)
    assert _cells(value) == [True, None]
    stats = trace.atoms[0].aggregates[0]
    assert stats.hits is not None
    assert stats.hits.tolist() == [1, 0]
    assert stats.count.tolist() == [1, 0]
    assert stats.missing.tolist() == [1, 1]
    assert stats.status.tolist() == [0, 2]
    count = compile_expression("count(members, where=members.age >= 15)", H)
    assert _cells(count.evaluate(ctx)) == [1, None]


def test_numeric_expression_over_empty_group_is_unknown() -> None:
    """A derived number from a mean of nobody is unknown, not NaN passed along."""
    value = compile_expression("mean(members.learning_hours) + 1", H).evaluate(_one_each())
    assert _cells(value) == [13.0, None, None]
    assert value.values.dtype == np.float64


# ------------------------------------------------------------------------------ the trace


def test_trace_gives_the_numbers_behind_each_atom() -> None:
    """3 of 4 adults are learning citizens (75%) >= 50%, without a second run."""
    ctx = _ctx(
        {"age": [40, 38, 20, 70, 10], "learning_citizen": [1, 1, 0, 1, 1]},
        [0, 0, 0, 0, 0],
        1,
    )
    rule = compile_condition(
        "age_ok and 0.5 <= share(members.learning_citizen, where=members.age >= 15)",
        Scope("household", {"age_ok": BOOL}, {"members": P}),
    )
    ctx = ColumnsContext(
        {"person": ctx.columns["person"], "household": {"age_ok": np.array([True])}},
        groups=ctx.groups_,
        sizes=ctx.sizes,
    )
    value, trace = rule.evaluate_with_trace(ctx)
    assert value.values.tolist() == [True]
    (atom,) = trace.atoms
    assert atom.text == "0.5 <= share(members.learning_citizen, where=members.age >= 15)"
    assert atom.op == ">="
    assert atom.threshold is not None
    assert atom.threshold.values.tolist() == [0.5]
    (stats,) = atom.aggregates
    assert stats.hits is not None
    assert (stats.hits.tolist(), stats.count.tolist(), stats.missing.tolist()) == ([3], [4], [0])
    assert stats.value.values.tolist() == [0.75]
    assert atom.result.values.tolist() == [True]
    assert trace.find(atom.text) is atom
    assert rule.evaluate(ctx).values.tolist() == value.values.tolist()


def test_trace_of_empty_group_shows_status_and_policy() -> None:
    """An empty group's atom carries status EMPTY and the policy's verdict."""
    rule = compile_condition("all(members.in_school)", H, on_empty="pass")
    ctx = _ctx({"in_school": [True]}, [0], 2)
    value, trace = rule.evaluate_with_trace(ctx)
    assert value.values.tolist() == [True, True]
    stats = trace.atoms[0].aggregates[0]
    assert stats.status.tolist() == [0, 1]
    assert trace.atoms[0].op is None


# ----------------------------------------------------------------------- caching, plumbing


class _CountingContext(ColumnsContext):
    """Counts how often member groups are asked for (one request per aggregate evaluation)."""

    def groups(self, level: str, collection: str) -> Groups:
        calls: list[str] = self.sizes["calls"]  # type: ignore[assignment]
        calls.append(collection)
        return super().groups(level, collection)


def test_repeated_aggregate_is_computed_once() -> None:
    """The same aggregate used twice in one condition is evaluated once per evaluation."""
    base = _ctx({"learning_citizen": [True, False]}, [0, 0], 1)
    calls: list[str] = []
    ctx = _CountingContext(base.columns, groups=base.groups_, sizes={**base.sizes, "calls": calls})  # type: ignore[dict-item]
    rule = compile_condition(
        "share(members.learning_citizen) >= 0.5 and share(members.learning_citizen) < 0.9", H
    )
    assert rule.evaluate(ctx).values.tolist() == [True]
    assert calls == ["members"]


def test_dependencies_are_exposed() -> None:
    """The engine can order rules by the names and collections each one reads."""
    rule = compile_condition(
        "learning_family and share(members.learning_citizen, where=members.age >= 15) > 0.5", H
    )
    assert rule.names == {"learning_family"}
    assert rule.member_names == {("members", "learning_citizen"), ("members", "age")}
    assert rule.collections == {"members"}
    assert rule.level == "household"
    assert rule.on_empty == "fail"


def test_bad_context_data_gives_schema_errors() -> None:
    """Columns of the wrong length or kind are named, not a numpy traceback."""
    scope = Scope("person", {"age": INT})
    rule = compile_condition("age > 1", scope)
    with pytest.raises(SchemaError, match="age"):
        rule.evaluate(ColumnsContext({"person": {"age": np.array([1, 2])}}, sizes={"person": 3}))
    with pytest.raises(SchemaError, match="dtype"):
        rule.evaluate(ColumnsContext({"person": {"age": np.array(["a", "b"])}}))
    groups_rule = compile_condition("count(members) > 1", H)
    bad = ColumnsContext(
        {"person": {"age": np.array([1, 2])}},
        groups={("household", "members"): Groups.from_codes(np.array([0]), 1)},
        sizes={"household": 1},
    )
    with pytest.raises(SchemaError, match="members"):
        groups_rule.evaluate(bad)


def test_invalid_on_empty_is_refused() -> None:
    """The empty-group policy is one of three words."""
    with pytest.raises(RulebookError, match="on_empty"):
        compile_condition("count(members) > 1", H, on_empty="skip")


def test_condition_must_be_boolean() -> None:
    """compile_condition refuses a number; compile_expression accepts it."""
    with pytest.raises(RulebookError, match="true or false"):
        compile_condition("count(members)", H)
    value = compile_expression("count(members)", H).evaluate(_one_each())
    assert value.values.tolist() == [1, 0, 1]
    assert value.values.dtype == np.int64


def test_results_are_read_only() -> None:
    """A Value's arrays cannot be modified by accident."""
    scope = Scope("person", {"a": BOOL})
    value = compile_condition("a", scope).evaluate(ColumnsContext({"person": {"a": [True]}}))
    with pytest.raises(ValueError, match="read-only"):
        value.values[0] = False


# -------------------------------------------------------------------- against the reference


_DTYPES = {"bool": np.bool_, "int": np.int64, "float": np.float64}


def _check_against_reference(
    pop: RefPopulation, scope: Scope, expr: Any, kind: str, on_empty: str
) -> None:
    text = to_source(expr)
    parsed = parse_condition(text)
    assert parsed == expr, text
    typed = typecheck(parsed, scope)
    assert typed.type.kind == kind
    compiled = compile_typed(typed, on_empty=on_empty)
    ctx = pop.context()
    value = compiled.evaluate(ctx)
    expected = evaluate(typed.expr, scope, pop, on_empty=on_empty, is_bool=kind == "bool")
    assert value.values.dtype == _DTYPES[kind], text
    assert len(value) == pop.sizes[scope.level]
    got = _cells(value)
    assert got == expected, text
    traced, _ = compiled.evaluate_with_trace(ctx)
    assert _cells(traced) == got


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pop=reference_populations(), data=st.data())
def test_compiler_agrees_with_reference(pop: RefPopulation, data: st.DataObject) -> None:
    """Random well-typed expressions on random populations: same values and known masks."""
    scope, kind = data.draw(scopes_and_kinds())
    expr = data.draw(expressions(scope, kind))
    on_empty = data.draw(st.sampled_from(ON_EMPTY))
    _check_against_reference(pop, scope, expr, kind, on_empty)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pop=reference_populations(), data=st.data())
def test_aggregate_conditions_agree_with_reference(pop: RefPopulation, data: st.DataObject) -> None:
    """Conditions built around an aggregate, at household and village level."""
    scope = data.draw(st.sampled_from([HOUSEHOLD, VILLAGE]))
    expr = data.draw(aggregate_conditions(scope, depth=data.draw(st.integers(1, 4))))
    on_empty = data.draw(st.sampled_from(ON_EMPTY))
    _check_against_reference(pop, scope, expr, "bool", on_empty)


def test_reference_population_strategy_is_sane() -> None:
    """The person scope used by the strategies has the columns the tests rely on."""
    assert {"age", "hours", "literate", "qual", "sex"} <= set(PERSON.names)


@pytest.mark.parametrize("policy", ON_EMPTY)
def test_repeated_atom_applies_the_policy_every_time(policy: str) -> None:
    """A shared all(...) over an empty group gets the policy, not the kernel's vacuous True."""
    ctx = _ctx({"in_school": [True]}, [0], 2)
    rule = compile_condition(
        "all(members.in_school) and all(members.in_school)", H, on_empty=policy
    )
    expected = {"pass": True, "fail": False, "unknown": None}[policy]
    assert _cells(rule.evaluate(ctx)) == [True, expected]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pop=reference_populations(), data=st.data())
def test_evaluate_many_equals_one_by_one(pop: RefPopulation, data: st.DataObject) -> None:
    """Evaluating criteria together (shared work) gives each one's own result and trace."""
    compiled = []
    for _ in range(data.draw(st.integers(1, 4))):
        scope = data.draw(st.sampled_from([HOUSEHOLD, VILLAGE, HOUSEHOLD]))
        expr = data.draw(aggregate_conditions(scope, depth=2))
        typed = typecheck(parse_condition(to_source(expr)), scope)
        compiled.append(compile_typed(typed, on_empty=data.draw(st.sampled_from(ON_EMPTY))))
    ctx = pop.context()
    together = evaluate_many(compiled, ctx, trace=True)
    for rule, (value, trace) in zip(compiled, together, strict=True):
        alone, alone_trace = rule.evaluate_with_trace(ctx)
        assert _cells(value) == _cells(alone)
        assert [a.text for a in trace.atoms] == [a.text for a in alone_trace.atoms]
        for got, want in zip(trace.atoms, alone_trace.atoms, strict=True):
            assert _cells(got.result) == _cells(want.result)
            for g, w in zip(got.aggregates, want.aggregates, strict=True):
                assert g.count.tolist() == w.count.tolist()
                assert g.missing.tolist() == w.missing.tolist()
                assert g.status.tolist() == w.status.tolist()


def test_evaluate_many_shares_the_counting_pass() -> None:
    """Two criteria over the same collection ask for the member groups once per aggregate."""
    base = _ctx({"learning_citizen": [True, False], "age": [40, 10]}, [0, 0], 1)
    calls: list[str] = []
    ctx = _CountingContext(
        base.columns,
        groups=base.groups_,
        sizes={**base.sizes, "calls": calls},  # type: ignore[dict-item]
    )
    rules = [
        compile_condition("share(members.learning_citizen) >= 0.5", H),
        compile_condition("share(members.learning_citizen) >= 0.5 and count(members) > 1", H),
    ]
    results = evaluate_many(rules, ctx)
    assert [v.values.tolist() for v, _ in results] == [[True], [True]]
    assert calls == ["members", "members"]  # share once, count once
