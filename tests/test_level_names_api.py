"""Python functions that take a level read it as the command line does: by id or in words.

A notebook user types ``partition_by="tỉnh"`` or ``levels=["Xã"]`` as they type ``--level
xã`` on the command line; these refused every name but the id (``not a level``).
"""

from __future__ import annotations

import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.errors import HierarchyError
from learnsoc.io.dataset import DatasetError, write_dataset
from learnsoc.report.results import results
from tests.optional import needs

#: A commune agency's tree after the 2025 reform: a province, two communes, four villages.
UNITS = {
    "code": ["25", "07900", "07903", "07900001", "07900002", "07903001", "07903002"],
    "name": [
        "Tỉnh Phú Thọ",
        "Xã Thanh Sơn",
        "Xã Yên Lập",
        "Thôn Đông",
        "Thôn Tây",
        "Thôn Đông",
        "Xóm Mới",
    ],
    "level": ["province", "commune", "commune", "village", "village", "village", "village"],
    "parent_code": [None, "25", "25", "07900", "07900", "07903", "07903"],
}


def population() -> ls.Population:
    tree = ls.Hierarchy.from_units(UNITS)
    villages = ["07900001", "07900001", "07900002", "07903001", "07903002"]
    persons = {
        "person_id": np.arange(1, 8),
        "household_id": np.array([1, 1, 2, 3, 4, 5, 5]),
        "age": np.array([40, 9, 70, 30, 25, 61, 33]),
        "literate": np.array([1, 0, 1, 1, 1, 1, 0]),
    }
    households = {"household_id": np.arange(1, 6), "unit_code": np.array(villages)}
    return ls.Population.from_columns(persons, households, tree)


NFD_XA = unicodedata.normalize("NFD", "Xã")


@pytest.mark.parametrize("name", ["Xã", NFD_XA, "XA", "cấp xã", "commune", "Phường"])
def test_level_id_reads_a_level_named_in_words(name: str) -> None:
    assert population().hierarchy.level_id(name) == "commune"


def test_level_id_names_the_choices_for_a_level_the_tree_lacks() -> None:
    with pytest.raises(HierarchyError, match="'commune', 'province', 'village'"):
        population().hierarchy.level_id("huyện")


@needs("pyarrow")
@pytest.mark.parametrize("name", ["xã", NFD_XA, "XA"])
def test_write_dataset_partitions_by_a_level_named_in_words(tmp_path: Path, name: str) -> None:
    pop = population()
    ds = write_dataset(pop, tmp_path / "d", partition_by=name)
    assert ds.partition_by == "commune"
    assert ds.partitions == ("07900", "07903")
    # Persons per commune counted by hand from the households' villages: 4 and 3.
    assert {k: ds.rows[k]["persons"] for k in ds.partitions} == {"07900": 4, "07903": 3}
    assert ls.read_dataset(tmp_path / "d").partition_by == "commune"


@needs("pyarrow")
def test_write_dataset_still_refuses_a_level_the_tree_lacks(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"not a level of the hierarchy.*'province'"):
        write_dataset(population(), tmp_path / "d", partition_by="huyện")


def rolled() -> ls.Rollup:
    pop = population()
    return ls.rollup(pop, ls.standard_measures(pop))


def test_results_take_levels_named_in_words() -> None:
    roll = rolled()
    by_id = results(roll, levels=["commune", "total"])
    in_words = results(roll, levels=[NFD_XA, "total"])
    assert in_words.to_text() == by_id.to_text()
    assert "07903" in in_words.to_text() and "07903001" not in in_words.to_text()


def test_progress_takes_levels_named_in_words() -> None:
    roll = rolled()
    targets = ls.load_targets("hanoi-23-nq-tu")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_id = ls.progress(roll, targets, year=2025, levels=["province"])
        in_words = ls.progress(roll, targets, year=2025, levels=["Tỉnh"])
    assert in_words.to_text() == by_id.to_text()
    assert in_words.to_columns()["unit_code"].tolist() == by_id.to_columns()["unit_code"].tolist()


def test_inputs_of_a_level_the_data_lack_name_the_levels_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--inputs huyện=FILE`` on a tree of 2025 said only "the data have no level"."""
    (tmp_path / "dv.csv").write_text(
        "Mã;Tên;Cấp;Mã cấp trên\n25;Phú Thọ;Tỉnh;\n07900;Thanh Sơn;Xã;25\n"
        "07900001;Thôn Đông;Thôn;07900\n",
        encoding="utf-8",
    )
    (tmp_path / "ho.csv").write_text("household_id;unit_code\nH1;07900001\n", "utf-8")
    (tmp_path / "nk.csv").write_text("person_id;household_id;age\n1;H1;40\n", "utf-8")
    (tmp_path / "huyen.csv").write_text("Mã;c1_plan\n235;Có\n", "utf-8")
    argv = ["evaluate", str(tmp_path / "nk.csv"), "--households", str(tmp_path / "ho.csv")]
    argv += ["--units", str(tmp_path / "dv.csv"), "--rulebook", "vn-national"]
    argv += ["--as-of", "31/12/2025", "--inputs", f"huyện={tmp_path / 'huyen.csv'}"]
    assert main([*argv, "--locale", "vi"]) == 2
    err = capsys.readouterr().err
    assert "dữ liệu không có cấp 'huyện'; cần một trong các giá trị" in err
    assert "'commune' (cấp xã)" in err and "'province' (cấp tỉnh)" in err
    assert "the data" not in err
