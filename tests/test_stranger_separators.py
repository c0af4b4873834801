"""A commune's report saved with another separator than the mapping file's, as a new user has it.

The quickstart's mapping file says ``delimiter = ";"``; the commune's report arrives as
Excel's "Unicode Text" (UTF-16, tab-separated) or as a CSV with ``,``. Read with ``;``, its
header is one column. Counts files said "is not a count column learnsoc knows" of the
title line, inputs files "column 'code': missing", and the hint named ``,`` for a tab file
whose first column name holds a comma (``Thôn, tổ dân phố``): each now names the file and
the separator it has, and the files read as the hint says.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.io.files import FileFormatError

UNITS = (
    "Mã;Tên;Cấp;Mã cấp trên\n01;Thành phố Hà Nội;Tỉnh;\n00004;Xã Minh Phú;Xã;01\n"
    "00004001;Thôn Đông;Thôn;00004\n00004002;Thôn Đoài;Thôn;00004\n"
)

# A commune's report as its officer typed it: title block, a header on rows 6 and 7
# under merged headings, the column numbers, a totals row and the signatures.
REPORT = [
    ["UBND XÃ MINH PHÚ", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "", ""],
    ["", "", "", "Độc lập - Tự do - Hạnh phúc", "", "", ""],
    ["", "", "", "Minh Phú, ngày 15/12/2025", "", "", ""],
    ["BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2025", "", "", "", "", "", ""],
    ["", "", "", "", "", "", ""],
    ["STT", "Thôn, tổ dân phố", "Gia đình học tập", "", "Dòng họ học tập", "", "Ghi chú"],
    ["", "", "Tổng số hộ", "Số đạt", "Tổng số", "Số đạt", ""],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
    ["1", "Thôn Đông", "1.250", "987", "6", "4", ""],
    ["2", "Thôn Đoài", "312", "256", "4", "3", "Mới thành lập"],
    ["", "Tổng cộng", "1.562", "1.243", "10", "7", ""],
    ["", "Người lập biểu", "", "", "CHỦ TỊCH", "", ""],
]

MAPPING = """
[mapping]
{delimiter}
decimal = ","
levels = "vn-2025"

[counts]
ignore = ["Ghi chú"]
[counts.columns]
"Thôn, tổ dân phố" = "unit_code"
"Tổng số hộ" = "families"
"Gia đình học tập - Số đạt" = "learning_families"
"Tổng số" = "clans"
"Dòng họ học tập - Số đạt" = "learning_clans"
"""


def _unicode_text(path: Path, rows: list[list[str]]) -> Path:
    """Write rows as Excel's "Unicode Text" does: UTF-16 with its BOM, tabs, CRLF."""
    path.write_bytes("".join("\t".join(r) + "\r\n" for r in rows).encode("utf-16"))
    return path


def _read_counts(folder: Path, report: Path, delimiter: str) -> ls.Rollup:
    (folder / "don_vi.csv").write_text(UNITS, encoding="utf-8-sig")
    mapping = folder / "so_lieu.toml"
    mapping.write_text(MAPPING.format(delimiter=delimiter), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the title, the two-row header, the totals row
        tree, refused = ls.io.read_units(folder / "don_vi.csv", mapping=mapping)
        return ls.io.rollup_counts_file(report, tree, mapping=mapping, units_rejects=refused)


def test_a_tab_separated_report_under_a_semicolon_mapping_names_the_tab(tmp_path: Path) -> None:
    report = _unicode_text(tmp_path / "bao_cao.txt", REPORT)
    with pytest.raises(FileFormatError) as caught:
        _read_counts(tmp_path, report, 'delimiter = ";"')
    err = caught.value
    assert "bao_cao.txt" in str(err)
    assert "its names are separated by 'tab'" in str(err)
    assert "is not a count column" not in str(err)
    assert "dấu phân cách của mỗi tệp sẽ được nhận ra" in err.localized("vi")


def test_as_the_hint_says_files_of_two_separators_read_with_none_given(tmp_path: Path) -> None:
    """The units file has ';', the report tabs: with no separator given, each is found."""
    report = _unicode_text(tmp_path / "bao_cao.txt", REPORT)
    roll = _read_counts(tmp_path, report, "")
    assert roll.rejects is not None
    assert roll.rejects.counts()["counts"] == (3, 2, 0)  # the totals row skipped
    assert roll.rejects.n_skipped("counts") == 1
    # Summed by hand from the rows as typed, "1.250" being one thousand two hundred fifty.
    commune = roll.unit("00004")
    assert commune["families"] == 1250 + 312
    assert commune["learning_families"] == 987 + 256
    assert commune["clans"] == 6 + 4
    assert commune["learning_clans"] == 4 + 3
    assert roll.unit("00004001")["families"] == 1250


def test_an_inputs_file_saved_with_commas_names_the_comma(tmp_path: Path) -> None:
    """Old: "column 'code': missing", of a file whose header holds Mã."""
    pop = ls.synthetic_population(persons=300, seed=1)
    book = ls.load_rulebook("vn-national")
    commune = pop.hierarchy.codes_at("commune")[0]
    path = tmp_path / "xa.csv"
    path.write_text(f"Mã,Tên xã,c1_propaganda,c1_plan\n{commune},Xã A,x,x\n", encoding="utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text('[mapping]\ndelimiter = ";"\n', encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"xa\.csv: the header was read as one column"):
        ls.read_inputs(path, book, pop, mapping=mapping)
    # Read with its own separator, the same file gives its two inputs.
    mapping.write_text('[mapping]\ndelimiter = ","\n', encoding="utf-8")
    inputs, rejects = ls.read_inputs(path, book, pop, mapping=mapping)
    assert inputs["commune"]["c1_plan"][0] == 1.0
    assert len(rejects) == 0


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("Mã hộ\tThôn, xóm\tĐăng ký", "'tab'"),  # old: ',' (the first that split it)
        ("Mã hộ;Thôn, xóm;Đăng ký", "';'"),
        ("Mã hộ,Mã thôn|Ghi chú,Đăng ký", "','"),
    ],
)
def test_the_separator_named_is_the_one_that_splits_the_header_most(header: str, said: str) -> None:
    from learnsoc.io.convert import one_column_header

    message = one_column_header([header])
    assert message is not None
    assert f"separated by {said}" in str(message)
