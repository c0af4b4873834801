"""A population's tables as columns: what its data frames and its files hold.

:func:`population_table` gives one table of a population (``persons``, ``households``,
``clans``, ``organisations``, ``memberships`` or ``units``) as numpy columns with the
schema's column names, references as external ids (``household_id``, ``unit_code``),
codes as their numbers, and a mask of the cells that hold no value.
``Population.to_pandas()`` (and ``to_polars``, ``to_arrow``) and
:func:`learnsoc.io.export.write_population` are both built on it, so a frame, a CSV file
and a Parquet file of a population hold the same values: missing values are nulls (blank
CSV cells), never the stored sentinel (``255``).

Examples
--------
>>> import learnsoc as ls
>>> pop = ls.synthetic_population(persons=300, seed=2)
>>> cols, missing, booleans = population_table(pop, "households")
>>> list(cols)[:2]
['household_id', 'unit_code']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc.errors import SchemaError, did_you_mean

if TYPE_CHECKING:
    # Only for annotations: Population imports this module to build its data frames.
    from learnsoc.model.population import Population

__all__ = ["TABLES", "Columns", "Masks", "entity_name", "population_table", "table_name"]

#: The tables of a population, as file stems, in the order they are written.
TABLES: tuple[str, ...] = (
    "units",
    "households",
    "clans",
    "persons",
    "organisations",
    "memberships",
)

_ENTITY = {
    "units": "unit",
    "households": "household",
    "clans": "clan",
    "persons": "person",
    "organisations": "organisation",
    "memberships": "membership",
}


def table_name(table: str) -> str:
    """Return the plural table name for ``person`` or ``persons`` (and the others).

    Raises
    ------
    SchemaError
        For a name that is no table, with a suggestion.

    Examples
    --------
    >>> table_name("household"), table_name("units")
    ('households', 'units')
    """
    if table in _ENTITY:
        return table
    plural = {v: k for k, v in _ENTITY.items()}.get(table)
    if plural is None:
        msg = Message(N_("no such table{hint}"), hint=did_you_mean(table, TABLES))
        raise SchemaError(table, None, str(msg), choices=list(TABLES)).translatable(msg)
    return plural


def entity_name(table: str) -> str:
    """Return the schema's (singular) table name for ``persons`` or ``person`` (and the others).

    Raises
    ------
    SchemaError
        For a name that is no table, with a suggestion.

    Examples
    --------
    >>> entity_name("households"), entity_name("unit")
    ('household', 'unit')
    """
    return _ENTITY[table_name(table)]


Columns = dict[str, NDArray[Any]]
Masks = dict[str, NDArray[np.bool_]]


def population_table(pop: Population, table: str) -> tuple[Columns, Masks, set[str]]:
    """Return one table of a population: its columns, missing cells and yes/no columns.

    Parameters
    ----------
    pop : Population
    table : str
        ``persons``, ``households``, ``clans``, ``organisations``, ``memberships`` or
        ``units`` (the singular works too).

    Returns
    -------
    columns : dict of str to ndarray
        In the schema's names: ids first, then references (external ids: a person's
        ``household_id``, a household's ``unit_code`` and ``clan_id``), then the
        attributes as stored (codes as their numbers, yes/no as 0/1).
    missing : dict of str to bool ndarray
        For columns that can lack a value: where they do (the stored sentinel, NaN, a
        household without a clan).
    booleans : set of str
        The yes/no columns.

    Examples
    --------
    >>> import learnsoc as ls
    >>> pop = ls.synthetic_population(persons=300, seed=2)
    >>> cols, missing, booleans = population_table(pop, "persons")
    >>> list(cols)[:3], "literate" in booleans
    (['person_id', 'household_id', 'age'], True)
    >>> bool((cols["literate"][missing["literate"]] == 255).all())
    True
    """
    name = table_name(table)
    entity = _ENTITY[name]
    if entity == "unit":
        cols: Columns = dict(pop.hierarchy.to_columns())
        return cols, {"parent_code": cols["parent_code"] == ""}, set()
    cols = pop.columns(entity)
    missing: Masks = {}
    if entity == "household" and "clan_id" in cols:
        no_clan = np.asarray(pop.household_clan) < 0
        cols["clan_id"] = pop.clan_ids[np.maximum(pop.household_clan, 0)]
        missing["clan_id"] = no_clan
    if entity == "clan":
        missing["unit_code"] = np.asarray(pop.clan_unit) < 0
    booleans: set[str] = set()
    if entity != "membership":
        spec = pop.schema.table(entity)
        for col, arr in cols.items():
            if col not in spec.names:
                continue
            c = spec.column(col)
            if c.kind == "bool":
                booleans.add(col)
            sentinel = c.missing
            if sentinel is None:
                if c.kind == "text":
                    missing[col] = arr == ""
                continue
            if isinstance(sentinel, float):
                missing[col] = np.isnan(arr)
            else:
                missing[col] = arr == sentinel
    return cols, missing, booleans
