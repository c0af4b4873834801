"""The raw layer of a rulebook file: its TOML tables checked key by key into entries.

Every table of a rule file is checked against the keys it may hold (unknown keys list the
allowed ones, with a "did you mean") and kept as an :class:`Entry`: its values, each with
the place it was written (:class:`At`: file and key path), so that any later error names
the file, line and key, even once entries from several files are merged (``extends``).
Values are not interpreted here: :mod:`learnsoc.rules._build` reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path as FsPath
from typing import Any

from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc._toml import Locator, Path, TomlFile, format_path
from learnsoc.errors import RulebookError
from learnsoc.rules.entries import Origin, kind_text

__all__ = [
    "RULEBOOK_ID",
    "At",
    "Entry",
    "RawBook",
    "RawTitle",
    "RawVersion",
    "RuleFile",
    "check_keys",
    "kind_text",
    "raw_date",
    "read_entries",
]

_TOP = ("rulebook", "sources", "inputs", "parameters", "derived", "titles")
_RULEBOOK_KEYS = (
    "format",
    "id",
    "name",
    "issuer",
    "version",
    "extends",
    "effective_from",
    "effective_to",
    "last_checked",
    "levels",
    "description",
)
_SOURCE_KEYS = ("document", "title", "date", "in_force", "url", "evidence", "note")
_INPUT_KEYS = (
    "kind",
    "label",
    "range",
    "codes",
    "code_labels",
    "ordered",
    "source",
    "clause",
    "note",
)
_PARAMETER_KEYS = (
    "label",
    "values",
    "value",
    "uncertain",
    "note",
    "source",
    "clause",
    "last_checked",
)
_VALUE_KEYS = ("from", "to", "value")
_DERIVED_KEYS = ("expr", "label", "on_empty", "note")
_TITLE_KEYS = (
    "level",
    "label",
    "term",
    "eligible",
    "rule",
    "pass_mark",
    "grades",
    "description",
    "note",
    "abolished",
    "versions",
)
_GRADE_KEYS = ("code", "min", "id", "label")
_VERSION_KEYS = (
    "effective_from",
    "effective_to",
    "source",
    "in_force",
    "replaced_by",
    "uncertain",
    "note",
    "last_checked",
    "criteria",
    "remove",
)
_CRITERION_KEYS = (
    "id",
    "label",
    "expr",
    "on_empty",
    "clause",
    "source",
    "points",
    "required",
    "uncertain",
    "note",
)
#: A rulebook's id (also the name of a bundled rulebook's file).
RULEBOOK_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")


class RuleFile(TomlFile[RulebookError]):
    """One rule file: its display name, its directory and where its keys are."""

    def __init__(self, name: str, locator: Locator, directory: FsPath | None) -> None:
        super().__init__(name, locator, RulebookError)
        self.name: str = name
        self.directory = directory


class At:
    """A key's place: the file that gave it and its key path there."""

    __slots__ = ("file", "path")

    def __init__(self, file: RuleFile, path: Path) -> None:
        self.file = file
        self.path = path

    def error(self, message: Message) -> RulebookError:
        return self.file.error(message, self.path)

    def origin(self) -> Origin:
        line, _ = self.file.position(self.path)
        return Origin(self.file.name, line, format_path(self.path))

    def value_position(self) -> tuple[int | None, int | None]:
        found = self.file.locator.value_position(self.path)
        if found is None:
            # An inline table or array: positions inside the condition are unknown.
            return (None, None)
        return found


class Entry:
    """A table's keys, each with the place it was written (entries merge across files)."""

    __slots__ = ("at", "home", "values")

    def __init__(
        self, file: RuleFile, path: Path, table: Mapping[str, Any], skip: Iterable[str] = ()
    ):
        skipped = set(skip)
        self.values: dict[str, Any] = {k: v for k, v in table.items() if k not in skipped}
        self.at: dict[str, At] = {k: At(file, (*path, k)) for k in self.values}
        self.home = At(file, path)

    def merged(self, child: Entry) -> Entry:
        out = Entry.__new__(Entry)
        out.values = dict(self.values)
        out.at = dict(self.at)
        out.home = child.home
        exclusive = {"value": "values", "values": "value"}
        for key, value in child.values.items():
            other = exclusive.get(key)
            if other is not None:
                out.values.pop(other, None)
                out.at.pop(other, None)
            out.values[key] = value
            out.at[key] = child.at[key]
        return out

    def place(self, key: str) -> At:
        return self.at.get(key, self.home)

    def error(self, message: Message, key: str | None = None) -> RulebookError:
        return (self.home if key is None else self.place(key)).error(message)

    def get(self, key: str) -> Any:
        return self.values.get(key)


class RawVersion:
    __slots__ = ("criteria", "entry", "remove", "start")

    def __init__(self, entry: Entry, start: dt.date, criteria: list[Entry]) -> None:
        self.entry = entry
        self.start = start
        self.criteria = criteria
        self.remove: list[tuple[str, At]] = []


class RawTitle:
    __slots__ = ("entry", "versions")

    def __init__(self, entry: Entry, versions: list[RawVersion]) -> None:
        self.entry = entry
        self.versions = versions


class RawBook:
    """One file's entries, before or after merging with its parents."""

    def __init__(self, file: RuleFile, meta: Entry) -> None:
        self.file = file
        self.meta = meta
        self.sources: dict[str, Entry] = {}
        self.inputs: dict[tuple[str, str], Entry] = {}
        self.parameters: dict[str, Entry] = {}
        self.derived: dict[tuple[str, str], Entry] = {}
        self.titles: dict[str, RawTitle] = {}
        self.chain: list[str] = [file.name]


def check_keys(
    table: Mapping[str, Any], allowed: Sequence[str], file: RuleFile, path: Path
) -> None:
    file.check_keys(table, allowed, path, list_allowed=True)


def _table(value: Any, file: RuleFile, path: Path, what: str | Phrase) -> dict[str, Any]:
    if not isinstance(value, dict):
        msg = Message(
            N_("{what} must be a table, not {kind_text}"), what=what, kind_text=kind_text(value)
        )
        raise file.error(msg, path)
    return value


def _tables(value: Any, file: RuleFile, path: Path, what: str | Phrase) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        msg = Message(
            N_("{what} must be an array of tables ([[{path}]]), not {kind_text}"),
            what=what,
            path=format_path(path),
            kind_text=kind_text(value),
        )
        raise file.error(msg, path)
    return value


def raw_date(value: Any, file: RuleFile, path: Path) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        msg = Message(
            N_("expected a date such as 2021-01-01 (no quotes), not {kind_text}"),
            kind_text=kind_text(value),
        )
        raise file.error(msg, path)
    return value


def read_entries(data: dict[str, Any], file: RuleFile) -> RawBook:
    """Check one file's structure (every key known) and collect its entries."""
    check_keys(data, _TOP, file, ())
    if "rulebook" not in data:
        msg = Message(N_("a rulebook needs a [rulebook] table with its id, name and version"))
        raise file.error(msg, ())
    meta_table = _table(data["rulebook"], file, ("rulebook",), "[rulebook]")
    check_keys(meta_table, _RULEBOOK_KEYS, file, ("rulebook",))
    raw = RawBook(file, Entry(file, ("rulebook",), meta_table))

    for sid, table in _table(data.get("sources", {}), file, ("sources",), "[sources]").items():
        path: Path = ("sources", sid)
        check_keys(
            _table(table, file, path, Phrase(Message(N_("source {name!r}"), name=sid))),
            _SOURCE_KEYS,
            file,
            path,
        )
        raw.sources[sid] = Entry(file, path, table)

    for kind, keys, target in (
        ("inputs", _INPUT_KEYS, raw.inputs),
        ("derived", _DERIVED_KEYS, raw.derived),
    ):
        for level, names in _table(data.get(kind, {}), file, (kind,), f"[{kind}]").items():
            level_path: Path = (kind, level)
            for name, table in _table(names, file, level_path, f"[{kind}.{level}]").items():
                path = (kind, level, name)
                check_keys(_table(table, file, path, f"{kind} {name!r}"), keys, file, path)
                target[(level, name)] = Entry(file, path, table)

    params = _table(data.get("parameters", {}), file, ("parameters",), "[parameters]")
    for name, table in params.items():
        path = ("parameters", name)
        check_keys(
            _table(table, file, path, Phrase(Message(N_("parameter {name!r}"), name=name))),
            _PARAMETER_KEYS,
            file,
            path,
        )
        if "values" in table:
            for i, item in enumerate(_tables(table["values"], file, (*path, "values"), "values")):
                check_keys(item, _VALUE_KEYS, file, (*path, "values", i))
        raw.parameters[name] = Entry(file, path, table)

    for tid, table in _table(data.get("titles", {}), file, ("titles",), "[titles]").items():
        raw.titles[tid] = _raw_title(tid, table, file)
    return raw


def _raw_title(tid: str, table: Any, file: RuleFile) -> RawTitle:
    path: Path = ("titles", tid)
    check_keys(
        _table(table, file, path, Phrase(Message(N_("title {name!r}"), name=tid))),
        _TITLE_KEYS,
        file,
        path,
    )
    for i, grade in enumerate(_tables(table.get("grades", []), file, (*path, "grades"), "grades")):
        check_keys(grade, _GRADE_KEYS, file, (*path, "grades", i))
    versions: list[RawVersion] = []
    raw_versions = _tables(table.get("versions", []), file, (*path, "versions"), "versions")
    for i, version in enumerate(raw_versions):
        vpath: Path = (*path, "versions", i)
        check_keys(version, _VERSION_KEYS, file, vpath)
        if "effective_from" not in version:
            msg = Message(N_("a version needs effective_from (the first day it applies)"))
            raise file.error(msg, vpath)
        start = raw_date(version["effective_from"], file, (*vpath, "effective_from"))
        criteria: list[Entry] = []
        raw_criteria = _tables(version.get("criteria", []), file, (*vpath, "criteria"), "criteria")
        for j, criterion in enumerate(raw_criteria):
            cpath: Path = (*vpath, "criteria", j)
            check_keys(criterion, _CRITERION_KEYS, file, cpath)
            if not isinstance(criterion.get("id"), str):
                msg = Message(N_("a criterion needs an id (text)"))
                raise file.error(msg, (*cpath, "id") if "id" in criterion else cpath)
            criteria.append(Entry(file, cpath, criterion))
        raw_version = RawVersion(
            Entry(file, vpath, version, skip=("criteria", "remove")), start, criteria
        )
        if "remove" in version:
            removed = version["remove"]
            rpath: Path = (*vpath, "remove")
            if not isinstance(removed, list) or not all(isinstance(r, str) for r in removed):
                msg = Message(N_("remove must be an array of criterion ids"))
                raise file.error(msg, rpath)
            raw_version.remove = [(r, At(file, rpath)) for r in removed]
        if "criteria" in version:
            raw_version.entry.at["criteria"] = At(file, (*vpath, "criteria"))
            raw_version.entry.values["criteria"] = True
        versions.append(raw_version)
    return RawTitle(Entry(file, path, table, skip=("versions",)), versions)
