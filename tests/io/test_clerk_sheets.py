"""Sheets as clerks fill them, read by ``learnsoc rollup --counts`` and ``ls.read_inputs``.

A commune's report under a merged title, with row numbers, a ``Khác`` column of remarks,
``Ghi chú``, thousands written ``1.234``, a ``Tổng cộng`` row and the signature block;
an organisation's shares typed as percentages (``85%``), which were rejected as "not a
number"; one cell merged over two rows, said as "1 cells".
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io.excel import read_excel
from learnsoc.io.rejects import FileReject

UNITS = (
    "code;name;level;parent_code\n01;Hà Nội;province;\n00004;Xã Minh Phú;commune;01\n"
    "00004001;Thôn Đông;village;00004\n00004002;Thôn Đoài;village;00004\n"
)


def test_a_communes_report_as_its_clerk_fills_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Biểu 01"
    ws.append(["ỦY BAN NHÂN DÂN XÃ MINH PHÚ"])
    ws.merge_cells("A1:F1")
    ws.append(["BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2025"])
    ws.merge_cells("A2:F2")
    ws.append([])
    ws.append(["STT", "Tên thôn", "Số gia đình", "Gia đình học tập", "Khác", "Ghi chú"])
    ws.append([1, "Thôn Đông", "1.234", "1.100", "đủ hồ sơ", None])
    ws.append([2, "Thôn Đoài", 312, 256, None, "nộp muộn"])
    ws.append([None, "Tổng cộng", "1.546", "1.356", None, None])
    ws.append([])
    ws.append([None, "Người lập biểu", None, None, "Chủ tịch UBND xã"])
    ws.append([None, "(Ký, ghi rõ họ tên)", None, None, "(Ký tên, đóng dấu)"])
    wb.save("bao_cao.xlsx")
    Path("don_vi.csv").write_text(UNITS, encoding="utf-8")
    Path("so_lieu.toml").write_text(
        '[mapping]\ndelimiter = ";"\ndecimal = ","\n[counts.columns]\n"Tên thôn" = "unit_code"\n'
        '"Số gia đình" = "families"\n"Gia đình học tập" = "learning_families"\n',
        encoding="utf-8",
    )
    argv = ["rollup", "--counts", "bao_cao.xlsx", "--units", "don_vi.csv", "--mapping"]
    argv += ["so_lieu.toml", "--out", "r.csv", "--locale", "vi"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "bao_cao.xlsx, cột Khác: chỉ có chữ, không có số" in err
    assert "đọc 3, nhận 2, 0 dòng bị loại, 1 dòng được bỏ qua" in err
    rows = Path("r.csv").read_text(encoding="utf-8-sig").splitlines()
    head = rows[0].split(",")
    commune = next(r.split(",") for r in rows if r.split(",")[head.index("code")] == "00004")
    # By hand: 1,234 + 312 families, 1,100 + 256 learning families (the totals row agrees).
    assert commune[head.index("families")] == str(1234 + 312)
    assert commune[head.index("learning_families")] == str(1100 + 256)


ORGS = "organisation_id,organisation_type,unit_code\nO1,school,001\nO2,school,001\n"
ORGS += "O3,school,001\nO4,school,001\nO5,school,001\n"


@pytest.mark.parametrize(
    ("decimal", "want", "rejected"),
    [
        (".", [0.85, 0.85, np.nan, 0.07, np.nan], [(4, "not_a_number"), (6, "out_of_range")]),
        (",", [0.85, 0.85, 0.855, 0.07, np.nan], [(6, "out_of_range")]),
    ],
)
def test_shares_typed_as_percentages_are_read_as_shares(
    tmp_path: Path, decimal: str, want: list[float], rejected: list[tuple[int, str]]
) -> None:
    (tmp_path / "u.csv").write_text(
        "code,name,level,parent_code\n01,Tỉnh A,province,\n001,Xã B,commune,01\n"
        "T1,Thôn Đông,village,001\n",
        "utf-8",
    )
    (tmp_path / "ho.csv").write_text("household_id,unit_code\nH1,T1\n", "utf-8")
    (tmp_path / "nk.csv").write_text("person_id,household_id,age\n1,H1,40\n", "utf-8")
    (tmp_path / "org.csv").write_text(ORGS, "utf-8")
    pop = ls.read_population(
        tmp_path / "nk.csv",
        households=tmp_path / "ho.csv",
        units=tmp_path / "u.csv",
        organisations=tmp_path / "org.csv",
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Mã đơn vị", "Tỷ lệ thành viên được đào tạo"])
    for row in (["O1", "85%"], ["O2", 0.85], ["O3", "85,5 %"], ["O4", " 7 %"], ["O5", "150%"]):
        ws.append(row)
    ws["B3"].number_format = "0%"  # a number shown as 85%: it holds 0.85
    wb.save(tmp_path / "dao_tao.xlsx")
    (tmp_path / "m.toml").write_text(
        '[inputs.columns]\n"Mã đơn vị" = "organisation_id"\n'
        '"Tỷ lệ thành viên được đào tạo" = "share_members_trained"\n',
        "utf-8",
    )
    book = ls.load_rulebook("vn-national")
    inputs, rejects = ls.read_inputs(
        tmp_path / "dao_tao.xlsx", book, pop, mapping=tmp_path / "m.toml", decimal=decimal
    )
    np.testing.assert_allclose(inputs["organisation"]["share_members_trained"], want)
    found = [(r.line, r.reason) for r in rejects.records() if isinstance(r, FileReject)]
    assert sorted(found) == rejected
    assert rejects.counts()["organisation inputs"] == (5, 5 - len(rejected), len(rejected))


def test_one_cell_merged_down_is_said_as_one(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["Mã NK", "Mã hộ"], ["P1", "H1"], ["P2", None]):
        ws.append(row)
    ws.merge_cells("B2:B3")
    wb.save(tmp_path / "nk.xlsx")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        raw = read_excel(tmp_path / "nk.xlsx")
    assert next(raw.iter_batches())["Mã hộ"].tolist() == ["H1", "H1"]
    (said,) = [w.message for w in caught]
    assert "1 cell merged down over rows of data (B2:B3) was read as the merged value" in str(said)
    assert "1 ô nằm trong vùng ô được gộp" in said.localized("vi")  # type: ignore[union-attr]
