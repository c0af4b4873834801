"""The numbers behind a condition's aggregates, kept from one evaluation for explanations.

:meth:`~learnsoc.rules.compiled.CompiledExpr.evaluate_with_trace` (and the engine with
``trace=True``) returns a :class:`Trace`: per true/false part that involves an
aggregate (an :class:`AtomTrace`), the counts of each aggregate in it
(:class:`AggregateStats`): "3 of 4 adults", the members left out as missing, empty
groups.
"""

from __future__ import annotations

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc.rules.ir import (
    Aggregate,
    Expr,
)
from learnsoc.rules.types import Value

__all__ = ["AggregateStats", "AtomTrace", "Trace"]


@attrs.frozen(eq=False)
class AggregateStats:
    """The numbers behind one aggregate, per entity of the level evaluated.

    Attributes
    ----------
    node : Aggregate
        The aggregate.
    value : Value
        Its value: a share as a float (NaN where not computable), a count, a mean ...
    count : ndarray of int64
        Eligible members with a known value (the denominator of a share).
    hits : ndarray of int64 or None
        For ``share``, ``all`` and ``any``: eligible members meeting the inner condition
        (the numerator).
    missing : ndarray of int64
        Members left out because their value or ``where`` filter was unknown.
    status : ndarray of uint8
        0 ok, 1 empty (no eligible member), 2 missing (eligible members all missing).

    Examples
    --------
    >>> from learnsoc.rules.compiler import ColumnsContext, compile_condition
    >>> import numpy as np
    >>> from learnsoc.aggregate.groups import Groups
    >>> from learnsoc.rules.types import BOOL, Scope
    >>> household = Scope("household", {}, {"members": Scope("person", {"ok": BOOL})})
    >>> rule = compile_condition("any(members.ok)", household)
    >>> ctx = ColumnsContext({"person": {"ok": np.array([False, True])}},
    ...     groups={("household", "members"): Groups.from_codes([0, 0], 2)},
    ...     sizes={"household": 2})
    >>> stats = rule.evaluate_with_trace(ctx)[1].atoms[0].aggregates[0]
    >>> stats.hits.tolist(), stats.count.tolist(), stats.status.tolist()
    ([1, 0], [2, 0], [0, 1])
    """

    node: Aggregate
    value: Value
    count: NDArray[np.int64]
    hits: NDArray[np.int64] | None
    missing: NDArray[np.int64]
    status: NDArray[np.uint8]


@attrs.frozen(eq=False)
class AtomTrace:
    """One true/false part of a condition that involves aggregates, and its numbers.

    For ``share(members.learning, where=members.age >= 15) >= 0.5`` the atom is the
    comparison: ``op`` is ``">="``, ``threshold`` holds 0.5 per entity, and the
    aggregate's stats give "3 of 4 adults".

    Attributes
    ----------
    atom : Expr
        The comparison, method call, or ``all(...)``/``any(...)``.
    text : str
        The atom written back as condition text.
    aggregates : tuple of AggregateStats
        The aggregates inside it, in source order.
    result : Value
        The atom's verdict per entity, after the ``on_empty`` policy.
    op : str or None
        When the atom compares one aggregate with something: the operator, written
        with the aggregate on the left (``0.5 <= share(...)`` gives ``">="``).
    threshold : Value or None
        The other side of that comparison, per entity.

    Examples
    --------
    >>> from learnsoc.rules.compiler import ColumnsContext, compile_condition
    >>> import numpy as np
    >>> from learnsoc.aggregate.groups import Groups
    >>> from learnsoc.rules.types import INT, Scope
    >>> household = Scope("household", {}, {"members": Scope("person", {"age": INT})})
    >>> rule = compile_condition("1 <= count(members, where=members.age >= 15)", household)
    >>> ctx = ColumnsContext({"person": {"age": np.array([40, 9])}},
    ...     groups={("household", "members"): Groups.from_codes([0, 1], 2)},
    ...     sizes={"household": 2})
    >>> atom = rule.evaluate_with_trace(ctx)[1].atoms[0]
    >>> atom.text, atom.op, atom.result.values.tolist()
    ('1 <= count(members, where=members.age >= 15)', '>=', [True, False])
    """

    atom: Expr
    text: str
    aggregates: tuple[AggregateStats, ...]
    result: Value
    op: str | None = None
    threshold: Value | None = None


@attrs.frozen(eq=False)
class Trace:
    """The numbers behind the aggregate parts of a condition, from one evaluation.

    Examples
    --------
    >>> Trace(()).atoms
    ()
    """

    atoms: tuple[AtomTrace, ...]

    def find(self, text: str) -> AtomTrace:
        """Return the atom whose text is ``text`` (as written back by ``to_source``)."""
        for atom in self.atoms:
            if atom.text == text:
                return atom
        msg = f"no traced part {text!r}; traced: {[a.text for a in self.atoms]}"
        raise KeyError(msg)
