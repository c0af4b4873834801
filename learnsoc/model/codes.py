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

from learnsoc.errors import did_you_mean
from learnsoc.i18n import N_, gettext

__all__ = [
    "CodedEnum",
    "Education",
    "Employment",
    "OrganisationType",
    "Qualification",
    "Sex",
]


class CodedEnum(enum.IntEnum):
    """Base class of learnsoc's coded categories: an ``IntEnum`` with a translated label."""

    def label(self, locale: str | None = None) -> str:
        """Return the member's label in the locale (the default locale if ``None``).

        Examples
        --------
        >>> Employment.EMPLOYED.label("vi")
        'có việc làm'
        """
        return gettext(_LABELS[type(self), int(self)], locale)

    @classmethod
    def parse(cls, text: str) -> CodedEnum:
        """Return the member named ``text`` (case-insensitive, spaces or dashes as ``_``).

        Raises
        ------
        ValueError
            If no member has that name; the message suggests the closest.

        Examples
        --------
        >>> OrganisationType.parse("party cell")
        <OrganisationType.PARTY_CELL: 5>
        """
        key = text.strip().upper().replace(" ", "_").replace("-", "_")
        try:
            return cls[key]
        except KeyError:
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
    """Sex as recorded in the population register (giới tính)."""

    MALE = 1
    FEMALE = 2


class Education(CodedEnum):
    """Highest level of general education completed (trình độ giáo dục phổ thông)."""

    NONE = 0
    PRIMARY = 1
    LOWER_SECONDARY = 2
    UPPER_SECONDARY = 3


class Qualification(CodedEnum):
    """Highest professional or technical qualification (trình độ chuyên môn kỹ thuật).

    The order is meaningful: ``qualification >= Qualification.COLLEGE`` selects
    college, university and postgraduate degrees.
    """

    NONE = 0
    ELEMENTARY = 1
    INTERMEDIATE = 2
    COLLEGE = 3
    UNIVERSITY = 4
    POSTGRADUATE = 5


class Employment(CodedEnum):
    """Labour-force status (tình trạng việc làm)."""

    NOT_IN_LABOUR_FORCE = 0
    EMPLOYED = 1
    UNEMPLOYED = 2


class OrganisationType(CodedEnum):
    """Kind of organisation that can earn the learning-unit title (Đơn vị học tập)."""

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
