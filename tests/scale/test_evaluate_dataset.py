"""evaluate_dataset equals evaluate on the whole population, exactly."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.io.dataset import DatasetError, write_dataset
from learnsoc.rules.context import AlignedInput, entity_ids
from learnsoc.scale import criterion_counts, evaluate_dataset
from tests.io.test_dataset import tree

pytest.importorskip("pyarrow")

ENTITIES = ("person", "household", "clan", "organisation")


def by_id(pop: ls.Population, inputs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Entity inputs as mappings from id (arrays have no order across partitions)."""
    out: dict[str, dict[str, Any]] = {}
    for level, columns in inputs.items():
        if level in ENTITIES:
            ids = entity_ids(pop, level).tolist()
            out[level] = {n: dict(zip(ids, v.tolist(), strict=True)) for n, v in columns.items()}
        else:
            out[level] = columns
    return out


def assert_same(whole: ls.Evaluation, parts: Any) -> None:
    assert parts.summary() == whole.summary()
    # Said apart, as the summary's equality would hide which count differs.
    partial = {row.title: row.partial_data for row in whole.summary().rows}
    assert {row.title: row.partial_data for row in parts.summary().rows} == partial
    a, b = whole.title_counts(), parts.title_counts()
    assert list(a) == list(b)
    for title in a:
        for field in ("entities", "assessed", "passed", "unknown"):
            assert np.array_equal(getattr(a[title], field), getattr(b[title], field)), title
        assert a[title].unattached == b[title].unattached
    assert criterion_counts(whole) == parts.criterion_counts()
    ra, rb = whole.rollup().to_columns(), parts.rollup().to_columns()
    assert list(ra) == list(rb)
    for column in ra:
        assert np.array_equal(ra[column], rb[column], equal_nan=ra[column].dtype.kind == "f"), (
            column
        )
        assert ra[column].dtype == rb[column].dtype, column


CASES = [
    ("example", "vn-pre-2025", 2, "2025-06-30"),
    ("vn-national", "vn-2025", 3, "2025-12-31"),
    ("vn-national", "vn-pre-2025", 4, "2024-12-31"),
    # Learning districts and provinces not in force yet (Circular 25/2023).
    ("vn-national", "vn-pre-2025", 2, "2022-12-31"),
    ("hanoi", "vn-2025", 2, "2025-12-31"),
    ("hanoi", "vn-pre-2025", 3, "2024-06-30"),
]


def test_every_bundled_rulebook_is_covered() -> None:
    """The cases below name every bundled rulebook."""
    assert {c[0] for c in CASES} == {info.id for info in ls.list_rulebooks()}


def written(pop: ls.Population, folder: Path, partition_by: str) -> Any:
    """The dataset, or a skip when a clan spans two partitions (a commune's, say)."""
    try:
        return write_dataset(pop, folder, partition_by=partition_by)
    except DatasetError:
        if partition_by == "province":
            raise
        pytest.skip("this seed puts a clan across two partitions")


@pytest.mark.parametrize("partition_by", ["province", "commune"])
@pytest.mark.parametrize(("book", "levels", "provinces", "as_of"), CASES)
def test_dataset_equals_in_memory(
    book: str, levels: str, provinces: int, as_of: str, partition_by: str, tmp_path: Path
) -> None:
    """Every title count, rate, criterion tally and rollup row is the same, with inputs.

    Partitioned by commune, the titles above (districts, provinces) are decided from the
    partitions' merged counts.
    """
    pop = ls.synthetic_population(persons=5_000, seed=provinces, hierarchy=tree(provinces, levels))
    rulebook = ls.load_rulebook(book)
    inputs = ls.synthetic_inputs(pop, rulebook, seed=2)
    ds = written(pop, tmp_path / "d", partition_by)
    assert len(ds.partitions) == len(pop.hierarchy.codes_at(partition_by))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, rulebook, as_of, inputs=inputs)
        parts = evaluate_dataset(ds, rulebook, as_of, inputs=by_id(pop, inputs))
    assert_same(whole, parts)
    # Some verdicts were decided on the members with data, partitions or not.
    assert sum(row.partial_data for row in parts.summary().rows) > 0
    assert parts.skipped == dict(whole.skipped)
    assert parts.missing_inputs == whole.missing_inputs


@pytest.mark.parametrize(
    ("levels", "partition_by", "as_of", "expected"),
    [
        ("vn-2025", "province", "2025-12-31", "AbolishedProcedureWarning"),
        # Across the 2025 reform: the tree ended, or had not begun, on the date; the titles
        # above the partitions (districts, provinces) are decided after the merge.
        ("vn-pre-2025", "commune", "2025-12-31", "HierarchyDateWarning"),
        ("vn-pre-2025", "province", "2025-07-01", "HierarchyDateWarning"),
        ("vn-2025", "commune", "2025-06-30", "HierarchyDateWarning"),
        ("vn-2025", "commune", "2022-12-31", "HierarchyDateWarning"),
    ],
)
def test_without_inputs_and_warnings_once(
    levels: str, partition_by: str, as_of: str, expected: str, tmp_path: Path
) -> None:
    """Warnings of the partitions are given once, as the whole evaluation gives them."""
    pop = ls.synthetic_population(persons=3_000, seed=1, hierarchy=tree(3, levels))
    ds = written(pop, tmp_path / "d", partition_by)
    with warnings.catch_warnings(record=True) as mine:
        warnings.simplefilter("always")
        parts = evaluate_dataset(tmp_path / "d", "vn-national", as_of)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        whole = ls.evaluate(pop, ls.load_rulebook("vn-national"), as_of)
    assert sorted(str(w.message) for w in mine) == sorted(str(w.message) for w in theirs)
    assert {(w.category, str(w.message)) for w in mine} == {
        (w.category, str(w.message)) for w in theirs
    }
    assert expected in {w.category.__name__ for w in mine}
    assert_same(whole, parts)
    for locale in ("en", "vi"):
        assert parts.summary().to_text(locale) == whole.summary().to_text(locale)
    assert ds.n_persons == pop.n_persons


def test_partition_by_commune_decides_the_titles_above(tmp_path: Path) -> None:
    """Province titles on a dataset partitioned by commune: decided, as in memory."""
    pop = ls.synthetic_population(persons=2_000, seed=11, hierarchy=tree(2, "vn-2025"))
    ds = written(pop, tmp_path / "d", "commune")
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings(record=True) as mine:
        warnings.simplefilter("always")
        parts = evaluate_dataset(ds, book, "2025-12-31")
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        whole = ls.evaluate(pop, book, "2025-12-31")
    assert {"learning_province", "learning_city"} <= set(parts.title_counts())
    assert_same(whole, parts)
    assert sorted(str(w.message) for w in mine) == sorted(str(w.message) for w in theirs)


def test_array_inputs_of_entities_are_refused(tmp_path: Path) -> None:
    """An array of person values has no order across partitions: the error says so."""
    pop = ls.synthetic_population(persons=2_000, seed=1, hierarchy=tree(2))
    ds = write_dataset(pop, tmp_path / "d")
    with pytest.raises(DatasetError, match="give household inputs as a mapping from id"):
        evaluate_dataset(
            ds, "example", "2025-06-30", inputs={"household": {"registered": np.ones(5, bool)}}
        )


def verdicts_out_and_whole(
    tmp_path: Path, seed: int, threads: int = 1
) -> tuple[ls.io.Dataset, Any]:
    """A small dataset evaluated with its verdicts in ``tmp_path/v``, and the whole's evaluation."""
    pop = ls.synthetic_population(persons=3_000, seed=seed, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluate_dataset(
            ds, "vn-national", "2025-12-31", verdicts_out=tmp_path / "v", threads=threads
        )
        return ds, ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31")


@pytest.mark.parametrize("threads", [1, 2])
def test_verdict_files_are_the_in_memory_verdicts_file(tmp_path: Path, threads: int) -> None:
    """Row for row, column for column and type for type, the partitions' verdict files
    hold what ``write_verdicts`` writes for the whole population (ids as text): each
    entity once, in the file of its partition (written from two threads at once too)."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    _, whole = verdicts_out_and_whole(tmp_path, seed=5, threads=threads)
    ls.io.write_verdicts(whole, tmp_path / "whole.parquet")
    key = [("title", "ascending"), ("level", "ascending"), ("id", "ascending")]
    mine = pq.read_table(tmp_path / "v" / "verdicts").drop_columns(["province"])
    theirs = pq.read_table(tmp_path / "whole.parquet")
    assert mine.schema == theirs.schema
    assert mine.schema.field("id").type == pa.string()
    mine, theirs = mine.sort_by(key), theirs.sort_by(key)
    for name in theirs.column_names:
        a = mine[name].to_numpy(zero_copy_only=False)
        b = theirs[name].to_numpy(zero_copy_only=False)
        if name == "points":
            assert np.array_equal(a, b, equal_nan=True)
        else:
            assert (a == b).all(), name


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    provinces=st.integers(2, 4),
    persons=st.integers(200, 3_000),
    seed=st.integers(0, 2**16),
    levels=st.sampled_from(["vn-2025", "vn-pre-2025"]),
    partition_by=st.sampled_from(["province", "commune"]),
    case=st.sampled_from([("example", "2025-06-30"), ("vn-national", "2025-06-30")]),
)
def test_any_partitioning_gives_the_same_counts(
    provinces: int,
    persons: int,
    seed: int,
    levels: str,
    partition_by: str,
    case: tuple[str, str],
    tmp_path_factory: Any,
) -> None:
    """Over random trees, sizes, seeds and partition levels, the counts equal the whole's."""
    book, as_of = case
    pop = ls.synthetic_population(persons=persons, seed=seed, hierarchy=tree(provinces, levels))
    try:
        ds = write_dataset(pop, tmp_path_factory.mktemp("d") / "d", partition_by=partition_by)
    except DatasetError:
        assume(partition_by == "province")  # a clan across two communes: draw again
        raise
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, ls.load_rulebook(book), as_of)
        parts = evaluate_dataset(ds, book, as_of)
    assert_same(whole, parts)


def test_empty_partitions(tmp_path: Path) -> None:
    """Provinces where nobody lives have empty files, and their units' titles still count."""
    h = tree(3)
    v = h.codes_at("village")
    pop = ls.Population.from_records(
        persons=[ls.Person("p1", "H1", age=30, literate=True), ls.Person("p2", "H2", age=40)],
        households=[ls.Household("H1", str(v[0])), ls.Household("H2", str(v[1]))],
        hierarchy=h,
    )
    ds = write_dataset(pop, tmp_path / "e")
    assert ds.rows["03"]["persons"] == 0
    assert ds.partition("03").n_households == 0
    for book in ("example", "vn-national"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            whole = ls.evaluate(pop, ls.load_rulebook(book), "2025-12-31")
            parts = evaluate_dataset(ds, book, "2025-12-31")
        assert_same(whole, parts)


def test_a_partition_with_rejected_rows_stops_the_run(tmp_path: Path) -> None:
    """Rows a partition's reader rejects are never skipped silently: the run stops, naming it."""
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    from learnsoc.io.dataset import partition_file

    pop = ls.synthetic_population(persons=2_000, seed=1, hierarchy=tree(2))
    ds = write_dataset(pop, tmp_path / "d")
    file = partition_file(ds.path, "persons", "province", "02")
    table = pq.read_table(file)
    ids = table.column("household_id").to_pylist()
    ids[0] = 987_654_321  # no such household
    column = table.column_names.index("household_id")
    pq.write_table(table.set_column(column, "household_id", pa.array(ids)), file)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DatasetError, match=r"partition '02': 1 row was rejected when read"):
            evaluate_dataset(ds, "example", "2025-06-30")


@pytest.mark.parametrize("spelling", ["as_given", "text", "padded_text", "both"])
def test_indexed_inputs_keep_what_the_slow_filter_keeps(spelling: str, tmp_path: Path) -> None:
    """Each partition's share of an input given by id, from the index built once per run.

    Keys spelt as the ids, as text, as zero-padded text (other ids), or twice (``7`` and
    ``"7"``: not indexed, filtered the slow way): the partition's mapping is the same as
    the filter that reads every key, in the caller's order.
    """
    from learnsoc.scale.local import _inputs_here, index_inputs

    pop = ls.synthetic_population(persons=600, seed=3, hierarchy=tree(2, "vn-2025"))
    ids = entity_ids(pop, "household").tolist()
    given = {i: k % 2 == 0 for k, i in enumerate(ids)}
    if spelling == "text":
        given = {str(i): v for i, v in given.items()}
    elif spelling == "padded_text":
        given = {f"{i:06d}": v for i, v in given.items()}
    elif spelling == "both":
        given = {**given, str(ids[0]): False}
    outsiders = {10**9 + i: True for i in range(3)}  # ids of no partition
    inputs: dict[str, dict[str, Any]] = {
        "household": {"registered": {**outsiders, **given}},
        "village": {"x": [1]},
    }
    index = index_inputs(inputs)
    assert (("household", "registered") in index) == (spelling != "both")
    ds = write_dataset(pop, tmp_path, partition_by="province")
    assert len(ds.partitions) > 1
    half = ds.partition(ds.partitions[0])
    fast = _inputs_here(half, inputs, index)
    slow = _inputs_here(half, inputs)
    assert fast is not None and slow is not None
    got, kept = fast["household"]["registered"], slow["household"]["registered"]
    if spelling == "both":  # not indexed: the same filter
        assert list(got.items()) == list(kept.items())
    else:  # indexed: the values the slow filter keeps, in the partition's order
        assert isinstance(got, AlignedInput)
        here = entity_ids(half, "household").tolist()
        assert len(got.values) == len(got.present) == len(here)
        aligned = {here[j]: bool(got.values[j]) for j in np.flatnonzero(got.present)}
        assert aligned == {int(k): v for k, v in kept.items()}
    # Zero-padded text is another id than the number (as for evaluate): nothing matches.
    expected = 0 if spelling == "padded_text" else len(half.household_ids) + (spelling == "both")
    assert len(slow["household"]["registered"]) == expected
    assert fast["village"] is inputs["village"]


def test_inputs_with_missing_values_and_mixed_types_as_in_memory(tmp_path: Path) -> None:
    """An input by id with None (unknown) and with 0/1 beside true/false, cleaned once per
    run, counts as in memory; a value that is not a number is refused as in memory."""
    pop = ls.synthetic_population(persons=3_000, seed=4, hierarchy=tree(3, "vn-pre-2025"))
    ids = entity_ids(pop, "household").tolist()
    # The first province's households get true/false, the others 0/1, every 7th None.
    first = set(pop.household_ids[pop.household_unit < 4].tolist())
    values: list[Any] = [
        None if k % 7 == 0 else (k % 3 > 0) if i in first else int(k % 3 > 0)
        for k, i in enumerate(ids)
    ]
    registered = dict(zip(ids, values, strict=True))
    ds = write_dataset(pop, tmp_path / "d")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(
            pop, "example", "2025-06-30", inputs={"household": {"registered": registered}}
        )
        parts = evaluate_dataset(
            ds, "example", "2025-06-30", inputs={"household": {"registered": registered}}
        )
    assert_same(whole, parts)
    registered[ids[-1]] = "có"
    given = {"household": {"registered": registered}}
    runs: list[Callable[[], object]] = [
        lambda: ls.evaluate(pop, "example", "2025-06-30", inputs=given),
        lambda: evaluate_dataset(ds, "example", "2025-06-30", inputs=given),
    ]
    for run in runs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(ls.errors.SchemaError, match="must be numbers or true/false"):
                run()


def test_unit_inputs_are_put_in_the_tree_order_once(tmp_path: Path) -> None:
    """A unit input by code is aligned once per run, as each partition would align it; one
    naming an unknown code is left as given and refused as in memory."""
    from learnsoc.rules.context import align_mapping
    from learnsoc.scale.local import _inputs_here, index_inputs

    pop = ls.synthetic_population(persons=900, seed=6, hierarchy=tree(2, "vn-pre-2025"))
    villages = pop.hierarchy.codes_at("village").tolist()
    held = {code: [True, False, None][k % 3] for k, code in enumerate(reversed(villages))}
    inputs: dict[str, dict[str, Any]] = {"village": {"learning_week_held": held}}
    index = index_inputs(inputs, pop.hierarchy)
    ds = write_dataset(pop, tmp_path / "d")
    here = _inputs_here(ds.partition(ds.partitions[1]), inputs, index)
    assert here is not None
    aligned = here["village"]["learning_week_held"]
    assert isinstance(aligned, AlignedInput)
    values, present = align_mapping(pop.ids("village"), held, "village", "x")
    assert np.array_equal(aligned.values, values)
    assert np.array_equal(aligned.present, present)
    assert present.sum() == len(villages) - len(villages) // 3 and values[present].any()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, "example", "2024-12-31", inputs=inputs)
        parts = evaluate_dataset(ds, "example", "2024-12-31", inputs=inputs)
    assert_same(whole, parts)
    inputs["village"]["learning_week_held"] = {**held, "nowhere": True}
    assert index_inputs(inputs, pop.hierarchy) == {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ls.errors.SchemaError, match="unknown id"):
            evaluate_dataset(ds, "example", "2024-12-31", inputs=inputs)


@pytest.mark.parametrize("workers", [None, 2])
@pytest.mark.parametrize("indexed", [True, False])
def test_an_input_key_of_no_entity_anywhere_is_refused_as_in_memory(
    tmp_path: Path, workers: int | None, indexed: bool
) -> None:
    """Each partition keeps its own entities' keys: a key of nobody in any partition was
    dropped without a word, where ``evaluate`` refuses it. Now both refuse it alike."""
    pop = ls.synthetic_population(persons=2_000, seed=8, hierarchy=tree(3))
    ds = write_dataset(pop, tmp_path / "d")
    clans = pop.clan_ids.tolist()
    given: dict[Any, Any] = dict.fromkeys(clans, True)
    given[10**9] = False  # no clan has this id
    if not indexed:
        # The same id spelled twice: the runner cannot index it and filters per partition.
        given[str(clans[0])] = True
    inputs = {"clan": {"clan_promotes_learning": given}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(SchemaError) as memory:
            ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31", inputs=inputs)
        assert "1 unknown id(s), e.g. 1000000000" in str(memory.value)
        with pytest.raises(SchemaError, match=r"1 unknown id\(s\), e\.g\. 1000000000"):
            evaluate_dataset(ds, "vn-national", "2025-12-31", inputs=inputs, workers=workers)
        # Without the stray key, both run (and agree: tested above).
        del given[10**9]
        if not indexed:
            del given[str(clans[0])]
        evaluate_dataset(ds, "vn-national", "2025-12-31", inputs=inputs, workers=workers)
