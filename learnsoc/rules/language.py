"""The rule language: a closed grammar parsed into a small intermediate representation.

A rule condition is a string such as ``age >= 15 and literate`` or
``share(members.learning_citizen, where=members.age >= 15) >= 0.5``. It is parsed with
:func:`ast.parse` and an explicit allow-list of syntax nodes; everything else is refused
with a :class:`~learnsoc.errors.RulebookError` that names the file, line and column.
The result is a tree of frozen attrs nodes (the IR): :class:`Literal`, :class:`Name`,
:class:`MemberName`, :class:`Compare`, :class:`BoolOp`, :class:`Not`, :class:`Neg`,
:class:`Arith`, :class:`Call` and :class:`Aggregate`.

Nothing in a condition ever reaches ``eval``, ``exec`` or ``compile``: the text is only
tokenized and parsed, and the tree is rebuilt node by node from the allow-list.

Limits (checked before :func:`ast.parse`, which can exhaust the C stack on deep input):
at most :data:`MAX_LENGTH` characters, :data:`MAX_DEPTH` levels of nesting,
:data:`MAX_NODES` syntax nodes, integer and float literals of magnitude at most
:data:`MAX_MAGNITUDE`, and text literals of at most :data:`MAX_STRING` characters.

Examples
--------
>>> from learnsoc.rules.language import parse_condition, to_source
>>> expr = parse_condition("6 <= age <= 17 and not in_school")
>>> print(to_source(expr))
6 <= age and age <= 17 and not in_school
>>> sorted(names_used(expr))
['age', 'in_school']
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import math
import tokenize
import typing
import unicodedata
import warnings
from collections.abc import Iterator, Mapping

import attrs

from learnsoc._messages import N_, Message
from learnsoc.errors import RulebookError, did_you_mean

__all__ = [
    "AGGREGATES",
    "COMPARE_OPS",
    "ELEMENTWISE",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_MAGNITUDE",
    "MAX_NODES",
    "MAX_STRING",
    "METHODS",
    "RESERVED",
    "Aggregate",
    "AggregateFunc",
    "Arith",
    "ArithOp",
    "BoolOp",
    "Call",
    "Compare",
    "CompareOp",
    "Expr",
    "Literal",
    "MemberName",
    "Name",
    "Neg",
    "Not",
    "Span",
    "children",
    "collections_used",
    "contains_aggregate",
    "fold_constants",
    "member_names_used",
    "names_used",
    "parse_condition",
    "to_source",
    "walk",
]

#: The most characters a condition may have.
MAX_LENGTH = 2000
#: The deepest nesting of brackets, unary operators or syntax nodes.
MAX_DEPTH = 50
#: The most syntax nodes in one condition.
MAX_NODES = 500
#: The largest magnitude of a number written in a condition (exact as float64 and int64).
MAX_MAGNITUDE = 10**15
#: The most characters in a text literal (a code name such as ``"female"``).
MAX_STRING = 100

#: Aggregates over a member collection.
AGGREGATES = frozenset({"count", "share", "all", "any", "sum", "mean", "min", "max"})
#: Elementwise functions written as ``f(x)``.
ELEMENTWISE = frozenset({"abs"})
#: Elementwise methods written as ``x.method(...)``.
METHODS = frozenset({"between", "isin"})
#: Comparison operators.
COMPARE_OPS = ("==", "!=", "<", "<=", ">", ">=")

#: Names a rulebook may not use for a column, variable, title or collection: Python
#: keywords and builtins (so ``open`` or ``eval`` can never look like a call that works),
#: the language's own functions and methods, and anything starting with ``_``.
RESERVED = frozenset(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | {n for n in dir(builtins) if not n.startswith("_")}
    | AGGREGATES
    | ELEMENTWISE
    | METHODS
)

_FUNCTIONS = AGGREGATES | ELEMENTWISE

CompareOp = typing.Literal["==", "!=", "<", "<=", ">", ">="]
ArithOp = typing.Literal["+", "-", "*", "/"]
AggregateFunc = typing.Literal["count", "share", "all", "any", "sum", "mean", "min", "max"]
LiteralKind = typing.Literal["bool", "int", "float", "str", "code"]
LiteralValue = bool | int | float | str

_LITERAL_TYPES: dict[str, tuple[type, ...]] = {
    "bool": (bool,),
    "int": (int,),
    "float": (float,),
    "str": (str,),
    "code": (int,),
}


# Every node has a ``span`` that is left out of equality: two equal subexpressions at
# different places are the same expression, which common-subexpression caching relies on.


@attrs.frozen
class Span:
    """Where a node sits in the rule file: 1-based line and column, end exclusive.

    Parameters
    ----------
    line, column : int
        Start of the node.
    end_line, end_column : int
        Just past the end of the node.

    Examples
    --------
    >>> Span(3, 14, 3, 17)
    Span(line=3, column=14, end_line=3, end_column=17)
    """

    line: int
    column: int
    end_line: int
    end_column: int


def _check_literal(instance: Literal, _attribute: object, kind: str) -> None:
    value = instance.value
    if kind not in _LITERAL_TYPES:
        msg = f"unknown literal kind {kind!r}"
        raise ValueError(msg)
    ok = isinstance(value, _LITERAL_TYPES[kind])
    if kind != "bool" and isinstance(value, bool):
        ok = False
    if not ok:
        msg = f"literal {value!r} is not of kind {kind!r}"
        raise TypeError(msg)


@attrs.frozen(cache_hash=True)
class Literal:
    """A constant: a number, ``True``/``False``, a code name, or a resolved code.

    ``kind`` is part of equality, so ``Literal(True)`` and ``Literal(1)`` differ (Python
    alone would call them equal). The type checker turns a code name such as
    ``"female"`` into ``Literal(2, kind="code")``.

    Examples
    --------
    >>> Literal(1) == Literal(True)
    False
    >>> Literal(0.5).kind
    'float'
    """

    value: LiteralValue
    kind: LiteralKind = attrs.field(validator=_check_literal)
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)

    @kind.default
    def _kind_default(self) -> LiteralKind:
        if isinstance(self.value, bool):
            return "bool"
        if isinstance(self.value, int):
            return "int"
        if isinstance(self.value, float):
            return "float"
        return "str"


@attrs.frozen(cache_hash=True)
class Name:
    """A column, derived variable or title of the entity being evaluated.

    Examples
    --------
    >>> Name("age")
    Name(name='age')
    """

    name: str
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen(cache_hash=True)
class MemberName:
    """A value of the members of a collection (``members.age``); only inside aggregates.

    Examples
    --------
    >>> MemberName("members", "age")
    MemberName(collection='members', name='age')
    """

    collection: str
    name: str
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen(cache_hash=True)
class Compare:
    """One comparison; the parser expands chains (``a < b < c``) into ``and``.

    Examples
    --------
    >>> print(to_source(Compare(">=", Name("age"), Literal(15))))
    age >= 15
    """

    op: CompareOp
    left: Expr
    right: Expr
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen(cache_hash=True)
class BoolOp:
    """``and`` / ``or`` over two or more operands (nested ones of the same kind flattened).

    Examples
    --------
    >>> print(to_source(BoolOp("or", (Name("a"), Name("b")))))
    a or b
    """

    op: typing.Literal["and", "or"]
    operands: tuple[Expr, ...]
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen(cache_hash=True)
class Not:
    """Logical ``not``.

    Examples
    --------
    >>> print(to_source(Not(Name("literate"))))
    not literate
    """

    operand: Expr
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen(cache_hash=True)
class Neg:
    """Arithmetic negation ``-x`` (negative number literals are folded into ``Literal``).

    Examples
    --------
    >>> print(to_source(Neg(Name("x"))))
    -x
    """

    operand: Expr
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen(cache_hash=True)
class Arith:
    """``+``, ``-``, ``*`` or ``/`` (true division).

    Examples
    --------
    >>> print(to_source(Arith("-", Name("a"), Arith("-", Name("b"), Name("c")))))
    a - (b - c)
    """

    op: ArithOp
    left: Expr
    right: Expr
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen(cache_hash=True)
class Call:
    """An elementwise function: ``abs(x)``, ``x.between(lo, hi)`` or ``x.isin([...])``.

    ``args`` holds the receiver first for methods; for ``isin`` the listed values
    follow it as :class:`Literal` nodes.

    Examples
    --------
    >>> print(to_source(Call("isin", (Name("q"), Literal(3), Literal(4)))))
    q.isin([3, 4])
    """

    func: typing.Literal["abs", "between", "isin"]
    args: tuple[Expr, ...]
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen(cache_hash=True)
class Aggregate:
    """An aggregate over the members of a collection, optionally filtered by ``where``.

    ``expr`` is ``None`` for ``count``, which counts members.

    Examples
    --------
    >>> agg = Aggregate("count", "members", None, Compare(">=", MemberName("members", "age"),
    ...                 Literal(15)))
    >>> print(to_source(agg))
    count(members, where=members.age >= 15)
    """

    func: AggregateFunc
    collection: str
    expr: Expr | None
    where: Expr | None = None
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


Expr = Literal | Name | MemberName | Compare | BoolOp | Not | Neg | Arith | Call | Aggregate


# ----------------------------------------------------------------------------- tree helpers


def children(expr: Expr) -> tuple[Expr, ...]:
    """Return the direct subexpressions of a node, in source order.

    Examples
    --------
    >>> children(Compare("<", Name("a"), Literal(1)))
    (Name(name='a'), Literal(value=1, kind='int'))
    """
    match expr:
        case Compare() | Arith():
            return (expr.left, expr.right)
        case BoolOp():
            return expr.operands
        case Not() | Neg():
            return (expr.operand,)
        case Call():
            return expr.args
        case Aggregate():
            return tuple(e for e in (expr.expr, expr.where) if e is not None)
        case _:
            return ()


def walk(expr: Expr) -> Iterator[Expr]:
    """Yield every node of the tree, parents before children (iteratively, no recursion).

    Examples
    --------
    >>> [type(n).__name__ for n in walk(parse_condition("not a"))]
    ['Not', 'Name']
    """
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def fold_constants(expr: Expr) -> Expr:
    """Simplify ``and``/``or``/``not`` over ``True``/``False`` literals.

    Once parameters are replaced by their values, a switch such as
    ``(not from_points and recognised) or (from_points and points >= 80)`` leaves a
    branch that can never decide anything: it is dropped, so its columns are neither
    read nor reported missing. Kleene logic is kept: ``False and x`` is false and
    ``True or x`` true even where ``x`` is unknown.

    Examples
    --------
    >>> rule = parse_condition("(not p and a) or (p and b >= 3)", constants={"p": False})
    >>> print(to_source(fold_constants(rule)))
    a
    """
    if isinstance(expr, Not):
        inner = fold_constants(expr.operand)
        if isinstance(inner, Literal) and inner.kind == "bool":
            return Literal(not inner.value, "bool", span=expr.span)
        return expr if inner is expr.operand else Not(inner, span=expr.span)
    if isinstance(expr, BoolOp):
        absorbing = expr.op == "or"  # True decides an "or", False an "and"
        kept: list[Expr] = []
        for part in (fold_constants(o) for o in expr.operands):
            if isinstance(part, Literal) and part.kind == "bool":
                if bool(part.value) == absorbing:
                    return Literal(absorbing, "bool", span=expr.span)
                continue  # the neutral element of the operator
            kept.append(part)
        if not kept:
            return Literal(not absorbing, "bool", span=expr.span)
        if len(kept) == 1:
            return kept[0]
        return BoolOp(expr.op, tuple(kept), span=expr.span)
    return expr


def names_used(expr: Expr) -> frozenset[str]:
    """Return the names of the evaluated entity's own columns the expression reads.

    Examples
    --------
    >>> sorted(names_used(parse_condition("a and share(members.b) > 0.5")))
    ['a']
    """
    return frozenset(n.name for n in walk(expr) if isinstance(n, Name))


def member_names_used(expr: Expr) -> frozenset[tuple[str, str]]:
    """Return the ``(collection, name)`` member values the expression reads.

    Examples
    --------
    >>> sorted(member_names_used(parse_condition("any(members.b, where=members.age > 6)")))
    [('members', 'age'), ('members', 'b')]
    """
    return frozenset((n.collection, n.name) for n in walk(expr) if isinstance(n, MemberName))


def collections_used(expr: Expr) -> frozenset[str]:
    """Return the member collections the expression aggregates over.

    Examples
    --------
    >>> sorted(collections_used(parse_condition("count(members) > 2")))
    ['members']
    """
    return frozenset(n.collection for n in walk(expr) if isinstance(n, Aggregate))


def contains_aggregate(expr: Expr) -> bool:
    """Return whether any node of the tree is an :class:`Aggregate`.

    Examples
    --------
    >>> contains_aggregate(parse_condition("count(members) > 2 or a"))
    True
    """
    return any(isinstance(n, Aggregate) for n in walk(expr))


# --------------------------------------------------------------------------- pretty printer

_PREC_OR, _PREC_AND, _PREC_NOT, _PREC_CMP, _PREC_ADD, _PREC_MUL, _PREC_NEG, _PREC_ATOM = range(1, 9)


def _precedence(expr: Expr) -> int:
    match expr:
        case BoolOp():
            return _PREC_OR if expr.op == "or" else _PREC_AND
        case Not():
            return _PREC_NOT
        case Compare():
            return _PREC_CMP
        case Arith():
            return _PREC_ADD if expr.op in "+-" else _PREC_MUL
        case Neg():
            return _PREC_NEG
        case Literal() if _is_negative(expr):
            return _PREC_NEG
        case _:
            return _PREC_ATOM


def _is_negative(lit: Literal) -> bool:
    value = lit.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.copysign(1.0, value) < 0


def _wrap(expr: Expr, minimum: int) -> str:
    text = to_source(expr)
    return f"({text})" if _precedence(expr) < minimum else text


def to_source(expr: Expr) -> str:
    """Write an expression back as condition text, with only the parentheses it needs.

    ``parse_condition(to_source(e))`` gives back ``e`` for every tree the parser can make.

    Examples
    --------
    >>> print(to_source(parse_condition("(a or b) and not (x + 1) * 2 > 3")))
    (a or b) and not (x + 1) * 2 > 3
    """
    match expr:
        case Literal():
            if expr.kind == "float":
                return repr(float(expr.value))
            if expr.kind in ("int", "code"):
                return str(int(expr.value))
            return repr(expr.value)
        case Name():
            return expr.name
        case MemberName():
            return f"{expr.collection}.{expr.name}"
        case Compare():
            left = _wrap(expr.left, _PREC_CMP + 1)
            right = _wrap(expr.right, _PREC_CMP + 1)
            return f"{left} {expr.op} {right}"
        case BoolOp():
            prec = _precedence(expr)
            return f" {expr.op} ".join(_wrap(o, prec + 1) for o in expr.operands)
        case Not():
            return f"not {_wrap(expr.operand, _PREC_NOT)}"
        case Neg():
            return f"-{_wrap(expr.operand, _PREC_NEG)}"
        case Arith():
            prec = _precedence(expr)
            return f"{_wrap(expr.left, prec)} {expr.op} {_wrap(expr.right, prec + 1)}"
        case Call():
            if expr.func == "abs":
                return f"abs({to_source(expr.args[0])})"
            receiver = to_source(expr.args[0])
            if _precedence(expr.args[0]) < _PREC_ATOM or isinstance(expr.args[0], Literal):
                receiver = f"({receiver})"
            rest = ", ".join(to_source(a) for a in expr.args[1:])
            if expr.func == "isin":
                return f"{receiver}.isin([{rest}])"
            return f"{receiver}.{expr.func}({rest})"
        case Aggregate():
            first = expr.collection if expr.expr is None else to_source(expr.expr)
            where = "" if expr.where is None else f", where={to_source(expr.where)}"
            return f"{expr.func}({first}{where})"


# --------------------------------------------------------------------------------- parser

_REFUSED: dict[type[ast.AST], str] = {
    ast.Lambda: N_("lambda functions are not allowed"),
    ast.ListComp: N_("comprehensions are not allowed"),
    ast.SetComp: N_("comprehensions are not allowed"),
    ast.DictComp: N_("comprehensions are not allowed"),
    ast.GeneratorExp: N_("generator expressions are not allowed"),
    ast.Subscript: N_("subscripts (x[...]) are not allowed"),
    ast.Slice: N_("slices are not allowed"),
    ast.IfExp: N_(
        "conditional expressions (x if c else y) are not allowed; combine conditions "
        "with 'and', 'or' and 'not'"
    ),
    ast.NamedExpr: N_("the walrus operator ':=' is not allowed"),
    ast.JoinedStr: N_("f-strings are not allowed"),
    ast.FormattedValue: N_("f-strings are not allowed"),
    ast.Await: N_("'await' is not allowed"),
    ast.Yield: N_("'yield' is not allowed"),
    ast.YieldFrom: N_("'yield' is not allowed"),
    ast.Starred: N_("starred arguments (*x) are not allowed"),
    ast.Dict: N_("dictionaries are not allowed"),
    ast.Set: N_("sets are not allowed; write x.isin([a, b])"),
    ast.List: N_("lists are only allowed as the argument of x.isin([...])"),
    ast.Tuple: N_("tuples are only allowed as the argument of x.isin([...])"),
}

_BINOPS: dict[type[ast.operator], ArithOp] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
}
_BINOP_REFUSED: dict[type[ast.operator], str] = {
    ast.Pow: N_("the power operator '**' is not allowed"),
    ast.BitAnd: N_("'&' is not allowed; write 'and' (note that '&' binds tighter than '>=')"),
    ast.BitOr: N_("'|' is not allowed; write 'or' (note that '|' binds tighter than '>=')"),
    ast.BitXor: N_("'^' is not allowed; write 'a != b' for exclusive or of true/false values"),
    ast.Mod: N_("the remainder operator '%' is not allowed"),
    ast.FloorDiv: N_("floor division '//' is not allowed; use '/'"),
    ast.LShift: N_("shift operators are not allowed"),
    ast.RShift: N_("shift operators are not allowed"),
    ast.MatMult: N_("the '@' operator is not allowed"),
}
_CMPOPS: dict[type[ast.cmpop], CompareOp] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_CMP_REFUSED: dict[type[ast.cmpop], str] = {
    ast.In: N_("'in' is not allowed; write x.isin([a, b])"),
    ast.NotIn: N_("'not in' is not allowed; write not x.isin([a, b])"),
    ast.Is: N_("'is' is not allowed; write '=='"),
    ast.IsNot: N_("'is not' is not allowed; write '!='"),
}

_OPEN = "([{"
_CLOSE = ")]}"
_UNARY_TOKENS = frozenset({"-", "+", "~", "not"})
_ALLOWED_CONTROL = frozenset("\t\n\r")
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


@attrs.frozen
class _Source:
    """The wrapped text and where it starts in the rule file."""

    lines: list[str] = attrs.field(eq=False)
    file: str | None
    line: int
    column: int

    def position(self, rel_line: int, rel_col: int) -> tuple[int, int]:
        """Map a 1-based line and 0-based character column of the wrapped text."""
        if rel_line <= 1:
            # The first line carries the "(" we wrapped the text in.
            return self.line, self.column + max(rel_col - 1, 0)
        return self.line + rel_line - 1, rel_col + 1

    def char_col(self, rel_line: int, byte_col: int) -> int:
        """Turn the UTF-8 byte column :mod:`ast` reports into a character column."""
        if not 1 <= rel_line <= len(self.lines):
            return byte_col
        raw = self.lines[rel_line - 1].encode("utf-8")[:byte_col]
        return len(raw.decode("utf-8", errors="ignore"))

    def span(self, node: ast.AST) -> Span:
        """Return the absolute span of an :mod:`ast` node."""
        lineno = int(getattr(node, "lineno", 1))
        col = self.char_col(lineno, int(getattr(node, "col_offset", 0)))
        end_lineno = int(getattr(node, "end_lineno", None) or lineno)
        end_col = self.char_col(end_lineno, int(getattr(node, "end_col_offset", None) or 0))
        line, column = self.position(lineno, col)
        end_line, end_column = self.position(end_lineno, end_col)
        return Span(line, column, end_line, end_column)

    def error(self, message: Message, at: ast.AST | Span | tuple[int, int] | None) -> RulebookError:
        """Build the error for a problem at a node, a span or a relative (line, col)."""
        if isinstance(at, ast.AST):
            at = self.span(at)
        if isinstance(at, Span):
            line, column = at.line, at.column
        elif at is None:
            line, column = self.line, self.column
        else:
            line, column = self.position(*at)
        return RulebookError(str(message), file=self.file, line=line, column=column).translatable(
            message
        )


def parse_condition(
    text: str,
    *,
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
    constants: Mapping[str, bool | int | float] | None = None,
) -> Expr:
    """Parse a rule condition into the IR, refusing anything outside the grammar.

    Parameters
    ----------
    text : str
        The condition, e.g. ``"age >= 15 and literate"``. It may span several lines
        (a TOML multi-line string) and contain ``#`` comments.
    file : str, optional
        The rule file, for error messages.
    line, column : int, optional
        1-based position in ``file`` where ``text`` starts (default 1, 1); positions in
        errors and spans are absolute in the file. Escapes in the TOML string before a
        node shift its reported column.
    constants : mapping of str to bool, int or float, optional
        Names that stand for a value (a rulebook's parameters): each becomes a
        :class:`Literal` wherever it appears, inside aggregates and ``isin`` lists too.

    Returns
    -------
    Expr
        The expression tree. Names are not checked here: see
        :func:`learnsoc.rules.typecheck.typecheck`.

    Raises
    ------
    RulebookError
        For text outside the grammar or over the limits, with file, line and column.

    Examples
    --------
    >>> parse_condition("age >= 15")
    Compare(op='>=', left=Name(name='age'), right=Literal(value=15, kind='int'))
    >>> parse_condition("x ** 2 > 1", file="rules.toml", line=7, column=13)
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: rules.toml:7:13: the power operator '**' is not allowed
    >>> to_source(parse_condition("count(members, where=members.age >= adult) > 0",
    ...                           constants={"adult": 19}))
    'count(members, where=members.age >= 19) > 0'
    """
    base_line = 1 if line is None else line
    base_col = 1 if column is None else column
    if not isinstance(typing.cast(object, text), str):
        msg = Message(N_("a rule condition must be text, not {type}"), type=type(text).__name__)
        raise RulebookError(str(msg), file=file, line=line, column=column).translatable(msg)
    if not text.strip():
        msg = Message(N_("rule condition is empty"))
        raise RulebookError(str(msg), file=file, line=line, column=column).translatable(msg)
    if len(text) > MAX_LENGTH:
        msg = Message(
            N_(
                "rule condition is {n} characters long; the limit is {limit}: split it "
                "into derived variables"
            ),
            n=len(text),
            limit=MAX_LENGTH,
        )
        raise RulebookError(str(msg), file=file, line=line, column=column).translatable(msg)
    # Wrapping in parentheses lets a condition span lines and start with spaces, as
    # TOML multi-line strings do; the pre-scan keeps ")(" from escaping the wrapper.
    wrapped = "(" + text + "\n)"
    src = _Source(wrapped.split("\n"), file, base_line, base_col)
    _prescan(text, src)
    try:
        # Warnings the parser emits (invalid escapes, "1and") are errors here: a rule is
        # either valid or refused, never accepted with a warning printed somewhere.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            tree = ast.parse(wrapped, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, src) from None
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        msg = Message(
            N_("rule condition is too complex to parse ({type})"), type=type(exc).__name__
        )
        raise src.error(msg, None) from None
    _check_size(tree, src)
    return _Converter(src, constants).convert(tree.body, None)


def _syntax_error(exc: SyntaxError, src: _Source) -> RulebookError:
    rel_line = exc.lineno or 1
    rel_col = max((exc.offset or 1) - 1, 0)
    if rel_line > len(src.lines) - 1:
        # The error is at the closing ")" we added: the condition ended too early.
        rel_line = len(src.lines) - 1
        rel_col = len(src.lines[rel_line - 1])
        message = Message(N_("invalid syntax in rule condition: the condition ends too early"))
    else:
        # Python's own words for the problem: they have no translation.
        message = Message(N_("invalid syntax in rule condition: {reason}"), reason=exc.msg)
    return src.error(message, (rel_line, rel_col))


def _prescan(text: str, src: _Source) -> None:
    """Refuse odd characters, non-ASCII names and deep nesting before :func:`ast.parse`."""
    line, col = 1, 1  # position in the wrapped text (the "(" is column 0 of line 1)
    for ch in text:
        if ch == "\n":
            line, col = line + 1, 0
            continue
        if ch not in _ALLOWED_CONTROL and unicodedata.category(ch) in _BAD_CATEGORIES:
            msg = Message(
                N_("rule condition contains the invisible or control character U+{code:04X}"),
                code=ord(ch),
            )
            raise src.error(msg, (line, col))
        col += 1
    depth = 0
    unary_run = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER):
                continue
            pos = (tok.start[0], tok.start[1] + (1 if tok.start[0] == 1 else 0))
            if tok.type == tokenize.ERRORTOKEN:
                if tok.string.isspace():
                    continue
                msg = Message(
                    N_("unexpected character {string!r} in rule condition"), string=tok.string
                )
                raise src.error(msg, pos)
            if tok.type == tokenize.NAME and not tok.string.isascii():
                msg = Message(
                    N_(
                        "name {string!r} is not plain ASCII; names are letters a-z, digits and '_' "
                        "(code names with accents go in quotes)"
                    ),
                    string=tok.string,
                )
                raise src.error(msg, pos)
            if tok.type == tokenize.NUMBER and len(tok.string) > 40:
                msg = Message(
                    N_("number literal is too long; the largest magnitude is {limit:.0e}"),
                    limit=MAX_MAGNITUDE,
                )
                raise src.error(msg, pos)
            if tok.string in _OPEN:
                depth += 1
            elif tok.string in _CLOSE:
                depth -= 1
                if depth < 0:
                    msg = Message(N_("unmatched {string!r} in rule condition"), string=tok.string)
                    raise src.error(msg, pos)
            # Runs of operators nest in the parser (each unary one is a level); counting
            # binary ones too only makes the bound a little stricter.
            unary_run = unary_run + 1 if tok.string in _UNARY_TOKENS else 0
            if depth > MAX_DEPTH or unary_run > MAX_DEPTH:
                msg = Message(
                    N_("rule condition is nested more than {limit} levels deep"), limit=MAX_DEPTH
                )
                raise src.error(msg, pos)
    except tokenize.TokenError:
        # Unclosed brackets or strings: ast.parse reports them with a position.
        return
    except SyntaxError as exc:
        raise _syntax_error(exc, src) from None


def _check_size(tree: ast.Expression, src: _Source) -> None:
    """Bound the number of nodes and the depth, without recursion."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            msg = Message(
                N_("rule condition has more than {limit} parts; split it into derived variables"),
                limit=MAX_NODES,
            )
            raise src.error(msg, None)
        if depth > MAX_DEPTH:
            msg = Message(
                N_(
                    "rule condition is nested more than {limit} levels deep (a long chain of "
                    "+ or - nests too); split it into derived variables"
                ),
                limit=MAX_DEPTH,
            )
            raise src.error(msg, node)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _flatten(op: typing.Literal["and", "or"], operands: list[Expr], span: Span) -> BoolOp:
    flat: list[Expr] = []
    for operand in operands:
        if isinstance(operand, BoolOp) and operand.op == op:
            flat.extend(operand.operands)
        else:
            flat.append(operand)
    return BoolOp(op, tuple(flat), span=span)


class _Converter:
    """Rebuild an allow-listed :mod:`ast` tree as IR (depth is bounded, so recursion is safe)."""

    def __init__(
        self, src: _Source, constants: Mapping[str, bool | int | float] | None = None
    ) -> None:
        self.src = src
        self.constants: Mapping[str, bool | int | float] = constants or {}

    def fail(self, message: Message, node: ast.AST) -> RulebookError:
        return self.src.error(message, node)

    def convert(self, node: ast.AST, aggregate: str | None) -> Expr:
        """Convert one node; ``aggregate`` names the enclosing aggregate, if any."""
        span = self.src.span(node)
        match node:
            case ast.Constant():
                return self.constant(node, span)
            case ast.Name() if node.id in self.constants:
                return self.constant_value(node, span)
            case ast.Name():
                return self.name(node, span, aggregate)
            case ast.Attribute():
                return self.member(node, span, aggregate)
            case ast.BoolOp():
                bool_op: typing.Literal["and", "or"] = (
                    "and" if isinstance(node.op, ast.And) else "or"
                )
                values = [self.convert(v, aggregate) for v in node.values]
                return _flatten(bool_op, values, span)
            case ast.UnaryOp():
                return self.unary(node, span, aggregate)
            case ast.BinOp():
                op_type = type(node.op)
                if op_type in _BINOP_REFUSED:
                    raise self.fail(Message(_BINOP_REFUSED[op_type]), node)
                left = self.convert(node.left, aggregate)
                right = self.convert(node.right, aggregate)
                return Arith(_BINOPS[op_type], left, right, span=span)
            case ast.Compare():
                return self.compare(node, span, aggregate)
            case ast.Call():
                return self.call(node, span, aggregate)
        refused = _REFUSED.get(type(node))
        message = (
            Message(refused)
            if refused is not None
            else Message(N_("{type} is not allowed in a rule condition"), type=type(node).__name__)
        )
        raise self.fail(message, node)

    def constant(self, node: ast.Constant, span: Span) -> Literal:
        value = node.value
        if isinstance(value, bool):
            return Literal(value, span=span)
        if isinstance(value, int):
            if abs(value) > MAX_MAGNITUDE:
                msg = Message(
                    N_("number {value} is too large; the largest magnitude is {limit:.0e}"),
                    value=value,
                    limit=MAX_MAGNITUDE,
                )
                raise self.fail(msg, node)
            return Literal(value, span=span)
        if isinstance(value, float):
            if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
                msg = Message(
                    N_("number {value!r} is out of range; the largest magnitude is {limit:.0e}"),
                    value=value,
                    limit=MAX_MAGNITUDE,
                )
                raise self.fail(msg, node)
            return Literal(value, span=span)
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                msg = Message(
                    N_("text literal is {n} characters long; the limit is {limit}"),
                    n=len(value),
                    limit=MAX_STRING,
                )
                raise self.fail(msg, node)
            if not value.isprintable():
                msg = Message(N_("text literal contains control or invisible characters"))
                raise self.fail(msg, node)
            return Literal(value, span=span)
        if value is None:
            msg = Message(
                N_("None is not allowed; missing values are handled by the language itself")
            )
            raise self.fail(msg, node)
        if isinstance(value, complex):
            msg = Message(N_("complex numbers are not allowed in a rule condition"))
        else:
            msg = Message(
                N_("{type} literals are not allowed in a rule condition"),
                type=type(value).__name__,
            )
        raise self.fail(msg, node)

    def constant_value(self, node: ast.Name, span: Span) -> Literal:
        """Return a named constant (a rulebook parameter), checked like a written number."""
        value: object = self.constants[node.id]
        if isinstance(value, bool | int | float):
            if isinstance(value, bool):
                return Literal(value, span=span)
            if math.isfinite(value) and abs(value) <= MAX_MAGNITUDE:
                return Literal(int(value) if isinstance(value, int) else float(value), span=span)
        msg = Message(
            N_(
                "the value of {node_id!r} ({value!r}) cannot be used in a condition: it must "
                "be true/false or a finite number of magnitude at most {limit:.0e}"
            ),
            node_id=node.id,
            value=value,
            limit=MAX_MAGNITUDE,
        )
        raise self.fail(msg, node)

    def name(self, node: ast.Name, span: Span, aggregate: str | None) -> Name:
        ident = node.id
        if ident.startswith("_"):
            msg = Message(N_("names starting with '_' are not allowed: {ident!r}"), ident=ident)
            raise self.fail(msg, node)
        if ident in RESERVED:
            if ident in _FUNCTIONS:
                msg = Message(
                    N_(
                        "{ident!r} is a function, not a value; it cannot be used as a name; "
                        "call it as {ident}(...)"
                    ),
                    ident=ident,
                )
            elif ident in METHODS:
                msg = Message(
                    N_("{ident!r} is a function, not a value; it cannot be used as a name"),
                    ident=ident,
                )
            else:
                msg = Message(
                    N_("{ident!r} is a Python name, not a value; it cannot be used as a name"),
                    ident=ident,
                )
            raise self.fail(msg, node)
        if aggregate is not None:
            msg = Message(
                N_(
                    "inside {aggregate}(...) every value belongs to the members: write "
                    "'members.{ident}' (or the collection you aggregate over), not {ident!r}"
                ),
                aggregate=aggregate,
                ident=ident,
            )
            raise self.fail(msg, node)
        return Name(ident, span=span)

    def member(self, node: ast.Attribute, span: Span, aggregate: str | None) -> MemberName:
        attr = node.attr
        if attr.startswith("_"):
            msg = Message(N_("names starting with '_' are not allowed: {attr!r}"), attr=attr)
            raise self.fail(msg, node)
        if not isinstance(node.value, ast.Name):
            msg = Message(
                N_(
                    "'.{attr}' is not allowed here; attribute access is only 'collection.name' "
                    "(members.age) and the methods .between(lo, hi) and .isin([...])"
                ),
                attr=attr,
            )
            raise self.fail(msg, node)
        collection = node.value.id
        if collection.startswith("_") or collection in RESERVED:
            msg = Message(N_("{collection!r} is not a member collection"), collection=collection)
            raise self.fail(msg, node.value)
        if attr in METHODS or attr in _FUNCTIONS:
            msg = Message(
                N_("'{collection}.{attr}' must be called: {collection}.{attr}(...)"),
                collection=collection,
                attr=attr,
            )
            raise self.fail(msg, node)
        if aggregate is None:
            msg = Message(
                N_(
                    "'{collection}.{attr}' is a value of each member; aggregate it, e.g. "
                    "any({collection}.{attr}) or share({collection}.{attr}) >= 0.5"
                ),
                collection=collection,
                attr=attr,
            )
            raise self.fail(msg, node)
        return MemberName(collection, attr, span=span)

    def unary(self, node: ast.UnaryOp, span: Span, aggregate: str | None) -> Expr:
        if isinstance(node.op, ast.Invert):
            msg = Message(N_("'~' is not allowed; write 'not'"))
            raise self.fail(msg, node)
        if isinstance(node.op, ast.UAdd):
            msg = Message(N_("unary '+' is not allowed"))
            raise self.fail(msg, node)
        operand = self.convert(node.operand, aggregate)
        if isinstance(node.op, ast.Not):
            return Not(operand, span=span)
        if isinstance(operand, Literal) and operand.kind in ("int", "float"):
            return Literal(-typing.cast(float, operand.value), span=span)
        return Neg(operand, span=span)

    def compare(self, node: ast.Compare, span: Span, aggregate: str | None) -> Expr:
        operands = [self.convert(node.left, aggregate)]
        nodes: list[ast.expr] = [node.left]
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            if type(op) in _CMP_REFUSED:
                raise self.fail(Message(_CMP_REFUSED[type(op)]), comparator)
            operands.append(self.convert(comparator, aggregate))
            nodes.append(comparator)
        parts: list[Expr] = []
        for i, op in enumerate(node.ops):
            first, last = self.src.span(nodes[i]), self.src.span(nodes[i + 1])
            part_span = Span(first.line, first.column, last.end_line, last.end_column)
            parts.append(Compare(_CMPOPS[type(op)], operands[i], operands[i + 1], span=part_span))
        if len(parts) == 1:
            return parts[0]
        return BoolOp("and", tuple(parts), span=span)

    def call(self, node: ast.Call, span: Span, aggregate: str | None) -> Expr:
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(Message(_REFUSED[ast.Starred]), arg)
        func = node.func
        if isinstance(func, ast.Attribute):
            return self.method(node, func, span, aggregate)
        if not isinstance(func, ast.Name):
            msg = Message(N_("only the rule language's functions can be called"))
            raise self.fail(msg, func)
        fname = func.id
        if fname not in _FUNCTIONS:
            msg = Message(
                N_("unknown function {name!r}{hint}"),
                name=fname,
                hint=did_you_mean(fname, _FUNCTIONS),
            )
            raise self.fail(msg, func)
        if fname in ELEMENTWISE:
            self.no_keywords(node, fname)
            self.arity(node, fname, 1)
            return Call("abs", (self.convert(node.args[0], aggregate),), span=span)
        return self.aggregate(node, fname, span, aggregate)

    def no_keywords(self, node: ast.Call, fname: str) -> None:
        if node.keywords:
            kw = node.keywords[0]
            shown = "**" if kw.arg is None else f"{kw.arg}="
            msg = Message(
                N_("{fname}() takes no keyword arguments; got {shown}"), fname=fname, shown=shown
            )
            raise self.fail(msg, kw)

    def arity(self, node: ast.Call, fname: str, count: int) -> None:
        if len(node.args) != count:
            template = (
                N_("{fname}() takes {count} argument, got {n}")
                if count == 1
                else N_("{fname}() takes {count} arguments, got {n}")
            )
            msg = Message(template, fname=fname, count=count, n=len(node.args))
            raise self.fail(msg, node)

    def method(
        self, node: ast.Call, func: ast.Attribute, span: Span, aggregate: str | None
    ) -> Expr:
        method = func.attr
        if method not in METHODS:
            msg = Message(
                N_("unknown method '.{method}()'{hint}"),
                method=method,
                hint=did_you_mean(method, METHODS),
            )
            if method in _FUNCTIONS:
                msg = Message(
                    N_("write {method}(...) as a function, not as a method '.{method}()'"),
                    method=method,
                )
            raise self.fail(msg, func)
        self.no_keywords(node, method)
        receiver = self.convert(func.value, aggregate)
        if method == "between":
            self.arity(node, method, 2)
            lo = self.convert(node.args[0], aggregate)
            hi = self.convert(node.args[1], aggregate)
            return Call("between", (receiver, lo, hi), span=span)
        self.arity(node, method, 1)
        listed = node.args[0]
        if not isinstance(listed, ast.List | ast.Tuple):
            msg = Message(N_("isin() takes a list of values: x.isin([1, 2, 3])"))
            raise self.fail(msg, listed)
        values = [self.isin_value(v) for v in listed.elts]
        return Call("isin", (receiver, *values), span=span)

    def isin_value(self, node: ast.expr) -> Literal:
        converted: Expr | None = None
        if (
            isinstance(node, ast.Constant)
            or (
                isinstance(node, ast.UnaryOp)
                and isinstance(node.op, ast.USub)
                and isinstance(node.operand, ast.Constant)
            )
            or (isinstance(node, ast.Name) and node.id in self.constants)
        ):
            converted = self.convert(node, None)
        if not isinstance(converted, Literal):
            msg = Message(N_("isin() lists only numbers or code names"))
            raise self.fail(msg, node)
        return converted

    def aggregate(self, node: ast.Call, fname: str, span: Span, aggregate: str | None) -> Aggregate:
        if aggregate is not None:
            msg = Message(
                N_(
                    "{fname}(...) inside {aggregate}(...): aggregates cannot be nested; compute "
                    "the inner one as a derived variable of the members' level"
                ),
                fname=fname,
                aggregate=aggregate,
            )
            raise self.fail(msg, node)
        where: Expr | None = None
        for kw in node.keywords:
            if kw.arg != "where":
                shown = "**" if kw.arg is None else f"{kw.arg}="
                msg = Message(
                    N_("{fname}() takes only the keyword argument where=; got {shown}"),
                    fname=fname,
                    shown=shown,
                )
                raise self.fail(msg, kw)
            if where is not None:
                msg = Message(
                    N_("{fname}() takes where= once; combine the filters with 'and'"), fname=fname
                )
                raise self.fail(msg, kw)
            where = self.convert(kw.value, fname)
        self.arity(node, fname, 1)
        first = node.args[0]
        if fname == "count":
            if not isinstance(first, ast.Name):
                msg = Message(
                    N_(
                        "count() takes a collection, then an optional filter: count(members, "
                        "where=members.age >= 15)"
                    ),
                )
                raise self.fail(msg, first)
            collection = first.id
            if collection.startswith("_") or collection in RESERVED:
                msg = Message(
                    N_("{collection!r} is not a member collection"), collection=collection
                )
                raise self.fail(msg, first)
            expr: Expr | None = None
        else:
            expr = self.convert(first, fname)
        # The aggregated value decides the collection; where= must then agree with it.
        found = [
            n.collection
            for part in (expr, where)
            if part is not None
            for n in walk(part)
            if isinstance(n, MemberName)
        ]
        if fname != "count":
            if not found:
                msg = Message(
                    N_(
                        "{fname}(...) needs a value of the members, such as "
                        "{fname}(members.learning_citizen)"
                    ),
                    fname=fname,
                )
                raise self.fail(msg, first)
            collection = found[0]
        others = sorted({c for c in found if c != collection})
        if others:
            msg = Message(
                N_(
                    "{fname}(...) mixes the collections {collection!r} and {others!r}; one "
                    "aggregate runs over one collection"
                ),
                fname=fname,
                collection=collection,
                others=others[0],
            )
            raise self.fail(msg, node)
        return Aggregate(typing.cast(AggregateFunc, fname), collection, expr, where, span=span)
