"""Where a compiled rule expression reads its inputs: the :class:`EvalContext` protocol.

The rules engine implements it over a population
(:class:`~learnsoc.rules.context.PopulationContext`); :class:`ColumnsContext` is a plain
implementation over dicts of arrays, for examples, tests and quick checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc.aggregate.groups import Groups
from learnsoc.errors import SchemaError

__all__ = ["Array", "ColumnsContext", "EvalContext", "Mask"]


Array = NDArray[Any]
Mask = NDArray[np.bool_]


class EvalContext(Protocol):
    """Where a compiled expression reads its inputs.

    The rules engine implements it over a population; :class:`ColumnsContext` is a
    plain implementation over dicts of arrays.

    Examples
    --------
    >>> import numpy as np
    >>> ctx: EvalContext = ColumnsContext({"person": {"age": np.array([7, 70])}})
    >>> ctx.size("person")
    2
    """

    def column(self, level: str, name: str) -> tuple[Array, Mask | None]:
        """Return a column of a level and its known mask (``None``: all known)."""
        ...

    def groups(self, level: str, collection: str) -> Groups:
        """Return the members of ``collection`` per unit of ``level``."""
        ...

    def size(self, level: str) -> int:
        """Return the number of units of a level."""
        ...


@attrs.frozen(eq=False)
class ColumnsContext:
    """An :class:`EvalContext` over plain dicts, for examples, tests and quick checks.

    Parameters
    ----------
    columns : mapping
        ``{level: {name: values}}``; a value is an array or a ``(values, known)`` pair.
    groups : mapping
        ``{(level, collection): Groups}``.
    sizes : mapping, optional
        ``{level: n}`` for levels whose size cannot be read off a column (a level
        with no columns); otherwise the length of any of its columns.

    Examples
    --------
    >>> import numpy as np
    >>> ctx = ColumnsContext({"person": {"age": (np.array([3, 0]), np.array([True, False]))}})
    >>> ctx.size("person")
    2
    >>> print(ctx.column("person", "age")[1])
    [ True False]
    """

    columns: Mapping[str, Mapping[str, Any]]
    groups_: Mapping[tuple[str, str], Groups] = attrs.field(factory=dict, alias="groups")
    sizes: Mapping[str, int] = attrs.field(factory=dict)

    def column(self, level: str, name: str) -> tuple[Array, Mask | None]:
        """Return a column and its known mask."""
        try:
            entry = self.columns[level][name]
        except KeyError:
            available = self.columns.get(level, {})
            raise SchemaError(level, name, N_("no such column"), choices=available) from None
        if isinstance(entry, tuple):
            values, known = entry
            return np.asarray(values), None if known is None else np.asarray(known, np.bool_)
        return np.asarray(entry), None

    def groups(self, level: str, collection: str) -> Groups:
        """Return the member groups of a collection."""
        try:
            return self.groups_[(level, collection)]
        except KeyError:
            msg = Message(
                N_("no member groups for collection {collection!r}"), collection=collection
            )
            raise SchemaError(level, None, str(msg)).translatable(msg) from None

    def size(self, level: str) -> int:
        """Return the number of units of a level."""
        if level in self.sizes:
            return int(self.sizes[level])
        for entry in self.columns.get(level, {}).values():
            values = entry[0] if isinstance(entry, tuple) else entry
            return int(np.asarray(values).shape[0])
        raise SchemaError(level, None, N_("size unknown: give it in sizes= or give a column"))
