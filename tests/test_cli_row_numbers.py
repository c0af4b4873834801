"""Agency sheets begin with a row-number column (STT): it is left out, never refused."""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io import read_population
from learnsoc.io.mapping import FileMapping
from tests.io.helpers import HOUSEHOLDS, PERSONS, UNITS, files, write
from tests.test_cli_agency_files import COUNTS_HEAD, COUNTS_MAPPING, REPORT
from tests.test_cli_agency_files import UNITS as COUNTS_UNITS
from tests.test_cli_jobs import BOOK, province  # noqa: F401  (a fixture)


def numbered(text: str, header: str = "STT", sep: str = ",") -> str:
    """Put a row-number column first, as an agency sheet has it."""
    lines = text.splitlines()
    rows = [f"{header}{sep}{lines[0]}"]
    rows += [f"{i}{sep}{line}" for i, line in enumerate(lines[1:], 1)]
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("header", ["STT", "Số TT", "số thứ tự", "No."])
def test_a_row_number_column_is_left_out_of_persons_and_households(
    header: str, tmp_path: Path
) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "stt").mkdir()
    plain = files(tmp_path / "plain")
    stt = files(
        tmp_path / "stt",
        persons=numbered(PERSONS, header),
        households=numbered(HOUSEHOLDS, header),
    )
    a = read_population(plain["persons"], households=plain["households"], units=plain["units"])
    b = read_population(stt["persons"], households=stt["households"], units=stt["units"])
    assert a.person_ids.tolist() == b.person_ids.tolist()
    assert a.columns("person").keys() == b.columns("person").keys()
    assert a.rejects.counts() == b.rejects.counts()


def test_a_mapping_that_gives_stt_a_meaning_is_followed(tmp_path: Path) -> None:
    """STT as the persons' id (an agency numbering its people by row): a column like others."""
    persons = "STT,household_id,age\n1,H1,40\n2,H1,9\n3,H2,35\n"
    paths = files(tmp_path, persons=persons)
    mapping = FileMapping.from_dict({"person": {"columns": {"STT": "person_id"}}})
    pop = read_population(
        paths["persons"], households=paths["households"], units=paths["units"], mapping=mapping
    )
    assert pop.person_ids.tolist() == [1, 2, 3]


def test_another_unknown_column_is_still_refused(tmp_path: Path) -> None:
    paths = files(tmp_path, persons=numbered(PERSONS, "Ghi chú"))
    with pytest.raises(ls.errors.SchemaError, match="Ghi chú"):
        read_population(paths["persons"], households=paths["households"], units=paths["units"])


def test_validate_reads_a_numbered_sheet_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files(tmp_path, persons=numbered(PERSONS), households=numbered(HOUSEHOLDS), units=UNITS)
    monkeypatch.chdir(tmp_path)
    argv = ["validate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    assert main([*argv, "--locale", "vi"]) == 0
    err = capsys.readouterr().err
    assert "người: đọc 4, nhận 4, 0 dòng bị loại" in err
    assert "STT" not in err


def test_a_counts_file_row_number_is_no_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the rule STT would be read as a count column (a measure 'STT' per unit)."""
    from learnsoc.io.population import read_counts

    monkeypatch.chdir(tmp_path)
    write(tmp_path, "m.toml", COUNTS_MAPPING)
    write(tmp_path, "u.csv", COUNTS_UNITS)
    body = "00004;Phường Ba Đình;1.200;900\n"
    write(tmp_path, "c.csv", numbered(COUNTS_HEAD + body, sep=";"))
    columns, _ = read_counts(tmp_path / "c.csv", mapping=tmp_path / "m.toml")
    assert sorted(columns) == ["families", "learning_families", "unit_code"]
    assert main([*REPORT, "--format", "csv", "--out", "r.csv"]) == 0, capsys.readouterr().err
    assert "900" in (tmp_path / "r.csv").read_text("utf-8")


def test_an_inputs_file_row_number_is_no_input(
    province: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(province)
    lines = (province / "commune.csv").read_text("utf-8")
    write(province, "stt.csv", numbered(lines, sep=";"))
    base = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    assert main([*base, *BOOK, "--inputs", "commune=stt.csv"]) == 0, capsys.readouterr().err
    assert "commune inputs: read 10, accepted 10, 0 rows rejected" in capsys.readouterr().err
