"""Data frames in and out: the same population from pandas, polars, Arrow and files.

Every ``to_pandas()`` / ``to_polars()`` / ``to_arrow()`` is checked value by value
against the numpy columns it is built from, with missing values as nulls.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import OptionalDependencyError, SchemaError
from learnsoc.io import OutputPathError
from learnsoc.io.export import TABLES, population_table
from learnsoc.io.mapping import FileMapping
from learnsoc.io.rejects import FileReject
from learnsoc.rules.engine import Evaluation, evaluate
from learnsoc.rules.registry import load_rulebook
from tests.optional import needs, require
from tests.report.test_golden import ha_giang_progress, ha_giang_results

pd = require("pandas")
pl = require("polars")
pa = require("pyarrow")

LIBRARIES = ("pandas", "polars", "arrow")

# -- from_dataframe: one answer whatever the frame library ------------------------------

MAPPING = FileMapping.from_dict(
    {
        "mapping": {"decimal": ","},
        "values": {"bool": {"Có": 1, "Không": 0}},
        "person": {
            "columns": {
                "Mã NK": "person_id",
                "Mã hộ": "household_id",
                "Tuổi": "age",
                "Giới tính": "sex",
                "Biết chữ": "literate",
            },
            "values": {"sex": {"Nam": "male", "Nữ": "female"}},
        },
        "household": {"columns": {"Mã hộ": "household_id", "Thôn": "unit_code"}},
    }
)

PERSONS = {
    "Mã NK": ["1", "2", "3", "4", "5", "6", "7", "8"],
    "Mã hộ": ["H7", "H7", "H8", "H8", "H8", "H9", "H8", "H7"],
    # "40,0" needs the decimal comma; 300 is out of range; "x" is no number.
    "Tuổi": ["40,0", "35", "12", "70", "9", "30", "300", "x"],
    "Giới tính": ["Nam", "Nữ", "Nam", "Nữ", "Nam", "Nam", "Nữ", "Khác"],
    "Biết chữ": ["Có", "Có", "Không", "Có", "", "Có", "Có", "Không"],
}
HOUSEHOLDS = {"Mã hộ": ["H7", "H8"], "Thôn": ["T1", "T1"]}
UNITS = {
    "code": ["01", "001", "T1"],
    "name": ["Tỉnh", "Xã", "Thôn 1"],
    "level": ["province", "commune", "village"],
    "parent_code": ["", "01", "001"],
}


def _frame(kind: str, table: dict[str, list[str]]) -> Any:
    if kind == "dict":
        return {k: np.array(v) for k, v in table.items()}
    if kind == "pandas":
        return pd.DataFrame(table)
    if kind == "polars":
        return pl.DataFrame(table)
    if kind == "polars-categorical":
        return pl.DataFrame(table).with_columns(pl.all().cast(pl.Categorical))
    return pa.table(table)


def _from(kind: str) -> ls.Population:
    return ls.from_dataframe(
        _frame(kind, PERSONS), _frame(kind, HOUSEHOLDS), _frame(kind, UNITS), mapping=MAPPING
    )


@pytest.mark.parametrize("kind", ["pandas", "polars", "polars-categorical", "arrow"])
def test_from_dataframe_gives_the_same_population_for_every_frame_library(kind: str) -> None:
    reference = _from("dict")
    # Persons 1-5 accepted: value maps and the decimal comma applied; 6 (unknown
    # household), 7 (age 300) and 8 (age "x", sex "Khác") rejected.
    assert reference.n_persons == 5
    assert reference.rejects.counts()["person"] == (8, 5, 3)
    pop = _from(kind)
    assert pop == reference
    assert pop.person_columns["sex"].tolist() == [1, 2, 1, 2, 1]
    assert pop.person_columns["literate"].tolist() == [1, 1, 0, 1, 255]
    assert pop.rejects.counts() == reference.rejects.counts()
    got, want = pop.rejects.to_columns("en"), reference.rejects.to_columns("en")
    assert list(got) == list(want)
    for name in want:
        assert got[name].tolist() == want[name].tolist(), name


@pytest.mark.parametrize("kind", ["pandas", "polars"])
def test_frame_rejects_count_rows_from_1_like_files(kind: str) -> None:
    """Rejected row N of a frame is its Nth row, ``df.iloc[N - 1]`` (was the 0-based N)."""
    # A fourth unit whose parent does not exist: refused while the tree is built.
    units = {
        k: [*v, w] for (k, v), w in zip(UNITS.items(), ["T9", "", "village", "999"], strict=True)
    }
    pop = ls.from_dataframe(
        _frame(kind, PERSONS), _frame(kind, HOUSEHOLDS), _frame(kind, units), mapping=MAPPING
    )
    cols = pop.rejects.to_columns("en")
    assert list(cols)[:2] == ["file", "line"]
    got = list(
        zip(cols["file"].tolist(), cols["line"].tolist(), cols["value"].tolist(), strict=True)
    )
    assert got == [
        ("units", 4, "999"),
        ("persons", 6, "H9"),
        ("persons", 7, "300"),
        ("persons", 8, "x"),
        ("persons", 8, "Khác"),
    ]
    as_pandas = {"persons": pd.DataFrame(PERSONS), "units": pd.DataFrame(units)}
    columns = {"H9": "Mã hộ", "300": "Tuổi", "x": "Tuổi", "Khác": "Giới tính", "999": "parent_code"}
    for file, line, value in got:
        assert as_pandas[file].iloc[line - 1][columns[value]] == value
    messages = [r.message for r in pop.rejects.records("en")]
    assert (
        messages[2] == "persons, row 7 (counted from 1), column Tuổi: value '300' is out of range "
        "(expected 0..120)"
    )
    assert messages[0].startswith("units, row 4")


def test_polars_text_reaches_the_conversion_as_plain_strings() -> None:
    from learnsoc.io.frames import frame_table

    raw = frame_table(pl.DataFrame({"a": ["x"], "b": pl.Series(["y"], dtype=pl.Categorical)}), "t")
    batch = next(raw.iter_batches())
    assert batch["a"].type == pa.large_string()
    assert batch["b"].type.value_type == pa.large_string()


# -- Population to frames ---------------------------------------------------------------


@pytest.fixture(scope="module")
def pop() -> ls.Population:
    return ls.synthetic_population(persons=2_000, seed=11)


def _cells(frame: Any, library: str, column: str) -> list[Any]:
    """A frame column as Python values, None for a null."""
    if library == "pandas":
        series = frame[column]
        return [None if v is pd.NA or v is None else v for v in series.astype(object).tolist()]
    if library == "polars":
        return list(frame[column].to_list())
    return list(frame.column(column).to_pylist())


def _expected(cols: dict[str, Any], missing: dict[str, Any], booleans: set[str], name: str) -> Any:
    values = cols[name]
    out = (values == 1).tolist() if name in booleans else values.tolist()
    mask = missing.get(name)
    if mask is not None:
        out = [None if m else v for v, m in zip(out, mask.tolist(), strict=True)]
    return out


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("table", TABLES)
def test_population_tables_hold_the_numpy_columns_with_nulls(
    pop: ls.Population, library: str, table: str
) -> None:
    frame = getattr(pop, f"to_{library}")(table)
    cols, missing, booleans = population_table(pop, table)
    names = list(frame.columns) if library != "arrow" else frame.column_names
    assert names == list(cols)
    for name in cols:
        assert _cells(frame, library, name) == _expected(cols, missing, booleans, name), name


def test_population_frames_have_nulls_not_sentinels(pop: ls.Population) -> None:
    literate = pop.person_columns["literate"]
    n_missing = int((literate == 255).sum())
    assert n_missing > 0  # the synthetic data has unrecorded literacy
    df = pop.to_pandas("persons")
    assert str(df["literate"].dtype) == "boolean"
    assert int(df["literate"].isna().sum()) == n_missing
    assert str(df["education"].dtype) == "UInt8"
    assert pop.to_polars("person")["literate"].null_count() == n_missing
    assert pop.to_arrow("persons").column("literate").null_count == n_missing
    households = pop.to_polars("households")
    assert households["clan_id"].null_count() == int((pop.household_clan < 0).sum())
    assert pop.to_arrow("units").column("parent_code").null_count == 1


@pytest.mark.parametrize("library", LIBRARIES)
def test_population_frames_read_back_into_an_equal_population(
    pop: ls.Population, library: str
) -> None:
    def frame(table: str) -> Any:
        return getattr(pop, f"to_{library}")(table)

    again = ls.from_dataframe(
        frame("persons"),
        frame("households"),
        frame("units"),
        clans=frame("clans"),
        organisations=frame("organisations"),
        memberships=frame("memberships"),
        levels=pop.hierarchy.spec,
    )
    assert len(again.rejects) == 0
    assert again == pop


def test_unknown_table_names_the_tables(pop: ls.Population) -> None:
    with pytest.raises(SchemaError, match="did you mean 'persons'"):
        pop.to_pandas("person_s")


@pytest.mark.parametrize(
    ("library", "package", "extra"),
    [
        ("pandas", "pandas", "pandas"),
        ("polars", "polars", "polars"),
        ("arrow", "pyarrow", "parquet"),
    ],
)
def test_missing_library_is_an_optional_dependency_error_naming_the_extra(
    pop: ls.Population, monkeypatch: pytest.MonkeyPatch, library: str, package: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, package, None)  # import fails as if not installed
    with pytest.raises(OptionalDependencyError, match=rf"learnsoc\[{extra}\]") as info:
        getattr(pop, f"to_{library}")("persons")
    assert f"Population.to_{library}()" in str(info.value)
    assert isinstance(info.value, ImportError)


# -- write_population: files that read back the same -----------------------------------


def _read_back(files: dict[str, Path], pop: ls.Population) -> ls.Population:
    return ls.read_population(
        files["persons"],
        households=files["households"],
        units=files["units"],
        clans=files["clans"],
        organisations=files["organisations"],
        memberships=files["memberships"],
        levels=pop.hierarchy.spec,
    )


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_write_population_reads_back_the_same_columns(
    pop: ls.Population, tmp_path: Path, fmt: str
) -> None:
    files = ls.write_population(pop, tmp_path / "out", fmt)  # type: ignore[arg-type]
    assert sorted(files) == sorted(TABLES)
    assert all(p.suffix == f".{fmt}" for p in files.values())
    again = _read_back(files, pop)
    assert len(again.rejects) == 0
    assert again.rejects.counts()["person"] == (pop.n_persons, pop.n_persons, 0)
    for entity in ("person", "household", "clan", "organisation", "membership"):
        want, got = pop.columns(entity), again.columns(entity)
        assert list(got) == list(want), entity
        for name in want:
            assert np.array_equal(got[name], want[name], equal_nan=want[name].dtype.kind == "f")
    assert again.hierarchy.to_columns().keys() == pop.hierarchy.to_columns().keys()
    for name, col in pop.hierarchy.to_columns().items():
        assert again.hierarchy.to_columns()[name].tolist() == col.tolist()
    assert again == pop


def test_write_population_csv_writes_missing_values_as_blanks(
    pop: ls.Population, tmp_path: Path
) -> None:
    files = ls.write_population(pop, tmp_path)
    header, *rows = files["persons"].read_text("utf-8").splitlines()
    names = header.split(",")
    literate = [r.split(",")[names.index("literate")] for r in rows]
    stored = pop.person_columns["literate"]
    assert literate == ["" if v == 255 else str(v) for v in stored.tolist()]
    assert "255" not in {c for r in rows for c in r.split(",")[2:]}  # no sentinel anywhere


def test_write_population_checks_every_target_first(pop: ls.Population, tmp_path: Path) -> None:
    protected = tmp_path / "households.csv"
    protected.write_text("keep", "utf-8")
    with pytest.raises(OutputPathError):
        ls.write_population(pop, tmp_path, protect=[protected])
    assert protected.read_text("utf-8") == "keep"
    assert not (tmp_path / "units.csv").exists()  # nothing written before the check
    with pytest.raises(OutputPathError, match="csv, parquet or xlsx"):
        ls.write_population(pop, tmp_path, "ods")  # type: ignore[arg-type]


def test_write_population_one_table(pop: ls.Population, tmp_path: Path) -> None:
    files = ls.write_population(pop, tmp_path, tables=["person"])
    assert list(files) == ["persons"]
    assert [p.name for p in tmp_path.iterdir()] == ["persons.csv"]


# -- result objects to frames ----------------------------------------------------------


def _frame_columns(frame: Any, library: str) -> dict[str, list[Any]]:
    names = frame.column_names if library == "arrow" else list(frame.columns)
    return {n: _cells(frame, library, n) for n in names}


def _same(frame: Any, library: str, cols: dict[str, Any], nulls: Collection[str] = ()) -> None:
    """Check a frame against its columns; in ``nulls``, a -1 (unknown) is a null."""
    got = _frame_columns(frame, library)
    assert list(got) == list(cols)
    for name, arr in cols.items():
        want = [None if name in nulls and v == -1 else v for v in arr.tolist()]
        values = got[name]
        if arr.dtype.kind == "f":
            # NaN stays NaN (pandas shows it as NaN, not <NA>).
            assert np.array_equal(
                np.array([np.nan if v is None else v for v in values], float),
                arr,
                equal_nan=True,
            ), name
        else:
            assert values == want, name


@pytest.fixture(scope="module")
def evaluation(pop: ls.Population) -> Evaluation:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(pop, load_rulebook("example"), "2025-12-31")


@pytest.mark.parametrize("library", LIBRARIES)
def test_evaluation_frames(evaluation: Evaluation, library: str) -> None:
    from learnsoc.io.verdicts import verdict_columns

    long = getattr(evaluation, f"to_{library}")()
    _same(long, library, verdict_columns(evaluation))
    wide = getattr(evaluation, f"to_{library}")("learning_family")
    v = evaluation.verdicts("learning_family")
    cols = _frame_columns(wide, library)
    assert cols["id"] == evaluation.population.household_ids.tolist()
    assert cols["passed"] == v.passed.tolist()
    assert cols["known"] == v.known.tolist()
    assert cols["unknown"] == v.unknown.tolist()
    first = v.criteria[0].id
    assert cols[f"{first}_passed"] == v.criterion(first)[0].tolist()
    _same(getattr(v, f"to_{library}")(), library, v.to_columns())


@pytest.mark.parametrize("library", LIBRARIES)
def test_rejects_frames(library: str) -> None:
    rejects = _from("dict").rejects
    frame = getattr(rejects, f"to_{library}")("vi")
    cols = rejects.to_columns("vi")
    _same(frame, library, cols)
    assert len(cols["line"]) == len(rejects) == 4


@pytest.mark.parametrize("library", ["polars", "arrow"])
def test_rollup_frames(evaluation: Evaluation, library: str) -> None:
    roll = evaluation.rollup()
    _same(getattr(roll, f"to_{library}")(), library, roll.to_columns())


@pytest.mark.parametrize("library", ["polars", "arrow"])
def test_progress_and_results_frames(library: str) -> None:
    # The tidy columns store an unknown year or count as -1; frames hold a null there, as
    # CSV and Excel leave the cell blank.
    unknown: tuple[str, ...] = ("year", "observed_year", "units_reporting", "units_expected")
    unknown += ("not_assessed",)
    unknown += ("decided", "partial_data")
    unknown += ("numerator", "denominator", "missing", "eligible")  # rows never counted
    prog = ha_giang_progress()
    _same(getattr(prog, f"to_{library}")("vi"), library, prog.to_columns("vi"), unknown)
    res = ha_giang_results()
    _same(getattr(res, f"to_{library}")("en"), library, res.to_columns("en"), unknown)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_header_only_tables_read_back_without_changing_id_kinds(tmp_path: Path, fmt: str) -> None:
    # No clans, organisations or memberships: those files are a header only. Their empty
    # person_id column used to turn the persons' numeric ids into text.
    pop = ls.from_dataframe(
        {"person_id": [1, 2], "household_id": ["a", "a"], "age": [3, 40]},
        {"household_id": ["a"], "unit_code": ["T1"]},
        UNITS,
    )
    files = ls.write_population(pop, tmp_path, fmt)  # type: ignore[arg-type]
    if fmt == "csv":
        assert files["memberships"].read_text("utf-8") == "organisation_id,person_id\n"
    again = _read_back(files, pop)
    assert again.person_ids.dtype.kind == "i"
    assert again == pop


def test_every_to_pandas_names_an_extra_that_installs_pandas(
    evaluation: Evaluation, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib

    root = Path(__file__).resolve().parents[2]
    extras = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"
    ]
    assert any(d.startswith("pandas") for d in extras["pandas"])
    assert any(d.startswith("polars") for d in extras["polars"])
    assert any(d.startswith("pyarrow") for d in extras["parquet"])
    monkeypatch.setitem(sys.modules, "pandas", None)
    for obj in (evaluation.rollup(), ha_giang_progress(), ha_giang_results(), evaluation):
        with pytest.raises(OptionalDependencyError, match=r"learnsoc\[pandas\]"):
            obj.to_pandas()


@needs("openpyxl")
def test_write_population_xlsx_keeps_formula_text_as_text(tmp_path: Path) -> None:
    import openpyxl

    units = dict(UNITS, name=["=SUM(A1:A9)", "Xã", "Thôn 1"])
    pop = ls.from_dataframe(
        {"person_id": [1], "household_id": [7], "age": [30]},
        {"household_id": [7], "unit_code": ["T1"]},
        units,
    )
    files = ls.write_population(pop, tmp_path, "xlsx", tables=["units"])
    sheet = openpyxl.load_workbook(files["units"]).worksheets[0]
    cell = sheet.cell(row=2, column=2)
    assert (cell.value, cell.data_type) == ("=SUM(A1:A9)", "s")
    assert sheet.cell(row=2, column=4).value is None  # the province's parent: blank


def test_write_population_xlsx_refuses_a_table_longer_than_a_sheet_first(
    pop: ls.Population, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import learnsoc.io.export as export

    monkeypatch.setattr(export, "MAX_XLSX_ROWS", pop.n_persons - 1)
    with pytest.raises(OutputPathError, match=r"persons table has 2,000 rows.*csv or parquet"):
        ls.write_population(pop, tmp_path, "xlsx")
    assert list(tmp_path.iterdir()) == []  # not even the units


def test_a_frame_is_named_in_vietnamese_in_its_rejects() -> None:
    """'bảng nhân khẩu, hàng 3', not 'persons, hàng 3', in a Vietnamese message."""
    units = {"code": ["01", "001"], "level": ["province", "village"], "parent_code": ["", "01"]}
    households = {"household_id": ["H1"], "unit_code": ["001"]}
    persons = {"person_id": ["P1", "P2", "P3"], "household_id": ["H1"] * 3, "age": [44, 9, 140]}
    pop = ls.from_dataframe(persons, households, units, levels=["province", "village"])
    (record,) = pop.rejects.records(locale="vi")
    assert record.message == (
        "bảng nhân khẩu, dòng 3 (đếm từ 1), cột age: giá trị '140' nằm ngoài khoảng cho phép "
        "(0..120)"
    )
    assert isinstance(record, FileReject) and record.file == "persons"
    assert pop.rejects.records(locale="en")[0].message.startswith(
        "persons, row 3 (counted from 1), column age:"
    )
