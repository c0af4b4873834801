"""A counts file's columns that no indicator reads are named, with the measure meant.

A header typed ``learning_famlies`` was read as a measure of that name, read by no
indicator: the report said "no data" for the share of learning families and nothing of
the column. The counts read are unchanged (the column is still added up as it is); a
warning names it, in the reader's language.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.io.counts import rollup_counts_file
from learnsoc.io.unknown_measures import UnknownMeasuresWarning
from tests.trees import two_level


def _read(path: Path, **options: object) -> tuple[ls.Rollup, list[UnknownMeasuresWarning]]:
    tree = two_level({"01": ["00001", "00002"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        roll = rollup_counts_file(path, tree, **options)  # type: ignore[arg-type]
    return roll, [w.message for w in caught if isinstance(w.message, UnknownMeasuresWarning)]


def test_a_misspelt_measure_is_named_with_the_measure_meant(tmp_path: Path) -> None:
    path = tmp_path / "bao_cao.csv"
    path.write_text(
        "unit_code,families,learning_famlies,so_dong_ho\n00001,100,70,5\n00002,200,150,7\n",
        "utf-8",
    )
    roll, said = _read(path)
    # Still added up as written (by hand: 70 + 150, 5 + 7): nothing is dropped.
    assert int(roll.unit("01")["learning_famlies"]) == 220
    assert int(roll.unit("01")["so_dong_ho"]) == 12
    (warning,) = said
    assert warning.columns == ("learning_famlies", "so_dong_ho")
    assert str(warning).startswith(
        f"{path}: no indicator reads the columns learning_famlies (did you mean "
        "learning_families?), so_dong_ho: they are no measure learnsoc knows"
    )
    assert '("learning_famlies" = "learning_families")' in str(warning)
    vi = warning.localized("vi")
    assert "không chỉ tiêu nào đọc các cột learning_famlies (có phải là learning_families?)" in vi


def test_known_measures_and_their_parts_are_not_named(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "unit_code,families,learning_families,persons,learning_citizens,"
        "learning_citizens_female\n00001,10,7,40,20,11\n00002,20,15,50,30,12\n",
        "utf-8",
    )
    _, said = _read(path)
    assert said == []


def test_a_measure_the_mapping_names_on_purpose_is_the_users_own(tmp_path: Path) -> None:
    """``"Số dòng họ" = "so_dong_ho"``: chosen, not misspelt; ``"Số hộ" = "famlies"`` is."""
    path = tmp_path / "c.csv"
    path.write_text("unit_code,Số dòng họ,Số hộ\n00001,5,10\n00002,7,20\n", "utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[counts.columns]\n"Số dòng họ" = "so_dong_ho"\n"Số hộ" = "famlies"\n', "utf-8"
    )
    _, said = _read(path, mapping=mapping)
    (warning,) = said
    assert warning.columns == ("Số hộ",)  # named as the file writes it
    assert "Số hộ (did you mean families?)" in str(warning)


def test_a_results_rollup_read_as_counts_says_where_the_measures_are(tmp_path: Path) -> None:
    """The rollup.csv of ``learnsoc evaluate`` counts titles; its folder has the measures."""
    path = tmp_path / "rollup.csv"
    path.write_text(
        "unit_code,learning_family,learning_family_assessed,learning_family_unknown\n"
        "00001,4,10,1\n00002,6,12,0\n",
        "utf-8",
    )
    _, said = _read(path)
    (warning,) = said
    assert "count titles (granted, assessed, decided)" in str(warning)
    assert "learnsoc report FOLDER" in str(warning)
    assert "did you mean" not in str(warning)


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_the_command_line_says_it_beside_the_report(tmp_path: Path, locale: str) -> None:
    from tests.test_agency_end_to_end import run

    (tmp_path / "units.csv").write_text(
        "code,level,parent_code,name\n01,province,,Tỉnh A\n00001,commune,01,Xã A\n", "utf-8"
    )
    (tmp_path / "counts.csv").write_text(
        "unit_code,families,learning_famlies\n00001,100,70\n", "utf-8"
    )
    result = run(
        "--locale", locale, "report", "--counts", "counts.csv", "--units", "units.csv",
        "--levels", "province,commune", "--targets", "hanoi-23-nq-tu",
        "--indicators", "learning_families", "--year", "2025", cwd=tmp_path,
    )  # fmt: skip
    meant = {"en": "did you mean", "vi": "có phải là"}[locale]
    assert f"learning_famlies ({meant} learning_families?)" in result.stderr
