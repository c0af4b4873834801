"""Partitioned datasets: written, read back one partition at a time, bad ones refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.dataset import DatasetError, partition_file, read_dataset, write_dataset
from learnsoc.io.writers import OutputPathError
from tests.io.helpers import reseal


def tree(provinces: int = 3, levels: str = "vn-2025") -> ls.Hierarchy:
    """A tree with several provinces, two units per parent below them."""
    names = ls.PRESETS[levels].names
    codes, level, parent = [], [], []
    current = [""]
    for k, name in enumerate(names):
        nxt = []
        for p in current:
            for i in range(provinces if k == 0 else 2):
                code = f"{p}{i + 1:02d}" if k else f"{i + 1:02d}"
                codes.append(code)
                level.append(name)
                parent.append(p)
                nxt.append(code)
        current = nxt
    return ls.Hierarchy.from_units(
        {"code": codes, "level": level, "parent_code": parent}, levels=levels
    )


@pytest.fixture(scope="module")
def population() -> ls.Population:
    return ls.synthetic_population(persons=6_000, seed=3, hierarchy=tree(3))


@pytest.fixture
def dataset(population: ls.Population, tmp_path: Path) -> ls.io.Dataset:
    return write_dataset(population, tmp_path / "d")


def test_partitions_add_up_to_the_population(
    population: ls.Population, dataset: ls.io.Dataset
) -> None:
    """Every person, household, clan, organisation and membership is in one partition."""
    parts = [dataset.partition(key) for key in dataset.partitions]
    assert dataset.partitions == ("01", "02", "03")
    assert sum(p.n_persons for p in parts) == population.n_persons
    assert sum(p.n_households for p in parts) == population.n_households
    assert sum(p.n_clans for p in parts) == population.n_clans
    assert sum(p.n_organisations for p in parts) == population.n_organisations
    assert sum(len(p.member_person) for p in parts) == len(population.member_person)
    ids = np.sort(np.concatenate([p.person_ids for p in parts]))
    assert np.array_equal(ids, np.sort(population.person_ids))
    assert all(len(p.rejects) == 0 for p in parts)
    assert all(p.hierarchy == population.hierarchy for p in parts)
    assert dataset.n_persons == population.n_persons


def test_layout_is_hive_style(dataset: ls.io.Dataset) -> None:
    """Files sit in table/level=code folders, and the manifest records rows per table."""
    manifest = json.loads((dataset.path / "manifest.json").read_text())
    assert manifest["version"] == 1
    assert manifest["partition_by"] == "province"
    assert manifest["hierarchy"] == "vn-2025"
    assert (dataset.path / "persons" / "province=02" / "part-0.parquet").is_file()
    assert (dataset.path / "units.parquet").is_file()
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(dataset.path / "persons")  # one dataset with a province column
    assert table.num_rows == dataset.n_persons
    assert "province" in table.column_names


def test_partition_by_commune(tmp_path: Path) -> None:
    """A lower partition level works when no group crosses its units."""
    pop = ls.synthetic_population(persons=3_000, seed=1, hierarchy=tree(2, "vn-2025"))
    ds = write_dataset(pop, tmp_path / "c", partition_by="commune")
    assert ds.partitions == ("0101", "0102", "0201", "0202")
    assert sum(ds.partition(k).n_persons for k in ds.partitions) == pop.n_persons


def test_a_household_across_partitions_is_named(tmp_path: Path) -> None:
    """A clan whose households live in two provinces cannot be split: the error names it."""
    h = tree(2, "vn-2025")
    villages = h.codes_at("village")
    pop = ls.Population.from_records(
        persons=[ls.Person("p1", "H1", age=30), ls.Person("p2", "H2", age=40)],
        households=[
            ls.Household("H1", str(villages[0]), clan_id="C1"),
            ls.Household("H2", str(villages[-1]), clan_id="C1"),
        ],
        clans=[ls.Clan("C1")],
        hierarchy=h,
    )
    with pytest.raises(
        DatasetError, match=r"clan 'C1' has members in two partitions \('01' and '02'\)"
    ):
        write_dataset(pop, tmp_path / "x")
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())


def test_an_organisation_across_partitions_is_named(tmp_path: Path) -> None:
    """An organisation of one province with a member in another is named."""
    h = tree(2, "vn-2025")
    villages = h.codes_at("village")
    pop = ls.Population.from_records(
        persons=[ls.Person("p1", "H1", age=30), ls.Person("p2", "H2", age=40)],
        households=[ls.Household("H1", str(villages[0])), ls.Household("H2", str(villages[-1]))],
        organisations=[
            ls.Organisation("O1", ls.OrganisationType.AGENCY, "01", members=("p1", "p2"))
        ],
        hierarchy=h,
    )
    with pytest.raises(
        DatasetError, match=r"organisation 'O1' has members in two partitions \('01' and '02'\)"
    ):
        write_dataset(pop, tmp_path / "x")


def test_a_folder_that_is_not_empty_is_refused(population: ls.Population, tmp_path: Path) -> None:
    """Nothing is written over another folder's files."""
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(OutputPathError, match="a dataset is written into a new or empty folder"):
        write_dataset(population, tmp_path)


def test_unknown_partition_level(population: ls.Population, tmp_path: Path) -> None:
    """A level the tree lacks is refused with a suggestion."""
    with pytest.raises(DatasetError, match="did you mean 'province'"):
        write_dataset(population, tmp_path / "x", partition_by="provinces")


def test_missing_partition_file(dataset: ls.io.Dataset) -> None:
    """A partition file that is gone is named when the dataset is opened."""
    file = partition_file(dataset.path, "households", "province", "02")
    file.unlink()
    with pytest.raises(DatasetError, match="partition file missing") as info:
        read_dataset(dataset.path)
    assert info.value.file == str(file)
    assert str(file) in str(info.value)


def test_corrupt_parquet_file(dataset: ls.io.Dataset) -> None:
    """A damaged Parquet file is named, with pyarrow's reason, never a raw traceback."""
    file = partition_file(dataset.path, "persons", "province", "03")
    file.write_bytes(b"PAR1 not really")
    with pytest.raises(DatasetError, match="not a readable Parquet file") as info:
        dataset.partition("03")
    assert info.value.file == str(file)


def test_row_counts_must_match_the_manifest(
    population: ls.Population, dataset: ls.io.Dataset
) -> None:
    """A partition file replaced by another one's is caught by the manifest's row counts."""
    a = partition_file(dataset.path, "persons", "province", "01")
    b = partition_file(dataset.path, "persons", "province", "02")
    a.write_bytes(b.read_bytes())
    with pytest.raises(
        DatasetError, match=r"the file has [\d,]+ rows, the manifest records"
    ) as info:
        dataset.partition("01")
    assert info.value.file == str(a)


def test_units_table_must_cover_the_partition(dataset: ls.io.Dataset) -> None:
    """Households whose unit is not under the partition in units.parquet are refused."""
    pq = pytest.importorskip("pyarrow.parquet")
    pc = pytest.importorskip("pyarrow.compute")
    file = partition_file(dataset.path, "households", "province", "01")
    table = pq.read_table(file)
    column = table.column("unit_code")
    moved = pc.if_else(pc.equal(column, column[0]), "99999999", column)
    pq.write_table(
        table.set_column(table.column_names.index("unit_code"), "unit_code", moved), file
    )
    with pytest.raises(
        DatasetError, match=r"unit_code '99999999' is not a unit of partition '01'"
    ) as info:
        dataset.partition("01")
    assert info.value.file == str(file)


def _recode(file: Path, pick: Any) -> None:
    """Rewrite a partition file's unit_code column as ``pick(column)`` returns it."""
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(file)
    at = table.column_names.index("unit_code")
    pq.write_table(table.set_column(at, "unit_code", pick(table.column("unit_code"))), file)
    reseal(file.parents[2])


@pytest.mark.parametrize("table", ["households", "clans", "organisations"])
def test_units_of_another_partition_are_refused(dataset: ls.io.Dataset, table: str) -> None:
    """A known unit code of another partition is refused in each table, with its file."""
    pc = pytest.importorskip("pyarrow.compute")
    elsewhere = "020101" if table == "households" else "02"  # a village / the province 02
    file = partition_file(dataset.path, table, "province", "01")
    _recode(file, lambda c: pc.if_else(pc.equal(c, c[0]), elsewhere, c))
    with pytest.raises(DatasetError, match=rf"unit_code '{elsewhere}' is not a unit of") as info:
        dataset.partition("01", rejects="keep")
    assert info.value.file == str(file)


def test_household_on_a_commune_is_refused(dataset: ls.io.Dataset) -> None:
    """A household must hang on a village of the partition, not on its commune."""
    pc = pytest.importorskip("pyarrow.compute")
    file = partition_file(dataset.path, "households", "province", "01")
    _recode(file, lambda c: pc.if_else(pc.equal(c, c[0]), "0101", c))
    with pytest.raises(DatasetError, match=r"unit_code '0101' is not a unit of partition"):
        dataset.partition("01", rejects="keep")


def test_groups_may_hang_on_the_partition_or_above(
    population: ls.Population, tmp_path: Path
) -> None:
    """Clans and organisations attached to the partition's province are read as such."""
    pc = pytest.importorskip("pyarrow.compute")
    dataset = write_dataset(population, tmp_path / "d")
    for table in ("clans", "organisations"):
        file = partition_file(dataset.path, table, "province", "01")
        _recode(file, lambda c: pc.if_else(pc.is_valid(c), "01", c))
    part = read_dataset(dataset.path).partition("01")  # the manifest of the files edited
    assert len(part.rejects) == 0
    assert set(part.organisation_unit.tolist()) == {0}
    assert set(part.clan_unit[part.clan_unit >= 0].tolist()) == {0}


def test_no_manifest(tmp_path: Path) -> None:
    """A folder without a manifest (an interrupted write) is not a dataset."""
    with pytest.raises(DatasetError, match="no dataset manifest here"):
        read_dataset(tmp_path)


def test_manifest_of_another_version(dataset: ls.io.Dataset) -> None:
    """A layout this version does not know is refused by number."""
    path = dataset.path / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["version"] = 7
    path.write_text(json.dumps(manifest))
    with pytest.raises(DatasetError, match="dataset layout version 7"):
        read_dataset(dataset.path)


def test_unknown_partition_key(dataset: ls.io.Dataset) -> None:
    """A key that is no partition is refused with a suggestion."""
    with pytest.raises(DatasetError, match="no partition '4' in this dataset"):
        dataset.partition("4")


def _missing_file(ds: ls.io.Dataset) -> Path:
    file = partition_file(ds.path, "clans", "province", "02")
    file.unlink()
    read_dataset(ds.path)
    return file


def _damaged_file(ds: ls.io.Dataset) -> Path:
    file = partition_file(ds.path, "persons", "province", "03")
    file.write_bytes(b"")
    ds.partition("03")
    return file


def _replaced_file(ds: ls.io.Dataset) -> Path:
    file = partition_file(ds.path, "households", "province", "01")
    file.write_bytes(partition_file(ds.path, "households", "province", "02").read_bytes())
    ds.partition("01")
    return file


def _unknown_key(ds: ls.io.Dataset) -> Path:
    ds.partition("O1")
    return ds.path / "manifest.json"


@pytest.mark.parametrize(
    ("action", "english", "vietnamese"),
    [
        (
            _missing_file,
            "partition file missing: the manifest lists it for partition '02' (rows: {rows:,}); "
            "restore the file or write the dataset again",
            "thiếu tệp của phân vùng: tệp mô tả ghi tệp này cho phân vùng '02' "
            "(số dòng: {rows:,}); hãy khôi phục tệp hoặc ghi lại bộ dữ liệu",
        ),
        (
            _damaged_file,
            "not a readable Parquet file (",
            "không đọc được tệp Parquet (",
        ),
        (
            _replaced_file,
            "the file has {other:,} rows, the manifest records {rows:,} for partition '01'; "
            "the file was changed after the dataset was written",
            "tệp có {other:,} dòng, trong khi tệp mô tả ghi {rows:,} dòng cho phân vùng '01'; "
            "tệp đã bị thay đổi sau khi bộ dữ liệu được ghi",
        ),
        (
            _unknown_key,
            "no partition 'O1' in this dataset; expected one of '01', '02', '03'",
            "bộ dữ liệu này không có phân vùng 'O1'; cần một trong các giá trị '01', '02', '03'",
        ),
    ],
)
def test_errors_read_in_vietnamese(
    dataset: ls.io.Dataset, action: Any, english: str, vietnamese: str
) -> None:
    """The errors a user meets print in Vietnamese, the English text unchanged."""
    counts = {"rows": 0, "other": 0}
    key = {_missing_file: ("02", "clans"), _replaced_file: ("01", "households")}.get(action)
    if key is not None:
        counts["rows"] = dataset.rows[key[0]][key[1]]
        counts["other"] = dataset.rows["02"]["households"]
    with pytest.raises(DatasetError) as info:
        action(dataset)
    file = info.value.file
    assert file is not None
    assert str(info.value).startswith(f"{file}: {english.format(**counts)}")
    assert info.value.localized("vi").startswith(f"{file}: {vietnamese.format(**counts)}")


def test_synthetic_dataset_is_deterministic(tmp_path: Path) -> None:
    """The same seed writes the same files; ids are unique across partitions."""
    from learnsoc.synth import write_synthetic_dataset

    a = write_synthetic_dataset(tmp_path / "a", persons=4_000, seed=5, partition_by="village")
    b = write_synthetic_dataset(tmp_path / "b", persons=4_000, seed=5, partition_by="village")
    assert a.partitions == b.partitions
    assert len(a.partitions) == 4
    for key in a.partitions:
        for table, file in a.files(key).items():
            assert file.read_bytes() == b.files(key)[table].read_bytes(), (key, table)
    parts = [a.partition(key) for key in a.partitions]
    ids = np.concatenate([p.person_ids for p in parts])
    assert len(np.unique(ids)) == len(ids) == 4_000
    households = np.concatenate([p.household_ids for p in parts])
    assert len(np.unique(households)) == len(households)
    assert all(len(p.rejects) == 0 and p.n_clans > 0 for p in parts)
    c = write_synthetic_dataset(tmp_path / "c", persons=4_000, seed=6, partition_by="village")
    assert c.partition(c.partitions[0]).summary() != parts[0].summary()


def test_synthetic_dataset_evaluates_like_its_population(tmp_path: Path) -> None:
    """A synthetic dataset evaluates as its one partition read in memory does."""
    import warnings

    from learnsoc.scale import evaluate_dataset
    from learnsoc.synth import write_synthetic_dataset

    ds = write_synthetic_dataset(tmp_path / "s", persons=3_000, seed=2)
    assert ds.partitions == ("01",)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = evaluate_dataset(ds, "vn-national", "2025-12-31")
        whole = ls.evaluate(ds.partition("01"), ls.load_rulebook("vn-national"), "2025-12-31")
    assert ev.summary() == whole.summary()
    assert ev.summary().rows[0].entities == 3_000


def test_units_table_missing_or_changed(dataset: ls.io.Dataset) -> None:
    """The units table is checked like the partitions' files, and named."""
    units = dataset.path / "units.parquet"
    kept = units.read_bytes()
    units.unlink()
    with pytest.raises(DatasetError, match="the units table of the dataset is missing") as info:
        read_dataset(dataset.path)
    assert info.value.file == str(units)
    pq = pytest.importorskip("pyarrow.parquet")
    units.write_bytes(kept)
    table = pq.read_table(units)
    pq.write_table(table.slice(0, table.num_rows - 1), units)
    with pytest.raises(DatasetError, match=r"the units table has [0-9,]+ rows, the manifest"):
        read_dataset(dataset.path)
