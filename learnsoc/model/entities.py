"""Typed records: persons, households, clans, organisations and administrative units.

These frozen attrs classes are the friendly, single-record view of the data, for tests,
notebooks and small inputs. At scale the same data lives in a :class:`~learnsoc.Population`
as numpy columns; :meth:`~learnsoc.Population.from_records` and
:meth:`~learnsoc.Population.person` cross between the two.

The fields of :class:`Person` are the columns of the standard person schema
(:data:`learnsoc.model.schema.STANDARD_SCHEMA`). A flag is ``True``, ``False`` or ``None``
(not recorded); ``None`` is never read as "no". Values are not range-checked here: the
population checks them and reports bad rows in its rejects table.

Examples
--------
>>> import learnsoc as ls
>>> p = ls.Person("P1", "H1", age=34, sex=ls.Sex.FEMALE, literate=True, learning_hours=60)
>>> p.age, p.sex.label("vi"), p.digital_skills
(34, 'nữ', None)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from learnsoc.model.codes import Education, Employment, OrganisationType, Qualification, Sex

__all__ = ["AdminUnit", "Clan", "Household", "Membership", "Organisation", "Person"]

Id = str | int


def _id_tuple(ids: Iterable[Id]) -> tuple[Id, ...]:
    return tuple(ids)


def _extra_field() -> Any:
    return attrs.field(factory=dict, kw_only=True, hash=False, converter=dict)


@attrs.frozen
class Person:
    """A person (người) and the learning attributes of the standard schema.

    Parameters
    ----------
    person_id : str or int
        The person's id.
    household_id : str or int
        The id of the household the person lives in.
    age : int, optional
        Age in completed years; give ``birth_year`` instead when the age is not known
        and the population's ``reference_year`` converts it.
    birth_year : int, optional
        Year of birth.
    sex, literate, ... : optional
        The standard person attributes; ``None`` means not recorded.
    extra : mapping, optional
        Values of extra columns declared in an extended schema.

    Examples
    --------
    >>> p = Person("P1", "H1", age=40, sex=Sex.FEMALE, qualification=Qualification.COLLEGE)
    >>> p.qualification >= Qualification.COLLEGE, p.literate  # literacy not recorded
    (True, None)
    """

    person_id: Id
    household_id: Id
    age: int | None = None
    birth_year: int | None = attrs.field(default=None, kw_only=True)
    sex: Sex | None = attrs.field(default=None, kw_only=True)
    literate: bool | None = attrs.field(default=None, kw_only=True)
    newly_literate: bool | None = attrs.field(default=None, kw_only=True)
    still_learning: bool | None = attrs.field(default=None, kw_only=True)
    in_school: bool | None = attrs.field(default=None, kw_only=True)
    education: Education | None = attrs.field(default=None, kw_only=True)
    qualification: Qualification | None = attrs.field(default=None, kw_only=True)
    employment: Employment | None = attrs.field(default=None, kw_only=True)
    trained: bool | None = attrs.field(default=None, kw_only=True)
    certified: bool | None = attrs.field(default=None, kw_only=True)
    digital_skills: bool | None = attrs.field(default=None, kw_only=True)
    information_literacy: bool | None = attrs.field(default=None, kw_only=True)
    life_skills: bool | None = attrs.field(default=None, kw_only=True)
    learning_hours: int | None = attrs.field(default=None, kw_only=True)
    self_study: bool | None = attrs.field(default=None, kw_only=True)
    community_learning: bool | None = attrs.field(default=None, kw_only=True)
    civil_servant: bool | None = attrs.field(default=None, kw_only=True)
    party_member: bool | None = attrs.field(default=None, kw_only=True)
    recognised_learning_citizen: bool | None = attrs.field(default=None, kw_only=True)
    citizen_points: int | None = attrs.field(default=None, kw_only=True)
    citizen_min_indicator: int | None = attrs.field(default=None, kw_only=True)
    extra: Mapping[str, Any] = _extra_field()


@attrs.frozen
class Household:
    """A household, the unit of the learning-family title (Gia đình học tập).

    Parameters
    ----------
    household_id : str or int
        The household's id.
    unit_code : str
        Code of its unit at the lowest level of the hierarchy (the village or
        residential group, thôn / tổ dân phố, in the Vietnamese trees).
    clan_id : str or int, optional
        The clan (dòng họ) the household belongs to, if any.
    registered : bool, optional
        Whether it registered for the learning-family title this year (the movement's
        denominator is registered families).
    extra : mapping, optional
        Values of extra columns declared in an extended schema.

    Examples
    --------
    >>> Household("H1", "00001001", clan_id="C1", registered=True)
    Household(household_id='H1', unit_code='00001001', clan_id='C1', registered=True, extra={})
    """

    household_id: Id
    unit_code: str
    clan_id: Id | None = attrs.field(default=None, kw_only=True)
    registered: bool | None = attrs.field(default=None, kw_only=True)
    extra: Mapping[str, Any] = _extra_field()


@attrs.frozen
class Clan:
    """A clan or clan branch (dòng họ), a group of households.

    Clans are a group set over households, not a level of the administrative tree: a
    clan can span villages.

    Examples
    --------
    >>> import learnsoc as ls
    >>> tree = ls.synthetic_hierarchy(villages=1, seed=1)
    >>> village = str(tree.codes_at("village")[0])
    >>> pop = ls.Population.from_records(
    ...     [ls.Person("1", "H1", age=40)], [ls.Household("H1", village, clan_id="C1")],
    ...     hierarchy=tree, clans=[Clan("C1", "Họ Nguyễn")])
    >>> pop.clan(0).name, pop.n_clans
    ('Họ Nguyễn', 1)
    """

    clan_id: Id
    name: str = ""
    unit_code: str | None = attrs.field(default=None, kw_only=True)
    registered: bool | None = attrs.field(default=None, kw_only=True)
    extra: Mapping[str, Any] = _extra_field()


@attrs.frozen
class Organisation:
    """An organisation that can earn the learning-unit title (Đơn vị học tập).

    Parameters
    ----------
    organisation_id : str or int
        Its id.
    organisation_type : OrganisationType
        Agency, school, enterprise, armed-forces unit, party cell ...
    unit_code : str
        The administrative unit it is attached to; its level (commune, district,
        province) is the level at which it is recognised.
    name : str
        Its name.
    members : tuple of ids
        The ids of its members (persons). A person can belong to several
        organisations.

    Examples
    --------
    >>> school = Organisation("O1", OrganisationType.SCHOOL, "00001", "Trường Tiểu học",
    ...                       members=["1", "2"])
    >>> school.members, school.organisation_type.label("vi")
    (('1', '2'), 'trường học, cơ sở đào tạo')
    """

    organisation_id: Id
    organisation_type: OrganisationType
    unit_code: str
    name: str = ""
    registered: bool | None = attrs.field(default=None, kw_only=True)
    members: tuple[Id, ...] = attrs.field(default=(), kw_only=True, converter=_id_tuple)
    extra: Mapping[str, Any] = _extra_field()


@attrs.frozen
class Membership:
    """One person's membership of one organisation.

    Examples
    --------
    >>> Membership("O1", "P1")
    Membership(organisation_id='O1', person_id='P1')
    """

    organisation_id: Id
    person_id: Id


@attrs.frozen
class AdminUnit:
    """An administrative unit: province, district, commune, village ...

    Parameters
    ----------
    code : str
        Its code, a string (leading zeros matter: Hanoi is ``"01"``).
    name : str
        Its name.
    level : str
        The name of its level in the hierarchy (``"commune"``).
    parent_code : str, optional
        The code of its parent, one level up; ``None`` at the top level.

    Examples
    --------
    >>> AdminUnit("00001", "Phường Ba Đình", "commune", "01")
    AdminUnit(code='00001', name='Phường Ba Đình', level='commune', parent_code='01')
    """

    code: str
    name: str
    level: str
    parent_code: str | None = None
