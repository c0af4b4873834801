"""Static checks of rule conditions: every name resolved, every operator given the right types.

:func:`typecheck` walks the IR from :mod:`learnsoc.rules.ir` against a
:class:`~learnsoc.rules.types.Scope`, refuses unknown names (with a "did you mean"),
operators applied to the wrong types, and misuse of aggregates, and returns a
:class:`TypedExpr`: the expression with code names resolved to their integer codes,
its type, and the type of every node. The typing rules are tabulated on the rule
language reference page.

Examples
--------
>>> from learnsoc.rules.language import parse_condition, to_source
>>> from learnsoc.rules.types import BOOL, INT, Scope, ValueType
>>> sex = ValueType("code", {"male": 1, "female": 2}, ordered=False)
>>> person = Scope("person", {"age": INT, "sex": sex, "literate": BOOL})
>>> typed = typecheck(parse_condition('sex == "female" and age >= 15'), person)
>>> print(to_source(typed.expr), typed.type.kind)
sex == 2 and age >= 15 bool
>>> typecheck(parse_condition("literat and age >= 15"), person, file="book.toml")
Traceback (most recent call last):
...
learnsoc.errors.RulebookError: book.toml:1:1: unknown person name 'literat'; did you mean ...
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from learnsoc._messages import N_, Message
from learnsoc._phrases import LevelName
from learnsoc.errors import RulebookError, did_you_mean
from learnsoc.rules.ir import (
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
    Param,
    Span,
    to_source,
)
from learnsoc.rules.types import BOOL, FLOAT, INT, Scope, ValueType

__all__ = ["TypedExpr", "check_condition", "typecheck"]

_ORDERING = frozenset({"<", "<=", ">", ">="})


@attrs.frozen(eq=False)
class TypedExpr:
    """A type-checked expression.

    Attributes
    ----------
    expr : Expr
        The expression, with code names (``"female"``) replaced by their codes.
    type : ValueType
        The type of the whole expression.
    scope : Scope
        The scope it was checked against.
    types : mapping of Expr to ValueType
        The type of every node of ``expr``.

    Examples
    --------
    >>> from learnsoc.rules.parser import parse_condition
    >>> from learnsoc.rules.types import INT, Scope
    >>> typed = typecheck(parse_condition("age / 2"), Scope("person", {"age": INT}))
    >>> typed.type.kind, typed.types[typed.expr.left].kind
    ('float', 'int')
    """

    expr: Expr
    type: ValueType
    scope: Scope
    types: Mapping[Expr, ValueType] = attrs.field(repr=False)


def typecheck(expr: Expr, scope: Scope, *, file: str | None = None) -> TypedExpr:
    """Resolve every name of an expression and check the types of every operation.

    Parameters
    ----------
    expr : Expr
        From :func:`learnsoc.rules.parser.parse_condition`.
    scope : Scope
        What the level being evaluated can name.
    file : str, optional
        The rule file, for error messages (positions come from the nodes' spans).

    Returns
    -------
    TypedExpr

    Raises
    ------
    RulebookError
        For an unknown name, function argument or collection (with a suggestion), or
        an operator applied to types it does not accept.

    Examples
    --------
    >>> from learnsoc.rules.parser import parse_condition
    >>> from learnsoc.rules.types import BOOL, INT, Scope
    >>> person = Scope("person", {"age": INT, "literate": BOOL})
    >>> household = Scope("household", {}, {"members": person})
    >>> typecheck(parse_condition("mean(members.age)"), household).type.kind
    'float'
    >>> text = "sum(members.literate + 1) > 2"
    >>> typecheck(parse_condition(text, file="book.toml", line=9, column=13), household,
    ...           file="book.toml")
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: book.toml:9:17: arithmetic needs numbers, but ...
    """
    checker = _Checker(scope, file)
    typed, value_type = checker.check(expr, None)
    return TypedExpr(typed, value_type, scope, checker.types)


def check_condition(expr: Expr, scope: Scope, *, file: str | None = None) -> TypedExpr:
    """Type-check a whole criterion, which must be true/false.

    Parameters
    ----------
    expr : Expr
        The parsed condition.
    scope : Scope
        What the level being evaluated can name.
    file : str, optional
        The rule file, for error messages.

    Returns
    -------
    TypedExpr

    Raises
    ------
    RulebookError
        As :func:`typecheck`, and when the condition is not true/false.

    Examples
    --------
    >>> from learnsoc.rules.parser import parse_condition
    >>> from learnsoc.rules.types import INT, Scope
    >>> check_condition(parse_condition("age + 1"), Scope("person", {"age": INT}))
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: a condition must be true or false, but 'age + 1' is int; ...
    """
    typed = typecheck(expr, scope, file=file)
    if typed.type.kind != "bool":
        src = to_source(expr)
        msg = Message(
            N_(
                "a condition must be true or false, but {src!r} is {type}; compare it, "
                "e.g. '{src} >= 1'"
            ),
            src=src,
            type=typed.type.describe(),
        )
        raise _error(msg, expr.span, file)
    return typed


def _error(message: Message, span: Span | None, file: str | None) -> RulebookError:
    if span is None:
        return RulebookError(str(message), file=file).translatable(message)
    return RulebookError(str(message), file=file, line=span.line, column=span.column).translatable(
        message
    )


def _show(expr: Expr) -> str:
    """Quote an expression for a message (text literals already carry quotes)."""
    text = to_source(expr)
    return text if isinstance(expr, Literal) and expr.kind == "str" else f"'{text}'"


def _literal_type(lit: Literal) -> ValueType:
    if lit.kind == "bool":
        return BOOL
    if lit.kind == "float":
        return FLOAT
    return INT


class _Checker:
    """One pass over the tree; recursion is bounded by the parser's depth limit."""

    def __init__(self, scope: Scope, file: str | None) -> None:
        self.scope = scope
        self.file = file
        self.types: dict[Expr, ValueType] = {}

    def fail(self, message: Message, node: Expr) -> RulebookError:
        return _error(message, node.span, self.file)

    def check(self, node: Expr, member: Scope | None) -> tuple[Expr, ValueType]:
        """Check a node; ``member`` is the member scope inside an aggregate."""
        out, value_type = self._check(node, member)
        self.types[out] = value_type
        return out, value_type

    def _check(self, node: Expr, member: Scope | None) -> tuple[Expr, ValueType]:
        match node:
            case Literal():
                if node.kind == "str":
                    msg = Message(
                        N_(
                            "text {value!r} is only allowed where a code is expected, as in sex == "
                            '"female" or qualification.isin(["college"])'
                        ),
                        value=node.value,
                    )
                    raise self.fail(msg, node)
                return node, _literal_type(node)
            case Name():
                return node, self.name(node)
            case MemberName():
                return node, self.member_name(node, member)
            case BoolOp():
                operands = tuple(self.boolean(o, member, node.op) for o in node.operands)
                return BoolOp(node.op, operands, span=node.span), BOOL
            case Not():
                return Not(self.boolean(node.operand, member, "not"), span=node.span), BOOL
            case Neg():
                operand, value_type = self.numeric(node.operand, member, N_("'-'"))
                return Neg(operand, span=node.span), value_type
            case Arith():
                left, lt = self.numeric(node.left, member, N_("arithmetic"))
                right, rt = self.numeric(node.right, member, N_("arithmetic"))
                result = FLOAT if node.op == "/" or "float" in (lt.kind, rt.kind) else INT
                return Arith(node.op, left, right, span=node.span), result
            case Compare():
                return self.compare(node, member)
            case Call():
                return self.call(node, member)
            case Aggregate():
                return self.aggregate(node)
            case Param():
                # A tree parsed with parameters= is typed once its values are bound.
                unbound = f"parameter {node.name!r} has no value: bind_parameters() first"
                raise TypeError(unbound)

    def name(self, node: Name) -> ValueType:
        if node.name in self.scope.names:
            return self.scope.names[node.name]
        if node.name in self.scope.collections:
            msg = Message(
                N_(
                    "{name!r} is a collection of members; aggregate it, e.g. "
                    "count({name}) or share({name}.x) >= 0.5"
                ),
                name=node.name,
            )
            raise self.fail(msg, node)
        msg = Message(
            N_("unknown {level} name {name!r}{hint}"),
            level=LevelName(self.scope.level),
            name=node.name,
            hint=did_you_mean(node.name, self.scope.names),
        )
        raise self.fail(msg, node)

    def collection(self, name: str, node: Expr) -> Scope:
        if name in self.scope.collections:
            return self.scope.collections[name]
        template = (
            N_("{level} has no member collection {name!r}{hint}")
            if self.scope.collections
            else N_(
                "{level} has no member collection {name!r}; "
                "{level} has no member collections at all"
            )
        )
        msg = Message(
            template,
            level=LevelName(self.scope.level),
            name=name,
            hint=did_you_mean(name, self.scope.collections),
        )
        raise self.fail(msg, node)

    def member_name(self, node: MemberName, member: Scope | None) -> ValueType:
        scope = self.collection(node.collection, node) if member is None else member
        if node.name in scope.names:
            return scope.names[node.name]
        msg = Message(
            N_("unknown {level} name {name!r} in '{collection}.{name}'{hint}"),
            level=LevelName(scope.level),
            name=node.name,
            collection=node.collection,
            hint=did_you_mean(node.name, scope.names),
        )
        raise self.fail(msg, node)

    def boolean(self, node: Expr, member: Scope | None, op: str) -> Expr:
        out, value_type = self.check(node, member)
        if value_type.kind != "bool":
            template = (
                N_("'{op}' needs true/false operands, but {shown} is {type}")
                if op in ("and", "or", "not")
                else N_("{op} needs a true/false value, but {shown} is {type}")
            )
            msg = Message(template, op=op, shown=_show(node), type=value_type.describe())
            raise self.fail(msg, node)
        return out

    def numeric(self, node: Expr, member: Scope | None, what: str) -> tuple[Expr, ValueType]:
        out, value_type = self.check(node, member)
        if value_type.numeric:
            return out, value_type
        hint = ""
        if value_type.kind == "bool":
            hint = N_("; count true values with count(...) or sum(...)")
        elif value_type.kind == "code":
            hint = N_("; codes are categories: compare them with ==, != or .isin([...])")
        msg = Message(
            N_("{what_text} needs numbers, but {source!r} is {type}{hint_text}"),
            what_text=what,
            source=to_source(node),
            type=value_type.describe(),
            hint_text=hint,
        )
        raise self.fail(msg, node)

    def operand(
        self, node: Expr, member: Scope | None, against: ValueType, other: Expr
    ) -> tuple[Expr, ValueType]:
        """Check an operand, reading a text literal as a code name of ``against``."""
        if isinstance(node, Literal) and node.kind == "str":
            resolved = self.code_name(node, against, other)
            self.types[resolved] = against
            return resolved, against
        return self.check(node, member)

    def code_name(self, lit: Literal, against: ValueType, other: Expr) -> Literal:
        name = str(lit.value)
        shown = to_source(other)
        if against.kind != "code":
            msg = Message(
                N_(
                    "text {name!r} can only be compared with a coded value, but {shown!r} is {type}"
                ),
                name=name,
                shown=shown,
                type=against.describe(),
            )
            raise self.fail(msg, lit)
        code = against.code_of(name)
        if code is None:
            if against.codes:
                msg = Message(
                    N_("{name!r} is not a code name of {shown!r}{hint}"),
                    name=name,
                    shown=shown,
                    hint=did_you_mean(name, against.code_map),
                )
            else:
                msg = Message(
                    N_(
                        "{name!r} is not a code name of {shown!r}; "
                        "its codes have no names, write the number"
                    ),
                    name=name,
                    shown=shown,
                )
            raise self.fail(msg, lit)
        return Literal(code, kind="code", span=lit.span)

    def check_code_value(self, lit: Expr, against: ValueType, other: Expr) -> None:
        if not (isinstance(lit, Literal) and lit.kind == "int" and against.codes):
            return
        if lit.value not in against.code_map.values():
            shown = ", ".join(f"{n}={c}" for n, c in against.codes)
            msg = Message(
                N_("{value} is not a code of {source!r} (codes: {shown})"),
                value=lit.value,
                source=to_source(other),
                shown=shown,
            )
            raise self.fail(msg, lit)

    def compare(self, node: Compare, member: Scope | None) -> tuple[Expr, ValueType]:
        left_text = isinstance(node.left, Literal) and node.left.kind == "str"
        right_text = isinstance(node.right, Literal) and node.right.kind == "str"
        if left_text and right_text:
            msg = Message(N_("comparing two texts is always true or always false"))
            raise self.fail(msg, node)
        if left_text:
            right, rt = self.check(node.right, member)
            left, lt = self.operand(node.left, member, rt, node.right)
        else:
            left, lt = self.check(node.left, member)
            right, rt = self.operand(node.right, member, lt, node.left)
        out = Compare(node.op, left, right, span=node.span)
        kinds = {lt.kind, rt.kind}
        problem: str | None = None
        if kinds <= {"int", "float"}:
            pass
        elif kinds == {"bool"}:
            if node.op in _ORDERING:
                problem = N_("true/false values are not ordered; use == or !=")
        elif "code" in kinds and kinds <= {"code", "int"}:
            if kinds == {"code"} and lt.codes != rt.codes:
                problem = N_("the two sides have different code lists")
            elif node.op in _ORDERING and not (lt.ordered and rt.ordered):
                problem = N_("these codes have no order; use ==, != or .isin([...])")
            elif node.op in ("==", "!="):
                code_side = lt if lt.kind == "code" else rt
                self.check_code_value(right, code_side, node.left)
                self.check_code_value(left, code_side, node.right)
        else:
            problem = N_("the types do not match")
        if problem is not None:
            msg = Message(
                N_(
                    "cannot compare {left} ({left_type}) with {right} ({right_type}): "
                    "{problem_text}"
                ),
                left=_show(node.left),
                left_type=lt.describe(),
                right=_show(node.right),
                right_type=rt.describe(),
                problem_text=problem,
            )
            raise self.fail(msg, node)
        return out, BOOL

    def call(self, node: Call, member: Scope | None) -> tuple[Expr, ValueType]:
        if node.func == "abs":
            arg, value_type = self.numeric(node.args[0], member, N_("abs()"))
            return Call("abs", (arg,), span=node.span), value_type
        receiver, rt = self.check(node.args[0], member)
        shown = to_source(node.args[0])
        if rt.kind == "bool" or (node.func == "between" and rt.kind == "code" and not rt.ordered):
            msg = Message(
                N_(".{func}() does not apply to {shown!r} ({type})"),
                func=node.func,
                shown=shown,
                type=rt.describe(),
            )
            raise self.fail(msg, node)
        args: list[Expr] = [receiver]
        for arg in node.args[1:]:
            checked, at = self.operand(arg, member, rt, node.args[0])
            if not (
                at.numeric or (at.kind == "code" and rt.kind == "code" and at.codes == rt.codes)
            ):
                msg = Message(
                    N_(".{func}() needs numbers, but {source!r} is {type}"),
                    func=node.func,
                    source=to_source(arg),
                    type=at.describe(),
                )
                raise self.fail(msg, arg)
            if rt.kind == "code" and at.kind == "float":
                msg = Message(
                    N_("{shown!r} holds codes; {source!r} is not a code"),
                    shown=shown,
                    source=to_source(arg),
                )
                raise self.fail(msg, arg)
            if node.func == "isin":
                self.check_code_value(checked, rt, node.args[0])
            args.append(checked)
        return Call(node.func, tuple(args), span=node.span), BOOL

    def aggregate(self, node: Aggregate) -> tuple[Expr, ValueType]:
        member = self.collection(node.collection, node)
        where: Expr | None = None
        if node.where is not None:
            where = self.boolean(node.where, member, "where=")
        if node.func == "count":
            return Aggregate("count", node.collection, None, where, span=node.span), INT
        if node.expr is None:
            msg = Message(N_("{func}() needs a value of the members"), func=node.func)
            raise self.fail(msg, node)
        inner, it = self.check(node.expr, member)
        out = Aggregate(node.func, node.collection, inner, where, span=node.span)
        shown = to_source(node.expr)
        if node.func in ("share", "all", "any"):
            if it.kind != "bool":
                msg = Message(
                    N_(
                        "{func}() needs a true/false value of the members, but {shown!r} is "
                        "{type}; compare it, e.g. {func}({shown} >= 1)"
                    ),
                    func=node.func,
                    shown=shown,
                    type=it.describe(),
                )
                raise self.fail(msg, node.expr)
            return out, FLOAT if node.func == "share" else BOOL
        if node.func in ("sum", "mean"):
            if it.kind == "code":
                msg = Message(
                    N_("{func}() needs numbers, but {shown!r} holds codes"),
                    func=node.func,
                    shown=shown,
                )
                raise self.fail(msg, node.expr)
            if node.func == "mean":
                return out, FLOAT
            return out, FLOAT if it.kind == "float" else INT
        # min and max
        if it.kind == "bool":
            alt = "all" if node.func == "min" else "any"
            msg = Message(
                N_("{func}() of true/false values: write {alt}({shown})"),
                func=node.func,
                alt=alt,
                shown=shown,
            )
            raise self.fail(msg, node.expr)
        if it.kind == "code" and not it.ordered:
            msg = Message(
                N_("{func}() needs ordered values, but the codes of {shown!r} have no order"),
                func=node.func,
                shown=shown,
            )
            raise self.fail(msg, node.expr)
        return out, it
