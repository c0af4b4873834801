"""A counts file's rate column (``Tỷ lệ (%)``): the commune's own sum, left out with a warning.

A commune's sheet often carries the rates it computed beside its counts (``Tỷ lệ (%)``,
``Tỷ lệ GĐHT``, ``%``). learnsoc computes every rate from the counts itself, so such a
column is never a count: read as one it stopped the run ("is not a count column learnsoc
knows"), or, with numbers under a one-word header, would have been added up. A column no
mapping file names whose header is a rate's is left out with a :class:`RateColumnWarning`
naming the file and the header; a column the mapping names is read as it says.
"""

from __future__ import annotations

import re

from learnsoc.errors import LearnsocWarning, Message
from learnsoc.i18n import N_
from learnsoc.io.mapping import fold_column

__all__ = ["RATE_COLUMN_LEFT_OUT", "RateColumnWarning", "is_rate_column", "rate_column_warning"]

#: The warning of a rate column left out of a counts file (en, vi).
RATE_COLUMN_LEFT_OUT = N_(
    "{file}, column {column}: a rate, not a count, left out (learnsoc computes the rates "
    "from the counts): to count it, name it in the mapping file's [counts.columns] "
    '({quoted} = "a_name")'
)

# The first words of a rate's header, as fold_column writes them (no case, no accents):
# "Tỷ lệ", "Tỉ lệ" (both spellings are in use), "Rate", "Share"; then a word's end.
_RATE_START = re.compile(r"(ty le|ti le|rate|share)(\b|$)")
# learnsoc's own column ids (a rollup read back: ``share``, ``share_status``) are no
# header a commune typed: the rollup's reader leaves its rates out by their ids.
_COLUMN_ID = re.compile(r"[a-z][a-z0-9_]*")


class RateColumnWarning(LearnsocWarning):
    """A counts file's rate column (``Tỷ lệ (%)``) was left out, not read as counts.

    ``column`` is the header as the file writes it.

    Examples
    --------
    >>> w = rate_column_warning("bao_cao.csv", "Tỷ lệ (%)")
    >>> w.column, str(w).startswith("bao_cao.csv, column Tỷ lệ (%): a rate, not a count")
    ('Tỷ lệ (%)', True)
    """

    column: str = ""


def is_rate_column(header: str) -> bool:
    """Tell whether a counts file's header is a rate's (``Tỷ lệ (%)``, ``%``), not a count's.

    A header starting with ``Tỷ lệ``, ``Tỉ lệ``, ``Rate`` or ``Share``, or that is or ends
    with ``%`` or ``(%)``, compared as :func:`~learnsoc.io.mapping.fold_column` folds it
    (case, accents composed or decomposed, spaces, ``_`` and ``-`` do not matter). A
    column id (``share``, ``share_status``) is learnsoc's own, not a rate typed by a clerk.

    Examples
    --------
    >>> [is_rate_column(h) for h in ("Tỷ lệ (%)", "TY LE GDHT", "%", "Số hộ %", "Share")]
    [True, True, True, True, True]
    >>> [is_rate_column(h) for h in ("Số gia đình", "Rated", "share", "Tỷ", "Ty_lechch")]
    [False, False, False, False, False]
    """
    if _COLUMN_ID.fullmatch(header.strip()):
        return False
    folded = fold_column(header)
    return bool(_RATE_START.match(folded)) or folded.endswith(("%", "(%)"))


def rate_column_warning(file: str, column: str) -> RateColumnWarning:
    """Return the warning of a rate column left out of a counts file.

    Examples
    --------
    >>> rate_column_warning("c.csv", "%").localized("vi")  # doctest: +ELLIPSIS
    'c.csv, cột %: ...'
    """
    quoted = '"' + column.replace("\\", "\\\\").replace('"', '\\"') + '"'
    msg = Message(RATE_COLUMN_LEFT_OUT, file=file, column=column, quoted=quoted)
    warning = RateColumnWarning(str(msg)).translatable(msg)
    warning.column = column
    return warning
