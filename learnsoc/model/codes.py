"""Coded categories with stable integer codes and translated labels.

The integer values are part of learnsoc's data format (they are what the columns
store and what rulebooks compare against, e.g. ``qualification >= 3`` for college
or higher): they never change once released. Labels are message ids translated by
the catalogs, so ``Qualification.COLLEGE.label("vi")`` is ``"cao đẳng"``.

Examples
--------
>>> from learnsoc.model.codes import Qualification, Sex
>>> int(Qualification.COLLEGE)
3
>>> Sex.FEMALE.label("vi"), Sex.FEMALE.label("en")
('nữ', 'female')
>>> Qualification.parse("University")
<Qualification.UNIVERSITY: 4>
"""

from __future__ import annotations

import enum
import functools
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from learnsoc.errors import did_you_mean
from learnsoc.i18n import LOCALES, N_, gettext
from learnsoc.model.ids import unaccented

__all__ = [
    "CodedEnum",
    "Education",
    "Employment",
    "OrganisationType",
    "Qualification",
    "Sex",
    "code_type",
]


class CodedEnum(enum.IntEnum):
    """Base class of learnsoc's coded categories: an ``IntEnum`` with a translated label.

    Examples
    --------
    >>> issubclass(Sex, CodedEnum), Sex.FEMALE == 2
    (True, True)
    """

    def label(self, locale: str | None = None) -> str:
        """Return the member's label in the locale (the default locale if ``None``).

        Examples
        --------
        >>> Employment.EMPLOYED.label("vi")
        'có việc làm'
        """
        msgid = _LABELS.get((type(self), int(self)))
        if msgid is not None:
            return gettext(msgid, locale)
        # A type made at run time (a rulebook's code input) says its codes in the words
        # it was given; a code given none is said as its name, never a KeyError.
        words = _OWN_LABELS.get(type(self), {}).get(int(self))
        return words(locale) if words is not None else self.name.lower()

    @classmethod
    def parse(cls, text: str) -> CodedEnum:
        """Return the member named or labelled ``text``.

        A member is found by its name (case-insensitive, spaces or dashes as ``_``) or by
        its label in any language learnsoc speaks, as a spreadsheet writes it: ``"Nữ"``,
        ``"nu"`` (without its accents, when that names one member only), ``"female"``.

        Raises
        ------
        ValueError
            If no member has that name or label; the message suggests the closest name.

        Examples
        --------
        >>> OrganisationType.parse("party cell")
        <OrganisationType.PARTY_CELL: 5>
        >>> Sex.parse("Nữ"), Sex.parse("NAM"), Qualification.parse("Đại học")
        (<Sex.FEMALE: 2>, <Sex.MALE: 1>, <Qualification.UNIVERSITY: 4>)
        """
        key = text.strip().upper().replace(" ", "_").replace("-", "_")
        try:
            return cls[key]
        except KeyError:
            pass
        found = _labels(cls).get(_label_key(text))
        if found is not None:
            return found
        names = [m.name.lower() for m in cls]
        msg = f"{text!r} is not a {cls.__name__} name{did_you_mean(key.lower(), names)}"
        raise ValueError(msg) from None

    @classmethod
    def codes(cls) -> tuple[int, ...]:
        """Return the valid integer codes, ascending.

        Examples
        --------
        >>> Sex.codes()
        (1, 2)
        """
        return tuple(sorted(int(m) for m in cls))


class Sex(CodedEnum):
    """Sex as recorded in the population register (giới tính).

    Examples
    --------
    >>> [(int(m), m.label("vi")) for m in Sex]
    [(1, 'nam'), (2, 'nữ')]
    """

    MALE = 1
    FEMALE = 2


class Education(CodedEnum):
    """Highest level of general education completed (trình độ giáo dục phổ thông).

    Examples
    --------
    >>> Education.LOWER_SECONDARY.label("vi"), int(Education.LOWER_SECONDARY)
    ('trung học cơ sở', 2)
    """

    NONE = 0
    PRIMARY = 1
    LOWER_SECONDARY = 2
    UPPER_SECONDARY = 3


class Qualification(CodedEnum):
    """Highest professional or technical qualification (trình độ chuyên môn kỹ thuật).

    The order is meaningful: ``qualification >= Qualification.COLLEGE`` selects
    college, university and postgraduate degrees.

    Examples
    --------
    >>> [m.name for m in Qualification if m >= Qualification.COLLEGE]
    ['COLLEGE', 'UNIVERSITY', 'POSTGRADUATE']
    """

    NONE = 0
    ELEMENTARY = 1
    INTERMEDIATE = 2
    COLLEGE = 3
    UNIVERSITY = 4
    POSTGRADUATE = 5


class Employment(CodedEnum):
    """Labour-force status (tình trạng việc làm).

    Examples
    --------
    >>> Employment.parse("thất nghiệp")
    <Employment.UNEMPLOYED: 2>
    """

    NOT_IN_LABOUR_FORCE = 0
    EMPLOYED = 1
    UNEMPLOYED = 2


class OrganisationType(CodedEnum):
    """Kind of organisation that can earn the learning-unit title (Đơn vị học tập).

    Examples
    --------
    >>> OrganisationType.codes()
    (1, 2, 3, 4, 5, 6, 7, 9)
    >>> OrganisationType.COMMUNITY_LEARNING_CENTRE.label("vi")
    'trung tâm học tập cộng đồng'
    """

    AGENCY = 1
    SCHOOL = 2
    ENTERPRISE = 3
    ARMED_FORCES = 4
    PARTY_CELL = 5
    MASS_ORGANISATION = 6
    COMMUNITY_LEARNING_CENTRE = 7
    OTHER = 9


# Keyed by (class, code): IntEnum members of different classes compare equal as ints,
# so a dict keyed by the members themselves would mix up their labels.
_LABEL_PAIRS: tuple[tuple[CodedEnum, str], ...] = (
    (Sex.MALE, N_("male")),
    (Sex.FEMALE, N_("female")),
    (Education.NONE, N_("no schooling completed")),
    (Education.PRIMARY, N_("primary")),
    (Education.LOWER_SECONDARY, N_("lower secondary")),
    (Education.UPPER_SECONDARY, N_("upper secondary")),
    (Qualification.NONE, N_("no qualification")),
    (Qualification.ELEMENTARY, N_("elementary certificate")),
    (Qualification.INTERMEDIATE, N_("intermediate")),
    (Qualification.COLLEGE, N_("college")),
    (Qualification.UNIVERSITY, N_("university")),
    (Qualification.POSTGRADUATE, N_("postgraduate")),
    (Employment.NOT_IN_LABOUR_FORCE, N_("not in the labour force")),
    (Employment.EMPLOYED, N_("employed")),
    (Employment.UNEMPLOYED, N_("unemployed")),
    (OrganisationType.AGENCY, N_("state agency")),
    (OrganisationType.SCHOOL, N_("school or training institution")),
    (OrganisationType.ENTERPRISE, N_("enterprise")),
    (OrganisationType.ARMED_FORCES, N_("armed-forces unit")),
    (OrganisationType.PARTY_CELL, N_("party cell")),
    (OrganisationType.MASS_ORGANISATION, N_("mass organisation")),
    (OrganisationType.COMMUNITY_LEARNING_CENTRE, N_("community learning centre")),
    (OrganisationType.OTHER, N_("other organisation")),
)
_LABELS: dict[tuple[type[CodedEnum], int], str] = {(type(m), int(m)): t for m, t in _LABEL_PAIRS}


#: The labels of code types made at run time (:func:`code_type`): code -> text in a locale.
_OWN_LABELS: dict[type[CodedEnum], dict[int, Callable[[str | None], str]]] = {}


def code_type(
    name: str,
    codes: Iterable[tuple[str, int]],
    labels: Mapping[int, Callable[[str | None], str]] | None = None,
) -> type[CodedEnum]:
    """Return a new coded category with these ``(name, code)`` members and labels.

    A rulebook's code input becomes a column of the schema this way. ``labels`` gives a
    code its text in a locale; a code without one is labelled by its name in lower case.
    A code written twice keeps its first name.

    Examples
    --------
    >>> tier = code_type("tier", [("commune", 1), ("province", 3)], {3: lambda loc: "tỉnh"})
    >>> tier(3).label("vi"), tier(1).label("en"), tier.parse("tỉnh")
    ('tỉnh', 'commune', <tier.PROVINCE: 3>)
    """
    unique = dict(reversed([(n.upper(), int(code)) for n, code in codes]))
    # The functional Enum API builds the type from the names.
    make: Any = CodedEnum
    made: type[CodedEnum] = make(name, list(unique.items()))
    _OWN_LABELS[made] = dict(labels or {})
    return made


def _label_key(text: str) -> str:
    """Return a label as labels are compared: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


@functools.cache
def _labels(cls: type[CodedEnum]) -> dict[str, CodedEnum]:
    """Every label of every member in every locale, and its unaccented form if unambiguous."""
    exact: dict[str, CodedEnum] = {}
    for member in cls:
        for locale in LOCALES:
            exact.setdefault(_label_key(member.label(locale)), member)
    folded: dict[str, set[CodedEnum]] = {}
    for label, member in exact.items():
        folded.setdefault(unaccented(label), set()).add(member)
    loose = {k: next(iter(v)) for k, v in folded.items() if len(v) == 1 and k not in exact}
    return {**loose, **exact}
