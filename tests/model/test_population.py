from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.errors import DataError, SchemaError, UnknownIdError
from tests.strategies import FLAGS, permute, population_columns
from tests.trees import two_level

H = ls.synthetic_hierarchy(villages=3, seed=11)
V1, V2, V3 = (str(c) for c in H.codes_at("village"))
COMMUNE = str(H.codes_at("commune")[0])


def build(persons: dict[str, Any], households: dict[str, Any], **kw: Any) -> ls.Population:
    return ls.Population.from_columns(persons, households, H, **kw)


def problems(pop: ls.Population, table: str) -> list[tuple[int, str, str]]:
    return [(r.row, r.column, r.reason) for r in pop.rejects.records() if r.table == table]


def test_three_ways_give_the_same_population() -> None:
    records = [
        ls.Person("p1", "h1", age=40, sex=ls.Sex.FEMALE, literate=True, learning_hours=45),
        ls.Person("p2", "h1", age=12, in_school=True, qualification=ls.Qualification.NONE),
        ls.Person("p3", "h2", age=70, literate=False),
    ]
    households = [ls.Household("h1", V1, clan_id="K"), ls.Household("h2", V2, registered=True)]
    orgs = [ls.Organisation("o1", ls.OrganisationType.SCHOOL, COMMUNE, members=("p1", "p3"))]
    from_records = ls.Population.from_records(records, households, H, organisations=orgs)
    from_columns = ls.Population.from_columns(
        {
            "person_id": ["p3", "p1", "p2"],
            "household_id": ["h2", "h1", "h1"],
            "age": [70, 40, 12],
            "sex": [None, 2, None],
            "literate": [0, 1, None],
            "learning_hours": [None, 45, None],
            "in_school": [None, None, 1],
            "qualification": [None, None, 0],
        },
        {"household_id": ["h2", "h1"], "unit_code": [V2, V1], "clan_id": [None, "K"],
         "registered": [1, None]},
        H,
        organisations={"organisation_id": ["o1"], "organisation_type": [2], "unit_code": [COMMUNE]},
        memberships={"organisation_id": ["o1", "o1"], "person_id": ["p3", "p1"]},
    )  # fmt: skip
    assert from_records == from_columns
    assert from_records.person(0) == records[0]
    assert from_records.members(0) == records[:2]
    assert from_records.household(0) == households[0]
    assert from_records.organisation(0) == orgs[0]
    assert from_records.clan(0) == ls.Clan("K", unit_code=V1)
    assert from_records.person_by_id("p3") == records[2]
    assert from_records.household_by_id("h2") == households[1]
    # Third way: the synthetic generator's output survives a round trip through columns.
    pop = ls.synthetic_population(persons=3_000, seed=5)
    again = ls.Population.from_columns(
        pop.columns("person"), pop.columns("household"), pop.hierarchy,
        clans=pop.columns("clan"), organisations=pop.columns("organisation"),
        memberships=pop.columns("membership"),
    )  # fmt: skip
    assert again == pop
    assert [again.person(i) for i in range(0, 3_000, 97)] == [
        pop.person(i) for i in range(0, 3_000, 97)
    ]


def test_layout_offsets_and_canonical_order() -> None:
    pop = build(
        {"person_id": [5, 3, 4, 1], "household_id": [20, 10, 20, 10], "age": [1, 2, 3, 4]},
        {"household_id": [20, 10, 30], "unit_code": [V1, V2, V1]},
    )
    # Households by (village, id): 20 (V1), 30 (V1), 10 (V2); persons by (household, id).
    assert pop.household_ids.tolist() == [20, 30, 10]
    assert pop.household_offsets.tolist() == [0, 2, 2, 4]
    assert pop.person_ids.tolist() == [4, 5, 1, 3]
    assert pop.person_household.tolist() == [0, 0, 2, 2]
    assert pop.household_unit.tolist() == [0, 0, 1]
    assert pop.n_empty_households == 1
    assert pop.household_sizes().tolist() == [2, 0, 2]
    for arr in (pop.person_ids, pop.household_offsets, pop.person_columns["age"]):
        assert not arr.flags.writeable


@settings(max_examples=40, deadline=None)
@given(population_columns(), st.randoms(use_true_random=False))
def test_shuffling_rows_gives_an_equal_population(cols: dict[str, Any], rnd: Any) -> None:
    def shuffled(table: dict[str, Any]) -> dict[str, Any]:
        n = len(next(iter(table.values())))
        order = list(range(n))
        rnd.shuffle(order)
        return permute(table, order)

    kw = {"organisations": cols["organisations"], "memberships": cols["memberships"]}
    a = ls.Population.from_columns(cols["persons"], cols["households"], cols["hierarchy"], **kw)
    b = ls.Population.from_columns(
        shuffled(cols["persons"]), shuffled(cols["households"]), cols["hierarchy"],
        organisations=shuffled(cols["organisations"]), memberships=shuffled(cols["memberships"]),
    )  # fmt: skip
    assert a == b
    assert len(a.rejects) == 0
    # Offsets agree with a slow count of members per household.
    members = dict.fromkeys(a.household_ids.tolist(), 0)
    for hid in cols["persons"]["household_id"].tolist():
        members[hid] += 1
    assert a.household_sizes().tolist() == [members[h] for h in a.household_ids.tolist()]
    # Flags survive: None <-> missing.
    for i in range(a.n_persons):
        pid = a.person_ids[i]
        row = cols["persons"]["person_id"].tolist().index(pid)
        person = a.person(i)
        for flag in FLAGS:
            given_value = cols["persons"][flag][row]
            assert getattr(person, flag) == (None if given_value is None else bool(given_value))


def test_every_person_rule_rejects_its_rows_and_counts_add_up() -> None:
    pop = build(
        {
            "person_id": [1, 2, 2, 3, 4, 5, 6, None, 8],
            "household_id": [10, 10, 10, 99, 10, 11, 10, 10, 10],
            "age": [30, 40, 41, 50, 200, 20, 7.5, 9, 10],
            "sex": [1, 2, 1, 1, 1, 1, 1, 1, 3],
        },
        {"household_id": [10, 11, 11], "unit_code": [V1, V2, V2]},
    )
    assert problems(pop, "person") == [
        (1, "person_id", "duplicate_id"),
        (2, "person_id", "duplicate_id"),
        (3, "household_id", "unknown_household"),
        (4, "age", "out_of_range"),
        (5, "household_id", "rejected_household"),
        (6, "age", "not_integer"),
        (7, "person_id", "missing_value"),
        (8, "sex", "unknown_code"),
    ]
    assert problems(pop, "household") == [
        (1, "household_id", "duplicate_id"),
        (2, "household_id", "duplicate_id"),
    ]
    assert pop.person_ids.tolist() == [1]
    for table, (read, accepted, rejected) in pop.rejects.counts().items():
        assert accepted + rejected == read, table
    assert pop.rejects.counts()["person"] == (9, 1, 8)
    assert pop.rejects.counts()["household"] == (3, 1, 2)


def test_household_unit_rules() -> None:
    pop = build(
        {"person_id": [1, 2], "household_id": [10, 11], "age": [30, 40]},
        {"household_id": [10, 11, 12, 13], "unit_code": [V1, "nope", COMMUNE, None]},
    )
    assert problems(pop, "household") == [
        (1, "unit_code", "unknown_unit"),
        (2, "unit_code", "wrong_level"),
        (3, "unit_code", "missing_value"),
    ]
    assert problems(pop, "person") == [(1, "household_id", "rejected_household")]
    msg = next(r.message for r in pop.rejects.records("vi") if r.reason == "wrong_level")
    assert (
        msg == "hộ gia đình, dòng 2 (đếm từ 0), cột unit_code: "
        f"đơn vị hành chính '{COMMUNE}' không ở cấp mong đợi (village)"
    )


def test_float_ids_and_codes_that_are_no_whole_number_are_rejects() -> None:
    """Floats (pandas' integers with a gap) are whole ids: 2.5 and ±inf are rejects by row.

    One such cell made the whole column text: "1.0", no longer the person 1 a membership
    names, and the codes "1001.0", none a unit.
    """
    from learnsoc.model.population import LeadingZerosWarning

    codes = np.array([float(V1), float(V2), float(V1) + 0.5, np.inf, np.nan])
    with pytest.warns(LeadingZerosWarning, match="2 rows had lost"):
        pop = read_floats(codes)
    assert problems(pop, "person") == [
        (1, "person_id", "not_integer"),
        (2, "person_id", "not_a_number"),
        (4, "person_id", "not_a_number"),
    ]
    assert problems(pop, "household") == [
        (2, "unit_code", "not_integer"),
        (3, "unit_code", "not_a_number"),
        (4, "unit_code", "missing_value"),
    ]
    assert problems(pop, "membership") == [(1, "person_id", "not_integer")]
    assert pop.rejects.counts()["person"] == (5, 2, 3)
    # The same population as from whole ids and text codes, the bad rows left out.
    whole = build(
        {"person_id": [1, 4], "household_id": [10, 11], "age": [30, 60]},
        {"household_id": [10, 11], "unit_code": [V1, V2]},
    )
    assert pop.ids("person").tolist() == whole.ids("person").tolist() == [1, 4]
    assert pop.household_ids.tolist() == whole.household_ids.tolist()
    assert pop.household_unit.tolist() == whole.household_unit.tolist()


def read_floats(codes: Any) -> ls.Population:
    """Persons, households and memberships whose ids (and the unit codes) are floats."""
    return build(
        {
            "person_id": np.array([1.0, 2.5, np.inf, 4.0, -np.inf]),
            "household_id": np.array([10.0, 10.0, 11.0, 11.0, 10.0]),
            "age": [30, 40, 50, 60, 70],
        },
        {"household_id": np.array([10.0, 11.0, 12.0, 13.0, 14.0]), "unit_code": codes},
        organisations={
            "organisation_id": ["o1"],
            "organisation_type": [int(ls.OrganisationType.SCHOOL)],
            "unit_code": [COMMUNE],
        },
        memberships={"organisation_id": ["o1", "o1"], "person_id": np.array([1.0, 4.5])},
    )


def test_clan_organisation_and_membership_rules() -> None:
    pop = build(
        {"person_id": [1, 2, 3], "household_id": [10, 10, 11], "age": [30, 40, 50]},
        {"household_id": [10, 11], "unit_code": [V1, V2], "clan_id": ["K1", "K9"]},
        clans={"clan_id": ["K1", "K2"], "unit_code": [COMMUNE, "bad"]},
        organisations={
            "organisation_id": ["A", "B", "B"],
            "organisation_type": [1, 2, 2],
            "unit_code": [COMMUNE] * 3,
        },
        memberships={"organisation_id": ["A", "A", "Z", "B", "A"], "person_id": [1, 7, 1, 1, 1]},
    )
    assert problems(pop, "clan") == [(1, "unit_code", "unknown_unit")]
    assert problems(pop, "household") == [(1, "clan_id", "unknown_clan")]
    assert problems(pop, "person") == [(2, "household_id", "rejected_household")]
    assert problems(pop, "organisation") == [
        (1, "organisation_id", "duplicate_id"),
        (2, "organisation_id", "duplicate_id"),
    ]
    assert problems(pop, "membership") == [
        (0, "person_id", "duplicate_id"),
        (1, "person_id", "unknown_person"),
        (2, "organisation_id", "unknown_organisation"),
        (3, "organisation_id", "rejected_organisation"),
        (4, "person_id", "duplicate_id"),
    ]
    assert pop.n_clans == 1 and pop.clan(0).unit_code == COMMUNE


def test_a_household_of_a_rejected_clan_is_rejected_not_an_error() -> None:
    """A clan refused for its own row takes its households with it, each named (fuzz find)."""
    pop = build(
        {"person_id": [1, 2], "household_id": [10, 11], "age": [30, 40]},
        {"household_id": [10, 11], "unit_code": [V1, V2], "clan_id": ["K1", "K2"]},
        clans={"clan_id": ["K1", "K1", "K2"], "unit_code": [COMMUNE] * 3},
    )
    assert problems(pop, "clan") == [(0, "clan_id", "duplicate_id"), (1, "clan_id", "duplicate_id")]
    assert problems(pop, "household") == [(0, "clan_id", "rejected_clan")]
    assert problems(pop, "person") == [(0, "household_id", "rejected_household")]
    assert pop.n_clans == 1 and pop.n_households == 1 and pop.n_persons == 1


def test_clan_home_defaults_to_the_lowest_unit_holding_all_its_households() -> None:
    pop = build(
        {"person_id": [1], "household_id": [10], "age": [30]},
        {"household_id": [10, 11, 12], "unit_code": [V1, V1, V2], "clan_id": ["A", "A", "B"]},
    )
    assert [pop.clan(i).unit_code for i in range(pop.n_clans)] == [V1, V2]
    spread = build(
        {"person_id": [1], "household_id": [10], "age": [30]},
        {"household_id": [10, 11], "unit_code": [V1, V3], "clan_id": ["A", "A"]},
    )
    assert spread.clan(0).unit_code == str(H.unit(V1).parent_code)
    # A clans table: a given unit is kept, a blank one found from that clan's households
    # only (clan A's households do not count for B).
    mixed = build(
        {"person_id": [1], "household_id": [10], "age": [30]},
        {"household_id": [10, 11, 12, 13], "unit_code": [V1, V3, V2, V2],
         "clan_id": ["A", "A", "B", "B"]},
        clans={"clan_id": ["A", "B", "C"], "unit_code": [V3, "", ""]},
    )  # fmt: skip
    assert [mixed.clan(i).unit_code for i in range(mixed.n_clans)] == [V3, V2, None]


def test_strict_raises_with_the_rejects_attached() -> None:
    with pytest.raises(
        DataError, match=r"first: person row 0 \(counted from 0\), column age: value '300'"
    ) as info:
        build(
            {"person_id": [1], "household_id": [10], "age": [300]},
            {"household_id": [10], "unit_code": [V1]},
            strict=True,
        )
    assert info.value.rejects.n_rejected("person") == 1


def test_schema_errors_for_table_shapes() -> None:
    hh = {"household_id": [10], "unit_code": [V1]}
    with pytest.raises(SchemaError, match="person column 'age': required column is missing"):
        build({"person_id": [1], "household_id": [10]}, hh)
    with pytest.raises(
        SchemaError, match="person column 'literat': unknown column; did you mean 'literate'"
    ):
        build({"person_id": [1], "household_id": [10], "age": [3], "literat": [1]}, hh)
    with pytest.raises(SchemaError, match="columns have different lengths"):
        build({"person_id": [1, 2], "household_id": [10], "age": [3]}, hh)
    with pytest.raises(SchemaError, match="reference_year=YEAR"):
        build({"person_id": [1], "household_id": [10], "birth_year": [1990]}, hh)
    with pytest.raises(SchemaError, match="must be a mapping"):
        build([1, 2], hh)  # type: ignore[arg-type]


def test_birth_years_become_ages() -> None:
    pop = build(
        {"person_id": [1, 2], "household_id": [10, 10], "birth_year": [1990, 1800]},
        {"household_id": [10], "unit_code": [V1]},
        reference_year=2025,
    )
    assert pop.person(0).age == 35
    # The reject names the column and the value given, not the computed age (-65 ...).
    assert problems(pop, "person") == [(1, "birth_year", "out_of_range")]
    assert [(r.value, r.message) for r in pop.rejects.records("en")] == [
        (
            "1800",
            "person row 1 (counted from 0), column birth_year: value '1800' is out of range "
            "(expected 1905..2025)",
        )
    ]


def test_extra_schema_columns_reach_the_entities() -> None:
    schema = ls.STANDARD_SCHEMA.extend(
        household=[ls.ColumnSpec("hosts_reading_corner", "bool", "x")]
    )
    pop = ls.Population.from_columns(
        {"person_id": [1], "household_id": [10], "age": [30]},
        {"household_id": [10], "unit_code": [V1], "hosts_reading_corner": [1]},
        H,
        schema=schema,
    )
    assert pop.household(0).extra == {"hosts_reading_corner": True}


def test_lookups_and_errors() -> None:
    pop = ls.synthetic_population(persons=2_000, seed=9)
    hid = pop.household_ids[5]
    assert pop.household_by_id(hid).household_id == hid
    assert pop.index_of("household", hid) == 5
    with pytest.raises(UnknownIdError, match="no person with id 'zz'"):
        pop.person_by_id("zz")
    with pytest.raises(IndexError):
        pop.person(pop.n_persons)
    assert pop.person(-1).person_id == pop.person_ids[-1]
    with pytest.raises(SchemaError, match="did you mean 'person'"):
        pop.column("persn", "age")
    with pytest.raises(SchemaError, match="no data for the column"):
        ls.Population.from_columns(
            {"person_id": [1], "household_id": [10], "age": [30]},
            {"household_id": [10], "unit_code": [V1]}, H,
        ).column("person", "literate")  # fmt: skip


def test_memory_budget_per_person_and_household() -> None:
    pop = ls.synthetic_population(persons=20_000, seed=1)
    sizes = pop.nbytes()
    assert sizes["person"] / pop.n_persons <= 40
    assert sizes["household"] / pop.n_households <= 24


def test_repr_and_html() -> None:
    pop = ls.synthetic_population(persons=1_000, seed=1)
    assert repr(pop).startswith("Population(1,000 persons, ")
    with ls.use_locale("vi"):
        html = pop._repr_html_()
    assert "nhân khẩu" in html and "1.000" in html


def test_entity_fields_are_the_schema_columns() -> None:
    import attrs

    def fields(cls: type) -> set[str]:
        return {f.name for f in attrs.fields(cls)} - {"extra", "birth_year", "members"}

    for cls, table in [
        (ls.Person, "person"),
        (ls.Household, "household"),
        (ls.Clan, "clan"),
        (ls.Organisation, "organisation"),
    ]:
        assert fields(cls) == set(ls.STANDARD_SCHEMA.table(table).names), cls


@given(
    st.lists(st.integers(0, 30), max_size=80).map(sorted),
    st.integers(0, 5),
    st.integers(1, 9),
    st.sampled_from(["int32", "int64", "uint8", "int16"]),
)
def test_offsets_from_sorted_codes_in_blocks_match_bincount(
    codes: list[int], extra: int, block: int, dtype: str
) -> None:
    """Counted by block or searched group by group (few groups), any integer type."""
    from learnsoc import _arrays

    n = (max(codes) + 1 if codes else 0) + extra
    arr = np.array(codes, dtype)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_arrays, "_COUNT_BLOCK", block)
        got = _arrays.offsets_from_sorted(arr, n)
    assert got.tolist() == [0, *np.cumsum(np.bincount(arr, minlength=n)).tolist()]


def test_the_first_reject_is_the_earliest_row() -> None:
    pop = build(
        {"person_id": [1, 2, 3], "household_id": [10, 10, 10], "age": [30, 300, -1]},
        {"household_id": [10, 11], "unit_code": [V1, "nope"]},
    )
    first = pop.rejects.first("en")
    assert first is not None
    assert (first.table, first.row, first.column, first.reason) == (
        "household",
        1,
        "unit_code",
        "unknown_unit",
    )
    assert (
        build(
            {"person_id": [1], "household_id": [10], "age": [3]},
            {"household_id": [10], "unit_code": [V1]},
        ).rejects.first()
        is None
    )


def test_ids_by_level_match_index_of_and_the_hierarchy() -> None:
    from learnsoc.errors import HierarchyError
    from learnsoc.rules.context import entity_ids

    pop = ls.synthetic_population(persons=800, seed=5)
    for entity in ("person", "household", "clan", "organisation"):
        ids = pop.ids(entity)
        if len(ids):
            assert pop.index_of(entity, ids[-1]) == len(ids) - 1
        # The old name in rules.context is the same answer.
        assert entity_ids(pop, entity) is ids
    for level in pop.hierarchy.levels:
        assert pop.ids(level).tolist() == pop.hierarchy.codes_at(level).tolist()
    with pytest.raises(HierarchyError):
        pop.ids("hamlet")


def test_memberships_are_not_copies_when_organisations_times_persons_passes_2_31() -> None:
    """Two distinct memberships whose int32 pair keys wrapped to the same value are kept.

    Row numbers are int32; organisation x (persons + 1) + person passed 2**31 for a province
    of 5 million persons and 2,000 organisations (``learnsoc synth --persons 100000000``),
    and memberships were rejected as duplicates.
    """
    n, orgs = 999_999, 4_296  # 4,295 x 1,000,000 - 2**32 = 32,704: the two keys meet
    tree = two_level({"01": ["0101"]})
    pop = ls.Population.from_columns(
        {
            "person_id": np.arange(1, n + 1),
            "household_id": np.arange(1, n + 1),
            "age": np.full(n, 30, np.uint8),
        },
        {"household_id": np.arange(1, n + 1), "unit_code": np.full(n, "0101")},
        tree,
        organisations={
            "organisation_id": np.arange(1, orgs + 1),
            "organisation_type": np.full(orgs, 1, np.uint8),
            "unit_code": np.full(orgs, "0101"),
        },
        memberships={"organisation_id": np.array([1, orgs]), "person_id": np.array([32_705, 1])},
    )
    assert len(pop.rejects) == 0
    assert len(pop.member_person) == 2


def test_float_ids_and_codes_beyond_two_to_the_53_are_rejects() -> None:
    """In memory as in files: a float id or code beyond 2**53 is an out_of_range reject.

    They were the ids "1e+20" and the code "1e+17", text no file held as such.
    """
    pop = build(
        {
            "person_id": np.array([1.0, 1e20, 4.0]),
            "household_id": np.array([10.0, 10.0, 11.0]),
            "age": [30, 40, 50],
        },
        {"household_id": np.array([10.0, 11.0, 2.0**54]), "unit_code": [V1, V2, V1]},
    )
    assert problems(pop, "person") == [(1, "person_id", "out_of_range")]
    assert problems(pop, "household") == [(2, "household_id", "out_of_range")]
    assert pop.rejects.counts()["person"] == (3, 2, 1)
    assert pop.ids("person").tolist() == [1, 4]
    (shown,) = [r.value for r in pop.rejects.records("en") if r.table == "person"]
    assert shown == "1e+20"


def test_float_ids_without_rejects_are_not_copied_as_text() -> None:
    """Checking float ids for out_of_range cells makes no text of the cells it accepts.

    Every float id column was written out as text (32 characters a float, 128 bytes) to
    show its out_of_range cells, even when there were none: 1.4-3 s per 10M persons.
    Memory, not time, says it: the text copy of 200,000 floats alone is 25.6 MB.
    """
    import tracemalloc

    n = 200_000
    persons = {
        "person_id": np.arange(1, n + 1, dtype=np.float64),
        "household_id": np.full(n, 10.0),
        "age": np.full(n, 30),
    }
    households = {"household_id": np.array([10.0]), "unit_code": [V1]}
    build(persons, households)  # imports and caches first
    tracemalloc.start()
    try:
        pop = build(persons, households)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(pop.person_ids) == n
    assert peak < 12 * n * 8, peak  # a few copies of the 1.6 MB columns, not 25.6 MB of text


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(-3, 40)), max_size=60),
    st.booleans(),
)
def test_canonical_order_sorts_by_primary_then_id(rows: list[tuple[int, int]], order: bool) -> None:
    """Already in order (ids ascending throughout or only within a primary) or not."""
    from learnsoc.model.population import _canonical_order

    if order:
        rows = sorted(rows)
    primary = np.array([p for p, _ in rows], np.int64)
    ids = np.array([i for _, i in rows], np.int64)
    perm = _canonical_order(primary, ids)
    reference = np.lexsort((ids, primary))
    if perm is None:
        assert reference.tolist() == list(range(len(rows))) or (
            # ties of (primary, id) may come in either order
            sorted(rows) == rows
        )
    else:
        assert [rows[k] for k in perm.tolist()] == [rows[k] for k in reference.tolist()]


def test_memberships_in_order_are_not_sorted_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memberships written by organisation, then person (as learnsoc writes them) are
    taken in their order: no sort of them (a lexsort took 20 ms per province). Each
    organisation's members are still those of a slow count, in person order."""
    pop = ls.synthetic_population(persons=3_000, seed=5)
    members = pop.columns("membership")
    org_ids = np.asarray(members["organisation_id"]).tolist()
    person_ids = np.asarray(members["person_id"]).tolist()
    assert len(org_ids) > 100

    def no_sort(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("memberships sorted again")

    monkeypatch.setattr(np, "lexsort", no_sort)
    again = ls.Population.from_columns(
        pop.columns("person"), pop.columns("household"), pop.hierarchy,
        clans=pop.columns("clan"), organisations=pop.columns("organisation"),
        memberships=members,
    )  # fmt: skip
    monkeypatch.undo()
    assert again == pop
    row_of = {pid: i for i, pid in enumerate(again.person_ids.tolist())}
    expected: dict[Any, list[int]] = {}
    for org, person in zip(org_ids, person_ids, strict=True):
        expected.setdefault(org, []).append(row_of[person])
    offsets = again.member_offsets.tolist()
    for j, org in enumerate(again.organisation_ids.tolist()):
        got = again.member_person[offsets[j] : offsets[j + 1]].tolist()
        assert got == sorted(expected.get(org, []))
