"""The rejects table: every input row learnsoc refused, and why.

Nothing is dropped silently. When a row breaks a rule (a duplicate id, an age of
300, a household that points at an unknown village ...) it is left out of the data
and recorded here, one entry per problem: the table, the 0-based row in the input,
the column, the offending value and a stable reason code. A row with two problems
has two entries but counts once as rejected, so for every table
``n_accepted + n_rejected == n_read``.

Reason codes are stable identifiers for scripts; :meth:`Rejects.records` turns them
into sentences in Vietnamese or English.

Examples
--------
>>> import numpy as np
>>> from learnsoc.rejects import RejectBatch, Rejects
>>> batch = RejectBatch("person", "age", "out_of_range", np.array([4]), np.array(["300"]), "0..120")
>>> rej = Rejects((batch,), read={"person": 10})
>>> rej.n_rejected("person"), rej.n_accepted("person")
(1, 9)
>>> print(rej.records(locale="en")[0].message)
person row 4 (counted from 0), column age: value '300' is out of range (expected 0..120)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Literal, Self, TypeVar

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._apostrophes import add_apostrophe_hint, apostrophe_hint
from learnsoc._arrays import readonly
from learnsoc._date_cells import number_of
from learnsoc._messages import Message
from learnsoc._phrases import Lazy
from learnsoc._reprs import count_words, level_list, repr_words
from learnsoc._row_arrays import first_rows, is_count, unique_rows
from learnsoc._texts import Texts
from learnsoc._translation import TABLE_LABELS, table_label
from learnsoc.errors import DataError
from learnsoc.i18n import N_, format_integer, get_locale, gettext, ngettext, normalize_locale
from learnsoc.limits import MAX_SHOWN_CHARS

__all__ = [
    "DECIMAL_COMMA_NUMBER",
    "REASONS",
    "REASON_LABELS",
    "TABLE_LABELS",
    "THOUSANDS_DOTS_NUMBER",
    "TOO_NARROW_COLUMN",
    "TRANSLATED_EXPECTED",
    "VALUE_WORDED_REASONS",
    "Chained",
    "CountedRejects",
    "Reject",
    "RejectBatch",
    "Rejects",
    "count_line",
    "expected_text",
    "raise_if_rejected",
    "reason_label",
    "reason_message",
    "rows_behind",
    "shown",
    "table_label",
]

#: Stable reason codes and their message templates (translated by the catalogs).
REASONS: Mapping[str, str] = {
    "missing_value": N_("a value is required"),
    "cell_too_long": N_("value {value!r} is too long (at most {expected} characters are read)"),
    "not_a_number": N_("value {value!r} is not a number"),
    "not_integer": N_("value {value!r} is not a whole number"),
    # 1.000 read with a decimal point (see learnsoc.model.schema.convert_column).
    "thousands_dot": N_(
        "value {value!r} has a dot before three digits, as Vietnamese files write "
        "thousands: if it is a number of thousands, read the file with a decimal comma "
        '(--decimal , or decimal = "," in the mapping file)'
    ),
    "not_a_date": N_("value {value!r} is not a date (expected {expected})"),
    # A number typed into a cell formatted as Date (learnsoc._date_cells): never read.
    "number_as_date": N_(
        "value {value!r} is how Excel shows the number {number} in a cell formatted as "
        "Date; {expected}"
    ),
    "out_of_range": N_("value {value!r} is out of range (expected {expected})"),
    "unknown_code": N_("value {value!r} is not a known code (expected {expected})"),
    "duplicate_id": N_("id {value!r} appears more than once"),
    "control_character": N_(
        "id {value!r} holds a control character (an invisible character such as NUL, a "
        "tab or a zero-width space inside it); delete it in the file"
    ),
    # An id of 12 digits or more (a CCCD) typed in a General cell: Excel keeps 15 digits
    # and a CSV export writes what the cell shows (learnsoc._excel_cells).
    "scientific_notation": N_(
        "id {value!r} is a long number Excel has shortened (scientific notation): its last "
        "digits are lost, and several ids may now read alike; format the column as Text "
        "before typing or pasting the ids, then save or export the file again"
    ),
    # A number cell of 16 digits or more in an id column of a workbook (learnsoc._excel_cells).
    "digits_lost": N_(
        "id {value!r} is a number of more than 15 digits in an Excel cell: Excel keeps only "
        "15, so the digits typed after the 15th were saved as 0 and several ids may now "
        "read alike; format the column as Text, type or paste the ids again, then save "
        "the file"
    ),
    # #N/A, #VALUE!, #REF! ... in a cell: a formula that failed (learnsoc._excel_cells).
    "excel_error": N_(
        "the cell holds the spreadsheet error {value!r}, not a value (a formula that "
        "failed, or a lookup that found nothing); correct the formula or type the value, "
        "then save or export the file again"
    ),
    "unknown_household": N_("household {value!r} does not exist"),
    "rejected_household": N_("household {value!r} was rejected"),
    "unknown_unit": N_("unit {value!r} does not exist"),
    # A household's village given by a name that several villages have (model.unit_names).
    "ambiguous_unit": N_(
        "unit {value!r} is no code, and several units of the units file have that name: "
        "{expected}; write the code of the unit meant"
    ),
    "wrong_level": N_("unit {value!r} is not at the expected level ({expected})"),
    "unknown_clan": N_("clan {value!r} does not exist"),
    "rejected_clan": N_("clan {value!r} was rejected"),
    "unknown_organisation": N_("organisation {value!r} does not exist"),
    "rejected_organisation": N_("organisation {value!r} was rejected"),
    "unknown_person": N_("person {value!r} does not exist"),
    "rejected_person": N_("person {value!r} was rejected"),
    "numerator_exceeds_denominator": N_(
        "value {value!r} is larger than its denominator {expected}"
    ),
    "part_exceeds_total": N_("value {value!r} is larger than its total {expected}"),
    # A row above the units of a learnsoc rollup read back as counts (aggregate.rolled).
    "sum_mismatch": N_(
        "value {value!r} does not agree with the rows of its units, which add up to "
        "{expected}: the row is not used (learnsoc adds them up itself); check the figures"
    ),
    # A rollup's row whose parent_code is not its unit's parent in the units file.
    "parent_mismatch": N_(
        "parent unit {value!r} is not the one the units file gives ({expected}): the rollup "
        "was added up with another tree (or edited), so neither this row nor the rows "
        "holding its figure are used; write the rollup again with this units file, or read "
        "it with the units file it was written with"
    ),
    "rejected_unit_row": N_(
        "the row of its unit {value!r} was rejected, so this row's own part (its figure "
        "less its units' rows) cannot be told: the row is not used; the accepted rows of its "
        "units still count, and the report says which totals lack its own part"
    ),
}

#: A ``not_a_number`` value that is a number written with a decimal comma (12,5), read
#: with the default decimal point: said with the option that reads it.
DECIMAL_COMMA_NUMBER = N_(
    "value {value!r} is not a number with a decimal point; if its comma is the decimal "
    'mark, read the file with a decimal comma (--decimal , on the command line, decimal="," '
    "in Python or in the mapping file)"
)

_DECIMAL_COMMA = re.compile(r"[+-]?(?:[0-9]+,[0-9]*|,[0-9]+)")

#: A ``not_integer`` or ``not_a_number`` value written as Vietnamese files write
#: thousands (``1.234``, ``1.234.567``), read with the default decimal point: said with
#: what the decimal comma does. The row stays rejected: 1.234 may be either.
THOUSANDS_DOTS_NUMBER = N_(
    "value {value!r} is not a whole number with a decimal point; if its dots separate "
    "thousands, as Vietnamese files write them (1.234 for 1234), read the file with a "
    'decimal comma (--decimal , on the command line, decimal="," in Python or in the '
    "mapping file): a dot before groups of three digits then separates thousands and a "
    "comma is the decimal mark"
)

_THOUSANDS_DOTS = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+")

#: An ``excel_error`` value that is the ``####`` a cell shows when its column is too
#: narrow (learnsoc._excel_cells): no formula failed, the file holds what the cell showed.
TOO_NARROW_COLUMN = N_(
    "the cell holds {value!r}, what a spreadsheet shows when the column is too narrow "
    "for the number or date in it: the file was saved as the cells showed, so the value "
    "is not in it; widen the column, then save or export the file again"
)

_TOO_NARROW = re.compile(r"#{2,}")

#: The reasons whose message depends on the value (see :func:`reason_message`).
VALUE_WORDED_REASONS = frozenset({"not_a_number", "not_integer", "excel_error"})


def reason_message(reason: str, value: str) -> str:
    """Return the message id said for a value refused for ``reason``.

    The reason's own (:data:`REASONS`); :data:`DECIMAL_COMMA_NUMBER` for a number
    written with a decimal comma where a decimal point was expected,
    :data:`THOUSANDS_DOTS_NUMBER` for a number whose dots may separate thousands
    (``1.234``, ``1.234.567``) and :data:`TOO_NARROW_COLUMN` for the ``####`` of a column
    too narrow for its value (the reason codes stay ``not_a_number``, ``not_integer`` and
    ``excel_error``, for scripts).

    Examples
    --------
    >>> reason_message("not_a_number", " 12,5") == DECIMAL_COMMA_NUMBER
    True
    >>> reason_message("not_a_number", "12,5,0") == REASONS["not_a_number"]
    True
    >>> reason_message("excel_error", "########") == TOO_NARROW_COLUMN
    True
    >>> [reason_message(r, v) == THOUSANDS_DOTS_NUMBER for r, v in [("not_integer", "1.234"),
    ...     ("not_a_number", "12.345.678"), ("not_integer", "1.5"), ("not_a_number", "1.2345")]]
    [True, True, False, False]
    """
    if reason == "not_a_number" and _DECIMAL_COMMA.fullmatch(value.strip()):
        return DECIMAL_COMMA_NUMBER
    if reason in ("not_a_number", "not_integer") and _THOUSANDS_DOTS.fullmatch(value.strip()):
        return THOUSANDS_DOTS_NUMBER
    if reason == "excel_error" and _TOO_NARROW.fullmatch(value.strip()):
        return TOO_NARROW_COLUMN
    return REASONS[reason]


#: The reasons whose ``expected`` is a hint in words, marked for translation (the date
#: forms read: "dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd"); others are values ("0..120").
TRANSLATED_EXPECTED = frozenset({"not_a_date", "number_as_date"})


def expected_text(batch: RejectBatch, locale: str | None = None) -> str:
    """Return what ``batch``'s messages say was expected, in the locale.

    Words are translated (:data:`TRANSLATED_EXPECTED`); the levels a unit may have are
    named as the locale names them (Vietnamese: ``cấp tỉnh, cấp xã``, the words a units
    file writes, not the ids). The batch keeps the ids, for scripts.

    Examples
    --------
    >>> batch = RejectBatch("unit", "level", "unknown_code", [1], ["xa"], "province, commune")
    >>> expected_text(batch, "vi"), expected_text(batch, "en")
    ('cấp tỉnh, cấp xã', 'province, commune')
    """
    if batch.reason in TRANSLATED_EXPECTED:
        return gettext(batch.expected, locale)
    if (batch.table, batch.column, batch.reason) == ("unit", "level", "unknown_code"):
        return level_list(((name, "") for name in batch.expected.split(", ")), locale)
    return batch.expected


#: A few words per reason, for counts by reason (translated by the catalogs). The rejects
#: file's ``reason`` column keeps the stable codes of :data:`REASONS`.
REASON_LABELS: Mapping[str, str] = {
    "missing_value": N_("missing value"),
    "cell_too_long": N_("value too long"),
    "not_a_number": N_("not a number"),
    "not_integer": N_("not a whole number"),
    "thousands_dot": N_("dot between thousands"),
    "not_a_date": N_("not a date"),
    "number_as_date": N_("number shown as a date"),
    "out_of_range": N_("value out of range"),
    "unknown_code": N_("unknown code"),
    "duplicate_id": N_("duplicate id"),
    "control_character": N_("control character in an id"),
    "scientific_notation": N_("id shortened by Excel"),
    "digits_lost": N_("id digits lost by Excel"),
    "excel_error": N_("spreadsheet error in the cell"),
    "unknown_household": N_("unknown household"),
    "rejected_household": N_("household rejected"),
    "unknown_unit": N_("unknown unit"),
    "ambiguous_unit": N_("unit name shared by several units"),
    "wrong_level": N_("unit at the wrong level"),
    "unknown_clan": N_("unknown clan"),
    "rejected_clan": N_("clan rejected"),
    "unknown_organisation": N_("unknown organisation"),
    "rejected_organisation": N_("organisation rejected"),
    "unknown_person": N_("unknown person"),
    "rejected_person": N_("person rejected"),
    "numerator_exceeds_denominator": N_("count larger than its total"),
    "part_exceeds_total": N_("part larger than its total"),
    "sum_mismatch": N_("row not agreeing with its units"),
    "parent_mismatch": N_("parent unit not that of the units file"),
    "rejected_unit_row": N_("row above a rejected unit's row"),
    "malformed_line": N_("wrong number of fields"),
    "short_line": N_("line short of a needed cell"),
    "unclosed_quote": N_("unclosed quote"),
    "repeated_header": N_("header line repeated"),
    "rejected_unit": N_("unit rejected"),
    "totals_row": N_("totals row"),
    "unsure_totals_row": N_("totals row that may be data"),
    "totals_mismatch": N_("totals row that does not add up"),
    "rollup_total_mismatch": N_("rollup's total row that does not add up"),
}


def reason_label(reason: str, locale: str | None = None) -> str:
    """Return a reason for people: in English its stable code, else a few translated words.

    English shows the code the rejects file's ``reason`` column holds (to filter that
    file by it); other languages show words, never an identifier.

    Examples
    --------
    >>> reason_label("out_of_range", "en"), reason_label("out_of_range", "vi")
    ('out_of_range', 'giá trị ngoài khoảng cho phép')
    """
    if normalize_locale(locale) == "en" or reason not in REASON_LABELS:
        return reason
    return gettext(REASON_LABELS[reason], locale)


#: The rows of Python sequences (``from_columns``, ``from_records``, ``rollup_counts``):
#: the index into the list or array, counted from 0, and said so, that "row 0" is not
#: taken for a file's line (a file's and a data frame's rows count from 1).
_ROW_PREFIX = N_("{table} row {row} (counted from 0), column {column}: {message}")

#: Records are made this many at a time when written or listed (see ``Rejects.records``).
RECORD_CHUNK = 65_536


def _row_numbers(values: Any) -> NDArray[np.int64]:
    return readonly(np.array(values, dtype=np.int64))


def shown(value: object) -> str:
    """Return a value as text cut to :data:`~learnsoc.limits.MAX_SHOWN_CHARS` characters.

    A cut value ends with an ellipsis, so it reads as cut and never as the whole value.

    Examples
    --------
    >>> shown("9" * 1000)[-3:], len(shown("9" * 1000))
    ('99…', 81)
    """
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "…"


def _texts(values: Any) -> Texts:
    if isinstance(values, Texts):
        return values
    arr = np.asarray(values)
    # Values are kept cut for display: a batch takes memory for what it shows, never for a
    # whole bad cell; and compact (see learnsoc._texts): a million rejects of a bad file
    # take megabytes, not the width of its longest value for each.
    if arr.dtype.kind in "OS":
        items = [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in arr.tolist()]
        cut = [shown(v) for v in items]
        arr = np.array(cut, dtype=str) if cut else np.zeros(0, "<U1")
    elif arr.dtype.kind != "U":
        arr = arr.astype(str)
    return Texts.of(arr, MAX_SHOWN_CHARS)


def _counts(read: Mapping[str, int]) -> dict[str, int]:
    return {str(k): int(v) for k, v in read.items()}


@attrs.frozen(eq=False)
class RejectBatch:
    """Rows of one table rejected for one reason on one column (a vectorized check's output).

    Parameters
    ----------
    table : str
        ``"person"``, ``"household"``, ``"clan"``, ``"organisation"``, ``"membership"``.
    column : str
        The column whose value broke the rule.
    reason : str
        A key of :data:`REASONS`.
    rows : array of int
        0-based input rows.
    values : array
        The offending values, one per row, as text; each is kept cut to
        :data:`~learnsoc.limits.MAX_SHOWN_CHARS` characters (see :func:`shown`).
    expected : str
        What would have been accepted (``"0..120"``, ``"1, 2"``), or ``""``.

    Examples
    --------
    >>> batch = RejectBatch("person", "age", "out_of_range", [4, 2], ["300", "-1"], "0..120")
    >>> len(batch), batch.rows.tolist()
    (2, [4, 2])
    """

    #: The reasons a batch may give (a subclass may allow more).
    allowed_reasons: ClassVar[Mapping[str, str]] = REASONS

    table: str
    column: str
    reason: str = attrs.field()
    rows: NDArray[np.int64] = attrs.field(converter=_row_numbers)
    # Held compactly (see learnsoc._texts); ``values`` gives them back as an array.
    _texts: Texts = attrs.field(converter=_texts, alias="values")
    expected: str = ""

    @reason.validator
    def _check_reason(self, attribute: attrs.Attribute[str], value: str) -> None:
        attrs.validators.in_(list(self.allowed_reasons))(self, attribute, value)

    def __attrs_post_init__(self) -> None:
        if self.rows.shape != self._texts.shape or self.rows.ndim != 1:
            msg = "rows and values must be 1-D arrays of the same length"
            raise ValueError(msg)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def values(self) -> NDArray[np.str_]:
        """The offending values, one per row, as a new ``<U`` array (built when asked for)."""
        return readonly(self._texts.array())

    @property
    def nbytes(self) -> int:
        """Bytes held by the rows and values (not the table, column and reason, held once).

        Examples
        --------
        >>> RejectBatch("person", "age", "out_of_range", [4, 6], ["300", "-1"]).nbytes
        23
        """
        return int(self.rows.nbytes) + self._texts.nbytes

    def subset(self, keep: NDArray[Any]) -> Self:
        """Return the batch cut to some rows (positions, or a boolean mask), values with them.

        Examples
        --------
        >>> b = RejectBatch("person", "age", "out_of_range", [4, 6], ["300", "-1"])
        >>> b.subset(np.array([False, True])).values.tolist()
        ['-1']
        """
        return attrs.evolve(self, rows=self.rows[keep], values=self._texts.take(keep))


@attrs.frozen
class Reject:
    """One rejected row and one reason, as a readable record.

    Attributes
    ----------
    table : str
        The table (``person``, ``household`` ... ``counts``).
    row : int
        The row, counted from 0: the index into the list or array it was given in
        (:meth:`Population.from_columns <learnsoc.Population.from_columns>`,
        :meth:`~learnsoc.Population.from_records`,
        :func:`~learnsoc.aggregate.rollup.rollup_counts`,
        :func:`~learnsoc.aggregate.stream.rollup_batches`); the message says
        ``row 4 (counted from 0)``. Read from a file or a data frame, the record is a
        :class:`~learnsoc.io.FileReject`, whose ``line`` counts from 1 as files do (row N
        of a frame is ``df.iloc[N - 1]``).
    column, value, reason, message : str
        The column, its value as given, the reason's code, and the sentence in the locale.

    Examples
    --------
    >>> batch = RejectBatch("person", "age", "out_of_range", [4], ["300"], "0..120")
    >>> reject = Rejects((batch,), read={"person": 10}).records("en")[0]
    >>> reject.row, reject.reason, reject.value
    (4, 'out_of_range', '300')
    >>> print(reject.message)
    person row 4 (counted from 0), column age: value '300' is out of range (expected 0..120)
    """

    table: str
    row: int
    column: str
    value: str
    reason: str
    message: str


def count_line(
    table: str,
    read: int,
    accepted: int,
    rejected: int,
    skipped: int,
    locale: str | None = None,
    *,
    dashes: int = 0,
) -> str:
    """Return one table's rows read, accepted, rejected (and skipped, if any) in a locale.

    ``dashes`` cells held a lone dash read as 0 (a counts file's "none"), said after.

    Examples
    --------
    >>> count_line("person", 9, 6, 1, 2, "en")
    'person: read 9, accepted 6, 1 row rejected, 2 rows skipped (totals, headings)'
    >>> count_line("counts", 3, 3, 0, 0, "vi", dashes=2)
    "số liệu tổng hợp: đọc 3, nhận 3, 0 dòng bị loại, 2 ô '-' được đọc là 0"
    """
    template = gettext(N_("{table}: read {read}, accepted {accepted}, {rejected}"), locale)
    rejected_text = ngettext("{n} row rejected", "{n} rows rejected", rejected, locale)
    line = template.format(
        table=table_label(table, locale),
        read=format_integer(read, locale),
        accepted=format_integer(accepted, locale),
        rejected=rejected_text.format(n=format_integer(rejected, locale)),
    )
    if skipped:
        # Totals rows and block headings: read, but neither accepted nor rejected.
        more = ngettext(
            "{n} row skipped (totals, headings)",
            "{n} rows skipped (totals, headings)",
            skipped,
            locale,
        )
        line += ", " + more.format(n=format_integer(skipped, locale))
    if dashes:
        # Read as 0, not refused: said with the rows, never silently.
        line += ", " + dashes_text(dashes, locale)
    return line


def dashes_text(dashes: int, locale: str | None = None) -> str:
    """Return how many cells of a counts file held a lone dash read as 0, in a locale.

    Examples
    --------
    >>> dashes_text(1, "en"), dashes_text(1200, "vi")
    ("1 cell '-' read as 0", "1.200 ô '-' được đọc là 0")
    """
    read_as = ngettext("{n} cell '-' read as 0", "{n} cells '-' read as 0", dashes, locale)
    return read_as.format(n=format_integer(dashes, locale))


@attrs.frozen(eq=False)
class Rejects:
    """All the rows rejected while reading some tables, with the count of rows read.

    Parameters
    ----------
    batches : tuple of RejectBatch
        The problems found.
    read : mapping of str to int
        Rows read per table.
    skipped : mapping of str to int
        Rows read per table that were skipped as no data (see :meth:`n_skipped`).
    dashes : mapping of str to int
        Cells per table that held a lone dash (``-``, ``–``, ``—``) read as 0: a counts
        file's "none" (:func:`~learnsoc.aggregate.rollup.rollup_counts`).

    Examples
    --------
    >>> batch = RejectBatch("person", "age", "out_of_range", [4], ["300"], "0..120")
    >>> rejects = Rejects((batch,), read={"person": 10})
    >>> rejects
    Rejects(1 problem; person: 10 read, 9 accepted, 1 rejected)
    >>> rejects.counts()  # read, accepted, rejected
    {'person': (10, 9, 1)}
    """

    batches: tuple[RejectBatch, ...] = ()
    read: Mapping[str, int] = attrs.field(factory=dict, converter=_counts)
    skipped: Mapping[str, int] = attrs.field(factory=dict, converter=_counts, kw_only=True)
    dashes: Mapping[str, int] = attrs.field(factory=dict, converter=_counts, kw_only=True)

    def __len__(self) -> int:
        """Return the number of problems (a row can have several)."""
        return sum(len(b) for b in self.batches)

    def __bool__(self) -> bool:
        return len(self) > 0

    def tables(self) -> list[str]:
        """Return the tables that were read, in reading order."""
        return list(self.read)

    def rows(self, table: str) -> NDArray[np.int64]:
        """Return the sorted, unique 0-based input rows of ``table`` that were rejected."""
        return unique_rows([b.rows for b in self.batches if b.table == table])

    def n_rejected(self, table: str) -> int:
        """Return how many rows of ``table`` were rejected (each row once)."""
        return len(self.rows(table))

    def n_rejected_rows(self) -> int:
        """Return how many rows were rejected, over every table read (each row once).

        Rows, not problems: a row with two bad cells is one rejected row.

        Examples
        --------
        >>> age = RejectBatch("person", "age", "out_of_range", [1, 3], ["300", "-1"])
        >>> sex = RejectBatch("person", "sex", "unknown_code", [3], ["9"])
        >>> home = RejectBatch("household", "unit_code", "unknown_unit", [0], ["99"])
        >>> Rejects((age, sex, home), read={"person": 5, "household": 2}).n_rejected_rows()
        3
        """
        return sum(self.n_rejected(table) for table in self.tables())

    def accepted_rows(self, table: str) -> NDArray[np.int64] | None:
        """Return the rows of ``table`` that were accepted, in order, or None if unknown.

        The rows read, less those rejected and those skipped; None when rows were
        skipped that these rejects do not name (they count them only).

        Examples
        --------
        >>> batch = RejectBatch("person", "age", "out_of_range", [1, 3], ["300", "-1"])
        >>> Rejects((batch,), read={"person": 5}).accepted_rows("person").tolist()
        [0, 2, 4]
        """
        if self.n_skipped(table):
            return None
        everyone = np.arange(self.n_read(table), dtype=np.int64)
        return everyone[~np.isin(everyone, self.rows(table))]

    def n_read(self, table: str) -> int:
        """Return how many rows of ``table`` were read."""
        return int(self.read.get(table, 0))

    def n_skipped(self, table: str) -> int:
        """Return how many rows of ``table`` were skipped as no data, neither accepted nor rejected.

        A file's totals rows and headings over blocks of rows (see
        :mod:`learnsoc.io.form_rows`); none for tables not read from files.

        Examples
        --------
        >>> Rejects(read={"person": 3}, skipped={"person": 1}).n_skipped("person")
        1
        """
        return int(self.skipped.get(table, 0))

    def n_accepted(self, table: str) -> int:
        """Return how many rows of ``table`` were accepted (read, less rejected and skipped)."""
        return self.n_read(table) - self.n_rejected(table) - self.n_skipped(table)

    def counts(self) -> dict[str, tuple[int, int, int]]:
        """Return ``{table: (read, accepted, rejected)}`` for every table read.

        ``read - accepted - rejected`` rows were skipped (:meth:`n_skipped`).

        Examples
        --------
        >>> Rejects(read={"person": 3}).counts()
        {'person': (3, 3, 0)}
        """
        return {t: (self.n_read(t), self.n_accepted(t), self.n_rejected(t)) for t in self.read}

    def merge(self, other: Rejects) -> Rejects:
        """Return the rejects of both, adding the rows read per table."""
        read = dict(self.read)
        for table, n in other.read.items():
            read[table] = read.get(table, 0) + n
        skipped = {t: self.n_skipped(t) + other.n_skipped(t) for t in read}
        skipped = {t: n for t, n in skipped.items() if n}
        dashes = {t: self.dashes.get(t, 0) + other.dashes.get(t, 0) for t in read}
        dashes = {t: n for t, n in dashes.items() if n}
        return Rejects(self.batches + other.batches, read, skipped=skipped, dashes=dashes)

    def records(self, locale: str | None = None) -> list[Reject]:
        """Return one :class:`Reject` per problem, ordered by table, row and column.

        The message is a sentence in the locale. Every record is made at once: for the
        rejects of a file with millions of rows, :meth:`record_chunks` makes them a chunk
        at a time.
        """
        return [r for chunk in self._record_chunks(locale) for r in chunk]

    def record_chunks(
        self, locale: str | None = None, size: int = RECORD_CHUNK
    ) -> Iterator[list[Reject]]:
        """Yield :meth:`records` ``size`` at a time, each chunk made only when its turn comes.

        The records of :meth:`records`, in its order, with a chunk's records made when
        it is asked for: memory for one chunk of records (a few hundred bytes each with
        its message), never for all. :func:`learnsoc.io.write_rejects` and
        :meth:`to_columns` read the rejects so. A subclass that overrides :meth:`records`
        alone is honoured: its list is cut into chunks (made at once, as it makes it).

        Parameters
        ----------
        locale : str, optional
            Language of the messages.
        size : int, default RECORD_CHUNK
            Records per chunk (65,536); the last chunk may be shorter.

        Examples
        --------
        >>> batch = RejectBatch("person", "age", "out_of_range", [4, 6, 2], ["300", "-1", "999"])
        >>> rej = Rejects((batch,), read={"person": 10})
        >>> [[r.row for r in chunk] for chunk in rej.record_chunks("en", size=2)]
        [[2, 4], [6]]
        """
        if size < 1:
            msg = f"size={size!r}; expected a whole number of 1 or more"
            raise ValueError(msg)
        if type(self).records is Rejects.records:
            yield from self._record_chunks(locale, size)
            return
        made = self.records(locale)
        for start in range(0, len(made), size):
            yield made[start : start + size]

    def _record_chunks(
        self, locale: str | None = None, size: int = RECORD_CHUNK
    ) -> Iterator[list[Reject]]:
        """Yield :meth:`records` ``size`` at a time, each built only when its turn comes.

        The batches hold their rows and values as arrays: a record object (a few hundred
        bytes with its message) is made for the records of one chunk at a time, so that
        writing the rejects of a bad file with millions of rows never holds them all.
        """
        batches = [b for b in self._batches() if len(b)]
        if not batches:
            return
        order = self._sorted_problems(batches)
        starts = np.zeros(len(batches) + 1, np.int64)
        np.cumsum([len(b) for b in batches], out=starts[1:])
        makers: dict[int, Callable[[NDArray[np.int64]], list[Reject]]] = {}
        for begin in range(0, len(order), size):
            where = order[begin : begin + size]
            which = np.searchsorted(starts, where, side="right") - 1
            # The chunk's problems batch by batch (each batch words its own), then in order.
            by_batch = np.argsort(which, kind="stable")
            cuts = np.flatnonzero(np.diff(which[by_batch])) + 1
            out: list[Any] = [None] * len(where)
            for part in np.split(by_batch, cuts):
                k = int(which[part[0]])
                if k not in makers:
                    makers[k] = self._record_maker(batches[k], locale)
                made = makers[k](where[part] - starts[k])
                for i, record in zip(part.tolist(), made, strict=True):
                    out[i] = record
            yield out

    def _n_records(self) -> int:
        """Return how many records :meth:`records` gives (one per problem)."""
        return sum(len(b) for b in self._batches())

    def _n_records_known(self) -> int | None:
        """Return :meth:`_n_records`, or None when a subclass makes its own records.

        What a writer's bar counts to, with no record made.
        """
        own = type(self).records is Rejects.records
        return (
            self._n_records() if own and type(self).record_chunks is Rejects.record_chunks else None
        )

    def _sorted_problems(self, batches: Sequence[RejectBatch]) -> NDArray[np.int64]:
        """Return the problems of ``batches`` (numbered end to end) by table, row and column.

        As a stable sort of the records on ``(table in reading order, row, column)``
        would give them, with no record built.
        """
        order = {t: i for i, t in enumerate(self.read)}
        columns = {c: i for i, c in enumerate(sorted({b.column for b in batches}))}
        sizes = [len(b) for b in batches]
        rows = np.concatenate([b.rows for b in batches])
        ranks = [order.get(b.table, len(order)) for b in batches]
        tables = np.repeat(np.array(ranks, np.int32), sizes)
        named = np.repeat(np.array([columns[b.column] for b in batches], np.int32), sizes)
        return np.lexsort((named, rows, tables)).astype(np.int64, copy=False)

    def _record_maker(
        self, batch: RejectBatch, locale: str | None
    ) -> Callable[[NDArray[np.int64]], list[Reject]]:
        """Return what makes the records of some of ``batch``'s problems (by position)."""
        template = gettext(REASONS[batch.reason], locale)
        hint = apostrophe_hint(batch.reason, locale)
        prefix = gettext(_ROW_PREFIX, locale)
        table = table_label(batch.table, locale)
        expected = expected_text(batch, locale)

        starts = batch._texts.starts()

        def make(at: NDArray[np.int64]) -> list[Reject]:
            out = []
            rows = batch.rows[at].tolist()
            for row, value in zip(rows, batch._texts.take(at, starts).tolist(), strict=True):
                number = number_of(value, batch.expected)
                said = template
                if batch.reason in VALUE_WORDED_REASONS:  # a decimal comma (12,5), a ####: said so
                    said = gettext(reason_message(batch.reason, value), locale)
                message = said.format(value=value, expected=expected, number=number)
                message = add_apostrophe_hint(message, value, hint)
                full = prefix.format(table=table, row=row, column=batch.column, message=message)
                out.append(Reject(batch.table, int(row), batch.column, value, batch.reason, full))
            return out

        return make

    def first(self, locale: str | None = None) -> Reject | None:
        """Return the first problem (by table, row, column), or None if there is none.

        Examples
        --------
        >>> print(Rejects(read={"person": 3}).first())
        None
        """
        # Only each batch's lowest row can come first: sentences for those alone, not for
        # every rejected row of a file that may have millions. Every field holding batches
        # is cut (a subclass may keep more than ``batches``), and the subclass's own
        # records() words the result.
        cut: dict[str, Any] = {
            a.name: tuple(_head(b) for b in value if len(b))
            for a in attrs.fields(type(self))
            if isinstance(value := getattr(self, a.name), tuple)
            and all(isinstance(b, RejectBatch) for b in value)
        }
        recs = attrs.evolve(self, **cut).records(locale)
        return recs[0] if recs else None

    #: The columns of :meth:`to_columns`, in order, each with its dtype.
    _column_types: ClassVar[tuple[tuple[str, type], ...]] = (
        ("table", str),
        ("row", np.int64),
        ("column", str),
        ("value", str),
        ("reason", str),
        ("message", str),
    )

    def to_columns(self, locale: str | None = None) -> dict[str, NDArray[Any]]:
        """Return the rejects as a dict of equal-length arrays (a table for any frame library).

        The arrays are built from :meth:`record_chunks`, a chunk of records at a time:
        the records are never all held. The arrays themselves hold every message, as
        numpy holds text, 4 bytes for each character of the longest (some 750 bytes a
        reject): that memory cannot be bounded while the arrays are returned whole. For
        the rejects of a file with millions of rows, :func:`learnsoc.io.write_rejects`
        writes them with memory for one chunk alone.

        Examples
        --------
        >>> sorted(Rejects().to_columns())
        ['column', 'message', 'reason', 'row', 'table', 'value']
        """
        return _columns_of(self.record_chunks(locale), self._column_types)

    def describe(self, locale: str | None = None) -> str:
        """Return one line per table: rows read, accepted and rejected, in the locale.

        Examples
        --------
        >>> print(Rejects(read={"person": 1200}).describe(locale="vi"))
        người: đọc 1.200, nhận 1.200, 0 dòng bị loại
        """
        return "\n".join(
            count_line(
                table,
                read,
                accepted,
                rejected,
                self.n_skipped(table),
                locale,
                dashes=self.dashes.get(table, 0),
            )
            for table, (read, accepted, rejected) in self.counts().items()
        )

    def to_pandas(self, locale: str | None = None) -> Any:
        """Return :meth:`to_columns` as a pandas DataFrame (extra ``pandas``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(locale), "pandas", "Rejects.to_pandas()")

    def to_polars(self, locale: str | None = None) -> Any:
        """Return :meth:`to_columns` as a polars DataFrame (extra ``polars``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(locale), "polars", "Rejects.to_polars()")

    def to_arrow(self, locale: str | None = None) -> Any:
        """Return :meth:`to_columns` as a pyarrow Table (extra ``parquet``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(locale), "arrow", "Rejects.to_arrow()")

    def reasons(self) -> list[tuple[str, str, str, int]]:
        """Return ``(table, column, reason, problems)`` per reason, most frequent first.

        Examples
        --------
        >>> batch = RejectBatch("person", "age", "out_of_range", [4, 6], ["300", "-1"], "0..120")
        >>> Rejects((batch,), read={"person": 10}).reasons()
        [('person', 'age', 'out_of_range', 2)]
        """
        tally: dict[tuple[str, str, str], int] = {}
        for b in self._batches():
            key = (b.table, b.column, b.reason)
            tally[key] = tally.get(key, 0) + len(b)
        return sorted(((*k, n) for k, n in tally.items()), key=lambda r: (-r[3], r[:3]))

    def _batches(self) -> tuple[RejectBatch, ...]:
        return self.batches

    def _head(self, n: int) -> Rejects:
        """Return these rejects cut to the ``n`` first rows of each batch.

        The first ``n`` records of the result are the first ``n`` of all: a display
        of a few problems never builds a record for each of a million.
        """
        return attrs.evolve(self, batches=tuple(first_rows(b, n) for b in self.batches))

    def __repr__(self) -> str:
        # Digits grouped as in Population's repr, which shows the same tables' rows; words
        # and digits in the default locale, tables by their ids in English.
        english = get_locale() == "en"
        parts = []
        for t, (r, a, j) in self.counts().items():
            table = t if english else table_label(t)
            part = repr_words("{table}: {read} read, {accepted} accepted, {rejected} rejected",
                        table=table, read=r, accepted=a, rejected=j)  # fmt: skip
            if self.n_skipped(t):
                part += repr_words(", {skipped} skipped", skipped=self.n_skipped(t))
            if self.dashes.get(t):
                # Cells of a counts file read as 0: said with its rows, as the CLI says them.
                part += ", " + dashes_text(self.dashes[t], get_locale())
            parts.append(part)
        problems = count_words("{n} problem", "{n} problems", len(self))
        return f"{type(self).__name__}({problems}; " + "; ".join(parts) + ")"

    def _repr_html_(self, max_rows: int = 10) -> str:
        """Rows read, accepted and rejected per table, the reasons, then the first problems."""
        return self.to_html(max_rows=max_rows)

    def to_html(self, locale: str | None = None, *, max_rows: int = 10) -> str:
        """Return the rows read, accepted and rejected, the reasons, the first problems.

        As HTML in the locale: per table, then the first ``max_rows`` problems. ``None``
        is the default locale (:func:`learnsoc.set_locale`), which a notebook's
        display uses.

        Examples
        --------
        >>> rej = Rejects((RejectBatch("person", "age", "out_of_range", [4], ["300"], "0..120"),),
        ...               read={"person": 1250})
        >>> "1.250" in rej.to_html("vi"), "bị loại" in rej.to_html("vi")
        (True, True)
        """
        from learnsoc.i18n import render_in

        return render_in(locale, lambda: self._html(max_rows))

    def _html(self, max_rows: int) -> str:
        from html import escape

        def n(x: int) -> str:
            return escape(format_integer(x))

        def t(msg: str) -> str:
            return escape(gettext(msg))

        # Skipped rows (totals, headings) get a column when there are any: read is then
        # accepted + rejected + skipped on every row of the table.
        skipping = any(self.n_skipped(k) for k in self.read)
        # So do a counts file's cells '-' read as 0: read, not refused, never silently.
        dashing = any(self.dashes.get(k) for k in self.read)
        counts = "".join(
            f"<tr><th style='text-align:left'>{escape(table_label(k))}</th>"
            + "".join(
                f"<td style='text-align:right'>{n(x)}</td>"
                for x in (
                    r,
                    a,
                    j,
                    *((self.n_skipped(k),) if skipping else ()),
                    *((self.dashes.get(k, 0),) if dashing else ()),
                )
            )
            + "</tr>"
            for k, (r, a, j) in self.counts().items()
        )
        names = (
            _TABLE,
            _READ,
            _ACCEPTED,
            _REJECTED,
            *((_SKIPPED,) if skipping else ()),
            *((_DASHES,) if dashing else ()),
        )
        heads = "".join(f"<th>{t(h)}</th>" for h in names)
        parts = [
            f"<table><caption>{t(_CAPTION)}</caption><thead><tr>{heads}</tr></thead>"
            f"<tbody>{counts}</tbody></table>"
        ]
        reasons = self.reasons()
        if reasons:
            heads = "".join(f"<th>{t(h)}</th>" for h in (_TABLE, _COLUMN, _REASON, _PROBLEMS))
            # As the console counts them: the column as the file's header writes it
            # (Ngày sinh, not birth_date), the reason in words in Vietnamese.
            sources = getattr(self, "sources", {})

            def column(table: str, name: str) -> str:
                src = sources.get(table)
                return str(src.column_name(name)) if src is not None and name else name

            body = "".join(
                f"<tr><td>{escape(table_label(k))}</td><td>{escape(column(k, c))}</td>"
                f"<td>{escape(reason_label(r))}</td><td style='text-align:right'>{n(x)}</td></tr>"
                for k, c, r, x in reasons
            )
            parts.append(f"<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>")
            records = self._head(max_rows).records()[:max_rows]
            items = "".join(f"<li>{escape(r.message)}</li>" for r in records)
            more = len(self) - max_rows
            tail = ""
            if more > 0:
                text = ngettext("{n} more problem", "{n} more problems", more)
                tail = f"<p>{escape(text.format(n=format_integer(more)))}</p>"
            parts.append(f"<ul>{items}</ul>{tail}")
        return "".join(parts)


_CAPTION = N_("Rows read, accepted, rejected")
_TABLE = N_("table")
_READ = N_("read")
_ACCEPTED = N_("accepted")
_REJECTED = N_("rejected")
#: Rows neither accepted nor rejected: totals rows and headings (see :meth:`Rejects.n_skipped`).
_SKIPPED = N_("skipped")
#: Cells of a counts file holding a lone dash, read as 0 (see :attr:`Rejects.dashes`).
_DASHES = N_("cells '-' read as 0")
_COLUMN = N_("column")
_REASON = N_("reason")
_PROBLEMS = N_("problems")


_Batch = TypeVar("_Batch", bound=RejectBatch)


def _head(batch: _Batch) -> _Batch:
    """Return a batch cut to its lowest row (the first of equal rows, as a stable sort keeps)."""
    i = int(np.argmin(batch.rows))
    return batch.subset(np.arange(i, i + 1))


@attrs.frozen(eq=False)
class CountedRejects(Rejects):
    """Rows read, rejected and skipped per table, kept as counts; the rows are in a file.

    What a partitioned dataset keeps of the rows rejected when it was built (see
    :attr:`learnsoc.io.Dataset.rejects`): :meth:`describe`, :meth:`counts` and
    :meth:`n_rejected` read as for the rejects of the files, and ``file`` names the
    table of the rejected rows (``None`` when none were).

    Parameters
    ----------
    read, skipped : mapping of str to int
        Rows read and skipped per table.
    rejected : mapping of str to int
        Rows rejected per table.
    file : str, optional
        The file that lists the rejected rows, with their files and lines.

    Examples
    --------
    >>> built = CountedRejects(read={"person": 7}, rejected={"person": 4}, file="rejects.csv")
    >>> print(built.describe("en"))
    person: read 7, accepted 3, 4 rows rejected
    >>> len(built), built.n_accepted("person")
    (4, 3)
    """

    rejected: Mapping[str, int] = attrs.field(factory=dict, converter=_counts, kw_only=True)
    file: str | None = attrs.field(default=None, kw_only=True)

    def __len__(self) -> int:
        """Return the number of rows rejected (each row once)."""
        return sum(self.rejected.values())

    def n_rejected(self, table: str) -> int:
        """Return how many rows of ``table`` were rejected."""
        return int(self.rejected.get(table, 0))

    def accepted_rows(self, table: str) -> NDArray[np.int64] | None:
        """Return None: the rows are in a file, these are counts."""
        return None

    def to_dict(self) -> dict[str, dict[str, int]]:
        """Return ``{table: {"read", "accepted", "rejected", "skipped"}}`` (for JSON).

        A table with cells of a counts file read as 0 (:attr:`Rejects.dashes`) has their
        number as ``"dashes"`` too.

        Examples
        --------
        >>> CountedRejects(read={"person": 3}, rejected={"person": 1}).to_dict()
        {'person': {'read': 3, 'accepted': 2, 'rejected': 1, 'skipped': 0}}
        >>> CountedRejects(read={"counts": 4}, dashes={"counts": 2}).to_dict()
        {'counts': {'read': 4, 'accepted': 4, 'rejected': 0, 'skipped': 0, 'dashes': 2}}
        """
        return {
            t: {
                "read": self.n_read(t),
                "accepted": self.n_accepted(t),
                "rejected": self.n_rejected(t),
                "skipped": self.n_skipped(t),
                **({"dashes": self.dashes[t]} if self.dashes.get(t) else {}),
            }
            for t in self.read
        }

    @classmethod
    def counted(cls, rejects: Rejects, file: str | None = None) -> CountedRejects:
        """Return the counts of ``rejects`` (each table's rows rejected, each row once)."""
        return cls.summed((rejects,), file)

    @classmethod
    def summed(cls, parts: Iterable[Rejects], file: str | None = None) -> CountedRejects:
        """Return the counts of several reads added up, table by table (in reading order).

        Each part counts as it counts itself (:meth:`Rejects.n_skipped` of the rejects of
        files counts their totals rows and headings), so accepted + rejected + skipped =
        read holds for the sum when it holds for each part.

        Examples
        --------
        >>> batch = RejectBatch("person", "age", "out_of_range", [4], ["300"])
        >>> a = Rejects((batch,), read={"person": 10}, skipped={"person": 1})
        >>> b = Rejects(read={"household": 2, "person": 5})
        >>> CountedRejects.summed([a, b]).counts()
        {'person': (15, 13, 1), 'household': (2, 2, 0)}
        """
        read: dict[str, int] = {}
        skipped: dict[str, int] = {}
        rejected: dict[str, int] = {}
        dashes: dict[str, int] = {}
        for part in parts:
            for table in part.read:
                read[table] = read.get(table, 0) + part.n_read(table)
                skipped[table] = skipped.get(table, 0) + part.n_skipped(table)
                rejected[table] = rejected.get(table, 0) + part.n_rejected(table)
                if part.dashes.get(table):
                    dashes[table] = dashes.get(table, 0) + part.dashes[table]
        return cls(read=read, skipped=skipped, rejected=rejected, file=file, dashes=dashes)

    @classmethod
    def from_dict(cls, tables: Mapping[str, Mapping[str, int]], file: str | None) -> CountedRejects:
        """Return the counts :meth:`to_dict` gave.

        Raises
        ------
        TypeError
            For counts that are not whole numbers of 0 or more, or whose rows read are not
            those accepted, rejected and skipped (a manifest edited by hand, or damaged).
            A missing count is a ``KeyError``.

        Examples
        --------
        >>> CountedRejects.from_dict({"person": {"read": 3, "accepted": 2, "rejected": 1,
        ...                                      "skipped": 0}}, None).n_rejected("person")
        1
        >>> CountedRejects.from_dict({"person": {"read": 3, "accepted": 3, "rejected": 1,
        ...                                      "skipped": 0}}, None)
        Traceback (most recent call last):
        ...
        TypeError: counts of 'person' that do not add up: {'read': 3, 'accepted': 3, ...}
        """
        for table, counts in tables.items():
            values = [counts[k] for k in ("read", "accepted", "rejected", "skipped")]
            if not all(is_count(v) for v in values) or values[0] != sum(values[1:]):
                msg = f"counts of {table!r} that do not add up: {dict(counts)!r}"
                raise TypeError(msg)
            if not is_count(counts.get("dashes", 0)):
                msg = f"counts of {table!r} whose cells read as 0 are no count: {dict(counts)!r}"
                raise TypeError(msg)
        return cls(
            read={t: c["read"] for t, c in tables.items()},
            skipped={t: c["skipped"] for t, c in tables.items()},
            rejected={t: c["rejected"] for t, c in tables.items()},
            dashes={t: c["dashes"] for t, c in tables.items() if c.get("dashes")},
            file=file,
        )


def rows_behind(rejects: Rejects | None) -> CountedRejects | None:
    """Return the rows read, accepted and rejected of ``rejects`` as counts, or None.

    What a results or progress table keeps of the rollup it was made from
    (:attr:`learnsoc.Rollup.rejects`): None when no table's rows were counted.

    Examples
    --------
    >>> batch = RejectBatch("person", "age", "out_of_range", [4], ["300"])
    >>> rows_behind(Rejects((batch,), read={"person": 10})).counts()
    {'person': (10, 9, 1)}
    >>> rows_behind(None) is None, rows_behind(Rejects()) is None
    (True, True)
    """
    if rejects is None or not len(rejects.read):
        return None
    if isinstance(rejects, CountedRejects):
        return rejects
    return CountedRejects.counted(rejects)


def first_message(rejects: Rejects, locale: str | None = None) -> str:
    """Return the sentence of the first problem (``""`` when there is none).

    What an error raised on the first problem shows: one record made, not one per problem.

    Examples
    --------
    >>> batch = RejectBatch("person", "age", "out_of_range", [4, 2], ["300", "-1"], "0..120")
    >>> first_message(Rejects((batch,), read={"person": 10}), "en")
    "person row 2 (counted from 0), column age: value '-1' is out of range (expected 0..120)"
    """
    first = rejects.first(locale)
    return "" if first is None else first.message


#: What a strict read raises, by what it read: the sentence for one problem, for several.
_STRICT_SENTENCES: Mapping[str, tuple[str, str]] = {
    "input": (
        N_("{n} problem in the input; first: {first}"),
        N_("{n} problems in the input; first: {first}"),
    ),
    "counts": (
        N_("{n} problem in the counts; first: {first}"),
        N_("{n} problems in the counts; first: {first}"),
    ),
}


def raise_if_rejected(rejects: Rejects, read: Literal["input", "counts"]) -> None:
    """Raise a :class:`~learnsoc.errors.DataError` if any row was rejected, as ``strict=`` asks.

    The message counts the problems and names the first, in the reader's language when it
    is shown. ``read`` says what was read: a population's tables, or counts per unit.

    Examples
    --------
    >>> raise_if_rejected(Rejects(read={"person": 3}), "input")  # nothing rejected
    >>> batch = RejectBatch("person", "age", "out_of_range", [4, 2], ["300", "-1"], "0..120")
    >>> raise_if_rejected(Rejects((batch,), read={"person": 10}), "input")
    Traceback (most recent call last):
    ...
    learnsoc.errors.DataError: 2 problems in the input; first: person row 2 (counted from 0), ...
    """
    if not rejects:
        return
    one, several = _STRICT_SENTENCES[read]
    first = Lazy(lambda locale: first_message(rejects, locale))
    msg = Message(one if len(rejects) == 1 else several, n=len(rejects), first=first)
    raise DataError(str(msg), rejects).translatable(msg)


def _columns_of(
    chunks: Iterable[Sequence[Reject]], columns: Sequence[tuple[str, type]]
) -> dict[str, NDArray[Any]]:
    """Return records as one array per column, built a chunk of records at a time.

    A chunk's texts are kept compactly (see :mod:`learnsoc._texts`: a byte or two a
    character, not 4 for each character of the longest) until the width of each column
    is known; then each column is made once at its width. So the memory is the arrays
    returned and the compact texts, never a record for each nor two copies of the arrays.

    Examples
    --------
    >>> a = [Reject("person", 4, "age", "300", "out_of_range", "m")]
    >>> b = [Reject("household", 12, "household_id", "H1", "duplicate_id", "long")]
    >>> cols = _columns_of([a, b], (("table", str), ("row", np.int64), ("message", str)))
    >>> cols["table"].tolist(), cols["row"].dtype, cols["message"].dtype
    (['person', 'household'], dtype('int64'), dtype('<U4'))
    """
    held: dict[str, list[Any]] = {name: [] for name, _ in columns}
    for chunk in chunks:
        for name, dtype in columns:
            made: NDArray[Any] = np.array([getattr(r, name) for r in chunk], dtype=dtype)
            held[name].append(Texts.of(made) if dtype is str else made)
    out: dict[str, NDArray[Any]] = {}
    for name, dtype in columns:
        parts = held.pop(name)
        if dtype is not str:
            out[name] = np.concatenate(parts) if parts else np.array([], dtype=dtype)
            continue
        # As wide as the longest value (at least 1), as np.array(values, dtype=str) is.
        width = max([int(p.lengths.max()) for p in parts if len(p)], default=1)
        column = np.empty(sum(len(p) for p in parts), f"<U{max(width, 1)}")
        at = 0
        for k, part in enumerate(parts):
            column[at : at + len(part)] = part.array()
            at += len(part)
            parts[k] = None  # let each chunk's texts go once copied
        out[name] = column
    return out


@attrs.frozen(eq=False)
class Chained(Rejects):
    """The rejects of several reads, one after the other, each row named as its read names it.

    What is written as one rejects file when several folders or files were read apart
    (``learnsoc dataset``); :meth:`records` are those of each part in turn.

    Examples
    --------
    >>> a = Rejects((RejectBatch("person", "age", "out_of_range", [4], ["300"]),), {"person": 9})
    >>> [r.row for r in Chained(parts=(a, a)).records()], len(Chained(parts=(a, a)))
    ([4, 4], 2)
    """

    parts: tuple[Rejects, ...] = ()

    def __len__(self) -> int:
        """Return the number of problems of every part."""
        return sum(len(p) for p in self.parts)

    def _n_records(self) -> int:
        return sum(p._n_records() for p in self.parts)

    def _record_chunks(
        self, locale: str | None = None, size: int = RECORD_CHUNK
    ) -> Iterator[list[Reject]]:
        for part in self.parts:
            yield from part.record_chunks(locale, size)


def concat(batches: Iterable[RejectBatch], read: Mapping[str, int]) -> Rejects:
    """Build a :class:`Rejects` from batches, leaving out empty ones."""
    return Rejects(tuple(b for b in batches if len(b)), read)
