"""An ``[inputs.columns]`` line naming no input of the rulebook is refused at its line.

``"Hoạt động" = "village_learning_activites"`` (a typo) was refused only by a sheet with
the header ``Hoạt động``, as an unknown input of that sheet, not naming the mapping file:
a sheet without it was read with the mistake kept, until the next sheet stopped the run.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.errors import MappingError
from tests.io.test_mapping_meanings import ACTIVITIES, _population

# A sheet of the villages' marks under the input's own name: it has no "Hoạt động".
PLAIN = f"code;{ACTIVITIES}\nT1;1\nT2;0\n"


def _read(where: Path, mapping: str) -> ls.FileRejects:
    (where / "map.toml").write_text(mapping, "utf-8")
    (where / "sheet.csv").write_text(PLAIN, "utf-8")
    book = ls.load_rulebook("vn-national")
    pop = _population(where)
    inputs, rejects = ls.read_inputs(where / "sheet.csv", book, pop, mapping=where / "map.toml")
    assert inputs["village"][ACTIVITIES].tolist() == [1.0, 0.0]
    return rejects


@pytest.mark.parametrize(
    ("columns", "line"),
    [
        ('[inputs.columns]\n"Thôn" = "code"\n"Hoạt động" = "village_learning_activites"\n', 3),
        (
            '[inputs]\ncolumns = { "Thôn" = "code", "Hoạt động" = "village_learning_activites" }\n',
            2,
        ),
        (
            '[inputs.columns]\n"Thôn" = "code"\n'
            + unicodedata.normalize("NFD", '"Hoạt động" = "village_learning_activites"\n'),
            3,
        ),
    ],
    ids=["table", "inline", "nfd"],
)
def test_a_target_that_is_no_input_is_refused_at_its_line(
    tmp_path: Path, columns: str, line: int
) -> None:
    with pytest.raises(MappingError) as caught:
        _read(tmp_path, columns)
    assert caught.value.line == line
    said = str(caught.value)
    assert "is not an input of the rulebook; did you mean 'village_learning_activities'?" in said
    assert f"map.toml:{line}" in said
    assert "không phải dữ liệu đầu vào của bộ tiêu chí" in caught.value.localized("vi")


def test_keys_inputs_and_the_sheets_own_columns_are_taken(tmp_path: Path) -> None:
    """A key (``code``, ``Mã thôn``), an input, a row number and a note are no mistakes."""
    mapping = (
        '[inputs.columns]\n"Thôn" = "code"\n"Mã hộ" = "household_id"\n'
        f'"Hoạt động" = "{ACTIVITIES}"\n"Số TT" = "STT"\n"Nhận xét" = "ghi_chu"\n'
    )
    assert _read(tmp_path, mapping).counts()["village inputs"] == (2, 2, 0)


def test_the_command_line_stops_before_reading_any_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _population(tmp_path)
    (tmp_path / "map.toml").write_text(
        '[inputs.columns]\n"Hoạt động" = "village_learnig_activities"\n', "utf-8"
    )
    (tmp_path / "thon.csv").write_text(PLAIN, "utf-8")
    argv = ["evaluate", "nk.csv", "--households", "ho.csv", "--units", "units.csv"]
    argv += ["--rulebook", "vn-national", "--as-of", "2025-12-31"]
    argv += ["--inputs", "village=thon.csv", "--mapping", "map.toml", "--out", "v.csv"]
    assert main([*argv, "--locale", "vi"]) != 0
    err = capsys.readouterr().err
    assert "map.toml:2" in err and "có phải ý bạn là 'village_learning_activities'?" in err
    assert not (tmp_path / "v.csv").exists()
