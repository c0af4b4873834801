"""The movement's vocabulary: stable ids for titles and terms, with vi/en names.

The Vietnamese names are the official terms; the English ones are learnsoc's
translations. Both come from the message catalogs, so reports, explanations and the
docs glossary use the same words.

Examples
--------
>>> from learnsoc.vocabulary import TERMS, term
>>> term("learning_family", "vi"), term("learning_family", "en")
('gia đình học tập', 'learning family')
>>> "learning_city" in TERMS
True
"""

from __future__ import annotations

from collections.abc import Mapping

from learnsoc.errors import LearnsocError, Message, did_you_mean
from learnsoc.i18n import N_, gettext

__all__ = ["TERMS", "term"]

#: Term id -> English message id (translated by the catalogs).
TERMS: Mapping[str, str] = {
    "learning_society": N_("learning society"),
    "learning_citizen": N_("learning citizen"),
    "learning_family": N_("learning family"),
    "learning_clan": N_("learning clan"),
    "learning_community": N_("learning community"),
    "commune_learning_community": N_("commune-level learning community"),
    "learning_unit": N_("learning unit"),
    "learning_district": N_("learning district"),
    "learning_province": N_("learning province or city"),
    "learning_city": N_("UNESCO learning city"),
    "study_promotion_association": N_("study promotion association"),
    "community_learning_centre": N_("community learning centre"),
    "lifelong_learning": N_("lifelong learning"),
    "literacy_level_2": N_("literacy standard level 2"),
    "universal_education": N_("universal education"),
    "registered_family": N_("registered family"),
}


def term(term_id: str, locale: str | None = None) -> str:
    """Return a term's name in the locale.

    Raises
    ------
    LearnsocError
        If the term id is unknown (with a suggestion).
    """
    try:
        msgid = TERMS[term_id]
    except KeyError:
        msg = Message(
            N_("unknown term {term!r}{hint}"), term=term_id, hint=did_you_mean(term_id, TERMS)
        )
        raise LearnsocError(str(msg)).translatable(msg) from None
    return gettext(msgid, locale)
