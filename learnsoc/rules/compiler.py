"""Compile type-checked rule conditions to a tree of closures over numpy operations.

Each node becomes a Python closure that computes one whole column at a time (never
one entity at a time); member aggregates call the aggregation kernels of
:mod:`learnsoc.aggregate`. No text is ever handed to ``eval``, ``exec`` or ``compile``,
no attribute is looked up by a user-supplied name, and nothing is pickled.

Semantics, in short (the reference page has the tables):

- **Three-valued logic.** Every node yields values and a ``known`` mask. ``and``,
  ``or`` and ``not`` follow Kleene's logic (``False and unknown`` is ``False``,
  ``True or unknown`` is ``True``); comparisons, arithmetic and functions of an unknown
  operand are unknown. A NaN in a float column is missing. Division by zero, and
  arithmetic whose result is not finite (float) or exceeds 2**62 in magnitude (int),
  is unknown.
- **Aggregates skip missing members.** A member whose value (or ``where`` filter) is
  unknown is left out and counted as missing. A group with no eligible member is
  *empty*; a group whose eligible members are all missing gives an unknown result.
- **Empty groups.** ``count`` and ``sum`` of an empty group are 0. For ``share``,
  ``all``, ``any``, ``mean``, ``min`` and ``max`` the condition's ``on_empty`` policy
  decides the smallest true/false part containing the aggregate (the comparison, or
  ``all(...)``/``any(...)`` itself): ``"pass"`` makes it true, ``"fail"`` (the
  default) false, ``"unknown"`` unknown.
- **Exact shares.** ``share(...) >= 0.7`` compares integers: 7 of 10 passes.

Examples
--------
>>> import numpy as np
>>> from learnsoc.aggregate.groups import Groups
>>> from learnsoc.rules.types import BOOL, INT, Scope
>>> person = Scope("person", {"age": INT, "learning": BOOL})
>>> household = Scope("household", {}, {"members": person})
>>> rule = compile_condition(
...     "share(members.learning, where=members.age >= 15) >= 0.5", household)
>>> ctx = ColumnsContext(
...     columns={"person": {"age": np.array([40, 38, 9, 70]),
...                         "learning": np.array([True, False, False, False])}},
...     groups={("household", "members"): Groups.from_codes(np.array([0, 0, 0, 1]), 3)},
...     sizes={"household": 3})
>>> print(rule.evaluate(ctx).values)
[ True False False]
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from learnsoc._messages import N_, Message
from learnsoc.aggregate.rate import exact_fraction
from learnsoc.errors import RulebookError
from learnsoc.rules._aggregates import InputsFn, aggregate_fn, inputs_fn
from learnsoc.rules._elementwise import (
    FLIP,
    abs_fn,
    arith_fn,
    between_fn,
    bool_op_fn,
    column_fn,
    compare_fn,
    isin_fn,
    literal_fn,
    neg_fn,
    not_fn,
    share_compare_fn,
)
from learnsoc.rules._results import ON_EMPTY, Env, Fn, OnEmpty, Res, apply_empty, to_value
from learnsoc.rules.compiled import CompiledExpr, evaluate_many, iter_many, read_later
from learnsoc.rules.evalcontext import ColumnsContext, EvalContext
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
    contains_aggregate,
    to_source,
    walk,
)
from learnsoc.rules.parser import parse_condition
from learnsoc.rules.tracing import AggregateStats, AtomTrace, Trace
from learnsoc.rules.typecheck import TypedExpr, check_condition, typecheck
from learnsoc.rules.types import Scope

__all__ = [
    "ON_EMPTY",
    "AggregateStats",
    "AtomTrace",
    "ColumnsContext",
    "CompiledExpr",
    "EvalContext",
    "Trace",
    "compile_condition",
    "compile_expression",
    "compile_typed",
    "evaluate_many",
    "iter_many",
    "read_later",
]


# ------------------------------------------------------------------------------ compiler


class _Compiler:
    """Turn a typed tree into closures; recursion is bounded by the parser's depth limit."""

    def __init__(self, typed: TypedExpr, level: str, on_empty: OnEmpty) -> None:
        self.types = typed.types
        self.scope = typed.scope
        self.level = level
        self.on_empty = on_empty
        # share/all/any/count per collection, counted together before the tree runs.
        self.prefetch: dict[tuple[str, str], list[tuple[Aggregate, InputsFn]]] = {}
        counts = Counter(walk(typed.expr))
        self.shared = {
            node
            for node, n in counts.items()
            if n > 1 and not isinstance(node, Literal | Name | MemberName)
        }

    def compile(self, node: Expr, level: str) -> Fn:
        fn = self._compile(node, level)
        if node in self.shared:
            fn = _cached(node, fn, level, policy_free=not contains_aggregate(node))
        return fn

    def _compile(self, node: Expr, level: str) -> Fn:
        value_type = self.types[node]
        match node:
            case Literal():
                return literal_fn(node, value_type)
            case Name():
                return column_fn(level, node.name, value_type)
            case MemberName():
                return column_fn(level, node.name, value_type)
            case BoolOp():
                parts = [self.compile(o, level) for o in node.operands]
                return bool_op_fn(node.op, parts)
            case Not():
                return not_fn(self.compile(node.operand, level))
            case Neg():
                return neg_fn(self.compile(node.operand, level), value_type)
            case Arith():
                left = self.compile(node.left, level)
                right = self.compile(node.right, level)
                return arith_fn(node.op, left, right, value_type)
            case Compare():
                return self.atom(node, self.compare(node, level))
            case Call():
                args = [self.compile(a, level) for a in node.args]
                if node.func == "abs":
                    return abs_fn(args[0], value_type)
                if node.func == "between":
                    return self.atom(node, between_fn(args))
                values = tuple(a.value for a in node.args[1:] if isinstance(a, Literal))
                return self.atom(node, isin_fn(args[0], values))
            case Aggregate():
                fn = self.aggregate(node, level)
                if node.func in ("all", "any"):
                    return self.atom(node, fn)
                return fn
            case Param():  # not reached: the type checker refuses placeholders
                msg = f"parameter {node.name!r} has no value"
                raise TypeError(msg)

    def compare(self, node: Compare, level: str) -> Fn:
        sides = ((node.left, node.right, node.op), (node.right, node.left, FLIP[node.op]))
        for share_side, other, op in sides:
            scaled = _scaled_share(share_side)
            if scaled is None or not isinstance(other, Literal):
                continue
            share, factor = scaled
            # share * f op t  <=>  share op t / f, with the direction reversed when f < 0.
            threshold = exact_fraction(_number(other)) / factor
            exact_op = FLIP[op] if factor < 0 else op
            return share_compare_fn(self.compile(share, level), exact_op, threshold)
        left = self.compile(node.left, level)
        right = self.compile(node.right, level)
        return compare_fn(node.op, left, right)

    def atom(self, node: Expr, fn: Fn) -> Fn:
        """Apply the empty-group policy (and tracing) to a true/false part."""
        if not contains_aggregate(node):
            return fn
        on_empty = self.on_empty
        aggregates = [n for n in walk(node) if isinstance(n, Aggregate)]
        text = to_source(node)
        traced_op: str | None = None
        other: Expr | None = None
        if isinstance(node, Compare):
            if isinstance(node.left, Aggregate) and not contains_aggregate(node.right):
                traced_op, other = node.op, node.right
            elif isinstance(node.right, Aggregate) and not contains_aggregate(node.left):
                traced_op, other = FLIP[node.op], node.left
        other_fn = None if other is None else self.compile(other, self.level)
        size_level = self.level

        def run(env: Env) -> Res:
            res = fn(env)
            if res.empty is not None:
                res = apply_empty(res, res.empty, on_empty)
            if env.tracing and node not in env.traced:
                env.traced.add(node)
                n = env.ctx.size(size_level)
                threshold = None if other_fn is None else to_value(other_fn(env), n, False, True)
                stats = tuple(env.stats[(size_level, a)] for a in aggregates)
                result = to_value(res, n, True)
                env.atoms.append(AtomTrace(node, text, stats, result, traced_op, threshold))
            return res

        return run

    def member_input(self, node: Expr, level: str) -> Fn:
        """Compile an aggregate's value or filter, cached for reuse.

        Other aggregates, and other criteria evaluated together, then reuse it:
        ``members.age >= 15`` is computed once.
        """
        fn = self.compile(node, level)
        if node in self.shared or isinstance(node, Literal | Name | MemberName):
            return fn
        return _cached(node, fn, level, policy_free=True)

    def aggregate(self, node: Aggregate, level: str) -> Fn:
        member = self.scope.collections[node.collection]
        inner = None if node.expr is None else self.member_input(node.expr, member.level)
        where = None if node.where is None else self.member_input(node.where, member.level)
        inner_type = None if node.expr is None else self.types[node.expr]
        inputs = inputs_fn(node, level, member.level, inner, where)
        if node.func in ("share", "all", "any", "count"):
            plan = self.prefetch.setdefault((level, node.collection), [])
            if all(node != planned for planned, _ in plan):
                plan.append((node, inputs))
        return aggregate_fn(node, level, inputs, inner_type, self.types[node])


def _scaled_share(expr: Expr) -> tuple[Aggregate, Fraction] | None:
    """Read ``expr`` as ``share(...) * f`` for an exact non-zero ``f`` (``share(x) * 100``)."""
    factor = Fraction(1)
    while not (isinstance(expr, Aggregate) and expr.func == "share"):
        if not isinstance(expr, Arith) or expr.op not in ("*", "/"):
            return None
        if isinstance(expr.right, Literal):
            scale = exact_fraction(_number(expr.right))
            inner = expr.left
        elif isinstance(expr.left, Literal) and expr.op == "*":
            scale = exact_fraction(_number(expr.left))
            inner = expr.right
        else:
            return None
        if scale == 0:
            return None
        factor = factor / scale if expr.op == "/" else factor * scale
        expr = inner
    return expr, factor


def _number(lit: Literal) -> float | int:
    value = lit.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"expected a number, got {value!r}"
        raise TypeError(msg)
    return value


def _cached(node: Expr, fn: Fn, level: str, policy_free: bool) -> Fn:
    if policy_free:
        key = (level, node)

        def shared(env: Env) -> Res:
            hit = env.shared.get(key)
            if hit is None:
                hit = fn(env)
                env.shared[key] = hit
            return hit

        return shared

    def local(env: Env) -> Res:
        hit = env.local.get(node)
        if hit is None:
            hit = fn(env)
            env.local[node] = hit
        return hit

    return local


def _check_on_empty(
    on_empty: str, file: str | None, line: int | None, column: int | None
) -> OnEmpty:
    if on_empty not in ON_EMPTY:
        msg = Message(
            N_("on_empty must be one of 'pass', 'fail', 'unknown', not {on_empty!r}"),
            on_empty=on_empty,
        )
        raise RulebookError(str(msg), file=file, line=line, column=column).translatable(msg)
    return on_empty  # type: ignore[return-value]


def compile_typed(
    typed: TypedExpr, *, on_empty: str = "fail", source: str | None = None
) -> CompiledExpr:
    """Compile an already type-checked expression.

    Parameters
    ----------
    typed : TypedExpr
        From :func:`learnsoc.rules.typecheck.typecheck`.
    on_empty : {"pass", "fail", "unknown"}, default "fail"
        What the true/false part around an aggregate over an empty group becomes.
    source : str, optional
        The original text (defaults to the expression written back).

    Returns
    -------
    CompiledExpr

    Examples
    --------
    >>> from learnsoc.rules.parser import parse_condition
    >>> from learnsoc.rules.typecheck import typecheck
    >>> from learnsoc.rules.types import INT, Scope
    >>> typed = typecheck(parse_condition("age * 2"), Scope("person", {"age": INT}))
    >>> compile_typed(typed).type.kind
    'int'
    """
    policy = _check_on_empty(on_empty, None, None, None)
    level = typed.scope.level
    compiler = _Compiler(typed, level, policy)
    fn = compiler.compile(typed.expr, level)
    return CompiledExpr(
        typed.expr,
        typed.type,
        level,
        policy,
        source if source is not None else to_source(typed.expr),
        fn=fn,
        prefetch=compiler.prefetch,
    )


def compile_condition(
    text: str,
    scope: Scope,
    *,
    on_empty: str = "fail",
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> CompiledExpr:
    """Parse, type-check and compile a criterion (a true/false condition).

    Parameters
    ----------
    text : str
        The condition.
    scope : Scope
        What the level being evaluated can name.
    on_empty : {"pass", "fail", "unknown"}, default "fail"
        What the true/false part around ``share``/``all``/``any``/``mean``/``min``/``max``
        over a group with no eligible member becomes. ``"fail"`` is the default because
        a title should not be granted on the strength of a condition about nobody; a
        rulebook that means vacuous truth ("all school-age children attend school", for
        a family with none) says ``on_empty = "pass"`` for that criterion.
    file : str, optional
        The rule file, for errors.
    line, column : int, optional
        Where the condition starts in the file (1-based).

    Returns
    -------
    CompiledExpr

    Raises
    ------
    RulebookError
        If the text is outside the grammar, names something unknown, mixes types, or
        is not true/false.

    Examples
    --------
    >>> import numpy as np
    >>> from learnsoc.aggregate.groups import Groups
    >>> from learnsoc.rules.types import BOOL, INT, Scope
    >>> person = Scope("person", {"age": INT, "in_school": BOOL})
    >>> household = Scope("household", {}, {"members": person})
    >>> text = "all(members.in_school, where=members.age.between(6, 17))"
    >>> ctx = ColumnsContext(
    ...     {"person": {"age": np.array([40, 10, 35]), "in_school": np.array([0, 1, 0])}},
    ...     groups={("household", "members"): Groups.from_codes(np.array([0, 0, 1]), 2)},
    ...     sizes={"household": 2})
    >>> print(compile_condition(text, household).evaluate(ctx).values)
    [ True False]
    >>> print(compile_condition(text, household, on_empty="pass").evaluate(ctx).values)
    [ True  True]
    """
    policy = _check_on_empty(on_empty, file, line, column)
    expr = parse_condition(text, file=file, line=line, column=column)
    typed = check_condition(expr, scope, file=file)
    return compile_typed(typed, on_empty=policy, source=text)


def compile_expression(
    text: str,
    scope: Scope,
    *,
    on_empty: str = "fail",
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> CompiledExpr:
    """Parse, type-check and compile an expression of any type (a derived variable).

    Like :func:`compile_condition` but the result may be a number. A numeric result
    computed from an aggregate over an empty group (a mean of nobody) is unknown.

    Parameters
    ----------
    text : str
        The expression.
    scope : Scope
        What the level being evaluated can name.
    on_empty : {"pass", "fail", "unknown"}, default "fail"
        As for :func:`compile_condition`, for the true/false parts inside.
    file : str, optional
        The rule file, for errors.
    line, column : int, optional
        Where the expression starts in the file (1-based).

    Returns
    -------
    CompiledExpr

    Examples
    --------
    >>> import numpy as np
    >>> from learnsoc.rules.types import INT, Scope
    >>> points = compile_expression("a + 2 * b", Scope("unit", {"a": INT, "b": INT}))
    >>> print(points.evaluate(ColumnsContext({"unit": {"a": np.array([1, 2]),
    ...                                                "b": np.array([10, 20])}})).values)
    [21 42]
    """
    policy = _check_on_empty(on_empty, file, line, column)
    expr = parse_condition(text, file=file, line=line, column=column)
    typed = typecheck(expr, scope, file=file)
    return compile_typed(typed, on_empty=policy, source=text)
