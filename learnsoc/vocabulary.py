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
>>> measure_label("learning_families", "vi")
'Số Gia đình học tập'
"""

from __future__ import annotations

from collections.abc import Mapping

from learnsoc.errors import LearnsocError, Message, did_you_mean
from learnsoc.i18n import N_, gettext, normalize_locale

__all__ = ["MEASURES", "TERMS", "measure_label", "term"]

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

    Examples
    --------
    >>> term("learning_family", "vi"), term("learning_family", "en")
    ('gia đình học tập', 'learning family')
    """
    try:
        msgid = TERMS[term_id]
    except KeyError:
        msg = Message(
            N_("unknown term {term!r}{hint}"), term=term_id, hint=did_you_mean(term_id, TERMS)
        )
        raise LearnsocError(str(msg)).translatable(msg) from None
    return gettext(msgid, locale)


#: The standard measures (:func:`learnsoc.targets.standard_measures`, the columns of a
#: rollup and of a counts file) -> English message id of their heading in words. English
#: tables head them with the ids, which a user types; Vietnamese ones with these words.
MEASURES: Mapping[str, str] = {
    "persons": N_("number of persons"),
    "adults": N_("number of persons aged 15 and over"),
    "persons_15_60": N_("number of persons aged 15-60"),
    "working_age": N_("number of persons of working age"),
    "workers": N_("number of employed workers"),
    "learning_citizens": N_("number of learning citizens"),
    "adult_learning_citizens": N_("number of learning citizens aged 15 and over"),
    "working_age_learning_citizens": N_("number of learning citizens of working age"),
    "literate_15_60": N_("number of literate persons aged 15-60"),
    "newly_literate": N_("number of newly literate"),
    "newly_literate_still_learning": N_("number of newly literate who keep learning"),
    "trained_workers": N_("number of workers with training"),
    "certified_workers": N_("number of workers with a degree or certificate"),
    "digital_skills": N_("number of persons with digital skills"),
    "information_literacy": N_("number of working-age persons with information literacy"),
    "life_skills": N_("number of working-age persons with life skills"),
    "qualified_15": N_(
        "number of persons aged 15 and over with professional or technical training"
    ),
    "university_15": N_("number of persons aged 15 and over with a university degree or higher"),
    "learning_citizens_digital": N_("number of learning citizens with digital skills"),
    "households": N_("number of households"),
    "families": N_("number of families"),
    "registered_families": N_("number of registered families"),
    "clans": N_("number of clans"),
    "units": N_("number of organisations"),
    "communities": N_("number of village communities"),
    "districts": N_("number of districts"),
    "provinces": N_("number of provinces"),
    "learning_families": N_("number of learning families"),
    "learning_clans": N_("number of learning clans"),
    "learning_units": N_("number of learning units"),
    "learning_communities": N_("number of village learning communities"),
    "learning_communes": N_("number of commune-level learning communities"),
    "learning_districts": N_("number of learning districts"),
    "learning_provinces": N_("number of learning provinces or cities"),
    "learning_families_not_assessed": N_("number of families never assessed for the title"),
    "learning_clans_not_assessed": N_("number of clans never assessed for the title"),
    "learning_units_not_assessed": N_("number of organisations never assessed for the title"),
    "learning_communities_not_assessed": N_(
        "number of village communities never assessed for the title"
    ),
    "learning_communes_not_assessed": N_("number of communes never assessed for the title"),
    "learning_districts_not_assessed": N_("number of districts never assessed for the title"),
    "learning_provinces_not_assessed": N_("number of provinces never assessed for the title"),
    "titled_group_adults": N_(
        "number of persons aged 15 and over in learning families, clans, communities"
    ),
    "titled_group_adult_learning_citizens": N_(
        "number of learning citizens aged 15 and over in learning families, clans, communities"
    ),
    "titled_group_workers": N_("number of workers in learning families, clans, communities"),
    "titled_group_worker_learning_citizens": N_(
        "number of workers in learning families, clans, communities who are learning citizens"
    ),
    "learning_unit_staff": N_("number of staff of learning units"),
    "learning_unit_staff_learning_citizens": N_(
        "number of staff of learning units who are learning citizens"
    ),
    "units_reporting": N_("number of units reporting"),
    "units_expected": N_("number of units expected to report"),
}
#: A measure's companion count of those whose value was not recorded (``<measure>_missing``).
_WITHOUT_DATA = N_("{measure}: without data")
# The counts of a title's verdicts beside its measure (learnsoc.standard_measures).
_SUFFIXES = (
    ("_missing", _WITHOUT_DATA),
    ("_decided", N_("{measure}: verdicts decided")),
    ("_partial_data", N_("{measure}: decided on partial data")),
)


def measure_label(name: str, locale: str | None = None) -> str:
    """Return the heading of a measure in the locale: its id in English, words in Vietnamese.

    A ``<measure>_missing`` count is its measure's words and "without data" (and
    ``_decided``, ``_partial_data``, the verdicts decided and those decided on partial
    data); a measure learnsoc does not know (a user's own) keeps its name in every locale.

    Examples
    --------
    >>> measure_label("learning_families", "en")
    'learning_families'
    >>> measure_label("literate_15_60_missing", "vi")
    'Số người 15-60 tuổi biết chữ: số trường hợp thiếu số liệu'
    >>> measure_label("learning_families_partial_data", "vi")
    'Số Gia đình học tập: quyết định trên dữ liệu chưa đầy đủ'
    >>> measure_label("my_count", "vi")
    'my_count'
    """
    if normalize_locale(locale) == "en":
        return name
    if name in MEASURES:
        return gettext(MEASURES[name], locale)
    for suffix, words in _SUFFIXES:
        base = name.removesuffix(suffix)
        if base != name and base in MEASURES:
            return gettext(words, locale).format(measure=gettext(MEASURES[base], locale))
    return name
