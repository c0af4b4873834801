"""The cascade engine: verdicts worked out by hand, dates, inputs, and a reference check."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.errors import RulebookError, SchemaError, UnknownIdError
from learnsoc.rules._aggregates import _count_dtype
from learnsoc.rules.engine import Evaluation, evaluate
from learnsoc.rules.registry import load_rulebook
from learnsoc.rules.rulebook import MissingInputWarning, RulebookWarning, parse_rulebook

from .engine_reference import reference_evaluate

HEAD = """\
[rulebook]
id = "t"
name = { vi = "Thử", en = "Test" }
issuer = "tests"
version = "1"
effective_from = 2016-01-01
"""


def _criteria(*criteria: tuple[str, str], extra: str = "") -> str:
    out = ""
    for cid, expr in criteria:
        out += f"""
[[X.versions.criteria]]
id = "{cid}"
label = {{ vi = "{cid}", en = "{cid}" }}
expr = "{expr}"
{extra}"""
    return out


def _title(tid: str, level: str, *criteria: tuple[str, str], head: str = "", body: str = "") -> str:
    text = f"""
[titles.{tid}]
level = "{level}"
label = {{ vi = "{tid} vi", en = "{tid} en" }}
{head}
[[X.versions]]
effective_from = 2016-01-01
"""
    text += _criteria(*criteria) + body
    return text.replace("[[X.", f"[[titles.{tid}.")


def _book(*parts: str) -> Any:
    return parse_rulebook(HEAD + "".join(parts), file="t.toml")


def _tree() -> ls.Hierarchy:
    units = {
        "code": ["01", "C1", "C2", "V1", "V2", "V3"],
        "level": ["province", "commune", "commune", "village", "village", "village"],
        "parent_code": [None, "01", "01", "C1", "C1", "C2"],
    }
    return ls.Hierarchy.from_units(units, levels="vn-2025")


def _adults(hh: str, n: int, citizens: int, **extra: Any) -> list[ls.Person]:
    """``n`` adults of household ``hh``, the first ``citizens`` of them learning citizens."""
    return [
        ls.Person(
            f"{hh}-a{i}",
            hh,
            age=30,
            literate=True,
            learning_hours=50 if i < citizens else 0,
            **extra,
        )
        for i in range(n)
    ]


CITIZEN = _title("learning_citizen", "person", ("hours", "literate and learning_hours >= 40"))


def _run(
    pop: ls.Population, book: Any, as_of: str | dt.date = "2025-12-31", **kw: Any
) -> Evaluation:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # The tests date rule versions back to 2016 on the 2-level tree: the warning that
        # its communes did not exist then is not what they test.
        warnings.simplefilter("ignore", ls.HierarchyDateWarning)
        return evaluate(pop, book, as_of, **kw)


# ------------------------------------------------------------------ households, by hand


def _families() -> ls.Population:
    persons = [
        *_adults("H1", 10, 7),  # 7 of 10 adults: exactly 0.7
        ls.Person("H1-c", "H1", age=10, in_school=True),
        *_adults("H2", 10, 6),  # 6 of 10: below 0.7
        *_adults("H3", 1, 1),  # no child: "every child in school" holds
        ls.Person("H4-c", "H4", age=8, in_school=True),  # no adult: share of nobody
        *_adults("H5", 2, 2),
        ls.Person("H5-c", "H5", age=12, in_school=False),  # a child out of school
        *_adults("H6", 1, 1),
        ls.Person("H6-c", "H6", age=12),  # school attendance not recorded
        *_adults("H7", 1, 1),
        ls.Person("H7-c1", "H7", age=12, in_school=True),
        ls.Person("H7-c2", "H7", age=13),  # one recorded, one not
        ls.Person("H8-a", "H8", age=40, learning_hours=60),  # literacy not recorded
    ]
    households = [ls.Household(f"H{i}", "V1" if i <= 4 else "V2") for i in range(1, 9)]
    households.append(ls.Household("H9", "V3"))  # nobody lives here
    return ls.Population.from_records(persons, households, _tree())


FAMILY = _title(
    "learning_family",
    "household",
    ("children", "all(members.in_school, where=members.age.between(6, 17))"),
    ("adults", "share(members.learning_citizen, where=members.age >= 15) >= 0.7"),
).replace('expr = "all(', 'on_empty = "pass"\nexpr = "all(')


def test_household_verdicts_worked_out_by_hand() -> None:
    """Each household's verdict and criteria, as worked out from the criteria by hand."""
    ev = _run(_families(), _book(CITIZEN, FAMILY))
    v = ev.verdicts("learning_family")
    children, children_known = v.criterion("children")
    adults, adults_known = v.criterion("adults")
    #                 H1    H2     H3    H4     H5     H6     H7    H8     H9
    assert children.tolist() == [1, 1, 1, 1, 0, 0, 1, 1, 1]
    assert children_known.tolist() == [1, 1, 1, 1, 1, 0, 1, 1, 1]
    assert adults.tolist() == [1, 0, 1, 0, 1, 1, 1, 0, 0]
    # H8's only adult has no literacy record: whether she is a learning citizen is
    # unknown (not granted, not refused), so the share of H8's adults is unknown too.
    assert adults_known.tolist() == [1, 1, 1, 1, 1, 1, 1, 0, 1]
    assert v.passed.tolist() == [1, 0, 1, 0, 0, 0, 1, 0, 0]
    # H6 is unknown: its only child's attendance is missing and the adults pass.
    assert v.known.tolist() == [1, 1, 1, 1, 1, 0, 1, 0, 1]
    assert v.unknown.tolist() == [0, 0, 0, 0, 0, 1, 0, 1, 0]
    assert v.passed.dtype == np.bool_ and v.passed_bits.dtype == np.uint8
    assert ev.titles("person")[ev.index_of("person", "H8-a")] == False  # noqa: E712
    assert ev.verdicts("person").unknown[ev.index_of("person", "H8-a")]


def test_share_threshold_is_exact_at_the_boundary() -> None:
    """7 of 10 is at least 0.7 and 69 of 100 is not, with and without a parameter."""
    persons = [*_adults("A", 10, 7), *_adults("B", 100, 69), *_adults("C", 100, 70)]
    households = [ls.Household(h, "V1") for h in "ABC"]
    pop = ls.Population.from_records(persons, households, _tree())
    parameter = """
[parameters.needed]
label = { vi = "t", en = "t" }
value = 0.7
"""
    for threshold in ("0.7", "needed"):
        family = _title(
            "learning_family",
            "household",
            ("adults", f"share(members.learning_citizen) >= {threshold}"),
        )
        ev = _run(pop, _book(parameter, CITIZEN, family))
        assert ev.titles("household").tolist() == [True, False, True]


@pytest.mark.parametrize(
    ("policy", "passed", "known"),
    [("pass", True, True), ("fail", False, True), ("unknown", False, False)],
)
def test_empty_group_follows_the_criterion_policy(policy: str, passed: bool, known: bool) -> None:
    """A household with no adult: the share criterion is what on_empty says."""
    family = _title(
        "learning_family",
        "household",
        ("adults", "share(members.learning_citizen, where=members.age >= 15) >= 0.5"),
    ).replace('expr = "share', f'on_empty = "{policy}"\nexpr = "share')
    pop = ls.Population.from_records(
        [ls.Person("c", "H", age=9, literate=True, learning_hours=1)],
        [ls.Household("H", "V1"), ls.Household("E", "V1")],
        _tree(),
    )
    ev = _run(pop, _book(CITIZEN, family))
    v = ev.verdicts("learning_family")
    assert v.criterion("adults")[0].tolist() == [passed, passed]
    assert v.criterion("adults")[1].tolist() == [known, known]
    assert v.passed.tolist() == [passed, passed]
    assert v.known.tolist() == [known, known]


def test_eligibility_restricts_who_is_assessed() -> None:
    """Unregistered (or unrecorded) households are not assessed, granted nor counted."""
    family = _title(
        "learning_family",
        "household",
        ("adults", "share(members.learning_citizen) >= 0.5"),
        head='eligible = "registered"',
    )
    persons = [*_adults("R", 2, 2), *_adults("U", 2, 2), *_adults("M", 2, 2), *_adults("F", 2, 0)]
    households = [
        ls.Household("R", "V1", registered=True),
        ls.Household("U", "V1", registered=False),
        ls.Household("M", "V2"),
        ls.Household("F", "V2", registered=True),
    ]
    pop = ls.Population.from_records(persons, households, _tree())
    ev = _run(pop, _book(CITIZEN, family))
    v = ev.verdicts("learning_family")
    # Canonical order: by village, then id: R, U (V1), F, M (V2).
    assert pop.household_ids.tolist() == ["R", "U", "F", "M"]
    assert v.assessed.tolist() == [True, False, True, False]
    assert v.passed.tolist() == [True, False, False, False]
    assert v.failed.tolist() == [False, False, True, False]
    assert v.known.all()
    counts = ev.title_counts()["learning_family"]
    v1 = int(np.flatnonzero(pop.hierarchy.codes == "V1")[0])
    v2 = int(np.flatnonzero(pop.hierarchy.codes == "V2")[0])
    assert (counts.entities[v1], counts.assessed[v1], counts.passed[v1]) == (2, 1, 1)
    assert (counts.entities[v2], counts.assessed[v2], counts.passed[v2]) == (2, 1, 0)
    summary = ev.summary().to_dict()["titles"][1]
    assert (summary["assessed"], summary["passed"], summary["failed"]) == (2, 1, 1)


# --------------------------------------------------------------------- cascade upwards


def test_cascade_to_villages_communes_and_province() -> None:
    """Village, commune and province titles read the verdicts of the same run."""
    village = _title(
        "learning_community", "village", ("families", "share(households.learning_family) >= 0.5")
    )
    commune = _title(
        "commune_learning_community",
        "commune",
        ("villages", "share(villages.learning_community) >= 0.5"),
        ("people", "count(persons, where=persons.learning_citizen) >= 5"),
    )
    province = _title(
        "learning_province",
        "province",
        ("communes", "all(communes.commune_learning_community)"),
        ("households", "count(households) == 9"),
    )
    ev = _run(_families(), _book(CITIZEN, FAMILY, village, commune, province))
    # V1 holds H1-H4 (2 of 4 learning families); V2 H5-H8 (H7 of H5 and H7: H6 and H8
    # are unknown and left out, 1 of 2); V3 only H9 (0 of 1).
    assert ev.titles("village").tolist() == [True, True, False]
    # C1: V1, V2 -> 2 of 2 villages; 7 + 2 + 1 + 2 + 1 + 1 + 0 learning citizens.
    # C2: V3 -> 0 of 1, and nobody lives there.
    assert ev.titles("commune").tolist() == [True, False]
    v = ev.verdicts("learning_province")
    assert v.criterion("communes")[0].tolist() == [False]
    assert v.criterion("households")[0].tolist() == [True]
    assert ev.titles("province").tolist() == [False]


def test_clans_and_organisations() -> None:
    """Clan households and members, organisation members, and units' clans/organisations."""
    h = _tree()
    persons = [
        *_adults("H1", 2, 2),
        *_adults("H2", 2, 0),
        *_adults("H3", 3, 3),
        *_adults("H4", 1, 1),
    ]
    households = [
        ls.Household("H1", "V1", clan_id="K1"),
        ls.Household("H2", "V2", clan_id="K1"),
        ls.Household("H3", "V3", clan_id="K2"),
        ls.Household("H4", "V3"),
    ]
    clans = [ls.Clan("K1", unit_code="C1"), ls.Clan("K2", unit_code="V3"), ls.Clan("K3")]
    organisations = [
        ls.Organisation("O1", ls.OrganisationType.SCHOOL, "C1", members=("H1-a0", "H2-a0")),
        ls.Organisation("O2", ls.OrganisationType.AGENCY, "V3", members=("H3-a0", "H3-a1")),
        ls.Organisation("O3", ls.OrganisationType.AGENCY, "01", members=("H1-a1",)),
    ]
    pop = ls.Population.from_records(
        persons, households, h, clans=clans, organisations=organisations
    )
    family = _title("learning_family", "household", ("all", "all(members.learning_citizen)"))
    clan = _title(
        "learning_clan",
        "clan",
        ("families", "share(households.learning_family) >= 0.5"),
        ("members", "count(members, where=members.learning_citizen) >= 3"),
    )
    unit = _title("learning_unit", "organisation", ("m", "share(members.learning_citizen) >= 0.5"))
    commune = _title(
        "commune_learning_community",
        "commune",
        ("clans", "count(clans) >= 1"),
        ("units", "count(organisations, where=organisations.learning_unit) >= 1"),
    )
    ev = _run(pop, _book(CITIZEN, family, clan, unit, commune))
    # K1: H1 (learning family) and H2 (not): 1 of 2; members 2 citizens of 4.
    # K2: H3: 1 of 1; 3 citizens.  K3: no households (empty share -> fails).
    v = ev.verdicts("learning_clan")
    assert v.criterion("families")[0].tolist() == [True, True, False]
    assert v.criterion("members")[0].tolist() == [False, True, False]
    assert ev.titles("clan").tolist() == [False, True, False]
    # O1: H1-a0 citizen, H2-a0 not: 1 of 2.  O2: 2 of 2.  O3: 1 of 1.
    assert ev.titles("organisation").tolist() == [True, True, True]
    # C1 has clan K1 (at C1) and O1; C2 has K2 (at V3, below it) and O2.
    # O3 sits at the province: it is in no commune.
    cv = ev.verdicts("commune_learning_community")
    assert cv.criterion("clans")[0].tolist() == [True, True]
    assert cv.criterion("units")[0].tolist() == [True, True]
    counts = ev.title_counts()["learning_clan"]
    assert counts.unattached == 1 and int(counts.entities.sum()) == 2


# ------------------------------------------------------------- unknown verdicts cascade


def _unknown_citizens() -> ls.Population:
    """Families whose adults' citizen verdicts are unknown, decided, or mixed.

    The citizen rule is ``literate and learning_hours >= 40``: a missing literacy record
    with 50 hours is unknown; with 0 hours it is known false (false and unknown).
    """
    tree = ls.Hierarchy.from_units(
        {
            "code": ["01", "C1", "C2", "C3", "V1", "V2", "V3", "V4"],
            "level": ["province", *["commune"] * 3, *["village"] * 4],
            "parent_code": [None, "01", "01", "01", "C1", "C1", "C2", "C3"],
        },
        levels="vn-2025",
    )

    def adult(pid: str, hh: str, literate: bool | None, hours: int) -> ls.Person:
        return ls.Person(pid, hh, age=40, literate=literate, learning_hours=hours)

    persons = [
        adult("F1-a", "F1", None, 50),  # unknown
        adult("F1-b", "F1", None, 50),  # unknown
        adult("F2-a", "F2", None, 50),  # unknown, and a child out of school:
        ls.Person("F2-c", "F2", age=10, in_school=False, literate=False),
        adult("F3-a", "F3", True, 50),  # citizen
        adult("F3-b", "F3", None, 50),  # unknown
        adult("F4-a", "F4", True, 0),  # not a citizen
        adult("F4-b", "F4", True, 0),  # not a citizen
        adult("F4-c", "F4", None, 50),  # unknown
        adult("F5-a", "F5", True, 50),  # citizen
        adult("F6-a", "F6", None, 0),  # unknown literacy, 0 hours: known not a citizen
        adult("F7-a", "F7", None, 50),  # unknown
    ]
    households = [
        ls.Household("F1", "V1", clan_id="K1"),
        ls.Household("F2", "V3"),
        ls.Household("F3", "V2"),
        ls.Household("F4", "V2"),
        ls.Household("F5", "V3", clan_id="K1"),
        ls.Household("F6", "V3"),
        ls.Household("F7", "V4", clan_id="K2"),
    ]
    clans = [ls.Clan("K1", unit_code="C1"), ls.Clan("K2", unit_code="C3")]
    organisations = [
        ls.Organisation("O1", ls.OrganisationType.AGENCY, "C1", members=("F1-a", "F1-b")),
        ls.Organisation("O2", ls.OrganisationType.AGENCY, "C1", members=("F1-a", "F4-a")),
    ]
    return ls.Population.from_records(
        persons, households, tree, clans=clans, organisations=organisations
    )


UNKNOWN_FAMILY = _title(
    "learning_family",
    "household",
    ("children", "all(members.in_school, where=members.age.between(6, 17))"),
    ("adults", "share(members.learning_citizen, where=members.age >= 15) >= 0.5"),
).replace('expr = "all(', 'on_empty = "pass"\nexpr = "all(')
UNKNOWN_CASCADE = (
    CITIZEN,
    UNKNOWN_FAMILY,
    _title("learning_clan", "clan", ("f", "share(households.learning_family) >= 0.5")),
    _title("learning_community", "village", ("f", "share(households.learning_family) >= 0.5")),
    _title("learning_unit", "organisation", ("m", "share(members.learning_citizen) >= 0.5")),
    _title(
        "commune_learning_community",
        "commune",
        ("v", "share(villages.learning_community) >= 0.5"),
    ),
)


def test_unknown_citizen_verdicts_cascade_as_unknown() -> None:
    """Unknown citizen verdicts make the titles above unknown, not "not granted".

    Worked out by hand (a share skips its unknown members; ``and`` is Kleene's):

    - F1: both adults unknown -> share unknown -> family unknown.
    - F2: its adult unknown, but a child out of school: false and unknown = false.
    - F3: 1 citizen, 1 unknown -> 1 of 1 known >= 0.5 (1 or 2 of 2 alike) -> granted.
    - F4: 0 of 2 known, 1 unknown -> 0 >= 0.5 fails (0 or 1 of 3 alike) -> not granted.
    - F5: 1 of 1 -> granted.  F6: literacy unknown but 0 hours: known no citizen -> 0 of 1.
    - F7: its one adult unknown -> unknown.
    """
    ev = _run(_unknown_citizens(), _book(*UNKNOWN_CASCADE))
    citizens = ev.verdicts("learning_citizen")
    unknown = {
        str(p): bool(u)
        for p, u in zip(ev.population.person_ids.tolist(), citizens.unknown, strict=True)
    }
    assert sorted(p for p, u in unknown.items() if u) == [
        "F1-a", "F1-b", "F2-a", "F3-b", "F4-c", "F7-a",
    ]  # fmt: skip
    v = ev.verdicts("learning_family")
    adults, adults_known = v.criterion("adults")
    #                                F1 F2 F3 F4 F5 F6 F7 (stored order: by village)
    order = [str(i) for i in ev.population.household_ids.tolist()]
    assert order == ["F1", "F3", "F4", "F2", "F5", "F6", "F7"]
    assert adults_known.tolist() == [0, 1, 1, 0, 1, 1, 0]
    assert adults.tolist() == [0, 1, 0, 0, 1, 0, 0]
    assert v.passed.tolist() == [0, 1, 0, 0, 1, 0, 0]
    assert v.unknown.tolist() == [1, 0, 0, 0, 0, 0, 1]  # F1, F7; F2 is decided: false
    # Villages: V1 {F1} unknown; V2 {F3 granted, F4 not} 1 of 2; V3 {F2, F5, F6} 1 of 3;
    # V4 {F7} unknown.
    community = ev.verdicts("learning_community")
    assert community.passed.tolist() == [0, 1, 0, 0]
    assert community.unknown.tolist() == [1, 0, 0, 1]
    # Communes: C1 {V1 unknown, V2 granted}: 1 of 1 known (1 or 2 of 2 alike) -> granted;
    # C2 {V3 not}: 0 of 1; C3 {V4 unknown}: unknown.
    commune = ev.verdicts("commune_learning_community")
    assert commune.passed.tolist() == [1, 0, 0]
    assert commune.unknown.tolist() == [0, 0, 1]
    # Clans (through the gather index): K1 {F1 unknown, F5 granted} -> granted;
    # K2 {F7 unknown} -> unknown.
    clan = ev.verdicts("learning_clan")
    assert clan.passed.tolist() == [1, 0]
    assert clan.unknown.tolist() == [0, 1]
    # Organisations: O1 {F1-a, F1-b} all unknown -> unknown; O2 {F1-a unknown, F4-a not}
    # -> 0 of 1 known: not granted.
    unit = ev.verdicts("learning_unit")
    assert unit.passed.tolist() == [0, 0]
    assert unit.unknown.tolist() == [1, 0]
    counts = {t: (c.passed.sum(), c.unknown.sum()) for t, c in ev.title_counts().items()}
    assert counts["learning_family"] == (2, 2)
    assert counts["learning_community"] == (1, 2)


def test_all_citizen_verdicts_unknown_leave_every_title_above_unknown() -> None:
    """No citizen verdict known: every family with adults, clan, village, unit and commune
    that depends only on them is unknown; a family with no adult is decided by on_empty."""
    persons = [
        ls.Person(f"{h}-{i}", h, age=30, learning_hours=50) for h in ("F1", "F2") for i in (0, 1)
    ]
    persons.append(ls.Person("F3-c", "F3", age=9, in_school=True, literate=False))
    households = [
        ls.Household("F1", "V1", clan_id="K1"),
        ls.Household("F2", "V2", clan_id="K1"),
        ls.Household("F3", "V3"),  # no adult: "adults" fails (on_empty fail): known
    ]
    organisations = [ls.Organisation("O1", ls.OrganisationType.AGENCY, "C1", members=("F1-0",))]
    pop = ls.Population.from_records(
        persons, households, _tree(), clans=[ls.Clan("K1")], organisations=organisations
    )
    ev = _run(pop, _book(*UNKNOWN_CASCADE))
    assert ev.verdicts("learning_citizen").unknown.tolist() == [1, 1, 1, 1, 0]
    family = ev.verdicts("learning_family")
    assert family.unknown.tolist() == [1, 1, 0] and not family.passed.any()
    # V1 {F1}, V2 {F2} unknown; V3 {F3} known not granted (0 of 1).
    assert ev.verdicts("learning_community").unknown.tolist() == [1, 1, 0]
    # C1 {V1, V2} unknown; C2 {V3} not granted.
    assert ev.verdicts("commune_learning_community").unknown.tolist() == [1, 0]
    assert ev.verdicts("learning_clan").unknown.tolist() == [1]
    assert ev.verdicts("learning_unit").unknown.tolist() == [1]
    for title in ("learning_family", "learning_community", "learning_clan", "learning_unit"):
        assert not ev.verdicts(title).passed.any(), title


def test_points_and_grade_of_an_undecided_entity_read_as_unknown() -> None:
    """A title's points and grade, seen from above, are unknown where they could change."""
    unit = """
[titles.learning_unit]
level = "organisation"
label = { vi = "Đơn vị học tập", en = "learning unit" }
rule = "points"
pass_mark = 50
grades = [
    { code = 2, min = 65, id = "good", label = { vi = "Tốt", en = "Good" } },
    { code = 1, min = 50, id = "average", label = { vi = "Trung bình", en = "Average" } },
]
[[titles.learning_unit.versions]]
effective_from = 2016-01-01
[[titles.learning_unit.versions.criteria]]
id = "plan"
label = { vi = "kế hoạch", en = "plan" }
expr = "plan"
points = 60
[[titles.learning_unit.versions.criteria]]
id = "extra"
label = { vi = "thêm", en = "extra" }
expr = "extra"
points = 10
"""
    inputs = """
[inputs.organisation.plan]
kind = "bool"
label = { vi = "kế hoạch", en = "plan" }
[inputs.organisation.extra]
kind = "bool"
label = { vi = "thêm", en = "extra" }
"""
    graded = 'count(organisations, where=organisations.learning_unit_grade >= \\"average\\") >= 1'
    commune = _title(
        "commune_learning_community",
        "commune",
        ("graded", graded),
        ("points", "sum(organisations.learning_unit_points) >= 60"),
    )
    organisations = [
        ls.Organisation("O1", ls.OrganisationType.AGENCY, "C1"),
        ls.Organisation("O2", ls.OrganisationType.AGENCY, "C2"),
        ls.Organisation("O3", ls.OrganisationType.AGENCY, "C2"),
    ]
    pop = ls.Population.from_records(
        [ls.Person("p", "H", age=30)],
        [ls.Household("H", "V1")],
        _tree(),
        organisations=organisations,
    )
    given = {"plan": {"O1": True, "O2": True, "O3": False}, "extra": {"O1": None, "O2": False}}
    ev = _run(pop, _book(inputs, unit, commune), inputs={"organisation": given})
    v = ev.verdicts("learning_unit")
    # O1: 60 sure, 70 possible: granted, "average" or "good": its points and grade are
    # unknown.  O2: 60, all known: "average".  O3: 0 sure, 10 possible: known not granted
    # (grade 0 known), its points unknown.
    assert v.passed.tolist() == [True, True, False] and v.known.all()
    assert v.grade is not None and v.grade.tolist() == [1, 1, 0]
    c = ev.verdicts("commune_learning_community")
    # C1 {O1}: grade and points unknown -> both criteria unknown.
    # C2 {O2, O3}: 1 unit graded "average" or better; points 60 (O3's skipped) >= 60.
    for criterion in ("graded", "points"):
        assert c.criterion(criterion)[0].tolist() == [False, True], criterion
        assert c.criterion(criterion)[1].tolist() == [False, True], criterion
    assert c.unknown.tolist() == [True, False]


# --------------------------------------------------------------------------- points


def test_points_title_with_required_criterion_and_grades() -> None:
    """Points add up; a required criterion gates the title; grades from the bands."""
    unit = """
[titles.learning_unit]
level = "organisation"
label = { vi = "Đơn vị học tập", en = "learning unit" }
rule = "points"
pass_mark = 50
grades = [
    { code = 3, min = 85, id = "good", label = { vi = "Tốt", en = "Good" } },
    { code = 2, min = 70, id = "fair", label = { vi = "Khá", en = "Fair" } },
    { code = 1, min = 50, id = "average", label = { vi = "Trung bình", en = "Average" } },
]
[[titles.learning_unit.versions]]
effective_from = 2016-01-01
[[titles.learning_unit.versions.criteria]]
id = "plan"
label = { vi = "kế hoạch", en = "plan" }
expr = "plan"
points = 35
[[titles.learning_unit.versions.criteria]]
id = "budget"
label = { vi = "ngân sách", en = "budget" }
expr = "budget >= 10"
points = 15
[[titles.learning_unit.versions.criteria]]
id = "citizens"
label = { vi = "công dân", en = "citizens" }
expr = "share(members.learning_citizen) >= 0.5"
points = 35
required = true
[[titles.learning_unit.versions.criteria]]
id = "floor"
label = { vi = "sàn", en = "floor" }
expr = "budget >= 0"
points = 15
"""
    inputs = """
[inputs.organisation.plan]
kind = "bool"
label = { vi = "kế hoạch", en = "plan" }
[inputs.organisation.budget]
kind = "float"
label = { vi = "ngân sách", en = "budget" }
"""
    commune = _title(
        "commune_learning_community",
        "commune",
        ("good", 'any(organisations.learning_unit_grade >= \\"fair\\")'),
    )
    persons = _adults("H", 2, 1)
    organisations = [
        ls.Organisation(f"O{i}", ls.OrganisationType.AGENCY, "C1", members=("H-a0",))
        for i in range(1, 7)
    ]
    organisations[4] = ls.Organisation("O5", ls.OrganisationType.AGENCY, "C2", members=("H-a1",))
    pop = ls.Population.from_records(
        persons, [ls.Household("H", "V1")], _tree(), organisations=organisations
    )
    given = {
        "plan": {"O1": True, "O2": False, "O3": True, "O4": None, "O5": True, "O6": False},
        "budget": np.array([20.0, 10.0, 5.0, 20.0, 20.0, np.nan]),
    }
    ev = _run(pop, _book(inputs, CITIZEN, unit, commune), inputs={"organisation": given})
    v = ev.verdicts("learning_unit")
    # O1: 35+15+35+15 = 100 -> good.  O2: 0+15+35+15 = 65 -> average.
    # O3: 35+0+35+15 = 85 -> good (exactly at the band).  O4: plan unknown: 65 sure,
    # 100 possible -> granted (65 >= 50), grade from the sure points: average.
    # O5: 35+15+0+15 = 65, but its member is no learning citizen: the required one fails.
    # O6: budget missing, plan false: 35 sure, up to 65 -> unknown.
    assert v.points is not None and v.points.tolist() == [100, 65, 85, 65, 65, 35]
    assert v.points.dtype == np.int16  # whole points adding up to 100
    assert v.passed.tolist() == [True, True, True, True, False, False]
    assert v.known.tolist() == [True, True, True, True, True, False]
    assert v.grade is not None and v.grade.dtype == np.int8
    assert v.grade.tolist() == [3, 1, 3, 1, 0, 0]
    assert ev.titles("learning_unit").tolist() == [3, 1, 3, 1, 0, 0]
    assert ev.titles("commune").tolist() == [True, False]
    grades = ev.summary().rows[1].grades
    assert [(code, n) for code, _, _, n in grades] == [(3, 2), (2, 0), (1, 2)]


# ------------------------------------------------------------------------ dates


def _dated_book() -> Any:
    return _book(
        """
[parameters.needed]
label = { vi = "t", en = "t" }
values = [{ from = 2016-01-01, value = 0.5 }, { from = 2021-01-01, value = 1, to = 2025-12-31 }]
""",
        CITIZEN,
        """
[titles.learning_family]
level = "household"
label = { vi = "f", en = "f" }
[[titles.learning_family.versions]]
effective_from = 2016-01-01
effective_to = 2020-12-31
[[titles.learning_family.versions.criteria]]
id = "old"
label = { vi = "o", en = "o" }
expr = "any(members.literate)"
[[titles.learning_family.versions]]
effective_from = 2021-01-01
effective_to = 2026-12-31
[[titles.learning_family.versions.criteria]]
id = "new"
label = { vi = "n", en = "n" }
expr = "share(members.learning_citizen) >= needed"
""",
    )


def test_as_of_picks_the_version_and_parameter_in_force() -> None:
    """The same household passes under the old criteria, then the new, then not."""
    pop = ls.Population.from_records(_adults("H", 2, 1), [ls.Household("H", "V1")], _tree())
    book = _dated_book()
    assert _run(pop, book, "2020-12-31").verdicts("learning_family").version.start.year == 2016
    assert _run(pop, book, "2020-12-31").titles("household").tolist() == [True]
    ev = _run(pop, book, dt.date(2021, 1, 1))
    assert ev.verdicts("learning_family").criteria[0].id == "new"
    assert ev.titles("household").tolist() == [False]  # 1 of 2 < 1
    with pytest.warns(RulebookWarning, match=r"parameter 'needed': its last value \(1.0, from"):
        ev = evaluate(pop, book, "2026-06-30")
    assert ev.warnings == (
        "parameter 'needed': its last value (1.0, from 2021-01-01) ends on 2025-12-31; "
        "used on 2026-06-30",
    )
    with pytest.warns(RulebookWarning) as caught:
        evaluate(pop, book, "2027-01-01")
    assert [str(w.message) for w in caught] == [
        "title 'learning_family': its last version (from 2021-01-01) ends on 2026-12-31; "
        "used on 2027-01-01",
        "parameter 'needed': its last value (1.0, from 2021-01-01) ends on 2025-12-31; "
        "used on 2027-01-01",
    ]
    # In Vietnamese the dates are written as the other warnings write them (they were
    # ISO dates in a Vietnamese sentence: "từ ngày 2021-01-01").
    said = [w.message.localized("vi") for w in caught]  # type: ignore[union-attr]
    assert said[0] == (
        "danh hiệu 'learning_family': phiên bản cuối cùng (từ ngày 01/01/2021) hết hiệu lực "
        "ngày 31/12/2026; được dùng vào ngày 01/01/2027"
    )
    assert "(1.0, từ ngày 01/01/2021)" in said[1]
    assert "31/12/2025" in said[1] and "01/01/2027" in said[1]
    with pytest.raises(RulebookError, match="applies from 2016-01-01"):
        evaluate(pop, book, "2015-12-31")
    with pytest.raises(ls.LearnsocError, match="as_of must be a date"):
        evaluate(pop, book, "12/31/2025")


# ------------------------------------------------------------------------ inputs


@pytest.mark.filterwarnings("ignore::learnsoc.HierarchyDateWarning")  # old dates, new tree
def test_missing_input_warns_and_reads_as_unknown() -> None:
    """An input given nowhere is unknown for everyone, with a warning naming it."""
    book = _book(
        """
[inputs.household.results_good]
kind = "bool"
label = { vi = "t", en = "t" }
""",
        _title("learning_family", "household", ("results", "results_good")),
    )
    pop = ls.Population.from_records(_adults("H", 1, 1), [ls.Household("H", "V1")], _tree())
    with pytest.warns(MissingInputWarning, match=r"no data for .*\(household\.results_good\)"):
        ev = evaluate(pop, book, "2025-01-01")
    assert ev.missing_inputs == (("household", "results_good"),)
    v = ev.verdicts("learning_family")
    assert (v.passed.tolist(), v.known.tolist()) == ([False], [False])
    ev = _run(pop, book, inputs={"household": {"results_good": {"H": True}}})
    assert ev.titles("household").tolist() == [True]


def test_inputs_in_the_population_schema() -> None:
    """Inputs stored as population columns (built with book.schema()) are read as flags."""
    book = _book(
        """
[inputs.household.results_good]
kind = "bool"
label = { vi = "t", en = "t" }
""",
        _title("learning_family", "household", ("results", "results_good")),
    )
    h = _tree()
    pop = ls.Population.from_columns(
        persons={"person_id": [1, 2, 3], "household_id": [1, 2, 3], "age": [30, 30, 30]},
        households={
            "household_id": [1, 2, 3],
            "unit_code": ["V1", "V1", "V2"],
            "results_good": [1, 0, None],
        },
        hierarchy=h,
        schema=book.schema(),
    )
    v = _run(pop, book).verdicts("learning_family")
    assert v.passed.tolist() == [True, False, False]
    assert v.known.tolist() == [True, True, False]


def test_bad_inputs_are_schema_errors() -> None:
    """Inputs of the wrong length, with unknown ids or outside their codes are refused."""
    book = _book(
        """
[inputs.village.level]
kind = "code"
codes = { low = 1, high = 2 }
label = { vi = "t", en = "t" }
[inputs.village.score]
kind = "int"
range = [0, 10]
label = { vi = "t", en = "t" }
""",
        _title("learning_community", "village", ("l", 'level == \\"high\\" and score > 2')),
    )
    pop = ls.Population.from_records(_adults("H", 1, 1), [ls.Household("H", "V1")], _tree())
    score = {"V1": 3, "V2": 4, "V3": 5}
    with pytest.raises(SchemaError, match="expected \\(3,\\)"):
        _run(pop, book, inputs={"village": {"level": [1, 2], "score": score}})
    with pytest.raises(SchemaError, match="unknown id"):
        _run(pop, book, inputs={"village": {"level": {"V9": 1}, "score": score}})
    with pytest.raises(SchemaError, match="not one of its codes"):
        _run(pop, book, inputs={"village": {"level": [1, 2, 3], "score": score}})
    with pytest.raises(SchemaError, match=r"outside its range 0\.\.10"):
        _run(pop, book, inputs={"village": {"level": [1, 2, 2], "score": [1, 11, 2]}})
    with pytest.raises(SchemaError, match="no such level"):
        _run(pop, book, inputs={"vilage": {}})
    ev = _run(pop, book, inputs={"village": {"level": [2, 2, None], "score": score}})
    v = ev.verdicts("learning_community")
    assert v.passed.tolist() == [True, True, False]
    assert v.known.tolist() == [True, True, False]


# ------------------------------------------------------------------ structure & lookups


def test_levels_missing_from_the_hierarchy_are_skipped() -> None:
    """On the 2025 tree a district title is skipped, and so is what needs it."""
    district = _title("learning_district", "district", ("c", "count(households) >= 1"))
    province = _title("learning_province", "province", ("d", "all(districts.learning_district)"))
    city = _title("learning_city", "province", ("d", "all(children.learning_district)"))
    commune = _title("commune_learning_community", "commune", ("h", "count(households) >= 1"))
    book = _book(CITIZEN, district, province, city, commune)
    pop = ls.Population.from_records(_adults("H", 1, 1), [ls.Household("H", "V1")], _tree())
    ev = _run(pop, book)
    assert set(ev.skipped) == {"learning_district", "learning_province", "learning_city"}
    assert ev.skipped["learning_district"] == "the population's hierarchy has no level 'district'"
    assert ev.skipped["learning_province"] == (
        "it aggregates over 'districts', which this hierarchy does not have"
    )
    # children of a province are districts in the rulebook, communes on this tree.
    assert ev.skipped["learning_city"].startswith("it does not fit this hierarchy: ")
    assert "unknown commune name 'learning_district'" in ev.skipped["learning_city"]
    assert ev.titles("commune").tolist() == [True, False]
    with pytest.raises(RulebookError, match="was not evaluated: the population's hierarchy"):
        ev.titles("learning_district")


def test_skipped_titles_are_said_in_the_notebook_language() -> None:
    """The notebook table of a Vietnamese evaluation said why in English (not evaluated)."""
    district = _title("learning_district", "district", ("c", "count(households) >= 1"))
    province = _title("learning_province", "province", ("d", "all(districts.learning_district)"))
    book = _book(CITIZEN, district, province)
    pop = ls.Population.from_records(_adults("H", 1, 1), [ls.Household("H", "V1")], _tree())
    ev = _run(pop, book)
    with ls.use_locale("vi"):
        html = ev._repr_html_()
    assert "hệ thống đơn vị hành chính của số liệu không có cấp huyện</li>" in html
    assert "tổng hợp theo &#x27;districts&#x27;" in html
    assert "hierarchy" not in html
    with ls.use_locale("en"):
        english = ev._repr_html_()
    assert "the population&#x27;s hierarchy has no level &#x27;district&#x27;" in english
    # ev.skipped keeps its English text for scripts.
    assert ev.skipped["learning_district"] == "the population's hierarchy has no level 'district'"


def test_dates_in_a_skipped_title_s_reason_are_written_as_vietnamese_documents_do() -> None:
    """A reason's dates were ISO (2025-07-01) in the Vietnamese table; now 01/7/2025."""
    from learnsoc._messages import Message

    district = _title("learning_district", "district", ("c", "count(households) >= 1"))
    pop = ls.Population.from_records(_adults("H", 1, 1), [ls.Household("H", "V1")], _tree())
    ev = _run(pop, _book(CITIZEN, district))
    reason = Message(
        "title {id!r}: its version (from {start}) ends on {end}; used on {as_of}",
        id="learning_district",
        start=dt.date(2016, 1, 1),
        end=dt.date(2025, 6, 30),
        as_of=dt.date(2025, 7, 1),
    )
    ev = attrs.evolve(ev, skip_reasons={"learning_district": reason})
    with ls.use_locale("vi"):
        html = ev._repr_html_()
    assert (
        "danh hiệu &#x27;learning_district&#x27;: phiên bản (từ ngày 01/01/2016) hết hiệu lực "
        "ngày 30/6/2025; được dùng vào ngày 01/7/2025"
    ) in html
    with ls.use_locale("en"):
        english = ev._repr_html_()
    assert "(from 2016-01-01) ends on 2025-06-30; used on 2025-07-01" in english


def test_a_title_that_does_not_fit_the_tree_is_said_wholly_in_vietnamese() -> None:
    """The reason embedded the English error ("unknown commune name ...") in Vietnamese."""
    district = _title("learning_district", "district", ("c", "count(households) >= 1"))
    city = _title("learning_city", "province", ("d", "all(children.learning_district)"))
    pop = ls.Population.from_records(_adults("H", 1, 1), [ls.Household("H", "V1")], _tree())
    ev = _run(pop, _book(CITIZEN, district, city))
    # English is as it was, for scripts.
    assert "unknown commune name 'learning_district'" in ev.skipped["learning_city"]
    with ls.use_locale("vi"):
        html = ev._repr_html_()
    assert (
        "<li>learning_city vi (learning_city): tiêu chí không phù hợp với hệ thống đơn vị hành "
        "chính này: t.toml:42:13: không có tên &#x27;learning_district&#x27; của cấp xã trong "
        "&#x27;children.learning_district&#x27;</li>"
    ) in html
    # The district title is skipped for a level the tree lacks, named as Vietnamese does.
    assert "không có cấp huyện</li>" in html


def test_asking_for_a_skipped_title_says_why_in_the_error_s_language() -> None:
    """str(err) in Vietnamese embedded the English reason of the skip."""
    district = _title("learning_district", "district", ("c", "count(households) >= 1"))
    pop = ls.Population.from_records(_adults("H", 1, 1), [ls.Household("H", "V1")], _tree())
    ev = _run(pop, _book(CITIZEN, district))
    with pytest.raises(RulebookError) as caught:
        ev.titles("learning_district")
    err = caught.value
    assert err.english() == (
        "title 'learning_district' was not evaluated: "
        "the population's hierarchy has no level 'district'"
    )
    assert err.localized("vi") == (
        "danh hiệu 'learning_district' chưa được xét: "
        "hệ thống đơn vị hành chính của số liệu không có cấp huyện"
    )


def test_what_was_used_past_its_end_date_is_listed_in_vietnamese() -> None:
    """The notebook list was English with ISO dates under a Vietnamese table."""
    head = HEAD.replace(
        "effective_from = 2016-01-01", "effective_from = 2016-01-01\neffective_to = 2020-12-31"
    )
    book = parse_rulebook(head + CITIZEN, file="t.toml")
    pop = ls.Population.from_records(_adults("H", 1, 1), [ls.Household("H", "V1")], _tree())
    with pytest.warns(RulebookWarning):
        ev = evaluate(pop, book, "2025-12-31")
    assert ev.warnings == ("rulebook 't' ends on 2020-12-31; used on 2025-12-31",)
    with ls.use_locale("vi"):
        html = ev._repr_html_()
    said = html.split("áp dụng quá thời hạn hiệu lực:</p><ul><li>")[1].split("</li>")[0]
    assert (
        said
        == "bộ tiêu chí &#x27;t&#x27; hết hiệu lực ngày 31/12/2020; được dùng vào ngày 31/12/2025"
    )
    english = ev.to_html("en")
    assert "ends on 2020-12-31; used on 2025-12-31" in english


def test_rollup_adds_title_counts_up_the_tree() -> None:
    """ev.rollup() counts granted / assessed / unknown at every level, from the same run."""
    ev = _run(_families(), _book(CITIZEN, FAMILY))
    roll = ev.rollup()
    villages = roll.level("village")
    assert villages.codes().tolist() == ["V1", "V2", "V3"]
    assert villages.counts["learning_family"].tolist() == [2, 1, 0]
    assert villages.counts["learning_family_assessed"].tolist() == [4, 4, 1]
    assert villages.counts["learning_family_unknown"].tolist() == [0, 2, 0]
    communes = roll.level("commune")
    assert communes.counts["learning_family"].tolist() == [3, 0]
    total = roll.level("total")
    rate = total.rate("learning_family")
    # Of the 9 assessed, 2 are unknown: the rate is of the 7 decided, as the summary counts.
    assert (int(rate.numerator[0]), int(rate.denominator[0]), int(rate.missing[0])) == (3, 7, 2)
    assert int(total.counts["learning_citizen"][0]) == 18
    counts = ev.title_counts()["learning_family"]
    assert int(counts.passed.sum()) == 3 and int(counts.assessed.sum()) == 9


def test_lookups_failing_and_errors() -> None:
    """titles() by id or level, failing() ids, and helpful errors."""
    ev = _run(_families(), _book(CITIZEN, FAMILY))
    assert ev.titles("learning_family").tolist() == ev.titles("household").tolist()
    assert ev.failing("household").tolist() == ["H2", "H4", "H5", "H9"]
    assert ev.failing("household", unknown=True).tolist() == ["H6", "H8"]
    assert ev.failing("learning_family", criterion="children").tolist() == ["H5"]
    assert ev.failing("learning_family", criterion="children", unknown=True).tolist() == ["H6"]
    assert ev.index_of("household", "H3") == 2
    with pytest.raises(RulebookError, match="did you mean 'learning_family'"):
        ev.titles("learning_famliy")
    with pytest.raises(RulebookError, match="did you mean 'children'"):
        ev.failing("household", criterion="childern")
    with pytest.raises(UnknownIdError):
        ev.index_of("household", "nope")
    two = _run(_families(), _book(CITIZEN, FAMILY.replace("learning_family", "f2"), FAMILY))
    with pytest.raises(RulebookError, match="level 'household' has 2 titles"):
        two.titles("household")


def test_trace_off_gives_the_same_verdicts() -> None:
    """trace=False keeps verdicts and bits, only the numbers are not kept."""
    book = load_rulebook("example")
    pop = ls.synthetic_population(persons=2_000, seed=11, hierarchy="vn-pre-2025")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingInputWarning)
        # The last day of the tree with districts (after it, a HierarchyDateWarning).
        full = evaluate(pop, book, "2025-06-30")
        lean = evaluate(pop, book, "2025-06-30", trace=False)
    assert full.numbers and not lean.numbers
    for title_id, v in full.verdicts_by_title.items():
        w = lean.verdicts(title_id)
        assert np.array_equal(v.passed, w.passed) and np.array_equal(v.known, w.known)
        assert np.array_equal(v.passed_bits, w.passed_bits)
        assert np.array_equal(v.known_bits, w.known_bits)


def test_results_are_read_only() -> None:
    """Verdict arrays cannot be modified."""
    v = _run(_families(), _book(CITIZEN, FAMILY)).verdicts("learning_family")
    with pytest.raises(ValueError, match="read-only"):
        v.passed[0] = False


# ---------------------------------------------------------------- reference comparison


def _agree(ev: Evaluation, reference: dict[str, Any]) -> None:
    assert set(reference) == set(ev.verdicts_by_title)
    for title_id, expected in reference.items():
        v = ev.verdicts(title_id)
        assert v.assessed.tolist() == [r.assessed for r in expected], title_id
        assert v.passed.tolist() == [r.passed for r in expected], title_id
        assert v.known.tolist() == [r.known for r in expected], title_id
        for j, criterion in enumerate(v.criteria):
            passed, known = v.criterion(criterion.id)
            assert passed.tolist() == [r.criteria[j] is True for r in expected], criterion.id
            assert known.tolist() == [r.criteria[j] is not None for r in expected], criterion.id
        if v.points is not None:
            assert v.points.tolist() == [r.points for r in expected]
        if v.grade is not None:
            assert v.grade.tolist() == [r.grade for r in expected]
        # Which entities an aggregate decided without some member's data, and of them the
        # decided verdicts the summary counts as resting on partial data.
        skipped = [r.skipped for r in expected]
        got = [False] * len(v) if v.skipped_members is None else v.skipped_members.tolist()
        assert got == skipped, title_id
        decided = [r.skipped and r.assessed and r.known for r in expected]
        assert v.partial_data.tolist() == decided, title_id
        rows = {row.title: row for row in ev.summary().rows}
        assert rows[title_id].partial_data == sum(decided), title_id
        pairs = zip(expected, decided, strict=True)
        levels = {lv for r, d in pairs if d for lv in r.skipped_levels}
        assert v.partial_members() == rows[title_id].partial_members == tuple(sorted(levels))


@pytest.mark.parametrize("as_of", ["2018-06-30", "2025-12-31"])
def test_example_rulebook_agrees_with_the_reference(as_of: str) -> None:
    """The bundled example on a synthetic population: engine == slow reference."""
    pop = ls.synthetic_population(persons=1_500, seed=4, hierarchy="vn-pre-2025")
    rng = np.random.default_rng(1)
    inputs: dict[str, dict[str, Any]] = {
        "household": {
            "children_results_good": rng.choice([0, 1, 255], pop.n_households).astype(np.uint8)
        },
        "organisation": {
            "learning_plan": rng.choice([0.0, 1.0, np.nan], pop.n_organisations),
            "study_plan_share": rng.choice([0.5, 1.0, np.nan], pop.n_organisations),
        },
        "village": {
            "learning_week_held": {
                str(c): bool(rng.integers(2)) for c in pop.hierarchy.codes_at("village")
            }
        },
    }
    book = load_rulebook("example")
    ev = _run(pop, book, as_of, inputs=inputs)
    reference = reference_evaluate(pop, book, dt.date.fromisoformat(as_of), inputs)
    _agree(ev, reference)
    # Some verdicts were decided on the members with data: the counts are not all zeros.
    assert any(r.skipped and r.known and r.assessed for rs in reference.values() for r in rs)


# Random rulebooks: criteria drawn from templates over every level and collection.
_PERSON = [
    "literate",
    "age >= {age}",
    "learning_hours >= {hours} or self_study",
    'qualification >= "college"',
    "not in_school and age.between(6, 17)",
    'sex == "female" and digital_skills',
    "age >= min_age",
]
_HOUSEHOLD = [
    "share(members.learning_citizen, where=members.age >= {age}) >= {share}",
    "all(members.in_school, where=members.age.between(6, 17))",
    "any(members.digital_skills)",
    "count(members, where=members.literate) >= {count}",
    "mean(members.learning_hours) >= {hours}",
    "max(members.age) >= {age} and registered",
    "share(members.keen) >= needed",
    "sum(members.learning_hours, where=members.age >= min_age) > {hours}",
]
_CLAN = [
    "share(households.learning_family) >= {share}",
    "count(members, where=members.learning_citizen) >= {count}",
    "registered",
]
_ORGANISATION = [
    "share(members.learning_citizen) >= {share}",
    "any(members.keen) or registered",
    'organisation_type == "school"',
]
_VILLAGE = [
    "share(households.learning_family) >= {share}",
    "count(persons, where=persons.learning_citizen) >= {count}",
    "any(clans.learning_clan)",
    "share(organisations.learning_unit) >= {share}",
]
_COMMUNE = [
    "share(villages.learning_community) >= {share}",
    "all(children.learning_community)",
    "count(organisations, where=organisations.learning_unit) >= {count}",
    "share(households.learning_family, where=households.registered) >= {share}",
]
_TEMPLATES = {
    "person": ("learning_citizen", _PERSON),
    "household": ("learning_family", _HOUSEHOLD),
    "clan": ("learning_clan", _CLAN),
    "organisation": ("learning_unit", _ORGANISATION),
    "village": ("learning_community", _VILLAGE),
    "commune": ("commune_learning_community", _COMMUNE),
}


@st.composite
def rulebooks(draw: st.DrawFn) -> str:
    """A random small rulebook over every level, within the grammar."""
    parts = [
        HEAD,
        f"""
[parameters.min_age]
label = {{ vi = "t", en = "t" }}
value = {draw(st.integers(0, 60))}
[parameters.needed]
label = {{ vi = "t", en = "t" }}
value = {draw(st.sampled_from([0, 0.25, 0.5, 0.7, 1]))}
[derived.person.keen]
expr = "learning_citizen and age >= min_age"
""",
    ]
    for level, (tid, templates) in _TEMPLATES.items():
        chosen = draw(st.lists(st.sampled_from(templates), min_size=1, max_size=3))
        rule = draw(st.sampled_from(["all", "points"]))
        head = ""
        if rule == "points":
            head = f'rule = "points"\npass_mark = {draw(st.integers(0, 30))}\n'
            head += 'grades = [{ code = 2, min = 20, label = { vi = "a", en = "a" } }, '
            head += '{ code = 1, min = 10, label = { vi = "b", en = "b" } }]\n'
        if level in ("household", "clan", "organisation") and draw(st.booleans()):
            head += 'eligible = "registered"\n'
        text = f"""
[titles.{tid}]
level = "{level}"
label = {{ vi = "t", en = "t" }}
{head}
[[titles.{tid}.versions]]
effective_from = 2016-01-01
"""
        for i, template in enumerate(chosen):
            expr = template.format(
                age=draw(st.integers(0, 70)),
                hours=draw(st.integers(0, 60)),
                share=draw(st.sampled_from([0, 0.3, 0.5, 2 / 3, 0.7, 1])),
                count=draw(st.integers(0, 4)),
            )
            quoted = expr.replace('"', "'")
            policy = draw(st.sampled_from(["pass", "fail", "unknown"]))
            text += f"""
[[titles.{tid}.versions.criteria]]
id = "c{i}"
label = {{ vi = "c", en = "c" }}
expr = "{quoted}"
on_empty = "{policy}"
"""
            if rule == "points":
                text += f"points = {draw(st.integers(0, 20))}\n"
                text += f"required = {str(draw(st.booleans())).lower()}\n"
        parts.append(text)
    return "".join(parts)


def _flags(draw: st.DrawFn, n: int) -> np.ndarray[Any, Any]:
    return np.array(draw(st.lists(st.sampled_from([0, 1, 255]), min_size=n, max_size=n)), np.uint8)


@st.composite
def populations(draw: st.DrawFn) -> ls.Population:
    """A random small population on the test tree, with missing values, clans and units."""
    n_households = draw(st.integers(1, 8))
    n_persons = draw(st.integers(0, 20))
    villages = ["V1", "V2", "V3"]
    units = ["01", "C1", "C2", *villages]
    hh_village = draw(
        st.lists(st.sampled_from(villages), min_size=n_households, max_size=n_households)
    )
    n_clans = draw(st.integers(0, 3))
    hh_clan = draw(
        st.lists(
            st.sampled_from([None] + [f"K{k}" for k in range(n_clans)]),
            min_size=n_households,
            max_size=n_households,
        )
    )
    persons = {
        "person_id": np.arange(n_persons),
        "household_id": np.array(
            draw(
                st.lists(st.integers(0, n_households - 1), min_size=n_persons, max_size=n_persons)
            ),
            np.int64,
        ),
        "age": np.array(
            draw(st.lists(st.integers(0, 90), min_size=n_persons, max_size=n_persons)), np.uint8
        ),
        "literate": _flags(draw, n_persons),
        "in_school": _flags(draw, n_persons),
        "self_study": _flags(draw, n_persons),
        "digital_skills": _flags(draw, n_persons),
        "sex": np.array(
            draw(st.lists(st.sampled_from([1, 2, 255]), min_size=n_persons, max_size=n_persons)),
            np.uint8,
        ),
        "qualification": np.array(
            draw(
                st.lists(st.sampled_from([0, 1, 3, 4, 255]), min_size=n_persons, max_size=n_persons)
            ),
            np.uint8,
        ),
        "learning_hours": np.array(
            draw(
                st.lists(
                    st.sampled_from([0, 20, 40, 65535]), min_size=n_persons, max_size=n_persons
                )
            ),
            np.uint16,
        ),
    }
    households = {
        "household_id": np.arange(n_households),
        "unit_code": np.array(hh_village),
        "clan_id": np.array([c if c is not None else "" for c in hh_clan], dtype=object),
        "registered": _flags(draw, n_households),
    }
    clans = {
        "clan_id": np.array([f"K{k}" for k in range(n_clans)] or [], dtype=object),
        "unit_code": np.array(
            draw(st.lists(st.sampled_from(["", *units]), min_size=n_clans, max_size=n_clans)),
            dtype=object,
        ),
        "registered": _flags(draw, n_clans),
    }
    n_orgs = draw(st.integers(0, 3))
    organisations = {
        "organisation_id": np.arange(n_orgs),
        "organisation_type": np.array(
            draw(st.lists(st.sampled_from([1, 2]), min_size=n_orgs, max_size=n_orgs)), np.uint8
        ),
        "unit_code": np.array(
            draw(st.lists(st.sampled_from(units), min_size=n_orgs, max_size=n_orgs))
        ),
        "registered": _flags(draw, n_orgs),
    }
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, max(n_orgs - 1, 0)), st.integers(0, max(n_persons - 1, 0))),
            max_size=12 if n_orgs and n_persons else 0,
            unique=True,
        )
    )
    memberships = {
        "organisation_id": np.array([o for o, _ in pairs], np.int64),
        "person_id": np.array([p for _, p in pairs], np.int64),
    }
    return ls.Population.from_columns(
        persons,
        households,
        _tree(),
        clans=clans,
        organisations=organisations,
        memberships=memberships,
        strict=True,
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pop=populations(), text=rulebooks())
def test_engine_agrees_with_the_reference(pop: ls.Population, text: str) -> None:
    """Random populations x random rulebooks: entity by entity, engine == reference."""
    book = parse_rulebook(text, file="random.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingInputWarning)
        ev = evaluate(pop, book, "2025-12-31")
    _agree(ev, reference_evaluate(pop, book, dt.date(2025, 12, 31)))


@settings(max_examples=50, deadline=None)
@given(
    codes=st.lists(st.integers(0, 2**40), max_size=300) | st.lists(st.integers(0, 5), max_size=300)
)
def test_stable_order_is_a_stable_sort(codes: list[int]) -> None:
    """The radix order used to gather clans and organisations equals a stable argsort."""
    from learnsoc.rules.context import _stable_order

    array = np.array(codes, dtype=np.int64)
    expected = np.argsort(array, kind="stable")
    assert _stable_order(array).tolist() == expected.tolist()


@pytest.mark.parametrize("big", [100, 40_000])  # counted in int16 rows, and in int32 rows
def test_share_and_count_of_a_very_large_household(big: int) -> None:
    """Counts are kept in rows as narrow as the largest household allows; exact either way."""
    book = _book(
        _title("learning_citizen", "person", ("lit", "literate")),
        _title(
            "learning_family",
            "household",
            ("share", "share(members.learning_citizen, where=members.age >= 15) >= 0.75"),
            ("adults", "count(members, where=members.age >= 15) >= 3"),
        ),
    )
    # Household 1: `big` adults, three quarters literate exactly; 2: a quarter plus one short.
    n1, n2 = big, 8
    literate = np.r_[np.arange(n1) < n1 * 3 // 4, np.arange(n2) < 5]
    pop = ls.Population.from_columns(
        persons={
            "person_id": np.arange(n1 + n2),
            "household_id": np.r_[np.ones(n1, int), np.full(n2, 2)],
            "age": np.full(n1 + n2, 30),
            "literate": literate.astype(int),
        },
        households={"household_id": [1, 2], "unit_code": ["V1", "V2"]},
        hierarchy=_tree(),
    )
    ev = _run(pop, book)
    assert ev.titles("learning_family").tolist() == [True, False]
    explained = str(ev.explain("learning_family", 1, locale="en"))
    assert f"{n1 * 3 // 4}" in explained.replace(",", "")
    assert _count_dtype(n1) is (np.int16 if big < 2**15 else np.int32)
    assert _count_dtype(2**31) is np.int64


def test_points_keep_their_fractions_and_whole_points_their_range() -> None:
    """A literate and an illiterate person: the points column of the verdicts."""
    pop = ls.Population.from_columns(
        persons={
            "person_id": [1, 2],
            "household_id": [1, 1],
            "age": [30, 30],
            "literate": [1, 0],
        },
        households={"household_id": [1], "unit_code": ["V1"]},
        hierarchy=_tree(),
    )

    def points_of(values: list[float]) -> Any:
        criteria = "".join(
            f"""
[[titles.t.versions.criteria]]
id = "c{i}"
label = {{ vi = "c", en = "c" }}
expr = "literate"
points = {p}
"""
            for i, p in enumerate(values)
        )
        text = f"""
[titles.t]
level = "person"
label = {{ vi = "t", en = "t" }}
rule = "points"
pass_mark = 1
[[titles.t.versions]]
effective_from = 2016-01-01
{criteria}"""
        return _run(pop, _book(text)).verdicts("t").points

    half = points_of([2.5, 1.0])
    assert half.dtype == np.float64 and half.tolist() == [3.5, 0.0]
    big = points_of([30_000.0, 30_000.0])
    assert big.dtype == np.int32 and big.tolist() == [60_000, 0]
    small = points_of([40.0, 60.0])
    assert small.dtype == np.int16 and small.tolist() == [100, 0]


def test_a_title_drops_a_column_once_its_last_criterion_has_read_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Criteria come one at a time: a column only the first reads goes before the second."""
    from learnsoc.rules import engine
    from learnsoc.rules.context import PopulationContext

    events: list[str] = []
    forget = PopulationContext.forget
    add = engine._Tally.add

    def logged_forget(self: PopulationContext, level: str, name: str) -> None:
        events.append(f"forget {name}")
        forget(self, level, name)

    def logged_add(self: Any, j: int, ok: Any, known: Any) -> None:
        events.append(f"criterion {j}")
        add(self, j, ok, known)

    monkeypatch.setattr(PopulationContext, "forget", logged_forget)
    monkeypatch.setattr(engine._Tally, "add", logged_add)
    book = _book(
        _title(
            "learning_citizen",
            "person",
            ("a", "literate"),
            ("b", "digital_skills"),
            ("c", "literate or life_skills"),
        )
    )
    pop = ls.Population.from_columns(
        persons={
            "person_id": [1, 2],
            "household_id": [1, 1],
            "age": [30, 40],
            "literate": [1, None],
            "digital_skills": [1, 0],
            "life_skills": [0, 1],
        },
        households={"household_id": [1], "unit_code": ["V1"]},
        hierarchy=_tree(),
    )
    ev = _run(pop, book)
    assert ev.titles("learning_citizen").tolist() == [True, False]
    # digital_skills goes right after criterion 1; literate only after criterion 2.
    at = events.index
    assert at("criterion 1") < at("forget digital_skills") < at("criterion 2")
    assert at("criterion 2") < at("forget literate")
    assert at("criterion 2") < at("forget life_skills")


def test_evaluate_takes_a_bundled_rulebook_by_name() -> None:
    """``ls.evaluate(pop, "example", ...)`` is the loaded rulebook's evaluation (as
    ``evaluate_dataset`` takes a name); an unknown name is a RulebookError with a hint."""
    pop = ls.synthetic_population(persons=300, seed=5)
    inputs = ls.synthetic_inputs(pop, ls.load_rulebook("example"), seed=1)
    by_name = ls.evaluate(pop, "example", "2025-12-31", inputs=inputs)
    loaded = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31", inputs=inputs)
    assert by_name.summary() == loaded.summary()
    with pytest.raises(RulebookError, match="example"):
        ls.evaluate(pop, "exampel", "2025-12-31")


def test_title_counts_per_unit_match_a_count_by_unit() -> None:
    """Each unit's entities, assessed, granted and unknown, counted member by member."""
    pop = ls.synthetic_population(persons=4_000, seed=11)
    book = ls.load_rulebook("example")
    ev = ls.evaluate(pop, book, "2025-12-31", inputs=ls.synthetic_inputs(pop, book, seed=3))
    h = pop.hierarchy
    leaf = int(h.starts[h.n_levels - 1]) + pop.household_unit.astype(np.int64)
    unit_of = {"household": leaf, "person": leaf[pop.person_household]}
    counts = ev.title_counts()
    checked = 0
    for title, v in ev.verdicts_by_title.items():
        if v.level not in unit_of:
            continue
        unit = unit_of[v.level]
        got = counts[title]
        assert got.entities.tolist() == np.bincount(unit, minlength=len(h)).tolist()
        for field in ("assessed", "passed", "unknown"):
            mask = getattr(v, field)
            expected = np.bincount(unit, weights=mask, minlength=len(h)).astype(int)
            assert getattr(got, field).tolist() == expected.tolist(), (title, field)
        checked += 1
    assert checked >= 2
