"""Tests of the parser: the grammar, positions, limits, and the IR helpers."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.errors import RulebookError
from learnsoc.rules.language import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_MAGNITUDE,
    MAX_NODES,
    MAX_STRING,
    Aggregate,
    Arith,
    BoolOp,
    Call,
    Compare,
    Expr,
    Literal,
    MemberName,
    Name,
    Neg,
    Not,
    Span,
    collections_used,
    contains_aggregate,
    fold_constants,
    member_names_used,
    names_used,
    parse_condition,
    to_source,
    walk,
)
from tests.strategies import SCOPES, expressions


def _error(text: str, **where: int | str) -> RulebookError:
    with pytest.raises(RulebookError) as info:
        parse_condition(text, **where)  # type: ignore[arg-type]
    return info.value


# ------------------------------------------------------------------------------ the grammar


def test_brief_examples_parse_to_the_expected_trees() -> None:
    """Each example of the brief gives the IR written out by hand."""
    age, members_age = Name("age"), MemberName("members", "age")
    assert parse_condition("age >= 15 and literate") == BoolOp(
        "and", (Compare(">=", age, Literal(15)), Name("literate"))
    )
    assert parse_condition("share(members.learning_citizen, where=members.age >= 15) >= 0.5") == (
        Compare(
            ">=",
            Aggregate(
                "share",
                "members",
                MemberName("members", "learning_citizen"),
                Compare(">=", members_age, Literal(15)),
            ),
            Literal(0.5),
        )
    )
    assert parse_condition("all(members.in_school, where=members.age.between(6, 17))") == (
        Aggregate(
            "all",
            "members",
            MemberName("members", "in_school"),
            Call("between", (members_age, Literal(6), Literal(17))),
        )
    )
    assert parse_condition("count(members, where=members.age >= 15) >= 1") == Compare(
        ">=",
        Aggregate("count", "members", None, Compare(">=", members_age, Literal(15))),
        Literal(1),
    )
    assert parse_condition('sex == "female" and qualification.isin([3, 4, 5])') == BoolOp(
        "and",
        (
            Compare("==", Name("sex"), Literal("female")),
            Call("isin", (Name("qualification"), Literal(3), Literal(4), Literal(5))),
        ),
    )


def test_chained_comparison_is_expanded() -> None:
    """a < b <= c becomes (a < b) and (b <= c)."""
    assert parse_condition("6 <= age < 18") == BoolOp(
        "and",
        (Compare("<=", Literal(6), Name("age")), Compare("<", Name("age"), Literal(18))),
    )


def test_same_boolean_operators_are_flattened() -> None:
    """(a and b) and c is one and with three operands; mixed operators are kept."""
    assert parse_condition("(a and b) and c") == BoolOp("and", (Name("a"), Name("b"), Name("c")))
    assert parse_condition("a and (b or c)") == BoolOp(
        "and", (Name("a"), BoolOp("or", (Name("b"), Name("c"))))
    )


def test_negative_numbers_are_folded_but_negation_of_names_is_kept() -> None:
    """-3 is a literal; -x is a Neg node; --3 is 3."""
    assert parse_condition("x > -3") == Compare(">", Name("x"), Literal(-3))
    assert parse_condition("-x > 3") == Compare(">", Neg(Name("x")), Literal(3))
    assert parse_condition("--3.5 > x") == Compare(">", Literal(3.5), Name("x"))
    assert parse_condition("x.isin([-1, 2])") == Call("isin", (Name("x"), Literal(-1), Literal(2)))


def test_literal_kinds_are_part_of_equality() -> None:
    """True and 1 are different literals (Python alone says True == 1)."""
    assert parse_condition("x == True") != parse_condition("x == 1")
    assert parse_condition("x == 1") != parse_condition("x == 1.0")
    with pytest.raises(TypeError):
        Literal(True, kind="int")


def test_arithmetic_precedence() -> None:
    """* binds tighter than +, and - is left-associative."""
    assert parse_condition("a + b * c > a - b - c") == Compare(
        ">",
        Arith("+", Name("a"), Arith("*", Name("b"), Name("c"))),
        Arith("-", Arith("-", Name("a"), Name("b")), Name("c")),
    )


def test_multiline_conditions_with_comments() -> None:
    """A TOML multi-line string may break lines anywhere and carry # comments."""
    text = "\n    age >= 15   # adults\n    and literate\n"
    assert parse_condition(text) == parse_condition("age >= 15 and literate")


def test_not_binds_looser_than_comparison() -> None:
    """not a == b is not (a == b)."""
    assert parse_condition("not a == b") == Not(Compare("==", Name("a"), Name("b")))


@pytest.mark.parametrize(
    "text",
    [
        "(a or b) and not (x + 1) * 2 > 3",
        "a - (b - c) * -(d / 2) >= 0",
        "(-3).between(1, 2)",
        "(x + 1).isin([1, 2])",
        "not not a",
        "(a == b) == c",
        "- -x > 1",
        "abs(x - 3) <= 1.5",
        "share(members.a, where=members.b and not members.c) * 100 >= 57",
        "count(households, where=households.rural) > 0",
        "'nữ' == sex",
        "x == -0.0",
    ],
)
def test_to_source_round_trips(text: str) -> None:
    """Writing the tree back and parsing it gives the same tree."""
    expr = parse_condition(text)
    assert parse_condition(to_source(expr)) == expr


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_to_source_round_trips_random_trees(data: st.DataObject) -> None:
    """parse(to_source(e)) == e for random well-formed trees."""
    scope = data.draw(st.sampled_from(SCOPES))
    kind = data.draw(st.sampled_from(["bool", "int", "float"]))
    expr = data.draw(expressions(scope, kind, depth=4))
    assert parse_condition(to_source(expr)) == expr


# --------------------------------------------------------------------------------- positions


def test_error_position_is_absolute_in_the_file() -> None:
    """Line and column count from where the string starts in the rule file."""
    err = _error("age >= 15 and x ** 2 > 1", file="book.toml", line=12, column=20)
    assert (err.file, err.line, err.column) == ("book.toml", 12, 34)
    assert str(err).startswith("book.toml:12:34: ")


def test_error_position_on_a_later_line_uses_the_column_on_that_line() -> None:
    """On the second line of a multi-line string, columns start at 1 again."""
    err = _error("age >= 15\n  and x[0]", file="b.toml", line=5, column=14)
    assert (err.line, err.column) == (6, 7)


def test_columns_count_characters_not_bytes() -> None:
    """Accented text before the error does not shift the column."""
    err = _error('sex == "nữ" and x ** 2', line=1, column=1)
    assert err.column == 17


def test_default_position_is_one_one() -> None:
    """Without a position, the string is taken to start at line 1, column 1."""
    err = _error("a ** 2")
    assert (err.line, err.column) == (1, 1)


def test_spans_are_absolute_and_not_part_of_equality() -> None:
    """Nodes carry where they were written; equal trees at different places are equal."""
    expr = parse_condition("x > 1", line=3, column=10)
    assert isinstance(expr, Compare)
    assert expr.span == Span(3, 10, 3, 15)
    assert expr.left.span == Span(3, 10, 3, 11)
    assert expr == parse_condition("x  >  1")


def test_syntax_error_reports_a_position() -> None:
    """A syntax error is a RulebookError with line and column, not a SyntaxError."""
    err = _error("age >= ", file="b.toml", line=2, column=5)
    assert err.line == 2
    assert "ends too early" in str(err)
    err = _error("age >= = 3", file="b.toml", line=2, column=5)
    assert err.line == 2
    assert err.column is not None
    assert "invalid syntax" in str(err)


# ------------------------------------------------------------------------- refusals, hints


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a & b", "write 'and'"),
        ("a | b", "write 'or'"),
        ("~a", "write 'not'"),
        ("x in [1, 2]", "isin"),
        ("x is None", "write '=='"),
        ("x == None", "None is not allowed"),
        ("x is 1", "'is' is not allowed"),
        ("x // 2 > 1", "floor division"),
        ("x % 2 == 0", "remainder"),
        ("sqrt(x) > 1", "unknown function 'sqrt'"),
        ("summ(members.x) > 1", "did you mean 'sum'"),
        ("x.betwen(1, 2)", "did you mean 'between'"),
        ("members.age > 3", "aggregate it"),
        ("share(age >= 15) > 0.5", "'members.age'"),
        ("count(members.age) > 1", "count() takes a collection"),
        ("share(members.a, where=households.b) > 0", "mixes the collections"),
        ("share(members.a, weights=members.b) > 0", "only the keyword argument where="),
        ("share(members.a, **kw) > 0", "only the keyword argument where="),
        ("abs(x, where=y) > 1", "takes no keyword arguments"),
        ("abs(x, y) > 1", "abs() takes 1 argument"),
        ("x.between(1) ", "between() takes 2 arguments"),
        ("x.isin(1, 2)", "isin() takes 1 argument"),
        ("x.isin(y)", "takes a list"),
        ("x.isin([y])", "only numbers or code names"),
        ("share(all(members.a)) > 0", "cannot be nested"),
        ("share(True) > 0", "needs a value of the members"),
        ("a.b.c > 1", "attribute access"),
        ("members.mean() > 1", "as a function"),
        ("x.between", "must be called"),
        ("sum", "call it as sum(...)"),
        ("x if y else z", "conditional expressions"),
        ("{1: 2}", "dictionaries"),
        ("{1, 2}", "sets are not allowed"),
        ("(1, 2)", "tuples"),
        ("[1]", "lists"),
        ("+x > 1", "unary '+'"),
    ],
)
def test_refusals_say_what_to_write_instead(text: str, words: str) -> None:
    """Each construct outside the grammar is refused with a hint."""
    assert words in str(_error(text))


def test_empty_condition_is_refused() -> None:
    """An empty or blank condition is an error, not True."""
    assert "empty" in str(_error("   \n "))


# ----------------------------------------------------------------------------------- limits


def test_length_limit_is_inclusive() -> None:
    """MAX_LENGTH characters are fine; one more is refused before parsing."""
    text = "x" * MAX_LENGTH
    assert parse_condition(text) == Name(text)
    assert "limit" in str(_error("x" * (MAX_LENGTH + 1)))


def test_nesting_limit() -> None:
    """MAX_DEPTH brackets are refused with a message about nesting, before ast.parse."""
    ok = "(" * (MAX_DEPTH - 2) + "x" + ")" * (MAX_DEPTH - 2)
    assert parse_condition(ok) == Name("x")
    deep = "(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1)
    assert "nested" in str(_error(deep))
    assert "nested" in str(_error("not " * (MAX_DEPTH + 1) + "x"))
    assert "nested" in str(_error("x" + " + x" * (MAX_DEPTH + 1) + " > 1"))


def test_node_limit() -> None:
    """A flat condition with too many parts is refused."""
    text = "x.isin([" + "1," * MAX_NODES + "1])"
    assert len(text) < MAX_LENGTH
    assert "parts" in str(_error(text))


def test_magnitude_limits() -> None:
    """Numbers up to MAX_MAGNITUDE are accepted, bigger ones refused; text is bounded."""
    assert parse_condition(f"x < {MAX_MAGNITUDE}") == Compare(
        "<", Name("x"), Literal(MAX_MAGNITUDE)
    )
    assert parse_condition(f"x > -{MAX_MAGNITUDE}") == Compare(
        ">", Name("x"), Literal(-MAX_MAGNITUDE)
    )
    assert "too large" in str(_error(f"x < {MAX_MAGNITUDE + 1}"))
    assert "out of range" in str(_error("x < 1e16"))
    assert "out of range" in str(_error("x < 1e999"))
    assert parse_condition(repr("a" * MAX_STRING) + " == x") is not None
    assert "limit" in str(_error(repr("a" * (MAX_STRING + 1)) + " == x"))


# ------------------------------------------------------------------------------ IR helpers


def test_dependency_helpers() -> None:
    """names, member names and collections used, for ordering rules by dependency."""
    expr = parse_condition(
        "a and share(members.b, where=members.age > 1) > 0.5 or count(households) > c"
    )
    assert names_used(expr) == {"a", "c"}
    assert member_names_used(expr) == {("members", "b"), ("members", "age")}
    assert collections_used(expr) == {"members", "households"}
    assert contains_aggregate(expr)
    assert not contains_aggregate(parse_condition("a and b"))


def test_walk_is_iterative_and_complete() -> None:
    """walk visits every node once, parents first."""
    expr = parse_condition("a + b * c > abs(d)")
    kinds = [type(n).__name__ for n in walk(expr)]
    assert kinds == ["Compare", "Arith", "Name", "Arith", "Name", "Name", "Call", "Name"]


def test_nodes_are_hashable_values() -> None:
    """Equal subtrees hash equal (the compiler's cache relies on it)."""
    first: Expr = parse_condition("share(members.a) > 0.5")
    second: Expr = parse_condition("share(members.a)  >  0.5", line=9)
    assert hash(first) == hash(second)
    assert len({first, second}) == 1


# -------------------------------------------------------------------------------- constants


def test_constants_become_literals_everywhere() -> None:
    """A rulebook parameter is put in as a number, inside aggregates and isin lists too."""
    expr = parse_condition(
        "share(members.a, where=members.age >= adult) >= cut and q.isin([top, 2])",
        constants={"adult": 19, "cut": 0.7, "top": 5},
    )
    assert to_source(expr) == (
        "share(members.a, where=members.age >= 19) >= 0.7 and q.isin([5, 2])"
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10**16, "0.7", None])
def test_constants_are_checked_like_written_numbers(value: object) -> None:
    """A constant must be true/false or a finite number within the literal limits."""
    with pytest.raises(RulebookError, match="'cut'"):
        parse_condition("x >= cut", constants={"cut": value})  # type: ignore[dict-item]


def _kleene(expr: Any, env: dict[str, bool | None]) -> bool | None:
    """Three-valued truth of an and/or/not tree over names and bool literals."""
    if isinstance(expr, Literal):
        return bool(expr.value)
    if isinstance(expr, Name):
        return env[expr.name]
    if isinstance(expr, Not):
        inner = _kleene(expr.operand, env)
        return None if inner is None else not inner
    values = [_kleene(o, env) for o in expr.operands]
    decisive: bool = expr.op == "or"
    if decisive in values:
        return decisive
    return None if None in values else not decisive


@st.composite
def _switch_rules(draw: st.DrawFn) -> str:
    def build(depth: int) -> str:
        if depth == 0 or draw(st.booleans()):
            return draw(st.sampled_from(["a", "b", "p", "q", "True", "False"]))
        op = draw(st.sampled_from(["and", "or", "not"]))
        if op == "not":
            return f"not ({build(depth - 1)})"
        return f"({build(depth - 1)}) {op} ({build(depth - 1)})"

    return build(4)


@given(_switch_rules(), st.booleans(), st.booleans())
def test_folding_switches_keeps_three_valued_truth(text: str, p: bool, q: bool) -> None:
    """Parameters p, q fixed: the folded rule agrees everywhere, and reads no more names."""
    rule = parse_condition(text, constants={"p": p, "q": q})
    folded = fold_constants(rule)
    assert names_used(folded) <= names_used(rule)
    for a, b in itertools.product([True, False, None], repeat=2):
        env = {"a": a, "b": b}
        assert _kleene(folded, env) == _kleene(rule, env), (text, p, q, a, b)
    assert not any(isinstance(n, Literal) and n.kind == "bool" for n in walk(folded) if folded != n)
