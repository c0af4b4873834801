"""Mapping files that say what they cannot mean, refused at their line.

Each was read without a word: an ``[inputs.values]`` map of an input the rulebook does
not have (a typo, so the evaluator's words were never used), a value map onto a value
its input cannot take (``"Tốt" = "banana"`` for a yes/no input: every row was then
rejected showing ``Tốt``, as if the sheet were wrong), and a column both under
``columns`` and ``ignore`` of one table (``columns`` won).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.errors import MappingError
from learnsoc.io.counts import read_counts_rollup
from learnsoc.io.mapping import FileMapping, read_mapping
from tests.test_cli_inputs_mapping import EVALUATE, LEVELS, MAPPING, folder  # noqa: F401

ACTIVITIES = "village_learning_activities"


def _population(where: Path) -> ls.Population:
    (where / "units.csv").write_text(
        "code,name,level,parent_code\n01,Tỉnh A,province,\n001,Xã B,commune,01\n"
        "T1,Thôn Đông,village,001\nT2,Thôn Tây,village,001\n",
        "utf-8",
    )
    (where / "ho.csv").write_text("household_id,unit_code\nH1,T1\nH2,T2\n", "utf-8")
    (where / "nk.csv").write_text("person_id,household_id,age\n1,H1,40\n2,H2,30\n", "utf-8")
    return ls.read_population(
        where / "nk.csv", households=where / "ho.csv", units=where / "units.csv"
    )


def _read(where: Path, mapping: str, sheet: str) -> ls.FileRejects:
    (where / "map.toml").write_text(mapping, "utf-8")
    (where / "sheet.csv").write_text(sheet, "utf-8")
    book = ls.load_rulebook("vn-national")
    inputs, rejects = ls.read_inputs(
        where / "sheet.csv",
        book,
        _population(where),
        level="village",
        mapping=where / "map.toml",
    )
    assert inputs["village"][ACTIVITIES].tolist() == [1.0, 0.0]
    return rejects


HEADED = '[inputs.columns]\n"Hoạt động" = "village_learning_activities"\n'
SHEET = "code;Hoạt động\nT1;Tốt\nT2;Chưa tốt\n"


def test_a_value_map_of_an_input_the_rulebook_lacks_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    typo = HEADED + '[inputs.values.village_learning_activites]\n"Tốt" = 1\n"Chưa tốt" = 0\n'
    with pytest.raises(MappingError) as caught:
        _read(tmp_path, typo, SHEET)
    assert caught.value.line == 3
    assert "'village_learning_activites' is not an input of the rulebook; did you mean " in str(
        caught.value
    )
    assert f"'{ACTIVITIES}'?" in str(caught.value)
    assert "không phải dữ liệu đầu vào của bộ tiêu chí" in caught.value.localized("vi")
    # Named by the file's header, not by the input it is mapped onto: that input offered.
    by_header = HEADED + '[inputs.values."Hoạt động"]\n"Tốt" = 1\n'
    with pytest.raises(MappingError, match=f"did you mean '{ACTIVITIES}'"):
        _read(tmp_path, by_header, SHEET)
    # Spelt right, the words are read: Tốt is 1, Chưa tốt 0, no row rejected.
    right = HEADED + f'[inputs.values.{ACTIVITIES}]\n"Tốt" = 1\n"Chưa tốt" = 0\n'
    assert _read(tmp_path, right, SHEET).counts()["village inputs"] == (2, 2, 0)


def test_a_word_mapped_onto_a_value_its_input_cannot_take_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    banana = HEADED + f'[inputs.values.{ACTIVITIES}]\n"Tốt" = "banana"\n"Chưa tốt" = 0\n'
    with pytest.raises(MappingError) as caught:
        _read(tmp_path, banana, SHEET)
    assert caught.value.line == 4
    assert f"'banana' is not a valid value of '{ACTIVITIES}' (expected có/không, 1/0)" in str(
        caught.value
    )
    vi = caught.value.localized("vi")
    assert "map.toml:4 [" in vi and "'banana' không phải là giá trị hợp lệ" in vi


@pytest.mark.parametrize(
    ("target", "refused"), [('"nhiều"', True), ("70", True), ("0.5", False), ('"0,5"', True)]
)
def test_a_number_input_takes_numbers_in_its_range_only(
    tmp_path: Path, target: str, refused: bool
) -> None:
    # share_members_study_plan: a share of members (0..1) of an organisation.
    text = f'[inputs.values.share_members_study_plan]\n"Phần lớn" = {target}\n'
    (tmp_path / "m.toml").write_text(text, "utf-8")
    book = ls.load_rulebook("vn-national")
    pop = _population(tmp_path)
    (tmp_path / "o.csv").write_text("organisation_id,share_members_study_plan\n", "utf-8")

    def call() -> None:
        inputs, _ = ls.read_inputs(
            tmp_path / "o.csv", book, pop, level="organisation", mapping=tmp_path / "m.toml"
        )
        assert inputs["organisation"]["share_members_study_plan"].size == 0

    if refused:
        with pytest.raises(MappingError, match=r"m.toml:2 .*expected 0\.\.1"):
            call()
    else:
        call()


def test_a_column_both_mapped_and_ignored_is_refused_naming_both_lines(tmp_path: Path) -> None:
    text = '[person]\nignore = ["Ghi chú", "Tuổi "]\n[person.columns]\n"Mã NK" = "person_id"\n'
    text += '"Tuổi" = "age"\n'
    (tmp_path / "m.toml").write_text(text, "utf-8")
    with pytest.raises(MappingError) as caught:
        read_mapping(tmp_path / "m.toml")
    assert caught.value.line == 2
    assert "'Tuổi ' is both ignored and mapped onto 'age' by line 5: keep one" in str(caught.value)
    assert "dòng 5" in caught.value.localized("vi")
    # Given as a dict: no lines to name.
    with pytest.raises(MappingError, match="'x' is both ignored and mapped onto 'age': keep"):
        FileMapping.from_dict({"person": {"columns": {"x": "age"}, "ignore": ["x"]}})
    # Either alone is read as before.
    only = FileMapping.from_dict({"person": {"columns": {"x": "age"}, "ignore": ["y"]}})
    assert only.table("person").schema_name("x") == "age" and only.table("person").ignores("y")


def test_the_command_line_says_the_mapping_line_in_vietnamese(
    folder: Path,  # noqa: F811  (the fixture)
    capsys: pytest.CaptureFixture[str],
) -> None:
    typo = MAPPING.replace(
        "[inputs.values.village_learning_activities]", "[inputs.values.village_activities]"
    )
    (folder / "m.toml").write_text(typo, "utf-8")
    argv = [*EVALUATE, *LEVELS, "--mapping", "m.toml", "--inputs", "village=thon.csv"]
    assert main(["--locale", "vi", *argv, "--out", "out.csv"]) == 2
    err = capsys.readouterr().err
    assert (
        "m.toml:10 [inputs.values.village_activities]" in err
        and "'village_activities' không phải dữ liệu đầu vào" in err
    )
    assert not (folder / "out.csv").exists()


@pytest.mark.parametrize(
    ("target", "refused"), [('"nhiều"', True), ("1.5", True), ("-1", True), ("12", False)]
)
def test_a_count_is_mapped_onto_whole_numbers_only(
    tmp_path: Path, target: str, refused: bool
) -> None:
    text = '[counts.columns]\n"Mã xã" = "unit_code"\n"Số gia đình" = "families"\n'
    text += (
        f'[counts.values.families]\n"Đủ" = {target}\n[counts.values.unit_code]\n"Xã A" = "001"\n'
    )
    (tmp_path / "m.toml").write_text(text, "utf-8")
    if refused:
        with pytest.raises(MappingError, match=r"m.toml:5 .*of 'families' \(expected 0\.\."):
            read_mapping(tmp_path / "m.toml")
        return
    # Read as a count: "Đủ" is 12 families, "Xã A" the commune 001.
    pop = _population(tmp_path)
    (tmp_path / "c.csv").write_text("Mã xã,Số gia đình\nXã A,Đủ\n", "utf-8")
    roll, rejects = read_counts_rollup(
        tmp_path / "c.csv", pop.hierarchy, mapping=tmp_path / "m.toml"
    )
    assert rejects.counts()["counts"] == (1, 1, 0)
    assert roll.level("commune").counts["families"].tolist() == [12]
