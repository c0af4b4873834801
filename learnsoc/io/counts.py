"""A counts file rolled up the tree, its rejects named by the file's lines and columns.

:func:`~learnsoc.io.population.read_counts` reads a counts file (a commune's report) as
text columns, and :func:`~learnsoc.aggregate.rollup.rollup_counts` checks and adds them up;
the rejects of that rollup are rows of the columns it was given. :func:`rollup_counts_file`
does both, as ``learnsoc report --counts`` does: every reject names the file, its line (the
sheet's row) and its column as the file writes it, and the rows read count the totals rows
and headings skipped, so that *accepted + rejected + skipped = read*.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._headings import rollup_heading_ids
from learnsoc.errors import Message
from learnsoc.io.csv import Engine
from learnsoc.io.files import PathLike
from learnsoc.io.mapping import FileMapping
from learnsoc.io.population import Sheet, in_file, read_counts, resolve_mapping
from learnsoc.io.rejects import FileRejects, Source
from learnsoc.io.unknown_measures import unknown_measures_warning
from learnsoc.limits import MAX_CELL_CHARS
from learnsoc.model.district_codes import district_codes_in_file
from learnsoc.rejects import RejectBatch, Rejects

if TYPE_CHECKING:
    from learnsoc.aggregate.breakdown import By
    from learnsoc.aggregate.rollup import RateDefs, Rollup
    from learnsoc.model.hierarchy import Hierarchy

__all__ = ["indicator_checks", "read_counts_rollup", "rollup_counts_file"]


def indicator_checks(counts: Mapping[str, Any]) -> RateDefs:
    """Return the standard indicators' rates over the columns of a counts file.

    Each is ``(numerator, denominator)``, with the count of members whose value is unknown
    when the file has it, as :meth:`learnsoc.targets.Indicator.observe` reads them: a row
    of more learning families than families is rejected with its line.

    Examples
    --------
    >>> indicator_checks({"unit_code": [], "families": [], "learning_families": []})
    {'learning_families': ('learning_families', 'families')}
    """
    from learnsoc.targets.indicators import INDICATORS

    checks: dict[str, tuple[str, str] | tuple[str, str, str]] = {}
    for name, indicator in INDICATORS.items():
        num, den, unknown = indicator.numerator, indicator.denominator, indicator.missing
        if num in counts and den in counts:
            checks[name] = (
                (num, den) if unknown is None or unknown not in counts else (num, den, unknown)
            )
    return checks


def _too_long_rejected(
    found: Rejects, long_cells: Mapping[str, tuple[NDArray[np.int64], list[str]]]
) -> Rejects:
    """Say the counts' cells too long to read as such, not as the blanks they were read as.

    :func:`~learnsoc.io.population.read_counts` blanked them, so that the rollup rejected
    their rows as ``missing_value`` and left them out of the sums; those rejects become
    ``cell_too_long`` with the values as written (cut), the row's other problems kept.
    """
    if not long_cells:
        return found
    batches = []
    for batch in found.batches:
        if batch.reason == "missing_value" and batch.column in long_cells:
            keep = ~np.isin(batch.rows, long_cells[batch.column][0])
            if not keep.all():
                rows, values = batch.rows[keep], batch.values[keep]
                batch = attrs.evolve(batch, rows=rows, values=values)
        if len(batch):
            batches.append(batch)
    limit = str(MAX_CELL_CHARS)
    for column, (rows, cut) in long_cells.items():
        batches.append(RejectBatch("counts", column, "cell_too_long", rows, cut, limit))
    return attrs.evolve(found, batches=tuple(batches))


def _with_units(units: Rejects | None, counted: FileRejects) -> FileRejects:
    """Put the counts' rejects after the units file's (files and lines kept)."""
    if units is None:
        return counted
    return FileRejects(
        (*units.batches, *counted.batches),
        {**units.read, **counted.read},
        sources={**getattr(units, "sources", {}), **counted.sources},
        extra=(*getattr(units, "extra", ()), *counted.extra),
        dashes={**units.dashes, **counted.dashes},
    )


def read_counts_rollup(
    path: PathLike,
    hierarchy: Hierarchy,
    *,
    mapping: FileMapping | PathLike | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    engine: Engine = "auto",
    sheet: Sheet | None = None,
    header_row: int | None = None,
    by: By | None = None,
    units_rejects: Rejects | None = None,
) -> tuple[Rollup, FileRejects]:
    r"""Return a counts file's rollup and its rejects named by the file's lines.

    As :func:`rollup_counts_file`, which puts these rejects in the rollup; the rollup
    returned here keeps those of :func:`~learnsoc.aggregate.rollup.rollup_counts`, by row
    of the columns read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from learnsoc.model.hierarchy import Hierarchy
    >>> tree = Hierarchy.from_units({"code": ["01", "00004"], "level": ["province", "commune"],
    ...     "parent_code": [None, "01"]}, levels=["province", "commune"])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = path.write_text("unit_code,families\n00004,120\n00009,80\n", encoding="utf-8")
    >>> roll, found = read_counts_rollup(path, tree)
    >>> [r.row for r in roll.rejects.records()], [r.line for r in found.records()]
    ([1], [3])
    """
    from learnsoc.aggregate.rollup import BLANK_COUNTS_IN_FILE, BlankCountsWarning, rollup_counts

    fmap = resolve_mapping(mapping)
    long_cells: dict[str, tuple[NDArray[np.int64], list[str]]] = {}
    counts, raw = read_counts(
        path,
        mapping=fmap,
        delimiter=delimiter,
        decimal=decimal,
        encoding=encoding,
        engine=engine,
        sheet=sheet,
        header_row=header_row,
        too_long=long_cells,
    )
    # Rejects name the file's headers (Tổng số gia đình), not the names they map onto.
    table = fmap.table("counts")
    worded = rollup_heading_ids(raw.header)  # a rollup workbook's words
    renamed = {worded.get(c) or table.schema_name(c): c for c in raw.header}
    source = Source(raw.file, raw.layout, columns={n: c for n, c in renamed.items() if n != c})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        roll = rollup_counts(
            counts, hierarchy, by=by, rates=indicator_checks(counts), date1904=raw.date1904
        )
    # The indicators' rates checked each row (a row of more learning families than
    # families is rejected with its line, not a report's error about its province); the
    # rollup holds the file's counts only.
    roll = attrs.evolve(roll, rate_definitions={})
    # Codes that lost their zeros are named as the file and its column (so_lieu.xlsx,
    # column Mã đơn vị), as households' are, not as "counts unit_code".
    named = {**getattr(units_rejects, "sources", {}), "counts": source}
    for item in caught:
        message = item.message
        if isinstance(message, BlankCountsWarning):
            # Named by the file and its own headers (Dòng họ), not learnsoc's (clans).
            headers = ", ".join(source.columns.get(c, c) for c in message.columns)
            msg = Message(BLANK_COUNTS_IN_FILE, file=raw.file, columns=headers)
            message = BlankCountsWarning(str(msg)).translatable(msg)
        # Counts per district (024) on a tree without districts: named by the file and its
        # header (Mã xã), not "counts unit_code".
        column = source.columns.get("unit_code", "unit_code")
        message = district_codes_in_file(message, raw.file, column) or message
        warnings.warn(in_file(message, named), stacklevel=3)
    # Columns no indicator reads (a misspelt measure, a results folder's title counts).
    unread = unknown_measures_warning(raw.file, roll.counts, source.columns)
    if unread is not None:
        warnings.warn(unread, stacklevel=3)
    long_cells.pop("unit_name", None)  # a unit's name is not read: a long one costs nothing
    found = _too_long_rejected(roll.rejects if roll.rejects is not None else Rejects(), long_cells)
    # Counts of a unit the units file refused are rejected_unit, as households' are.
    refused: Iterable[str] = getattr(units_rejects, "refused_units", ())
    counted = FileRejects.locate(found, {"counts": source}, rejected_units=refused)
    return roll, _with_units(units_rejects, counted)


def rollup_counts_file(
    path: PathLike,
    hierarchy: Hierarchy,
    *,
    mapping: FileMapping | PathLike | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    engine: Engine = "auto",
    sheet: Sheet | None = None,
    header_row: int | None = None,
    by: By | None = None,
    units_rejects: Rejects | None = None,
) -> Rollup:
    r"""Read a counts file (a commune's report) and roll it up the tree, as ``--counts`` does.

    :func:`~learnsoc.io.population.read_counts` and
    :func:`~learnsoc.aggregate.rollup.rollup_counts` in one call, whose rollup's rejects
    name the file, the line (a sheet's row) and the column as the file writes it
    (``so_lieu.xlsx, dòng 12, cột Tên thôn``), and count the totals rows and headings
    skipped among the rows read. Each row is checked as the standard indicators read it: a
    row of more learning families than families is rejected.

    Parameters
    ----------
    path : str or path
        The counts file (CSV, Excel, Parquet, Arrow).
    hierarchy : Hierarchy
        The tree, as :func:`~learnsoc.io.population.read_units` returns it.
    mapping : FileMapping or path, optional
        The mapping file: its ``[counts]`` table, delimiter, encoding and decimal mark.
    delimiter, decimal, encoding, engine, sheet, header_row
        As for :func:`~learnsoc.io.population.read_counts`.
    by : str, sequence of str or mapping, optional
        A breakdown, as for :func:`~learnsoc.aggregate.rollup.rollup_counts`.
    units_rejects : Rejects, optional
        The rejects :func:`~learnsoc.io.population.read_units` returned: the rollup's
        rejects hold them first, and a row naming a unit it refused is a
        ``rejected_unit`` reject.

    Returns
    -------
    Rollup
        The rollup, its ``rejects`` a :class:`~learnsoc.io.rejects.FileRejects`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import learnsoc as ls
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "don_vi.csv").write_text(
    ...     "Mã;Tên;Cấp;Mã cấp trên\n01;Hà Nội;Tỉnh;\n00004;Xã Minh Phú;Xã;01\n"
    ...     "00004001;Thôn Đông;Thôn;00004\n00004002;Thôn Đoài;Thôn;00004\n")
    >>> _ = (folder / "so_lieu.csv").write_text(
    ...     "Tên thôn;Số gia đình;Gia đình học tập\nThôn Đông;120;90\nThôn Bắc;80;60\n"
    ...     "Thôn Đoài;1.250;1.100\nTổng cộng;1.450;1.250\n", encoding="utf-8-sig")
    >>> _ = (folder / "mapping.toml").write_text(
    ...     '[mapping]\ndelimiter = ";"\ndecimal = ","\n[counts.columns]\n'
    ...     '"Tên thôn" = "unit_code"\n"Số gia đình" = "families"\n'
    ...     '"Gia đình học tập" = "learning_families"\n', encoding="utf-8")
    >>> tree, refused = ls.io.read_units(folder / "don_vi.csv", mapping=folder / "mapping.toml",
    ...                                  levels="vn-2025")
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the totals row skipped, the units by name
    ...     roll = ls.io.rollup_counts_file(folder / "so_lieu.csv", tree,
    ...         mapping=folder / "mapping.toml", units_rejects=refused)
    >>> print(roll.rejects.describe(locale="en"))
    unit: read 4, accepted 4, 0 rows rejected
    counts: read 4, accepted 2, 1 row rejected, 1 row skipped (totals, headings)
    >>> print(roll.rejects.records(locale="vi")[0].message)  # doctest: +ELLIPSIS
    /...so_lieu.csv, dòng 3, cột Tên thôn: đơn vị hành chính 'Thôn Bắc' không tồn tại
    >>> roll.unit("00004")["learning_families"]  # 90 + 1,100: Thôn Bắc is no village
    1190
    """
    roll, found = read_counts_rollup(
        path,
        hierarchy,
        mapping=mapping,
        delimiter=delimiter,
        decimal=decimal,
        encoding=encoding,
        engine=engine,
        sheet=sheet,
        header_row=header_row,
        by=by,
        units_rejects=units_rejects,
    )
    return attrs.evolve(roll, rejects=found)
