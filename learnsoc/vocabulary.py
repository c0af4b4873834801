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

from learnsoc._messages import NN_
from learnsoc.errors import LearnsocError, Message, did_you_mean
from learnsoc.i18n import N_, gettext, ngettext, normalize_locale

__all__ = [
    "COUNT_NOUNS",
    "DENOMINATOR_NOUNS",
    "MEASURES",
    "TERMS",
    "counted",
    "counted_measure",
    "measure_label",
    "term",
]

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


#: Counts with the singular or plural of the standard denominators' nouns, by the plural
#: (the message id an indicator names), so that a count of one says "1 / 1 resident".
#: Whole phrases: "province" alone is already the level's name in the catalogs. A noun
#: said the same for one and many ("staff") is left out.
COUNT_NOUNS: Mapping[str, tuple[str, str]] = {
    forms[1].removeprefix("{counts} "): forms
    for forms in (
        NN_("{counts} civil servant", "{counts} civil servants"),
        NN_("{counts} clan", "{counts} clans"),
        NN_("{counts} community learning centre", "{counts} community learning centres"),
        NN_("{counts} district", "{counts} districts"),
        NN_("{counts} education institution", "{counts} education institutions"),
        NN_("{counts} employed worker", "{counts} employed workers"),
        NN_("{counts} family", "{counts} families"),
        NN_("{counts} household", "{counts} households"),
        NN_("{counts} learning citizen", "{counts} learning citizens"),
        NN_("{counts} newly literate person", "{counts} newly literate persons"),
        NN_("{counts} organisation", "{counts} organisations"),
        NN_("{counts} person aged 15 and over", "{counts} persons aged 15 and over"),
        NN_("{counts} person aged 15-60", "{counts} persons aged 15-60"),
        NN_("{counts} person of working age", "{counts} persons of working age"),
        NN_("{counts} province", "{counts} provinces"),
        NN_("{counts} public school", "{counts} public schools"),
        NN_("{counts} registered family", "{counts} registered families"),
        NN_("{counts} resident", "{counts} residents"),
        NN_("{counts} university or college", "{counts} universities and colleges"),
        NN_("{counts} village community", "{counts} village communities"),
    )
}

#: What each standard measure counts, as the standard indicators dividing by it name it
#: after their counts ("24 / 35 families"): a plural message id, in :data:`COUNT_NOUNS`
#: when it has a singular (tests/aggregate/test_rollup_cell_nouns.py checks the indicators
#: agree).
DENOMINATOR_NOUNS: Mapping[str, str] = {
    "persons": N_("residents"),
    "adults": N_("persons aged 15 and over"),
    "working_age": N_("persons of working age"),
    "persons_15_60": N_("persons aged 15-60"),
    "workers": N_("employed workers"),
    "newly_literate": N_("newly literate persons"),
    "learning_citizens": N_("learning citizens"),
    "families": N_("families"),
    "registered_families": N_("registered families"),
    "households": N_("households"),
    "clans": N_("clans"),
    "communities": N_("village communities"),
    "units": N_("organisations"),
    "districts": N_("districts"),
    "provinces": N_("provinces"),
    "titled_group_adults": N_("adults in learning families, clans and communities"),
    "titled_group_workers": N_("workers in learning families, clans and communities"),
    "learning_unit_staff": N_("staff of learning units"),
    "it_security_staff": N_("dedicated IT-security staff"),
    "civil_servants": N_("civil servants"),
    "public_schools": N_("public schools"),
    "institutions": N_("education institutions"),
    "learning_centres": N_("community learning centres"),
    "universities": N_("universities and colleges"),
}


def counted(counts: str, noun: str, n: int, locale: str | None = None) -> str:
    """Return counts followed by a noun's singular or plural (``noun`` is its plural's id).

    English agrees with ``n`` ("1 / 1 resident", "24 / 35 families"); Vietnamese nouns
    do not change ("24 / 35 gia đình"). A noun without a singular is written as it is.

    Examples
    --------
    >>> counted("1 / 1", "residents", 1, "en"), counted("24 / 35", "families", 35, "en")
    ('1 / 1 resident', '24 / 35 families')
    >>> counted("24 / 35", "families", 35, "vi")
    '24 / 35 gia đình'
    """
    forms = COUNT_NOUNS.get(noun)
    if forms is None:
        return f"{counts} {gettext(noun, locale)}"
    return ngettext(*forms, n, locale).format(counts=counts)


def counted_measure(counts: str, measure: str, n: int, locale: str | None = None) -> str:
    """Return counts followed by what ``measure`` counts, so a copied cell says it.

    A standard measure is named by its noun (:data:`DENOMINATOR_NOUNS`); another by its
    heading (:func:`measure_label`: the id a user gave it).

    Examples
    --------
    >>> counted_measure("24 / 35", "families", 35, "en")
    '24 / 35 families'
    >>> counted_measure("24 / 35", "households", 35, "vi")
    '24 / 35 hộ gia đình'
    >>> counted_measure("2 / 3", "my_count", 3, "vi")
    '2 / 3 my_count'
    """
    noun = DENOMINATOR_NOUNS.get(measure)
    if noun is None:
        return f"{counts} {measure_label(measure, locale)}"
    return counted(counts, noun, n, locale)
