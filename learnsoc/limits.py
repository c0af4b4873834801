"""The documented size limits of learnsoc's readers, in one place.

Every limit here guards memory or time against one bad or hostile value in an input file.
Each is documented on the "Limits and guarantees" page; an input over a limit is a
clear :mod:`learnsoc.errors` error (or a named reject) that states the limit, never a
hang or a ``MemoryError``. Values follow Excel's own limits where one exists, so a file
that Excel can open and save is never refused for its size.

Examples
--------
>>> from learnsoc import limits
>>> limits.MAX_CELL_CHARS, limits.MAX_COLUMNS
(32767, 16384)
"""

from __future__ import annotations

__all__ = [
    "EXPANSION_FROM",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_COUNT",
    "MAX_EXPANSION",
    "MAX_HIERARCHY_DEPTH",
    "MAX_ID_CHARS",
    "MAX_LINE_BYTES",
    "MAX_MANIFEST_BYTES",
    "MAX_MANIFEST_NESTING",
    "MAX_QUOTED_LINE_BREAKS",
    "MAX_SHEETS",
    "MAX_SHEET_ROWS",
    "MAX_SHOWN_CHARS",
]

#: Characters in one cell (Excel's limit). A longer cell is rejected with its row and
#: column, and only its first :data:`MAX_SHOWN_CHARS` characters are kept.
MAX_CELL_CHARS = 32_767

#: Columns in one file or sheet (Excel's limit: column XFD). A wider CSV header is refused;
#: a wider CSV line is a malformed record, set aside before parsing (at the cost of its bytes).
MAX_COLUMNS = 16_384

#: A count in one row of a per-unit counts file (``--counts``): a trillion, far above any
#: unit's families or persons. A larger one is rejected (``out_of_range``): counts are
#: summed up the tree in 64-bit integers, which wrap around without a word past
#: 9.2 x 10^18 (two communes of 9 x 10^18 families made a province of minus 4 x 10^17);
#: under this limit, the sums of up to 9 million units stay exact.
MAX_COUNT = 10**12

#: Rows in one sheet of an Excel workbook (Excel's limit). A sheet whose XML stores a
#: row past it was not saved by Excel and is refused.
MAX_SHEET_ROWS = 1_048_576

#: Sheets in one Excel workbook. Excel's own limit is the memory it has; a workbook of a
#: sheet per commune of a province holds a few hundred. Each sheet listed costs about 3 KB
#: before a cell is read (a 1 MB workbook listing 100,000 sheets took 371 MB and 31 s): a
#: workbook listing more is refused before its list is read.
MAX_SHEETS = 10_000

#: How many times its size a file, or a part of it, may expand to when read, once past
#: :data:`EXPANSION_FROM` bytes. Checked before anything is parsed, from the sizes the file
#: declares: for an ``.xlsx`` workbook, each part (a sheet, the shared strings, the styles)
#: and all parts together, unzipped (reading stops at the declared size); for Parquet, each
#: column chunk read, decompressed, and the columns read together, decoded (a cell counted
#: as at least a byte). A file over it is refused as a bomb: Excel's sheets and shared
#: strings unzip to 5-25 times their size (its most repetitive part, a bloated
#: ``styles.xml``, to 300 times, but Excel caps it at a few MiB) and Parquet columns of real
#: data decode to 1-20 times, while a zip bomb unzips to about 1,000 times and a Parquet
#: file can claim any number of rows. 100 is Apache POI's limit for workbooks.
MAX_EXPANSION = 100

#: Bytes a file, or a part of it, may expand to whatever its ratio
#: (:data:`MAX_EXPANSION`): below this, reading costs little however well it compresses.
EXPANSION_FROM = 32 * 1024 * 1024

#: Bytes in one line of a CSV file (a record spanning several lines counts each line).
MAX_LINE_BYTES = 16 * 1024 * 1024

#: Bytes of the JSON manifest of a dataset (``manifest.json``) or of a results folder
#: (``results.json``), checked with ``stat`` before reading (and no more is ever read).
#: A dataset's manifest takes about 200 bytes per partition (2 MB for 10,000 communes),
#: so this holds about 80,000 partitions; :func:`learnsoc.write_dataset` refuses to write a
#: larger one. Read, JSON costs up to 25 times its bytes (a manifest of 16 MiB of empty
#: objects took 485 MB, one of 32 MiB 882 MB): one of gigabytes no longer exhausts memory.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024

#: Arrays and objects nested in one another in such a manifest (learnsoc writes 5 levels
#: at most), counted before it is parsed: a file of brackets nested 200,000 deep is refused
#: before Python's JSON reader recurses into it.
MAX_MANIFEST_NESTING = 20

#: Line breaks inside the quoted cells of one CSV record (Excel's limit: 253 line feeds in
#: one cell). A quote that stays open longer, or up to the end of the file, is taken as a
#: quote left unclosed by mistake: its line alone is rejected and the next lines are read.
MAX_QUOTED_LINE_BREAKS = 253

#: Levels in an administrative hierarchy (Vietnam's trees have 3 or 4).
MAX_HIERARCHY_DEPTH = 32

#: Characters of a bad value shown in a reject or an error message; the rest is cut
#: and marked with an ellipsis.
MAX_SHOWN_CHARS = 80

#: Characters in one id, reference or unit code. A longer one is rejected
#: (``cell_too_long``): ids are held as fixed-width text, so one long id would widen
#: every id of its column.
MAX_ID_CHARS = 64
