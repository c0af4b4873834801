"""A provincial data officer's first pass on the dataset workflow, in Vietnamese.

The files are written by hand as an agency keeps them: an evaluator's Excel sheet with a
title above its header, codes stored as numbers, Vietnamese messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests._vi_files import province_folder, run_vi
from tests.io.test_dataset import tree
from tests.optional import needs, require

pytestmark = needs("pyarrow")
require("openpyxl")

BOOK = ["--rulebook", "vn-national", "--as-of", "31/12/2025"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pop = ls.synthetic_population(persons=600, seed=3, hierarchy=tree(2))
    folder = tmp_path_factory.mktemp("nu3") / "national"
    ls.write_dataset(pop, folder)
    return folder


def commune_sheet(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """An evaluator's sheet: a title in row 1, the column names in row 2."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SỐ LIỆU ĐÁNH GIÁ CỘNG ĐỒNG HỌC TẬP CẤP XÃ NĂM 2025"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_header_row_applies_to_the_inputs_sheet(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--header-row 2 reads an --inputs sheet under its title, as it reads the others."""
    communes = ls.read_dataset(dataset).partition("01").hierarchy.codes_at("commune")
    commune_sheet(
        tmp_path / "xa.xlsx",
        ["Mã xã", "Tên xã", "c1_plan"],
        [[str(code), f"Xã {code}", "Có"] for code in communes],
    )
    args = ["evaluate", str(dataset), *BOOK, "--out", str(tmp_path / "ketqua")]
    _, err = run_vi(
        [*args, "--inputs", f"commune={tmp_path / 'xa.xlsx'}", "--header-row", "2"], capsys
    )
    n = len(communes)
    assert f"số liệu đầu vào cấp xã: đọc {n}, nhận {n}, 0 dòng bị loại" in err
    assert "nhận + loại = đọc: OK" in err


def test_an_unknown_inputs_column_names_the_level_in_vietnamese(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'không phải dữ liệu đầu vào của cấp xã', not 'của cấp commune'."""
    # (STT, the row numbers, and Ghi chú, the notes, are left out: a column of remarks
    # on the evaluation, Nhận xét, is what stops the read.)
    text = "STT;Mã xã;Ghi chú;Nhận xét;c1_plan\n1;00101;x;tốt;Có\n"
    (tmp_path / "xa.csv").write_text(text, encoding="utf-8-sig")
    args = ["evaluate", str(dataset), *BOOK, "--out", str(tmp_path / "ketqua")]
    _, err = run_vi([*args, "--inputs", f"commune={tmp_path / 'xa.csv'}"], capsys)
    assert "cột 'Nhận xét': không phải dữ liệu đầu vào của cấp xã trong bộ tiêu chí" in err
    assert "commune" not in err.split("cột 'Nhận xét'")[1].split(";")[0]
    assert "Ghi chú" not in err


def test_the_partition_line_counts_organisations_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'0 cơ quan, đơn vị': 'đơn vị' alone reads as administrative units."""
    pop = ls.synthetic_population(persons=200, seed=2, hierarchy=tree(1))
    argv = province_folder(tmp_path, monkeypatch, pop)
    code, err = run_vi([*argv, "tinh-01"], capsys)
    assert code == 0, err
    assert " dòng họ, 0 cơ quan, đơn vị\n" in err


def test_a_used_out_folder_is_refused_wholly_in_vietnamese(
    dataset: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Running learnsoc dataset again into its folder: 'không thể ghi', not 'cannot write'."""
    pop = ls.synthetic_population(persons=100, seed=2, hierarchy=tree(1))
    argv = [*province_folder(tmp_path, monkeypatch, pop), "tinh-01"]
    assert run_vi(argv, capsys)[0] == 0
    code, err = run_vi(argv, capsys)
    assert code == 2
    assert "không thể ghi 'DIR': bộ dữ liệu chỉ được ghi vào thư mục mới" in err
    assert "cannot write" not in err


def test_report_on_the_dataset_without_rulebook_points_to_the_results(
    dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The dataset given where its results were meant: the message says which is which."""
    assert main(["report", str(dataset), "--targets", "hanoi-23-nq-tu", "--locale", "vi"]) == 2
    err = capsys.readouterr().err
    assert f"{dataset}: lệnh report từ một bộ dữ liệu cần --rulebook và --as-of" in err
    assert f"thư mục kết quả của 'learnsoc evaluate {dataset} --out THƯ_MỤC'" in err
    assert "từ các tệp" not in err


def test_results_keep_the_abolished_notice_in_english_too(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Evaluated in Vietnamese, results.json's "en" notice is English; an English report says it."""
    import json

    out = tmp_path / "ketqua"
    assert main(["evaluate", str(dataset), *BOOK, "--out", str(out), "--locale", "vi"]) == 0
    said = json.loads((out / "results.json").read_text("utf-8"))["warnings"]
    notice = next(w for w in said if "bãi bỏ" in w["vi"])
    assert notice["en"].startswith("commune-level learning community: the recognition procedure")
    capsys.readouterr()
    assert main(["report", str(out), "--locale", "en"]) == 0
    err = capsys.readouterr().err
    assert "the recognition procedure was abolished" in err
    assert "bãi bỏ" not in err


MAPPING = """
[household.columns]
"Mã hộ" = "household_id"
"Mã thôn" = "unit_code"
"Đăng ký" = "registered"
"""


def test_lost_zeros_name_the_folder_file_and_its_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Village codes stored as numbers in one folder's sheet: that file and 'Mã thôn' named."""
    import openpyxl

    pop = ls.synthetic_population(persons=120, seed=4, hierarchy=tree(1))
    argv = province_folder(tmp_path, monkeypatch, pop, tables=("persons",))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Mã hộ", "Mã thôn", "Đăng ký"])
    households = pop.columns("household")
    for hid, code in zip(pop.household_ids.tolist(), households["unit_code"].tolist(), strict=True):
        sheet.append([hid, int(code), 1])  # the zeros Excel drops from a number
    book.save(tmp_path / "tinh-01" / "households.xlsx")
    (tmp_path / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    code, err = run_vi([*argv, "--mapping", "mapping.toml", "tinh-01"], capsys)
    assert code == 0, err
    n = f"{pop.n_households:,}".replace(",", ".")
    file = str(Path("tinh-01") / "households.xlsx")
    assert f"cảnh báo: {file}, cột Mã thôn: {n} dòng đã mất các chữ số 0" in err


def test_a_dataset_evaluation_reads_in_a_notebook(dataset: Path, tmp_path: Path) -> None:
    """One line of repr and the summary table in HTML, as an Evaluation; results: short."""
    import warnings

    from learnsoc.scale.results import read_results

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ls.evaluate_dataset(dataset, "vn-national", "2025-12-31")
    text = repr(result)
    assert text.startswith("DatasetEvaluation('vn-national', as of 2025-12-31: ")
    assert "600 persons in 2 partitions by province" in text
    assert "\n" not in text and len(text) < 200
    one = ls.write_dataset(ls.synthetic_population(persons=300, seed=2), tmp_path / "one")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        single = ls.evaluate_dataset(one, "example", "2025-12-31")
    assert "300 persons in 1 partition by province" in repr(single)
    html = result._repr_html_()
    assert html.startswith("<p><strong>") and "(vn-national)" in html
    assert html.count("<table>") == 1
    assert main(["evaluate", str(dataset), *BOOK, "--out", str(tmp_path / "kq")]) == 0
    saved = repr(read_results(tmp_path / "kq"))
    assert "warnings" not in saved and len(saved) < 400


def test_clan_inputs_with_a_dataset_name_the_level_in_vietnamese(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'dữ liệu đầu vào của dòng họ (clan)', not 'của clan'."""
    (tmp_path / "dongho.csv").write_text(
        "Mã dòng họ;Tên dòng họ;clan_promotes_learning\nDH01;Họ Nguyễn;Có\n", encoding="utf-8-sig"
    )
    args = ["evaluate", str(dataset), *BOOK, "--out", str(tmp_path / "kq")]
    _, err = run_vi([*args, "--inputs", f"clan={tmp_path / 'dongho.csv'}"], capsys)
    assert "chưa đọc được dữ liệu đầu vào của dòng họ (clan) từ tệp" in err


def test_a_file_name_for_the_results_of_a_dataset_is_refused(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out ketqua.csv, as for a persons file: exit 2, no folder named ketqua.csv."""
    out = tmp_path / "ketqua.csv"
    _, err = run_vi(["evaluate", str(dataset), *BOOK, "--out", str(out)], capsys)
    assert (
        f"--out: '{out}' là tên một tệp; kết quả của một bộ dữ liệu được ghi vào một thư mục" in err
    )
    assert not out.exists()
    assert main(["evaluate", str(dataset), *BOOK, "--out", str(out)]) == 2


def test_dataset_help_names_organisations_as_such(capsys: pytest.CaptureFixture[str]) -> None:
    """The files a folder holds: 'cơ quan, đơn vị', not 'đơn vị' (administrative units)."""
    assert main(["dataset", "--help", "--locale", "vi"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "dòng họ; cơ quan, đơn vị; thành viên của một tỉnh" in out
    assert "tệp cơ quan, đơn vị và tệp thành viên nếu có" in out
    assert "thành viên đơn vị" not in out
