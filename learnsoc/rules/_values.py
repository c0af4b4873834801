"""Typed values of a rulebook's entries: text, labels, dates, flags, numbers, choices, names.

:class:`EntryReader` reads one key of an :class:`~learnsoc.rules._raw.Entry` as the type
it must have, within the limits (:data:`~learnsoc.rules.rulebook.MAX_TEXT`, the rule
language's largest number), and raises a :class:`~learnsoc.errors.RulebookError` at the
key's place otherwise. The rulebook builder (:mod:`learnsoc.rules._build`) is one.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Sequence

from learnsoc._messages import N_, Message
from learnsoc.errors import did_you_mean
from learnsoc.rules._raw import At, Entry, check_keys, kind_text, raw_date
from learnsoc.rules.entries import Clause, Label, clause_table, language_text
from learnsoc.rules.language import MAX_MAGNITUDE, RESERVED
from learnsoc.rules.rulebook import MAX_TEXT

__all__ = ["EntryReader"]


class EntryReader:
    """Read the keys of entries as typed values; errors name the key's place."""

    def text(self, entry: Entry, key: str, *, required: bool = False) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                msg = Message(N_("{key} is required"), key=key)
                raise entry.error(msg)
            return None
        if not isinstance(value, str):
            msg = Message(
                N_("{key} must be text, not {kind_text}"), key=key, kind_text=kind_text(value)
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

    def required_text(self, entry: Entry, key: str) -> str:
        value = self.text(entry, key, required=True)
        if value is None:  # pragma: no cover - text() raised already
            raise entry.error(Message(N_("{key} is required"), key=key))
        return value

    def required_label(self, entry: Entry, key: str = "label") -> Label:
        value = self.label(entry, key, required=True)
        if value is None:  # pragma: no cover - label() raised already
            raise entry.error(Message(N_("{key} is required"), key=key))
        return value

    def label(self, entry: Entry, key: str, *, required: bool = True) -> Label | None:
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
                kind_text=kind_text(value),
            )
            raise at.error(msg)
        check_keys(value, ("vi", "en"), at.file, at.path)
        vi, en = (_language_text(at, key, lang, value.get(lang)) for lang in ("vi", "en"))
        return Label(vi=vi, en=en)

    def clause(self, entry: Entry, key: str = "clause") -> Clause | None:
        """Read a clause: a text (the same in both languages) or ``{ vi = ..., en = ... }``.

        The table may give one language only; the other falls back to it when shown.
        """
        value = entry.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            text = self.text(entry, key, required=True)
            return Clause(vi=text, en=text)
        at = entry.place(key)
        if not isinstance(value, dict):
            msg = Message(
                N_('{key} must be a text or a table {{ vi = "...", en = "..." }}, not {kind_text}'),
                key=key,
                kind_text=kind_text(value),
            )
            raise at.error(msg)
        check_keys(value, ("vi", "en"), at.file, at.path)
        return clause_table(value, key, at.error, limit=MAX_TEXT)

    def date(self, entry: Entry, key: str, *, required: bool = False) -> dt.date | None:
        value = entry.get(key)
        if value is None:
            if required:
                msg = Message(N_("{key} is required (a date such as 2021-01-01)"), key=key)
                raise entry.error(msg)
            return None
        at = entry.place(key)
        return raw_date(value, at.file, at.path)

    def flag(self, entry: Entry, key: str, default: bool) -> bool:
        value = entry.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            msg = Message(
                N_("{key} must be true or false, not {kind_text}"),
                key=key,
                kind_text=kind_text(value),
            )
            raise entry.error(msg, key)
        return value

    def number(self, entry: Entry, key: str) -> float | int | None:
        value = entry.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            msg = Message(
                N_("{key} must be a number, not {kind_text}"), key=key, kind_text=kind_text(value)
            )
            raise entry.error(msg, key)
        if value != value or abs(value) > MAX_MAGNITUDE:
            msg = Message(N_("{key} must be a finite number of magnitude at most 1e15"), key=key)
            raise entry.error(msg, key)
        return value

    def choice(self, entry: Entry, key: str, choices: Sequence[str], default: str) -> str:
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

    def identifier(self, name: str, what: str, at: At, *, reserved: bool = True) -> str:
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


def _language_text(at: At, key: str, lang: str, text: object) -> str:
    """Return one language's text of a label: not empty, nor too long."""
    return language_text(key, lang, text, at.error, limit=MAX_TEXT)
