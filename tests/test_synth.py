import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import LearnsocError


def test_same_seed_same_population_other_seed_other_population() -> None:
    a = ls.synthetic_population(persons=5_000, seed=3)
    assert a == ls.synthetic_population(persons=5_000, seed=3)
    assert a != ls.synthetic_population(persons=5_000, seed=4)


@pytest.mark.parametrize("tree", ["vn-2025", "vn-pre-2025"])
def test_shape_is_like_vietnam(tree: str) -> None:
    pop = ls.synthetic_population(persons=60_000, seed=1, hierarchy=tree)
    assert pop.n_persons == 60_000
    assert len(pop.rejects) == 0
    assert 3.2 < pop.n_persons / pop.n_households < 3.8
    age = pop.column("person", "age")
    assert 0.18 < (age < 15).mean() < 0.30
    assert 0.08 < (age >= 60).mean() < 0.18
    literate = pop.column("person", "literate")
    adult = (age >= 15) & (literate != 255)
    assert 0.93 < (literate[adult] == 1).mean() < 0.99
    school_age = (age >= 6) & (age <= 14)
    assert (pop.column("person", "in_school")[school_age] == 1).mean() > 0.9
    sex = pop.column("person", "sex")
    assert 0.45 < (sex == ls.Sex.FEMALE).mean() < 0.55
    # Missing values exist, so the missing-value paths of later stages are exercised.
    assert (literate == 255).any()
    # Villages of about 1,000 persons; every household has a member.
    assert pop.hierarchy.n_units("village") == 60
    assert pop.n_empty_households == 0
    assert pop.n_clans > 0 and pop.n_organisations > 0
    assert len(pop.member_person) > 0
    assert pop.hierarchy.levels == ls.PRESETS[tree].names


def test_custom_levels_and_existing_tree() -> None:
    pop = ls.synthetic_population(persons=3_000, seed=2, hierarchy=["region", "school_zone"])
    assert pop.hierarchy.levels == ("region", "school_zone")
    h = ls.synthetic_hierarchy(villages=7, seed=5)
    pop2 = ls.synthetic_population(persons=900, seed=1, hierarchy=h)
    assert pop2.hierarchy is h


def test_invalid_sizes() -> None:
    with pytest.raises(LearnsocError, match="at least 1"):
        ls.synthetic_population(persons=0)
    with pytest.raises(LearnsocError, match="at least one"):
        ls.synthetic_hierarchy(villages=0)


def test_codes_follow_national_widths() -> None:
    h = ls.synthetic_hierarchy(villages=400, seed=1, levels="vn-pre-2025")
    assert {len(c) for c in h.codes_at("province")} == {2}
    assert {len(c) for c in h.codes_at("district")} == {3}
    assert {len(c) for c in h.codes_at("commune")} == {5}
    village = h.codes_at("village")
    parent = h.codes_at("commune")[h.parent_index("village")]
    assert all(str(v).startswith(str(p)) for v, p in zip(village, parent, strict=True))
    assert len(np.unique(h.codes)) == len(h)


# vn-national on the 2025 tree after 1/7/2025: the commune title warns that its procedure
# was abolished (tested in tests/rules/test_bundled.py).
@pytest.mark.filterwarnings("ignore::learnsoc.rules.rulebook.AbolishedProcedureWarning")
def test_synthetic_inputs_cover_every_input_of_a_rulebook() -> None:
    import warnings

    pop = ls.synthetic_population(persons=5_000, seed=3)
    book = ls.load_rulebook("vn-national")
    inputs = ls.synthetic_inputs(pop, book, seed=3, pass_rate=1.0)
    levels = {"person", "household", "clan", "organisation", *pop.hierarchy.levels}
    for spec in book.inputs:
        if spec.level in levels:
            values = inputs[spec.level][spec.name]
            assert len(values) == {
                "person": pop.n_persons,
                "household": pop.n_households,
                "clan": pop.n_clans,
                "organisation": pop.n_organisations,
            }.get(
                spec.level,
                pop.hierarchy.n_units(spec.level) if spec.level in pop.hierarchy.levels else -1,
            )
            if spec.kind == "bool":
                assert values.all()
            if spec.range is not None and spec.kind in ("int", "float"):
                assert (values >= spec.range[0]).all() and (values <= spec.range[1]).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ls.MissingInputWarning)
        ev = ls.evaluate(pop, book, "2025-12-31", inputs=inputs)
    assert ev.missing_inputs == ()


# Published provincial results (DOMAIN.md section 4, Ha Giang 2024: families 73.6%, clans
# 69.1%, village communities 81.2%, units 98%, learning citizens 16.2%), as ranges. Rates
# use the published denominators: all families, clans, villages and organisations of the
# province, and all residents for learning citizens.
REALISTIC = {
    "learning_family": (0.60, 0.75),
    "learning_clan": (0.50, 0.70),
    "learning_community": (0.60, 0.85),
    "learning_unit": (0.90, 0.98),
    "learning_citizen": (0.15, 0.40),
}


@pytest.mark.filterwarnings("ignore::learnsoc.rules.rulebook.AbolishedProcedureWarning")
@pytest.mark.parametrize(
    ("seed", "tree", "as_of"),
    # The demo's province; the tree before the 2025 reform on its last day.
    [(7, "vn-2025", "2025-12-31"), (1, "vn-pre-2025", "2025-06-30")],
)
def test_realism_national_rulebook_rates_like_a_province(seed: int, tree: str, as_of: str) -> None:
    """The demo's province grants every title at rates like the published results.

    The first case is exactly what ``learnsoc demo`` builds (200,000 persons, seed 7);
    before the synthetic data had correlated households, villages and clans, it granted
    no village community, no learning unit and almost no learning clan.
    """
    pop = ls.synthetic_population(persons=200_000, seed=seed, hierarchy=tree)
    book = ls.load_rulebook("vn-national")
    ev = ls.evaluate(pop, book, as_of, inputs=ls.synthetic_inputs(pop, book, seed=seed))
    rates = {}
    for title in REALISTIC:
        verdicts = ev.verdicts(title)
        rates[title] = float(verdicts.passed.sum()) / len(verdicts)
    assert all(low <= rates[t] <= high for t, (low, high) in REALISTIC.items()), rates
    # Every title in force on the date is granted somewhere; the two schemes replaced
    # before 2025 (Circulars 22/2020 and 44/2014) assess nobody.
    summary = {row.title: row for row in ev.summary().rows}
    not_in_force = {t for t, row in summary.items() if row.assessed == 0}
    assert not_in_force == {"learning_unit_graded", "commune_community_ranking"}
    assert {t for t, row in summary.items() if row.assessed and not row.passed} == set()


def test_synthetic_inputs_pass_rate_per_level_and_classifying_codes() -> None:
    """``pass_rate`` takes one value or one per level; an entity's criteria go together."""
    pop = ls.synthetic_population(persons=200_000, seed=2)
    book = ls.load_rulebook("vn-national")
    weak = ls.synthetic_inputs(pop, book, seed=2, pass_rate={"commune": 0.0, "household": 1.0})
    assert weak["household"]["family_learning_conditions"].all()
    # A commune that is not good records each yes/no criterion at random.
    plan = weak["commune"]["c1_plan"]
    assert 0 < plan.mean() < 1
    # Good entities meet all their recorded criteria together, not each one at 90%.
    good = ls.synthetic_inputs(pop, book, seed=2)["household"]
    names = ["children_results_good", "children_conduct_good", "family_learning_conditions"]
    all_yes = np.logical_and.reduce([good[name] for name in names])
    assert all_yes.mean() > 0.85
    # unit_tier classifies organisations: mostly commune units, whatever their quality.
    tier = ls.synthetic_inputs(pop, book, seed=2, pass_rate=1.0)["organisation"]["unit_tier"]
    assert set(np.unique(tier)) == {1, 2, 3}
    assert (tier == 1).mean() > (tier == 2).mean() > (tier == 3).mean()
    with pytest.raises(LearnsocError, match=r"'village' must lie between 0 and 1, got 1\.5"):
        ls.synthetic_inputs(pop, book, pass_rate={"village": 1.5})
    with pytest.raises(LearnsocError, match=r"pass_rate must lie between 0 and 1, got -0\.1"):
        ls.synthetic_inputs(pop, book, pass_rate=-0.1)


def test_synthetic_population_keeps_the_domain_marginals() -> None:
    """Household size, literacy of ages 15+ and the urban share stay as DOMAIN.md fixes them."""
    pop = ls.synthetic_population(persons=200_000, seed=5)
    assert 3.3 < pop.n_persons / pop.n_households < 3.7
    age = pop.column("person", "age")
    literate = pop.column("person", "literate")
    known = (age >= 15) & (literate != 255)
    assert 0.945 < (literate[known] == 1).mean() < 0.97
    h = ls.synthetic_hierarchy(villages=20_000, seed=5)
    urban = np.char.startswith(h.names_at("commune"), "Phường")
    assert 0.30 < urban.mean() < 0.39
    # Whole families pass: the school-age children of a household are in school together.
    in_school = pop.column("person", "in_school") == 1
    school_age = (age >= 6) & (age <= 17)
    out = np.bincount(pop.person_household[school_age & ~in_school], minlength=pop.n_households)
    kids = np.bincount(pop.person_household[school_age], minlength=pop.n_households)
    with_two = kids >= 2
    # If schooling were independent, about 2 x 10% of two-child families would have one
    # child out; correlated, fewer families have any child out at all.
    assert (out[with_two] > 0).mean() < 0.15
