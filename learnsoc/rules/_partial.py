"""The note of a title some of whose verdicts rest on partial data, in the run's language.

Aggregates leave out the members whose data are missing (SQL-like): a village is decided
on its families with data, unless every one lacks them. The titles table says how many
decided verdicts that concerns: "94 of the 200 villages were decided on the families with
data; 106 other villages on complete data". One message per level, so that each language
puts its own noun and plural (as :mod:`learnsoc.report._completeness` does).
"""

from __future__ import annotations

from typing import Any

from learnsoc._messages import NN_
from learnsoc.i18n import N_, format_integer, gettext, ngettext

__all__ = ["decided_on_text", "partial_data_note"]


def _decided_on(level: str, n: int, loc: str) -> str:
    # One message per level, so that each language can put its own noun and plural.
    if level == "person":
        return ngettext(
            "{title}: {n} of the {decided} people was decided on {members}",
            "{title}: {n} of the {decided} people were decided on {members}",
            n,
            loc,
        )
    if level == "household":
        return ngettext(
            "{title}: {n} of the {decided} families was decided on {members}",
            "{title}: {n} of the {decided} families were decided on {members}",
            n,
            loc,
        )
    if level == "clan":
        return ngettext(
            "{title}: {n} of the {decided} clans was decided on {members}",
            "{title}: {n} of the {decided} clans were decided on {members}",
            n,
            loc,
        )
    if level == "organisation":
        return ngettext(
            "{title}: {n} of the {decided} organisations was decided on {members}",
            "{title}: {n} of the {decided} organisations were decided on {members}",
            n,
            loc,
        )
    if level == "village":
        return ngettext(
            "{title}: {n} of the {decided} villages was decided on {members}",
            "{title}: {n} of the {decided} villages were decided on {members}",
            n,
            loc,
        )
    if level == "commune":
        return ngettext(
            "{title}: {n} of the {decided} communes was decided on {members}",
            "{title}: {n} of the {decided} communes were decided on {members}",
            n,
            loc,
        )
    if level == "district":
        return ngettext(
            "{title}: {n} of the {decided} districts was decided on {members}",
            "{title}: {n} of the {decided} districts were decided on {members}",
            n,
            loc,
        )
    if level == "province":
        return ngettext(
            "{title}: {n} of the {decided} provinces was decided on {members}",
            "{title}: {n} of the {decided} provinces were decided on {members}",
            n,
            loc,
        )
    return ngettext(
        "{title}: {n} of the {decided} decided was decided on {members}",
        "{title}: {n} of the {decided} decided were decided on {members}",
        n,
        loc,
    )


#: The verdicts decided on all their members' data, named (the note ended "; 106 on all",
#: a bare count). A message of its own, so that its noun agrees with its count.
_THE_REST: dict[str, tuple[str, str]] = {
    "person": NN_("{rest} other person on complete data", "{rest} other people on complete data"),
    "household": NN_(
        "{rest} other family on complete data", "{rest} other families on complete data"
    ),
    "clan": NN_("{rest} other clan on complete data", "{rest} other clans on complete data"),
    "organisation": NN_(
        "{rest} other organisation on complete data",
        "{rest} other organisations on complete data",
    ),
    "village": NN_(
        "{rest} other village on complete data", "{rest} other villages on complete data"
    ),
    "commune": NN_(
        "{rest} other commune on complete data", "{rest} other communes on complete data"
    ),
    "district": NN_(
        "{rest} other district on complete data", "{rest} other districts on complete data"
    ),
    "province": NN_(
        "{rest} other province on complete data", "{rest} other provinces on complete data"
    ),
}
_THE_REST_OTHER = NN_(
    "{rest} other verdict on complete data", "{rest} other verdicts on complete data"
)

#: The note when a single entity was decided (and so on partial data): "1 of the 1
#: communes" named a plural of one; each language says it its own way.
_THE_ONE: dict[str, str] = {
    "person": N_("{title}: the only person decided was decided on {members}"),
    "household": N_("{title}: the only family decided was decided on {members}"),
    "clan": N_("{title}: the only clan decided was decided on {members}"),
    "organisation": N_("{title}: the only organisation decided was decided on {members}"),
    "village": N_("{title}: the only village decided was decided on {members}"),
    "commune": N_("{title}: the only commune decided was decided on {members}"),
    "district": N_("{title}: the only district decided was decided on {members}"),
    "province": N_("{title}: the only province decided was decided on {members}"),
}
_THE_ONE_OTHER = N_("{title}: the only verdict decided was decided on {members}")


def _members(levels: tuple[str, ...], loc: str) -> str:
    """Return the members left out, as "the families with data" (any members if several)."""
    if len(levels) == 1:
        level = levels[0]
        if level == "person":
            return gettext("the people with data", loc)
        if level == "household":
            return gettext("the families with data", loc)
        if level == "clan":
            return gettext("the clans with data", loc)
        if level == "organisation":
            return gettext("the organisations with data", loc)
        if level == "village":
            return gettext("the villages with data", loc)
        if level == "commune":
            return gettext("the communes with data", loc)
        if level == "district":
            return gettext("the districts with data", loc)
    return gettext("the members with data", loc)


def partial_data_note(row: Any, label: str, loc: str) -> str:
    """Return the note of a summary row with verdicts decided on partial data ("" if none).

    Examples
    --------
    >>> from learnsoc.rules.summary import SummaryRow
    >>> row = SummaryRow("learning_community", "Cộng đồng học tập cấp thôn",
    ...                  "village learning community", "village", "2016-01-01",
    ...                  200, 200, 0, 200, 0, partial_data=94, partial_members=("household",))
    >>> partial_data_note(row, "village learning community", "en").split("; ")
    ['village learning community: 94 of the 200 villages were decided on the families with data',
     '106 other villages on complete data']
    >>> partial_data_note(row, "CĐHT", "vi").split("; ")
    ['CĐHT: 94 trong số 200 thôn, tổ dân phố được quyết định chỉ dựa trên các gia đình có dữ liệu',
     '106 thôn, tổ dân phố còn lại dựa trên đầy đủ dữ liệu']
    """
    if not row.partial_data:
        return ""
    decided = row.passed + row.failed
    return decided_on_text(
        row.level, row.partial_data, decided, tuple(row.partial_members), label, loc
    )


def decided_on_text(
    level: str, n: int, decided: int, members: tuple[str, ...], label: str, loc: str
) -> str:
    """Return "LABEL: N of the DECIDED villages were decided on the families with data; ...".

    ``level`` is the level of the entities decided, ``members`` the levels of the members
    left out. The titles table and every report say it in these words.

    Examples
    --------
    >>> decided_on_text("household", 3, 40, ("person",), "share of learning families", "en")
    'share of learning families: 3 of the 40 families were decided on the people with \
data; 37 other families on complete data'
    >>> decided_on_text("commune", 1, 1, ("household",), "commune-level community", "en")
    'commune-level community: the only commune decided was decided on the families with data'
    """
    if decided == 1 and n == 1:
        one = gettext(_THE_ONE.get(level, _THE_ONE_OTHER), loc)
        return one.format(title=label, members=_members(members, loc))
    text = _decided_on(level, n, loc).format(
        title=label,
        n=format_integer(n, loc),
        decided=format_integer(decided, loc),
        members=_members(members, loc),
    )
    rest = decided - n
    if rest <= 0:  # all of them on partial data: "0 on complete data" would say nothing
        return text
    singular, plural = _THE_REST.get(level, _THE_REST_OTHER)
    tail = ngettext(singular, plural, rest, loc).format(rest=format_integer(rest, loc))
    return f"{text}; {tail}"
