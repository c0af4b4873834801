"""Building a :class:`~learnsoc.rules.rulebook.Rulebook` from a file's merged entries.

:class:`Builder` reads the merged entries (:mod:`learnsoc.rules._extends`) into the
checked model: the rulebook's metadata and levels, its sources, inputs, parameters and
their dated values, derived variables and titles with their grades, versions and
criteria; every value typed (:mod:`learnsoc.rules._values`), every reference and date
checked, then the conditions checked and ordered (:mod:`learnsoc.rules._conditions`).
"""

from __future__ import annotations

import re
import types
from typing import Any

import attrs

from learnsoc._messages import N_, Message
from learnsoc.errors import did_you_mean
from learnsoc.rules._conditions import ConditionChecker, key_origin
from learnsoc.rules._raw import (
    RULEBOOK_ID,
    At,
    Entry,
    RawBook,
    RawTitle,
    RawVersion,
    check_keys,
    kind_text,
    raw_date,
)
from learnsoc.rules.as_of import ParamValue
from learnsoc.rules.compiler import ON_EMPTY
from learnsoc.rules.context import DEFAULT_LEVELS, ENTITY_LEVELS, standard_names
from learnsoc.rules.entries import (
    Abolition,
    Clause,
    Criterion,
    DatedValue,
    Grade,
    InputSpec,
    Label,
    Parameter,
    RulebookInfo,
    Source,
    Title,
    Version,
)
from learnsoc.rules.language import MAX_MAGNITUDE, parameters_used
from learnsoc.rules.rulebook import (
    FORMAT,
    MAX_CRITERIA,
    MAX_DERIVED,
    MAX_INPUTS,
    MAX_PARAMETERS,
    MAX_SOURCES,
    MAX_TITLES,
    MAX_VERSIONS,
    Rulebook,
)
from learnsoc.rules.types import BOOL, FLOAT, INT, ValueType
from learnsoc.vocabulary import TERMS

__all__ = ["Builder"]

_ABOLISHED_KEYS = ("on", "source", "note")
_EVIDENCE = ("V", "V2", "U")
_SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")


class Builder(ConditionChecker):
    """Turn merged raw entries into a checked :class:`Rulebook`."""

    def __init__(self, raw: RawBook) -> None:
        self.raw = raw

    # -- typed values -------------------------------------------------------------------
    def source_ref(self, entry: Entry, key: str = "source") -> str | None:
        value = self.text(entry, key)
        if value is not None and value not in self.sources:
            hint = did_you_mean(value, self.sources)
            msg = Message(
                N_("source {value!r} is not defined under [sources]{hint}"), value=value, hint=hint
            )
            raise entry.error(msg, key)
        return value

    def level(self, entry: Entry, level: str, at: At) -> str:
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
        if not RULEBOOK_ID.match(book_id):
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
        citations = {
            s.document: s.citation or Clause(vi=s.document, en=s.document)
            for s in reversed(self.sources.values())
        }
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
            citations=tuple(citations[d] for d in documents),
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

    def read_levels(self, meta: Entry) -> tuple[str, ...]:
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
            citation = None
            if isinstance(entry.get("document"), dict):
                # A document named in both languages (one published in English).
                citation = self.clause(entry, "document")
            document = (
                self.required_text(entry, "document") if citation is None else citation.text("en")
            )
            out[sid] = Source(
                id=sid,
                document=document,
                citation=citation,
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
            self.level(entry, level, At(entry.home.file, entry.home.path[:2]))
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
            code_labels: tuple[tuple[str, Label], ...] = ()
            if kind == "code":
                value_type = self.read_codes(entry)
                code_labels = self.read_code_labels(entry, value_type)
            else:
                value_type = {"bool": BOOL, "int": INT}.get(kind, FLOAT)
                for key in ("codes", "ordered", "code_labels"):
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
                    clause=self.clause(entry),
                    note=self.text(entry, "note"),
                    origin=entry.home.origin(),
                    code_labels=code_labels,
                )
            )
        return out

    def read_code_labels(
        self, entry: Entry, value_type: ValueType
    ) -> tuple[tuple[str, Label], ...]:
        """Read ``code_labels = { name = { vi = "...", en = "..." } }``: codes in words."""
        labels = entry.get("code_labels")
        if labels is None:
            return ()
        at = entry.place("code_labels")
        if not isinstance(labels, dict):
            msg = Message(
                N_(
                    'code_labels must be a table {{ code = {{ vi = "...", en = "..." }} }}, '
                    "not {kind_text}"
                ),
                kind_text=kind_text(labels),
            )
            raise at.error(msg)
        names = [name for name, _ in value_type.codes]
        out: list[tuple[str, Label]] = []
        for code_name in labels:
            if code_name not in names:
                msg = Message(
                    N_("code_labels names {code_name!r}, which is not one of the codes{hint}"),
                    code_name=code_name,
                    hint=did_you_mean(code_name, names),
                )
                raise at.error(msg)
            label = self.label(Entry(at.file, at.path, labels), code_name)
            if label is not None:
                out.append((code_name, label))
        return tuple(out)

    def read_range(self, entry: Entry, kind: str) -> tuple[float, float] | None:
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

    def read_codes(self, entry: Entry) -> ValueType:
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
                clause=self.clause(entry),
                last_checked=self.date(entry, "last_checked"),
                origin=entry.home.origin(),
            )
        return out

    def read_values(self, entry: Entry) -> list[DatedValue]:
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
            item_at = At(at.file, (*at.path, i))
            if "from" not in item or "value" not in item:
                msg = Message(N_("each value needs from (a date) and value"))
                raise item_at.error(msg)
            start = raw_date(item["from"], at.file, (*at.path, i, "from"))
            end = None
            if "to" in item:
                end = raw_date(item["to"], at.file, (*at.path, i, "to"))
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

    def param_value(self, value: Any, at: At) -> ParamValue:
        if isinstance(value, bool):
            return value
        if not isinstance(value, int | float) or value != value or abs(value) > MAX_MAGNITUDE:
            msg = Message(
                N_("a parameter value must be a finite number or true/false, not {value!r}"),
                value=value,
            )
            raise at.error(msg)
        return value

    def check_derived(self) -> list[tuple[str, str, Entry]]:
        raw = self.raw.derived
        if len(raw) > MAX_DERIVED:
            msg = Message(N_("more than {limit} derived variables"), limit=MAX_DERIVED)
            raise self.raw.meta.error(msg)
        out = []
        for (level, name), entry in raw.items():
            self.level(entry, level, At(entry.home.file, entry.home.path[:2]))
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
        titles = [self.read_title(tid, raw_title) for tid, raw_title in raw.items()]
        ids = [t.id for t in titles]
        for title, raw_title in zip(titles, raw.values(), strict=True):
            ordered = sorted(raw_title.versions, key=lambda v: v.start)
            for version, raw_version in zip(title.versions, ordered, strict=True):
                other = version.replaced_by
                if other is not None and (other not in ids or other == title.id):
                    msg = Message(
                        N_("replaced_by names {title_id!r}, not another title{hint}"),
                        title_id=other,
                        hint=did_you_mean(other, [i for i in ids if i != title.id]),
                    )
                    raise raw_version.entry.error(msg, "replaced_by")
        return titles

    def read_title(self, tid: str, raw: RawTitle) -> Title:
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
                    # Dates: ISO in English, as documents write them in Vietnamese.
                    start=version.start,
                    end=previous.end,
                )
                raise raw_version.entry.error(msg, "effective_from")
        eligible_position = (
            entry.place("eligible").value_position() if eligible is not None else (None, None)
        )
        eligible_tree = None
        if eligible is not None:
            origin = key_origin(entry.home.origin(), "eligible")
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

    def read_abolished(self, entry: Entry) -> Abolition | None:
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
                kind_text=kind_text(value),
            )
            raise at.error(msg)
        check_keys(value, _ABOLISHED_KEYS, at.file, at.path)
        inner = Entry(at.file, at.path, value)
        start = self.date(inner, "on", required=True)
        if start is None:  # pragma: no cover - date() raised already
            raise inner.error(Message(N_("{key} is required"), key="on"))
        return Abolition(start, self.source_ref(inner), self.text(inner, "note"))

    def read_grades(self, entry: Entry, rule: str) -> tuple[Grade, ...]:
        items = entry.get("grades")
        if items is None:
            return ()
        at = entry.place("grades")
        if rule != "points":
            msg = Message(N_("grades only apply to rule = 'points'"))
            raise at.error(msg)
        grades: list[Grade] = []
        for i, item in enumerate(items):
            grade = Entry(at.file, (*at.path, i), item)
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

    def read_version(self, raw: RawVersion, rule: str) -> Version:
        entry = raw.entry
        end = self.date(entry, "effective_to")
        if end is not None and end < raw.start:
            msg = Message(N_("effective_to is before effective_from"))
            raise entry.error(msg, "effective_to")
        source = self.source_ref(entry)
        in_force = self.flag(entry, "in_force", True)
        replaced_by = self.text(entry, "replaced_by")
        if replaced_by is not None and in_force:
            msg = Message(N_("replaced_by only applies to a version with in_force = false"))
            raise entry.error(msg, "replaced_by")
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
            in_force=in_force,
            replaced_by=replaced_by,
            origin=entry.home.origin(),
        )

    def read_criterion(self, entry: Entry, rule: str, version_source: str | None) -> Criterion:
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
        tree = self.template(expr, position, key_origin(origin, "expr"))
        return Criterion(
            id=cid,
            label=label,
            expr=expr,
            on_empty=self.choice(entry, "on_empty", ON_EMPTY, "fail"),
            clause=self.clause(entry),
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


def _value_kind(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "bool"
    return "int" if isinstance(value, int) else "float"
