"""A counts file's columns that no indicator reads: said, with the measure meant.

A counts file takes a one-word header as a count of its own name, so that an agency can
add up measures learnsoc does not know. A header typed ``learning_famlies`` was such a
measure: added up, read by no indicator, and the report said "no data" for the share of
learning families without a word about the column that held it. Columns whose names are
no measure learnsoc knows (:func:`~learnsoc.io.text_counts.is_known_measure`) are named
in a :class:`UnknownMeasuresWarning`, with the measure a misspelt one was meant to be;
the counts of titles a results folder's ``rollup.csv`` holds (``learning_family``,
``learning_family_assessed`` ...) are said as such, with where the measures are. A column
the mapping file names on purpose (``"Số dòng họ" = "so_dong_ho"``) is the user's own
measure and is not named, unless it is close to a measure learnsoc knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from learnsoc._messages import N_, Message
from learnsoc._phrases import Lazy
from learnsoc._translation import closest_name, gettext
from learnsoc.aggregate.names import EXPECTED, REPORTING
from learnsoc.errors import LearnsocWarning
from learnsoc.io.text_counts import is_known_measure
from learnsoc.vocabulary import MEASURES

__all__ = [
    "TITLE_COUNTS_NOT_READ",
    "UNKNOWN_MEASURES_NOT_READ",
    "UnknownMeasuresWarning",
    "unknown_measures_warning",
]

#: Columns of one-word headers that are no measure learnsoc knows (en, vi).
UNKNOWN_MEASURES_NOT_READ = N_(
    "{file}: no indicator reads the columns {columns}: they are no measure learnsoc knows, "
    "and are added up as they are; to count one as a measure, name the measure in the "
    "mapping file's [counts.columns] ({example})"
)
#: Columns that count titles, as a results folder's rollup.csv does (en, vi).
TITLE_COUNTS_NOT_READ = N_(
    "{file}: the columns {columns} count titles (granted, assessed, decided), as the "
    "rollup.csv of a results folder does; no indicator reads them: report on the results "
    "folder itself (learnsoc report FOLDER), whose counts of persons, families ... the "
    "indicators read"
)
_MEANT = N_("{column} (did you mean {measure}?)")
#: Columns a title's count has beside its own (see ``learnsoc evaluate``'s rollup.csv).
_TITLE_SUFFIXES = ("_assessed", "_decided", "_unknown")
#: How many columns a warning names; a results rollup has over fifty.
_LISTED = 6


class UnknownMeasuresWarning(LearnsocWarning):
    """A counts file has columns no indicator reads (no measure learnsoc knows).

    ``columns`` are the headers as the file writes them.

    Examples
    --------
    >>> w = unknown_measures_warning("c.csv", ["learning_famlies"], {})
    >>> w.columns, "did you mean learning_families?" in str(w)
    (('learning_famlies',), True)
    """

    columns: tuple[str, ...] = ()


def _listed(names: list[str], meant: Mapping[str, str | None]) -> Lazy:
    def text(locale: str | None) -> str:
        said = [
            gettext(_MEANT, locale).format(column=n, measure=meant[n]) if meant.get(n) else n
            for n in names[:_LISTED]
        ]
        if len(names) > _LISTED:
            said.append(gettext(N_("{n} more columns"), locale).format(n=len(names) - _LISTED))
        return ", ".join(said)

    return Lazy(text)


def unknown_measures_warning(
    file: str, measures: Iterable[str], headers: Mapping[str, str]
) -> UnknownMeasuresWarning | None:
    """Return the warning of a counts file's columns no indicator reads, or None.

    Parameters
    ----------
    file : str
        The file, as messages name it.
    measures : iterable of str
        The measures the file's columns were read as.
    headers : mapping of str to str
        The file's header of each measure the mapping file renamed (``{"families": "Số
        hộ"}``); a measure absent here is its header.

    Examples
    --------
    >>> unknown_measures_warning("c.csv", ["families", "learning_families"], {}) is None
    True
    >>> w = unknown_measures_warning("r.csv", ["learning_family", "learning_family_assessed"], {})
    >>> "count titles" in str(w), w.columns
    (True, ('learning_family', 'learning_family_assessed'))
    >>> unknown_measures_warning("c.csv", ["so_dong_ho"], {"so_dong_ho": "Số dòng họ"}) is None
    True
    """
    unknown = [m for m in measures if m not in (REPORTING, EXPECTED) and not is_known_measure(m)]
    meant = {m: closest_name(m, MEASURES) for m in unknown}
    # A name the mapping gives on purpose is the user's measure, unless it is a misspelling.
    named = [m for m in unknown if m not in headers or meant[m]]
    if not named:
        return None
    titles = [m for m in named if m.endswith(_TITLE_SUFFIXES)]
    shown = [headers.get(m, m) for m in named]
    if titles:
        template, values = TITLE_COUNTS_NOT_READ, {}
    else:
        example = f'"{shown[0]}" = "{meant[named[0]] or "families"}"'
        template, values = UNKNOWN_MEASURES_NOT_READ, {"example": example}
    # Counts of titles are no misspelt measures: no "did you mean" for them.
    guesses = {} if titles else {headers.get(m, m): meant[m] for m in named}
    listed = _listed(shown, guesses)
    msg = Message(template, file=file, columns=listed, **values)
    warning = UnknownMeasuresWarning(str(msg)).translatable(msg)
    warning.columns = tuple(shown)
    return warning
