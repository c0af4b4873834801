"""Types and scopes of the rule language, and the value a compiled expression yields.

A :class:`ValueType` says what a column or expression holds (``bool``, ``int``,
``float`` or ``code``); a :class:`Scope` lists what a condition evaluated at one level
(person, household, village ...) can name: its own columns, derived variables and
titles, and the member collections it can aggregate over. A :class:`Value` is the
result of evaluating an expression: one value per entity and a mask of which values
are known (three-valued logic: true, false or unknown).

Examples
--------
>>> from learnsoc.rules.types import BOOL, INT, Scope, ValueType
>>> person = Scope("person", {"age": INT, "literate": BOOL})
>>> household = Scope("household", {"rural": BOOL}, {"members": person})
>>> household.collections["members"].names["age"]
ValueType(kind='int', codes=(), ordered=True)
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc.errors import RulebookError
from learnsoc.rules.ir import RESERVED

__all__ = ["BOOL", "FLOAT", "INT", "Scope", "Value", "ValueType", "check_identifier"]

Kind = typing.Literal["bool", "int", "float", "code"]
_KINDS = ("bool", "int", "float", "code")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def check_identifier(name: str, what: str) -> None:
    """Refuse a name a condition could not use or that would be ambiguous.

    Parameters
    ----------
    name : str
        The name declared by a rulebook.
    what : str
        What it names, for the message (``"person column"``).

    Raises
    ------
    RulebookError
        If the name is not an ASCII identifier starting with a letter, or is reserved
        (a Python keyword or builtin, or one of the language's functions).

    Examples
    --------
    >>> check_identifier("age", "person column")
    >>> check_identifier("sum", "person column")
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: person column 'sum' is a reserved word of the rule ...
    """
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        msg = Message(
            N_(
                "{what} {name!r} is not a valid name: use ASCII letters, digits and '_', "
                "starting with a letter"
            ),
            what=what,
            name=name,
        )
        raise RulebookError(str(msg)).translatable(msg)
    if name in RESERVED:
        msg = Message(
            N_("{what} {name!r} is a reserved word of the rule language; rename it"),
            what=what,
            name=name,
        )
        raise RulebookError(str(msg)).translatable(msg)


def _to_codes(
    codes: Mapping[str, int] | tuple[tuple[str, int], ...] | None,
) -> tuple[tuple[str, int], ...]:
    items = codes.items() if isinstance(codes, Mapping) else (codes or ())
    out = []
    for name, code in items:
        if (
            not isinstance(name, str)
            or not name
            or isinstance(code, bool)
            or not isinstance(code, int)
        ):
            msg = Message(
                N_("code {name!r}: codes map a non-empty name to an integer, got {code!r}"),
                name=name,
                code=code,
            )
            raise RulebookError(str(msg)).translatable(msg)
        out.append((name, int(code)))
    return tuple(out)


@attrs.frozen
class ValueType:
    """The type of a column or an expression.

    Parameters
    ----------
    kind : {"bool", "int", "float", "code"}
        ``code`` is an integer category (sex, qualification level ...).
    codes : mapping of str to int, optional
        Names of the codes of a ``code`` column, so a condition may write
        ``sex == "female"``. Several names may share a code (``"female"`` and ``"nữ"``).
    ordered : bool, default True
        Whether codes have an order (qualification levels do, sex does not); ``<``,
        ``>``, ``between``, ``min`` and ``max`` need an ordered code.

    Examples
    --------
    >>> sex = ValueType("code", {"male": 1, "female": 2}, ordered=False)
    >>> sex.code_of("female")
    2
    >>> sex.code_map
    {'male': 1, 'female': 2}
    """

    kind: Kind = attrs.field(validator=attrs.validators.in_(_KINDS))
    codes: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_to_codes)
    ordered: bool = True

    def __attrs_post_init__(self) -> None:
        if self.codes and self.kind != "code":
            msg = Message(N_("only a 'code' type has code names, not {kind!r}"), kind=self.kind)
            raise RulebookError(str(msg)).translatable(msg)

    @property
    def code_map(self) -> dict[str, int]:
        """Return the code names as a dict."""
        return dict(self.codes)

    def code_of(self, name: str) -> int | None:
        """Return the integer code of a code name, or ``None`` if there is none."""
        return self.code_map.get(name)

    @property
    def numeric(self) -> bool:
        """Whether arithmetic is allowed (``int`` or ``float``)."""
        return self.kind in ("int", "float")

    def describe(self) -> str:
        """Return the type as words for error messages.

        Examples
        --------
        >>> ValueType("code", {"male": 1}).describe()
        'code (male=1)'
        >>> BOOL.describe()
        'true/false'
        """
        if self.kind == "bool":
            return "true/false"
        if self.kind == "code" and self.codes:
            shown = ", ".join(f"{n}={c}" for n, c in self.codes[:8])
            more = ", ..." if len(self.codes) > 8 else ""
            return f"code ({shown}{more})"
        return self.kind


#: True/false values.
BOOL = ValueType("bool")
#: Integers.
INT = ValueType("int")
#: Floating-point numbers.
FLOAT = ValueType("float")


def _frozen_names(names: Mapping[str, ValueType]) -> Mapping[str, ValueType]:
    return types.MappingProxyType(dict(names))


def _frozen_scopes(collections: Mapping[str, Scope]) -> Mapping[str, Scope]:
    return types.MappingProxyType(dict(collections))


@attrs.frozen(eq=False)
class Scope:
    """What a condition evaluated at one level can name.

    Scopes compare by identity (they are built once per rulebook).

    Parameters
    ----------
    level : str
        The level's name (``"household"``).
    names : mapping of str to ValueType
        Columns, derived variables and titles available at this level.
    collections : mapping of str to Scope, optional
        Member collections visible from this level, e.g. ``"members"`` mapping to
        the person scope, or ``"households"`` to the household scope.

    Raises
    ------
    RulebookError
        If a name is not a valid identifier, is reserved, or is both a value and a
        collection.

    Examples
    --------
    >>> person = Scope("person", {"age": INT})
    >>> village = Scope("village", {}, {"households": Scope("household", {}, {"members": person})})
    >>> sorted(village.collections)
    ['households']
    """

    level: str
    names: Mapping[str, ValueType] = attrs.field(converter=_frozen_names)
    collections: Mapping[str, Scope] = attrs.field(factory=dict, converter=_frozen_scopes)

    def __attrs_post_init__(self) -> None:
        for name, value_type in self.names.items():
            check_identifier(name, f"{self.level} name")
            if not isinstance(typing.cast(object, value_type), ValueType):
                msg = Message(
                    N_("{level} name {name!r}: expected a ValueType, got {value_type!r}"),
                    level=self.level,
                    name=name,
                    value_type=value_type,
                )
                raise RulebookError(str(msg)).translatable(msg)
        for name, scope in self.collections.items():
            check_identifier(name, f"{self.level} collection")
            if name in self.names:
                msg = Message(
                    N_("{level}: {name!r} is both a value and a member collection"),
                    level=self.level,
                    name=name,
                )
                raise RulebookError(str(msg)).translatable(msg)
            if not isinstance(typing.cast(object, scope), Scope):
                msg = Message(
                    N_("{level} collection {name!r}: expected a Scope, got {scope!r}"),
                    level=self.level,
                    name=name,
                    scope=scope,
                )
                raise RulebookError(str(msg)).translatable(msg)


def _readonly(array: Any) -> NDArray[Any]:
    out = np.asarray(array).view()
    out.flags.writeable = False
    return out


def _readonly_mask(mask: Any) -> NDArray[np.bool_] | None:
    if mask is None:
        return None
    out: NDArray[np.bool_] = np.asarray(mask, dtype=np.bool_).view()
    out.flags.writeable = False
    return out


@attrs.frozen(eq=False)
class Value:
    """The result of evaluating an expression: one value per entity and what is known.

    Parameters
    ----------
    values : ndarray
        bool, int64 or float64 by the expression's type. For a ``bool`` result the
        value is ``False`` wherever it is unknown, so ``values`` alone is the mask of
        entities that certainly pass. Elsewhere values at unknown positions are
        unspecified.
    known : ndarray of bool or None
        ``False`` where the value is unknown (missing inputs, a group whose members are
        all missing, division by zero ...). ``None`` means everything is known (a
        compiled expression returns ``None`` whenever nothing is unknown).

    Examples
    --------
    >>> import numpy as np
    >>> v = Value(np.array([True, False, False]), np.array([True, True, False]))
    >>> print(v.known_mask())
    [ True  True False]
    >>> print(v.failing())
    [False  True False]
    """

    values: NDArray[Any] = attrs.field(converter=_readonly)
    known: NDArray[np.bool_] | None = attrs.field(default=None, converter=_readonly_mask)

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def known_mask(self) -> NDArray[np.bool_]:
        """Return ``known`` as an array (all ``True`` when ``known`` is ``None``)."""
        if self.known is None:
            return np.ones(len(self), dtype=np.bool_)
        return self.known

    def passing(self) -> NDArray[np.bool_]:
        """Return where a true/false value is known to be true (a new array)."""
        if self.known is None:
            # Everything known: the values themselves, copied once (not and-ed with a
            # column of True made for it).
            return np.array(self.values, dtype=np.bool_)
        out: NDArray[np.bool_] = np.logical_and(self.values, self.known)
        return out

    def failing(self) -> NDArray[np.bool_]:
        """Return where a true/false value is known to be false."""
        out: NDArray[np.bool_] = np.logical_and(np.logical_not(self.values), self.known_mask())
        return out

    def unknown(self) -> NDArray[np.bool_]:
        """Return where the value is unknown."""
        return np.logical_not(self.known_mask())
