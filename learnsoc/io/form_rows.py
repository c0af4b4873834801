"""Rows of a form's table that are no data: totals rows and headings over blocks of rows.

Agency spreadsheets keep, among their rows of data, rows for the people who read them:

- a **totals row** (``Tổng cộng``, ``Cộng``, ``Toàn xã``, ``Total``: see
  :func:`~learnsoc.io.table.is_totals_label`) with the sums of the rows above it;
- a **heading over a block** of rows (``Thôn Đông``, ``I. XÃ AN KHÁNH``, ``Xóm 3``:
  see :func:`~learnsoc.io.headers.block_heading`) alone on its row.

Read as data, the first would be counted twice in a counts file, the second would be a
rejected row. Both are *skipped*: set aside, never read as data, said with a
:class:`~learnsoc.io.headers.SheetWarning` that names the file and the line, and
counted, so that ``accepted + rejected + skipped = read``
(:meth:`learnsoc.rejects.Rejects.n_skipped`).

The rules are strict, so that no row of data is ever skipped. A totals row is skipped
only when its label is its first cell that is not empty, its id and code cells (the
table's key columns, else columns named as ids: ``Mã ...``, ``..._id``) are empty, and
every other cell is a total (a number, a percentage, a dash): see
:func:`~learnsoc.io.headers.totals_row_problem`. In a counts file its totals must
moreover be the sums of the rows above it, from the table's start or from the totals
row before it, in every count column where those rows are all whole numbers
(:func:`check_counts_totals`). A row marked by a totals label that breaks a rule is
*rejected* (``unsure_totals_row``, ``totals_mismatch``), never read as data nor skipped
unseen.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._headings import rollup_heading_ids
from learnsoc._messages import Message
from learnsoc._phrases import Joined, Phrase
from learnsoc.i18n import N_
from learnsoc.io.convert import blank_cells, cell_text, cell_texts, without_rows
from learnsoc.io.headers import (
    HEADING_COLUMNS,
    SheetWarning,
    TableHeader,
    block_heading,
    is_block_number,
    is_id_header,
    plain_name,
    totals_row_problem,
)
from learnsoc.io.table import TOTALS_LABELS, TOTALS_PREFIXES, Layout, RawTable, is_totals_label
from learnsoc.rejects import shown

__all__ = ["check_counts_totals", "mark_totals_rows", "say_skipped", "set_aside_form_rows"]

#: Rows named one by one in a warning; more are counted.
_NAMED_ROWS = 8


def _key_columns(header: Sequence[str], find: TableHeader | None) -> list[int]:
    """Return the 0-based columns of a table's ids and codes."""
    keys = [
        i
        for i, h in enumerate(header)
        if (find is not None and find.rename(plain_name(h)) in find.columns) or is_id_header(h)
    ]
    return keys


def set_aside_form_rows(raw: RawTable, find: TableHeader | None = None) -> RawTable:
    """Skip a table's totals rows and block headings that the strict rules allow.

    Totals rows the reader set aside (``layout.totals``) become skipped when
    :func:`~learnsoc.io.headers.totals_row_problem` finds nothing against them, and
    stay rejects (``unsure_totals_row``) otherwise; block headings among the rows read
    as text (CSV files; a workbook's reader finds its own) are taken out and skipped.
    Nothing is said yet: see :func:`say_skipped`.

    Examples
    --------
    >>> import numpy as np
    >>> raw = RawTable("c.csv", ("Mã", "Tên", "Số hộ"),
    ...     [{"Mã": np.array(["", "001"]), "Tên": np.array(["Thôn Đông", "An"]),
    ...       "Số hộ": np.array(["", "12"])}],
    ...     Layout(3, malformed=[2], malformed_fields=[3], n_fields=3, totals=[2],
    ...            totals_text=["Tổng cộng"], totals_cells=[("", "Tổng cộng", "12")]))
    >>> lay = set_aside_form_rows(raw).layout
    >>> lay.skipped.tolist(), lay.skipped_kind, lay.kept.tolist()
    ([0, 2], ('heading', 'totals'), [1])
    """
    layout = raw.layout
    keys = _key_columns(raw.header, find)
    # Headings among the rows handed on (CSV): found on the cells read.
    heads: list[tuple[int, str]] = []  # (record, text)
    if not callable(raw.batches) and len(raw.header) >= 2:
        batches = list(raw.iter_batches())
        raw.batches = batches
        rows = _heading_rows(raw.header, batches)
        if rows:
            records = layout.kept[[r for r, _ in rows]]
            heads = [(int(rec), text) for rec, (_, text) in zip(records, rows, strict=True)]
            gone = np.zeros(layout.n_rows, bool)
            gone[[r for r, _ in rows]] = True
            raw = without_rows(raw, gone)
    # Totals rows: skipped, or rejected with what may make them data.
    old_cells = layout.skipped_cells or ((),) * len(layout.skipped)
    skipped = [
        (int(r), k, t, c)
        for r, k, t, c in zip(
            layout.skipped.tolist(),
            layout.skipped_kind,
            layout.skipped_text,
            old_cells,
            strict=True,
        )
    ]
    skipped += [(rec, "heading", text, ()) for rec, text in heads]
    totals: list[int] = []
    texts: list[str] = []
    cells: list[tuple[str, ...]] = []
    why: list[tuple[str, ...]] = []
    known = len(layout.totals_cells) == len(layout.totals)
    statuses = _rate_statuses(raw.header)
    for k, record in enumerate(layout.totals.tolist()):
        label = layout.totals_text[k]
        row = layout.totals_cells[k] if known else None
        # A rate's status (ok, empty) in learnsoc's own rollup is no text among figures.
        looked = (
            None if row is None else [c if i not in statuses else "" for i, c in enumerate(row)]
        )
        problem = None if looked is None else totals_row_problem(looked, label, keys)
        if row is not None and problem is None:
            skipped.append((int(record), "totals", label, row))
            continue
        totals.append(int(record))
        texts.append(label)
        cells.append(row or ())
        if problem is not None:
            col, cell = problem
            name = raw.header[col] if col < len(raw.header) else ""
            why.append(("unsure_totals_row", name, cell, label))
        else:
            why.append(("totals_row", "", label, ""))
    skipped.sort()
    malformed = np.union1d(layout.malformed, [s[0] for s in skipped]).astype(np.int64)
    fields = _fields_of(layout, malformed)
    raw.layout = attrs.evolve(
        raw.layout,
        malformed=malformed,
        malformed_fields=fields,
        totals=totals,
        totals_text=texts,
        totals_cells=cells,
        totals_why=why,
        skipped=[s[0] for s in skipped],
        skipped_kind=[s[1] for s in skipped],
        skipped_text=[s[2] for s in skipped],
        skipped_cells=[s[3] for s in skipped],
    )
    return raw


def _rate_statuses(header: Sequence[str]) -> set[int]:
    """Return the columns of a learnsoc rollup's rate statuses (``share_status``), if any.

    A rollup (``level`` and ``code`` beside its counts) writes each rate's status
    (``ok``, ``empty``, ``missing``) beside its value, also on its total row; a workbook
    in Vietnamese heads both in words (see :func:`~learnsoc._headings.rollup_heading_ids`).

    Examples
    --------
    >>> sorted(_rate_statuses(["level", "code", "families", "share", "share_status"]))
    [4]
    >>> _rate_statuses(["unit_code", "share", "share_status"])
    set()
    """
    worded = rollup_heading_ids(header)
    names = [worded.get(h, h) for h in header]
    if "level" not in names or "code" not in names:
        return set()
    given = set(names)
    return {
        i
        for i, name in enumerate(names)
        if name is None or (name.endswith("_status") and name.removesuffix("_status") in given)
    }


#: How a totals label's cell begins, after spaces: the first two characters of a label, in
#: either normal form (any case). A cell that begins otherwise (an id ``T0001``, a name
#: ``Trần``) is no label, and only the others are looked at closely.
_LABEL_STARTS = sorted(
    {
        unicodedata.normalize(form, word)[:2]
        for word in (*TOTALS_LABELS, *TOTALS_PREFIXES)
        for form in ("NFC", "NFD")
    }
)
_LABEL_START = re.compile(r"\s*(?:" + "|".join(map(re.escape, _LABEL_STARTS)) + ")", re.I)
#: The same, as an Arrow (RE2) pattern.
_LABEL_START_RE2 = r"(?i)^\s*(?:" + "|".join(map(re.escape, _LABEL_STARTS)) + ")"
#: Code points a label's cell may begin with: a space (or a control below it), t, c, g.
_FIRST = np.array([ord(c) for c in "tcg"], np.uint32)


def mark_totals_rows(raw: RawTable) -> RawTable:
    """Set aside the rows handed on that hold a totals label, as the file readers do.

    The CSV and Excel readers set aside each record with a cell that is a totals label
    (:func:`~learnsoc.io.table.is_totals_label`, its leftmost) as they read; a table
    whose rows came otherwise (a data frame: ``pd.read_excel`` of the same sheet) has
    them marked here, so that :func:`set_aside_form_rows` skips or rejects them alike.

    Examples
    --------
    >>> raw = RawTable("persons", ("id", "n"), [{"id": np.array(["1", "Tổng cộng: 2"]),
    ...     "n": np.array([4.0, 4.0])}], Layout(2, first_line=1, n_fields=2))
    >>> lay = mark_totals_rows(raw).layout
    >>> lay.totals.tolist(), lay.totals_text, lay.totals_cells, lay.kept.tolist()
    ([1], ('Tổng cộng: 2',), (('Tổng cộng: 2', '4.0'),), [0])
    """
    if callable(raw.batches):
        return raw
    batches = list(raw.iter_batches())
    raw.batches = batches
    labels: dict[int, str] = {}  # row handed on: its leftmost label
    cells: dict[int, tuple[str, ...]] = {}
    offset = 0
    for batch in batches:
        n = len(next(iter(batch.values()))) if batch else 0
        found: dict[int, str] = {}
        for name in raw.header:
            if name in batch:
                for row, label in _label_cells(batch[name]):
                    found.setdefault(row, label)
        for row, label in found.items():
            labels[offset + row] = label
            cells[offset + row] = tuple(
                cell_text(batch[h], row) if h in batch else "" for h in raw.header
            )
        offset += n
    if not labels:
        return raw
    layout = raw.layout
    rows = np.array(sorted(labels), np.int64)
    records = layout.kept[rows]
    gone = np.zeros(layout.n_rows, bool)
    gone[rows] = True
    raw = without_rows(raw, gone)
    malformed = np.union1d(layout.malformed, records).astype(np.int64)
    order = np.argsort(np.concatenate([layout.totals, records]), kind="stable")

    def merged(old: Sequence[Any], new: Sequence[Any]) -> list[Any]:
        both = [*old, *new]
        return [both[i] for i in order]

    raw.layout = attrs.evolve(
        layout,
        malformed=malformed,
        malformed_fields=_fields_of(layout, malformed),
        totals=merged(layout.totals.tolist(), records.tolist()),
        totals_text=merged(layout.totals_text, [labels[r] for r in rows.tolist()]),
        totals_cells=merged(layout.totals_cells, [cells[r] for r in rows.tolist()]),
    )
    return raw


def _label_cells(column: Any) -> list[tuple[int, str]]:
    """Return (row, label trimmed) of each cell of a column that is a totals label."""
    candidates: list[tuple[int, Any]] = []
    if type(column).__module__.startswith("pyarrow"):  # an Arrow array or chunked array
        import pyarrow as pa
        import pyarrow.compute as pc

        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            return []
        if pa.types.is_dictionary(column.type):
            column = pc.cast(column, kind)
        hit = pc.fill_null(pc.match_substring_regex(column, _LABEL_START_RE2), False)
        rows = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), bool))
        candidates = [(int(r), column[int(r)].as_py()) for r in rows.tolist()]
    else:
        arr = np.asarray(column)
        if arr.dtype.kind == "U" and len(arr) and arr.itemsize:
            points = arr.view(np.uint32).reshape(len(arr), arr.itemsize // 4)
            first = points[:, 0]
            maybe = np.flatnonzero(np.isin(first | 0x20, _FIRST) | ((first <= 32) & (first > 0)))
            candidates = [(int(r), str(arr[r])) for r in maybe.tolist()]
        elif arr.dtype.kind == "O":
            candidates = [(i, v) for i, v in enumerate(arr.tolist()) if isinstance(v, str)]
    seen: dict[str, bool] = {}
    out = []
    for row, value in candidates:
        if not isinstance(value, str) or not _LABEL_START.match(value):
            continue
        if value not in seen:
            seen[value] = is_totals_label(value)
        if seen[value]:
            out.append((row, value.strip()))
    return out


def _fields_of(layout: Layout, malformed: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return the number of fields of each malformed record (the header's for new ones)."""
    fields = np.full(len(malformed), layout.n_fields, np.int64)
    at = np.searchsorted(malformed, layout.malformed)
    fields[at] = layout.malformed_fields
    return fields


def _heading_rows(header: Sequence[str], batches: list[Mapping[str, Any]]) -> list[tuple[int, str]]:
    """Return (row handed on, text) of each block heading among the batches' rows."""
    out: list[tuple[int, str]] = []
    offset = 0
    for batch in batches:
        names = [h for h in header if h in batch]
        n = len(batch[names[0]]) if names else 0
        # Rows whose later columns are all blank, narrowed column by column (a row of data
        # leaves the candidates at its first cell that is not blank): one pass over the
        # first such column, then over the few rows left.
        maybe = np.arange(n, dtype=np.int64)
        for name in names[HEADING_COLUMNS:]:
            if not len(maybe):
                break
            maybe = maybe[blank_cells(batch[name], maybe if len(maybe) < n else None)]
        if len(maybe):
            cells = np.array([~blank_cells(batch[name], maybe) for name in names[:HEADING_COLUMNS]])
            filled = cells.sum(0)
            keep = filled == 1  # a heading alone ...
            two = np.flatnonzero(filled == 2)
            if len(two):
                # ... or its block's number (II, A) and it: the first of two cells must be
                # one (in a two-column table, every row has two).
                first = np.argmax(cells[:, two], axis=0)
                for j, name in enumerate(names[:HEADING_COLUMNS]):
                    at = two[first == j]
                    if len(at):
                        numbered = [is_block_number(t) for t in cell_texts(batch[name], maybe[at])]
                        keep[at[np.array(numbered, bool)]] = True
            maybe = maybe[keep]
        if len(maybe):
            # Rows of one or two cells in the first columns: looked at alone, their cells
            # taken a column at a time (a two-column table's every row is one).
            blank = [""] * len(maybe)
            texts = [cell_texts(batch[h], maybe) if h in batch else blank for h in header]
            for k, row in enumerate(maybe.tolist()):
                text = block_heading([column[k] for column in texts])
                if text is not None:
                    out.append((offset + row, text))
        offset += n
    return out


# A whole number as a count cell writes it once read (see read_counts): digits, a sign.
_WHOLE = re.compile(r"[+-]?\d+")


def check_counts_totals(
    raw: RawTable,
    columns: Mapping[str, NDArray[np.str_]],
    file_columns: Mapping[str, str],
    number: Callable[[str], str],
    reason: str = "totals_mismatch",
) -> RawTable:
    """Reject a counts file's skipped totals rows whose figures are not the sums above them.

    For each skipped totals row and each count column, the row's cell (read with
    ``number``, as the counts are) must be the sum of the rows handed on above it, from
    the table's start or from the totals row before it (a block's subtotal), when those
    rows are all whole numbers and the cell is one; a column where they are not is not
    checked. A row that fails becomes a ``reason`` reject (``totals_mismatch``; a
    rollup's total row, checked against its top level's rows, ``rollup_total_mismatch``).

    Parameters
    ----------
    raw : RawTable
        The counts file as read (after :func:`set_aside_form_rows`).
    columns : mapping of str to array of str
        The count columns read (schema names), one cell per row handed on.
    file_columns : mapping of str to str
        For each of them, its name in the file's header.
    number : callable
        A cell as the counts read it (``"1.234"`` -> ``"1234"`` with a decimal comma).
    reason : str
        The reason of a row that fails, whose message says which rows it should add up.

    Examples
    --------
    >>> import numpy as np
    >>> lay = Layout(3, malformed=[2], malformed_fields=[2], n_fields=2, skipped=[2],
    ...              skipped_kind=["totals"], skipped_text=["Cộng"],
    ...              skipped_cells=[("Cộng", "13")])
    >>> raw = RawTable("c.csv", ("Tên", "Số hộ"), [], lay)
    >>> got = check_counts_totals(raw, {"families": np.array(["5", "7"])},
    ...                           {"families": "Số hộ"}, str)
    >>> got.layout.skipped.tolist(), got.layout.totals_why
    ([], (('totals_mismatch', 'Số hộ', '13', '12'),))
    """
    layout = raw.layout
    sums = [k for k, kind in enumerate(layout.skipped_kind) if kind == "totals"]
    cells = dict(zip(layout.skipped.tolist(), layout.skipped_cells, strict=False))
    if not sums or not cells:
        return raw
    kept = layout.kept
    position = {h: i for i, h in enumerate(raw.header)}
    wholes: dict[str, NDArray[np.int64] | None] = {}
    for name, values in columns.items():
        read = [number(v).strip() for v in values.tolist()]
        every_whole = all(_WHOLE.fullmatch(v) for v in read)
        wholes[name] = np.array([int(v) for v in read], np.int64) if every_whole else None
    bad: list[tuple[int, str, str, str]] = []  # (record, file column, cell, sum)
    previous = -1
    for k in sums:
        record = int(layout.skipped[k])
        row = cells.get(record)
        above = np.flatnonzero(kept < record)
        since = np.flatnonzero((kept < record) & (kept > previous))
        previous = record
        if row is None:
            continue
        for name, counts in wholes.items():
            col = position.get(file_columns.get(name, name))
            if counts is None or col is None or col >= len(row):
                continue
            cell = number(row[col]).strip()
            if not _WHOLE.fullmatch(cell):
                continue
            total = int(cell)
            every, block = int(counts[above].sum()), int(counts[since].sum())
            if total not in (every, block):
                bad.append((record, raw.header[col], row[col].strip(), str(block)))
                break
    if not bad:
        return raw
    wrong = {r for r, _, _, _ in bad}
    keep = [k for k in range(len(layout.skipped)) if int(layout.skipped[k]) not in wrong]
    order = np.argsort([*layout.totals.tolist(), *[r for r, _, _, _ in bad]], kind="stable")

    def merged(old: Sequence[Any], new: Sequence[Any]) -> list[Any]:
        both = [*old, *new]
        return [both[i] for i in order]

    raw.layout = attrs.evolve(
        layout,
        skipped=layout.skipped[keep],
        skipped_kind=[layout.skipped_kind[k] for k in keep],
        skipped_text=[layout.skipped_text[k] for k in keep],
        skipped_cells=[c for k, c in enumerate(layout.skipped_cells) if k in keep],
        totals=merged(layout.totals.tolist(), [r for r, _, _, _ in bad]),
        totals_text=merged(layout.totals_text, [_label_of(layout, r) for r, _, _, _ in bad]),
        totals_cells=merged(layout.totals_cells, [cells[r] for r, _, _, _ in bad]),
        totals_why=merged(layout.totals_why, [(reason, c, v, s) for _, c, v, s in bad]),
    )
    return raw


def _label_of(layout: Layout, record: int) -> str:
    """Return the text a skipped record was marked by."""
    at = int(np.flatnonzero(layout.skipped == record)[0])
    return layout.skipped_text[at]


_KINDS: Mapping[str, str] = {
    "totals": N_(
        "{file}: totals rows are not data and were skipped (learnsoc adds up the rows "
        "itself): {rows}"
    ),
    "heading": N_("{file}: headings over blocks of rows are not data and were skipped: {rows}"),
}
_LINE = N_("line {line} ({text!r})")
_ROW = N_("row {line} ({text!r})")
_MORE = N_("and {n} more")


def say_skipped(raw: RawTable, *, workbook: bool = False, stacklevel: int = 3) -> None:
    """Warn about the rows of a table that were skipped, one warning per kind of row.

    ``workbook``: rows are then "row N", else "line N".

    Examples
    --------
    >>> import warnings
    >>> lay = Layout(4, malformed=[3], malformed_fields=[2], n_fields=2, skipped=[3],
    ...              skipped_kind=["totals"], skipped_text=["Tổng cộng"])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     say_skipped(RawTable("c.csv", ("Tên", "Số hộ"), [], lay))
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    c.csv: totals rows are not data and were skipped (learnsoc adds up the rows itself):
    line 5 ('Tổng cộng')
    """
    layout = raw.layout
    if not len(layout.skipped):
        return
    lines = layout.line_of(layout.skipped).tolist()
    for kind, template in _KINDS.items():
        found = [
            (line, text)
            for line, k, text in zip(lines, layout.skipped_kind, layout.skipped_text, strict=True)
            if k == kind
        ]
        if not found:
            continue
        item = _ROW if workbook else _LINE
        parts: list[str | Phrase] = [
            Phrase(Message(item, line=line, text=shown(text))) for line, text in found[:_NAMED_ROWS]
        ]
        if len(found) > _NAMED_ROWS:
            parts.append(Phrase(Message(_MORE, n=len(found) - _NAMED_ROWS)))
        rows = Joined(parts, ", ")
        msg = Message(template, file=raw.file, rows=rows)
        warning = SheetWarning(msg, file=raw.file, sheet="", row=found[0][0])
        warnings.warn(warning, stacklevel=stacklevel)
