"""Hypothesis strategies shared by the tests (later the seed of learnsoc.testing).

The one home of the tests' strategies, in sections: populations as columns, aggregation
layouts (groups, values, masks) and the rule language (scopes, reference populations,
well-typed expressions). Strategies used by one test file only, and one-line value pools,
stay in that file.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import learnsoc as ls
from learnsoc.aggregate import Groups
from learnsoc.rules.language import (
    Aggregate,
    AggregateFunc,
    Arith,
    BoolOp,
    Call,
    Compare,
    CompareOp,
    Expr,
    Literal,
    MemberName,
    Name,
    Neg,
    Not,
    walk,
)
from learnsoc.rules.types import BOOL, FLOAT, INT, Scope, ValueType
from tests.rules.reference import RefColumn, RefPopulation, column_from_values

# -- populations as columns ------------------------------------------------------------------------

FLAGS = ("literate", "in_school", "digital_skills")


@st.composite
def population_columns(draw: st.DrawFn, max_households: int = 12) -> dict[str, Any]:
    """Valid columns for a small population: hierarchy, households, persons, clans, orgs."""
    villages = draw(st.integers(1, 4))
    h = ls.synthetic_hierarchy(villages=villages, seed=draw(st.integers(0, 5)))
    leaf = h.codes_at("village")
    n_h = draw(st.integers(0, max_households))
    hh_ids = draw(st.lists(st.integers(1, 10_000), min_size=n_h, max_size=n_h, unique=True))
    sizes = draw(st.lists(st.integers(0, 5), min_size=n_h, max_size=n_h))
    n_p = sum(sizes)
    p_ids = draw(st.lists(st.integers(1, 100_000), min_size=n_p, max_size=n_p, unique=True))
    households: dict[str, Any] = {
        "household_id": np.array(hh_ids, np.int64),
        "unit_code": np.array(
            [leaf[draw(st.integers(0, villages - 1))] for _ in range(n_h)], dtype=str
        ).reshape(-1),
        "clan_id": np.array(
            [draw(st.sampled_from([None, "K1", "K2"])) for _ in range(n_h)], dtype=object
        ),
    }
    persons: dict[str, Any] = {
        "person_id": np.array(p_ids, np.int64),
        "household_id": np.repeat(np.array(hh_ids, np.int64), sizes),
        "age": np.array([draw(st.integers(0, 120)) for _ in range(n_p)], np.int64),
    }
    for flag in FLAGS:
        persons[flag] = np.array(
            [draw(st.sampled_from([0, 1, None])) for _ in range(n_p)], dtype=object
        )
    n_o = draw(st.integers(0, 3))
    organisations = {
        "organisation_id": np.array([f"O{i}" for i in range(n_o)], dtype=str).reshape(-1),
        "organisation_type": np.array(
            [draw(st.sampled_from([1, 2, 5])) for _ in range(n_o)], np.int64
        ),
        "unit_code": np.array(
            [draw(st.sampled_from(list(h.codes))) for _ in range(n_o)], dtype=str
        ).reshape(-1),
    }
    pairs = sorted(
        draw(
            st.sets(
                st.tuples(st.integers(0, max(n_o - 1, 0)), st.integers(0, max(n_p - 1, 0))),
                max_size=8 if n_o and n_p else 0,
            )
        )
    )
    memberships = {
        "organisation_id": np.array([f"O{o}" for o, _ in pairs], dtype=str).reshape(-1),
        "person_id": np.array([p_ids[p] for _, p in pairs], np.int64),
    }
    return {
        "hierarchy": h,
        "persons": persons,
        "households": households,
        "organisations": organisations,
        "memberships": memberships,
    }


def permute(table: dict[str, Any], order: list[int]) -> dict[str, Any]:
    return {k: np.asarray(v)[order] for k, v in table.items()}


# -- aggregation: layouts of groups, member values, masks ------------------------------------------

DTYPES = ("bool", "uint8", "uint16", "int32", "int64", "float64")

FLAVOURS = ("offsets", "offsets_with_codes", "sorted_codes", "codes")
"""How a layout is turned into Groups:

* offsets: ``Groups.from_offsets`` (segment paths; codes not built);
* offsets_with_codes: the same, with ``.codes`` touched first (scatter paths);
* sorted_codes: ``Groups.from_codes`` on sorted codes (codes and detected offsets);
* codes: ``Groups.from_codes(detect_sorted=False)`` on codes in any order.
"""


@attrs.frozen
class Layout:
    """Members in groups, as plain data plus the Groups under test."""

    n_groups: int
    codes: list[int]  # group of each member, in member order
    groups: Groups
    flavour: str


def build_groups(codes: list[int], n_groups: int, flavour: str) -> Groups:
    if flavour in ("offsets", "offsets_with_codes"):
        sizes = np.bincount(np.asarray(codes, dtype=np.intp), minlength=n_groups)
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        groups = Groups.from_offsets(offsets)
        if flavour == "offsets_with_codes":
            assert groups.codes.tolist() == codes
        return groups
    return Groups.from_codes(
        np.asarray(codes, dtype=np.intp), n_groups, detect_sorted=flavour == "sorted_codes"
    )


@st.composite
def layouts(
    draw: st.DrawFn,
    *,
    max_groups: int = 8,
    empty_groups: bool | None = None,
    large: bool = False,
) -> Layout:
    """Random groups; ``empty_groups`` True forces some (leading, middle or trailing),
    False forbids them, None lets Hypothesis choose. ``large`` sometimes draws groups of
    250-300 members, beyond what 8-bit counter fields hold."""
    n_groups = draw(st.integers(1 if empty_groups is False else 0, max_groups))
    small = st.integers(1 if empty_groups is False else 0, 6)
    size = st.one_of(small, st.integers(250, 300)) if large else small
    sizes = draw(st.lists(size, min_size=n_groups, max_size=n_groups))
    if empty_groups and n_groups:
        at = draw(st.sampled_from(["first", "last", "middle", "several"]))
        if at == "first":
            sizes[0] = 0
        elif at == "last":
            sizes[-1] = 0
        elif at == "middle":
            sizes[n_groups // 2] = 0
        else:
            sizes = [0 if i % 2 else s for i, s in enumerate(sizes)]
    if empty_groups and n_groups == 0:
        n_groups, sizes = 3, [0, 0, 0]
    codes = [g for g, s in enumerate(sizes) for _ in range(s)]
    flavour = draw(st.sampled_from(FLAVOURS))
    if flavour == "codes":
        codes = draw(st.permutations(codes))
    return Layout(n_groups, list(codes), build_groups(list(codes), n_groups, flavour), flavour)


def _floats() -> st.SearchStrategy[float]:
    # Dyadic values: every sum is exact in any order, so float sums compare exactly.
    dyadic = st.integers(-(2**20), 2**20).map(lambda i: i / 16)
    special = st.sampled_from([np.inf, -np.inf, -0.0, np.nan])
    return st.one_of(dyadic, dyadic, dyadic, special)


def elements(dtype: str) -> st.SearchStrategy[Any]:
    if dtype == "float64":
        return _floats()
    if dtype == "bool":
        return st.booleans()
    info = np.iinfo(np.dtype(dtype))
    return st.integers(int(info.min), int(info.max))


def member_arrays(n: int, dtype: str) -> st.SearchStrategy[NDArray[Any]]:
    """One value per member of ``dtype``."""
    return hnp.arrays(np.dtype(dtype), n, elements=elements(dtype))


def masks(n: int) -> st.SearchStrategy[NDArray[np.bool_]]:
    return hnp.arrays(np.bool_, n, elements=st.booleans())


def optional_masks(n: int, given: bool | None) -> st.SearchStrategy[NDArray[np.bool_] | None]:
    """A mask when ``given``, None when not, either when ``given`` is None."""
    if given is None:
        return st.one_of(st.none(), masks(n))
    return masks(n) if given else st.none()


# -- the rule language: scopes, reference populations ----------------------------------------------

QUAL = ValueType(
    "code", {"none": 0, "primary": 1, "lower": 2, "college": 3, "university": 4, "postgrad": 5}
)
SEX = ValueType("code", {"male": 1, "female": 2, "nam": 1, "nữ": 2}, ordered=False)
REGION = ValueType("code", {"north": 1, "centre": 2, "south": 3}, ordered=False)

PERSON = Scope(
    "person",
    {
        "age": INT,
        "hours": FLOAT,
        "literate": BOOL,
        "learning": BOOL,
        "qual": QUAL,
        "sex": SEX,
    },
)
HOUSEHOLD = Scope(
    "household",
    {"rural": BOOL, "income": FLOAT, "rooms": INT, "region": REGION},
    {"members": PERSON},
)
VILLAGE = Scope("village", {"score": INT, "ok": BOOL}, {"households": HOUSEHOLD})
SCOPES = (PERSON, HOUSEHOLD, VILLAGE)

_SMALL_INTS = st.integers(-5, 120)
# Multiples of 1/4: sums and products stay exact, so any summation order gives one answer.
_DYADIC = st.integers(-200, 200).map(lambda k: k / 4)
_THRESHOLDS = st.sampled_from(
    [0, 1, 0.0, 0.25, 0.5, 0.7, 0.9, 1.0, 0.3333, 2 / 3, 0.05, -0.5, -1, 50, 70]
)
_OPS: st.SearchStrategy[CompareOp] = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])


def _value_strategy(vt: ValueType) -> st.SearchStrategy[Any]:
    if vt.kind == "bool":
        return st.booleans()
    if vt.kind == "float":
        return _DYADIC
    if vt.kind == "code":
        return st.sampled_from(sorted(set(vt.code_map.values())))
    return _SMALL_INTS


def _dtypes(vt: ValueType) -> list[Any]:
    if vt.kind == "bool":
        return [np.bool_, np.uint8]
    if vt.kind == "float":
        return [np.float64, np.float32]
    if vt.kind == "code":
        return [np.uint8, np.int32, np.int64]
    return [np.int64, np.int16, np.int32]


@st.composite
def reference_columns(draw: st.DrawFn, vt: ValueType, n: int) -> RefColumn:
    """A column of ``n`` values of type ``vt``, some missing, in a random storage dtype."""
    with_missing = draw(st.booleans())
    values_st = _value_strategy(vt)
    cells = st.one_of(st.none(), values_st) if with_missing else values_st
    values = draw(st.lists(cells, min_size=n, max_size=n))
    dtype = draw(st.sampled_from(_dtypes(vt)))
    garbage = draw(st.lists(values_st, min_size=n, max_size=n))
    nan = vt.kind == "float" and draw(st.booleans())
    return column_from_values(values, dtype, garbage, nan_for_missing=nan)


@st.composite
def reference_populations(draw: st.DrawFn, max_persons: int = 24) -> RefPopulation:
    """Villages, households and persons with random membership (empty groups included)."""
    n_v = draw(st.integers(0, 4))
    n_h = draw(st.integers(0, 8)) if n_v else draw(st.integers(0, 3))
    n_p = draw(st.integers(0, max_persons))
    h_of_p = draw(st.lists(st.integers(0, max(n_h - 1, 0)), min_size=n_p, max_size=n_p))
    if n_h == 0:
        n_p, h_of_p = 0, []
    v_of_h = draw(st.lists(st.integers(0, max(n_v - 1, 0)), min_size=n_h, max_size=n_h))
    if n_v == 0:
        v_of_h = [0] * n_h
        n_v = 1 if n_h else 0
    if draw(st.booleans()):
        h_of_p = sorted(h_of_p)
    sizes = {"person": n_p, "household": n_h, "village": n_v}
    cols: dict[str, dict[str, RefColumn]] = {}
    for scope in SCOPES:
        n = sizes[scope.level]
        cols[scope.level] = {
            name: draw(reference_columns(vt, n)) for name, vt in scope.names.items()
        }
    members = {
        ("household", "members"): [[p for p in range(n_p) if h_of_p[p] == h] for h in range(n_h)],
        ("village", "households"): [[h for h in range(n_h) if v_of_h[h] == v] for v in range(n_v)],
    }
    codes = {
        ("household", "members"): np.array(h_of_p, dtype=np.int64),
        ("village", "households"): np.array(v_of_h, dtype=np.int64),
    }
    return RefPopulation(sizes, cols, members, codes)


# -- rule expressions ------------------------------------------------------------------------------


def _names(scope: Scope, kind: str, *, ordered: bool | None = None) -> list[str]:
    return sorted(
        n
        for n, vt in scope.names.items()
        if vt.kind == kind and (ordered is None or vt.ordered == ordered)
    )


def _neg(expr: Expr) -> Expr:
    """Negate as the parser would: a number literal absorbs the minus sign."""
    if isinstance(expr, Literal) and expr.kind in ("int", "float"):
        return Literal(-expr.value)  # type: ignore[operator]
    return Neg(expr)


def _bool_op(op: str, parts: list[Expr]) -> Expr:
    """Build and/or as the parser does, flattening nested operands of the same kind."""
    flat: list[Expr] = []
    for part in parts:
        if isinstance(part, BoolOp) and part.op == op:
            flat.extend(part.operands)
        else:
            flat.append(part)
    return BoolOp(op, tuple(flat))  # type: ignore[arg-type]


@st.composite
def _member_expr(
    draw: st.DrawFn, scope: Scope, coll: str, kind: str, depth: int, exact: bool = False
) -> Expr:
    """An expression over the members of ``coll`` that reads at least one member value."""
    expr = draw(expressions(scope, kind, depth, coll, exact))
    if any(isinstance(n, MemberName) for n in walk(expr)):
        return expr
    names = _names(scope.collections[coll], kind)
    return MemberName(coll, draw(st.sampled_from(names)))


def _name(scope: Scope, name: str, collection: str | None) -> Expr:
    return Name(name) if collection is None else MemberName(collection, name)


@st.composite
def expressions(
    draw: st.DrawFn,
    scope: Scope,
    kind: str,
    depth: int = 3,
    collection: str | None = None,
    exact: bool = False,
) -> Expr:
    """A well-typed expression of ``kind`` ("bool", "int" or "float") over ``scope``.

    With ``collection`` set the expression is inside an aggregate over that collection
    of ``scope`` (member names only, no nested aggregates); ``exact`` avoids division
    so that sums of the values are exact in any order.
    """
    here = scope if collection is None else scope.collections[collection]
    can_aggregate = collection is None and bool(scope.collections)
    leaf = depth <= 0
    if kind == "bool":
        options = ["literal", "name", "compare", "code"]
        if not leaf:
            options += ["and_or", "not", "between", "isin"]
            if can_aggregate:
                # Weighted up: aggregates are where the vectorised code is subtle.
                options = ["all_any", "share_cmp", "agg_cmp"] * 3 + options
        choice = draw(st.sampled_from(options))
        if choice == "literal":
            return Literal(draw(st.booleans()))
        if choice == "name":
            names = _names(here, "bool")
            if not names:
                return Literal(draw(st.booleans()))
            return _name(here, draw(st.sampled_from(names)), collection)
        if choice == "compare":
            sub = max(depth - 1, 0)
            left = draw(
                expressions(scope, draw(st.sampled_from(["int", "float"])), sub, collection)
            )
            right = draw(
                expressions(scope, draw(st.sampled_from(["int", "float"])), sub, collection)
            )
            return Compare(draw(_OPS), left, right)
        if choice == "code":
            return draw(_code_compare(here, collection))
        if choice == "and_or":
            parts = draw(
                st.lists(expressions(scope, "bool", depth - 1, collection), min_size=2, max_size=3)
            )
            return _bool_op(draw(st.sampled_from(["and", "or"])), parts)
        if choice == "not":
            return Not(draw(expressions(scope, "bool", depth - 1, collection)))
        if choice == "between":
            x = draw(expressions(scope, "int", depth - 1, collection))
            lo = draw(expressions(scope, "int", 0, collection))
            hi = draw(expressions(scope, draw(st.sampled_from(["int", "float"])), 0, collection))
            return Call("between", (x, lo, hi))
        if choice == "isin":
            x = draw(expressions(scope, "int", depth - 1, collection))
            listed = draw(st.lists(st.integers(-5, 120).map(Literal), max_size=5))
            return Call("isin", (x, *listed))
        coll = draw(st.sampled_from(sorted(scope.collections)))
        if choice == "all_any":
            inner = draw(_member_expr(scope, coll, "bool", depth - 1))
            where = draw(st.none() | expressions(scope, "bool", depth - 1, coll))
            func = draw(st.sampled_from(["all", "any"]))
            return Aggregate(func, coll, inner, where)  # type: ignore[arg-type]
        if choice == "share_cmp":
            inner = draw(_member_expr(scope, coll, "bool", depth - 1))
            where = draw(st.none() | expressions(scope, "bool", depth - 1, coll))
            share = Aggregate("share", coll, inner, where)
            threshold = Literal(draw(_THRESHOLDS))
            if draw(st.booleans()):
                return Compare(draw(_OPS), threshold, share)
            return Compare(draw(_OPS), share, threshold)
        agg = draw(_numeric_aggregate(scope, coll, depth - 1))
        other = draw(expressions(scope, draw(st.sampled_from(["int", "float"])), 0, None))
        return Compare(draw(_OPS), agg, other)
    # int or float
    options = ["literal", "name"]
    if not leaf:
        options += ["arith", "neg", "abs"]
        if can_aggregate:
            options = ["aggregate"] * 4 + options
    choice = draw(st.sampled_from(options))
    if choice == "literal":
        if kind == "int":
            return Literal(draw(_SMALL_INTS))
        return Literal(draw(_DYADIC))
    if choice == "name":
        names = _names(here, kind)
        if not names:
            return Literal(draw(_SMALL_INTS) if kind == "int" else draw(_DYADIC))
        return _name(here, draw(st.sampled_from(names)), collection)
    if choice == "arith":
        ops = ["+", "-", "*"] if (kind == "int" or exact) else ["+", "-", "*", "/"]
        op = draw(st.sampled_from(ops))
        if kind == "int":
            lk = rk = "int"
        else:
            lk = draw(st.sampled_from(["int", "float"]))
            rk = "float" if lk == "int" and op != "/" else draw(st.sampled_from(["int", "float"]))
        left = draw(expressions(scope, lk, depth - 1, collection, exact))
        right = draw(expressions(scope, rk, depth - 1, collection, exact))
        return Arith(op, left, right)  # type: ignore[arg-type]
    if choice == "neg":
        return _neg(draw(expressions(scope, kind, depth - 1, collection, exact)))
    if choice == "abs":
        return Call("abs", (draw(expressions(scope, kind, depth - 1, collection, exact)),))
    coll = draw(st.sampled_from(sorted(scope.collections)))
    agg = draw(_numeric_aggregate(scope, coll, depth - 1, kind))
    return agg


@st.composite
def _numeric_aggregate(
    draw: st.DrawFn, scope: Scope, coll: str, depth: int, kind: str | None = None
) -> Expr:
    """count, sum, mean, min, max or share over ``coll``, of the requested result kind."""
    where = draw(st.none() | expressions(scope, "bool", depth, coll))
    if kind == "int":
        func = draw(st.sampled_from(["count", "sum", "min", "max"]))
    elif kind == "float":
        func = draw(st.sampled_from(["mean", "share", "sum", "min", "max"]))
    else:
        func = draw(st.sampled_from(["count", "sum", "mean", "min", "max", "share"]))
    if func == "count":
        return Aggregate("count", coll, None, where)
    if func == "share":
        return Aggregate("share", coll, draw(_member_expr(scope, coll, "bool", depth)), where)
    if func in ("sum", "mean") and draw(st.booleans()) and kind != "float":
        inner = draw(_member_expr(scope, coll, "bool", depth))
        if func == "mean":
            return Aggregate("mean", coll, inner, where)
        return Aggregate("sum", coll, inner, where)
    inner_kind = kind if kind in ("int", "float") else draw(st.sampled_from(["int", "float"]))
    if func == "mean":
        inner_kind = draw(st.sampled_from(["int", "float"]))
    inner = draw(_member_expr(scope, coll, inner_kind, depth, exact=True))
    return Aggregate(func, coll, inner, where)  # type: ignore[arg-type]


@st.composite
def _code_compare(draw: st.DrawFn, scope: Scope, collection: str | None) -> Expr:
    names = _names(scope, "code")
    if not names:
        return Literal(draw(st.booleans()))
    name = draw(st.sampled_from(names))
    vt = scope.names[name]
    column = _name(scope, name, collection)
    code_names = sorted(vt.code_map)
    value: Expr = Literal(draw(st.sampled_from(code_names)))
    if draw(st.booleans()):
        value = Literal(draw(st.sampled_from(sorted(set(vt.code_map.values())))))
    form = draw(st.sampled_from(["eq", "isin", "order"] if vt.ordered else ["eq", "isin"]))
    if form == "isin":
        listed = draw(st.lists(st.sampled_from(code_names), max_size=3))
        return Call("isin", (column, *(Literal(v) for v in listed)))
    op = draw(st.sampled_from(["==", "!="] if form == "eq" else ["<", "<=", ">", ">="]))
    if draw(st.booleans()):
        return Compare(op, value, column)  # type: ignore[arg-type]
    return Compare(op, column, value)  # type: ignore[arg-type]


def scopes_and_kinds() -> st.SearchStrategy[tuple[Scope, str]]:
    """A level to evaluate at and the kind of expression to generate."""
    levels = st.sampled_from([HOUSEHOLD, VILLAGE, HOUSEHOLD, VILLAGE, PERSON])
    return st.tuples(levels, st.sampled_from(["bool", "bool", "int", "float"]))


@st.composite
def aggregate_conditions(draw: st.DrawFn, scope: Scope, depth: int = 3) -> Expr:
    """A condition with at least one aggregate atom, possibly combined with another part."""
    coll = draw(st.sampled_from(sorted(scope.collections)))
    form = draw(st.sampled_from(["all_any", "share_cmp", "agg_cmp"]))
    if form == "agg_cmp":
        agg = draw(_numeric_aggregate(scope, coll, depth - 1))
        other = draw(expressions(scope, draw(st.sampled_from(["int", "float"])), 1, None))
        atom: Expr = Compare(draw(_OPS), agg, other)
    else:
        inner = draw(_member_expr(scope, coll, "bool", depth - 1))
        where = draw(st.none() | expressions(scope, "bool", depth - 1, coll))
        if form == "all_any":
            func: AggregateFunc = draw(st.sampled_from(["all", "any"]))
            atom = Aggregate(func, coll, inner, where)
        else:
            share: Expr = Aggregate("share", coll, inner, where)
            if draw(st.booleans()):
                share = Arith(
                    draw(st.sampled_from(["*", "/"])),
                    share,
                    Literal(draw(st.sampled_from([100, 2, 0.5, -1, 0]))),
                )
            atom = Compare(draw(_OPS), share, Literal(draw(_THRESHOLDS)))
    shape = draw(st.sampled_from(["atom", "not", "and", "or", "twice"]))
    if shape == "atom":
        return atom
    if shape == "not":
        return Not(atom)
    if shape == "twice":
        # The same atom twice exercises the per-evaluation cache.
        return _bool_op(draw(st.sampled_from(["and", "or"])), [atom, Not(atom), atom])
    other_part = draw(expressions(scope, "bool", depth - 1))
    return _bool_op(shape, [atom, other_part])
