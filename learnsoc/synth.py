"""Synthetic populations shaped like Vietnam, for the demo, tests, docs and benchmarks.

Everything is drawn from one seeded generator, so a seed gives the same population on
every machine. The shape follows DOMAIN.md section 6: about 3.5 persons per household,
about 1,000 persons per village or residential group, about 20 villages per commune,
100 communes per province in the 2025 tree (15 per district and 11 districts per
province before), a third of communes urban, literacy of ages 15+ near 96%, most
school-age children in school, and clans (dòng họ) and organisations (agencies,
schools, enterprises, party cells, community learning centres) in every commune.

Learning runs in families, clans and villages: a household takes part in the movement
or not (with a village and a clan effect), and its children's schooling and its adults'
learning-citizen titles follow; staff of organisations nearly all hold the title. So the
bundled vn-national rulebook, with :func:`synthetic_inputs`, grants every title at rates
like a province's published results (DOMAIN.md section 4): about 68% of families, 65% of
clans, 80% of villages, 93% of organisations and 37% of residents as learning citizens
at the demo's size.

Ten million persons take a few seconds and well under 1 GiB.

Examples
--------
>>> import learnsoc as ls
>>> pop = ls.synthetic_population(persons=20_000, seed=7)
>>> pop.n_persons, pop.hierarchy.levels
(20000, ('province', 'commune', 'village'))
>>> pop == ls.synthetic_population(persons=20_000, seed=7)
True
>>> ls.synthetic_population(persons=20_000, seed=7, hierarchy="vn-pre-2025").hierarchy.levels
('province', 'district', 'commune', 'village')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc.errors import LearnsocError
from learnsoc.model.codes import Education, Employment, OrganisationType, Qualification, Sex
from learnsoc.model.hierarchy import Hierarchy, HierarchySpec, Level, hierarchy_spec
from learnsoc.model.population import Population

if TYPE_CHECKING:
    from learnsoc.io.dataset import write_synthetic_dataset

__all__ = [
    "PERSONS_PER_VILLAGE",
    "synthetic_hierarchy",
    "synthetic_inputs",
    "synthetic_population",
    "write_synthetic_dataset",
]


def __getattr__(name: str) -> Any:
    # Writing files is floor 6 (learnsoc.io.dataset); loaded on first use, so that
    # ``ls.synth.write_synthetic_dataset`` works without this module importing upward.
    if name == "write_synthetic_dataset":
        from learnsoc.io.dataset import write_synthetic_dataset

        return write_synthetic_dataset
    msg = f"module 'learnsoc.synth' has no attribute {name!r}"
    raise AttributeError(msg)


PERSONS_PER_VILLAGE = 1_000

# Children per parent, by (child level, parent level); other pairs use _DEFAULT_FANOUT.
_FANOUT = {
    ("village", "commune"): 20,
    ("commune", "district"): 15,
    ("district", "province"): 11,
    ("commune", "province"): 100,
}
_DEFAULT_FANOUT = 10
_CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}

# 2019 census household sizes 1..8 (mean about 3.5).
_HOUSEHOLD_SIZE_P = np.array([0.12, 0.19, 0.22, 0.25, 0.12, 0.06, 0.03, 0.01])

MISSING = 255

# How engaged a household is in the learning movement: a village effect, a clan effect and
# the household's own draw (probit scale; the mean puts about 85% of households in it).
# Whole families meet the family title's test together, and villages and clans differ, so
# the titles above the family are granted at rates like the published provincial results
# (DOMAIN.md section 4, Ha Giang 2024: families 73.6%, clans 69.1%, village communities
# 81.2%, units 98%, citizens 16.2%). The values were tuned on the demo's province.
_ENGAGED_MEAN = 1.15
_ENGAGED_VILLAGE_SD = 0.35
_ENGAGED_CLAN_SD = 0.05
# Share of households (engaged or not) and of clans registered for their title.
_REGISTERED_ENGAGED = 0.95
_REGISTERED_OTHER = 0.7
_CLAN_REGISTERED = 0.85
# Probability of holding the learning-citizen title (literate persons aged 15+): staff of
# organisations; adults 19-60 of engaged households; the other ages there; everyone else.
_CITIZEN_MEMBER = np.float32(0.985)
_CITIZEN_ENGAGED_CORE = np.float32(0.3)
_CITIZEN_ENGAGED_OTHER = np.float32(0.05)
_CITIZEN_OTHER = np.float32(0.03)
# Share of literate employed persons on the staff of an organisation of their commune.
_STAFF_SHARE = 0.2


def _chunk_sizes(rng: np.random.Generator, total: int, parts: int) -> NDArray[np.int64]:
    """Split ``total`` items into ``parts`` contiguous chunks of at least 1 (when possible)."""
    if parts <= 1:
        return np.array([total], np.int64)
    if total < parts:
        return np.array([1] * total + [0] * (parts - total), np.int64)
    cuts = np.sort(rng.choice(np.arange(1, total), size=parts - 1, replace=False))
    return np.diff(np.concatenate([[0], cuts, [total]])).astype(np.int64)


def synthetic_hierarchy(
    villages: int = 100,
    seed: int = 0,
    levels: str | HierarchySpec | Sequence[str | Level] = "vn-2025",
) -> Hierarchy:
    """Build a synthetic administrative tree with about ``villages`` lowest-level units.

    Parameters
    ----------
    villages : int
        Number of units at the lowest level.
    seed : int
        Seed of the random generator.
    levels : str, HierarchySpec or sequence of str
        A preset (``"vn-2025"``, ``"vn-pre-2025"``) or custom levels, top first.

    Returns
    -------
    Hierarchy
        Codes follow the national scheme's widths (province 2 digits, district 3,
        commune 5) as zero-padded strings; village codes extend their commune's code.

    Examples
    --------
    >>> h = synthetic_hierarchy(villages=50, seed=1, levels="vn-pre-2025")
    >>> h.n_units("village"), h.n_units("province")
    (50, 1)
    >>> str(h.codes_at("province")[0]), len(h.codes_at("commune")[0])
    ('01', 5)
    """
    spec = hierarchy_spec(levels)
    if villages < 1:
        msg = Message(
            N_("a synthetic hierarchy needs at least one lowest-level unit, got {n}"), n=villages
        )
        raise LearnsocError(str(msg)).translatable(msg)
    rng = np.random.default_rng([seed, 1])
    names = spec.names
    counts = [villages]
    for k in range(len(names) - 1, 0, -1):
        fan = _FANOUT.get((names[k], names[k - 1]), _DEFAULT_FANOUT)
        counts.append(max(1, math.ceil(counts[-1] / fan)))
    counts.reverse()
    urban_commune_share = 0.344
    codes: list[NDArray[np.str_]] = []
    unit_names: list[NDArray[np.str_]] = []
    parents: list[NDArray[np.str_]] = []
    level_col: list[NDArray[np.str_]] = []
    parent_of: NDArray[np.int64] = np.zeros(0, np.int64)
    urban = np.zeros(counts[0], bool)
    for k, name in enumerate(names):
        n = counts[k]
        if k == 0:
            parent_of = np.full(n, -1, np.int64)
        else:
            sizes = _chunk_sizes(rng, n, counts[k - 1])
            parent_of = np.repeat(np.arange(counts[k - 1]), sizes)
        if k == len(names) - 1 and k > 0:
            # Village codes: parent's code plus a 3-digit (or wider) running number.
            first = np.searchsorted(parent_of, parent_of, side="left")
            rank = np.arange(n) - first + 1
            width = max(3, len(str(int(rank.max()))))
            code = np.char.add(codes[k - 1][parent_of], np.char.zfill(rank.astype(str), width))
            parent_urban = urban[parent_of]
            label = np.where(parent_urban, "Tổ dân phố ", "Thôn ")
            uname = np.char.add(label, rank.astype(str))
        else:
            width = _CODE_WIDTH.get(name, 2 + k)
            width = max(width, len(str(n)))
            code = np.char.zfill((np.arange(n) + 1).astype(str), width)
            if name not in _CODE_WIDTH:
                code = np.char.add(name[:1].upper(), code)
            if name == "commune":
                urban = rng.random(n) < urban_commune_share
                label = np.where(urban, "Phường ", "Xã ")
            elif name == "province":
                label = np.full(n, "Tỉnh ")
            elif name == "district":
                label = np.full(n, "Huyện ")
            else:
                label = np.full(n, f"{name.capitalize()} ")
            uname = np.char.add(label, code)
            if name != "commune" and k < len(names) - 1:
                urban = np.zeros(n, bool)
        codes.append(code.astype(str))
        unit_names.append(uname.astype(str))
        parents.append(codes[k - 1][parent_of] if k else np.full(n, "", dtype=str))
        level_col.append(np.full(n, name))
    if "commune" not in names:
        urban = np.zeros(counts[-1], bool)
    table: dict[str, Any] = {
        "code": np.concatenate(codes),
        "name": np.concatenate(unit_names),
        "level": np.concatenate(level_col),
        "parent_code": np.concatenate(parents),
    }
    return Hierarchy.from_units(table, levels=spec)


def _urban_leaf(h: Hierarchy) -> NDArray[np.bool_]:
    """Urban flag of each lowest-level unit, from its name (wards and residential groups)."""
    leaf = h.leaf_level
    names = h.names_at(leaf)
    if "commune" in h.levels and leaf != "commune":
        commune = h.ancestor_index(leaf, "commune")
        return np.char.startswith(h.names_at("commune"), "Phường")[commune]
    return np.char.startswith(names, "Tổ dân phố") | np.char.startswith(names, "Phường")


def synthetic_population(
    persons: int = 100_000,
    seed: int = 0,
    hierarchy: str | HierarchySpec | Sequence[str | Level] | Hierarchy = "vn-2025",
    *,
    reference_year: int = 2025,
) -> Population:
    """Generate a deterministic synthetic population shaped like Vietnam.

    Parameters
    ----------
    persons : int
        Exact number of persons.
    seed : int
        Seed: the same seed gives an equal population.
    hierarchy : str, HierarchySpec, sequence of str, or Hierarchy
        A preset or custom levels (a tree is generated with about 1,000 persons per
        lowest-level unit), or an existing tree to populate.
    reference_year : int
        The year the ages refer to.

    Returns
    -------
    Population
        With every standard person column, about 0.2% of flag values not recorded
        (missing), clans, organisations and memberships.

    Examples
    --------
    >>> pop = synthetic_population(persons=10_000, seed=1)
    >>> 3.2 < pop.n_persons / pop.n_households < 3.8
    True
    >>> s = pop.summary()
    >>> 0.9 < s.literacy_15_60 < 1.0
    True
    """
    if persons < 1:
        msg = Message(N_("persons must be at least 1, got {n}"), n=persons)
        raise LearnsocError(str(msg)).translatable(msg)
    if isinstance(hierarchy, Hierarchy):
        h = hierarchy
    else:
        villages = max(1, round(persons / PERSONS_PER_VILLAGE))
        h = synthetic_hierarchy(villages, seed, hierarchy)
    rng = np.random.default_rng([seed, 2])
    n_villages = h.n_units(h.leaf_level)

    # Households: sizes from the census distribution, trimmed to exactly `persons`.
    n_guess = int(persons / 3.4) + 16
    sizes = rng.choice(np.arange(1, 9), size=n_guess, p=_HOUSEHOLD_SIZE_P)
    while sizes.sum() < persons:
        sizes = np.concatenate(
            [sizes, rng.choice(np.arange(1, 9), size=n_guess, p=_HOUSEHOLD_SIZE_P)]
        )
    ends = np.cumsum(sizes)
    n_hh = int(np.searchsorted(ends, persons) + 1)
    sizes = sizes[:n_hh]
    sizes[-1] -= int(ends[n_hh - 1] - persons)
    weights = rng.lognormal(0.0, 0.4, n_villages)
    per_village = np.floor(weights / weights.sum() * n_hh).astype(np.int64)
    deficit = n_hh - int(per_village.sum())
    per_village += np.bincount(rng.integers(0, n_villages, deficit), minlength=n_villages)
    hh_village = np.repeat(np.arange(n_villages), per_village)
    urban_v = _urban_leaf(h)
    hh_urban = urban_v[hh_village]

    person_hh = np.repeat(np.arange(n_hh), sizes)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    # Position in the household (sizes are at most 8, so uint8 saves 70 MB per 10M persons).
    rank = (np.arange(persons) - offsets[person_hh]).astype(np.uint8)
    urban = hh_urban[person_hh]
    clan = _clans(rng, h, hh_village, hh_urban)
    engaged_hh = _engaged_households(rng, hh_village, clan, n_villages)
    engaged = engaged_hh[person_hh]
    cols = _person_columns(rng, persons, person_hh, rank, sizes, urban, engaged)
    del rank, urban

    # Families that take part in the movement register for the title far more often.
    registered_p = np.where(engaged_hh, _REGISTERED_ENGAGED, _REGISTERED_OTHER)
    households: dict[str, Any] = {
        "household_id": np.arange(1, n_hh + 1, dtype=np.int64),
        "unit_code": h.codes_at(h.leaf_level)[hh_village],
        "registered": _flag(rng, rng.random(n_hh) < registered_p, 0.002),
    }
    del registered_p, engaged_hh
    households["clan_id"] = np.where(clan >= 0, clan + 1, np.nan)
    n_clans = int(clan.max()) + 1 if (clan >= 0).any() else 0
    clans = {
        "clan_id": np.arange(1, n_clans + 1, dtype=np.int64),
        "name": np.char.add("Dòng họ ", np.arange(1, n_clans + 1).astype(str)),
        "registered": _flag(rng, rng.random(n_clans) < _CLAN_REGISTERED, 0.0),
    }
    organisations, memberships = _organisations(rng, h, cols, person_hh, hh_village)
    del hh_village, hh_urban, clan, sizes
    member = np.zeros(persons, bool)
    member[memberships["person_id"] - 1] = True
    cols.update(_citizen_columns(rng, cols, engaged, member, person_hh, offsets))
    del engaged, member, offsets
    person_hh += 1  # household ids are 1-based; reuse the buffer (80 MB per 10M persons)
    person_table: dict[str, Any] = {
        "person_id": np.arange(1, persons + 1, dtype=np.int64),
        "household_id": person_hh,
        **cols,
    }
    return Population.from_columns(
        person_table,
        households,
        h,
        clans=clans,
        organisations=organisations,
        memberships=memberships,
        reference_year=reference_year,
        strict=True,
    )


def _engaged_households(
    rng: np.random.Generator,
    hh_village: NDArray[np.int64],
    clan: NDArray[np.int64],
    n_villages: int,
) -> NDArray[np.bool_]:
    """Draw which households take part in the learning movement.

    A village effect and a clan effect shift every household of the village or clan, so
    villages and clans differ in their share of learning families (a draw per household
    alone would give every village the same share and grant all or none).
    """
    village_effect = rng.standard_normal(n_villages, dtype=np.float32)
    n_clans = int(clan.max()) + 1 if len(clan) and (clan >= 0).any() else 0
    clan_effect = np.concatenate(
        [rng.standard_normal(n_clans, dtype=np.float32), np.zeros(1, np.float32)]
    )
    score = rng.standard_normal(len(hh_village), dtype=np.float32)
    score += np.float32(_ENGAGED_MEAN)
    score += np.float32(_ENGAGED_VILLAGE_SD) * village_effect[hh_village]
    # Households outside any clan (index -1) read the trailing zero effect.
    score += np.float32(_ENGAGED_CLAN_SD) * clan_effect[clan]
    out: NDArray[np.bool_] = score > 0
    return out


def _flag(
    rng: np.random.Generator, value: NDArray[np.bool_], missing_rate: float
) -> NDArray[np.uint8]:
    out = value.astype(np.uint8)
    if missing_rate:
        out[rng.random(len(out), dtype=np.float32) < missing_rate] = MISSING
    return out


def _person_columns(
    rng: np.random.Generator,
    n: int,
    person_hh: NDArray[np.int64],
    rank: NDArray[np.uint8],
    sizes: NDArray[np.int64],
    urban: NDArray[np.bool_],
    engaged: NDArray[np.bool_],
) -> dict[str, NDArray[Any]]:
    """Draw every person column except learning and the learning-citizen title.

    ``engaged`` marks persons of households that take part in the movement: their
    school-age children all go to school far more often (whole families, not single
    persons, meet the family title's test).
    """

    # float32 draws and uint8 results keep 10M persons well under 1 GiB.
    def u() -> NDArray[np.float32]:
        return rng.random(n, dtype=np.float32)

    def p_by(urban_p: float, rural_p: float) -> NDArray[np.float32]:
        return np.where(urban, np.float32(urban_p), np.float32(rural_p))

    size = sizes.astype(np.uint8)[person_hh]
    # Household roles: head, spouse, children, and a grandparent in larger households.
    head_age_hh = np.clip(rng.normal(47, 13, len(sizes)), 20, 90).astype(np.float32)
    single = sizes == 1
    head_age_hh[single] = np.clip(rng.normal(58, 18, int(single.sum())), 18, 95)
    is_head = rank == 0
    is_spouse = (rank == 1) & (u() < 0.88)
    is_grand = (rank == size - 1) & (size >= 5) & (u() < 0.5) & ~is_head & ~is_spouse
    del size
    offset = np.float32(18) + np.float32(16) * u() + np.float32(2) * rank.astype(np.float32)
    offset = -offset
    offset[is_head] = 0
    offset[is_spouse] = (
        np.float32(4) * rng.standard_normal(int(is_spouse.sum()), dtype=np.float32) - 2
    )
    offset[is_grand] = np.float32(22) + np.float32(10) * rng.random(
        int(is_grand.sum()), dtype=np.float32
    )
    age_f = head_age_hh[person_hh] + offset
    del offset
    age = np.clip(np.rint(age_f), 0, 100).astype(np.uint8)
    del age_f
    male_head = rng.random(len(sizes)) < 0.75
    male_head_p = male_head[person_hh]
    sex_male = np.where(is_head, male_head_p, np.where(is_spouse, ~male_head_p, u() < 0.512))
    del male_head_p, is_head, is_spouse, is_grand
    sex = np.where(sex_male, np.uint8(Sex.MALE), np.uint8(Sex.FEMALE))

    adult = age >= 15
    edges = np.array([6, 8, 11, 15, 18, 23, 41, 61, 65], np.uint8)
    band = np.searchsorted(edges, age, side="right").astype(np.uint8)
    # Bands: 0 <6, 1 6-7, 2 8-10, 3 11-14, 4 15-17, 5 18-22, 6 23-40, 7 41-60, 8 61-64, 9 65+.
    lit_table = np.array([0.0, 0.5, 0.98, 0.98, 1, 1, 1, 1, 1, 1], np.float32)
    p_lit = lit_table[band]
    working = (band >= 4) & (band <= 7)
    p_lit[working] = p_by(0.985, 0.96)[working]
    p_lit[band >= 8] = p_by(0.9, 0.82)[band >= 8]
    literate = u() < p_lit
    # Dropping out runs in families: in an engaged household every school-age child is
    # almost surely in school, in the others teenagers often work. About 99% of ages 6-10,
    # 95% of 11-14 and 85% of 15-17 are in school overall.
    school_engaged = np.array([0, 0.998, 0.998, 0.99, 0.95, 0, 0, 0, 0, 0], np.float32)
    school_other = np.array([0, 0.96, 0.96, 0.8, 0.45, 0, 0, 0, 0, 0], np.float32)
    p_school = np.where(engaged, school_engaged[band], school_other[band])
    p_school[band == 5] = p_by(0.35, 0.15)[band == 5]
    in_school = u() < p_school
    del p_lit, p_school
    r = u()
    edu = np.full(n, Education.UPPER_SECONDARY, np.uint8)
    edu[r < p_by(0.4, 0.62)] = Education.LOWER_SECONDARY
    edu[r < p_by(0.15, 0.3)] = Education.PRIMARY
    edu[r < 0.05] = Education.NONE
    edu[age < 15] = Education.PRIMARY
    edu[age < 11] = Education.NONE
    r = u()
    uni = p_by(0.2, 0.08)
    qual = np.full(n, Qualification.NONE, np.uint8)
    qual[r < uni + 0.12] = Qualification.ELEMENTARY
    qual[r < uni + 0.07] = Qualification.INTERMEDIATE
    qual[r < uni + 0.03] = Qualification.COLLEGE
    qual[r < uni] = Qualification.UNIVERSITY
    qual[r < uni * 0.07] = Qualification.POSTGRADUATE
    qual[age < 18] = Qualification.NONE
    del uni
    r = u()
    working_age = adult & (age <= 64) & ~in_school
    employment = np.full(n, Employment.NOT_IN_LABOUR_FORCE, np.uint8)
    employment[working_age & (r < 0.78)] = Employment.UNEMPLOYED
    employment[working_age & (r < 0.76)] = Employment.EMPLOYED
    employment[(age > 64) & (r < 0.3)] = Employment.EMPLOYED
    del working_age
    employed = employment == Employment.EMPLOYED
    has_qual = qual >= Qualification.ELEMENTARY
    trained = employed & (has_qual | (u() < 0.25))
    digital_table = np.array([0, 0, 0.3, 0.3, 1, 1, 1, 1, 0.08, 0.08], np.float32)
    p_digital = digital_table[band]
    young = (band >= 4) & (band <= 6)
    p_digital[young] = p_by(0.65, 0.45)[young]
    p_digital[band == 7] = p_by(0.4, 0.22)[band == 7]
    p_digital[age < 10] = 0
    p_digital += np.float32(0.15) * (qual >= Qualification.COLLEGE)
    digital = u() < p_digital
    del p_digital, band, young, working
    info_lit = adult & (u() < np.where(digital, np.float32(0.7), np.float32(0.25)))
    life = adult & (u() < p_by(0.55, 0.45))
    # Staff of agencies, schools and enterprises (and party members) can read.
    civil = employed & literate & (u() < 0.08)
    party = adult & literate & (u() < np.where(civil, np.float32(0.6), np.float32(0.05)))
    newly = adult & literate & (u() < 0.004)
    still = np.full(n, MISSING, np.uint8)
    still[newly] = rng.random(int(newly.sum())) < 0.9
    return {
        "age": age,
        "sex": sex,
        "literate": _flag(rng, literate, 0.002),
        "newly_literate": _flag(rng, newly, 0.0),
        "still_learning": still,
        "in_school": _flag(rng, in_school, 0.001),
        "education": edu,
        "qualification": qual,
        "employment": employment,
        "trained": _flag(rng, trained, 0.002),
        "certified": _flag(rng, has_qual, 0.0),
        "digital_skills": _flag(rng, digital, 0.002),
        "information_literacy": _flag(rng, info_lit, 0.002),
        "life_skills": _flag(rng, life, 0.002),
        "civil_servant": _flag(rng, civil, 0.0),
        "party_member": _flag(rng, party, 0.0),
    }


def _citizen_columns(
    rng: np.random.Generator,
    cols: dict[str, NDArray[Any]],
    engaged: NDArray[np.bool_],
    member: NDArray[np.bool_],
    person_hh: NDArray[np.int64],
    offsets: NDArray[np.int64],
) -> dict[str, NDArray[Any]]:
    """Draw learning in the past year and the learning-citizen title.

    The title goes mostly to staff of organisations (the programme of 677/QĐ-TTg starts
    with them, and learning units need nearly all their members to hold it) and to the
    adults of engaged households, each of which has a lead learner: a staff member if
    it has one, else its first literate adult aged 19-60 (the head, else the spouse...).
    Everyone else rarely holds it. Recognised citizens all learn during the year, as
    the title's self-study competency asks.
    """
    n = len(member)

    def u() -> NDArray[np.float32]:
        return rng.random(n, dtype=np.float32)

    age = cols["age"]
    adult = age >= 15
    core = (age >= 19) & (age <= 60)
    literate = cols["literate"] == 1
    # Rank of each literate adult aged 19-60 among those of their household, in household
    # order; int32 keeps the running count at 40 MB per 10M persons.
    eligible = core & literate
    running = np.cumsum(eligible, dtype=np.int32)
    before = np.concatenate([np.zeros(1, np.int32), running])[offsets[:-1]]
    first = eligible & (running - before[person_hh] == 1)
    del running, before
    staff = eligible & member
    has_staff = np.bincount(person_hh[staff], minlength=len(offsets) - 1) > 0
    lead = engaged & np.where(has_staff[person_hh], staff, first)
    del first, staff, has_staff
    p = np.where(core, _CITIZEN_ENGAGED_CORE, _CITIZEN_ENGAGED_OTHER)
    p[~engaged] = _CITIZEN_OTHER
    p[member] = _CITIZEN_MEMBER
    p[lead] = 1
    recognised = adult & literate & (u() < p)
    del p, core, eligible, lead
    # Learning in the past year: every recognised citizen, most adults of engaged households.
    p_learn = np.where(engaged, np.float32(0.75), np.float32(0.4))
    learner = adult & (recognised | (u() < p_learn))
    del p_learn
    r = u()
    hours = np.zeros(n, np.uint16)
    takes_course = learner & (r < 0.7)
    hours[takes_course] = np.minimum(rng.gamma(2.0, 25.0, int(takes_course.sum())), 2000) + 1
    self_study = learner & ((r >= 0.7) | (u() < 0.55))
    community = learner & (u() < 0.45)
    del r, takes_course
    qual = cols["qualification"]
    digital = cols["digital_skills"] == 1
    meets = literate & ((hours >= 40) | (qual >= Qualification.COLLEGE)) & digital
    assessed = np.flatnonzero(adult & (recognised | (u() < 0.15)))
    points = np.full(n, MISSING, np.uint8)
    mean = np.where(recognised[assessed], 88, np.where(meets[assessed], 80, 68))
    points[assessed] = np.clip(rng.normal(mean, 7), 0, 100)
    # A recognised citizen passed the portal's rule (80 points, no indicator below 5).
    ok = recognised[assessed]
    points[assessed[ok]] = np.maximum(points[assessed[ok]], 80)
    min_ind = np.full(n, MISSING, np.uint8)
    low = np.clip(points[assessed] // 10 - rng.integers(0, 4, len(assessed)), 0, 10)
    min_ind[assessed] = np.where(ok, np.maximum(low, 5), low)
    return {
        "learning_hours": hours,
        "self_study": _flag(rng, self_study, 0.0),
        "community_learning": _flag(rng, community, 0.0),
        "recognised_learning_citizen": _flag(rng, recognised, 0.0),
        "citizen_points": points,
        "citizen_min_indicator": min_ind,
    }


def _commune_of(h: Hierarchy, leaf_index: NDArray[np.int64]) -> tuple[NDArray[np.int64], int]:
    """Group lowest-level units into communes (or the level above the leaf)."""
    if h.n_levels == 1:
        return np.zeros(len(leaf_index), np.int64), 1
    level = "commune" if "commune" in h.levels and h.leaf_level != "commune" else h.levels[-2]
    anc = h.ancestor_index(h.leaf_level, level).astype(np.int64)
    return anc[leaf_index], h.n_units(level)


def _clans(
    rng: np.random.Generator,
    h: Hierarchy,
    hh_village: NDArray[np.int64],
    hh_urban: NDArray[np.bool_],
) -> NDArray[np.int64]:
    """Group 70% of rural and 30% of urban households into clans of about 40 in a commune.

    A clan's households are neighbours: taken in village order, so most clans live in one
    village (dòng họ live together) and share its ways.
    """
    commune, n_communes = _commune_of(h, hh_village)
    member = rng.random(len(hh_village)) < np.where(hh_urban, 0.3, 0.7)
    idx = np.flatnonzero(member)
    # Households are numbered village by village, so idx is already in village order.
    order = idx[np.argsort(commune[idx], kind="stable")]
    c_sorted = commune[order]
    first = np.searchsorted(c_sorted, c_sorted, side="left")
    clan_size = rng.integers(40, 101, n_communes)
    local = (np.arange(len(order)) - first) // clan_size[c_sorted]
    raw = c_sorted * (len(hh_village) + 1) + local
    _, dense = np.unique(raw, return_inverse=True)
    clan = np.full(len(hh_village), -1, np.int64)
    clan[order] = dense
    return clan


def _organisations(
    rng: np.random.Generator,
    h: Hierarchy,
    cols: dict[str, NDArray[Any]],
    person_hh: NDArray[np.int64],
    hh_village: NDArray[np.int64],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Give each commune its organisations and members.

    An agency, a community learning centre, schools, party cells and enterprises;
    a fifth of literate employed adults and every party member join one in their commune.
    """
    commune, n_communes = _commune_of(h, hh_village)
    kinds = np.array(
        [
            OrganisationType.AGENCY,
            OrganisationType.COMMUNITY_LEARNING_CENTRE,
            OrganisationType.SCHOOL,
            OrganisationType.SCHOOL,
            OrganisationType.PARTY_CELL,
            OrganisationType.PARTY_CELL,
            OrganisationType.ENTERPRISE,
            OrganisationType.MASS_ORGANISATION,
        ],
        np.uint8,
    )
    per = len(kinds)
    n_org = n_communes * per
    org_type = np.tile(kinds, n_communes)
    if h.n_levels == 1:
        unit_codes = np.repeat(h.codes_at(h.leaf_level)[:1], n_org)
    else:
        level = "commune" if "commune" in h.levels and h.leaf_level != "commune" else h.levels[-2]
        unit_codes = np.repeat(h.codes_at(level), per)
    organisations = {
        "organisation_id": np.arange(1, n_org + 1, dtype=np.int64),
        "name": np.char.add("Đơn vị ", np.arange(1, n_org + 1).astype(str)),
        "organisation_type": org_type,
        "unit_code": unit_codes,
        "registered": _flag(rng, rng.random(n_org) < 0.97, 0.0),
    }
    p_commune = commune[person_hh]
    # Staff can read: agencies, schools and enterprises hire literate workers.
    employed = (cols["employment"] == Employment.EMPLOYED) & (cols["literate"] == 1)
    party = cols["party_member"] == 1
    staff_draw = rng.random(len(p_commune), dtype=np.float32)
    joins = np.flatnonzero(employed & (staff_draw < _STAFF_SHARE))
    del staff_draw
    slot = rng.choice(
        np.array([0, 1, 2, 3, 6, 7]), size=len(joins), p=[0.3, 0.05, 0.2, 0.15, 0.2, 0.1]
    )
    cell = np.flatnonzero(party)
    cell_slot = 4 + rng.integers(0, 2, len(cell))
    person = np.concatenate([joins, cell])
    org = p_commune[person] * per + np.concatenate([slot, cell_slot])
    memberships = {
        "organisation_id": org.astype(np.int64) + 1,
        "person_id": person.astype(np.int64) + 1,
    }
    return organisations, memberships


# Default probability that an entity meets the evaluator-recorded criteria of its level.
# Organisations are high because the published unit results are (Ha Giang 2024: 98%);
# a commune must meet eleven recorded criteria at once.
PASS_RATES: Mapping[str, float] = MappingProxyType(
    {
        "household": 0.9,
        "clan": 0.95,
        "village": 0.9,
        "organisation": 0.97,
        "commune": 0.93,
        "district": 0.93,
        "province": 0.9,
    }
)
_DEFAULT_PASS_RATE = 0.85
# Inputs that classify an entity rather than grade it: drawn from these shares whatever
# the entity's quality (codes by name; other codes of the input are never drawn).
_CODE_SHARES: dict[str, dict[str, float]] = {
    "unit_tier": {"commune": 0.6, "district": 0.3, "province": 0.1},
    "vocational_accreditation": {"not_applicable": 0.9, "accredited": 0.09, "not_accredited": 0.01},
}


def synthetic_inputs(
    pop: Population,
    book: Any,
    *,
    seed: int = 0,
    pass_rate: float | Mapping[str, float] | None = None,
    as_of: str | None = None,
) -> dict[str, dict[str, NDArray[Any]]]:
    """Draw plausible values for a rulebook's evaluator-recorded inputs.

    Census-like data cannot answer criteria such as "the family's children have good
    results" or "the unit has a yearly learning plan": evaluators record them. For demos,
    tests and benchmarks this draws them. Recorded criteria go together: an entity that
    takes the movement seriously meets them all, so each entity is first drawn *good*
    (with probability ``pass_rate`` for its level) or not. A good entity records yes on
    every yes/no input, numbers in the top tenth of their range and codes in the upper
    half of theirs (codes are ordered, lowest first); the others record yes with
    probability 1/2, numbers in the upper half of the range and any code. Inputs that
    classify rather than grade (``unit_tier``, ``vocational_accreditation``) are drawn
    from fixed shares.

    Parameters
    ----------
    pop : Population
        The population the inputs are for.
    book : Rulebook
        The rulebook whose inputs to draw (``book.inputs``).
    seed : int
        Seed of the random generator.
    pass_rate : float or mapping, optional
        Probability that an entity is good: one value for every level, or
        ``{level: probability}`` over :data:`PASS_RATES` (the default), whose values
        give the bundled vn-national rulebook rates like the published provincial results.
    as_of : str, optional
        Unused; accepted so a call mirrors :func:`learnsoc.evaluate`.

    Returns
    -------
    dict
        ``{level: {input name: array}}``, one value per entity of the level in the
        population's order, ready for ``ls.evaluate(pop, book, as_of, inputs=...)``.
        Levels the population does not have (a district on the 2025 tree) are left out.

    Examples
    --------
    >>> pop = synthetic_population(persons=3_000, seed=1)
    >>> book = ls.load_rulebook("vn-national")
    >>> inputs = synthetic_inputs(pop, book, seed=1)
    >>> sorted(inputs)[:2]
    ['clan', 'commune']
    >>> bool(synthetic_inputs(pop, book, seed=1, pass_rate=1.0)["commune"]["c1_plan"].all())
    True
    """
    del as_of
    rates: dict[str, float] = {}
    default = _DEFAULT_PASS_RATE
    if pass_rate is None or isinstance(pass_rate, Mapping):
        rates = {**PASS_RATES, **(pass_rate or {})}
    else:
        default = float(pass_rate)
        if not 0.0 <= default <= 1.0:
            msg = Message(N_("pass_rate must lie between 0 and 1, got {rate}"), rate=pass_rate)
            raise LearnsocError(str(msg)).translatable(msg)
    for level, rate in rates.items():
        if not 0.0 <= rate <= 1.0:
            msg = Message(
                N_("pass_rate for {level!r} must lie between 0 and 1, got {rate}"),
                level=level,
                rate=rate,
            )
            raise LearnsocError(str(msg)).translatable(msg)
    rng = np.random.default_rng([seed, 3])
    h = pop.hierarchy
    sizes = {
        "person": pop.n_persons,
        "household": pop.n_households,
        "clan": pop.n_clans,
        "organisation": pop.n_organisations,
        **{lv: h.n_units(lv) for lv in h.levels},
    }
    good: dict[str, NDArray[np.bool_]] = {}
    out: dict[str, dict[str, NDArray[Any]]] = {}
    for spec in book.inputs:
        if spec.level not in sizes:
            continue
        n = sizes[spec.level]
        if spec.level not in good:
            good[spec.level] = rng.random(n) < rates.get(spec.level, default)
        ok = good[spec.level]
        values: NDArray[Any]
        if spec.kind == "bool":
            values = ok | (rng.random(n) < 0.5)
        elif spec.kind == "code":
            named = dict(spec.value_type.codes)
            shares = _CODE_SHARES.get(spec.name)
            if shares is not None and set(shares) <= set(named):
                codes = np.array([named[k] for k in shares], np.int64)
                values = codes[rng.choice(len(codes), size=n, p=list(shares.values()))]
            else:
                codes = np.sort(np.array(list(named.values()), np.int64))
                upper = codes[len(codes) // 2 :]
                values = np.where(
                    ok,
                    upper[rng.integers(0, len(upper), n)],
                    codes[rng.integers(0, len(codes), n)],
                )
        else:
            lo, hi = spec.range if spec.range is not None else (0.0, 100.0)
            bottom = np.where(ok, lo + (hi - lo) * 0.9, lo + (hi - lo) / 2)
            if spec.kind == "int":
                low = np.ceil(bottom).astype(np.int64)
                values = low + (rng.random(n) * (int(hi) + 1 - low)).astype(np.int64)
            else:
                values = bottom + rng.random(n) * (hi - bottom)
        out.setdefault(spec.level, {})[spec.name] = values
    return out
