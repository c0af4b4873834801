"""Indicators and the standard measures, against a slow per-person reference."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.aggregate import RateStatus
from learnsoc.model.codes import Employment, Qualification
from learnsoc.targets import INDICATORS, Indicator, TargetError, indicator, standard_measures
from tests.targets.helpers import province

YES, MISSING = 1, 255


def slow_person_measures(pop: ls.Population, working_age: tuple[int, int]) -> dict[str, int]:
    """Count the person measures of the whole population one person at a time."""
    cols = {k: v.tolist() for k, v in pop.columns("person").items()}
    out: dict[str, int] = {}

    def add(name: str, yes: bool) -> None:
        out[name] = out.get(name, 0) + int(yes)

    lo, hi = working_age
    for i in range(pop.n_persons):
        age = cols["age"][i]
        adult = age >= 15
        worker = adult and cols["employment"][i] == Employment.EMPLOYED
        citizen = cols["recognised_learning_citizen"][i]
        add("persons", True)
        add("adults", adult)
        add("persons_15_60", 15 <= age <= 60)
        add("working_age", lo <= age <= hi)
        add("workers", worker)
        add("learning_citizens", citizen == YES)
        add("learning_citizens_missing", citizen == MISSING)
        add("adult_learning_citizens", adult and citizen == YES)
        add("working_age_learning_citizens", lo <= age <= hi and citizen == YES)
        add("working_age_learning_citizens_missing", lo <= age <= hi and citizen == MISSING)
        add("literate_15_60", 15 <= age <= 60 and cols["literate"][i] == YES)
        add("literate_15_60_missing", 15 <= age <= 60 and cols["literate"][i] == MISSING)
        newly = cols["newly_literate"][i] == YES
        add("newly_literate", newly)
        add("newly_literate_still_learning", newly and cols["still_learning"][i] == YES)
        add("newly_literate_still_learning_missing", newly and cols["still_learning"][i] == MISSING)
        add("trained_workers", worker and cols["trained"][i] == YES)
        add("trained_workers_missing", worker and cols["trained"][i] == MISSING)
        add("certified_workers", worker and cols["certified"][i] == YES)
        add("digital_skills", cols["digital_skills"][i] == YES)
        add("digital_skills_missing", cols["digital_skills"][i] == MISSING)
        add("information_literacy", lo <= age <= hi and cols["information_literacy"][i] == YES)
        add("life_skills_missing", lo <= age <= hi and cols["life_skills"][i] == MISSING)
        qual = cols["qualification"][i]
        add("qualified_15", adult and qual != MISSING and qual >= Qualification.ELEMENTARY)
        add("university_15", adult and qual != MISSING and qual >= Qualification.UNIVERSITY)
        add("university_15_missing", adult and qual == MISSING)
        add("learning_citizens_digital", citizen == YES and cols["digital_skills"][i] == YES)
    return out


@settings(max_examples=8, deadline=None)
@given(st.integers(100, 2_500), st.integers(0, 1_000), st.sampled_from([(15, 60), (18, 55)]))
def test_standard_measures_match_a_slow_count(
    n: int, seed: int, working_age: tuple[int, int]
) -> None:
    pop = ls.synthetic_population(persons=n, seed=seed)
    roll = ls.rollup(pop, standard_measures(pop, working_age=working_age))
    total = roll.level("total")
    expected = slow_person_measures(pop, working_age)
    got = {name: int(total.counts[name][0]) for name in expected}
    assert got == expected
    assert all(total.counts[name].dtype == np.int64 for name in expected)
    registered = pop.column("household", "registered")
    # families: every family (household) of the unit, as published results divide by.
    assert int(total.counts["families"][0]) == pop.n_households
    assert int(total.counts["registered_families"][0]) == int((registered == YES).sum())
    assert int(total.counts["households"][0]) == pop.n_households
    assert int(total.counts["communities"][0]) == pop.hierarchy.n_units("village")
    assert int(total.counts["provinces"][0]) == pop.hierarchy.n_units("province")
    assert "districts" not in total.counts  # the 2025 tree has no districts


def test_every_person_indicator_is_observable_from_the_standard_measures() -> None:
    pop = ls.synthetic_population(persons=2_000, seed=11, hierarchy="vn-pre-2025")
    roll = ls.rollup(pop, standard_measures(pop))
    reported = {
        "learning_families",
        "learning_families_of_registered",
        "learning_families_of_households",
        "learning_clans",
        "learning_communities",
        "learning_units",
        "learning_districts",
        "learning_citizens_in_titled_groups",
        "workers_learning_citizens_in_titled_groups",
        "learning_citizens_in_learning_units",
    }
    computed = [
        ind
        for ind in INDICATORS.values()
        if ind.id not in reported and ind.numerator in standard_measures(pop)
    ]
    assert len(computed) == 13
    for ind in computed:
        rate = ind.observe(roll)
        assert rate is not None, ind.id
        assert (rate.status[roll.levels() == "province"] == RateStatus.OK).all(), ind.id
    assert INDICATORS["universal_preschool_districts"].absent_measures(roll) == (
        "universal_preschool_districts",
    )


def test_title_measures_against_a_slow_reference() -> None:
    pop = ls.synthetic_population(persons=3_000, seed=5)
    rng = np.random.default_rng(1)
    titles: dict[str, Any] = {
        "household": rng.random(pop.n_households) < 0.6,
        "clan": rng.random(pop.n_clans) < 0.5,
        "village": rng.random(pop.hierarchy.n_units("village")) < 0.5,
        "organisation": rng.random(pop.n_organisations) < 0.5,
    }
    roll = ls.rollup(pop, standard_measures(pop, titles=titles)).level("total")
    registered = pop.column("household", "registered") == YES
    assert roll.counts["learning_families"][0] == int((titles["household"] & registered).sum())
    assert roll.counts["learning_clans"][0] == int(titles["clan"].sum())
    assert roll.counts["learning_communities"][0] == int(titles["village"].sum())
    assert roll.counts["learning_units"][0] == int(titles["organisation"].sum())

    age = pop.column("person", "age").tolist()
    citizen = pop.column("person", "recognised_learning_citizen").tolist()
    employment = pop.column("person", "employment").tolist()
    adults = adult_citizens = workers = worker_citizens = 0
    for i in range(pop.n_persons):
        hh = int(pop.person_household[i])
        clan = int(pop.household_clan[hh])
        in_group = (
            bool(titles["household"][hh])
            or (clan >= 0 and bool(titles["clan"][clan]))
            or bool(titles["village"][int(pop.household_unit[hh])])
        )
        if in_group and age[i] >= 15:
            adults += 1
            adult_citizens += citizen[i] == YES
            if employment[i] == Employment.EMPLOYED:
                workers += 1
                worker_citizens += citizen[i] == YES
    assert roll.counts["titled_group_adults"][0] == adults
    assert roll.counts["titled_group_adult_learning_citizens"][0] == adult_citizens
    assert roll.counts["titled_group_workers"][0] == workers
    assert roll.counts["titled_group_worker_learning_citizens"][0] == worker_citizens

    staff = staff_citizens = 0
    for k in range(pop.n_organisations):
        if titles["organisation"][k]:
            members = pop.member_person[pop.member_offsets[k] : pop.member_offsets[k + 1]]
            staff += len(members)
            staff_citizens += sum(citizen[int(p)] == YES for p in members)
    assert roll.counts["learning_unit_staff"][0] == staff
    assert roll.counts["learning_unit_staff_learning_citizens"][0] == staff_citizens
    assert roll.counts["learning_unit_staff"].dtype == np.int64


def test_person_titles_replace_the_recognised_column() -> None:
    pop = ls.synthetic_population(persons=1_000, seed=2)
    verdicts = np.zeros(pop.n_persons, np.bool_)
    verdicts[:10] = True
    roll = ls.rollup(pop, standard_measures(pop, titles={"person": verdicts})).level("total")
    assert int(roll.counts["learning_citizens"][0]) == 10
    assert int(roll.counts["learning_citizens_missing"][0]) == 0


@attrs.frozen
class _Verdicts:
    """What standard_measures reads of a title's Verdicts: granted and unknown."""

    passed: np.ndarray[Any, np.dtype[np.bool_]]
    unknown: np.ndarray[Any, np.dtype[np.bool_]]


def _verdicts(passed: list[int], unknown: list[int]) -> _Verdicts:
    return _Verdicts(np.array(passed, np.bool_), np.array(unknown, np.bool_))


def test_unknown_title_verdicts_are_missing_not_refused() -> None:
    """Unknown family, clan, community and unit verdicts leave the denominator.

    By hand: V1 holds H1 and H2 (registered, verdicts unknown); V2 holds H3 (registered,
    granted; adults p3 a citizen, p5 unknown) and H4 (not registered). Clan K1 = H1, H2:
    unknown. V1 unknown, V2 not granted. O1 granted (staff p1 unknown, p3 citizen), O2
    unknown.
    """
    tree = ls.Hierarchy.from_units(
        {
            "code": ["01", "C1", "V1", "V2"],
            "level": ["province", "commune", "village", "village"],
            "parent_code": [None, "01", "C1", "C1"],
        },
        levels="vn-2025",
    )
    persons = [
        ls.Person(pid, hh, age=40)
        for pid, hh in (("p1", "H1"), ("p2", "H2"), ("p3", "H3"), ("p5", "H3"), ("p4", "H4"))
    ]
    households = [
        ls.Household("H1", "V1", clan_id="K1", registered=True),
        ls.Household("H2", "V1", clan_id="K1", registered=True),
        ls.Household("H3", "V2", registered=True),
        ls.Household("H4", "V2", registered=False),
    ]
    organisations = [
        ls.Organisation("O1", ls.OrganisationType.AGENCY, "C1", members=("p1", "p3")),
        ls.Organisation("O2", ls.OrganisationType.AGENCY, "C1", members=("p2",)),
    ]
    pop = ls.Population.from_records(
        persons, households, tree, clans=[ls.Clan("K1")], organisations=organisations
    )
    assert [str(p) for p in pop.person_ids.tolist()] == ["p1", "p2", "p3", "p5", "p4"]
    titles = {
        "person": _verdicts([0, 0, 1, 0, 0], [1, 1, 0, 1, 0]),
        "household": _verdicts([0, 0, 1, 0], [1, 1, 0, 0]),
        "clan": _verdicts([0], [1]),
        "village": _verdicts([0, 0], [1, 0]),
        "organisation": _verdicts([1, 0], [0, 1]),
    }
    roll = ls.rollup(pop, standard_measures(pop, titles=titles))

    def rate(name: str, level: str = "total") -> tuple[int, int, int, Any]:
        r = INDICATORS[name].observe(roll.level(level))
        assert r is not None
        value = None if r.denominator[0] == 0 else 100 * r.numerator[0] / r.denominator[0]
        return int(r.numerator[0]), int(r.denominator[0]), int(r.missing[0]), value

    # families: 1 granted (H3) of 4, 2 unknown: 1 of 2 known; of the 3 registered, 1 of 1
    assert rate("learning_families") == (1, 2, 2, 50.0)
    assert rate("learning_families_of_households") == (1, 2, 2, 50.0)
    assert rate("learning_families_of_registered") == (1, 1, 2, 100.0)
    # V1: both families unknown: no data, never 0%
    assert rate("learning_families", "village") == (0, 0, 2, None)
    r = INDICATORS["learning_families"].observe(roll.level("village"))
    assert r is not None and r.statuses()[0] == RateStatus.MISSING
    assert rate("learning_clans") == (0, 0, 1, None)  # K1 unknown: no data
    assert rate("learning_communities") == (0, 1, 1, 0.0)  # V2 known not granted
    assert rate("learning_units") == (1, 1, 1, 100.0)  # O1 of O1 (O2 unknown)
    # adults of titled groups (H3): p3 a citizen, p5 unknown; staff of O1: p3, p1 unknown
    assert rate("learning_citizens_in_titled_groups") == (1, 1, 1, 100.0)
    assert rate("learning_citizens_in_learning_units") == (1, 1, 1, 100.0)


def test_bad_titles_are_refused() -> None:
    pop = ls.synthetic_population(persons=500, seed=2)
    with pytest.raises(TargetError, match=r"titles\['household'\] must be .* booleans"):
        standard_measures(pop, titles={"household": np.ones(3, np.bool_)})
    with pytest.raises(TargetError, match=r"titles\['clan'\] must be"):
        standard_measures(pop, titles={"clan": np.ones(pop.n_clans, np.int8)})
    with pytest.raises(TargetError, match="did you mean 'village'"):
        standard_measures(pop, titles={"vilage": np.ones(1, np.bool_)})


def test_observe_with_and_without_the_missing_measure() -> None:
    h = province()
    lit = INDICATORS["literacy_15_60"]
    with_missing = ls.rollup_counts(
        {
            "unit_code": ["02"],
            "persons_15_60": [100],
            "literate_15_60": [70],
            "literate_15_60_missing": [20],
        },
        h,
    )
    rate = lit.observe(with_missing)
    assert rate is not None
    assert (rate.numerator[0], rate.denominator[0], rate.missing[0]) == (70, 80, 20)
    without = ls.rollup_counts(
        {"unit_code": ["02"], "persons_15_60": [100], "literate_15_60": [70]}, h
    )
    rate = lit.observe(without)
    assert rate is not None and rate.denominator[0] == 100
    too_many = ls.rollup_counts(
        {
            "unit_code": ["02"],
            "persons_15_60": [100],
            "literate_15_60": [90],
            "literate_15_60_missing": [20],
        },
        h,
    )
    with pytest.raises(TargetError, match="unit '02' has 90 literate_15_60 but only 80"):
        lit.observe(too_many)


def test_observe_refuses_fractional_counts() -> None:
    pop = ls.synthetic_population(persons=300, seed=4)
    half = np.zeros(pop.n_households)
    half[0] = 0.5
    roll = ls.rollup(
        pop,
        {
            "families": "household",
            "learning_families": ls.Sum("household", half),
        },
    )
    with pytest.raises(TargetError, match="must hold whole counts"):
        INDICATORS["learning_families"].observe(roll)


def test_indicator_validation_and_lookup() -> None:
    with pytest.raises(TargetError, match="identifier"):
        Indicator("bad id", "a", "b", "x")
    with pytest.raises(TargetError, match="direction"):
        Indicator("x", "a", "b", "x", direction="up")  # type: ignore[arg-type]
    with pytest.raises(TargetError, match="positive integer"):
        Indicator("x", "a", "b", "x", factor=0)
    with pytest.raises(TargetError, match="decimals"):
        Indicator("x", "a", "b", "x", decimals=-1)
    extra = {"x": Indicator("x", "a", "b", "x")}
    assert indicator("x", extra) is extra["x"]
    assert indicator("learning_units").denominator == "units"
    assert INDICATORS["learning_families"].denominator_display("en") == "families"
    assert Indicator("x", "a", "b", "label").denominator_display("vi") == "b"
