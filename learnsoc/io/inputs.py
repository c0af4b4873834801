r"""Evaluators' inputs read from files: what ``evaluate(..., inputs=...)`` takes.

Some criteria are recorded by evaluators, not found in census files (a commune's yearly
learning plan, a village's learning activities). :func:`read_inputs` reads an evaluator's
sheet (CSV, Excel, Parquet, Arrow), one row per unit (or household, person, clan,
organisation) and one column per input of the rulebook, as ``learnsoc evaluate --inputs``
does: through the mapping file's ``[inputs]`` table (Vietnamese headers, value maps such
as ``"Tốt" = 1``), the header found below a title, units written by their code or by
their name. Every row it refuses is in its rejects, named by the file, the line and the
file's own column, so that *accepted + rejected = read*.

Examples
--------
>>> import tempfile, pathlib
>>> import learnsoc as ls
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "units.csv").write_text(
...     "code,name,level,parent_code\n01,Tỉnh A,province,\n001,Xã B,commune,01\n"
...     "T1,Thôn Đông,village,001\n", "utf-8")
>>> _ = (folder / "ho.csv").write_text("household_id,unit_code\nH1,T1\n", "utf-8")
>>> _ = (folder / "nk.csv").write_text("person_id,household_id,age\n1,H1,40\n", "utf-8")
>>> pop = ls.read_population(folder / "nk.csv", households=folder / "ho.csv",
...                          units=folder / "units.csv")
>>> _ = (folder / "xa.csv").write_text("Mã xã;Tên xã;c1_plan\n001;Xã B;Có\n002;Xã C;Không\n",
...                                    "utf-8")
>>> inputs, rejects = read_inputs(folder / "xa.csv", ls.load_rulebook("vn-national"), pop)
>>> inputs
{'commune': {'c1_plan': array([1.])}}
>>> rejects.counts()["commune inputs"]  # read, accepted, rejected
(2, 1, 1)
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Collection, Mapping, Sequence
from os import PathLike as OsPathLike
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from learnsoc._argument_types import A_POPULATION, A_RULEBOOK, check_argument
from learnsoc._date_cells import HINTS_1904, NUMBER_HINT, excel_number
from learnsoc._excel_cells import excel_error_rows, is_excel_error
from learnsoc._messages import N_, Message
from learnsoc.errors import LearnsocError, SchemaError, Translatable, did_you_mean
from learnsoc.i18n import gettext, use_locale
from learnsoc.io.convert import one_column_header
from learnsoc.io.files import PathLike, file_error
from learnsoc.io.mapping import (
    FileMapping,
    fold_column,
    is_name_column,
    is_note_column,
    is_row_number,
    map_word,
)
from learnsoc.io.population import SheetChoice, in_file, read_table, resolve_mapping
from learnsoc.io.rejects import FileRejects, Source, join_rejects
from learnsoc.model.hierarchy import level_named
from learnsoc.model.schema import NO_WORDS, YES_WORDS

if TYPE_CHECKING:
    from learnsoc.model.population import Population
    from learnsoc.rules.rulebook import Rulebook

__all__ = [
    "InputsLevelError",
    "inputs_by_level_text",
    "inputs_level_hint",
    "read_inputs",
    "unknown_level_hint",
]

#: ``{level: {input: value per entity of the level (NaN: unknown)}}``, as ``evaluate`` takes.
Inputs = dict[str, dict[str, NDArray[np.float64]]]

#: Words read as yes and no in inputs files (after trimming and ignoring case): those of
#: every yes/no column (a tick ``✓`` too), and an evaluator's ``Đúng``/``Sai``, ``Chưa``.
INPUT_YES_WORDS = YES_WORDS | {"đúng"}
INPUT_NO_WORDS = NO_WORDS | {"chưa", "chưa đạt", "sai"}
#: The reason for an id that names nothing, by level (units: unknown_unit).
_UNKNOWN_ID = {
    "household": "unknown_household",
    "person": "unknown_person",
    "clan": "unknown_clan",
    "organisation": "unknown_organisation",
}
#: The name an inputs file's key column is looked for under (see inputs_key).
INPUTS_KEY = "Mã"
#: A number cell's text once its decimal mark is a point (see learnsoc.model.schema).
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def unknown_level_hint(text: str, choices: Sequence[str]) -> str:
    """Return the hint for an unknown level: the close one, or the levels with their names.

    Under Vietnamese each level is listed with its name (``'commune' (cấp xã)``).

    Examples
    --------
    >>> unknown_level_hint("comune", ["commune", "province"])
    "; did you mean 'commune'?"
    >>> with use_locale("vi"):
    ...     unknown_level_hint("huyện", ["commune", "province"])
    "; cần một trong các giá trị 'commune' (cấp xã), 'province' (cấp tỉnh)"
    """
    close = did_you_mean(text, choices)
    if not close or "did you mean" in close:
        return close
    names = ", ".join(
        repr(c) if gettext(c) == c else f"{c!r} ({gettext(c)})" for c in sorted(set(choices))
    )
    return gettext(N_("; expected one of {names}")).format(names=names)


def inputs_level_hint(text: str, choices: Sequence[str]) -> str:
    """Return :func:`unknown_level_hint`, else the levels in brackets (`` (commune)``).

    Examples
    --------
    >>> inputs_level_hint("comune", ["commune", "province"])
    "; did you mean 'commune'?"
    >>> inputs_level_hint("commune", [])  # a rulebook without inputs: no levels to list
    ''
    """
    listed = f" ({', '.join(choices)})" if choices else ""
    return unknown_level_hint(text, choices) or listed


class _LevelHint(Translatable):
    """:func:`unknown_level_hint` as a message parameter: written in the reader's language."""

    def __init__(self, text: str, choices: Sequence[str]) -> None:
        self.text, self.choices = text, list(choices)

    def localized(self, locale: str | None = None) -> str:
        with use_locale(locale or "en"):
            return inputs_level_hint(self.text, self.choices)

    def __str__(self) -> str:
        return self.localized("en")


class InputsLevelError(LearnsocError, ValueError):
    """An inputs file whose level is not one the rulebook's inputs or the data have.

    Attributes
    ----------
    path : str
        The inputs file.
    level : str or None
        The level given or found (None when the columns fit no single level).
    choices : tuple of str
        The levels the file could be of; for ``"mixed"``, the levels whose inputs its
        columns are.
    reason : str
        ``"no_inputs"`` (the rulebook has no inputs at the level given), ``"not_in_data"``
        (the data have no such level), ``"columns"`` (the columns fit several levels, or
        none) or ``"mixed"`` (the columns are inputs of different levels: commune and
        organisation inputs in one sheet).
    inputs_by_level : dict of str to tuple of str
        For ``"mixed"``: the file's input columns by the level they are inputs of.

    Examples
    --------
    >>> err = InputsLevelError.at("xa.csv", "huyện", "no_inputs", ["commune", "province"])
    >>> print(err)
    xa.csv: the rulebook has no inputs at level 'huyện'; expected one of 'commune', 'province'
    >>> print(err.localized("vi"))  # doctest: +ELLIPSIS
    xa.csv: bộ tiêu chí không có đầu vào ở cấp 'huyện'; cần một trong các giá trị 'commune' ...
    """

    path: str
    level: str | None
    reason: str
    #: The levels the file could be of.
    choices: tuple[str, ...]
    inputs_by_level: dict[str, tuple[str, ...]]

    _IDS: ClassVar[dict[str, str]] = {
        "no_inputs": N_("{path}: the rulebook has no inputs at level {level!r}{hint}"),
        "not_in_data": N_("{path}: the data have no level {level!r}{hint}"),
        "columns": N_(
            "{path}: cannot tell the level from the columns (inputs of: {levels}); "
            "give it with level="
        ),
        "mixed": N_(
            "{path}: the columns are inputs of different levels ({levels}): put each "
            "level's inputs in a file of its own"
        ),
    }

    @classmethod
    def at(
        cls, path: str, level: str | None, reason: str, choices: Sequence[str]
    ) -> InputsLevelError:
        """Return the error of ``reason`` for the file, the level and the levels it could be."""
        if reason == "columns":
            msg = Message(cls._IDS[reason], path=path, levels=", ".join(choices) or "-")
        else:
            hint = _LevelHint(str(level), choices)
            msg = Message(cls._IDS[reason], path=path, level=level, hint=hint)
        err = cls(str(msg)).translatable(msg)
        err.path, err.level, err.reason, err.choices = path, level, reason, tuple(choices)
        err.inputs_by_level = {}
        return err

    @classmethod
    def mixed(cls, path: str, inputs_by_level: Mapping[str, Sequence[str]]) -> InputsLevelError:
        """Return the error of a file whose columns are inputs of different levels.

        Examples
        --------
        >>> err = InputsLevelError.mixed("x.csv", {"commune": ["c1_plan"], "organisation":
        ...     ["learning_plan", "study_plan_share"]})
        >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
        x.csv: the columns are inputs of different levels (commune: c1_plan; organisation:
        learning_plan, study_plan_share): put each level's inputs in a file of its own
        >>> err.choices
        ('commune', 'organisation')
        """
        by_level = {lv: tuple(names) for lv, names in inputs_by_level.items()}
        msg = Message(cls._IDS["mixed"], path=path, levels=inputs_by_level_text(by_level))
        err = cls(str(msg)).translatable(msg)
        err.path, err.level, err.reason, err.choices = path, None, "mixed", tuple(by_level)
        err.inputs_by_level = by_level
        return err


def inputs_by_level_text(inputs_by_level: Mapping[str, Sequence[str]]) -> str:
    """Return a file's input columns by level as messages say them.

    Examples
    --------
    >>> inputs_by_level_text({"village": ["learning_week_held"], "organisation": ["a", "b"]})
    'village: learning_week_held; organisation: a, b'
    """
    return "; ".join(f"{lv}: {', '.join(names)}" for lv, names in inputs_by_level.items())


def inputs_key(cell: str) -> str:
    """Return :data:`INPUTS_KEY` for a header cell that may be an inputs file's key, else the cell.

    The keys :func:`key_column` takes: ``code``, ``unit_code``, ``id``, ``LEVEL_code``,
    ``LEVEL_id``, any column whose first word is ``Mã`` (``Mã xã``, ``MA THON``), and a
    column of the units' names (``Tên thôn``), for a sheet that has no codes.

    Examples
    --------
    >>> [inputs_key(c) for c in ("Mã xã", "Tên thôn", "c1_plan")]
    ['Mã', 'Mã', 'c1_plan']
    """
    if cell in ("code", "unit_code", "id") or cell.endswith(("_code", "_id")):
        return INPUTS_KEY
    folded = fold_column(cell)
    return INPUTS_KEY if folded.split()[:1] == ["ma"] or is_name_column(cell) else cell


def key_column(level: str, columns: Collection[str], units: bool, path: str) -> str:
    """Return the key column of an inputs file of ``level`` (see :func:`read_inputs`).

    Examples
    --------
    >>> key_column("village", ["Tên thôn", "village_learning_activities"], True, "t.csv")
    'Tên thôn'
    """
    keys = (
        ("code", "unit_code", f"{level}_code", "id", "Mã", "Mã đơn vị")
        if units
        else (f"{level}_id", "id", "Mã")
    )
    for key in keys:
        if key in columns:
            return key
    # Clerks name the key after the level (Mã xã, Mã thôn, Mã hộ), as they name the
    # names column (Tên xã): the one column whose first word is "Mã" is the key.
    coded = [c for c in columns if fold_column(c).split()[:1] == ["ma"]]
    if len(coded) == 1:
        return coded[0]
    if units and not coded:
        # A sheet of villages by name alone (Tên thôn): its units are found by their names,
        # as a households file's are; a name two units share is an ambiguous_unit reject.
        named = [c for c in columns if is_name_column(c, level)]
        if len(named) == 1:
            return named[0]
    msg = Message(
        N_("missing: an inputs file of {level}s needs it (or {keys})"),
        level=level,
        level_text=level,  # the level as the reader says it ("cấp xã")
        keys=", ".join(keys[1:]),
    )
    raise SchemaError(path, keys[0], str(msg)).translatable(msg)


def input_word(
    word: str,
    spec: Any,
    decimal: str | None,
    date1904: bool = False,
    words: Mapping[str, str] | None = None,
) -> tuple[float, str]:
    """Read one distinct cell of an input column: (value or NaN, reject reason or "").

    ``date1904``: the cell is from a workbook in Excel's 1904 date system; ``words``: the
    mapping file's value map of the column (``"Đạt" = 1``), read before the built-in words.
    """
    word = unicodedata.normalize("NFC", word).strip()
    mapped = map_word(words, word) if words else None
    word = word if mapped is None else mapped
    folded = word.casefold()
    if not word:
        return np.nan, ""  # an empty cell is an unknown value, not a reject
    if is_excel_error(word):
        return np.nan, "excel_error"  # #N/A, #VALUE! ...: a formula that failed
    if spec.kind == "bool":
        if folded in INPUT_YES_WORDS or folded in INPUT_NO_WORDS:
            return float(folded in INPUT_YES_WORDS), ""
        return np.nan, "unknown_code"
    if spec.kind == "code":
        codes = {unicodedata.normalize("NFC", n).casefold(): c for n, c in spec.value_type.codes}
        if folded in codes:
            return float(codes[folded]), ""
        if word.isdigit() and int(word) in codes.values():
            return float(word), ""
        return np.nan, "unknown_code"
    # Numbers as every reader takes them (learnsoc.model.schema): with a decimal comma,
    # 1.250 is 1250, not 1.25; "1_0", "inf", "nan" and fullwidth digits are no numbers.
    from learnsoc.io.convert import number_text
    from learnsoc.model.schema import thousand_like

    if spec.kind == "int" and decimal != "," and thousand_like(word):
        return np.nan, "thousands_dot"  # 1.000: a thousand, or 1 (see the schema)
    # A share typed as a percentage (85%, 85,5 %), as an evaluator's sheet shows it: a
    # hundredth of the number. A cell formatted as a percentage holds 0.85 already.
    percent = spec.kind == "float" and word.endswith("%") and word[:-1].strip() != ""
    text = number_text(word[:-1].rstrip() if percent else word, decimal or ".")
    if not _NUMBER_TEXT.fullmatch(text):
        # A number typed into a cell formatted as Date comes as a date: said so.
        shown_as_date = excel_number(word, date1904=date1904) is not None
        return np.nan, "number_as_date" if shown_as_date else "not_a_number"
    x = float(text) / 100 if percent else float(text)
    if spec.kind == "int" and not x.is_integer():
        return np.nan, "not_integer"
    if spec.range is not None and not spec.range[0] <= x <= spec.range[1]:
        return np.nan, "out_of_range"
    return x, ""


def expected_input(spec: Any) -> str:
    """Return what an input's cells may hold, as its rejects say it.

    Examples
    --------
    >>> import learnsoc as ls
    >>> [expected_input(s) for s in ls.load_rulebook("vn-national").inputs][:1]
    ['có/không, 1/0']
    """
    if spec.kind == "bool":
        return "có/không, 1/0"
    if spec.kind == "code":
        return ", ".join(name for name, _ in spec.value_type.codes)
    if spec.range is not None:
        return f"{spec.range[0]:g}..{spec.range[1]:g}"
    return ""


#: A mapping line naming no input of the rulebook, as a value map or a column's target.
_NOT_AN_INPUT = N_("{name!r} is not an input of the rulebook{hint}")


def check_value_maps(
    fmap: FileMapping, specs: Mapping[str, Mapping[str, Any]], decimal: str | None
) -> None:
    """Refuse an ``[inputs.values]`` map the rulebook's inputs cannot take, at its line.

    A column that is no input (a typo: its words were never used) and a word mapped onto
    a value its input would reject (``"Tốt" = "banana"`` for a yes/no input): each row
    was rejected showing the evaluator's word, as if the sheet were wrong.

    Raises
    ------
    MappingError
        Naming the mapping file's line, with the rulebook's inputs (did you mean).

    Examples
    --------
    >>> import learnsoc as ls
    >>> book = ls.load_rulebook("vn-national")
    >>> specs = {"village": {s.name: s for s in book.inputs if s.level == "village"}}
    >>> fmap = FileMapping.from_dict(
    ...     {"inputs": {"values": {"village_learning_activities": {"Tốt": "banana"}}}})
    >>> try:
    ...     check_value_maps(fmap, specs, ".")
    ... except LearnsocError as err:
    ...     print(err)  # doctest: +ELLIPSIS
    [inputs.values.village_learning_activities.Tốt]: 'banana' is not a valid value ...
    """
    by_name = {name: spec for level_specs in specs.values() for name, spec in level_specs.items()}
    for (table, column), pairs in fmap.written_values.items():
        if table != "inputs" or inputs_key(column) == INPUTS_KEY:
            continue  # the key column's words (unit names) are codes, not inputs
        spec = by_name.get(column)
        if spec is None:
            # A value map named by the file's header, not the input it is mapped onto.
            renamed = fmap.table("inputs").schema_name(column)
            hint = f"; did you mean {renamed!r}?" if renamed in by_name else ""
            msg = Message(
                _NOT_AN_INPUT,
                name=column,
                hint=hint or did_you_mean(column, by_name),
            )
            raise fmap.error_at(msg, ("inputs", "values", column))
        for word, target in pairs:
            if input_word(target, spec, decimal)[1]:
                msg = Message(
                    N_("{value!r} is not a valid value of {name!r} (expected {expected})"),
                    value=target,
                    name=column,
                    expected=expected_input(spec),
                )
                raise fmap.error_at(msg, ("inputs", "values", column, word))


def check_column_targets(fmap: FileMapping, specs: Mapping[str, Mapping[str, Any]]) -> None:
    """Refuse an ``[inputs.columns]`` line naming no input of the rulebook, at its line.

    ``"Hoạt động" = "village_learning_activites"`` (a typo) was refused only by a sheet
    headed ``Hoạt động``, as an unknown input of the sheet: a mapping checked on another
    sheet kept it, and the first sheet to use it stopped the run. A key (``code``,
    ``household_id``, ``Mã thôn``) is no input and is taken.

    Raises
    ------
    MappingError
        Naming the mapping file's line, with the rulebook's close input (did you mean).

    Examples
    --------
    >>> import learnsoc as ls
    >>> book = ls.load_rulebook("vn-national")
    >>> specs = {"village": {s.name: s for s in book.inputs if s.level == "village"}}
    >>> fmap = FileMapping.from_dict(
    ...     {"inputs": {"columns": {"Hoạt động": "village_learning_activites"}}}, file="m.toml")
    >>> try:
    ...     check_column_targets(fmap, specs)
    ... except LearnsocError as err:
    ...     print(err)  # doctest: +ELLIPSIS
    m.toml [inputs.columns...]: 'village_learning_activites' is not an input of the rulebook; \
did you mean 'village_learning_activities'?
    """
    names = sorted({name for level_specs in specs.values() for name in level_specs})
    for header, target in fmap.table("inputs").columns.items():
        if target in names or inputs_key(target) == INPUTS_KEY:
            continue
        if is_row_number(target) or is_note_column(target):
            continue  # left out as the sheet's own would be (STT, Ghi chú)
        msg = Message(
            _NOT_AN_INPUT,
            name=target,
            hint=did_you_mean(target, names),
        )
        written = fmap.column_keys.get(("inputs", header), header)
        raise fmap.error_at(msg, ("inputs", "columns", written))


def input_values(
    text: NDArray[Any],
    spec: Any,
    decimal: str | None,
    date1904: bool = False,
    given: Mapping[str, str] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.str_], str]:
    """Read an input column: values (NaN when unknown), each cell's reject reason, expected.

    ``given``: the mapping file's value map of the column (see :func:`input_word`).

    Each distinct cell is read once, so a million households cost a few distinct words.
    """
    expected = expected_input(spec)
    words, inverse = np.unique(np.asarray(text, dtype=str), return_inverse=True)
    read = [input_word(w, spec, decimal, date1904, given) for w in words.tolist()]
    values = np.array([v for v, _ in read], np.float64)[inverse]
    reasons = np.array([r for _, r in read], dtype=str)[inverse]
    return values, reasons, expected


def read_inputs(
    path: PathLike | Sequence[PathLike | tuple[str | None, PathLike]],
    rulebook: Rulebook,
    population: Population,
    *,
    level: str | None = None,
    mapping: FileMapping | PathLike | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    sheet: SheetChoice = None,
    header_row: int | None = None,
    unknown_columns: str | None = None,
) -> tuple[Inputs, FileRejects]:
    r"""Read evaluators' inputs files into ``evaluate``'s ``inputs=``, with their rejects.

    What ``learnsoc evaluate --inputs LEVEL=FILE`` reads, for Python users. Each file holds
    one row per unit (or household, person, clan, organisation) of one level:

    - the key: ``code`` (also ``unit_code``, ``LEVEL_code``, ``id``, ``Mã``) for units,
      ``LEVEL_id`` (or ``id``) for entities, else the one column whose first word is
      ``Mã`` (``Mã xã``, ``Mã hộ``); a sheet of units without codes is keyed by its one
      column of names (``Tên thôn``): a name one unit of the level has is that unit (with
      a warning), a name several units share is an ``ambiguous_unit`` reject naming them;
    - one column per input the rulebook declares at that level (``rulebook.inputs``); a
      column of names (``Tên xã``) or row numbers (``STT``) is left out; any other column
      is an error with a "did you mean" hint, unless ``unknown_columns="ignore"``;
    - yes/no cells: ``Có``/``Không``, ``Đạt``/``Không đạt``, ``x``, ``✓``, ``1``/``0``,
      ``Đúng``/``Sai``, ``Chưa`` ...; codes by name or number; an empty cell is unknown.

    The mapping file's ``[inputs]`` table renames columns (``"Hoạt động học tập" =
    "village_learning_activities"``), leaves some out (``ignore``) and maps the evaluator's
    words (``[inputs.values.INPUT]``); its delimiter, encoding and decimal mark apply.

    Parameters
    ----------
    path : str or path, or a sequence of them
        The inputs file; several files (each a path, or a ``(level, path)`` pair) are read
        in turn, a later file's known values winning over an earlier one's for one level.
    rulebook : Rulebook
        The rulebook whose inputs the files give.
    population : Population
        The population evaluated: its units and ids are what the keys must name.
    level : str, optional
        The files' level (``"commune"``, or its name ``"xã"``, ``"cấp xã"``); by default
        the only level whose inputs include every input column of the file.
    mapping : FileMapping or path, optional
        The mapping file (see :func:`~learnsoc.io.mapping.read_mapping`).
    delimiter, decimal, encoding, sheet, header_row
        As for :func:`~learnsoc.io.population.read_population`.
    unknown_columns : {"error", "ignore"}, optional
        What to do with a column that is no input (default: the mapping's, else error).

    Returns
    -------
    inputs : dict
        ``{level: {input: values}}``, one value per entity of the level in the
        population's order (NaN: unknown), for ``evaluate(..., inputs=inputs)``.
    rejects : FileRejects
        The rows refused, by file, line and column; ``counts()`` per ``LEVEL inputs``
        table gives (read, accepted, rejected).

    Raises
    ------
    InputsLevelError
        The level given (or found from the columns) is not one of the rulebook's inputs,
        or the data have no such level.
    SchemaError
        The file has no key column, or a column that is not an input of its level.
    MappingError
        The mapping file's ``[inputs.values]`` names no input of the rulebook, or maps a
        word onto a value its input cannot take (``"Tốt" = "banana"`` for a yes/no input),
        at its line.

    Examples
    --------
    A sheet of villages written by name, headed in Vietnamese, with the evaluator's own
    words mapped by the mapping file (see the module's example for a commune's sheet):

    >>> import tempfile, pathlib, warnings
    >>> import learnsoc as ls
        >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "units.csv").write_text(
    ...     "code,name,level,parent_code\n01,Tỉnh A,province,\n001,Xã B,commune,01\n"
    ...     "T1,Thôn Đông,village,001\nT2,Thôn Tây,village,001\n", "utf-8")
    >>> _ = (folder / "ho.csv").write_text("household_id,unit_code\nH1,T1\nH2,T2\n", "utf-8")
    >>> _ = (folder / "nk.csv").write_text("person_id,household_id,age\n1,H1,40\n2,H2,30\n",
    ...                                    "utf-8")
    >>> pop = ls.read_population(folder / "nk.csv", households=folder / "ho.csv",
    ...                          units=folder / "units.csv")
    >>> _ = (folder / "map.toml").write_text(
    ...     '[inputs.columns]\n"Hoạt động học tập" = "village_learning_activities"\n'
    ...     '[inputs.values.village_learning_activities]\n"Tốt" = 1\n"Chưa tốt" = 0\n', "utf-8")
    >>> _ = (folder / "thon.csv").write_text(
    ...     "STT;Tên thôn;Hoạt động học tập\n1;Thôn Đông;Tốt\n2;Thôn Tây;Chưa tốt\n"
    ...     "3;Thôn Nam;Tốt\n", "utf-8")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # "2 villages written by their names"
    ...     inputs, rejects = read_inputs(folder / "thon.csv", ls.load_rulebook("vn-national"),
    ...                                   pop, mapping=folder / "map.toml")
    >>> inputs["village"]["village_learning_activities"]
    array([1., 0.])
    >>> for r in rejects.records("vi"):
    ...     print(r.message)  # doctest: +ELLIPSIS
    /.../thon.csv, dòng 4, cột Tên thôn: đơn vị hành chính 'Thôn Nam' không tồn tại
    >>> rejects.counts()["village inputs"]  # read, accepted, rejected
    (3, 2, 1)
    """
    # Imported here as the annotations are (learnsoc.io loads without the rules).
    from learnsoc.model.population import Population as PopulationType
    from learnsoc.rules.rulebook import Rulebook as RulebookType

    check_argument(rulebook, "rulebook", RulebookType, A_RULEBOOK)
    check_argument(population, "population", PopulationType, A_POPULATION)
    specs: dict[str, dict[str, Any]] = {}
    for spec in rulebook.inputs:
        specs.setdefault(spec.level, {})[spec.name] = spec
    fmap = resolve_mapping(mapping)
    check_column_targets(fmap, specs)
    check_value_maps(fmap, specs, decimal or fmap.decimal)
    ignore = (unknown_columns or fmap.unknown_columns) == "ignore"
    reading = {
        "delimiter": delimiter,
        "decimal": decimal,
        "encoding": encoding,
        "sheet": sheet,
        "header_row": header_row,
    }
    inputs: Inputs = {}
    found: list[FileRejects] = []
    tables: set[str] = set()
    for given, one in _files(path, level):
        at, values, rejects = _read_one(
            str(one), given, specs, population, fmap, ignore, tables, reading
        )
        at_level = inputs.setdefault(at, {})
        for name, column in values.items():
            before = at_level.get(name)
            # Two files for one level: a later file's known values win.
            at_level[name] = (
                column if before is None else np.where(np.isnan(column), before, column)
            )
        found.append(rejects)
    if len(found) == 1:
        return inputs, found[0]
    joined = join_rejects(FileRejects(), found)  # a FileRejects: found is not empty
    return inputs, joined if isinstance(joined, FileRejects) else FileRejects()


def _files(
    path: PathLike | Sequence[PathLike | tuple[str | None, PathLike]], level: str | None
) -> list[tuple[str | None, PathLike]]:
    """Return the files to read as (level or None, path) pairs."""
    if isinstance(path, (str, OsPathLike)):
        return [(level, path)]
    return [item if isinstance(item, tuple) else (level, item) for item in path]


def inputs_level(
    level: str | None,
    columns: Collection[str],
    specs: Mapping[str, Any],
    path: str,
    present: Collection[str] = (),
) -> str:
    """Return the level of an inputs file: the given one, or the one its columns are of.

    ``present``: the levels the data have; of the levels whose inputs the columns are,
    those are taken first (``c1_plan`` is an input of communes and of districts, and a
    tree of 2025 has no districts).
    """
    if level is not None:
        named = level_named(level, list(specs)) or level
        if named not in specs:
            raise InputsLevelError.at(path, level, "no_inputs", list(specs))
        return named
    given = {c for c in columns if any(c in names for names in specs.values())}
    # The level whose inputs include every input column of the file (a name such as
    # level1_12_months is an input of several levels; c1_policies of provinces only).
    matched = [lv for lv, names in specs.items() if given and given <= set(names)]
    matched = [lv for lv in matched if lv in present] or matched
    if not matched and given:
        # Commune and organisation inputs in one sheet: no level has them all; say
        # which columns are whose (of the levels the data have, as above), not
        # "inputs of: -".
        by_level = {lv: [c for c in names if c in given] for lv, names in specs.items()}
        by_level = {lv: cs for lv, cs in by_level.items() if cs}
        kept = {lv: cs for lv, cs in by_level.items() if lv in present}
        if set().union(*kept.values()) == given:
            by_level = kept
        raise InputsLevelError.mixed(path, by_level)
    if len(matched) != 1:
        raise InputsLevelError.at(path, None, "columns", matched)
    return matched[0]


def _read_one(
    path: str,
    given: str | None,
    specs: Mapping[str, Mapping[str, Any]],
    pop: Population,
    fmap: FileMapping,
    ignore_unknown: bool,
    tables: set[str],
    reading: Mapping[str, Any],
) -> tuple[str, dict[str, NDArray[np.float64]], FileRejects]:
    """Read one inputs file: its level, ``{input: value per entity (NaN: unknown)}``, rejects."""
    from learnsoc.io.convert import text_columns
    from learnsoc.io.headers import KeyedHeader
    from learnsoc.limits import MAX_CELL_CHARS
    from learnsoc.model.ids import IdIndex, align_id_kinds, normalize_ids
    from learnsoc.model.population import locate_units
    from learnsoc.rejects import RejectBatch, Rejects

    h = pop.hierarchy
    level = inputs_level(given, (), specs, path) if given else None
    # The header is found below a title as a census file's is (its key and an input), so
    # that files whose titles are of other heights need no header_row.
    inputs = frozenset(n for level_specs in specs.values() for n in level_specs)
    # The mapping's [inputs] table names the columns as for the other tables ("Hoạt động
    # học tập" = "village_learning_activities"), the header found under those names too.
    tmap = fmap.table("inputs")
    find = KeyedHeader((INPUTS_KEY,), lambda c: inputs_key(tmap.schema_name(c)), others=inputs)
    raw = read_table(path, None, mapping=fmap, find=find, **reading)
    # The header settles the level and the columns before any cell is converted.
    written = inputs_columns(raw.header, tmap, path)
    header = list(written)
    present = [*h.levels, *_UNKNOWN_ID]
    level = level or inputs_level(None, header, specs, path, present)
    units = level in h.levels
    if not units and level not in _UNKNOWN_ID:
        # The levels the file could be of: those of the rulebook's inputs the data have.
        choices = [lv for lv in specs if lv in h.levels or lv in _UNKNOWN_ID]
        raise InputsLevelError.at(path, given or level, "not_in_data", choices)
    key = key_column(level, header, units, path)
    # An input's own name wins over the name-column spellings (and the notes', Ghi chú);
    # any other column is a
    # typo until shown otherwise, so it stops the reading with a hint.
    names = [
        c
        for c in header
        if c != key
        and (
            c in specs[level]
            or not (is_name_column(c, level) or is_row_number(c) or is_note_column(c))
        )
    ]
    for name in names:
        if name not in specs[level] and not ignore_unknown:
            # level_text: the level as the reader says it ("cấp xã"), not learnsoc's name.
            msg = Message(
                N_("is not an input of {level}s in the rulebook"), level=level, level_text=level
            )
            header_cell = written[name]
            raise SchemaError(path, header_cell, str(msg), choices=specs[level]).translatable(msg)
    names = [c for c in names if c in specs[level]]
    long_by_header: dict[str, tuple[NDArray[np.int64], list[str]]] = {}
    numbers_by_header: dict[str, NDArray[np.int64]] = {}
    by_header = text_columns(raw, too_long=long_by_header, long_numbers=numbers_by_header)
    # Keyed by the names read (the mapping's), as the rest of the reader speaks.
    cols = {name: by_header[h] for name, h in written.items()}
    long_cells = {n: long_by_header[h] for n, h in written.items() if h in long_by_header}
    long_numbers = {n: numbers_by_header[h] for n, h in written.items() if h in numbers_by_header}
    # Rejects and warnings name the file's own headers (Thôn, not code).
    renamed = {name: h for name, h in written.items() if name != h}
    table = f"{level} inputs"
    while table in tables:  # two files for one level: count each on its own
        table += "'"
    tables.add(table)
    codes, missing = normalize_ids(cols[key])
    # A unit's name several units have (Thôn 1): (its rows, those units), refused below.
    shared: list[tuple[NDArray[np.intp], str]] = []
    if units:
        # Codes a spreadsheet stored as numbers (4 for 00004) name their unit when exactly
        # one unit of the level fits them, with a warning, as households' and counts' do.
        at = [h.level_number(level)]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            codes, missing, lev, local = locate_units(cols[key], h, level, at)
            codes = units_by_name(codes, missing, lev, local, h, level, at, shared)
        # Named as the file and its key column (Mã xã), not as learnsoc's unit_code.
        source = {
            **getattr(pop.rejects, "sources", {}),
            level: Source(raw.file, raw.layout, columns={"unit_code": written[key]}),
        }
        for item in caught:
            warnings.warn(in_file(item.message, source), stacklevel=3)
    ids, query = align_id_kinds(pop.ids(level), codes)
    pos, known = IdIndex(ids).lookup(query)
    n = len(codes)
    batches: list[RejectBatch] = []
    rejected = np.zeros(n, np.bool_)

    def reject(
        mask: NDArray[np.bool_], column: str, reason: str, values: Any, expected: str = ""
    ) -> None:
        rows = np.flatnonzero(mask & ~too_long)
        if len(rows):
            cells = np.asarray(values)[rows]
            batches.append(RejectBatch(table, column, reason, rows, cells, expected))
            rejected[rows] = True

    # A cell too long to read (blank in cols) rejects its row for that alone, as in the
    # population's files: the rest of the file is read.
    too_long = np.zeros(n, np.bool_)
    for name, (rows, cut) in long_cells.items():
        if name == key or name in names:
            limit = str(MAX_CELL_CHARS)
            batches.append(RejectBatch(table, name, "cell_too_long", rows, cut, limit))
            too_long[rows] = rejected[rows] = True
    shown = cols[key]
    reject(missing, key, "missing_value", shown)
    ambiguous = np.zeros(n, np.bool_)
    for named_rows, candidates in shared:
        one_name = np.zeros(n, np.bool_)
        one_name[named_rows] = True
        reject(one_name, key, "ambiguous_unit", shown, candidates)
        ambiguous |= one_name
    # #N/A where a formula looked the id up: said so, not as an unknown id.
    failed = np.zeros(n, np.bool_)
    failed[excel_error_rows(shown)] = True
    reject(failed, key, "excel_error", shown)
    # A workbook's number of 16 digits or more: its digits after the 15th were saved as 0,
    # so it may name another household (or none), as in the population's id columns.
    lost = np.zeros(n, np.bool_)
    lost[long_numbers.get(key, np.zeros(0, np.int64))] = True
    reject(lost, key, "digits_lost", shown)
    failed |= lost
    unknown = ~known & ~missing & ~failed & ~ambiguous
    if units:
        where, _ = h.locate(np.asarray(codes).astype(str))
        elsewhere = unknown & (where >= 0)
        reject(elsewhere, key, "wrong_level", shown, level)
        reject(unknown & ~elsewhere, key, "unknown_unit", shown)
    else:
        reject(unknown, key, _UNKNOWN_ID[level], shown)
    repeated = IdIndex(codes).duplicated() & ~missing & ~failed & ~ambiguous
    reject(repeated, key, "duplicate_id", shown)
    read: dict[str, NDArray[np.float64]] = {}
    for name in names:
        decimal = reading.get("decimal") or fmap.decimal
        spec = specs[level][name]
        words = fmap.value_map("inputs", name, spec.kind)
        cells, reasons, expected = input_values(cols[name], spec, decimal, raw.date1904, words)
        for reason in sorted(set(reasons.tolist()) - {""}):
            date_hint = HINTS_1904[NUMBER_HINT] if raw.date1904 else NUMBER_HINT
            hint = date_hint if reason == "number_as_date" else expected
            reject(reasons == reason, name, reason, cols[name], hint)
        read[name] = cells
    ok = np.flatnonzero(~rejected)
    values = {}
    for name, cells in read.items():
        column = np.full(len(ids), np.nan)
        column[pos[ok]] = cells[ok]
        values[name] = column
    # Read = the file's records (a malformed line is one), as for the population's files.
    found = Rejects(tuple(batches), {table: raw.layout.n_records})
    read_from = Source(raw.file, raw.layout, columns=renamed)
    return level, values, FileRejects.locate(found, {table: read_from})


def inputs_columns(header: Sequence[str], tmap: Any, path: str) -> dict[str, str]:
    """Return an inputs file's columns as ``{name read: the file's header}``.

    The names read are the mapping's ``[inputs]`` ones (the header itself when not
    renamed); its ``ignore`` columns, and the columns a sheet left unnamed, are left out.
    A header read as one column because the file has another separator is refused with
    that separator (not as a missing key column).
    """
    joined = one_column_header(header)
    if joined is not None:
        raise file_error(joined, file=path)
    out: dict[str, str] = {}
    for cell in header:
        if cell.startswith("<column ") or tmap.ignores(cell):
            continue
        name = tmap.schema_name(cell)
        if name in out:
            msg = Message(N_("several file columns map onto {name!r}"), name=name)
            raise SchemaError(path, cell, str(msg)).translatable(msg)
        out[name] = cell
    return out


def units_by_name(
    codes: Any,
    missing: NDArray[np.bool_],
    lev: NDArray[Any],
    local: NDArray[Any],
    h: Any,
    level: str,
    at: Sequence[int],
    shared: list[tuple[NDArray[np.intp], str]],
) -> Any:
    """Return the key codes with a unit written by its name (Thôn Đông) as its code.

    As the households' and counts' readers take them: a name one unit of the level has is
    that unit, with a warning; the rows of a name several units have go to ``shared``
    (with those units, for their ``ambiguous_unit`` reject) and keep the name.
    """
    from learnsoc.model.unit_names import place_by_name

    def refuse(rows: NDArray[np.intp], units: str) -> None:
        shared.append((rows, units))

    not_found = (lev < 0) & ~missing
    lev, local, _ = place_by_name(codes, not_found, lev, local, h, level, at, refuse)
    named = not_found & (lev >= 0)
    if not named.any():
        return codes
    placed = h.codes[h.starts[lev[named]] + local[named]]
    codes = np.asarray(codes).astype(np.result_type(np.asarray(codes).dtype, placed.dtype))
    codes[named] = placed
    return codes
