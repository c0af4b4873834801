"""Rebuild an allow-listed :mod:`ast` tree as the rule language's IR.

The converter behind :func:`learnsoc.rules.parser.parse_condition`: every syntax node is
matched against an allow-list and rebuilt as a node of :mod:`learnsoc.rules.ir`;
anything else is refused with the words a rule writer can act on. :class:`Source`
maps positions in the wrapped text back to the rule file.
"""

from __future__ import annotations

import ast
import math
import typing
from collections.abc import Collection, Mapping

import attrs

from learnsoc._messages import N_, Message
from learnsoc.errors import RulebookError, did_you_mean
from learnsoc.rules.ir import (
    AGGREGATES,
    ELEMENTWISE,
    MAX_MAGNITUDE,
    MAX_STRING,
    METHODS,
    RESERVED,
    Aggregate,
    AggregateFunc,
    Arith,
    ArithOp,
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
    Param,
    Span,
    walk,
)

_FUNCTIONS = AGGREGATES | ELEMENTWISE

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


@attrs.frozen
class Source:
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


def _flatten(op: typing.Literal["and", "or"], operands: list[Expr], span: Span) -> BoolOp:
    flat: list[Expr] = []
    for operand in operands:
        if isinstance(operand, BoolOp) and operand.op == op:
            flat.extend(operand.operands)
        else:
            flat.append(operand)
    return BoolOp(op, tuple(flat), span=span)


class Converter:
    """Rebuild an allow-listed :mod:`ast` tree as IR (depth is bounded, so recursion is safe)."""

    def __init__(
        self,
        src: Source,
        constants: Mapping[str, bool | int | float] | None = None,
        parameters: Collection[str] = (),
    ) -> None:
        self.src = src
        self.constants: Mapping[str, bool | int | float] = constants or {}
        # Parameters whose value comes later (bind_parameters): kept as placeholders.
        self.parameters = frozenset(parameters) - self.constants.keys()

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
            case ast.Name() if node.id in self.parameters:
                return Param(node.id, span=span)
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

    def isin_value(self, node: ast.expr) -> Literal | Param:
        converted: Expr | None = None
        if (
            isinstance(node, ast.Constant)
            or (
                isinstance(node, ast.UnaryOp)
                and isinstance(node.op, ast.USub)
                and isinstance(node.operand, ast.Constant)
            )
            or (
                isinstance(node, ast.Name)
                and (node.id in self.constants or node.id in self.parameters)
            )
        ):
            converted = self.convert(node, None)
        if not isinstance(converted, Literal | Param):
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
