"""A small cache of evaluation plans, so that a rulebook is planned once per date and tree.

Planning a rulebook for a date (choosing each title's version and the parameter values
in force, binding them into the conditions parsed at load, type-checking them against
the hierarchy's levels and compiling them) costs tens of milliseconds for the national
rulebook. :func:`~learnsoc.scale.evaluate_dataset` evaluates partition after partition
with the same rulebook, date and hierarchy: the second and later partitions reuse the
plan of the first.

A plan depends on the rulebook (the very object: rulebooks are immutable), the date
(which versions and parameter values are in force, and the warnings about them) and the
hierarchy's levels (which titles and collections exist; conditions are type-checked
against them). It does not depend on the population's rows or columns, nor on
``inputs=``: the compiled expressions read columns when they run, and missing inputs
are filled per evaluation. The cache keeps the last :data:`PLAN_CACHE_SIZE` plans.

Examples
--------
>>> cache = PlanCache(maxsize=2)
>>> class Book:
...     pass
>>> book = Book()
>>> cache.get(book, ("2025-12-31", ("province", "commune")), lambda: "planned")
'planned'
>>> cache.get(book, ("2025-12-31", ("province", "commune")), lambda: "again")
'planned'
>>> cache.get(Book(), ("2025-12-31", ("province", "commune")), lambda: "other book")
'other book'
"""

from __future__ import annotations

import threading
import typing
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable

__all__ = ["PLAN_CACHE_SIZE", "PlanCache"]

#: How many plans (rulebook x date x hierarchy levels) are kept; the oldest used goes.
PLAN_CACHE_SIZE = 16

_T = typing.TypeVar("_T")


class PlanCache(typing.Generic[_T]):
    """Plans keyed by a rulebook's identity and what else they depend on; oldest used out.

    The rulebook is held weakly: a plan never keeps a rulebook alive, and a plan made for a
    rulebook that is gone is never returned (a new object at the same address is not taken
    for it); it ages out.
    Thread-safe; a plan is built outside the lock, so two threads may both build one.

    Parameters
    ----------
    maxsize : int
        The most plans kept.

    Examples
    --------
    >>> cache: PlanCache[int] = PlanCache(maxsize=1)
    >>> class Book:
    ...     pass
    >>> a = Book()
    >>> cache.get(a, ("2020-01-01",), lambda: 1), cache.get(a, ("2021-01-01",), lambda: 2)
    (1, 2)
    >>> cache.get(a, ("2020-01-01",), lambda: 3)  # pushed out by the 2021 plan
    3
    >>> len(cache)
    1
    """

    def __init__(self, maxsize: int = PLAN_CACHE_SIZE) -> None:
        self.maxsize = maxsize
        self._plans: OrderedDict[tuple[int, Hashable], tuple[weakref.ref[object], _T]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._plans)

    def clear(self) -> None:
        """Forget every plan."""
        with self._lock:
            self._plans.clear()

    def get(self, book: object, key: Hashable, build: Callable[[], _T]) -> _T:
        """Return the plan of ``book`` for ``key``, built by ``build()`` the first time."""
        full = (id(book), key)
        with self._lock:
            hit = self._plans.get(full)
            if hit is not None and hit[0]() is book:
                self._plans.move_to_end(full)
                return hit[1]
        plan = build()
        # Held weakly: a dead rulebook's plans are never returned, and age out.
        ref = weakref.ref(book)
        with self._lock:
            self._plans[full] = (ref, plan)
            self._plans.move_to_end(full)
            while len(self._plans) > self.maxsize:
                self._plans.popitem(last=False)
        return plan
