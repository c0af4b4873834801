"""The expression tree of the rule language (the IR): its nodes, and the walkers over it.

A parsed condition (see :mod:`learnsoc.rules.parser`) is a tree of frozen attrs nodes:
:class:`Literal`, :class:`Name`, :class:`MemberName`, :class:`Compare`, :class:`BoolOp`,
:class:`Not`, :class:`Neg`, :class:`Arith`, :class:`Call` and :class:`Aggregate`, plus
:class:`Param`, the placeholder a rulebook parameter leaves in a condition parsed once at
load. This module holds the nodes, the grammar's vocabulary and limits, and the functions
that walk a tree (:func:`walk`, :func:`names_used` ...), rewrite it
(:func:`bind_parameters`, :func:`fold_constants`) or write it back as text
(:func:`to_source`): one cohesive thing, the tree and what is done to it.

Examples
--------
>>> expr = BoolOp("and", (Compare(">=", Name("age"), Param("adult")), Name("literate")))
>>> print(to_source(bind_parameters(expr, {"adult": 15})))
age >= 15 and literate
>>> sorted(names_used(expr))
['age', 'literate']
"""

from __future__ import annotations

import builtins
import keyword
import math
import typing
from collections.abc import Iterator, Mapping

import attrs

from learnsoc._messages import N_, Message
from learnsoc.errors import RulebookError

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
    "LiteralKind",
    "LiteralValue",
    "MemberName",
    "Name",
    "Neg",
    "Not",
    "Param",
    "ParamValue",
    "Span",
    "bind_parameters",
    "children",
    "collections_used",
    "contains_aggregate",
    "fold_constants",
    "member_names_used",
    "names_used",
    "parameters_used",
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


@attrs.frozen(cache_hash=True)
class Param:
    """A rulebook parameter in a condition parsed once, before its value is known.

    A condition is parsed at load with its parameters left as placeholders;
    :func:`bind_parameters` puts in the values in force on a date. A parameter stands for
    a value, so it may appear inside aggregates and ``isin`` lists where a column may not.

    Examples
    --------
    >>> print(to_source(Compare(">=", Name("age"), Param("adult"))))
    age >= adult
    """

    name: str
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


Expr = Literal | Name | MemberName | Compare | BoolOp | Not | Neg | Arith | Call | Aggregate | Param

#: The value a rulebook parameter may have.
ParamValue = bool | int | float


# ----------------------------------------------------------------------------- tree helpers

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
    >>> from learnsoc.rules.parser import parse_condition
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
    >>> from learnsoc.rules.parser import parse_condition
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


def bind_parameters(
    expr: Expr, values: Mapping[str, ParamValue], *, file: str | None = None
) -> Expr:
    """Put the values of the parameters into a tree parsed with placeholders.

    The tree is what :func:`~learnsoc.rules.parser.parse_condition` gives when the same
    values are passed as ``constants``: each :class:`Param` becomes a :class:`Literal`
    (a negated one a negative literal), checked like a number written in the condition.
    Constant ``and``/``or``/``not`` are left for :func:`fold_constants`.

    Parameters
    ----------
    expr : Expr
        A tree parsed with ``parameters=``.
    values : mapping of str to bool, int or float
        A value for every parameter in the tree (others are ignored).
    file : str, optional
        The rule file, for error messages.

    Raises
    ------
    RulebookError
        If a value is not true/false or a finite number of magnitude at most
        :data:`MAX_MAGNITUDE`, at the parameter's place in the file.

    Examples
    --------
    >>> tree = Compare(">", Neg(Param("floor")), Name("x"))
    >>> print(to_source(bind_parameters(tree, {"floor": 3})))
    -3 > x
    """
    return _Binder(values, file).bind(expr)


class _Binder:
    """Rebuild a tree with its parameters' values (recursion bounded by the depth limit)."""

    def __init__(self, values: Mapping[str, ParamValue], file: str | None) -> None:
        self.values = values
        self.file = file

    def literal(self, node: Param) -> Literal:
        value: object = self.values[node.name]
        if isinstance(value, bool):
            return Literal(value, span=node.span)
        if isinstance(value, int | float) and math.isfinite(value) and abs(value) <= MAX_MAGNITUDE:
            return Literal(int(value) if isinstance(value, int) else float(value), span=node.span)
        msg = Message(
            N_(
                "the value of {node_id!r} ({value!r}) cannot be used in a condition: it must "
                "be true/false or a finite number of magnitude at most {limit:.0e}"
            ),
            node_id=node.name,
            value=value,
            limit=MAX_MAGNITUDE,
        )
        span = node.span
        line, column = (None, None) if span is None else (span.line, span.column)
        raise RulebookError(str(msg), file=self.file, line=line, column=column).translatable(msg)

    def many(self, nodes: tuple[Expr, ...]) -> tuple[Expr, ...]:
        return tuple(self.bind(n) for n in nodes)

    def bind(self, expr: Expr) -> Expr:
        match expr:
            case Param():
                return self.literal(expr)
            case Literal() | Name() | MemberName():
                return expr
            case Neg():
                operand = self.bind(expr.operand)
                if isinstance(operand, Literal) and operand.kind in ("int", "float"):
                    # As the parser folds "-3": a negated number is a negative literal.
                    return Literal(-typing.cast(float, operand.value), span=expr.span)
                return Neg(operand, span=expr.span)
            case Not():
                return Not(self.bind(expr.operand), span=expr.span)
            case Compare():
                left, right = self.bind(expr.left), self.bind(expr.right)
                return Compare(expr.op, left, right, span=expr.span)
            case Arith():
                left, right = self.bind(expr.left), self.bind(expr.right)
                return Arith(expr.op, left, right, span=expr.span)
            case BoolOp():
                return BoolOp(expr.op, self.many(expr.operands), span=expr.span)
            case Call():
                return Call(expr.func, self.many(expr.args), span=expr.span)
            case Aggregate():
                # The where= filter first, as the parser converts it first.
                where = None if expr.where is None else self.bind(expr.where)
                inner = None if expr.expr is None else self.bind(expr.expr)
                return Aggregate(expr.func, expr.collection, inner, where, span=expr.span)


def parameters_used(expr: Expr) -> frozenset[str]:
    """Return the parameters left as placeholders in a tree.

    Examples
    --------
    >>> sorted(parameters_used(Compare(">=", Name("age"), Param("adult"))))
    ['adult']
    """
    return frozenset(n.name for n in walk(expr) if isinstance(n, Param))


def names_used(expr: Expr) -> frozenset[str]:
    """Return the names of the evaluated entity's own columns the expression reads.

    Examples
    --------
    >>> from learnsoc.rules.parser import parse_condition
    >>> sorted(names_used(parse_condition("a and share(members.b) > 0.5")))
    ['a']
    """
    return frozenset(n.name for n in walk(expr) if isinstance(n, Name))


def member_names_used(expr: Expr) -> frozenset[tuple[str, str]]:
    """Return the ``(collection, name)`` member values the expression reads.

    Examples
    --------
    >>> from learnsoc.rules.parser import parse_condition
    >>> sorted(member_names_used(parse_condition("any(members.b, where=members.age > 6)")))
    [('members', 'age'), ('members', 'b')]
    """
    return frozenset((n.collection, n.name) for n in walk(expr) if isinstance(n, MemberName))


def collections_used(expr: Expr) -> frozenset[str]:
    """Return the member collections the expression aggregates over.

    Examples
    --------
    >>> from learnsoc.rules.parser import parse_condition
    >>> sorted(collections_used(parse_condition("count(members) > 2")))
    ['members']
    """
    return frozenset(n.collection for n in walk(expr) if isinstance(n, Aggregate))


def contains_aggregate(expr: Expr) -> bool:
    """Return whether any node of the tree is an :class:`Aggregate`.

    Examples
    --------
    >>> from learnsoc.rules.parser import parse_condition
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
    >>> from learnsoc.rules.parser import parse_condition
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
        case Name() | Param():
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
