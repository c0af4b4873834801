"""Breakdowns: the groups of a coded person column ("trong đó nữ": of which women).

Vietnamese reports add, under a total, the part of it that is female ("trong đó nữ") and,
where the data have it, the parts by ethnic group or another coded column. A breakdown is
a list of :class:`Group` objects, one per value of a person column. A rollup computed with
``by="sex"`` holds one rollup per group beside the total (:meth:`learnsoc.Rollup.part`),
counted the same way, so the parts of any count add up to at most the total (exactly the
total when no value of the column is missing).

In per-unit counts, the parts are columns named ``<measure>_<group>``: ``learning_citizens``
and ``learning_citizens_female`` ("Tổng số" and "Trong đó: Nữ" on the reporting forms), with
``persons_female`` for the women's denominator. A group of a coded column of the person
schema is named by its code's name in lower case (``female``, ``male``; ``university``).

Examples
--------
>>> from learnsoc.aggregate.breakdown import groups_of
>>> [g.key for g in groups_of("sex")]
['sex=male', 'sex=female']
>>> groups_of("sex")[1].label("vi"), groups_of({"ethnicity": ["kinh", "other"]})[0].label("vi")
('nữ', 'kinh')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import numpy as np

from learnsoc.aggregate.groups import AggregateError
from learnsoc.errors import Message, did_you_mean
from learnsoc.i18n import N_
from learnsoc.model.codes import CodedEnum

if TYPE_CHECKING:
    from learnsoc.model.population import Population

__all__ = ["By", "Group", "groups_of", "population_groups"]

By: TypeAlias = "str | Sequence[str] | Mapping[str, Sequence[str]]"
"""A breakdown: a person column (``"sex"``), several, or columns with their group names."""


@attrs.frozen
class Group:
    """One group of a breakdown: the persons whose ``column`` is ``value``.

    Attributes
    ----------
    column : str
        The person column (``"sex"``).
    name : str
        The group's name in files and tables (``"female"``): the suffix of its count
        columns, and ``sex=female`` as :attr:`key`.
    value : int or None
        The stored code in microdata (2 for female), if known.
    codes : type of CodedEnum or None
        The column's coded categories, for the translated label.

    Examples
    --------
    >>> female = groups_of("sex")[1]
    >>> female.name, female.value, female.key
    ('female', 2, 'sex=female')
    """

    column: str
    name: str
    value: int | None = None
    codes: type[CodedEnum] | None = attrs.field(default=None, repr=False)

    @property
    def key(self) -> str:
        """``column=name``: the group's id in tables (``sex=female``)."""
        return f"{self.column}={self.name}"

    def label(self, locale: str | None = None) -> str:
        """Return the group's name for people, in the locale (``nữ``, ``female``)."""
        if self.codes is not None and self.value is not None:
            return self.codes(self.value).label(locale)
        return self.name


def _coded(column: str, pop: Population | None = None) -> type[CodedEnum] | None:
    from learnsoc.model.schema import STANDARD_SCHEMA

    table = (STANDARD_SCHEMA if pop is None else pop.schema).table("person")
    return table.column(column).codes if column in table else None


def _from_codes(column: str, codes: type[CodedEnum]) -> list[Group]:
    return [Group(column, m.name.lower(), int(m), codes) for m in sorted(codes, key=int)]


def groups_of(by: By) -> list[Group]:
    """Return the groups of a breakdown given by column names (coded) or with group names.

    ``"sex"`` (or any coded column of the person schema) gives one group per code;
    ``{"ethnicity": ["kinh", "other"]}`` names the groups of any other column.

    Raises
    ------
    AggregateError
        If a column is not coded and its groups are not named, or two groups share a name.

    Examples
    --------
    >>> [group.name for group in groups_of("sex")]
    ['male', 'female']
    >>> groups_of({"ethnicity": ["kinh", "other"]})[0]
    Group(column='ethnicity', name='kinh', value=None)
    """
    items: list[tuple[str, Sequence[str] | None]]
    if isinstance(by, str):
        items = [(by, None)]
    elif isinstance(by, Mapping):
        items = [(str(k), list(v)) for k, v in by.items()]
    else:
        items = [(str(c), None) for c in by]
    out: list[Group] = []
    for column, names in items:
        codes = _coded(column)
        if names is None:
            if codes is None:
                msg = Message(
                    N_(
                        "by: {column!r} is not a coded column of the person schema; name its "
                        "groups, e.g. by={{{column!r}: ['kinh', 'other']}}"
                    ),
                    column=column,
                )
                raise AggregateError(str(msg), argument="by").translatable(msg)
            out += _from_codes(column, codes)
            continue
        if codes is None:
            out += [Group(column, str(n)) for n in names]
            continue
        known = {m.name.lower(): m for m in codes}
        for n in names:
            if n not in known:
                msg = Message(
                    N_("by: {name!r} is not a group of {column!r}{hint}"),
                    name=n,
                    column=column,
                    hint=did_you_mean(str(n), known),
                )
                raise AggregateError(str(msg), argument="by").translatable(msg)
            out.append(Group(column, n, int(known[n]), codes))
    names_seen = [g.name for g in out]
    twice = sorted({n for n in names_seen if names_seen.count(n) > 1})
    if twice:
        msg = Message(
            N_("by: groups {names} are named in two columns; name them apart"), names=twice
        )
        raise AggregateError(str(msg), argument="by").translatable(msg)
    return out


def population_groups(pop: Population, by: By) -> list[Group]:
    """Return the groups of a breakdown of a population's persons.

    A coded column of the schema gives a group per code; any other integer person column
    a group per value found (its missing-value sentinel left out).

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=500, seed=1)
    >>> [(group.name, group.value) for group in population_groups(pop, "sex")]
    [('male', 1), ('female', 2)]
    """
    columns = [by] if isinstance(by, str) else list(by)
    out: list[Group] = []
    for column in columns:
        values = pop.column("person", str(column))
        codes = _coded(str(column), pop)
        if codes is not None:
            out += _from_codes(str(column), codes)
            continue
        if values.dtype.kind not in "iu":
            msg = Message(
                N_("by: person column {column!r} holds {dtype}, not codes (integers)"),
                column=column,
                dtype=values.dtype,
            )
            raise AggregateError(str(msg), argument="by").translatable(msg)
        found: Any = np.unique(values)
        if values.dtype.kind == "u":
            found = found[found != np.iinfo(values.dtype).max]  # the missing-value sentinel
        out += [Group(str(column), str(int(v)), int(v)) for v in found]
    return out
