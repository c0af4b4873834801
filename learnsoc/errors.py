"""The exceptions learnsoc raises.

Every error learnsoc raises on purpose is a :class:`LearnsocError`. Each class also
derives from the builtin exception a caller would naturally catch (``ValueError``,
``KeyError``, ``ImportError``), keeps the facts of the problem as attributes, and puts
a full sentence in ``str(err)``: what is wrong, where, and how to fix it.

Examples
--------
>>> from learnsoc.errors import LearnsocError, SchemaError
>>> err = SchemaError("person", "agee", "no such column", choices=["age", "sex"])
>>> isinstance(err, LearnsocError) and isinstance(err, ValueError)
True
>>> print(err)
person column 'agee': no such column; did you mean 'age'?
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from learnsoc._messages import N_, Message

# The base classes and "did you mean" live with the catalogs (a locale error is itself
# translatable); they are learnsoc.errors' names all the same.
from learnsoc._translation import (
    LearnsocError,
    ShownInDefaultLocale,
    Translatable,
    did_you_mean,
    get_locale,
    gettext,
    localized_hint,
    localized_value,
    normalize_locale,
    reduce_exception,
    table_label,
)
from learnsoc.limits import MAX_SHOWN_CHARS

if TYPE_CHECKING:
    from learnsoc.rejects import Rejects

__all__ = [
    "ArgumentTypeError",
    "CrosswalkError",
    "DataError",
    "HierarchyError",
    "LearnsocError",
    "LearnsocWarning",
    "LevelsError",
    "MappingError",
    "Message",
    "Note",
    "OptionalDependencyError",
    "RulebookError",
    "SchemaError",
    "TargetError",
    "TargetFileError",
    "TomlFileError",
    "Translatable",
    "UnknownIdError",
    "did_you_mean",
    "note_text",
]


class LearnsocWarning(ShownInDefaultLocale, UserWarning):
    """Base class of every warning learnsoc issues (filter them all with this class).

    Like errors, a warning may carry a catalog id (see :class:`Translatable`), so that
    the command line prints it in the reader's language, and a notebook after
    ``learnsoc.set_locale("vi")`` shows it in Vietnamese (its ``str()`` is in the
    default locale; :meth:`~Translatable.english` is always English).

    Examples
    --------
    >>> import learnsoc as ls
    >>> issubclass(ls.HierarchyDateWarning, LearnsocWarning)
    True
    """

    __reduce__ = reduce_exception


class Note(str, Translatable):
    """A note added to an error (PEP 678) that the command line prints in its language.

    ``exc.add_note(Note(message))`` adds the English text, as any note (a traceback
    shows it); ``learnsoc`` on the command line prints each note of an error under its
    message, this one in the reader's language (see :meth:`~Translatable.localized`).
    It pickles with the error (a Dask worker's error reaches the client with it).

    Examples
    --------
    >>> err = ValueError("boom")
    >>> err.add_note(Note(Message(N_("(on the Dask worker {worker})"), worker="tcp://h:1")))
    >>> err.__notes__[0], err.__notes__[0].localized("vi")
    ('(on the Dask worker tcp://h:1)', '(trên máy thực thi Dask tcp://h:1)')
    """

    def __new__(cls, message: Message | str) -> Note:
        """Make the note of a message (or of a text, as unpickling does)."""
        note = super().__new__(cls, str(message))
        if isinstance(message, Message):
            note.translatable(message)
        return note


def note_text(note: object, locale: str | None = None) -> str:
    """Return a note of an error in ``locale`` if it is a :class:`Note`, else as it is.

    Examples
    --------
    >>> note_text("(by hand)", "vi")
    '(by hand)'
    """
    if isinstance(note, Translatable):
        return note.localized(locale)
    return str(note)


class ArgumentTypeError(LearnsocError, TypeError):
    """A public function was given an argument of the wrong kind (a Population for a Rulebook).

    Raised before any work is done, naming the parameter, what it must be and how to get
    one, and what was given: arguments swapped (``ls.read_inputs(path, pop, book)``)
    said so, rather than as an ``AttributeError`` deep inside. ``parameter`` is the
    parameter's name. A :class:`TypeError`, as Python's own for a wrong argument.

    Examples
    --------
    >>> import learnsoc as ls
    >>> try:
    ...     ls.evaluate(ls.load_rulebook("example"), "example", "2025-12-31")
    ... except TypeError as err:
    ...     print(type(err).__name__, "-", err)  # doctest: +NORMALIZE_WHITESPACE
    ArgumentTypeError - pop must be a Population (learnsoc.read_population(...) or
    learnsoc.Population.from_columns(...)); got a Rulebook
    """

    parameter: str = ""


class SchemaError(LearnsocError, ValueError):
    """A table does not have the shape learnsoc expects.

    Raised for a missing required column, an unknown column, a column of the wrong
    kind (text where numbers are needed), or columns of different lengths.

    Parameters
    ----------
    table : str
        The table concerned (``"person"``, ``"household"``, ``"unit"`` ...).
    column : str or None
        The column concerned, if any.
    problem : str
        What is wrong, as a sentence fragment.
    choices : iterable of str, optional
        Valid column names, used for a "did you mean" hint.

    Examples
    --------
    >>> import learnsoc as ls
    >>> ls.STANDARD_SCHEMA.table("person").column("agee")
    Traceback (most recent call last):
    ...
    learnsoc.errors.SchemaError: person column 'agee': no such column; did you mean 'age'?
    """

    def __init__(
        self,
        table: str,
        column: str | None,
        problem: str,
        *,
        choices: Iterable[str] | None = None,
    ) -> None:
        self.table = table
        self.column = column
        self.problem = problem
        # A column named in a file may be megabytes long: shown cut, as values are.
        name = _cut(column) if column is not None else None
        where = f"{table} column {name!r}" if name is not None else f"{table} table"
        hint = did_you_mean(name, choices) if (choices is not None and name) else ""
        self._where = where
        super().__init__(f"{where}: {problem}{hint}")

    def localized(self, locale: str | None = None) -> str:
        """Return the message in ``locale``, with its table and problem translated.

        The problem is translated when the catalogs have it (``"unknown column"``,
        ``"required column is missing"``); else it stays English.
        """
        loc = normalize_locale(locale)
        english = self.english()
        if loc == "en":
            return english
        table = table_label(self.table, loc)
        if self.column is not None:
            where = gettext(N_("{table} column {column!r}"), loc)
        else:
            where = gettext(N_("{table} table"), loc)
        where = where.format(table=table, column=_cut(self.column or ""))
        rest = english[len(self._where) + 2 + len(self.problem) :]
        if self.message_id is not None:  # a problem with values (the file ...)
            values = {k: localized_value(k, v, loc) for k, v in self.params.items()}
            problem = gettext(self.message_id, loc).format(**values)
        else:
            problem = gettext(self.problem, loc)
        return localized_hint(f"{where}: {problem}{rest}", loc)


def _cut(name: str) -> str:
    """Return a name cut to :data:`~learnsoc.limits.MAX_SHOWN_CHARS` characters, as values are.

    >>> _cut("x" * 100)[-3:], len(_cut("x" * 100))
    ('xx…', 81)
    """
    return name if len(name) <= MAX_SHOWN_CHARS else name[:MAX_SHOWN_CHARS] + "…"


class DataError(LearnsocError, ValueError):
    """Rows were rejected and the caller asked for strict checking.

    The full list of problems is in :attr:`rejects`; the message names the first one.

    Parameters
    ----------
    message : str
        The sentence to show.
    rejects : Rejects
        Every rejected row, with its reason.

    Examples
    --------
    >>> import learnsoc as ls
    >>> tree = ls.Hierarchy.from_units({"code": ["01", "001"], "level": ["province", "commune"],
    ...     "parent_code": [None, "01"]}, levels=["province", "commune"])
    >>> try:
    ...     ls.rollup_counts({"unit_code": ["9"], "clans": [1]}, tree, strict=True)
    ... except ValueError as err:  # a DataError is a ValueError
    ...     print(err)
    ...     print(err.rejects.counts())
    1 problem in the counts; first: counts row 0 (counted from 0), column unit_code: unit '9'
    does not exist
    {'counts': (1, 0, 1)}
    """

    def __init__(self, message: str, rejects: Rejects) -> None:
        self.rejects = rejects
        super().__init__(message)


class HierarchyError(LearnsocError, ValueError):
    """The administrative units do not form a valid tree.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    code : str or None
        The code of the unit concerned, if one.

    Examples
    --------
    >>> import learnsoc as ls
    >>> try:
    ...     ls.Hierarchy.from_units({"code": ["01", "001"], "level": ["province", "commune"],
    ...         "parent_code": [None, "02"]}, levels=["province", "commune"])
    ... except ValueError as err:  # a HierarchyError is a ValueError
    ...     print(err.code, "-", err)
    001 - unit '001' is an orphan: its parent '02' does not exist; expected one of '001', '01'
    """

    def __init__(self, message: str, *, code: str | None = None) -> None:
        self.code = code
        super().__init__(message)


class LevelsError(HierarchyError):
    """A tree's level has no units: the units do not fit the levels asked for.

    Raised when the units file stops above a level of ``levels=`` (``--levels``, a
    mapping file's ``levels``), or none of a level's units could be kept.

    Two causes, told apart by :attr:`whole_file`: the units file as a whole does not fit
    the levels (no row of it names the level, or every unit was refused), or the level's
    units were refused for bad cells. The command line exits with code 2 for the first
    when the levels were given (``--levels`` or the mapping file's ``levels``), as for other
    errors in how it was called, and with code 1 for bad cells, as for other data problems.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    level : str or None
        The level left without units.
    whole_file : bool
        Whether the units as a whole do not fit the levels (rather than bad cells).
    levels_given : bool
        Whether the levels were given (``levels=``, ``--levels``, the mapping file's
        ``levels``) rather than the default tree.

    Examples
    --------
    >>> err = LevelsError("level 'district' has no units", level="district", whole_file=True)
    >>> err.whole_file, err.usage
    (True, False)
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        level: str | None = None,
        whole_file: bool = False,
        levels_given: bool = False,
    ) -> None:
        self.level = level
        self.whole_file = whole_file
        self.levels_given = levels_given
        super().__init__(message, code=code)

    @property
    def usage(self) -> bool:
        """Whether the error is in how learnsoc was called: the file misses given levels."""
        return self.whole_file and self.levels_given


class CrosswalkError(HierarchyError):
    """A crosswalk between two trees is inconsistent (unknown codes, bad weights).

    Examples
    --------
    >>> import learnsoc as ls
    >>> tree = ls.Hierarchy.from_units({"code": ["01", "001"], "level": ["province", "commune"],
    ...     "parent_code": [None, "01"]}, levels=["province", "commune"])
    >>> ls.Crosswalk.from_pairs(tree, tree, {"source_code": ["001"], "target_code": ["001"],
    ...                                      "weight": [2]}, level="commune")
    Traceback (most recent call last):
    ...
    learnsoc.errors.CrosswalkError: pair '001' -> '001' has weight 2.0; weights must be in (0, 1]
    """


class TomlFileError(LearnsocError, ValueError):
    """A TOML file learnsoc reads is invalid: a rulebook, a target set or a mapping file.

    Catch this class to handle a bad file of any of the three kinds. ``str(err)`` reads
    ``file:line:column [key.path]: message``, each part shown when known.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    file : str or None
        The file, or the bundled name.
    line, column : int or None
        1-based position in the file when known.
    key_path : str or None
        The TOML key path (``titles.household.criteria.children_in_school``).

    Examples
    --------
    >>> print(TomlFileError("unknown key 'yeer'", file="plan.toml", line=9, key_path="x.yeer"))
    plan.toml:9 [x.yeer]: unknown key 'yeer'
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key_path: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.key_path = key_path
        where = []
        if file is not None:
            pos = file
            if line is not None:
                pos += f":{line}"
                if column is not None:
                    pos += f":{column}"
            where.append(pos)
        if key_path is not None:
            where.append(f"[{key_path}]")
        prefix = " ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class RulebookError(TomlFileError):
    """A rulebook file is invalid, or a rulebook cannot be used as asked.

    Takes the parameters of :class:`TomlFileError`. :class:`TargetFileError` and
    :class:`MappingError` derive from it too, so code written when target and mapping
    files raised rulebook errors keeps catching them.

    Examples
    --------
    >>> import learnsoc as ls
    >>> ls.load_rulebook("exampel")
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: no bundled rulebook 'exampel'; did you mean 'example'?
    """


class TargetError(LearnsocError, ValueError):
    """Indicators, targets or progress were given something they cannot use.

    Raised for an unknown indicator or level, a year with no targets, counts that do
    not fit an indicator (a numerator larger than its denominator), or masks of the
    wrong shape. The message says what was expected and, for names, suggests the
    closest one.

    Examples
    --------
    >>> from learnsoc.targets import indicator
    >>> try:
    ...     indicator("learning_familes")
    ... except ValueError as err:  # a TargetError is a ValueError
    ...     print(err)
    unknown indicator 'learning_familes'; did you mean 'learning_families'?
    """


class TargetFileError(TargetError, RulebookError):
    """A target file is invalid, or no bundled target set has the name given.

    The message names the file, the line and the key path. It is a
    :class:`TargetError` and a :class:`TomlFileError`; it is also a
    :class:`RulebookError` (what target files raised before), so code that catches
    either keeps working.

    Examples
    --------
    >>> err = TargetFileError("unknown key 'yeer'", file="plan.toml", line=9)
    >>> isinstance(err, TargetError), isinstance(err, TomlFileError), err.line
    (True, True, 9)
    """


class MappingError(RulebookError):
    """A mapping file is invalid; the message names the file, line and key.

    A :class:`TomlFileError`, and a :class:`RulebookError` as it always was.

    Examples
    --------
    >>> err = MappingError("unknown key 'colums'", file="mapping.toml", line=2)
    >>> print(err)
    mapping.toml:2: unknown key 'colums'
    >>> isinstance(err, RulebookError)
    True
    """


class UnknownIdError(LearnsocError, KeyError):
    """An identifier (person, household, unit ...) is not in the population.

    Parameters
    ----------
    kind : str
        What was looked up (``"person"``, ``"household"``, ``"unit"``).
    key : object
        The identifier that was not found.

    Examples
    --------
    >>> import learnsoc as ls
    >>> tree = ls.Hierarchy.from_units({"code": ["01"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> try:
    ...     tree.unit("99")
    ... except KeyError as err:  # an UnknownIdError is a KeyError
    ...     print(type(err).__name__, "-", err)
    UnknownIdError - no unit with id '99'
    """

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        message = Message(N_("no {kind_text} with id {key!r}"), kind_text=kind, key=key)
        super().__init__(str(message))
        self.translatable(message)

    def __str__(self) -> str:
        if get_locale() != "en":  # as every error: in the default locale
            return self.localized()
        # KeyError.__str__ would quote the whole message again.
        return str(self.args[0])


class OptionalDependencyError(LearnsocError, ImportError):
    """A feature needs an optional dependency that is not installed.

    Parameters
    ----------
    package : str
        The import name that failed.
    extra : str
        The learnsoc extra that installs it.
    feature : str
        What the user tried to do.

    Examples
    --------
    >>> err = OptionalDependencyError("openpyxl", "excel", "reading Excel files")
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    reading Excel files needs the optional package 'openpyxl'; install it with:
    pip install 'learnsoc[excel]'
    >>> isinstance(err, ImportError)
    True
    """

    def __init__(self, package: str, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        message = Message(
            N_(
                "{feature_text} needs the optional package {package!r}; "
                "install it with: pip install 'learnsoc[{extra}]'"
            ),
            feature_text=feature,
            package=package,
            extra=extra,
        )
        super().__init__(str(message))
        self.translatable(message)
