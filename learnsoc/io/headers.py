"""How a table's header row is recognised, in a sheet or a CSV file, and the warning given.

:class:`TableHeader` names a table's key columns (after a mapping's renames); a reader that
finds them below the first line that is not empty (a title above the header) or on another
sheet than the first says so with a :class:`SheetWarning`. Shared by
:mod:`learnsoc.io.excel` (which re-exports them) and :mod:`learnsoc.io.csv`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence

import attrs

from learnsoc._messages import Message
from learnsoc.errors import LearnsocWarning
from learnsoc.io.table import is_totals_label
from learnsoc.model.unit_kinds import KIND_WORDS

__all__ = [
    "FOOTER_MARKERS",
    "GROUP_SEPARATOR",
    "HEADING_COLUMNS",
    "HEADING_WORDS",
    "SHEET_SEARCH_ROWS",
    "KeyedHeader",
    "SheetWarning",
    "TableHeader",
    "block_heading",
    "grouped_names",
    "is_block_number",
    "is_column_numbers",
    "is_footer_row",
    "is_footer_start",
    "is_id_header",
    "plain_name",
    "totals_row_problem",
    "two_row_header",
]

#: How many rows of a sheet (those that are not empty, from the top) are searched for a
#: table's column names (see :class:`TableHeader`): room for a national-emblem block, a
#: title, a date and blank lines above the header.
SHEET_SEARCH_ROWS = 30


def plain_name(cell: str) -> str:
    """Return a header cell as a header name: NFC, one space between words (as read).

    Examples
    --------
    >>> plain_name("  Mã\u00a0 ho\u0323  ")  # a no-break space, a combining dot below
    'Mã họ'
    """
    return " ".join(unicodedata.normalize("NFC", cell).split())


def _names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(names)


@attrs.frozen
class TableHeader:
    """The column names that mark a table's header row: how the sheet holding it is found.

    A row is the table's header when its cells, renamed by ``rename``, include every one
    of ``columns``. Given one, :func:`read_excel` reads, when no sheet is named, the first
    sheet if its header row is the table's, else the only sheet with such a row among its
    first :data:`SHEET_SEARCH_ROWS` rows that are not empty (with a
    :class:`SheetWarning`); in the sheet it reads, that row is the header when the first
    row that is not empty is not (a title above the header).

    Parameters
    ----------
    columns : tuple of str
        The names the header must hold, all of them (``("person_id", "household_id")``).
    rename : callable, optional
        A header cell's name as matched, such as a mapping file's renames (``"Mã NK"`` ->
        ``"person_id"``); by default the cell itself, spaces trimmed.

    Examples
    --------
    >>> persons = TableHeader(("person_id", "household_id"),
    ...                       lambda cell: {"Mã NK": "person_id"}.get(cell, cell))
    >>> persons.matches(["STT", "Mã NK", "household_id"]), persons.matches(["Mã NK"])
    (True, False)
    """

    columns: tuple[str, ...] = attrs.field(converter=_names)
    rename: Callable[[str], str] = attrs.field(default=str, eq=False)

    def matches(self, cells: Iterable[str]) -> bool:
        """Return whether a row of cells holds every one of the columns."""
        names = {self.rename(plain_name(c)) for c in cells}
        return all(c in names for c in self.columns)

    def named(self, cells: Iterable[str]) -> list[str]:
        """Return the cells that give the columns, as the row writes them."""
        by_name: dict[str, str] = {}
        for cell in cells:
            by_name.setdefault(self.rename(plain_name(cell)), plain_name(cell))
        return [by_name[c] for c in self.columns if c in by_name]


@attrs.frozen
class KeyedHeader(TableHeader):
    """A header that holds its key column and at least one of some other columns.

    For files whose columns are not all known ahead: an evaluators' inputs file holds its
    key (``Mã xã``, renamed to ``columns``' one name) and some of the rulebook's inputs.
    A title above it (``Mã số biểu: 01`` alone on its row) is not taken for it.

    Examples
    --------
    >>> find = KeyedHeader(("Mã",), lambda c: "Mã" if c.startswith("Mã") else c,
    ...                    others=frozenset({"c1_plan"}))
    >>> find.matches(["STT", "Mã xã", "c1_plan"]), find.matches(["Mã số biểu: 01"])
    (True, False)
    """

    others: frozenset[str] = frozenset()

    def matches(self, cells: Iterable[str]) -> bool:
        """Return whether a row of cells holds the key column and one of the others."""
        names = {self.rename(plain_name(c)) for c in cells}
        return all(c in names for c in self.columns) and not names.isdisjoint(self.others)


class SheetWarning(LearnsocWarning):
    """A table was read from a sheet or a header row that was not given but found.

    Issued by :func:`read_excel` (and the readers built on it, such as
    :func:`~learnsoc.io.population.read_population`) when the first sheet of a
    workbook does not hold the table and another one does, or when the column names
    are below the first row that is not empty (see :class:`TableHeader`). Turn it into
    an error (``warnings.simplefilter("error", SheetWarning)``) to accept only the sheet
    and row given.

    Attributes
    ----------
    file : str
        The workbook.
    sheet : str
        The sheet read.
    row : int
        The row read as the header (1 = first).

    Examples
    --------
    >>> import tempfile, pathlib, warnings
    >>> import pytest; openpyxl = pytest.importorskip("openpyxl")
    >>> from learnsoc.io.excel import TableHeader, read_excel
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ho.xlsx"
    >>> wb = openpyxl.Workbook(); wb.active.title = "Ghi chú"
    >>> wb.active.append(["Số liệu năm 2025"])
    >>> ws = wb.create_sheet("Danh sách"); ws.append(["Danh sách hộ"])
    >>> ws.append(["household_id", "unit_code"]); ws.append(["H1", "T1"]); wb.save(path)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     raw = read_excel(path, find=TableHeader(("household_id", "unit_code")))
    >>> found = caught[0].message
    >>> type(found).__name__, found.sheet, found.row, raw.header
    ('SheetWarning', 'Danh sách', 2, ('household_id', 'unit_code'))
    """

    def __init__(self, message: Message, *, file: str, sheet: str, row: int) -> None:
        self.file = file
        self.sheet = sheet
        self.row = row
        super().__init__(str(message))
        self.translatable(message)


# A column number as forms write them under the header: (1), [2], 3, (A), B; also a
# formula of the numbers ("(4)=(5)+(6)").
_COLUMN_NUMBER = re.compile(r"[(\[]?(?:([1-9]\d{0,2})|([A-Z]))[)\]]?(?:\s*=\s*[()\[\]\d+\-*/ ]+)?")


#: Numbers without brackets are a row of column numbers only over this many columns or
#: more: ``1,2,3`` under ``id,age,sex`` may well be a person.
_BARE_NUMBERS = 5


def is_column_numbers(cells: Sequence[str], named: int) -> bool:
    """Tell whether a row of cells is the row of column numbers forms keep under the header.

    Nearly every official form numbers its columns on the row below the names, ``(1)
    (2) (3)`` or ``A B 1 2 3``: a row of at least two such numbers, letters first, each
    series counting up by one (letters from A). Without brackets, the numbers must start
    at 1 and number every one of the ``named`` columns of the header, three at least, and begin
    with letters or number five columns at least: a row of data of small numbers
    (``1,2,3`` under ``id,age,sex``, a clan ``A,01``) is read as data.

    Examples
    --------
    >>> is_column_numbers(["(1)", "(2)", "(3)"], 5), is_column_numbers(["A", "B", "1", "2"], 4)
    (True, True)
    >>> is_column_numbers(list("12345"), 5), is_column_numbers(["1", "2", "3"], 3)
    (True, False)
    >>> is_column_numbers(["NK01", "H1", "40"], 3), is_column_numbers(["(1)", "(3)"], 2)
    (False, False)
    >>> is_column_numbers(["A", "01"], 2), is_column_numbers(["A", "B", "1"], 3)
    (False, True)
    """
    texts = [c.strip() for c in cells if c.strip()]
    if len(texts) < 2:
        return False
    numbers: list[int] = []
    letters: list[int] = []
    for text in texts:
        match = _COLUMN_NUMBER.fullmatch(text)
        if match is None:
            return False
        if match[1] is not None:
            numbers.append(int(match[1]))
        elif numbers:
            return False  # letters come before numbers
        else:
            letters.append(ord(match[2]))
    for series in (numbers, letters):
        if any(b != a + 1 for a, b in itertools.pairwise(series)):
            return False
    if letters and letters[0] != ord("A"):
        return False
    bracketed = all(t[0] in "([" for t in texts)
    starts = not numbers or numbers[0] == 1
    every = starts and len(texts) == named >= 3
    return bracketed or (every and (bool(letters) or named >= _BARE_NUMBERS))


#: A cell that is a number (``1975``, ``1.234``, ``12,5``): no column name.
_NUMBER = re.compile(r"[+-]?[\d.,\s]+")


def two_row_header(
    upper: list[tuple[int, str]], lower: list[tuple[int, str]]
) -> list[tuple[int, str]] | None:
    """Return the cells of a header on two rows, or None when ``lower`` is not its second row.

    Forms group columns under a heading merged across them ("Thông tin cá nhân" over
    "Họ và tên | Năm sinh | Giới tính"); a name on the first row merged down over both
    rows ("Mã NK") leaves its cell on the second row empty. The second row names at
    least one column the first row leaves empty and holds no number (a row of data
    holds ids, years, counts); each column's name is then the second row's cell, else
    the first's. Such a second row is otherwise an error today (a value in a column
    without a name), so no sheet that reads is read differently. Used by
    :func:`~learnsoc.io.excel.read_excel` and, for a file whose key columns are on no
    one line or whose line under them is such a second line, by
    :func:`~learnsoc.io.csv.read_csv`.

    A report repeats its second row under each heading ("Gia đình học tập" and "Dòng họ
    học tập" each over "Số đăng ký | Số đạt"): a name of the second row that the header
    holds more than once is named with its heading, ``Gia đình học tập - Số đạt`` (see
    :func:`grouped_names`).

    Examples
    --------
    >>> two_row_header([(1, "Mã NK"), (2, "Thông tin cá nhân")],
    ...                 [(2, "Họ và tên"), (3, "Năm sinh")])
    [(1, 'Mã NK'), (2, 'Họ và tên'), (3, 'Năm sinh')]
    >>> two_row_header([(1, "Mã NK"), (3, "Năm sinh")], [(2, "Nguyễn Văn An"), (3, "1975")])
    >>> two_row_header([(1, "Xã"), (2, "Gia đình học tập"), (4, "Dòng họ học tập")],
    ...                [(2, "Số đạt"), (3, "Tỷ lệ"), (4, "Số đạt"), (5, "Tỷ lệ")])[1:3]
    [(2, 'Gia đình học tập - Số đạt'), (3, 'Gia đình học tập - Tỷ lệ')]
    """
    names = {col: text for col, text in upper if text.strip()}
    below = {col: text for col, text in lower if text.strip()}
    if not any(col not in names for col in below):
        return None
    if any(_NUMBER.fullmatch(text.strip()) for text in below.values()):
        return None
    if is_column_numbers(list(below.values()), len(names)):
        return None
    return sorted((names | grouped_names(names, below)).items())


#: What joins a heading and a name of the row below it (see :func:`grouped_names`).
GROUP_SEPARATOR = " - "


def grouped_names(upper: dict[int, str], lower: dict[int, str]) -> dict[int, str]:
    """Return the names of a header's second row, those it repeats named with their heading.

    ``upper`` and ``lower`` map columns (1 = A) to the cells of the header's two rows.
    A heading merged across columns keeps its text in its first cell, so a column's heading
    is the nearest cell of the first row at or before it, when every column from that
    cell's to this one has a name on the second row (a name merged down over both rows
    leaves it empty: no heading spans it). A name the header holds once is kept as it is,
    so no header that read before reads differently; a repeated one is named
    ``heading - name``, when each of its columns has a heading and those names differ.
    Otherwise the names are left alone, and the header is refused as naming a column twice.

    Examples
    --------
    >>> names = grouped_names({1: "Thôn", 2: "Gia đình học tập", 4: "Dòng họ học tập"},
    ...                       {2: "Số đạt", 3: "Tỷ lệ", 4: "Số đạt", 5: "Tỷ lệ"})
    >>> for col, name in names.items():
    ...     print(col, name)
    2 Gia đình học tập - Số đạt
    3 Gia đình học tập - Tỷ lệ
    4 Dòng họ học tập - Số đạt
    5 Dòng họ học tập - Tỷ lệ
    >>> grouped_names({1: "Thôn", 2: "Gia đình"}, {2: "Số đạt", 3: "Tỷ lệ"})
    {2: 'Số đạt', 3: 'Tỷ lệ'}
    """
    plain = {col: plain_name(text) for col, text in (upper | lower).items()}
    counts: dict[str, int] = {}
    for name in plain.values():
        counts[name] = counts.get(name, 0) + 1
    repeated = [col for col in sorted(lower) if counts[plain[col]] > 1]
    if not repeated:
        return dict(lower)
    named = dict(lower)
    for col in repeated:
        start = max((c for c in upper if c <= col), default=None)
        if start is None or any(c not in lower for c in range(start, col + 1)):
            return dict(lower)  # a column with no heading over it: refused, as before
        named[col] = f"{plain_name(upper[start])}{GROUP_SEPARATOR}{plain[col]}"
    final = [plain_name(text) for text in (upper | named).values()]
    return named if len(set(final)) == len(final) else dict(lower)


#: How a form's notes and signature block begin (casefolded, accents composed): the rows
#: under the table that are no data (see :func:`is_footer_start`).
FOOTER_MARKERS = (
    "ghi chú",
    "chú thích",
    "lưu ý",
    "người lập",
    "người ghi",
    "người kiểm tra",
    "người tổng hợp",
    "người duyệt",
    "thủ trưởng",
    "kế toán",
    "xác nhận",
    "chủ tịch",
    "trưởng thôn",
    "trưởng ban",
    "trưởng phòng",
    "giám đốc",
    "hiệu trưởng",
    "t/m",
    "tm.",
    "tm ",
    "kt.",
    "kt ",
    "nơi nhận",
    "(ký",
    "ký tên",
    "(đã ký)",
)
# "Minh Phú, ngày 31 tháng 12 năm 2025", "......, ngày ... tháng ... năm 20..".
_DATE_LINE = re.compile(r"\bngày\b.*\btháng\b.*\bnăm\b")


def _footer_cell(text: str) -> bool:
    folded = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return folded.startswith(FOOTER_MARKERS) or _DATE_LINE.search(folded) is not None


def is_footer_row(cells: Sequence[str]) -> bool:
    """Tell whether a row can be part of a form's notes and signature block.

    A row of one cell (a line of notes), or one whose every cell is a marker (see
    :func:`is_footer_start`) or text without a digit (a signer's name): never a row of
    data, whose ids and counts hold digits in two cells or more.

    Examples
    --------
    >>> is_footer_row(["Nguyễn Thị Hoa", "Trần Văn Bình"]), is_footer_row(["NK01", "H1"])
    (True, False)
    """
    texts = [c for c in cells if c.strip()]
    if len(texts) <= 1:
        return True
    return all(_footer_cell(t) or not any(ch.isdigit() for ch in t) for t in texts)


def is_footer_start(cells: Sequence[str]) -> bool:
    """Tell whether a row begins a form's notes or signature block: the table ends above it.

    A cell begins with one of :data:`FOOTER_MARKERS` (``Ghi chú``, ``Người lập biểu``,
    ``Thủ trưởng đơn vị``, ``(Ký, ghi rõ họ tên)`` ...) or is the place and date line
    (``..., ngày 31 tháng 12 năm 2025``), and the row is a footer row
    (:func:`is_footer_row`).

    Examples
    --------
    >>> is_footer_start(["Người lập biểu", "Thủ trưởng đơn vị"])
    True
    >>> is_footer_start(["Minh Phú, ngày 31 tháng 12 năm 2025"])
    True
    >>> is_footer_start(["NK01", "Người lập biểu", "1975"]), is_footer_start(["Nguyễn Văn An"])
    (False, False)
    """
    return any(_footer_cell(c) for c in cells if c.strip()) and is_footer_row(cells)


#: How a heading over a block of rows names its unit (casefolded, accents composed), after
#: an optional number (``I.``, ``1)``, ``A -``): ``Thôn Đông``, ``I. XÃ AN KHÁNH``, ``Xóm 3``,
#: ``Đội 2``; or the kind of its units, plural (``II. Các tổ dân phố``, ``Các thôn, xóm``).
#: The words a unit's name may start with (see :data:`learnsoc.model.unit_kinds.KIND_WORDS`):
#: a heading names its unit as a unit column does.
HEADING_WORDS = KIND_WORDS
_HEADING_WORDS = "|".join(re.escape(w) for w in HEADING_WORDS)
_HEADING = re.compile(
    r"(?:(?:[ivxlc]{1,6}|\d{1,3}|[a-zđ])\s*[.)/:\-]\s*)?"
    rf"(?:(?:{_HEADING_WORDS})\s+\S.*|các\s+(?:{_HEADING_WORDS})\b.*)"
)

#: A block heading sits in one of the first columns of its row (merged across the row,
#: its text is in the merge's first cell).
HEADING_COLUMNS = 3

#: A block's number alone in its cell, before the heading's (``I``, ``II.``, ``A``): Roman
#: numerals and letters, which number blocks; never an Arabic number, which numbers rows
#: of data (a row ``1 | Thôn Đông`` that lost its other cells is data, and rejected).
_BLOCK_NUMBER = re.compile(r"(?:[ivxlc]{1,6}|[a-zđ])\s*[.):\-]?")


def is_block_number(cell: str) -> bool:
    """Tell whether a cell may number a block of rows (``II``, ``A.``) beside its heading.

    Examples
    --------
    >>> [is_block_number(c) for c in ("II", " b) ", "12", "H01")]
    [True, True, False, False]
    """
    return _BLOCK_NUMBER.fullmatch(cell.strip().casefold()) is not None


def block_heading(cells: Sequence[str]) -> str | None:
    """Return the text of a heading over a block of rows, or None for any other row.

    Lists kept by commune group their rows under a heading per village (``Thôn Đông``,
    ``I. XÃ AN KHÁNH``, ``Xóm 3``), alone on its row. A row is one when, in a table of
    two columns or more, its only cell that is not empty is in one of its first
    :data:`HEADING_COLUMNS` columns and names a unit: one of :data:`HEADING_WORDS` and a
    name, after an optional number (in its cell, or in a cell of its own before it), in any
    case and either normal form. A row of data
    that lost its other cells (``NK01``, ``Nguyễn Văn An``) is none: it is read, and
    rejected for what it lacks.

    Examples
    --------
    >>> block_heading(["", "Thôn Đông", "", ""]), block_heading(["I. XÃ AN KHÁNH", "", ""])
    ('Thôn Đông', 'I. XÃ AN KHÁNH')
    >>> block_heading(["Nguyễn Văn An", "", ""]), block_heading(["Thôn Đông", "H1", ""])
    (None, None)
    >>> block_heading(["", "", "", "Xóm 3"]), block_heading(["Xóm 3"])
    (None, None)

    The block's number may sit in a cell of its own, the row-number column's (``STT``),
    as a Roman numeral or a letter; an Arabic number there numbers a row of data:

    >>> block_heading(["II", "HUYỆN PHÚC THỌ", "", ""]), block_heading(["1", "Thôn Đông", ""])
    ('HUYỆN PHÚC THỌ', None)

    A report's sections name the kind of their units, plural:

    >>> block_heading(["I", "Các thôn, xóm", ""]), block_heading(["II. CÁC TỔ DÂN PHỐ", "", ""])
    ('Các thôn, xóm', 'II. CÁC TỔ DÂN PHỐ')
    >>> block_heading(["Các hộ", "", ""])
    """
    if len(cells) < 2:
        return None
    filled = [(i, c) for i, c in enumerate(cells) if c.strip()]
    if len(filled) == 2 and is_block_number(filled[0][1]):
        # The block's number in the row-number column (STT: I, II, A), its name beside it.
        filled = filled[1:]
    if len(filled) != 1 or filled[0][0] >= HEADING_COLUMNS:
        return None
    text = filled[0][1].strip()
    folded = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return text if _HEADING.fullmatch(folded) else None


# A total as a totals row writes it: 1.234, 12,5, 85%, or a dash for none.
_TOTAL = re.compile(r"[+-]?\d[\d.,\s]*%?|[-–—]")
# A header that names an id or a code (Mã đơn vị, Mã hộ, household_id, unit_code, STT is none).
_ID_HEADER = re.compile(r"(?:mã|ma|code|id|số hiệu)(?:\b.*)?|.*_(?:id|code)")


def is_id_header(name: str) -> bool:
    """Tell whether a header names an id or a code (``Mã hộ``, ``unit_code``, ``ID``).

    What tells a totals row from data when a table's key columns are unknown (an
    ``--inputs`` file before its level is known): such a column is empty in a totals row.

    Examples
    --------
    >>> [is_id_header(h) for h in ("Mã đơn vị", "unit_code", "ID", "Tên xã", "Số hộ")]
    [True, True, True, False, False]
    """
    folded = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    return _ID_HEADER.fullmatch(folded) is not None


def totals_row_problem(
    cells: Sequence[str], label: str, keys: Collection[int]
) -> tuple[int, str] | None:
    """Return why a row marked as a totals row may be data, or None when it is a totals row.

    A totals row (``Tổng cộng``, see :func:`~learnsoc.io.table.is_totals_label`) holds
    its label as its first cell that is not empty; its id and code cells (``keys``, the
    0-based columns) are empty or the label itself; every other cell is empty or a
    total (a number, ``85%``, a dash). Otherwise the row may be data (a unit named
    ``Cộng`` with its code): the column and cell that say so are returned.

    Examples
    --------
    >>> totals_row_problem(["", "Tổng cộng", "220", "150"], "Tổng cộng", keys=[0])
    >>> totals_row_problem(["00004", "Cộng", "220"], "Cộng", keys=[0])
    (0, '00004')
    >>> totals_row_problem(["Tổng", "Nguyễn Văn An", "1975"], "Tổng", keys=[])
    (1, 'Nguyễn Văn An')
    >>> totals_row_problem(["total", "", "tổng", "", "35"], "total", keys=[1])
    """
    seen_label = False
    for i, cell in enumerate(cells):
        text = cell.strip()
        if not text:
            continue
        if not seen_label:
            if text != label.strip():
                return i, text  # something before the label: an id, a row number
            seen_label = True
            continue
        if i in keys and text != label.strip():
            return i, text
        # Another totals label is no data either: learnsoc's own rollup writes its total
        # row's level ("total") and its name in the reader's language ("tổng").
        if text != label.strip() and not _TOTAL.fullmatch(text) and not is_totals_label(text):
            return i, text
    return None
