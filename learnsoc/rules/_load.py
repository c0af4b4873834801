"""Loading rulebooks: reading the files, checking every key, merging ``extends``.

The private half of :mod:`learnsoc.rules.rulebook`. A file is read within the limits
(:func:`learnsoc._toml.read_toml`), its structure checked key by key into *entries*
that remember where each key was written, merged over the rulebook it ``extends``
(key by key; versions by ``effective_from``, criteria by ``id``), then built into the
checked model: values, references, dates, names, dependency order and the types of
every condition.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path as FsPath
from typing import Any

import attrs

from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc._toml import Locator, Path, TomlFile, format_path, read_file, read_toml
from learnsoc.errors import RulebookError, did_you_mean
from learnsoc.rules.compiler import ON_EMPTY
from learnsoc.rules.conditions import bind_values, parse_template
from learnsoc.rules.context import (
    DEFAULT_LEVELS,
    ENTITY_LEVELS,
    collections,
    level_rank,
    standard_names,
)
from learnsoc.rules.language import (
    MAX_MAGNITUDE,
    RESERVED,
    Expr,
    member_names_used,
    names_used,
    parameters_used,
)
from learnsoc.rules.rulebook import (
    FORMAT,
    MAX_CRITERIA,
    MAX_DERIVED,
    MAX_EXTENDS,
    MAX_INPUTS,
    MAX_PARAMETERS,
    MAX_SOURCES,
    MAX_TEXT,
    MAX_TITLES,
    MAX_VERSIONS,
    Abolition,
    Criterion,
    DatedValue,
    Derived,
    Grade,
    InputSpec,
    Label,
    Node,
    Origin,
    Parameter,
    ParamValue,
    Rulebook,
    RulebookInfo,
    Source,
    Title,
    Version,
    bundled_directory,
    scope_for,
)
from learnsoc.rules.typecheck import check_condition, typecheck
from learnsoc.rules.types import BOOL, FLOAT, INT, ValueType
from learnsoc.vocabulary import TERMS

__all__ = ["load_path", "load_text"]


def load_path(path: FsPath) -> Rulebook:
    """Read, check and build the rulebook in a file (and those it extends)."""
    name = str(path)
    data = _read_bytes(path, name)
    key = os.path.normcase(os.path.abspath(path))
    return _Builder(_load_raw(data, name, path.parent, (key,))).build()


def load_text(text: str, file: str, directory: FsPath | None) -> Rulebook:
    """Check and build a rulebook given as TOML text."""
    return _Builder(_load_raw(text.encode("utf-8"), file, directory, (file,))).build()


# ------------------------------------------------------------------------- raw entries


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
_INHERITED = ("format", "issuer", "effective_from", "effective_to", "last_checked", "levels")
_SOURCE_KEYS = ("document", "title", "date", "in_force", "url", "evidence", "note")
_INPUT_KEYS = ("kind", "label", "range", "codes", "ordered", "source", "clause", "note")
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
_ABOLISHED_KEYS = ("on", "source", "note")
_GRADE_KEYS = ("code", "min", "id", "label")
_VERSION_KEYS = (
    "effective_from",
    "effective_to",
    "source",
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
_EVIDENCE = ("V", "V2", "U")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")


class _File(TomlFile[RulebookError]):
    """One rule file: its display name, its directory and where its keys are."""

    def __init__(self, name: str, locator: Locator, directory: FsPath | None) -> None:
        super().__init__(name, locator, RulebookError)
        self.name: str = name
        self.directory = directory


class _At:
    """A key's place: the file that gave it and its key path there."""

    __slots__ = ("file", "path")

    def __init__(self, file: _File, path: Path) -> None:
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


class _Entry:
    """A table's keys, each with the place it was written (entries merge across files)."""

    __slots__ = ("at", "home", "values")

    def __init__(self, file: _File, path: Path, table: Mapping[str, Any], skip: Iterable[str] = ()):
        skipped = set(skip)
        self.values: dict[str, Any] = {k: v for k, v in table.items() if k not in skipped}
        self.at: dict[str, _At] = {k: _At(file, (*path, k)) for k in self.values}
        self.home = _At(file, path)

    def merged(self, child: _Entry) -> _Entry:
        out = _Entry.__new__(_Entry)
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

    def place(self, key: str) -> _At:
        return self.at.get(key, self.home)

    def error(self, message: Message, key: str | None = None) -> RulebookError:
        return (self.home if key is None else self.place(key)).error(message)

    def get(self, key: str) -> Any:
        return self.values.get(key)


class _RawVersion:
    __slots__ = ("criteria", "entry", "remove", "start")

    def __init__(self, entry: _Entry, start: dt.date, criteria: list[_Entry]) -> None:
        self.entry = entry
        self.start = start
        self.criteria = criteria
        self.remove: list[tuple[str, _At]] = []


class _RawTitle:
    __slots__ = ("entry", "versions")

    def __init__(self, entry: _Entry, versions: list[_RawVersion]) -> None:
        self.entry = entry
        self.versions = versions


class _Raw:
    """One file's entries, before or after merging with its parents."""

    def __init__(self, file: _File, meta: _Entry) -> None:
        self.file = file
        self.meta = meta
        self.sources: dict[str, _Entry] = {}
        self.inputs: dict[tuple[str, str], _Entry] = {}
        self.parameters: dict[str, _Entry] = {}
        self.derived: dict[tuple[str, str], _Entry] = {}
        self.titles: dict[str, _RawTitle] = {}
        self.chain: list[str] = [file.name]


def _check_keys(table: Mapping[str, Any], allowed: Sequence[str], file: _File, path: Path) -> None:
    file.check_keys(table, allowed, path, list_allowed=True)


def _table(value: Any, file: _File, path: Path, what: str | Phrase) -> dict[str, Any]:
    if not isinstance(value, dict):
        msg = Message(
            N_("{what} must be a table, not {kind_text}"), what=what, kind_text=_kind(value)
        )
        raise file.error(msg, path)
    return value


def _tables(value: Any, file: _File, path: Path, what: str | Phrase) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        msg = Message(
            N_("{what} must be an array of tables ([[{path}]]), not {kind_text}"),
            what=what,
            path=format_path(path),
            kind_text=_kind(value),
        )
        raise file.error(msg, path)
    return value


def _kind(value: Any) -> str:
    # Marked: the kind is translated with the message that names it ({kind_text}).
    if isinstance(value, bool):
        return N_("true/false")
    if isinstance(value, dict):
        return N_("a table")
    if isinstance(value, list):
        return N_("an array")
    if isinstance(value, str):
        return N_("text")
    if isinstance(value, dt.datetime):
        return N_("a date and time")
    if isinstance(value, dt.date):
        return N_("a date")
    if isinstance(value, dt.time):
        return N_("a time")
    if isinstance(value, int | float):
        return N_("a number")
    return type(value).__name__


def _raw_date(value: Any, file: _File, path: Path) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        msg = Message(
            N_("expected a date such as 2021-01-01 (no quotes), not {kind_text}"),
            kind_text=_kind(value),
        )
        raise file.error(msg, path)
    return value


def _raw(data: dict[str, Any], file: _File) -> _Raw:
    """Check one file's structure (every key known) and collect its entries."""
    _check_keys(data, _TOP, file, ())
    if "rulebook" not in data:
        msg = Message(N_("a rulebook needs a [rulebook] table with its id, name and version"))
        raise file.error(msg, ())
    meta_table = _table(data["rulebook"], file, ("rulebook",), "[rulebook]")
    _check_keys(meta_table, _RULEBOOK_KEYS, file, ("rulebook",))
    raw = _Raw(file, _Entry(file, ("rulebook",), meta_table))

    for sid, table in _table(data.get("sources", {}), file, ("sources",), "[sources]").items():
        path: Path = ("sources", sid)
        _check_keys(
            _table(table, file, path, Phrase(Message(N_("source {name!r}"), name=sid))),
            _SOURCE_KEYS,
            file,
            path,
        )
        raw.sources[sid] = _Entry(file, path, table)

    for kind, keys, target in (
        ("inputs", _INPUT_KEYS, raw.inputs),
        ("derived", _DERIVED_KEYS, raw.derived),
    ):
        for level, names in _table(data.get(kind, {}), file, (kind,), f"[{kind}]").items():
            level_path: Path = (kind, level)
            for name, table in _table(names, file, level_path, f"[{kind}.{level}]").items():
                path = (kind, level, name)
                _check_keys(_table(table, file, path, f"{kind} {name!r}"), keys, file, path)
                target[(level, name)] = _Entry(file, path, table)

    params = _table(data.get("parameters", {}), file, ("parameters",), "[parameters]")
    for name, table in params.items():
        path = ("parameters", name)
        _check_keys(
            _table(table, file, path, Phrase(Message(N_("parameter {name!r}"), name=name))),
            _PARAMETER_KEYS,
            file,
            path,
        )
        if "values" in table:
            for i, item in enumerate(_tables(table["values"], file, (*path, "values"), "values")):
                _check_keys(item, _VALUE_KEYS, file, (*path, "values", i))
        raw.parameters[name] = _Entry(file, path, table)

    for tid, table in _table(data.get("titles", {}), file, ("titles",), "[titles]").items():
        raw.titles[tid] = _raw_title(tid, table, file)
    return raw


def _raw_title(tid: str, table: Any, file: _File) -> _RawTitle:
    path: Path = ("titles", tid)
    _check_keys(
        _table(table, file, path, Phrase(Message(N_("title {name!r}"), name=tid))),
        _TITLE_KEYS,
        file,
        path,
    )
    for i, grade in enumerate(_tables(table.get("grades", []), file, (*path, "grades"), "grades")):
        _check_keys(grade, _GRADE_KEYS, file, (*path, "grades", i))
    versions: list[_RawVersion] = []
    raw_versions = _tables(table.get("versions", []), file, (*path, "versions"), "versions")
    for i, version in enumerate(raw_versions):
        vpath: Path = (*path, "versions", i)
        _check_keys(version, _VERSION_KEYS, file, vpath)
        if "effective_from" not in version:
            msg = Message(N_("a version needs effective_from (the first day it applies)"))
            raise file.error(msg, vpath)
        start = _raw_date(version["effective_from"], file, (*vpath, "effective_from"))
        criteria: list[_Entry] = []
        raw_criteria = _tables(version.get("criteria", []), file, (*vpath, "criteria"), "criteria")
        for j, criterion in enumerate(raw_criteria):
            cpath: Path = (*vpath, "criteria", j)
            _check_keys(criterion, _CRITERION_KEYS, file, cpath)
            if not isinstance(criterion.get("id"), str):
                msg = Message(N_("a criterion needs an id (text)"))
                raise file.error(msg, (*cpath, "id") if "id" in criterion else cpath)
            criteria.append(_Entry(file, cpath, criterion))
        raw_version = _RawVersion(
            _Entry(file, vpath, version, skip=("criteria", "remove")), start, criteria
        )
        if "remove" in version:
            removed = version["remove"]
            rpath: Path = (*vpath, "remove")
            if not isinstance(removed, list) or not all(isinstance(r, str) for r in removed):
                msg = Message(N_("remove must be an array of criterion ids"))
                raise file.error(msg, rpath)
            raw_version.remove = [(r, _At(file, rpath)) for r in removed]
        if "criteria" in version:
            raw_version.entry.at["criteria"] = _At(file, (*vpath, "criteria"))
            raw_version.entry.values["criteria"] = True
        versions.append(raw_version)
    return _RawTitle(_Entry(file, path, table, skip=("versions",)), versions)


# --------------------------------------------------------------------------------- merging


def _merge(parent: _Raw, child: _Raw) -> _Raw:
    """Merge a variant over its parent: same key merged key by key, new keys added."""
    meta_values = {k: v for k, v in parent.meta.values.items() if k in _INHERITED}
    base_meta = _Entry.__new__(_Entry)
    base_meta.values = meta_values
    base_meta.at = {k: parent.meta.at[k] for k in meta_values}
    base_meta.home = parent.meta.home
    out = _Raw(child.file, base_meta.merged(child.meta))
    out.chain = [*child.chain, *parent.chain]
    for name in ("sources", "inputs", "parameters", "derived"):
        mine: dict[Any, _Entry] = dict(getattr(parent, name))
        for key, entry in getattr(child, name).items():
            mine[key] = mine[key].merged(entry) if key in mine else entry
        setattr(out, name, mine)
    out.titles = dict(parent.titles)
    for tid, title in child.titles.items():
        if tid not in out.titles:
            for version in title.versions:
                if version.remove:
                    remove_at = version.remove[0][1]
                    msg = Message(
                        N_(
                            "remove applies to a version of the parent rulebook; "
                            "title {tid!r} is new"
                        ),
                        tid=tid,
                    )
                    raise remove_at.error(msg)
            out.titles[tid] = title
            continue
        out.titles[tid] = _merge_title(out.titles[tid], title, tid)
    return out


def _merge_title(parent: _RawTitle, child: _RawTitle, tid: str) -> _RawTitle:
    versions = {v.start: v for v in parent.versions}
    for version in child.versions:
        base = versions.get(version.start)
        if base is None:
            if version.remove:
                msg = Message(
                    N_(
                        "remove applies to a version of the parent rulebook, but title {tid!r} has "
                        "no version starting {start}"
                    ),
                    tid=tid,
                    start=version.start.isoformat(),
                )
                raise version.remove[0][1].error(msg)
            versions[version.start] = version
            continue
        criteria = {c.values["id"]: c for c in base.criteria}
        for criterion_id, at in version.remove:
            if criterion_id not in criteria:
                msg = Message(
                    N_(
                        "cannot remove {criterion_id!r}: the parent's version has no such "
                        "criterion{hint}"
                    ),
                    criterion_id=criterion_id,
                    hint=did_you_mean(criterion_id, criteria),
                )
                raise at.error(msg)
            del criteria[criterion_id]
        for criterion in version.criteria:
            cid = criterion.values["id"]
            criteria[cid] = criteria[cid].merged(criterion) if cid in criteria else criterion
        merged = _RawVersion(
            base.entry.merged(version.entry), version.start, list(criteria.values())
        )
        versions[version.start] = merged
    ordered = [versions[k] for k in sorted(versions)]
    return _RawTitle(parent.entry.merged(child.entry), ordered)


# ------------------------------------------------------------------------------- reading


def _read_bytes(path: FsPath, name: str) -> bytes:
    return read_file(path, file=name, what="rulebook")


def _load_raw(data: bytes, name: str, directory: FsPath | None, seen: tuple[str, ...]) -> _Raw:
    parsed, locator = read_toml(data, name)
    file = _File(name, locator, directory)
    raw = _raw(parsed, file)
    extends = raw.meta.get("extends")
    if extends is None:
        return raw
    at = raw.meta.place("extends")
    if not isinstance(extends, str) or not extends.strip():
        msg = Message(N_("extends must name a rulebook: a bundled id or a path to a .toml file"))
        raise at.error(msg)
    if len(seen) >= MAX_EXTENDS:
        msg = Message(
            N_("the chain of extends is deeper than {limit}: {chain}"),
            limit=MAX_EXTENDS,
            chain=" -> ".join(seen),
        )
        raise at.error(msg)
    parent_data, parent_name, parent_dir = _resolve_parent(extends, directory, at)
    key = os.path.normcase(os.path.abspath(parent_name)) if parent_dir is not None else parent_name
    if key in seen:
        msg = Message(N_("extends makes a cycle: {chain}"), chain=" -> ".join((*seen, key)))
        raise at.error(msg)
    parent = _load_raw(parent_data, parent_name, parent_dir, (*seen, key))
    return _merge(parent, raw)


_OUTSIDE = N_(
    "extends = {extends!r} is refused: extends must name a bundled rulebook (such as "
    "'vn-national') or a .toml file beside this one: in its folder or a folder below, "
    "written relative to it"
)


def _resolve_parent(
    extends: str, directory: FsPath | None, at: _At
) -> tuple[bytes, str, FsPath | None]:
    looks_like_path = extends.endswith(".toml") or "/" in extends or os.sep in extends
    if looks_like_path:
        return _read_beside(extends, directory, at)
    bundled = bundled_directory() / f"{extends}.toml"
    if not _ID.match(extends) or not bundled.is_file():
        known = [p.name[:-5] for p in bundled_directory().iterdir() if p.name.endswith(".toml")]
        hint = did_you_mean(extends, known)
        msg = Message(
            N_("extends names {extends!r}, which is not a bundled rulebook{hint}"),
            extends=extends,
            hint=hint,
        )
        raise at.error(msg)
    return bundled.read_bytes(), f"{extends}.toml", None


def _read_beside(extends: str, directory: FsPath | None, at: _At) -> tuple[bytes, str, FsPath]:
    """Read a parent named by path, confined to the child's folder and the folders below.

    Symlinks are resolved before the check, so a link in the folder that points outside
    is refused too. Whatever lies outside, the error is the same sentence: it must not
    tell whether a file exists there, is readable or is TOML.
    """
    written = FsPath(extends)
    refused = at.error(Message(_OUTSIDE, extends=extends))
    if directory is None or written.is_absolute() or written.drive or written.root:
        raise refused
    try:
        folder = directory.resolve()
        path = (folder / written).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise refused from None
    if path == folder or not path.is_relative_to(folder):
        raise refused
    shown = directory / written
    if not path.exists():
        msg = Message(
            N_("extends names {extends!r}, but there is no such file ({shown})"),
            extends=extends,
            shown=shown,
        )
        raise at.error(msg)
    return _read_bytes(path, str(shown)), str(shown), path.parent


# -------------------------------------------------------------------------------- building


class _Builder:
    """Turn merged raw entries into a checked :class:`Rulebook`."""

    def __init__(self, raw: _Raw) -> None:
        self.raw = raw

    # -- typed values -------------------------------------------------------------------
    def text(self, entry: _Entry, key: str, *, required: bool = False) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                msg = Message(N_("{key} is required"), key=key)
                raise entry.error(msg)
            return None
        if not isinstance(value, str):
            msg = Message(
                N_("{key} must be text, not {kind_text}"), key=key, kind_text=_kind(value)
            )
            raise entry.error(msg, key)
        if len(value) > MAX_TEXT:
            msg = Message(
                N_("{key} is {n:,} characters; the limit is {limit:,}"),
                key=key,
                n=len(value),
                limit=MAX_TEXT,
            )
            raise entry.error(msg, key)
        if required and not value.strip():
            msg = Message(N_("{key} must not be empty"), key=key)
            raise entry.error(msg, key)
        return value

    def required_text(self, entry: _Entry, key: str) -> str:
        value = self.text(entry, key, required=True)
        if value is None:  # pragma: no cover - text() raised already
            raise entry.error(Message(N_("{key} is required"), key=key))
        return value

    def required_label(self, entry: _Entry, key: str = "label") -> Label:
        value = self.label(entry, key, required=True)
        if value is None:  # pragma: no cover - label() raised already
            raise entry.error(Message(N_("{key} is required"), key=key))
        return value

    def label(self, entry: _Entry, key: str, *, required: bool = True) -> Label | None:
        value = entry.get(key)
        if value is None:
            if required:
                msg = Message(
                    N_('{key} is required: {key} = {{ vi = "...", en = "..." }}'), key=key
                )
                raise entry.error(msg)
            return None
        at = entry.place(key)
        if not isinstance(value, dict):
            msg = Message(
                N_('{key} must be a table {{ vi = "...", en = "..." }}, not {kind_text}'),
                key=key,
                kind_text=_kind(value),
            )
            raise at.error(msg)
        _check_keys(value, ("vi", "en"), at.file, at.path)
        texts = []
        for lang in ("vi", "en"):
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                msg = Message(N_("{key} needs a non-empty {lang!r} text"), key=key, lang=lang)
                raise at.error(msg)
            if len(text) > MAX_TEXT:
                msg = Message(
                    N_("{key}.{lang} is longer than {limit:,} characters"),
                    key=key,
                    lang=lang,
                    limit=MAX_TEXT,
                )
                raise at.error(msg)
            texts.append(text)
        return Label(vi=texts[0], en=texts[1])

    def date(self, entry: _Entry, key: str, *, required: bool = False) -> dt.date | None:
        value = entry.get(key)
        if value is None:
            if required:
                msg = Message(N_("{key} is required (a date such as 2021-01-01)"), key=key)
                raise entry.error(msg)
            return None
        at = entry.place(key)
        return _raw_date(value, at.file, at.path)

    def flag(self, entry: _Entry, key: str, default: bool) -> bool:
        value = entry.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            msg = Message(
                N_("{key} must be true or false, not {kind_text}"), key=key, kind_text=_kind(value)
            )
            raise entry.error(msg, key)
        return value

    def number(self, entry: _Entry, key: str) -> float | int | None:
        value = entry.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            msg = Message(
                N_("{key} must be a number, not {kind_text}"), key=key, kind_text=_kind(value)
            )
            raise entry.error(msg, key)
        if value != value or abs(value) > MAX_MAGNITUDE:
            msg = Message(N_("{key} must be a finite number of magnitude at most 1e15"), key=key)
            raise entry.error(msg, key)
        return value

    def choice(self, entry: _Entry, key: str, choices: Sequence[str], default: str) -> str:
        value = entry.get(key)
        if value is None:
            return default
        if value not in choices:
            shown = ", ".join(repr(c) for c in choices)
            hint = did_you_mean(str(value), choices)
            hint = hint if hint.startswith("; did") else ""
            msg = Message(
                N_("{key} must be one of {shown}, not {value!r}{hint}"),
                key=key,
                shown=shown,
                value=value,
                hint=hint,
            )
            raise entry.error(msg, key)
        return typing.cast(str, value)

    def identifier(self, name: str, what: str, at: _At, *, reserved: bool = True) -> str:
        """Check a name; ``what`` is an ``N_``-marked noun ("parameter")."""
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
            msg = Message(
                N_(
                    "{what_text} {name!r} is not a valid name: use ASCII letters, digits and '_', "
                    "starting with a letter"
                ),
                what_text=what,
                name=name,
            )
            raise at.error(msg)
        if reserved and name in RESERVED:
            msg = Message(
                N_("{what_text} {name!r} is a reserved word of the rule language; rename it"),
                what_text=what,
                name=name,
            )
            raise at.error(msg)
        return name

    def source_ref(self, entry: _Entry, key: str = "source") -> str | None:
        value = self.text(entry, key)
        if value is not None and value not in self.sources:
            hint = did_you_mean(value, self.sources)
            msg = Message(
                N_("source {value!r} is not defined under [sources]{hint}"), value=value, hint=hint
            )
            raise entry.error(msg, key)
        return value

    def level(self, entry: _Entry, level: str, at: _At) -> str:
        known = (*ENTITY_LEVELS, *self.levels)
        if level not in known:
            msg = Message(
                N_("unknown level {level!r}{hint}"), level=level, hint=did_you_mean(level, known)
            )
            raise at.error(msg)
        return level

    # -- the book -----------------------------------------------------------------------
    def build(self) -> Rulebook:
        raw = self.raw
        meta = raw.meta
        book_id = self.required_text(meta, "id")
        if not _ID.match(book_id):
            msg = Message(
                N_(
                    "id {book_id!r} must be lowercase letters, digits, '-' or '_' (like "
                    "'vn-national')"
                ),
                book_id=book_id,
            )
            raise meta.error(msg, "id")
        fmt = meta.get("format")
        if fmt is not None and (isinstance(fmt, bool) or fmt != FORMAT):
            msg = Message(
                N_("format {fmt!r} is not supported; this learnsoc reads format {supported}"),
                fmt=fmt,
                supported=FORMAT,
            )
            raise meta.error(msg, "format")
        name = self.required_label(meta, "name")
        version = self.required_text(meta, "version")
        issuer = self.text(meta, "issuer", required=True)
        start = self.date(meta, "effective_from", required=True)
        end = self.date(meta, "effective_to")
        if start is not None and end is not None and end < start:
            msg = Message(N_("effective_to is before effective_from"))
            raise meta.error(msg, "effective_to")
        self.start = start
        self.levels = self.read_levels(meta)
        self.sources = self.read_sources()
        inputs = self.read_inputs()
        self.parameters = self.read_parameters()
        derived_entries = self.check_derived()
        titles = self.read_titles()
        names, order, derived = self.check_expressions(inputs, derived_entries, titles)
        documents = tuple(dict.fromkeys(s.document for s in self.sources.values()))
        extends = meta.get("extends") if isinstance(meta.get("extends"), str) else None
        info = RulebookInfo(
            id=book_id,
            name=name,
            issuer=issuer,
            version=version,
            documents=documents,
            effective_from=start,
            effective_to=end,
            last_checked=self.date(meta, "last_checked"),
            extends=extends,
            file=raw.file.name,
            description=self.label(meta, "description", required=False),
        )
        title_order = [n.name for n in order if n.kind == "title"]
        by_id = {t.id: t for t in titles}
        return Rulebook(
            info=info,
            levels=self.levels,
            sources=self.sources,
            inputs=tuple(inputs),
            parameters=self.parameters,
            derived=tuple(derived),
            titles=tuple(by_id[t] for t in title_order),
            order=tuple(order),
            names={lv: types.MappingProxyType(dict(n)) for lv, n in names.items()},
            files=tuple(raw.chain),
        )

    def read_levels(self, meta: _Entry) -> tuple[str, ...]:
        value = meta.get("levels")
        if value is None:
            return DEFAULT_LEVELS
        at = meta.place("levels")
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            msg = Message(N_("levels must be a non-empty array of level names, top first"))
            raise at.error(msg)
        for level in value:
            self.identifier(level, N_("level"), at)
            if level in ENTITY_LEVELS:
                msg = Message(N_("{level!r} is not an administrative level"), level=level)
                raise at.error(msg)
        if len(set(value)) != len(value):
            msg = Message(N_("levels repeats a level"))
            raise at.error(msg)
        return tuple(value)

    def read_sources(self) -> dict[str, Source]:
        raw = self.raw.sources
        if len(raw) > MAX_SOURCES:
            msg = Message(N_("more than {limit} sources"), limit=MAX_SOURCES)
            raise self.raw.meta.error(msg)
        out: dict[str, Source] = {}
        for sid, entry in raw.items():
            if not _SOURCE_ID.match(sid):
                msg = Message(N_("source id {sid!r} must be letters, digits, '-' or '_'"), sid=sid)
                raise entry.home.error(msg)
            evidence = entry.get("evidence")
            if evidence is not None and evidence not in _EVIDENCE:
                msg = Message(
                    N_("evidence must be 'V', 'V2' or 'U' (DOMAIN.md's marks), not {evidence!r}"),
                    evidence=evidence,
                )
                raise entry.error(msg, "evidence")
            document = self.required_text(entry, "document")
            out[sid] = Source(
                id=sid,
                document=document,
                title=self.text(entry, "title"),
                date=self.date(entry, "date"),
                in_force=self.date(entry, "in_force"),
                url=self.text(entry, "url"),
                evidence=evidence,
                note=self.text(entry, "note"),
            )
        return out

    def read_inputs(self) -> list[InputSpec]:
        raw = self.raw.inputs
        if len(raw) > MAX_INPUTS:
            msg = Message(N_("more than {limit} inputs"), limit=MAX_INPUTS)
            raise self.raw.meta.error(msg)
        out: list[InputSpec] = []
        for (level, name), entry in raw.items():
            self.level(entry, level, _At(entry.home.file, entry.home.path[:2]))
            self.identifier(name, N_("input"), entry.home)
            if name in standard_names(level):
                msg = Message(
                    N_("{name!r} is already a standard {level} column; inputs add new columns"),
                    name=name,
                    level=level,
                )
                raise entry.home.error(msg)
            kind = entry.get("kind")
            if kind not in ("bool", "int", "float", "code"):
                msg = Message(
                    N_("kind must be 'bool', 'int', 'float' or 'code', not {kind!r}"), kind=kind
                )
                raise entry.error(msg, "kind" if "kind" in entry.values else None)
            label = self.required_label(entry, "label")
            bounds = self.read_range(entry, kind)
            if kind == "code":
                value_type = self.read_codes(entry)
            else:
                value_type = {"bool": BOOL, "int": INT}.get(kind, FLOAT)
                for key in ("codes", "ordered"):
                    if key in entry.values:
                        msg = Message(N_("{key} only applies to kind = 'code'"), key=key)
                        raise entry.error(msg, key)
            out.append(
                InputSpec(
                    level=level,
                    name=name,
                    kind=kind,
                    label=label,
                    value_type=value_type,
                    range=bounds,
                    source=self.source_ref(entry),
                    clause=self.text(entry, "clause"),
                    note=self.text(entry, "note"),
                    origin=entry.home.origin(),
                )
            )
        return out

    def read_range(self, entry: _Entry, kind: str) -> tuple[float, float] | None:
        value = entry.get("range")
        if value is None:
            return (0, 65534) if kind == "int" else None
        if kind not in ("int", "float"):
            msg = Message(N_("range only applies to kind = 'int' or 'float'"))
            raise entry.error(msg, "range")
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            and value[0] <= value[1]
        )
        if not ok:
            msg = Message(N_("range must be [low, high] with low <= high"))
            raise entry.error(msg, "range")
        if kind == "int" and (
            value[0] < 0 or value[1] > 65534 or not all(float(v).is_integer() for v in value)
        ):
            msg = Message(
                N_(
                    "an int input's range must be whole numbers within 0..65534; use kind = 'float'"
                ),
            )
            raise entry.error(msg, "range")
        return (value[0], value[1])

    def read_codes(self, entry: _Entry) -> ValueType:
        codes = entry.get("codes")
        at = entry.place("codes")
        if not isinstance(codes, dict) or not codes:
            msg = Message(N_("a code input needs codes = {{ name = number, ... }}"))
            raise at.error(msg)
        for code_name, code in codes.items():
            if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code <= 254:
                msg = Message(
                    N_("code {code_name!r} must be a whole number from 0 to 254, not {code!r}"),
                    code_name=code_name,
                    code=code,
                )
                raise at.error(msg)
        return ValueType("code", codes, ordered=self.flag(entry, "ordered", True))

    def read_parameters(self) -> dict[str, Parameter]:
        raw = self.raw.parameters
        if len(raw) > MAX_PARAMETERS:
            msg = Message(N_("more than {limit} parameters"), limit=MAX_PARAMETERS)
            raise self.raw.meta.error(msg)
        out: dict[str, Parameter] = {}
        for name, entry in raw.items():
            self.identifier(name, N_("parameter"), entry.home)
            label = self.required_label(entry, "label")
            values = self.read_values(entry)
            kinds = {_value_kind(v.value) for v in values}
            if "bool" in kinds and len(kinds) > 1:
                msg = Message(N_("a parameter's values must all be numbers or all true/false"))
                raise entry.error(msg)
            kind = "bool" if kinds == {"bool"} else "float" if "float" in kinds else "int"
            if kind == "float":
                values = [attrs.evolve(v, value=float(v.value)) for v in values]
            out[name] = Parameter(
                name=name,
                label=label,
                kind=kind,
                values=tuple(values),
                uncertain=self.flag(entry, "uncertain", False),
                note=self.text(entry, "note"),
                source=self.source_ref(entry),
                clause=self.text(entry, "clause"),
                last_checked=self.date(entry, "last_checked"),
                origin=entry.home.origin(),
            )
        return out

    def read_values(self, entry: _Entry) -> list[DatedValue]:
        if "value" in entry.values and "values" in entry.values:
            msg = Message(N_("give either value or values, not both"))
            raise entry.error(msg, "value")
        if "value" in entry.values:
            if self.start is None:
                msg = Message(N_("value needs the rulebook's effective_from"))
                raise entry.error(msg, "value")
            return [
                DatedValue(
                    self.start, None, self.param_value(entry.get("value"), entry.place("value"))
                )
            ]
        if "values" not in entry.values:
            msg = Message(
                N_(
                    "a parameter needs values = [{{ from = DATE, value = NUMBER }}] (or value = "
                    "NUMBER)"
                ),
            )
            raise entry.error(msg)
        at = entry.place("values")
        items = entry.get("values")
        if not isinstance(items, list) or not items:
            msg = Message(
                N_("values must be a non-empty array of {{ from = DATE, value = NUMBER }}")
            )
            raise at.error(msg)
        out: list[DatedValue] = []
        for i, item in enumerate(items):
            item_at = _At(at.file, (*at.path, i))
            if "from" not in item or "value" not in item:
                msg = Message(N_("each value needs from (a date) and value"))
                raise item_at.error(msg)
            start = _raw_date(item["from"], at.file, (*at.path, i, "from"))
            end = None
            if "to" in item:
                end = _raw_date(item["to"], at.file, (*at.path, i, "to"))
                if end < start:
                    msg = Message(N_("to is before from"))
                    raise item_at.error(msg)
            if out and start <= out[-1].start:
                msg = Message(N_("values must be in ascending order of from, without repeats"))
                raise item_at.error(msg)
            if out and out[-1].end is not None and out[-1].end >= start:
                msg = Message(N_("this value starts before the previous one ends"))
                raise item_at.error(msg)
            out.append(DatedValue(start, end, self.param_value(item["value"], item_at)))
        return out

    def param_value(self, value: Any, at: _At) -> ParamValue:
        if isinstance(value, bool):
            return value
        if not isinstance(value, int | float) or value != value or abs(value) > MAX_MAGNITUDE:
            msg = Message(
                N_("a parameter value must be a finite number or true/false, not {value!r}"),
                value=value,
            )
            raise at.error(msg)
        return value

    def check_derived(self) -> list[tuple[str, str, _Entry]]:
        raw = self.raw.derived
        if len(raw) > MAX_DERIVED:
            msg = Message(N_("more than {limit} derived variables"), limit=MAX_DERIVED)
            raise self.raw.meta.error(msg)
        out = []
        for (level, name), entry in raw.items():
            self.level(entry, level, _At(entry.home.file, entry.home.path[:2]))
            self.identifier(name, N_("derived variable"), entry.home)
            self.text(entry, "expr", required=True)
            self.choice(entry, "on_empty", ON_EMPTY, "fail")
            out.append((level, name, entry))
        return out

    def read_titles(self) -> list[Title]:
        raw = self.raw.titles
        if len(raw) > MAX_TITLES:
            msg = Message(N_("more than {limit} titles"), limit=MAX_TITLES)
            raise self.raw.meta.error(msg)
        return [self.read_title(tid, raw_title) for tid, raw_title in raw.items()]

    def read_title(self, tid: str, raw: _RawTitle) -> Title:
        entry = raw.entry
        self.identifier(tid, N_("title"), entry.home)
        level = self.required_text(entry, "level")
        self.level(entry, level, entry.place("level"))
        label = self.required_label(entry, "label")
        rule = self.choice(entry, "rule", ("all", "points"), "all")
        pass_mark = self.number(entry, "pass_mark")
        if rule == "points" and pass_mark is None:
            msg = Message(N_("a points title needs pass_mark (the points needed)"))
            raise entry.error(msg)
        if rule == "all" and pass_mark is not None:
            msg = Message(N_("pass_mark only applies to rule = 'points'"))
            raise entry.error(msg, "pass_mark")
        grades = self.read_grades(entry, rule)
        term = self.text(entry, "term")
        if term is not None and term not in TERMS:
            msg = Message(
                N_("unknown term {term!r}{hint}"), term=term, hint=did_you_mean(term, TERMS)
            )
            raise entry.error(msg, "term")
        eligible = self.text(entry, "eligible")
        if not raw.versions:
            msg = Message(N_("a title needs at least one [[versions]] with its criteria"))
            raise entry.error(msg)
        if len(raw.versions) > MAX_VERSIONS:
            msg = Message(N_("more than {limit} versions"), limit=MAX_VERSIONS)
            raise entry.error(msg)
        versions = [self.read_version(v, rule) for v in sorted(raw.versions, key=lambda v: v.start)]
        for previous, version, raw_version in zip(
            versions, versions[1:], sorted(raw.versions, key=lambda v: v.start)[1:], strict=False
        ):
            if previous.start == version.start:
                msg = Message(N_("two versions start on the same date"))
                raise raw_version.entry.error(msg, "effective_from")
            if previous.end is not None and previous.end >= version.start:
                msg = Message(
                    N_(
                        "this version starts on {start}, before the previous one ends ({end}): "
                        "versions must not overlap"
                    ),
                    start=version.start.isoformat(),
                    end=previous.end.isoformat(),
                )
                raise raw_version.entry.error(msg, "effective_from")
        eligible_position = (
            entry.place("eligible").value_position() if eligible is not None else (None, None)
        )
        eligible_tree = None
        if eligible is not None:
            origin = _key_origin(entry.home.origin(), "eligible")
            eligible_tree = self.template(eligible, eligible_position, origin)
        return Title(
            id=tid,
            level=level,
            label=label,
            versions=tuple(versions),
            rule=rule,
            pass_mark=pass_mark,
            grades=grades,
            eligible=eligible,
            term=term,
            description=self.label(entry, "description", required=False),
            note=self.text(entry, "note"),
            eligible_parameters=frozenset()
            if eligible_tree is None
            else parameters_used(eligible_tree),
            abolished=self.read_abolished(entry),
            origin=entry.home.origin(),
            eligible_position=eligible_position,
            eligible_tree=eligible_tree,
        )

    def read_abolished(self, entry: _Entry) -> Abolition | None:
        """Read ``abolished = { on = 2025-07-01, source = "...", note = "..." }``."""
        value = entry.get("abolished")
        if value is None:
            return None
        at = entry.place("abolished")
        if not isinstance(value, dict):
            msg = Message(
                N_(
                    'abolished must be a table {{ on = 2025-07-01, source = "..." }}, not '
                    "{kind_text}"
                ),
                kind_text=_kind(value),
            )
            raise at.error(msg)
        _check_keys(value, _ABOLISHED_KEYS, at.file, at.path)
        inner = _Entry(at.file, at.path, value)
        start = self.date(inner, "on", required=True)
        if start is None:  # pragma: no cover - date() raised already
            raise inner.error(Message(N_("{key} is required"), key="on"))
        return Abolition(start, self.source_ref(inner), self.text(inner, "note"))

    def read_grades(self, entry: _Entry, rule: str) -> tuple[Grade, ...]:
        items = entry.get("grades")
        if items is None:
            return ()
        at = entry.place("grades")
        if rule != "points":
            msg = Message(N_("grades only apply to rule = 'points'"))
            raise at.error(msg)
        grades: list[Grade] = []
        for i, item in enumerate(items):
            grade = _Entry(at.file, (*at.path, i), item)
            code = grade.get("code")
            if isinstance(code, bool) or not isinstance(code, int) or not 1 <= code <= 127:
                raise grade.error(
                    Message(N_("code must be a whole number from 1 to 127 (0 means no grade)")),
                    "code" if "code" in item else None,
                )
            low = self.number(grade, "min")
            if low is None:
                msg = Message(N_("a grade needs min (the fewest points for it)"))
                raise grade.error(msg)
            gid = self.text(grade, "id")
            if gid is not None:
                self.identifier(gid, N_("grade id"), grade.place("id"), reserved=False)
            label = self.required_label(grade, "label")
            grades.append(Grade(code=code, min=low, label=label, id=gid))
        if len({g.code for g in grades}) != len(grades):
            msg = Message(N_("grade codes must differ"))
            raise at.error(msg)
        if len({g.min for g in grades}) != len(grades):
            msg = Message(N_("grade minimums must differ"))
            raise at.error(msg)
        return tuple(sorted(grades, key=lambda g: -g.min))

    def read_version(self, raw: _RawVersion, rule: str) -> Version:
        entry = raw.entry
        end = self.date(entry, "effective_to")
        if end is not None and end < raw.start:
            msg = Message(N_("effective_to is before effective_from"))
            raise entry.error(msg, "effective_to")
        source = self.source_ref(entry)
        if not raw.criteria:
            msg = Message(N_("a version needs at least one [[...criteria]]"))
            raise entry.error(msg)
        if len(raw.criteria) > MAX_CRITERIA:
            msg = Message(N_("more than {limit} criteria in one version"), limit=MAX_CRITERIA)
            raise entry.error(msg)
        criteria: list[Criterion] = []
        seen: set[str] = set()
        for centry in raw.criteria:
            criterion = self.read_criterion(centry, rule, source)
            if criterion.id in seen:
                msg = Message(
                    N_("criterion id {criterion_id!r} is used twice in this version"),
                    criterion_id=criterion.id,
                )
                raise centry.error(msg, "id")
            seen.add(criterion.id)
            criteria.append(criterion)
        return Version(
            start=raw.start,
            end=end,
            source=source,
            criteria=tuple(criteria),
            note=self.text(entry, "note"),
            last_checked=self.date(entry, "last_checked"),
            uncertain=self.flag(entry, "uncertain", False),
            origin=entry.home.origin(),
        )

    def read_criterion(self, entry: _Entry, rule: str, version_source: str | None) -> Criterion:
        cid = entry.values["id"]
        self.identifier(cid, N_("criterion id"), entry.place("id"), reserved=False)
        label = self.required_label(entry, "label")
        expr = self.required_text(entry, "expr")
        points = self.number(entry, "points")
        if rule == "all":
            for key in ("points", "required"):
                if key in entry.values:
                    msg = Message(N_("{key} only applies to titles with rule = 'points'"), key=key)
                    raise entry.error(msg, key)
        elif points is not None and points < 0:
            msg = Message(N_("points must not be negative"))
            raise entry.error(msg, "points")
        source = self.source_ref(entry)
        position = entry.place("expr").value_position()
        origin = entry.home.origin()
        tree = self.template(expr, position, _key_origin(origin, "expr"))
        return Criterion(
            id=cid,
            label=label,
            expr=expr,
            on_empty=self.choice(entry, "on_empty", ON_EMPTY, "fail"),
            clause=self.text(entry, "clause"),
            source=source if source is not None else version_source,
            points=points if points is not None else 0,
            required=rule == "all" or self.flag(entry, "required", False),
            uncertain=self.flag(entry, "uncertain", False),
            note=self.text(entry, "note"),
            parameters=parameters_used(tree),
            origin=origin,
            position=position,
            tree=tree,
        )

    # -- names, dependencies, types -----------------------------------------------------
    def check_expressions(
        self,
        inputs: list[InputSpec],
        derived_entries: list[tuple[str, str, _Entry]],
        titles: list[Title],
    ) -> tuple[dict[str, dict[str, ValueType]], list[Node], list[Derived]]:
        levels = self.levels
        all_levels = (*ENTITY_LEVELS, *levels)
        names: dict[str, dict[str, ValueType]] = {lv: standard_names(lv) for lv in all_levels}
        owner: dict[tuple[str, str], Phrase] = {}  # who declared a name, for clash messages
        standard = Phrase(Message(N_("a standard column")))
        an_input = Phrase(Message(N_("an input")))
        for level in all_levels:
            for name in names[level]:
                owner[(level, name)] = standard
        for spec in inputs:
            names[spec.level][spec.name] = spec.value_type
            owner[(spec.level, spec.name)] = an_input

        def declare(level: str, name: str, what: Phrase, at: _At | Origin) -> None:
            if (level, name) in owner:
                msg = Message(
                    N_("{name!r} is already {owner} at level {level!r}; names must differ"),
                    name=name,
                    owner=owner[(level, name)],
                    level=level,
                )
                raise at.error(msg)
            if name in collections(level, levels):
                msg = Message(
                    N_("{name!r} is a collection at level {level!r}; choose another name"),
                    name=name,
                    level=level,
                )
                raise at.error(msg)
            if name in self.parameters:
                msg = Message(N_("{name!r} is also a parameter; names must differ"), name=name)
                raise at.error(msg)
            owner[(level, name)] = what

        nodes: dict[tuple[str, str], Node] = {}
        node_of_name: dict[tuple[str, str], tuple[str, str]] = {}
        exprs: dict[
            tuple[str, str], list[tuple[str, frozenset[str], tuple[int | None, int | None], Origin]]
        ] = {}
        decl_index: dict[tuple[str, str], int] = {}
        # Each condition parsed once, its parameters left as placeholders.
        templates: dict[tuple[str, str], list[Expr]] = {}
        for level, name, entry in derived_entries:
            declare(level, name, Phrase(Message(N_("a derived variable"))), entry.home)
            key = (level, name)
            nodes[key] = Node("derived", level, name)
            node_of_name[key] = key
            text = typing.cast(str, entry.get("expr"))
            position = entry.place("expr").value_position()
            origin = entry.place("expr").origin()
            template = self.template(text, position, origin)
            exprs[key] = [(text, parameters_used(template), position, origin)]
            templates[key] = [template]
            decl_index[key] = len(decl_index)
        title_by_key: dict[tuple[str, str], Title] = {}
        for title in titles:
            declare(title.level, title.id, Phrase(Message(N_("a title"))), title.origin)
            key = (title.level, title.id)
            for companion in title.companions:
                companion_of = Message(N_("a companion of title {title!r}"), title=title.id)
                declare(title.level, companion, Phrase(companion_of), title.origin)
                node_of_name[(title.level, companion)] = key
            nodes[key] = Node("title", title.level, title.id)
            node_of_name[key] = key
            title_by_key[key] = title
            items = []
            if title.eligible is not None:
                items.append(
                    (
                        title.eligible,
                        title.eligible_parameters,
                        title.eligible_position,
                        _key_origin(title.origin, "eligible"),
                    )
                )
            items.extend(
                (c.expr, c.parameters, c.position, _key_origin(c.origin, "expr"))
                for version in title.versions
                for c in version.criteria
            )
            exprs[key] = items
            trees = [] if title.eligible_tree is None else [title.eligible_tree]
            templates[key] = trees + [c.tree for v in title.versions for c in v.criteria]
            decl_index[key] = len(decl_index)
        for pname, parameter in self.parameters.items():
            for level in all_levels:
                if (level, pname) in owner:
                    msg = Message(
                        N_("parameter {pname!r} has the name of {owner} at level {level!r}"),
                        pname=pname,
                        owner=owner[(level, pname)],
                        level=level,
                    )
                    raise parameter.origin.error(msg)

        # Bind representative values (each parameter's first) for dependencies and types.
        parsed: dict[tuple[str, str], list[Expr]] = {}
        for key, items in exprs.items():
            parsed[key] = [
                self.bind(tree, used, origin)
                for (_, used, _, origin), tree in zip(items, templates[key], strict=True)
            ]
        deps: dict[tuple[str, str], set[tuple[str, str]]] = {}
        for key, irs in parsed.items():
            level = key[0]
            found: set[tuple[str, str]] = set()
            available = collections(level, levels)
            for ir in irs:
                for name in names_used(ir):
                    target = node_of_name.get((level, name))
                    if target is not None:
                        found.add(target)
                for collection, name in member_names_used(ir):
                    if collection in available:
                        target = node_of_name.get((available[collection].member_level, name))
                        if target is not None:
                            found.add(target)
            deps[key] = found
        order = self.topological(nodes, deps, decl_index, exprs)

        # Type-check in order, each step seeing what the earlier steps defined.
        derived_out: list[Derived] = []
        derived_by_key = {(lv, nm): e for lv, nm, e in derived_entries}
        for key in order:
            level, name = key
            scope = scope_for(level, names, levels)
            if key in derived_by_key:
                entry = derived_by_key[key]
                (text, used, position, origin), ir = exprs[key][0], parsed[key][0]
                on_empty = self.choice(entry, "on_empty", ON_EMPTY, "fail")
                typed = _located(functools.partial(typecheck, ir, scope, file=origin.file), origin)
                names[level][name] = typed.type
                derived_out.append(
                    Derived(
                        level=level,
                        name=name,
                        expr=text,
                        value_type=typed.type,
                        label=self.label(entry, "label", required=False),
                        on_empty=on_empty,
                        note=self.text(entry, "note"),
                        parameters=used,
                        origin=entry.home.origin(),
                        position=position,
                        tree=templates[key][0],
                    )
                )
            else:
                for (_, _, _, origin), ir in zip(exprs[key], parsed[key], strict=True):
                    _located(
                        functools.partial(check_condition, ir, scope, file=origin.file), origin
                    )
                title = title_by_key[key]
                names[level][name] = BOOL
                names[level].update(title.companions)
        return names, [nodes[k] for k in order], derived_out

    def template(self, text: str, position: tuple[int | None, int | None], origin: Origin) -> Expr:
        """Parse a condition once, the parameters it names left as placeholders."""
        names = self.parameters.keys()
        return _located(
            lambda: parse_template(text, names, position=position, file=origin.file), origin
        )

    def bind(self, tree: Expr, used: frozenset[str], origin: Origin) -> Expr:
        constants = {name: self.parameters[name].values[0].value for name in used}
        return _located(lambda: bind_values(tree, constants, file=origin.file), origin)

    def topological(
        self,
        nodes: Mapping[tuple[str, str], Node],
        deps: Mapping[tuple[str, str], set[tuple[str, str]]],
        decl_index: Mapping[tuple[str, str], int],
        exprs: Mapping[
            tuple[str, str], list[tuple[str, frozenset[str], tuple[int | None, int | None], Origin]]
        ],
    ) -> list[tuple[str, str]]:
        remaining = {k: set(v) for k, v in deps.items()}
        order: list[tuple[str, str]] = []
        done: set[tuple[str, str]] = set()

        def priority(key: tuple[str, str]) -> tuple[int, int]:
            return (level_rank(key[0], self.levels), decl_index[key])

        while remaining:
            ready = [k for k, d in remaining.items() if d <= done]
            if not ready:
                cycle = _find_cycle(remaining)
                shown = " -> ".join(f"{lv}.{nm}" for lv, nm in cycle)
                origin = exprs[cycle[0]][0][3] if exprs[cycle[0]] else None
                msg = Message(
                    N_("derived variables and titles use each other in a cycle: {shown}"),
                    shown=shown,
                )
                if origin is not None:
                    raise origin.error(msg)
                raise RulebookError(str(msg), file=self.raw.file.name).translatable(msg)
            first = min(ready, key=priority)
            order.append(first)
            done.add(first)
            del remaining[first]
        return order


_T = typing.TypeVar("_T")


def _key_origin(origin: Origin, key: str) -> Origin:
    """Return the origin of one key of an entry (``expr`` of a criterion)."""
    return Origin(origin.file, origin.line, f"{origin.key_path}.{key}")


def _bare_message(exc: RulebookError) -> str:
    """Return the message of an error without its ``file:line:col`` prefix."""
    text = str(exc)
    prefix = ""
    if exc.file is not None:
        prefix = exc.file
        if exc.line is not None:
            prefix += f":{exc.line}"
            if exc.column is not None:
                prefix += f":{exc.column}"
    if exc.key_path is not None:
        prefix += f" [{exc.key_path}]" if prefix else f"[{exc.key_path}]"
    return text[len(prefix) + 2 :] if prefix and text.startswith(prefix + ": ") else text


def _located(step: typing.Callable[[], _T], origin: Origin) -> _T:
    """Run a parse or type check; give its error the key path (and a line if it had none)."""
    try:
        return step()
    except RulebookError as exc:
        line, column = (exc.line, exc.column) if exc.line is not None else (origin.line, None)
        located = RulebookError(
            _bare_message(exc),
            file=exc.file or origin.file,
            line=line,
            column=column,
            key_path=exc.key_path or origin.key_path,
        )
        if exc.message_id is not None:  # keep the message translatable at its new place
            located.translatable(exc.message_id, **exc.params)
        raise located from None


def _find_cycle(deps: Mapping[tuple[str, str], set[tuple[str, str]]]) -> list[tuple[str, str]]:
    start = min(deps)
    path = [start]
    seen = {start: 0}
    node = start
    while True:
        nxt = min(d for d in deps[node] if d in deps)
        if nxt in seen:
            return [*path[seen[nxt] :], nxt]
        seen[nxt] = len(path)
        path.append(nxt)
        node = nxt


def _value_kind(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "bool"
    return "int" if isinstance(value, int) else "float"
