"""A commune's own files, end to end through the command line, with exact expected outputs.

The files in ``tests/data/agency/`` are what a commune (Xã Minh Phú, Hà Nội) sends: persons
(``nhan_khau.csv``: ``;`` separator, Vietnamese headers, dd/mm/yyyy birth dates, Nam/Nữ,
Có/Không, thousands dots with decimal commas, a BOM), units (``don_vi.csv``), the
evaluators' inputs for the commune and its villages (``xa.csv``, ``thon.csv``) and the
mapping file; the households come as an Excel workbook with a title row above the header,
whose village codes were stored as numbers and lost their leading zeros (``4001`` for
``00004001``). The workbook is written here from ``HOUSEHOLDS`` so that it can be read.

Every expected number below was counted by hand from these files (the counts are derived
in the comments), never copied from learnsoc's output; ``test_hand_counts_match_the_files``
recounts the main ones with the ``csv`` module, so the data and the expectations cannot
drift apart.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests._workbooks import column_ids
from tests.optional import require

openpyxl = require("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "agency"

#: ho.xlsx: (Mã hộ, Mã thôn as the number Excel kept, Đăng ký GĐHT).
HOUSEHOLDS = [
    ("H01", 4001, "Có"),
    ("H02", 4001, "Có"),
    ("H03", 4002, "Có"),
    ("H04", 4002, "Không"),
    ("H05", 4003, "Có"),
    ("H06", 4003, "Không"),
    ("H07", 4003, "Có"),
    ("H08", 4001, "Có"),
    ("H09", 9001, "Có"),  # 00009001 is no unit of the commune: unknown_unit
]

FILES = (
    "nhan_khau.csv",
    "--households",
    "ho.xlsx",
    "--units",
    "don_vi.csv",
    "--mapping",
    "mapping.toml",
    "--header-row",
    "3",
    "--reference-year",
    "2025",
)
TITLES = (
    "--rulebook",
    "vn-national",
    "--as-of",
    "31/12/2025",
    "--inputs",
    "commune=xa.csv",
    "--inputs",
    "village=thon.csv",
)

# Hand counts. Ages are reached on 31/12/2025 (--reference-year 2025). Accepted persons:
#   Thôn Đông 00004001 (H01, H02, H08): NK01 50, NK02 47, NK03 13, NK04 75, NK05 70,
#       NK17 20, NK18 80                                -> 7 persons, 6 aged 15+,
#       15-60: NK01, NK02, NK17 (all literate)          -> 3, literate 3
#   Thôn Đoài 00004002 (H03, H04): NK06 35, NK07 33, NK08 7 (NK09 bad date, NK10 'mười'
#       rejected, so H04 has no accepted member)        -> 3 persons, 2 aged 15+,
#       15-60: NK06, NK07 (literate)                    -> 2, literate 2
#   Thôn Trung 00004003 (H05, H06, H07): NK11 56, NK12 54, NK13 25, NK16 63 (NK15's line
#       has an unclosed quote)                          -> 4 persons, 4 aged 15+,
#       15-60: NK11, NK12 (Không), NK13                 -> 3, literate 2
#   Rejected persons: NK09, NK10, NK14 (H99), NK15, NK19 (H09, itself rejected).
# Households: 3 + 2 + 3 = 8 accepted, registered (Có): H01 H02 H08 | H03 | H05 H07 = 3/1/2.
# Working age (men 15-60, women 15-55 here: the oldest woman of 15-60 is NK12, 54) equals
# the 15-60 count. No evaluator input for households or persons is given, so no family or
# citizen is known to pass: 0 learning families, citizens and communities.
# Families (vn-national, 2021 criteria: school-age children in school, at least 40% of the
# adults aged 19-60 learning citizens). No file has recognised_learning_citizen, so every
# citizen verdict is unknown, and so is each registered family with an adult of 19-60 and
# its children in school: H01 (NK01, NK02), H08 (NK17), H03 (NK06, NK07), H05 (NK11,
# NK12). H02 (NK04 75, NK05 70) and H07 (NK16 63) have no adult of 19-60: known not
# granted. H04 and H06 did not register: not learning families. Villages need 70% of their
# registered families: 4001 at most 2 of 3 (H02 fails), 4003 at most 1 of 2 (H07 fails),
# and thon.csv says Không for 4002's learning activities: all three known not granted.
FAMILIES = {
    # code: families whose verdict is unknown (all registered)
    "01": 4,
    "00004": 4,
    "00004001": 2,
    "00004002": 1,
    "00004003": 1,
}
ROLLUP = {
    # code: persons, adults, persons_15_60, literate_15_60, households, registered, communities
    "01": (14, 12, 8, 7, 8, 6, 3),
    "00004": (14, 12, 8, 7, 8, 6, 3),
    "00004001": (7, 6, 3, 3, 3, 3, 1),
    "00004002": (3, 2, 2, 2, 2, 1, 1),
    "00004003": (4, 4, 3, 2, 3, 2, 1),
    "": (14, 12, 8, 7, 8, 6, 3),  # the total row
}
ROLLUP_COLUMNS = (
    "persons",
    "adults",
    "persons_15_60",
    "literate_15_60",
    "households",
    "registered_families",
    "communities",
)

REJECTS = [
    # file, line (header = 1; the workbook's header is on row 3), column, value, reason
    ("ho.xlsx", "12", "unit_code", "9001", "unknown_unit"),
    ("nhan_khau.csv", "10", "birth_date", "31/02/1985", "not_a_date"),
    ("nhan_khau.csv", "11", "learning_hours", "mười", "not_a_number"),
    ("nhan_khau.csv", "15", "household_id", "H99", "unknown_household"),
    (
        "nhan_khau.csv",
        "16",
        "",
        'NK15;Trịnh Văn Tí;H07;"10/10/1960;Nam;Có;Không;Có;50',
        "unclosed_quote",
    ),
    ("nhan_khau.csv", "20", "household_id", "H09", "rejected_household"),
]

COUNT_LINES = [
    "đơn vị hành chính: đọc 5, nhận 5, 0 dòng bị loại",
    "hộ gia đình: đọc 9, nhận 8, 1 dòng bị loại",
    "người: đọc 19, nhận 14, 5 dòng bị loại",
]


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m learnsoc ARGS`` in ``cwd`` as a user would, in a neutral locale."""
    env = {k: v for k, v in os.environ.items() if k not in ("LEARNSOC_LOCALE", "LC_ALL")}
    env.update(PYTHONPATH=str(ROOT), LANG="C.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "learnsoc", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=cwd,
        env=env,
    )


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The commune's files in a fresh folder, with the households workbook."""
    folder = tmp_path_factory.mktemp("agency")
    for path in DATA.iterdir():
        shutil.copy(path, folder / path.name)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Hộ gia đình"
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH XÃ MINH PHÚ NĂM 2025"])
    sheet.append([])
    sheet.append(["Mã hộ", "Mã thôn", "Đăng ký GĐHT"])
    for row in HOUSEHOLDS:
        sheet.append(list(row))
    book.save(folder / "ho.xlsx")
    return folder


def test_hand_counts_match_the_files() -> None:
    """The hand counts above, recounted from nhan_khau.csv with the csv module."""
    text = (DATA / "nhan_khau.csv").read_text("utf-8-sig").splitlines()
    village = {h: f"0000{code}" for h, code, _ in HOUSEHOLDS if code != 9001}
    rejected = {"NK09", "NK10", "NK14", "NK15", "NK19"}
    counts: dict[str, list[int]] = {}
    # QUOTE_NONE: NK15's stray quote must not swallow the next lines (learnsoc rejects it alone)
    for row in csv.reader(text[1:], delimiter=";", quoting=csv.QUOTE_NONE):
        if row[0] in rejected:
            continue
        age = 2025 - int(row[3][-4:])
        c = counts.setdefault(village[row[2]], [0, 0, 0, 0])
        c[0] += 1
        c[1] += age >= 15
        c[2] += 15 <= age <= 60
        c[3] += 15 <= age <= 60 and row[5] == "Có"
    assert {k: tuple(v) for k, v in counts.items()} == {
        code: ROLLUP[code][:4] for code in ("00004001", "00004002", "00004003")
    }
    assert len(text) - 1 == 19
    registered = dict.fromkeys(village.values(), 0)
    for h, _, reg in HOUSEHOLDS[:-1]:
        registered[village[h]] += reg == "Có"
    assert registered == {c: ROLLUP[c][5] for c in registered}


def test_validate(commune: Path) -> None:
    result = run("validate", *FILES, "--rejects", "rejects.csv", "--locale", "vi", cwd=commune)
    assert result.returncode == 1, result.stderr  # rows were rejected
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    for line in COUNT_LINES:
        assert line in lines
    assert lines[-1] == "nhận + loại = đọc: OK"
    # the 8 households whose village code lost its zeros are taken, and the user is told
    assert "8 dòng đã mất các chữ số 0 đứng đầu của mã đơn vị" in result.stderr
    with (commune / "rejects.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    got = [(r["file"], r["line"], r["column"], r["value"], r["reason"]) for r in rows]
    assert got == REJECTS
    assert all(r["message"].startswith(f"{r['file']}, dòng {r['line']}") for r in rows)


def test_evaluate_with_inputs(commune: Path) -> None:
    result = run(*("evaluate", *FILES, *TITLES), "--out", "verdicts.csv", cwd=commune)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    # the evaluators' files are counted like the data files: xa.csv 1 commune, thon.csv 3 villages
    assert "commune inputs: read 1, accepted 1, 0 rows rejected" in lines
    assert "village inputs: read 3, accepted 3, 0 rows rejected" in lines
    assert lines[-1] == "accepted + rejected = read: OK"
    with (commune / "verdicts.csv").open(encoding="utf-8", newline="") as f:
        verdicts = list(csv.DictReader(f))
    persons = {r["id"] for r in verdicts if r["title"] == "learning_citizen"}
    assert persons == {f"NK{i:02d}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 16, 17, 18)}
    families = {r["id"]: r["assessed"] for r in verdicts if r["title"] == "learning_family"}
    # only registered families are assessed
    assert families == {
        "H01": "1", "H02": "1", "H03": "1", "H04": "0",
        "H05": "1", "H06": "0", "H07": "1", "H08": "1",
    }  # fmt: skip
    villages = {r["id"]: r for r in verdicts if r["title"] == "learning_community"}
    assert sorted(villages) == ["00004001", "00004002", "00004003"]
    # thon.csv says Không for Thôn Đoài's learning activities: that criterion failed there only
    assert "learning_activities" in villages["00004002"]["failed"].split(";")
    assert "learning_activities" not in villages["00004001"]["failed"].split(";")
    commune_row = next(r for r in verdicts if r["title"] == "commune_learning_community")
    # xa.csv: every criterion 1-3 Có but the culture centre (Không)
    assert commune_row["id"] == "00004"
    assert "c3_culture_centre" in commune_row["failed"].split(";")
    assert not {"c1_plan", "c2_budget"} & set(commune_row["unknown"].split(";"))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_rollup(commune: Path, suffix: str) -> None:
    out = f"rollup.{suffix}"
    result = run(*("rollup", *FILES, *TITLES), "--out", out, "--quiet", cwd=commune)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    if suffix == "csv":
        with (commune / out).open(encoding="utf-8-sig", newline="") as f:
            table = [dict(r) for r in csv.DictReader(f)]
    else:
        book = openpyxl.load_workbook(commune / out, read_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()  # read-only workbooks keep the file open until closed
        table = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    got = {str(r["code"] or ""): tuple(int(r[c]) for c in ROLLUP_COLUMNS) for r in table}
    assert got == ROLLUP
    assert [r["level"] for r in table] == [
        "province", "commune", "village", "village", "village", "total",
    ]  # fmt: skip
    assert {int(r["learning_families"]) for r in table} == {0}


def test_report_json(commune: Path) -> None:
    result = run(*("report", *FILES, *TITLES), "--locale", "vi", "--format", "json", cwd=commune)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)  # stdout is nothing but the JSON
    assert report["locale"] == "vi"
    rows = {(r["unit_code"], r["indicator"]): r for r in report["rows"]}
    for code, (persons, adults, p15_60, lit, households, registered, villages) in ROLLUP.items():
        if not code:
            continue
        expected = {
            "literacy_15_60": (lit, p15_60),
            # Every verdict of the persons assessed (aged 15 and over) is unknown (no
            # recognised_learning_citizen column): they are missing, not "not granted".
            "learning_citizens": (0, persons - adults),
            "adult_learning_citizens": (0, 0),
            "working_age_learning_citizens": (0, 0),
            # Unknown family verdicts are missing too: left out of the denominator.
            "learning_families": (0, households - FAMILIES[code]),
            "learning_families_of_registered": (0, registered - FAMILIES[code]),
            "learning_communities": (0, villages),
        }
        missing = {
            "learning_citizens": adults,
            "learning_families": FAMILIES[code],
            "learning_families_of_registered": FAMILIES[code],
            "learning_communities": 0,
        }
        for indicator, (num, den) in expected.items():
            row = rows[code, indicator]
            assert (row["numerator"], row["denominator"]) == (num, den), (code, indicator)
            if indicator in missing:
                assert row["missing"] == missing[indicator], (code, indicator)
            if den:
                assert row["value"] == pytest.approx(100 * num / den)
            else:
                assert row["value"] is None, (code, indicator)  # no data, never 0%
    assert rows["00004003", "literacy_15_60"]["value"] == pytest.approx(200 / 3)
    assert rows["00004", "literacy_15_60"]["indicator_label"] == (
        "Tỷ lệ người biết chữ trong độ tuổi 15-60"
    )
    # no clan and no organisation in the files: no data, not 0%
    assert rows["01", "learning_clans"]["value"] is None
    assert rows["01", "learning_units"]["value"] is None


def test_report_against_targets_text(commune: Path) -> None:
    args = ("--targets", "hanoi-23-nq-tu", "--year", "2025", "--locale", "vi")
    result = run(*("report", *FILES, *TITLES), *args, cwd=commune)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert out.startswith(
        "Tiến độ thực hiện mục tiêu: Nghị quyết 23-NQ/TU của Thành ủy Hà Nội\n"
        "Mục tiêu đến năm 2025; danh hiệu tính đến ngày 31/12/2025\n"
    )
    # 7/8 = 87,50% against >= 99,5%: 12 points short, not met
    line = next(line for line in out.splitlines() if "biết chữ trong độ tuổi" in line)
    assert " ".join(line.split()).endswith(
        "87,50% 7 / 8 người trong độ tuổi 15-60 tổng số người trong độ tuổi 15-60 ≥ 99,5% -12,00 "
        "3/3 thôn, tổ dân phố chưa đạt"
    )
    # 4 of the 8 families have unknown verdicts: 0 of the 4 known, the 4 said to be left
    # out of the denominator, which the basis column says counts those with data only.
    families = next(line for line in out.splitlines() if "Tỷ lệ Gia đình học tập " in line)
    assert " ".join(families.split()).endswith(
        "0,00% 0 / 4 gia đình (không tính 4 trường hợp thiếu số liệu) "
        "tổng số gia đình, trừ số thiếu số liệu ≥ 60% -60,00 3/3 thôn, tổ dân phố chưa đạt"
    )
    # the columns these files lack are named, not a crash
    assert (
        "Tỷ lệ lao động qua đào tạo: không có số liệu (dữ liệu thiếu cột `employment`, `trained`)"
        in out
    )
    assert "nhận + loại = đọc: OK" in result.stderr


def test_report_against_targets_xlsx(commune: Path) -> None:
    args = ("--targets", "hanoi-23-nq-tu", "--year", "2025", "--locale", "vi")
    result = run(*("report", *FILES, *TITLES), *args, "--out", "bao_cao.xlsx", cwd=commune)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    book = openpyxl.load_workbook(commune / "bao_cao.xlsx")
    sheet = book.worksheets[0]
    header = column_ids(sheet)
    assert header[:12] == [
        "unit_code", "unit_name", "level", "parent_code", "indicator", "year",
        "numerator", "denominator", "value", "target", "gap", "status",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    col = {name: i for i, name in enumerate(header)}
    rows = [list(r) for r in sheet.iter_rows(min_row=2)]
    literacy = {r[0].value: r for r in rows if r[col["indicator"]].value == "literacy_15_60"}
    province = literacy["01"]
    assert province[col["unit_name"]].value == "Thành phố Hà Nội"
    assert (province[col["numerator"]].value, province[col["denominator"]].value) == (7, 8)
    assert province[col["value"]].value == pytest.approx(0.875)  # a fraction ...
    assert "%" in province[col["value"]].number_format  # ... shown as a percentage
    assert province[col["target"]].value == pytest.approx(0.995)
    # 87.5% - 99.5% = -12 percentage points: the points, shown with their unit.
    assert province[col["gap"]].value == pytest.approx(87.5 - 99.5)
    assert '" điểm %"' in province[col["gap"]].number_format
    assert province[col["status"]].value == "not_met"
    assert province[col["status_label"]].value == "chưa đạt"
    assert province[col["indicator_label"]].value == "Tỷ lệ người biết chữ trong độ tuổi 15-60"
    # the codes stay text with their leading zeros
    assert {r[0].value for r in rows} <= {"01", "00004", "00004001", "00004002", "00004003"}


def test_ages_are_reached_in_the_year_of_as_of_without_reference_year(commune: Path) -> None:
    """``--as-of 31/12/2025`` without ``--reference-year`` reads ages as of 2025.

    Before, the command stopped to ask for the year ("needs the year ages are reached in").
    The rollup equals the one with ``--reference-year 2025`` byte for byte; an explicit year
    still wins (in 2030 NK03, 13 in 2025, is an adult: 00004001 has 7 adults, not 6).
    """
    i = FILES.index("--reference-year")
    files = FILES[:i] + FILES[i + 2 :]
    outs = {"as-of": "rollup-as-of.csv", "2025": "rollup-2025.csv", "2030": "rollup-2030.csv"}
    for key, out in outs.items():
        year = () if key == "as-of" else ("--reference-year", key)
        args = ("rollup", *files, *year, *TITLES, "--out", out, "--quiet")
        result = run(*args, cwd=commune)
        assert result.returncode == 1, result.stderr  # rows rejected, as in test_rollup
    assert (commune / outs["as-of"]).read_bytes() == (commune / outs["2025"]).read_bytes()
    with (commune / outs["2030"]).open(encoding="utf-8-sig", newline="") as f:
        adults = {r["code"]: r["adults"] for r in csv.DictReader(f)}
    assert adults["00004001"] == "7"
