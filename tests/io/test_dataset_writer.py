"""DatasetWriter: a dataset written a partition at a time, with write_dataset's guarantees."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.dataset import DatasetError, DatasetWriter, read_dataset, write_dataset
from learnsoc.io.writers import OutputPathError
from tests.io.dataset_folders import make_folders, population
from tests.io.test_dataset import tree
from tests.optional import needs

pytestmark = needs("pyarrow")


def records(
    h: ls.Hierarchy, village: str, ids: tuple[str, ...], clan: str | None = None
) -> ls.Population:
    """A population of one household per id in ``village``, a person in each."""
    return ls.Population.from_records(
        persons=[ls.Person(f"p{i}", i, age=30) for i in ids],
        households=[ls.Household(i, village, clan_id=clan) for i in ids],
        clans=[ls.Clan(clan)] if clan else [],
        hierarchy=h,
    )


def write_all(
    folder: Path, h: ls.Hierarchy, pops: list[tuple[ls.Population, str]]
) -> ls.io.Dataset:
    """Write each population with its source, as an ETL script's loop does."""
    with DatasetWriter(folder, h) as writer:
        for pop, source in pops:
            writer.write(pop, source=source)
    return writer.dataset


@pytest.fixture(scope="module")
def whole() -> ls.Population:
    return population(persons=900, seed=4)


def evaluated(ds: ls.io.Dataset | ls.Population) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if isinstance(ds, ls.Population):
            return ls.evaluate(ds, ls.load_rulebook("vn-national"), "2025-12-31").summary()
        return ls.evaluate_dataset(ds, "vn-national", "2025-12-31").summary()


def test_partition_by_partition_is_write_dataset(whole: ls.Population, tmp_path: Path) -> None:
    """Each partition written on its own gives the files and manifest write_dataset writes."""
    one = write_dataset(whole, tmp_path / "one")
    with DatasetWriter(tmp_path / "parts", whole.hierarchy) as writer:
        for key in one.partitions:
            done = writer.write(one.partition(key), source=f"tinh-{key}")
            assert done.partitions == (key,)
            assert done.source == f"tinh-{key}"
    parts = writer.dataset
    assert parts.partitions == one.partitions
    assert parts.rows == one.rows
    assert writer.empty == ()
    manifest = json.loads((parts.path / "manifest.json").read_text())
    assert manifest == json.loads((one.path / "manifest.json").read_text())
    for key in one.partitions:
        for table, file in one.files(key).items():
            assert parts.files(key)[table].read_bytes() == file.read_bytes(), (key, table)
        assert np.array_equal(one.partition(key).person_ids, parts.partition(key).person_ids)
    assert evaluated(parts) == evaluated(whole)


def test_partitions_nobody_wrote_are_written_empty(whole: ls.Population, tmp_path: Path) -> None:
    """A partition no population held is there, empty, and named in ``empty``."""
    one = write_dataset(whole, tmp_path / "one")
    with DatasetWriter(tmp_path / "d", whole.hierarchy) as writer:
        writer.write(one.partition("02"))
    assert writer.empty == ("01", "03")
    ds = read_dataset(tmp_path / "d")
    assert [ds.rows[k]["persons"] for k in ds.partitions] == [0, one.rows["02"]["persons"], 0]
    empty = ds.partition("01")
    assert empty.n_persons == 0
    assert set(ds.partition("02").columns("person")) == set(empty.columns("person"))


def test_a_partition_written_twice(tmp_path: Path) -> None:
    """The second write of a partition is refused, naming both sources; nothing is left."""
    h = tree(2)
    v = h.codes_at("village")
    with pytest.raises(DatasetError) as info:
        write_all(
            tmp_path / "d",
            h,
            [
                (records(h, str(v[0]), ("a",)), "tinh-01/"),
                (records(h, str(v[1]), ("b",)), "tinh-01-bis/"),
            ],
        )
    assert str(info.value) == (
        "tinh-01-bis/: partition '01' is already written (from tinh-01/); a partition is "
        "written once, with all its rows: read its files together"
    )
    assert info.value.localized("vi") == (
        "tinh-01-bis/: phân vùng '01' đã được ghi (từ tinh-01/); mỗi phân vùng chỉ được ghi "
        "một lần, với đủ các dòng của nó: hãy đọc các tệp của phân vùng cùng một lúc"
    )
    assert info.value.partition == "01"
    assert not (tmp_path / "d").exists()


def test_a_refused_write_leaves_the_writer_usable(tmp_path: Path) -> None:
    """A refusal writes nothing of that population; the writer goes on and closes whole."""
    h = tree(2)
    v = h.codes_at("village")
    writer = DatasetWriter(tmp_path / "d", h)
    writer.write(records(h, str(v[0]), ("a",)))
    with pytest.raises(DatasetError, match="already written"):
        writer.write(records(h, str(v[0]), ("b",)))
    writer.write(records(h, str(v[-1]), ("c",)))
    ds = writer.close()
    assert ds.n_persons == 2
    assert writer.close() is ds
    with pytest.raises(DatasetError, match="this dataset writer is closed"):
        writer.write(records(h, str(v[0]), ("d",)))


def test_rows_outside_the_partitions_given(tmp_path: Path) -> None:
    """A household of province 02 in a population given as province 01's is named."""
    h = tree(2)
    v = h.codes_at("village")
    pop = ls.Population.from_records(
        persons=[ls.Person("p1", "H1", age=30), ls.Person("p2", "H2", age=30)],
        households=[ls.Household("H1", str(v[0])), ls.Household("H2", str(v[-1]))],
        hierarchy=h,
    )
    with pytest.raises(DatasetError) as info, DatasetWriter(tmp_path / "d", h) as writer:
        writer.write(pop, partitions=["01"], source="tinh-01/")
    assert str(info.value) == (
        "tinh-01/: household 'H2' is in partition '02', not among the partitions given "
        "('01'); a population written holds whole partitions: give its partitions, or fix "
        "its unit (rows like it: 1)"
    )
    assert info.value.localized("vi").startswith(
        "tinh-01/: hộ gia đình 'H2' thuộc phân vùng '02', không nằm trong các phân vùng đã nêu"
    )
    expected = r"'1' is not a partition: not a unit of level 'province'; expected one of '01', '02'"
    with pytest.raises(DatasetError, match=expected):
        DatasetWriter(tmp_path / "e", h).write(pop, partitions=["1"])


def test_a_clan_split_between_partitions(tmp_path: Path) -> None:
    """A clan with households in two provinces of one population: write_dataset's error."""
    h = tree(2)
    v = h.codes_at("village")
    pop = ls.Population.from_records(
        persons=[ls.Person("p1", "H1", age=30), ls.Person("p2", "H2", age=40)],
        households=[
            ls.Household("H1", str(v[0]), clan_id="C1"),
            ls.Household("H2", str(v[-1]), clan_id="C1"),
        ],
        clans=[ls.Clan("C1")],
        hierarchy=h,
    )
    with pytest.raises(DatasetError) as info, DatasetWriter(tmp_path / "d", h) as writer:
        writer.write(pop, source="region/")
    assert str(info.value).startswith(
        "region/: clan 'C1' has members in two partitions ('01' and '02')"
    )
    assert info.value.localized("vi").startswith("region/: ")


@pytest.mark.parametrize(
    ("first", "second", "column"),
    [
        (("a", "b"), ("b", "c"), "household_id"),  # text ids: read and grouped
        ((1, 2), (2, 3), "household_id"),  # numbers in overlapping ranges
    ],
)
def test_the_same_id_in_two_partitions(
    tmp_path: Path, first: tuple[str | int, ...], second: tuple[str | int, ...], column: str
) -> None:
    """Provinces numbering their households alike: refused at close, no dataset left."""
    h = tree(2)
    v = h.codes_at("village")
    one = ls.Population.from_records(
        persons=[ls.Person(f"p{i}-1", i, age=30) for i in first],
        households=[ls.Household(i, str(v[0])) for i in first],
        hierarchy=h,
    )
    two = ls.Population.from_records(
        persons=[ls.Person(f"p{i}-2", i, age=30) for i in second],
        households=[ls.Household(i, str(v[-1])) for i in second],
        hierarchy=h,
    )
    with pytest.raises(DatasetError) as info:
        write_all(tmp_path / "d", h, [(one, "tinh-01/"), (two, "tinh-02/")])
    shown = repr(second[0])
    assert str(info.value) == (
        f"tinh-02/: {column} {shown} is in two partitions ('01' from tinh-01/, '02' from "
        "tinh-02/); each partition is read on its own, so ids must be unique across the "
        "dataset: give the files ids that differ from one partition to the next (e.g. the "
        "province code in front of them) (ids in two partitions: 1)"
    )
    assert info.value.localized("vi").startswith(
        f"tinh-02/: {column} {shown} nằm ở hai phân vùng ('01' từ tinh-01/, '02' từ tinh-02/)"
    )
    assert not (tmp_path / "d").exists()
    with pytest.raises(DatasetError, match="no dataset manifest here"):
        read_dataset(tmp_path / "d")


def test_a_population_of_another_tree(tmp_path: Path) -> None:
    """A population read with another units table is refused, both trees described."""
    h, other = tree(2), tree(3)
    pop = records(other, str(other.codes_at("village")[0]), ("a",))
    with pytest.raises(DatasetError) as info, DatasetWriter(tmp_path / "d", h) as writer:
        writer.write(pop, source="tinh-01/")
    assert str(info.value) == (
        "tinh-01/: the population's hierarchy is not the writer's (province, commune, "
        "village: 21 units; the writer's province, commune, village: 14 units); read the "
        "files with hierarchy=writer.hierarchy, so every partition has the same units table"
    )
    assert "cây đơn vị hành chính của dân cư không phải cây của bộ ghi" in (
        info.value.localized("vi")
    )


def read_folder(folder: Path, h: ls.Hierarchy) -> ls.Population:
    files = {p.stem: p for p in folder.iterdir()}
    return ls.read_population(
        files["persons"],
        households=files["households"],
        clans=files["clans"],
        organisations=files["organisations"],
        memberships=files["memberships"],
        hierarchy=h,
        mapping=folder.parent / "mapping.toml",
        encoding="cp1258",
        header_row=2,
        bars=False,
    )


@pytest.fixture(scope="module")
def folders(whole: ls.Population, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_folders(tmp_path_factory.mktemp("folders"), whole, bad_cell=True)


def test_rejected_rows_are_refused_naming_the_file(
    whole: ls.Population, folders: list[Path], tmp_path: Path
) -> None:
    """A province whose files had a bad cell is refused, the file and line named."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pop = read_folder(folders[2], whole.hierarchy)
    file = str(folders[2] / "persons.csv")
    with pytest.raises(DatasetError) as info, DatasetWriter(tmp_path / "d", whole.hierarchy) as w:
        w.write(pop, source=folders[2])
    assert info.value.file == file
    assert str(info.value).startswith(
        f"{file}: 1 row was rejected when the files were read: line 235, column Tuổi: value "
        "'ba mươi' is not a number; it would be missing from the dataset"
    )
    assert info.value.localized("vi").startswith(f"{file}: 1 dòng bị loại khi đọc tệp: dòng 235")
    assert not (tmp_path / "d").exists()


def test_rejected_rows_dropped_on_request_add_up(
    whole: ls.Population, folders: list[Path], tmp_path: Path
) -> None:
    """rejects='drop': the rows accepted are written; accepted + rejected = read, kept."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with DatasetWriter(tmp_path / "d", whole.hierarchy, rejects="drop") as writer:
            for folder in folders:
                writer.write(read_folder(folder, whole.hierarchy), source=folder)
    rejected = writer.written[2].rejects
    read, accepted, n = rejected.counts()["person"]
    assert (read, n) == (accepted + 1, 1)
    assert writer.written[2].rows["03"]["persons"] == accepted
    assert all(len(w.rejects) == 0 for w in writer.written[:2])
    assert evaluated(writer.dataset) == evaluated(whole)
    with pytest.raises(DatasetError, match="expected 'raise' or 'drop'"):
        DatasetWriter(tmp_path / "e", whole.hierarchy, rejects="keep")


def test_rows_skipped_beside_rows_rejected_are_not_counted_accepted(tmp_path: Path) -> None:
    """A file with a totals row (skipped) and a bad age (rejected): the dataset counts both.

    The writer took the skipped rows of a read with rejects from a field the rejects of
    files leave empty: the totals row counted as accepted (3 read, 2 accepted, 1 rejected
    for 1 person written).
    """
    (tmp_path / "units.csv").write_text(
        "code,name,level,parent_code\n01,A,province,\n0101,A1,commune,01\n", "utf-8"
    )
    (tmp_path / "h.csv").write_text("household_id,unit_code\nH1,0101\n", "utf-8")
    persons = "person_id,household_id,age\nP1,H1,40\nP2,H1,300\nTổng cộng,,40\n"
    (tmp_path / "p.csv").write_text(persons, "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the totals row is skipped with a warning
        pop = ls.read_population(
            tmp_path / "p.csv",
            households=tmp_path / "h.csv",
            units=tmp_path / "units.csv",
            levels=["province", "commune"],
            bars=False,
        )
    assert pop.rejects.counts()["person"] == (3, 1, 1)
    assert pop.rejects.n_skipped("person") == 1
    with DatasetWriter(tmp_path / "d", pop.hierarchy, rejects="drop") as writer:
        writer.write(pop, source="p.csv")
    assert writer.rejects.counts() == pop.rejects.counts()
    assert writer.rejects.n_skipped("person") == 1
    ds = read_dataset(tmp_path / "d")
    assert ds.rejects.counts()["person"] == (3, ds.n_persons, 1) == (3, 1, 1)


def test_an_exception_in_the_block_leaves_no_dataset(whole: ls.Population, tmp_path: Path) -> None:
    """Files written before an error are removed: no folder that reads as a dataset."""
    one = write_dataset(whole, tmp_path / "one")

    def fail(folder: Path) -> DatasetWriter:
        with DatasetWriter(folder, whole.hierarchy) as writer:
            writer.write(one.partition("01"))
            assert (folder / "units.parquet").is_file()
            raise KeyError("the ETL script failed")

    with pytest.raises(KeyError):
        fail(tmp_path / "d")
    assert not (tmp_path / "d").exists()
    kept = tmp_path / "empty"
    kept.mkdir()
    with pytest.raises(KeyError):
        fail(kept)
    assert kept.is_dir() and not any(kept.iterdir())  # the user's folder stays, empty
    with pytest.raises(DatasetError, match="not written yet"):
        _ = DatasetWriter(tmp_path / "f", whole.hierarchy).dataset


def test_the_folder_must_be_new_or_empty(whole: ls.Population, tmp_path: Path) -> None:
    """Nothing is written over another folder's files, as write_dataset refuses."""
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(OutputPathError, match="a dataset is written into a new or empty folder"):
        DatasetWriter(tmp_path, whole.hierarchy)
    with pytest.raises(DatasetError, match="did you mean 'province'"):
        DatasetWriter(tmp_path / "x", whole.hierarchy, partition_by="provinces")


def test_write_dataset_still_takes_a_population_with_rejects(
    whole: ls.Population, folders: list[Path], tmp_path: Path
) -> None:
    """write_dataset writes the rows accepted, as before; the rejected ones stay in rejects."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pop = read_folder(folders[2], whole.hierarchy)
    assert pop.rejects.n_rejected("person") == 1
    ds = write_dataset(pop, tmp_path / "d")
    assert ds.rows["03"]["persons"] == pop.n_persons


def test_integer_ids_are_stored_as_deltas(whole: ls.Population, tmp_path: Path) -> None:
    """Ids are delta-encoded (a tenth of the size, decoded ~5x faster) and read back exactly."""
    import pyarrow.parquet as pq

    ds = write_dataset(whole, tmp_path / "ds")
    persons = sorted((tmp_path / "ds" / "persons").glob("*/*.parquet"))
    chunk = pq.ParquetFile(persons[0]).metadata.row_group(0)
    encodings = {chunk.column(j).path_in_schema: chunk.column(j).encodings for j in range(3)}
    assert "DELTA_BINARY_PACKED" in encodings["person_id"]
    assert "DELTA_BINARY_PACKED" in encodings["household_id"]
    assert "DELTA_BINARY_PACKED" not in encodings["age"]
    parts = [ds.partition(key) for key in ds.partitions]
    ids = np.sort(np.concatenate([p.person_ids for p in parts]))
    assert np.array_equal(ids, np.sort(whole.person_ids))
    households = np.sort(np.concatenate([p.household_ids for p in parts]))
    assert np.array_equal(households, np.sort(whole.household_ids))


def test_pages_are_bounded_by_bytes_not_by_pyarrows_row_count(tmp_path: Path) -> None:
    """A partition's columns are stored in a few large pages: each page header is checked
    on reading, and pyarrow's default of 20,000 rows a page made 15,700 checks at 10M."""
    import pyarrow.parquet as pq

    from learnsoc.io._pages import chunk_sizes, start
    from learnsoc.io.export import _writer_takes_rows_per_page

    if not _writer_takes_rows_per_page():
        pytest.skip("this pyarrow has no max_rows_per_page")
    ds = tmp_path / "ds"
    ls.synth.write_synthetic_dataset(ds, persons=60_000, seed=3)
    largest = max((ds / "persons").glob("*/*.parquet"), key=lambda p: p.stat().st_size)
    meta = pq.ParquetFile(largest).metadata
    rows = meta.row_group(0).num_rows
    assert rows > 40_000  # two of pyarrow's default pages at least
    data = largest.read_bytes()
    for j in range(meta.num_columns):
        chunk = meta.row_group(0).column(j)
        pages = chunk_sizes(data, start(chunk), chunk.total_compressed_size).pages
        # One data page (plus a dictionary page) where pyarrow's default writes rows/20,000.
        assert pages <= 2, (chunk.path_in_schema, pages)
