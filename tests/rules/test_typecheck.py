"""Tests of the type checker: the operator x type table, name resolution and hints."""

from __future__ import annotations

import itertools

import pytest

from learnsoc.errors import RulebookError
from learnsoc.rules.language import Literal, parse_condition, to_source
from learnsoc.rules.typecheck import check_condition, typecheck
from learnsoc.rules.types import BOOL, FLOAT, INT, Scope, ValueType, check_identifier

QUAL = ValueType("code", {"none": 0, "primary": 1, "college": 3})
SEX = ValueType("code", {"male": 1, "female": 2, "nữ": 2}, ordered=False)
OTHER = ValueType("code", {"a": 1, "b": 2}, ordered=False)
PERSON = Scope(
    "person",
    {"b": BOOL, "i": INT, "f": FLOAT, "q": QUAL, "s": SEX, "o": OTHER, "q2": QUAL},
)
HOUSEHOLD = Scope("household", {"hb": BOOL, "hi": INT}, {"members": PERSON})

# One operand of each type, at the person level.
OPERANDS = {"bool": "b", "int": "i", "float": "f", "ordered code": "q", "nominal code": "s"}


def _kind(text: str, scope: Scope = PERSON) -> str:
    return typecheck(parse_condition(text), scope).type.kind


def _refused(text: str, scope: Scope = PERSON) -> str:
    with pytest.raises(RulebookError) as info:
        typecheck(parse_condition(text, file="book.toml"), scope, file="book.toml")
    return str(info.value)


# ----------------------------------------------------------------- the operator x type table


ARITH_RESULT = {
    ("int", "int", "+"): "int",
    ("int", "int", "-"): "int",
    ("int", "int", "*"): "int",
    ("int", "int", "/"): "float",
}


@pytest.mark.parametrize(
    ("left", "right", "op"),
    list(itertools.product(OPERANDS, OPERANDS, ["+", "-", "*", "/"])),
)
def test_arithmetic_table(left: str, right: str, op: str) -> None:
    """Arithmetic takes int and float only; int op int is int except /, else float."""
    text = f"{OPERANDS[left]} {op} {OPERANDS[right]}"
    if left in ("int", "float") and right in ("int", "float"):
        assert _kind(text) == ARITH_RESULT.get((left, right, op), "float")
    else:
        assert "arithmetic needs numbers" in _refused(text)


@pytest.mark.parametrize(
    ("left", "right", "op"),
    list(itertools.product(OPERANDS, OPERANDS, ["==", "!=", "<", "<=", ">", ">="])),
)
def test_comparison_table(left: str, right: str, op: str) -> None:
    """Which types compare with which, and with which operators."""
    text = f"{OPERANDS[left]} {op} {OPERANDS[right]}"
    ordering = op not in ("==", "!=")
    numeric = {"int", "float"}
    kinds = {left, right}
    if kinds <= numeric:
        allowed = True
    elif kinds == {"bool"}:
        allowed = not ordering
    elif kinds == {"ordered code"}:
        allowed = True
    elif kinds == {"nominal code"}:
        allowed = not ordering
    elif kinds == {"ordered code", "int"}:
        allowed = True
    elif kinds == {"nominal code", "int"}:
        allowed = not ordering
    else:
        allowed = False
    if allowed:
        assert _kind(text) == "bool"
    else:
        assert "cannot compare" in _refused(text)


@pytest.mark.parametrize("operand", list(OPERANDS))
def test_logic_table(operand: str) -> None:
    """and, or and not take true/false operands only."""
    name = OPERANDS[operand]
    for text in (f"{name} and b", f"b or {name}", f"not {name}"):
        if operand == "bool":
            assert _kind(text) == "bool"
        else:
            assert "needs true/false operands" in _refused(text)


@pytest.mark.parametrize("operand", list(OPERANDS))
def test_elementwise_function_table(operand: str) -> None:
    """abs and - need numbers; between needs numbers or ordered codes; isin not bools."""
    name = OPERANDS[operand]
    numeric = operand in ("int", "float")
    if numeric:
        assert _kind(f"abs({name})") == operand
        assert _kind(f"-{name}") == operand
    else:
        assert "needs numbers" in _refused(f"abs({name})")
        assert "needs numbers" in _refused(f"-{name}")
    if numeric or operand == "ordered code":
        assert _kind(f"{name}.between(1, 2)") == "bool"
    else:
        assert "does not apply" in _refused(f"{name}.between(1, 2)")
    if operand == "bool":
        assert "does not apply" in _refused(f"{name}.isin([1])")
    else:
        assert _kind(f"{name}.isin([1])") == "bool"


AGGREGATE_RESULT = {
    # func: {inner kind: result kind or None when refused}
    "share": {"bool": "float"},
    "all": {"bool": "bool"},
    "any": {"bool": "bool"},
    "sum": {"bool": "int", "int": "int", "float": "float"},
    "mean": {"bool": "float", "int": "float", "float": "float"},
    "min": {"int": "int", "float": "float", "ordered code": "code"},
    "max": {"int": "int", "float": "float", "ordered code": "code"},
}


@pytest.mark.parametrize(("func", "operand"), list(itertools.product(AGGREGATE_RESULT, OPERANDS)))
def test_aggregate_table(func: str, operand: str) -> None:
    """Each aggregate's accepted inner types and its result type."""
    text = f"{func}(members.{OPERANDS[operand]})"
    expected = AGGREGATE_RESULT[func].get(operand)
    if expected is None:
        _refused(text, HOUSEHOLD)
    else:
        assert _kind(text, HOUSEHOLD) == expected


def test_count_and_where() -> None:
    """count is an int; where= must be true/false."""
    assert _kind("count(members)", HOUSEHOLD) == "int"
    assert _kind("count(members, where=members.i > 3)", HOUSEHOLD) == "int"
    assert "where= needs a true/false value" in _refused(
        "count(members, where=members.i)", HOUSEHOLD
    )


# ------------------------------------------------------------------------------ codes


def test_code_names_resolve_to_codes() -> None:
    """A code name on either side becomes the integer code, aliases included."""
    typed = typecheck(parse_condition('s == "female" and "nữ" == s and q >= "college"'), PERSON)
    assert to_source(typed.expr) == "s == 2 and 2 == s and q >= 3"
    literal = typed.expr.operands[0].right  # type: ignore[union-attr]
    assert literal == Literal(2, kind="code")
    assert typed.types[literal] == SEX


def test_code_names_in_isin_and_between() -> None:
    """isin and between read text as code names of the receiver."""
    typed = typecheck(
        parse_condition('q.isin(["none", 3]) and q.between("primary", "college")'), PERSON
    )
    assert to_source(typed.expr) == "q.isin([0, 3]) and q.between(1, 3)"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('s == "femal"', "did you mean 'female'"),
        ('s.isin(["mal"])', "did you mean 'male'"),
        ("s == 3", "3 is not a code of 's'"),
        ("s.isin([1, 7])", "7 is not a code"),
        ('i == "female"', "can only be compared with a coded value"),
        ('"a" == "b"', "comparing two texts"),
        ('"a"', "only allowed where a code is expected"),
        ("s == o", "different code lists"),
        ("q.between(1, 2.5)", "is not a code"),
        ("s > 1", "no order"),
    ],
)
def test_code_errors(text: str, words: str) -> None:
    """Misused codes are refused with the codes that exist."""
    assert words in _refused(text)


def test_codes_with_the_same_list_compare() -> None:
    """Two columns with the same code list compare; ordered codes also order."""
    assert _kind("q == q2") == "bool"
    assert _kind("q < q2") == "bool"


# ------------------------------------------------------------------------ names and hints


@pytest.mark.parametrize(
    ("text", "scope", "words"),
    [
        ("hbb and hi > 1", HOUSEHOLD, "unknown household name 'hbb'; did you mean 'hb'"),
        ("count(member) > 1", HOUSEHOLD, "did you mean 'members'"),
        ("any(members.q2x)", HOUSEHOLD, "unknown person name 'q2x' in 'members.q2x'; did you mean"),
        ("members", HOUSEHOLD, "is a collection of members"),
        ("count(members) > 1", PERSON, "person has no member collections at all"),
        ("zzz", PERSON, "expected one of"),
    ],
)
def test_unknown_names_get_suggestions(text: str, scope: Scope, words: str) -> None:
    """Unknown names, members and collections get a did-you-mean or the list of names."""
    assert words in _refused(text, scope)


def test_errors_carry_file_line_and_column() -> None:
    """The error of a misspelt name points at the name, absolutely in the file."""
    expr = parse_condition("hb and hii > 1", file="book.toml", line=40, column=12)
    with pytest.raises(RulebookError) as info:
        typecheck(expr, HOUSEHOLD, file="book.toml")
    err = info.value
    assert (err.file, err.line, err.column) == ("book.toml", 40, 19)


def test_whole_condition_must_be_boolean() -> None:
    """check_condition refuses numbers and says how to compare them."""
    with pytest.raises(RulebookError, match="must be true or false"):
        check_condition(parse_condition("hi + 1"), HOUSEHOLD)
    assert check_condition(parse_condition("hi + 1 > 2"), HOUSEHOLD).type == BOOL


def test_every_node_has_a_type() -> None:
    """The typed expression records the type of each of its nodes."""
    typed = typecheck(parse_condition("mean(members.i, where=members.b) > hi / 2"), HOUSEHOLD)
    from learnsoc.rules.language import walk

    for node in walk(typed.expr):
        assert node in typed.types


# ---------------------------------------------------------------------------- scopes


@pytest.mark.parametrize(
    "name", ["sum", "open", "eval", "class", "_x", "__class__", "1a", "tuổi", "a-b", ""]
)
def test_scopes_refuse_reserved_or_odd_names(name: str) -> None:
    """A rulebook cannot declare a column a condition could not name unambiguously."""
    with pytest.raises(RulebookError):
        check_identifier(name, "person column")
    with pytest.raises(RulebookError):
        Scope("person", {name: INT})


def test_scope_refuses_a_name_that_is_also_a_collection() -> None:
    """A name is either a value or a member collection."""
    with pytest.raises(RulebookError, match="both"):
        Scope("household", {"members": INT}, {"members": PERSON})


def test_value_type_checks() -> None:
    """Codes are only for code types and map names to integers."""
    with pytest.raises(RulebookError):
        ValueType("int", {"a": 1})
    with pytest.raises(RulebookError):
        ValueType("code", {"a": 1.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="kind"):
        ValueType("text")  # type: ignore[arg-type]
    assert ValueType("code", {"a": 1}) == ValueType("code", {"a": 1})
    assert hash(SEX) == hash(ValueType("code", {"male": 1, "female": 2, "nữ": 2}, ordered=False))
