"""Titles above the partition level are decided from the partitions' merged counts, exactly."""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.dataset import DatasetError, write_dataset
from learnsoc.rules.context import entity_ids
from learnsoc.rules.registry import read_rulebook
from learnsoc.rules.rulebook import Rulebook
from learnsoc.scale import evaluate_dataset
from tests.io.test_dataset import tree
from tests.scale.test_evaluate_dataset import assert_same, by_id

pytest.importorskip("pyarrow")

UPPER = """\
[rulebook]
id = "upper"
name = { vi = "Thử cấp trên", en = "Upper test" }
version = "1"
extends = "example"

[inputs.commune.commune_open]
kind = "bool"
label = { vi = "Xã mở", en = "commune open" }
source = "tt25"

[inputs.district.district_plan]
kind = "bool"
label = { vi = "Kế hoạch huyện", en = "district plan" }
source = "tt25"

[derived.district.adults]
expr = "count(persons, where=persons.adult)"
label = { vi = "người lớn", en = "adults" }

[titles.learning_district]
level = "district"
term = "learning_district"
label = { vi = "Huyện học tập", en = "learning district" }

[[titles.learning_district.versions]]
effective_from = 2016-01-01
source = "tt25"

[[titles.learning_district.versions.criteria]]
id = "communes"
label = { vi = "Xã", en = "communes" }
expr = "share(communes.commune_learning_community, where=communes.commune_open) >= 0.3"
on_empty = "unknown"

[[titles.learning_district.versions.criteria]]
id = "families"
label = { vi = "Gia đình", en = "families" }
expr = '''share(households.learning_family, where=households.children_results_good) >= 0.2
    or any(villages.learning_community)'''

[[titles.learning_district.versions.criteria]]
id = "people"
label = { vi = "Người", en = "people" }
expr = "adults >= 10 and count(households) >= 1 and district_plan"

[titles.learning_province]
level = "province"
term = "learning_province"
label = { vi = "Tỉnh học tập", en = "learning province" }

[[titles.learning_province.versions]]
effective_from = 2016-01-01
source = "tt25"

[[titles.learning_province.versions.criteria]]
id = "districts"
label = { vi = "Huyện", en = "districts" }
expr = "share(districts.learning_district) >= 0.5"
on_empty = "fail"

[[titles.learning_province.versions.criteria]]
id = "units"
label = { vi = "Đơn vị", en = "units" }
expr = '''all(organisations.learning_unit, where=organisations.learning_plan)
    or count(persons) > 5000'''
"""


def upper_book(tmp_path: Path, extra: str = "") -> Rulebook:
    path = tmp_path / "upper.toml"
    path.write_text(textwrap.dedent(UPPER) + textwrap.dedent(extra), encoding="utf-8")
    return read_rulebook(path)


def partitioned(pop: ls.Population, folder: Path) -> Any:
    try:
        return write_dataset(pop, folder, partition_by="commune")
    except DatasetError:
        pytest.skip("this seed puts a group across two communes")


def some_unknown(ids: list[str], rng: np.random.Generator) -> dict[str, Any]:
    """True, False or unknown (None), a third each (each of them from 3 ids on)."""
    pick = rng.permutation(np.arange(len(ids)) % 3)
    return {i: (None if k == 2 else bool(k)) for i, k in zip(ids, pick.tolist(), strict=True)}


def upper_inputs(pop: ls.Population, seed: int) -> dict[str, dict[str, Any]]:
    rng = np.random.default_rng(seed)
    h = pop.hierarchy
    return {
        "household": {
            "children_results_good": some_unknown(entity_ids(pop, "household").tolist(), rng)
        },
        "organisation": {
            "learning_plan": some_unknown(entity_ids(pop, "organisation").tolist(), rng)
        },
        "village": {"learning_week_held": some_unknown(h.codes_at("village").tolist(), rng)},
        "commune": {"commune_open": some_unknown(h.codes_at("commune").tolist(), rng)},
        "district": {"district_plan": some_unknown(h.codes_at("district").tolist(), rng)},
    }


@pytest.mark.parametrize("seed", [1, 5])
def test_a_province_over_districts_with_unknown_where(seed: int, tmp_path: Path) -> None:
    """District titles from counts of communes and households, a province over districts."""
    pop = ls.synthetic_population(persons=2_500, seed=seed, hierarchy=tree(2, "vn-pre-2025"))
    ds = partitioned(pop, tmp_path / "d")
    book = upper_book(tmp_path)
    inputs = upper_inputs(pop, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, book, "2025-06-30", inputs=inputs)
        parts = evaluate_dataset(ds, book, "2025-06-30", inputs=inputs)
    # The where= of communes and households is unknown for some members: some districts
    # are then unknown, and the province reads them.
    assert whole.verdicts("learning_district").unknown.any()
    # Districts decided from the merged counts, some without the communes or households
    # whose where= was unknown: as many said so as in memory.
    rows = {row.title: row for row in parts.summary().rows}
    assert rows["learning_district"].partial_data > 0
    assert_same(whole, parts)
    assert parts.missing_inputs == whole.missing_inputs


def test_workers_give_the_same(tmp_path: Path) -> None:
    """Partitions run in two processes: the merged counts decide the same upper titles."""
    pop = ls.synthetic_population(persons=2_000, seed=3, hierarchy=tree(2, "vn-2025"))
    ds = partitioned(pop, tmp_path / "d")
    book = ls.load_rulebook("vn-national")
    inputs = ls.synthetic_inputs(pop, book, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, book, "2025-12-31", inputs=inputs)
        parts = evaluate_dataset(ds, book, "2025-12-31", inputs=by_id(pop, inputs), workers=2)
    assert_same(whole, parts)


def test_a_mean_over_partitioned_members_is_refused(tmp_path: Path) -> None:
    """A mean of communes' values does not add up across partitions: the error names it."""
    extra = """
    [derived.commune.share_open]
    expr = "share(villages.learning_community)"
    label = { vi = "Tỷ lệ", en = "share" }

    [derived.district.mean_open]
    expr = "mean(communes.share_open)"
    label = { vi = "Trung bình", en = "mean" }
    """
    pop = ls.synthetic_population(persons=1_000, seed=2, hierarchy=tree(2, "vn-pre-2025"))
    ds = partitioned(pop, tmp_path / "d")
    book = upper_book(tmp_path, extra)
    with pytest.raises(DatasetError, match=r"derived value 'mean_open' of level 'district'"):
        evaluate_dataset(ds, book, "2025-06-30")
    summed = """
    [titles.many_adults]
    level = "province"
    label = { vi = "Đông người lớn", en = "many adults" }

    [[titles.many_adults.versions]]
    effective_from = 2016-01-01

    [[titles.many_adults.versions.criteria]]
    id = "adults"
    label = { vi = "Người lớn", en = "adults" }
    expr = "sum(persons.adult) >= 100"
    """
    with pytest.raises(DatasetError, match=r"title 'many_adults' .* takes the sum of 'persons'"):
        evaluate_dataset(ds, upper_book(tmp_path, summed), "2025-06-30")
    # Partitioned by district, the mean is decided inside each partition.
    by_district = write_dataset(pop, tmp_path / "e", partition_by="district")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, book, "2025-06-30")
        parts = evaluate_dataset(by_district, book, "2025-06-30")
    assert_same(whole, parts)


def test_verdicts_of_upper_units_are_written(tmp_path: Path) -> None:
    """The upper units' verdicts go to a file beside the partitions' folder, not into it."""
    pq = pytest.importorskip("pyarrow.parquet")
    pop = ls.synthetic_population(persons=2_000, seed=4, hierarchy=tree(2, "vn-2025"))
    ds = partitioned(pop, tmp_path / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluate_dataset(ds, "vn-national", "2025-12-31", verdicts_out=tmp_path / "v")
        whole = ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31")
    folders = sorted(p.name for p in (tmp_path / "v" / "verdicts").iterdir())
    assert folders == [f"commune={key}" for key in ds.partitions]
    upper = pq.read_table(tmp_path / "v" / "verdicts_above.parquet").to_pandas()
    assert set(upper["level"]) == {"province"}
    assert set(upper.loc[upper["level"] == "province", "title"]) == {
        "learning_province",
        "learning_city",
    }
    table = pq.read_table(tmp_path / "v" / "verdicts").to_pandas().drop(columns="commune")
    mine = pd_concat([table, upper])
    theirs = whole.to_pandas()
    assert len(mine) == len(theirs)
    key = ["title", "level", "id"]
    mine = mine.assign(id=mine["id"].astype(str)).sort_values(key).reset_index(drop=True)
    other = theirs.assign(id=theirs["id"].astype(str)).sort_values(key).reset_index(drop=True)
    assert (mine[key].to_numpy() == other[key].to_numpy()).all()
    assert (mine["passed"].to_numpy() == other["passed"].to_numpy()).all()
    assert (mine["assessed"].to_numpy() == other["assessed"].to_numpy()).all()


def pd_concat(tables: list[Any]) -> Any:
    pd = pytest.importorskip("pandas")
    return pd.concat(tables, ignore_index=True)


def test_hive_readers_see_one_partition_per_unit(tmp_path: Path) -> None:
    """pyarrow.dataset and DuckDB read verdicts/ as one row per entity, keyed by its commune.

    With the partition column read as text (codes keep their leading zeros), every value
    is a commune code of the dataset and each row is the partition's own entity.
    """
    pa = pytest.importorskip("pyarrow")
    pads = pytest.importorskip("pyarrow.dataset")
    pop = ls.synthetic_population(persons=2_000, seed=4, hierarchy=tree(2, "vn-2025"))
    ds = partitioned(pop, tmp_path / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluate_dataset(ds, "vn-national", "2025-12-31", verdicts_out=tmp_path / "v")
        whole = ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31")
    hive = pads.partitioning(pa.schema([("commune", pa.string())]), flavor="hive")
    table = pads.dataset(tmp_path / "v" / "verdicts", partitioning=hive).to_table()
    lower = [t for t, v in whole.verdicts_by_title.items() if v.level != "district"]
    lower = [t for t in lower if whole.verdicts(t).level != "province"]
    expected = sum(len(whole.verdicts(t)) for t in lower)
    assert table.num_rows == expected
    rows = table.select(["title", "level", "id", "commune"]).to_pylist()
    assert len({(r["title"], r["level"], r["id"]) for r in rows}) == expected
    assert {r["commune"] for r in rows} == set(ds.partitions)
    # A commune's own verdict is in its own partition.
    for r in rows:
        if r["level"] == "commune":
            assert r["commune"] == r["id"]
    duckdb = pytest.importorskip("duckdb")
    pattern = str(tmp_path / "v" / "verdicts" / "*" / "*.parquet")
    found = (
        duckdb.connect()
        .execute(
            "SELECT commune, count(*) FROM read_parquet(?, hive_partitioning = true, "
            "hive_types = {'commune': VARCHAR}) GROUP BY commune ORDER BY commune",
            [pattern],
        )
        .fetchall()
    )
    assert [code for code, _ in found] == sorted(ds.partitions)
    assert sum(n for _, n in found) == expected


def test_a_title_decided_after_the_merge_counts_zero_in_a_partition() -> None:
    """The partition's stand-in for an upper level's title gives the measures that level's
    verdicts give, under the same names, each zero.

    Both are ``TitleVerdicts`` (mypy --strict checks the stand-in and ``Verdicts`` against
    the protocol, through the annotations below).
    """
    from learnsoc.scale.local import _DecidedLater
    from learnsoc.targets.indicators import TitleVerdicts

    pop = ls.synthetic_population(persons=1_500, seed=5, hierarchy=tree(2, "vn-pre-2025"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(pop, "vn-national", "2024-12-31")
    titles: dict[str, TitleVerdicts] = ls.standard_titles(ev)
    decided: TitleVerdicts = ev.verdicts("learning_district")
    later: TitleVerdicts = _DecidedLater.of(pop.hierarchy.n_units("district"))
    given = ls.standard_measures(pop, titles={**titles, "district": decided})
    here = ls.standard_measures(pop, titles={**titles, "district": later})
    assert list(here) == list(given)
    names = ["learning_districts", "learning_districts_missing"]
    names.append("learning_districts_not_assessed")
    # Decided, and decided on partial data: none until the merge.
    names += ["learning_districts_decided", "learning_districts_partial_data"]
    n = pop.hierarchy.n_units("district")
    for name in names:
        assert here[name].entity == given[name].entity == "district"
        assert np.asarray(here[name].where).tolist() == [False] * n, name
    for name in given:
        if name not in names:
            a, b = here[name], given[name]
            assert type(a) is type(b) and a.entity == b.entity, name
            assert np.array_equal(np.asarray(a.where), np.asarray(b.where)), name


NOT_IN_FORCE_FROM_2030 = """
[[titles.learning_family.versions]]
effective_from = 2030-01-01
in_force = false

[[titles.learning_family.versions.criteria]]
id = "none"
label = { vi = "Không", en = "none" }
expr = "count(members) < 0"

[[titles.learning_district.versions]]
effective_from = 2030-01-01
in_force = false

[[titles.learning_district.versions.criteria]]
id = "none"
label = { vi = "Không", en = "none" }
expr = "count(communes) < 0"
"""


@pytest.mark.parametrize("as_of", ["2029-12-31", "2030-06-30"])
def test_levels_not_in_force_below_and_above_the_partitions(as_of: str, tmp_path: Path) -> None:
    """Families (decided in the partitions) and districts (after the merge) not in force.

    The standard rollup has neither's zeros and names both as not in force, in the order
    the in-memory rollup names them (districts first: the levels sorted), which the
    results folder's JSON keeps.
    """
    pop = ls.synthetic_population(persons=2_000, seed=5, hierarchy=tree(2, "vn-pre-2025"))
    ds = partitioned(pop, tmp_path / "d")
    book = upper_book(tmp_path, NOT_IN_FORCE_FROM_2030)
    inputs = upper_inputs(pop, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, book, as_of, inputs=inputs)
        parts = evaluate_dataset(ds, book, as_of, inputs=inputs, standard_measures=True)
    assert_same(whole, parts)
    mine = parts.standard_rollup()
    theirs = ls.rollup(pop, ls.standard_measures(pop, titles=ls.standard_titles(whole)))
    a, b = theirs.to_columns(), mine.to_columns()
    assert list(a) == list(b)
    for column in a:
        assert np.array_equal(a[column], b[column], equal_nan=a[column].dtype.kind == "f"), column
    assert list(mine.not_in_force.items()) == list(theirs.not_in_force.items())
    gone = ["learning_districts", "learning_families"] if as_of >= "2030" else []
    assert list(mine.not_in_force) == gone
    assert not {m for name in gone for m in (name, f"{name}_missing")} & set(b)
