"""Bad datasets, tried as a user would break them: each gets an error naming its file.

Nothing is skipped silently: a file or folder the manifest does not list, an entity in two
partitions, a rejected row, each stops the read with a :class:`DatasetError` (or the
reader's :class:`SchemaError`) that names the file, and the row and column where it can.
"""

from __future__ import annotations

import json
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.io.dataset import DatasetError, read_dataset, write_dataset
from tests.io.dataset_copies import evaluate, file_of, fresh_copy, good_dataset
from tests.io.helpers import reseal
from tests.io.test_dataset import tree

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

TABLES = ("persons", "households", "clans", "organisations", "memberships")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return good_dataset(tmp_path_factory, "bad", persons=6_000)


@pytest.fixture
def folder(written: Path, tmp_path: Path) -> Path:
    return fresh_copy(written, tmp_path)


def edit_manifest(folder: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    edit(manifest)
    path.write_text(json.dumps(manifest))


def rewrite(folder: Path, table: str, key: str, edit: Callable[[Any], Any]) -> Path:
    """Rewrite one partition file with ``edit(table)``, keeping the manifest's count right."""
    path = file_of(folder, table, key)
    new = edit(pq.read_table(path))
    pq.write_table(new, path)

    def count(m: dict[str, Any]) -> None:
        part = next(p for p in m["partitions"] if p["key"] == key)
        part["rows"][table] = new.num_rows

    edit_manifest(folder, count)
    reseal(folder)
    return path


# -- folders and files the manifest does not list -----------------------------------------


def test_a_partition_folder_not_in_the_manifest(folder: Path) -> None:
    """A province=04 folder left beside the others would be read by DuckDB, not by learnsoc."""
    stray = folder / "persons" / "province=04"
    shutil.copytree(folder / "persons" / "province=02", stray)
    with pytest.raises(DatasetError, match="not a partition file the manifest lists") as info:
        read_dataset(folder)
    assert info.value.file == str(stray)
    assert str(info.value).startswith(f"{stray}: ")


def test_a_second_file_in_a_partition_folder(folder: Path) -> None:
    """part-1.parquet beside part-0.parquet holds rows learnsoc would leave out."""
    stray = file_of(folder, "households", "01").with_name("part-1.parquet")
    shutil.copy(file_of(folder, "households", "01"), stray)
    with pytest.raises(DatasetError, match="not a partition file the manifest lists") as info:
        evaluate(folder)
    assert info.value.file == str(stray)


def test_hidden_files_are_ignored_as_other_tools_ignore_them(folder: Path) -> None:
    """Files starting with '.' or '_' (.DS_Store, _SUCCESS) are skipped by every reader."""
    (folder / "persons" / "_SUCCESS").write_text("")
    (file_of(folder, "persons", "01").parent / ".DS_Store").write_text("")
    assert read_dataset(folder).partitions == ("01", "02", "03")


def test_a_partition_in_the_manifest_whose_folder_is_gone(folder: Path) -> None:
    """The reverse: the manifest lists a partition whose files are not on disk."""
    shutil.rmtree(folder / "clans" / "province=03")
    with pytest.raises(DatasetError, match="partition file missing") as info:
        read_dataset(folder)
    assert info.value.file == str(file_of(folder, "clans", "03"))


# -- the manifest ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m["partitions"][0]["rows"].__setitem__("persons", -1), "not counts"),
        (lambda m: m["partitions"][0]["rows"].__setitem__("persons", True), "not counts"),
        (lambda m: m["partitions"][0]["rows"].__setitem__("persons", "2,461"), "not counts"),
        (lambda m: m["partitions"][0]["rows"].pop("clans"), "not counts"),
        (lambda m: m["units"].__setitem__("rows", 1.5), "not counts"),
        (lambda m: m["partitions"].__setitem__(1, m["partitions"][0]), "listed twice"),
        (lambda m: m.__setitem__("tables", ["persons"]), "tables are not those of layout"),
        (lambda m: m["units"].__setitem__("file", "../units.parquet"), "units file is not"),
        (lambda m: m.pop("version"), "it has no layout version"),
        (lambda m: m.__setitem__("version", True), "dataset layout version True"),
        (lambda m: m.__setitem__("hierarchy", 5), "its hierarchy 5 is not a preset"),
        (lambda m: m.__setitem__("hierarchy", "vn-2030"), "unknown hierarchy preset 'vn-2030'"),
        (lambda m: m.__setitem__("partition_by", ["province"]), "not counts"),
    ],
)
def test_an_edited_manifest(folder: Path, edit: Callable[..., object], message: str) -> None:
    """Every edit a hand (or a script) can make to the manifest is named, with the file."""
    edit_manifest(folder, edit)
    with pytest.raises(DatasetError, match=message) as info:
        read_dataset(folder)
    assert info.value.file == str(folder / "manifest.json")


def test_an_edited_row_count(folder: Path) -> None:
    """A count that no longer matches its file names the file and both counts."""
    edit_manifest(folder, lambda m: m["partitions"][2]["rows"].__setitem__("memberships", 7))
    with pytest.raises(DatasetError, match=r"the manifest records 7 for partition '03'") as info:
        read_dataset(folder)
    assert info.value.file == str(file_of(folder, "memberships", "03"))


def test_the_units_table_is_not_a_tree(folder: Path) -> None:
    """A units table without its level column is named (the hierarchy's own reason kept)."""
    units = folder / "units.parquet"
    pq.write_table(pq.read_table(units).drop(["level"]), units)
    with pytest.raises(DatasetError, match="the units table is not a tree") as info:
        read_dataset(folder)
    assert info.value.file == str(units)


# -- damaged Parquet files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda b: b[: len(b) // 2], "magic bytes not found"),
        (lambda b: b[:-5], "magic bytes not found"),
        (lambda b: np.random.default_rng(0).bytes(4096), "magic bytes not found"),
        (lambda b: b"", "size is 0 bytes"),
    ],
    ids=["half", "tail-cut", "random", "empty"],
)
@pytest.mark.parametrize("table", TABLES)
def test_a_damaged_file_is_named_when_the_dataset_is_opened(
    folder: Path, table: str, damage: Callable[[bytes], bytes], reason: str
) -> None:
    """Truncated, random or empty: the open names the file, never a pyarrow traceback."""
    path = file_of(folder, table, "02")
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(DatasetError, match=f"not a readable Parquet file .*{reason}") as info:
        read_dataset(folder)
    assert info.value.file == str(path)
    assert info.value.partition == "02"


# -- columns: missing, extra, of the wrong type ----------------------------------------------


def test_a_missing_unit_code_column(folder: Path) -> None:
    """A households file without unit_code is the reader's missing column, not an ArrowInvalid."""
    path = rewrite(folder, "households", "02", lambda t: t.drop(["unit_code"]))
    with pytest.raises(SchemaError, match="'unit_code': required column is missing from") as info:
        evaluate(folder)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(("table", "column"), [("persons", "age"), ("clans", "clan_id")])
def test_a_missing_column(folder: Path, table: str, column: str) -> None:
    path = rewrite(folder, table, "01", lambda t: t.drop([column]))
    with pytest.raises((SchemaError, DatasetError), match=column) as info:
        evaluate(folder)
    assert str(path) in str(info.value)


def test_an_extra_column(folder: Path) -> None:
    """A column learnsoc does not know is named with its file, not dropped."""
    path = rewrite(
        folder, "persons", "03", lambda t: t.append_column("salary", pa.array([1.0] * len(t)))
    )
    with pytest.raises(SchemaError, match="'salary': unknown column in") as info:
        ls.read_dataset(folder).partition("03")
    assert str(path) in str(info.value)


def test_a_column_of_words_where_numbers_belong(folder: Path) -> None:
    """Ages written as words: the error names the file, the line, the column and the value."""
    path = rewrite(
        folder, "persons", "02", lambda t: t.set_column(2, "age", pa.array(["old"] * len(t)))
    )
    assert pq.read_table(path).column_names[2] == "age"
    ds = read_dataset(folder)
    with pytest.raises(DatasetError, match="rows were rejected when read") as info:
        ds.partition("02")
    assert info.value.file == str(path)
    assert "line 1, column age: value 'old' is not a number" in str(info.value)
    assert str(info.value).count(str(path)) == 1
    with pytest.raises(DatasetError, match=str(path)):
        evaluate(folder)


def test_ages_written_as_text_numbers_are_read(folder: Path) -> None:
    """Ages as text ('30') are the same ages: nothing rejected, the same counts."""
    before = read_dataset(folder).partition("01")
    rewrite(
        folder, "persons", "01", lambda t: t.set_column(2, "age", t.column(2).cast(pa.string()))
    )
    after = read_dataset(folder).partition("01")
    assert len(after.rejects) == 0
    assert np.array_equal(after.columns("person")["age"], before.columns("person")["age"])


def test_float_person_ids_that_are_no_whole_number_are_rejects(folder: Path) -> None:
    """A partition's ids rewritten as floats: 2.5 and inf are rejects naming file, row, column.

    They were the persons "2.5" and "inf", accepted.
    """
    before = read_dataset(folder).partition("02")
    ids = pq.read_table(file_of(folder, "persons", "02")).column("person_id").to_pylist()
    floats = [float(i) for i in ids]
    floats[3], floats[9] = 2.5, float("inf")
    path = rewrite(
        folder, "persons", "02", lambda t: t.set_column(0, "person_id", pa.array(floats))
    )
    pop = read_dataset(folder).partition("02", rejects="keep")
    got = [(r.row, r.column, r.value, r.reason) for r in pop.rejects.records("en")]
    assert got == [(3, "person_id", "2.5", "not_integer"), (9, "person_id", "inf", "not_a_number")]
    assert pop.rejects.counts()["person"] == (len(ids), len(ids) - 2, 2)
    kept = sorted(i for n, i in enumerate(ids) if n not in (3, 9))
    assert sorted(map(int, pop.ids("person").tolist())) == kept
    assert pop.n_persons == before.n_persons - 2
    with pytest.raises(DatasetError, match="rows were rejected when read") as info:
        read_dataset(folder).partition("02")
    assert info.value.file == str(path)
    assert "line 4, column person_id: value '2.5' is not a whole number" in str(info.value)


def test_a_column_of_dates_where_numbers_belong_names_the_file(folder: Path) -> None:
    """Ages written as dates: a SchemaError naming the file (it named the column only)."""
    import datetime

    day = datetime.date(1990, 1, 2)
    path = rewrite(
        folder, "persons", "01", lambda t: t.set_column(2, "age", pa.array([day] * len(t)))
    )
    with pytest.raises(SchemaError, match="datetime64") as info:
        read_dataset(folder).partition("01")
    assert str(path) in str(info.value)


def test_rejected_rows_are_kept_on_request_and_add_up(folder: Path) -> None:
    """rejects='keep' returns every rejected row; accepted + rejected = read, per table."""
    ages = pq.read_table(file_of(folder, "persons", "02")).column("age").to_pylist()
    ages[3] = 400
    rewrite(folder, "persons", "02", lambda t: t.set_column(2, "age", pa.array(ages)))
    pop = read_dataset(folder).partition("02", rejects="keep")
    assert pop.rejects.n_rejected("person") == 1
    read, accepted, rejected = pop.rejects.counts()["person"]
    assert accepted + rejected == read == len(ages)
    assert pop.n_persons == accepted
    with pytest.raises(DatasetError, match="expected 'raise' or 'keep'"):
        read_dataset(folder).partition("02", rejects="drop")


# -- entities split across partitions --------------------------------------------------------


def test_a_household_in_two_partitions(folder: Path) -> None:
    """A household of province 01 written again in 02 with a member there: counted twice."""
    one = pq.read_table(file_of(folder, "households", "01")).slice(0, 1)
    two = pq.read_table(file_of(folder, "households", "02"))
    row = one.set_column(1, "unit_code", two.column("unit_code").slice(0, 1)).set_column(
        2, "clan_id", pa.nulls(1, two.schema.field("clan_id").type)
    )
    rewrite(folder, "households", "02", lambda t: pa.concat_tables([t, row]))
    member = pq.read_table(file_of(folder, "persons", "02")).slice(0, 1)
    member = member.set_column(0, "person_id", pa.array([10**9], member.schema.field(0).type))
    member = member.set_column(1, "household_id", one.column("household_id"))
    rewrite(folder, "persons", "02", lambda t: pa.concat_tables([t, member]))
    household = one.column("household_id")[0].as_py()
    with pytest.raises(
        DatasetError, match=rf"household_id {household} is in two partitions \('01' and '02'\)"
    ) as info:
        evaluate(folder)
    assert info.value.file == str(file_of(folder, "households", "02"))


def test_a_member_whose_household_is_in_another_partition(folder: Path) -> None:
    """A person moved to another province's file: the row naming the household is shown."""
    person = pq.read_table(file_of(folder, "persons", "01")).slice(0, 1)
    rewrite(folder, "persons", "01", lambda t: t.slice(1))
    path = rewrite(folder, "persons", "02", lambda t: pa.concat_tables([t, person]))
    with pytest.raises(DatasetError, match="1 row was rejected when read") as info:
        evaluate(folder)
    assert info.value.file == str(path)
    household = person.column("household_id")[0].as_py()
    assert f"column household_id: household '{household}' does not exist" in str(info.value)
    assert "split across two partitions" in str(info.value)


@pytest.mark.parametrize(("table", "column"), [("persons", "person_id"), ("clans", "clan_id")])
def test_an_entity_in_two_partitions(folder: Path, table: str, column: str) -> None:
    """The same person or clan in two provinces' files would be counted twice."""
    row = pq.read_table(file_of(folder, table, "03")).slice(0, 1)
    other = pq.read_table(file_of(folder, table, "01"))
    keep = {"persons": "household_id", "clans": "unit_code"}[table]
    index = row.column_names.index(keep)
    row = row.set_column(index, keep, other.column(keep).slice(0, 1))
    path = rewrite(folder, table, "01", lambda t: pa.concat_tables([t, row]))
    entity = row.column(column)[0].as_py()
    with pytest.raises(
        DatasetError, match=rf"{column} {entity} is in two partitions \('01' and '03'\)"
    ) as info:
        read_dataset(folder)
    assert info.value.file in (str(path), str(file_of(folder, table, "03")))


def test_an_organisation_membership_across_partitions(folder: Path) -> None:
    """A membership of province 02 naming a person of province 01 is shown with its row."""
    person = pq.read_table(file_of(folder, "persons", "01")).column("person_id")[0]
    ids = pq.read_table(file_of(folder, "memberships", "02")).column("person_id").to_pylist()
    ids[0] = person.as_py()
    path = rewrite(
        folder, "memberships", "02", lambda t: t.set_column(1, "person_id", pa.array(ids))
    )
    with pytest.raises(DatasetError, match=f"person '{person.as_py()}' does not exist") as info:
        evaluate(folder)
    assert info.value.file == str(path)


def test_ids_not_in_order_are_checked_exactly(tmp_path: Path) -> None:
    """Text ids (no range in the statistics): read and grouped, no false alarm, one caught."""
    h = tree(2)
    v = h.codes_at("village")
    pop = ls.Population.from_records(
        persons=[ls.Person("z9", "B", age=30), ls.Person("a1", "A", age=40)],
        households=[ls.Household("B", str(v[0])), ls.Household("A", str(v[-1]))],
        hierarchy=h,
    )
    ds = write_dataset(pop, tmp_path / "t")
    assert [ds.partition(k).n_persons for k in ds.partitions] == [1, 1]
    path = file_of(ds.path, "persons", "02")
    rewrite(ds.path, "persons", "02", lambda t: t.set_column(0, "person_id", pa.array(["z9"])))
    with pytest.raises(DatasetError, match=r"person_id 'z9' is in two partitions") as info:
        read_dataset(ds.path)
    assert info.value.file == str(path)


# -- the messages in Vietnamese ----------------------------------------------------------------


def test_new_errors_read_in_vietnamese(folder: Path) -> None:
    """The errors of this file print in Vietnamese too, the file first."""
    shutil.copytree(folder / "persons" / "province=02", folder / "persons" / "province=09")
    with pytest.raises(DatasetError) as info:
        read_dataset(folder)
    vi = info.value.localized("vi")
    assert vi.startswith(str(folder / "persons" / "province=09") + ": ")
    assert "không phải tệp phân vùng" in vi
    shutil.rmtree(folder / "persons" / "province=09")
    edit_manifest(folder, lambda m: m.pop("version"))
    with pytest.raises(DatasetError) as info:
        read_dataset(folder)
    assert "phiên bản" in info.value.localized("vi")
    edit_manifest(folder, lambda m: m.__setitem__("version", 1))
    rewrite(folder, "persons", "02", lambda t: t.set_column(2, "age", pa.array(["old"] * len(t))))
    with pytest.raises(DatasetError) as info:
        read_dataset(folder).partition("02")
    vi = info.value.localized("vi")
    assert "dòng 1, cột age" in vi
    assert "phân vùng '02'" in vi


# -- files built to exhaust memory ----------------------------------------------------------


def huge_name(path: Path) -> Path:
    """Rewrite a units table with the first unit's name 40 MiB long, zstd'd to a few KB."""
    from learnsoc import limits

    table = pq.read_table(path)
    names = table.column("name").to_pylist()
    names[0] = "a" * (limits.EXPANSION_FROM + (8 << 20))
    table = table.set_column(table.schema.get_field_index("name"), "name", pa.array(names))
    pq.write_table(table, path, compression="zstd", use_dictionary=False)
    assert path.stat().st_size < 100_000
    return path


def test_a_units_table_that_decompresses_a_thousandfold_is_refused(folder: Path) -> None:
    """Checked as every Parquet file learnsoc reads; the old read decoded its 40 MiB."""
    path = huge_name(folder / "units.parquet")
    with pytest.raises(ls.io.FileFormatError) as caught:
        read_dataset(folder)
    assert caught.value.file == str(path)
    assert "column 'name' (row group 1 of 1) would decompress to" in str(caught.value)


def test_an_optional_column_one_partition_lacks_is_absent_from_the_whole(
    folder: Path, written: Path
) -> None:
    """Persons of partition 01 without ``literate`` (as a province's files may come).

    The measures reading it are absent nationally, named with the column, as for a
    population without it; every other measure is the dataset's, count for count. The
    old merge stopped with "cannot merge partials", naming no file.
    """
    rewrite(folder, "persons", "01", lambda t: t.drop(["literate"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate_dataset(folder, "vn-national", "2025-12-31", standard_measures=True)
        whole = ls.evaluate_dataset(written, "vn-national", "2025-12-31", standard_measures=True)
    roll, full = ev.standard_rollup(), whole.standard_rollup()
    assert dict(roll.absent_columns) == {
        "literate_15_60": ("literate",),
        "literate_15_60_missing": ("literate",),
    }
    got, expected = roll.to_columns(), full.to_columns()
    assert not any(c.startswith("literate_15_60") for c in got)
    assert set(expected) - set(got) == {"literate_15_60", "literate_15_60_missing"}
    for column in got:
        assert np.array_equal(got[column], expected[column]), column


def test_a_manifest_nested_thousands_deep(folder: Path) -> None:
    """Not a manifest: an error naming it (the old read raised RecursionError).

    The nesting is counted before the file is parsed (see test_dataset_hostile.py).
    """
    (folder / "manifest.json").write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(DatasetError, match="not a learnsoc dataset manifest: arrays and objects"):
        read_dataset(folder)


def test_a_manifest_number_of_more_digits_than_python_reads(folder: Path) -> None:
    """A count of 5,000 digits: Python's JSON reader stops at 4,300 (the old read raised
    its ValueError, with a traceback on the command line)."""
    path = folder / "manifest.json"
    text = path.read_text("utf-8")
    path.write_text(text.replace('"layout"', '"huge": ' + "9" * 5_000 + ', "layout"', 1))
    with pytest.raises(DatasetError, match="not a learnsoc dataset manifest: it is not JSON"):
        read_dataset(folder)


def test_a_manifest_count_past_any_number_of_rows(folder: Path) -> None:
    """10³⁰ rows read, accepted: no file holds them (Parquet counts rows in 64 bits)."""
    table = {"read": 10**30, "accepted": 10**30, "rejected": 0, "skipped": 0}
    edit_manifest(folder, lambda m: m["rejects"]["tables"].__setitem__("person", table))
    with pytest.raises(DatasetError, match="its rejects are not counts of rows read"):
        read_dataset(folder)


def test_partitions_listed_in_another_order(folder: Path) -> None:
    """The old message said none was missing and none unknown, and nothing else."""
    edit_manifest(folder, lambda m: m["partitions"].reverse())
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    assert str(caught.value) == (
        f"{folder / 'manifest.json'}: the partitions are not listed in the order of the units "
        "of level 'province' in units.parquet (the first out of place: '03'); undo the edit, "
        "or write the dataset again"
    )
