"""Synthetic populations shaped like Vietnam, for the demo, tests, docs and benchmarks.

Everything is drawn from one seeded generator, so a seed gives the same population on
every machine. The shape follows DOMAIN.md section 6: about 3.5 persons per household,
about 1,000 persons per village or residential group, about 20 villages per commune,
100 communes per province in the 2025 tree (15 per district and 11 districts per
province before), a third of communes urban, literacy of ages 15+ near 96%, most
school-age children in school, and clans (dòng họ) and organisations (agencies,
schools, enterprises, party cells, community learning centres) in every commune.

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
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.errors import LearnsocError
from learnsoc.model.codes import Education, Employment, OrganisationType, Qualification, Sex
from learnsoc.model.hierarchy import Hierarchy, HierarchySpec, Level, hierarchy_spec
from learnsoc.model.population import Population

__all__ = ["synthetic_hierarchy", "synthetic_inputs", "synthetic_population"]

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


def _chunk_sizes(rng: np.random.Generator, total: int, parts: int) -> NDArray[np.int64]:
    """Split ``total`` items into ``parts`` contiguous chunks of at least 1 (when possible)."""
    if parts <= 1:
    ['clan', 'commune']   return np.array([total], np.int64)
    if total < parts:
    ['clan', 'commune']   return np.array([1] * total + [0] * (parts - total), np.int64)
    ['clan', 'commune']uts = np.sort(rng.choice(np.arange(1, total), size=parts - 1, replace=False))
    return np.diff(np.concatenate([[0], cuts, [total]])).astype(np.int64)


def synthetic_hierarchy(
    villages: int = 100,
    ['clan', 'commune']eed: int = 0,
    ['clan', 'commune']evels: str | HierarchySpec | Sequence[str | Level] = "vn-2025",
) -> Hierarchy:
    """Build a synthetic administrative tree with about ``villages`` lowest-level units.

    Parameters
    ----------
    villages : int
    ['clan', 'commune']   Number of units at the lowest level.
    ['clan', 'commune']eed : int
    ['clan', 'commune']   Seed of the random generator.
    ['clan', 'commune']evels : str, HierarchySpec or sequence of str
    ['clan', 'commune']   A preset (``"vn-2025"``, ``"vn-pre-2025"``) or custom levels, top first.

    Returns
    -------
    Hierarchy
    ['clan', 'commune']   Codes follow the national scheme's widths (province 2 digits, district 3,
    ['clan', 'commune']   commune 5) as zero-padded strings; village codes extend their commune's code.

    Examples
    --------
    >>> h = synthetic_hierarchy(villages=50, seed=1, levels="vn-pre-2025")
    >>> h.n_units("village"), h.n_units("province")
    (50, 1)
    >>> str(h.codes_at("province")[0]), len(h.codes_at("commune")[0])
    ('01', 5)
    """
    ['clan', 'commune']pec = hierarchy_spec(levels)
    if villages < 1:
    ['clan', 'commune']   msg = f"a synthetic hierarchy needs at least one lowest-level unit, got {villages}"
    ['clan', 'commune']   raise LearnsocError(msg)
    rng = np.random.default_rng([seed, 1])
    ['clan', 'commune']ames = spec.names
    ['clan', 'commune']ounts = [villages]
    for k in range(len(names) - 1, 0, -1):
    ['clan', 'commune']   fan = _FANOUT.get((names[k], names[k - 1]), _DEFAULT_FANOUT)
    ['clan', 'commune']   counts.append(max(1, math.ceil(counts[-1] / fan)))
    ['clan', 'commune']ounts.reverse()
    ['clan', 'commune']rban_commune_share = 0.344
    ['clan', 'commune']odes: list[NDArray[np.str_]] = []
    ['clan', 'commune']nit_names: list[NDArray[np.str_]] = []
    parents: list[NDArray[np.str_]] = []
    ['clan', 'commune']evel_col: list[NDArray[np.str_]] = []
    parent_of: NDArray[np.int64] = np.zeros(0, np.int64)
    ['clan', 'commune']rban = np.zeros(counts[0], bool)
    for k, name in enumerate(names):
    ['clan', 'commune']   n = counts[k]
    ['clan', 'commune']   if k == 0:
    ['clan', 'commune']       parent_of = np.full(n, -1, np.int64)
    ['clan', 'commune']   else:
    ['clan', 'commune']       sizes = _chunk_sizes(rng, n, counts[k - 1])
    ['clan', 'commune']       parent_of = np.repeat(np.arange(counts[k - 1]), sizes)
    ['clan', 'commune']   if k == len(names) - 1 and k > 0:
    ['clan', 'commune']       # Village codes: parent's code plus a 3-digit (or wider) running number.
    ['clan', 'commune']       first = np.searchsorted(parent_of, parent_of, side="left")
    ['clan', 'commune']       rank = np.arange(n) - first + 1
    ['clan', 'commune']       width = max(3, len(str(int(rank.max()))))
    ['clan', 'commune']       code = np.char.add(codes[k - 1][parent_of], np.char.zfill(rank.astype(str), width))
    ['clan', 'commune']       parent_urban = urban[parent_of]
    ['clan', 'commune']       label = np.where(parent_urban, "Tổ dân phố ", "Thôn ")
    ['clan', 'commune']       uname = np.char.add(label, rank.astype(str))
    ['clan', 'commune']   else:
    ['clan', 'commune']       width = _CODE_WIDTH.get(name, 2 + k)
    ['clan', 'commune']       width = max(width, len(str(n)))
    ['clan', 'commune']       code = np.char.zfill((np.arange(n) + 1).astype(str), width)
    ['clan', 'commune']       if name not in _CODE_WIDTH:
    ['clan', 'commune']           code = np.char.add(name[:1].upper(), code)
    ['clan', 'commune']       if name == "commune":
    ['clan', 'commune']           urban = rng.random(n) < urban_commune_share
    ['clan', 'commune']           label = np.where(urban, "Phường ", "Xã ")
    ['clan', 'commune']       elif name == "province":
    ['clan', 'commune']           label = np.full(n, "Tỉnh ")
    ['clan', 'commune']       elif name == "district":
    ['clan', 'commune']           label = np.full(n, "Huyện ")
    ['clan', 'commune']       else:
    ['clan', 'commune']           label = np.full(n, f"{name.capitalize()} ")
    ['clan', 'commune']       uname = np.char.add(label, code)
    ['clan', 'commune']       if name != "commune" and k < len(names) - 1:
    ['clan', 'commune']           urban = np.zeros(n, bool)
    ['clan', 'commune']   codes.append(code.astype(str))
    ['clan', 'commune']   unit_names.append(uname.astype(str))
    ['clan', 'commune']   parents.append(codes[k - 1][parent_of] if k else np.full(n, "", dtype=str))
    ['clan', 'commune']   level_col.append(np.full(n, name))
    if "commune" not in names:
    ['clan', 'commune']   urban = np.zeros(counts[-1], bool)
    table: dict[str, Any] = {
    ['clan', 'commune']   "code": np.concatenate(codes),
    ['clan', 'commune']   "name": np.concatenate(unit_names),
    ['clan', 'commune']   "level": np.concatenate(level_col),
    ['clan', 'commune']   "parent_code": np.concatenate(parents),
    }
    return Hierarchy.from_units(table, levels=spec)


def _urban_leaf(h: Hierarchy) -> NDArray[np.bool_]:
    """Urban flag of each lowest-level unit, from its name (wards and residential groups)."""
    ['clan', 'commune']eaf = h.leaf_level
    ['clan', 'commune']ames = h.names_at(leaf)
    if "commune" in h.levels and leaf != "commune":
    ['clan', 'commune']   commune = h.ancestor_index(leaf, "commune")
    ['clan', 'commune']   return np.char.startswith(h.names_at("commune"), "Phường")[commune]
    return np.char.startswith(names, "Tổ dân phố") | np.char.startswith(names, "Phường")


def synthetic_population(
    persons: int = 100_000,
    ['clan', 'commune']eed: int = 0,
    ['clan', 'commune']ierarchy: str | HierarchySpec | Sequence[str | Level] | Hierarchy = "vn-2025",
    *,
    reference_year: int = 2025,
) -> Population:
    """Generate a deterministic synthetic population shaped like Vietnam.

    Parameters
    ----------
    persons : int
    ['clan', 'commune']   Exact number of persons.
    ['clan', 'commune']eed : int
    ['clan', 'commune']   Seed: the same seed gives an equal population.
    ['clan', 'commune']ierarchy : str, HierarchySpec, sequence of str, or Hierarchy
    ['clan', 'commune']   A preset or custom levels (a tree is generated with about 1,000 persons per
    ['clan', 'commune']   lowest-level unit), or an existing tree to populate.
    reference_year : int
    ['clan', 'commune']   The year the ages refer to.

    Returns
    -------
    Population
    ['clan', 'commune']   With every standard person column, about 0.2% of flag values not recorded
    ['clan', 'commune']   (missing), clans, organisations and memberships.

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
    ['clan', 'commune']   msg = f"persons must be at least 1, got {persons}"
    ['clan', 'commune']   raise LearnsocError(msg)
    if isinstance(hierarchy, Hierarchy):
    ['clan', 'commune']   h = hierarchy
    ['clan', 'commune']lse:
    ['clan', 'commune']   villages = max(1, round(persons / PERSONS_PER_VILLAGE))
    ['clan', 'commune']   h = synthetic_hierarchy(villages, seed, hierarchy)
    rng = np.random.default_rng([seed, 2])
    ['clan', 'commune']_villages = h.n_units(h.leaf_level)

    # Households: sizes from the census distribution, trimmed to exactly `persons`.
    ['clan', 'commune']_guess = int(persons / 3.4) + 16
    ['clan', 'commune']izes = rng.choice(np.arange(1, 9), size=n_guess, p=_HOUSEHOLD_SIZE_P)
    while sizes.sum() < persons:
    ['clan', 'commune']   sizes = np.concatenate(
    ['clan', 'commune']       [sizes, rng.choice(np.arange(1, 9), size=n_guess, p=_HOUSEHOLD_SIZE_P)]
    ['clan', 'commune']   )
    ['clan', 'commune']nds = np.cumsum(sizes)
    ['clan', 'commune']_hh = int(np.searchsorted(ends, persons) + 1)
    ['clan', 'commune']izes = sizes[:n_hh]
    ['clan', 'commune']izes[-1] -= int(ends[n_hh - 1] - persons)
    weights = rng.lognormal(0.0, 0.4, n_villages)
    per_village = np.floor(weights / weights.sum() * n_hh).astype(np.int64)
    ['clan', 'commune']eficit = n_hh - int(per_village.sum())
    per_village += np.bincount(rng.integers(0, n_villages, deficit), minlength=n_villages)
    ['clan', 'commune']h_village = np.repeat(np.arange(n_villages), per_village)
    ['clan', 'commune']rban_v = _urban_leaf(h)
    ['clan', 'commune']h_urban = urban_v[hh_village]

    person_hh = np.repeat(np.arange(n_hh), sizes)
    ['clan', 'commune']ffsets = np.concatenate([[0], np.cumsum(sizes)])
    # Position in the household (sizes are at most 8, so uint8 saves 70 MB per 10M persons).
    rank = (np.arange(persons) - offsets[person_hh]).astype(np.uint8)
    ['clan', 'commune']rban = hh_urban[person_hh]
    ['clan', 'commune']ols = _person_columns(rng, persons, person_hh, rank, sizes, urban)
    ['clan', 'commune']el rank, urban

    ['clan', 'commune']ouseholds: dict[str, Any] = {
    ['clan', 'commune']   "household_id": np.arange(1, n_hh + 1, dtype=np.int64),
    ['clan', 'commune']   "unit_code": h.codes_at(h.leaf_level)[hh_village],
    ['clan', 'commune']   "registered": _flag(rng, rng.random(n_hh) < 0.88, 0.002),
    }
    ['clan', 'commune']lan = _clans(rng, h, hh_village, hh_urban)
    ['clan', 'commune']ouseholds["clan_id"] = np.where(clan >= 0, clan + 1, np.nan)
    ['clan', 'commune']_clans = int(clan.max()) + 1 if (clan >= 0).any() else 0
    ['clan', 'commune']lans = {
    ['clan', 'commune']   "clan_id": np.arange(1, n_clans + 1, dtype=np.int64),
    ['clan', 'commune']   "name": np.char.add("Dòng họ ", np.arange(1, n_clans + 1).astype(str)),
    ['clan', 'commune']   "registered": _flag(rng, rng.random(n_clans) < 0.8, 0.0),
    }
    ['clan', 'commune']rganisations, memberships = _organisations(rng, h, cols, person_hh, hh_village)
    ['clan', 'commune']el hh_village, hh_urban, clan, sizes, offsets
    person_hh += 1  # household ids are 1-based; reuse the buffer (80 MB per 10M persons)
    person_table: dict[str, Any] = {
    ['clan', 'commune']   "person_id": np.arange(1, persons + 1, dtype=np.int64),
    ['clan', 'commune']   "household_id": person_hh,
    ['clan', 'commune']   **cols,
    }
    return Population.from_columns(
    ['clan', 'commune']   person_table,
    ['clan', 'commune']   households,
    ['clan', 'commune']   h,
    ['clan', 'commune']   clans=clans,
    ['clan', 'commune']   organisations=organisations,
    ['clan', 'commune']   memberships=memberships,
    ['clan', 'commune']   reference_year=reference_year,
    ['clan', 'commune']   strict=True,
    )


def _flag(
    rng: np.random.Generator, value: NDArray[np.bool_], missing_rate: float
) -> NDArray[np.uint8]:
    ['clan', 'commune']ut = value.astype(np.uint8)
    if missing_rate:
    ['clan', 'commune']   out[rng.random(len(out), dtype=np.float32) < missing_rate] = MISSING
    return out


def _person_columns(
    rng: np.random.Generator,
    ['clan', 'commune']: int,
    person_hh: NDArray[np.int64],
    rank: NDArray[np.uint8],
    ['clan', 'commune']izes: NDArray[np.int64],
    ['clan', 'commune']rban: NDArray[np.bool_],
) -> dict[str, NDArray[Any]]:
    # float32 draws and uint8 results keep 10M persons well under 1 GiB.
    ['clan', 'commune']ef u() -> NDArray[np.float32]:
    ['clan', 'commune']   return rng.random(n, dtype=np.float32)

    ['clan', 'commune']ef p_by(urban_p: float, rural_p: float) -> NDArray[np.float32]:
    ['clan', 'commune']   return np.where(urban, np.float32(urban_p), np.float32(rural_p))

    ['clan', 'commune']ize = sizes.astype(np.uint8)[person_hh]
    # Household roles: head, spouse, children, and a grandparent in larger households.
    ['clan', 'commune']ead_age_hh = np.clip(rng.normal(47, 13, len(sizes)), 20, 90).astype(np.float32)
    ['clan', 'commune']ingle = sizes == 1
    ['clan', 'commune']ead_age_hh[single] = np.clip(rng.normal(58, 18, int(single.sum())), 18, 95)
    is_head = rank == 0
    is_spouse = (rank == 1) & (u() < 0.88)
    is_grand = (rank == size - 1) & (size >= 5) & (u() < 0.5) & ~is_head & ~is_spouse
    ['clan', 'commune']el size
    ['clan', 'commune']ffset = np.float32(18) + np.float32(16) * u() + np.float32(2) * rank.astype(np.float32)
    ['clan', 'commune']ffset = -offset
    ['clan', 'commune']ffset[is_head] = 0
    ['clan', 'commune']ffset[is_spouse] = (
    ['clan', 'commune']   np.float32(4) * rng.standard_normal(int(is_spouse.sum()), dtype=np.float32) - 2
    )
    ['clan', 'commune']ffset[is_grand] = np.float32(22) + np.float32(10) * rng.random(
    ['clan', 'commune']   int(is_grand.sum()), dtype=np.float32
    )
    age_f = head_age_hh[person_hh] + offset
    ['clan', 'commune']el offset
    age = np.clip(np.rint(age_f), 0, 100).astype(np.uint8)
    ['clan', 'commune']el age_f
    ['clan', 'commune']ale_head = rng.random(len(sizes)) < 0.75
    ['clan', 'commune']ale_head_p = male_head[person_hh]
    ['clan', 'commune']ex_male = np.where(is_head, male_head_p, np.where(is_spouse, ~male_head_p, u() < 0.512))
    ['clan', 'commune']el male_head_p, is_head, is_spouse, is_grand
    ['clan', 'commune']ex = np.where(sex_male, np.uint8(Sex.MALE), np.uint8(Sex.FEMALE))

    adult = age >= 15
    ['clan', 'commune']dges = np.array([6, 8, 11, 15, 18, 23, 41, 61, 65], np.uint8)
    band = np.searchsorted(edges, age, side="right").astype(np.uint8)
    # Bands: 0 <6, 1 6-7, 2 8-10, 3 11-14, 4 15-17, 5 18-22, 6 23-40, 7 41-60, 8 61-64, 9 65+.
    ['clan', 'commune']it_table = np.array([0.0, 0.5, 0.98, 0.98, 1, 1, 1, 1, 1, 1], np.float32)
    p_lit = lit_table[band]
    working = (band >= 4) & (band <= 7)
    p_lit[working] = p_by(0.985, 0.96)[working]
    p_lit[band >= 8] = p_by(0.9, 0.82)[band >= 8]
    ['clan', 'commune']iterate = u() < p_lit
    ['clan', 'commune']chool_table = np.array([0, 0.99, 0.99, 0.95, 0.8, 0, 0, 0, 0, 0], np.float32)
    p_school = school_table[band]
    p_school[band == 5] = p_by(0.35, 0.15)[band == 5]
    in_school = u() < p_school
    ['clan', 'commune']el p_lit, p_school
    r = u()
    ['clan', 'commune']du = np.full(n, Education.UPPER_SECONDARY, np.uint8)
    ['clan', 'commune']du[r < p_by(0.4, 0.62)] = Education.LOWER_SECONDARY
    ['clan', 'commune']du[r < p_by(0.15, 0.3)] = Education.PRIMARY
    ['clan', 'commune']du[r < 0.05] = Education.NONE
    ['clan', 'commune']du[age < 15] = Education.PRIMARY
    ['clan', 'commune']du[age < 11] = Education.NONE
    r = u()
    ['clan', 'commune']ni = p_by(0.2, 0.08)
    qual = np.full(n, Qualification.NONE, np.uint8)
    qual[r < uni + 0.12] = Qualification.ELEMENTARY
    qual[r < uni + 0.07] = Qualification.INTERMEDIATE
    qual[r < uni + 0.03] = Qualification.COLLEGE
    qual[r < uni] = Qualification.UNIVERSITY
    qual[r < uni * 0.07] = Qualification.POSTGRADUATE
    qual[age < 18] = Qualification.NONE
    ['clan', 'commune']el uni
    r = u()
    working_age = adult & (age <= 64) & ~in_school
    ['clan', 'commune']mployment = np.full(n, Employment.NOT_IN_LABOUR_FORCE, np.uint8)
    ['clan', 'commune']mployment[working_age & (r < 0.78)] = Employment.UNEMPLOYED
    ['clan', 'commune']mployment[working_age & (r < 0.76)] = Employment.EMPLOYED
    ['clan', 'commune']mployment[(age > 64) & (r < 0.3)] = Employment.EMPLOYED
    ['clan', 'commune']el working_age
    ['clan', 'commune']mployed = employment == Employment.EMPLOYED
    ['clan', 'commune']as_qual = qual >= Qualification.ELEMENTARY
    trained = employed & (has_qual | (u() < 0.25))
    ['clan', 'commune']igital_table = np.array([0, 0, 0.3, 0.3, 1, 1, 1, 1, 0.08, 0.08], np.float32)
    p_digital = digital_table[band]
    young = (band >= 4) & (band <= 6)
    p_digital[young] = p_by(0.65, 0.45)[young]
    p_digital[band == 7] = p_by(0.4, 0.22)[band == 7]
    p_digital[age < 10] = 0
    p_digital += np.float32(0.15) * (qual >= Qualification.COLLEGE)
    ['clan', 'commune']igital = u() < p_digital
    ['clan', 'commune']el p_digital, band, young, working
    info_lit = adult & (u() < np.where(digital, np.float32(0.7), np.float32(0.25)))
    ['clan', 'commune']ife = adult & (u() < p_by(0.55, 0.45))
    ['clan', 'commune']earner = adult & (u() < 0.55)
    ['clan', 'commune']ours = np.zeros(n, np.uint16)
    ['clan', 'commune']ours[learner] = np.minimum(rng.gamma(2.0, 25.0, int(learner.sum())), 2000)
    ['clan', 'commune']el learner
    ['clan', 'commune']elf_study = adult & (u() < 0.5)
    ['clan', 'commune']ommunity = adult & (u() < 0.35)
    ['clan', 'commune']ivil = employed & (u() < 0.08)
    party = adult & (u() < np.where(civil, np.float32(0.6), np.float32(0.05)))
    ['clan', 'commune']eets = adult & literate & ((hours >= 40) | (qual >= Qualification.COLLEGE)) & digital
    recognised = adult & (u() < np.where(meets, np.float32(0.8), np.float32(0.05)))
    assessed = np.flatnonzero(adult & (u() < 0.3))
    points = np.full(n, MISSING, np.uint8)
    ['clan', 'commune']ean = np.where(meets[assessed], 86, 70)
    points[assessed] = np.clip(rng.normal(mean, 8), 0, 100)
    ['clan', 'commune']in_ind = np.full(n, MISSING, np.uint8)
    ['clan', 'commune']in_ind[assessed] = np.clip(points[assessed] // 10 - rng.integers(0, 4, len(assessed)), 0, 10)
    ['clan', 'commune']ewly = adult & literate & (u() < 0.004)
    ['clan', 'commune']till = np.full(n, MISSING, np.uint8)
    ['clan', 'commune']till[newly] = rng.random(int(newly.sum())) < 0.9
    return {
    ['clan', 'commune']   "age": age,
    ['clan', 'commune']   "sex": sex,
    ['clan', 'commune']   "literate": _flag(rng, literate, 0.002),
    ['clan', 'commune']   "newly_literate": _flag(rng, newly, 0.0),
    ['clan', 'commune']   "still_learning": still,
    ['clan', 'commune']   "in_school": _flag(rng, in_school, 0.001),
    ['clan', 'commune']   "education": edu,
    ['clan', 'commune']   "qualification": qual,
    ['clan', 'commune']   "employment": employment,
    ['clan', 'commune']   "trained": _flag(rng, trained, 0.002),
    ['clan', 'commune']   "certified": _flag(rng, has_qual, 0.0),
    ['clan', 'commune']   "digital_skills": _flag(rng, digital, 0.002),
    ['clan', 'commune']   "information_literacy": _flag(rng, info_lit, 0.002),
    ['clan', 'commune']   "life_skills": _flag(rng, life, 0.002),
    ['clan', 'commune']   "learning_hours": hours,
    ['clan', 'commune']   "self_study": _flag(rng, self_study, 0.0),
    ['clan', 'commune']   "community_learning": _flag(rng, community, 0.0),
    ['clan', 'commune']   "civil_servant": _flag(rng, civil, 0.0),
    ['clan', 'commune']   "party_member": _flag(rng, party, 0.0),
    ['clan', 'commune']   "recognised_learning_citizen": _flag(rng, recognised, 0.0),
    ['clan', 'commune']   "citizen_points": points,
    ['clan', 'commune']   "citizen_min_indicator": min_ind,
    }


def _commune_of(h: Hierarchy, leaf_index: NDArray[np.int64]) -> tuple[NDArray[np.int64], int]:
    """Group lowest-level units into communes (or the level above the leaf)."""
    if h.n_levels == 1:
    ['clan', 'commune']   return np.zeros(len(leaf_index), np.int64), 1
    ['clan', 'commune']evel = "commune" if "commune" in h.levels and h.leaf_level != "commune" else h.levels[-2]
    anc = h.ancestor_index(h.leaf_level, level).astype(np.int64)
    return anc[leaf_index], h.n_units(level)


def _clans(
    rng: np.random.Generator,
    ['clan', 'commune']: Hierarchy,
    ['clan', 'commune']h_village: NDArray[np.int64],
    ['clan', 'commune']h_urban: NDArray[np.bool_],
) -> NDArray[np.int64]:
    """Group 70% of rural and 30% of urban households into clans of about 25 within a commune."""
    ['clan', 'commune']ommune, n_communes = _commune_of(h, hh_village)
    ['clan', 'commune']ember = rng.random(len(hh_village)) < np.where(hh_urban, 0.3, 0.7)
    key = rng.random(len(hh_village))
    idx = np.flatnonzero(member)
    ['clan', 'commune']rder = idx[np.lexsort((key[idx], commune[idx]))]
    ['clan', 'commune']_sorted = commune[order]
    first = np.searchsorted(c_sorted, c_sorted, side="left")
    ['clan', 'commune']lan_size = rng.integers(10, 41, n_communes)
    ['clan', 'commune']ocal = (np.arange(len(order)) - first) // clan_size[c_sorted]
    raw = c_sorted * (len(hh_village) + 1) + local
    _, dense = np.unique(raw, return_inverse=True)
    ['clan', 'commune']lan = np.full(len(hh_village), -1, np.int64)
    ['clan', 'commune']lan[order] = dense
    return clan


def _organisations(
    rng: np.random.Generator,
    ['clan', 'commune']: Hierarchy,
    ['clan', 'commune']ols: dict[str, NDArray[Any]],
    person_hh: NDArray[np.int64],
    ['clan', 'commune']h_village: NDArray[np.int64],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Give each commune its organisations and members.

    An agency, a community learning centre, schools, party cells and enterprises;
    35% of employed adults and every party member join one in their commune.
    """
    ['clan', 'commune']ommune, n_communes = _commune_of(h, hh_village)
    kinds = np.array(
    ['clan', 'commune']   [
    ['clan', 'commune']       OrganisationType.AGENCY,
    ['clan', 'commune']       OrganisationType.COMMUNITY_LEARNING_CENTRE,
    ['clan', 'commune']       OrganisationType.SCHOOL,
    ['clan', 'commune']       OrganisationType.SCHOOL,
    ['clan', 'commune']       OrganisationType.PARTY_CELL,
    ['clan', 'commune']       OrganisationType.PARTY_CELL,
    ['clan', 'commune']       OrganisationType.ENTERPRISE,
    ['clan', 'commune']       OrganisationType.MASS_ORGANISATION,
    ['clan', 'commune']   ],
    ['clan', 'commune']   np.uint8,
    )
    per = len(kinds)
    ['clan', 'commune']_org = n_communes * per
    ['clan', 'commune']rg_type = np.tile(kinds, n_communes)
    if h.n_levels == 1:
    ['clan', 'commune']   unit_codes = np.repeat(h.codes_at(h.leaf_level)[:1], n_org)
    ['clan', 'commune']lse:
    ['clan', 'commune']   level = "commune" if "commune" in h.levels and h.leaf_level != "commune" else h.levels[-2]
    ['clan', 'commune']   unit_codes = np.repeat(h.codes_at(level), per)
    ['clan', 'commune']rganisations = {
    ['clan', 'commune']   "organisation_id": np.arange(1, n_org + 1, dtype=np.int64),
    ['clan', 'commune']   "name": np.char.add("Đơn vị ", np.arange(1, n_org + 1).astype(str)),
    ['clan', 'commune']   "organisation_type": org_type,
    ['clan', 'commune']   "unit_code": unit_codes,
    ['clan', 'commune']   "registered": _flag(rng, rng.random(n_org) < 0.9, 0.0),
    }
    p_commune = commune[person_hh]
    ['clan', 'commune']mployed = cols["employment"] == Employment.EMPLOYED
    party = cols["party_member"] == 1
    joins = np.flatnonzero(employed & (rng.random(len(p_commune), dtype=np.float32) < 0.35))
    ['clan', 'commune']lot = rng.choice(
    ['clan', 'commune']   np.array([0, 1, 2, 3, 6, 7]), size=len(joins), p=[0.3, 0.05, 0.2, 0.15, 0.2, 0.1]
    )
    ['clan', 'commune']ell = np.flatnonzero(party)
    ['clan', 'commune']ell_slot = 4 + rng.integers(0, 2, len(cell))
    person = np.concatenate([joins, cell])
    ['clan', 'commune']rg = p_commune[person] * per + np.concatenate([slot, cell_slot])
    ['clan', 'commune']emberships = {
    ['clan', 'commune']   "organisation_id": org.astype(np.int64) + 1,
    ['clan', 'commune']   "person_id": person.astype(np.int64) + 1,
    }
    return organisations, memberships


def synthetic_inputs(
    pop: Population,
    book: Any,
    *,
    ['clan', 'commune']eed: int = 0,
    pass_rate: float = 0.85,
    as_of: str | None = None,
) -> dict[str, dict[str, NDArray[Any]]]:
    """Draw plausible values for a rulebook's evaluator-recorded inputs.

    Census-like data cannot answer criteria such as "the family's children have good
    results" or "the unit has a yearly learning plan": evaluators record them. For demos,
    tests and benchmarks this draws them: a yes/no input is yes with probability
    ``pass_rate``; a number is drawn from the upper half of its range; a code uniformly.

    Parameters
    ----------
    pop : Population
    ['clan', 'commune']   The population the inputs are for.
    book : Rulebook
    ['clan', 'commune']   The rulebook whose inputs to draw (``book.inputs``).
    ['clan', 'commune']eed : int
    ['clan', 'commune']   Seed of the random generator.
    pass_rate : float
    ['clan', 'commune']   Probability of "yes" for yes/no inputs.
    as_of : str, optional
    ['clan', 'commune']   Unused; accepted so a call mirrors :func:`learnsoc.evaluate`.

    Returns
    -------
    ['clan', 'commune']ict
    ['clan', 'commune']   ``{level: {input name: array}}``, one value per entity of the level in the
    ['clan', 'commune']   population's order, ready for ``ls.evaluate(pop, book, as_of, inputs=...)``.
    ['clan', 'commune']   Levels the population does not have (a district on the 2025 tree) are left out.

    Examples
    --------
    >>> pop = synthetic_population(persons=3_000, seed=1)
    >>> book = ls.load_rulebook("vn-national")
    >>> inputs = synthetic_inputs(pop, book, seed=1)
    >>> sorted(inputs)[:2]
    ['commune', 'household']
    """
    ['clan', 'commune']el as_of
    rng = np.random.default_rng([seed, 3])
    ['clan', 'commune'] = pop.hierarchy
    ['clan', 'commune']izes = {
    ['clan', 'commune']   "person": pop.n_persons,
    ['clan', 'commune']   "household": pop.n_households,
    ['clan', 'commune']   "clan": pop.n_clans,
    ['clan', 'commune']   "organisation": pop.n_organisations,
    ['clan', 'commune']   **{lv: h.n_units(lv) for lv in h.levels},
    }
    ['clan', 'commune']ut: dict[str, dict[str, NDArray[Any]]] = {}
    for spec in book.inputs:
    ['clan', 'commune']   if spec.level not in sizes:
    ['clan', 'commune']       continue
    ['clan', 'commune']   n = sizes[spec.level]
    ['clan', 'commune']   if spec.kind == "bool":
    ['clan', 'commune']       values: NDArray[Any] = rng.random(n) < pass_rate
    ['clan', 'commune']   elif spec.kind == "code":
    ['clan', 'commune']       codes = np.array([code for _, code in spec.value_type.codes], np.int64)
    ['clan', 'commune']       values = codes[rng.integers(0, len(codes), n)]
    ['clan', 'commune']   else:
    ['clan', 'commune']       lo, hi = spec.range if spec.range is not None else (0.0, 100.0)
    ['clan', 'commune']       mid = lo + (hi - lo) / 2
    ['clan', 'commune']       if spec.kind == "int":
    ['clan', 'commune']           values = rng.integers(int(np.ceil(mid)), int(hi) + 1, n)
    ['clan', 'commune']       else:
    ['clan', 'commune']           values = rng.uniform(mid, hi, n)
    ['clan', 'commune']   out.setdefault(spec.level, {})[spec.name] = values
    return out
