"""What a rule-file author reads in Vietnamese (issue 16, item 6).

Every error and warning of :mod:`learnsoc.rules` carries a catalog id: under
``--locale vi`` the command line prints it with ``localized("vi")``, and ``str()`` stays
the English text the other tests and the documentation match.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.errors import LearnsocError, RulebookError
from learnsoc.rules.engine import evaluate
from learnsoc.rules.explain import abolished_message
from learnsoc.rules.registry import load_rulebook
from learnsoc.rules.rulebook import (
    AbolishedProcedureWarning,
    MissingInputWarning,
    Rulebook,
    RulebookWarning,
    as_date,
    parse_rulebook,
    read_rulebook,
)

HEAD = """\
[rulebook]
id = "t"
name = { vi = "Thử", en = "Test" }
issuer = "tests"
version = "1"
effective_from = 2016-01-01
"""
EXPR = "[titles.citizen.versions[0].criteria[0].expr]"


def _title(expr: str, *, head: str = "", level: str = "person", body: str = "") -> str:
    return (
        HEAD
        + f"""
[titles.citizen]
level = "{level}"
label = {{ vi = "Công dân học tập", en = "Learning citizen" }}
{head}
[[titles.citizen.versions]]
effective_from = 2016-01-01
[[titles.citizen.versions.criteria]]
id = "c0"
label = {{ vi = "c0", en = "c0" }}
expr = "{expr}"
"""
        + body
    )


#: A second version of the title of :func:`_title`, from 1 June 2020.
SECOND_VERSION = """
[[titles.citizen.versions]]
effective_from = 2020-06-01
[[titles.citizen.versions.criteria]]
id = "c0"
label = { vi = "c0", en = "c0" }
expr = "literate"
"""


def _error(text: str) -> RulebookError:
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(text, file="bad.toml")
    return caught.value


BROKEN = [
    pytest.param(
        HEAD.replace("effective_from", "effective_form"),
        "bad.toml:6:1 [rulebook.effective_form]: unknown key 'effective_form'; did you mean "
        "'effective_from'? (allowed: format, id, name, issuer, version, extends, "
        "effective_from, effective_to, last_checked, levels, description)",
        "bad.toml:6:1 [rulebook.effective_form]: khóa 'effective_form' không hợp lệ; có phải "
        "ý bạn là 'effective_from'? (được dùng: format, id, name, issuer, version, extends, "
        "effective_from, effective_to, last_checked, levels, description)",
        id="unknown-key",
    ),
    pytest.param(
        HEAD + "[sources]\nqd = 3\n",
        "bad.toml:8:1 [sources.qd]: source 'qd' must be a table, not a number",
        "bad.toml:8:1 [sources.qd]: nguồn 'qd' phải là một bảng, không phải một số",
        id="source-not-a-table",
    ),
    pytest.param(
        _title("literate").replace(
            'label = { vi = "Công dân học tập", en = "Learning citizen" }', 'label = "c"'
        ),
        'bad.toml:10:1 [titles.citizen.label]: label must be a table { vi = "...", en = "..." '
        "}, not text",
        'bad.toml:10:1 [titles.citizen.label]: label phải là một bảng { vi = "...", en = "..." '
        "}, không phải văn bản",
        id="label-not-a-table",
    ),
    pytest.param(
        _title("literate").replace(
            "[[titles.citizen.versions]]\neffective_from = 2016-01-01",
            "[[titles.citizen.versions]]",
        ),
        "bad.toml:12:1 [titles.citizen.versions[0]]: a version needs effective_from (the first "
        "day it applies)",
        "bad.toml:12:1 [titles.citizen.versions[0]]: phiên bản cần có effective_from (ngày đầu "
        "tiên áp dụng)",
        id="version-without-start",
    ),
    pytest.param(
        _title("literate", head='rule = "point"'),
        "bad.toml:11:1 [titles.citizen.rule]: rule must be one of 'all', 'points', not "
        "'point'; did you mean 'points'?",
        "bad.toml:11:1 [titles.citizen.rule]: rule phải là một trong 'all', 'points', không "
        "phải 'point'; có phải ý bạn là 'points'?",
        id="rule-misspelt",
    ),
    pytest.param(
        HEAD + '[parameters.2x]\nlabel = { vi = "a", en = "b" }\nvalue = 1\n',
        "bad.toml:7:1 [parameters.2x]: parameter '2x' is not a valid name: use ASCII letters, "
        "digits and '_', starting with a letter",
        "bad.toml:7:1 [parameters.2x]: tên tham số '2x' không hợp lệ: hãy dùng chữ cái ASCII, "
        "chữ số và '_', bắt đầu bằng chữ cái",
        id="bad-parameter-name",
    ),
    pytest.param(
        HEAD + '[derived.person.age]\nexpr = "1"\n',
        "bad.toml:7:1 [derived.person.age]: 'age' is already a standard column at level "
        "'person'; names must differ",
        "bad.toml:7:1 [derived.person.age]: 'age' đã là một cột chuẩn của người; các tên "
        "phải khác nhau",
        id="name-clash",
    ),
    pytest.param(
        HEAD + '[parameters.age]\nlabel = { vi = "a", en = "b" }\nvalue = 1\n',
        "bad.toml:7 [parameters.age]: parameter 'age' has the name of a standard column at "
        "level 'person'",
        "bad.toml:7 [parameters.age]: tham số 'age' trùng tên với một cột chuẩn của người",
        id="parameter-named-as-a-column",
    ),
    pytest.param(
        HEAD + '[derived.commune.villages]\nexpr = "1"\n',
        "bad.toml:7:1 [derived.commune.villages]: 'villages' is a collection at level 'commune'; "
        "choose another name",
        "bad.toml:7:1 [derived.commune.villages]: 'villages' là một tập hợp của cấp xã; hãy chọn "
        "tên khác",
        id="name-of-a-collection",
    ),
    pytest.param(
        _title("literate", body=SECOND_VERSION).replace(
            "effective_from = 2016-01-01\n[[titles.citizen.versions.criteria]]",
            "effective_from = 2016-01-01\neffective_to = 2020-12-31\n"
            "[[titles.citizen.versions.criteria]]",
        ),
        "bad.toml:21:1 [titles.citizen.versions[1].effective_from]: this version starts on "
        "2020-06-01, before the previous one ends (2020-12-31): versions must not overlap",
        "bad.toml:21:1 [titles.citizen.versions[1].effective_from]: phiên bản này bắt đầu ngày "
        "01/6/2020, trước khi phiên bản trước đó hết hiệu lực (ngày 31/12/2020): các phiên bản "
        "không được chồng lấn nhau",
        id="versions-overlap",
    ),
    pytest.param(
        HEAD + 'extends = "vn-nat"\n',
        "bad.toml:7:1 [rulebook.extends]: extends names 'vn-nat', which is not a bundled "
        "rulebook; expected one of 'example', 'hanoi', 'vn-national'",
        "bad.toml:7:1 [rulebook.extends]: extends chỉ tới 'vn-nat', không phải một bộ tiêu chí "
        "có sẵn; cần một trong các giá trị 'example', 'hanoi', 'vn-national'",
        id="extends-unknown",
    ),
    pytest.param(
        HEAD + "a = = 1\n",
        "bad.toml:7:5: invalid TOML: Invalid value",
        "bad.toml:7:5: TOML không hợp lệ: giá trị không hợp lệ (trình đọc TOML: Invalid value)",
        id="invalid-toml",
    ),
    pytest.param(
        _title("age ** 2 > 1"),
        f"bad.toml:17:9 {EXPR}: the power operator '**' is not allowed",
        f"bad.toml:17:9 {EXPR}: không được dùng toán tử lũy thừa '**'",
        id="condition-syntax",
    ),
    pytest.param(
        _title("sharee(members.literate) > 0", level="household"),
        f"bad.toml:17:9 {EXPR}: unknown function 'sharee'; did you mean 'share'?",
        f"bad.toml:17:9 {EXPR}: không có hàm 'sharee'; có phải ý bạn là 'share'?",
        id="condition-unknown-function",
    ),
    pytest.param(
        _title("literat"),
        f"bad.toml:17:9 {EXPR}: unknown person name 'literat'; did you mean 'literate'?",
        f"bad.toml:17:9 {EXPR}: không có tên 'literat' của người; có phải ý bạn là 'literate'?",
        id="condition-unknown-name",
    ),
    pytest.param(
        _title("age + 1"),
        f"bad.toml:17:9 {EXPR}: a condition must be true or false, but 'age + 1' is int; "
        "compare it, e.g. 'age + 1 >= 1'",
        f"bad.toml:17:9 {EXPR}: điều kiện phải cho kết quả true hoặc false, nhưng 'age + 1' có "
        "kiểu int; hãy so sánh nó, ví dụ 'age + 1 >= 1'",
        id="condition-not-boolean",
    ),
    pytest.param(
        _title("share(members.age) >= 0.5", level="household"),
        f"bad.toml:17:15 {EXPR}: share() needs a true/false value of the members, but "
        "'members.age' is int; compare it, e.g. share(members.age >= 1)",
        f"bad.toml:17:15 {EXPR}: share() cần một giá trị true/false của thành viên, nhưng "
        "'members.age' có kiểu int; hãy so sánh nó, ví dụ share(members.age >= 1)",
        id="condition-type",
    ),
]


@pytest.mark.parametrize(("text", "english", "vietnamese"), BROKEN)
def test_a_broken_rulebook_is_explained_in_vietnamese(
    text: str, english: str, vietnamese: str
) -> None:
    err = _error(text)
    assert str(err) == english
    assert err.localized("vi") == vietnamese
    assert err.localized("en") == english


def _misuse_title(_folder: Path) -> None:
    load_rulebook("example").title("learning_famly")


def _misuse_date(_folder: Path) -> None:
    as_date("12/31/2025")


def _misuse_folder(folder: Path) -> None:
    read_rulebook(folder)


def _misuse_derived(_folder: Path) -> None:
    load_rulebook("example").derived_variable("commune", "x")


def _misuse_criterion(_folder: Path) -> None:
    book = parse_rulebook(_title("literate"))
    evaluate(_population(), book, "2025-12-31").verdicts("citizen").criterion("c9")


MISUSE = [
    pytest.param(
        _misuse_title,
        "rulebook 'example' has no title 'learning_famly'; did you mean 'learning_family'?",
        "bộ tiêu chí 'example' không có danh hiệu 'learning_famly'; có phải ý bạn là "
        "'learning_family'?",
        id="no-such-title",
    ),
    pytest.param(
        _misuse_date,
        "as_of must be a date such as '2025-12-31' or '31/12/2025', not '12/31/2025'",
        "as_of phải là một ngày, ví dụ '2025-12-31' hoặc '31/12/2025', không phải '12/31/2025'",
        id="bad-date",
    ),
    pytest.param(
        _misuse_folder,
        "{folder}: cannot read the rulebook: it is a directory, not a file",
        "{folder}: không đọc được bộ tiêu chí: đây là thư mục, không phải tệp",
        id="a-folder",
    ),
    pytest.param(
        _misuse_criterion,
        "title 'citizen' (version from 2016-01-01) has no criterion 'c9'; expected one of 'c0'",
        "danh hiệu 'citizen' (phiên bản từ ngày 01/01/2016) không có tiêu chí 'c9'; cần một "
        "trong các giá trị 'c0'",
        id="no-such-criterion",
    ),
    pytest.param(
        _misuse_derived,
        "rulebook 'example' has no derived variable 'x' at level 'commune'",
        "bộ tiêu chí 'example' không có biến dẫn xuất 'x' của cấp xã",
        id="no-such-derived-variable",
    ),
]


@pytest.mark.parametrize(("call", "english", "vietnamese"), MISUSE)
def test_misusing_the_rules_api_is_explained_in_vietnamese(
    call: Callable[[Path], None], english: str, vietnamese: str, tmp_path: Path
) -> None:
    with pytest.raises(LearnsocError) as caught:
        call(tmp_path)
    assert str(caught.value) == english.format(folder=tmp_path)
    assert caught.value.localized("vi") == vietnamese.format(folder=tmp_path)


# ---------------------------------------------------------------------------- warnings


def _population() -> ls.Population:
    units = {
        "code": ["01", "C1", "V1"],
        "level": ["province", "commune", "village"],
        "parent_code": [None, "01", "C1"],
    }
    tree = ls.Hierarchy.from_units(units, levels="vn-2025")
    persons = [ls.Person("P1", "H1", age=30, literate=True)]
    return ls.Population.from_records(persons, [ls.Household("H1", "V1")], tree)


def _warnings_of(book: Rulebook, as_of: str) -> list[Any]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Old dates on the 2-level tree: its own warning is not what these tests read.
        warnings.simplefilter("ignore", ls.HierarchyDateWarning)
        evaluate(_population(), book, as_of)
    return [w.message for w in caught]


def test_an_expired_parameter_warns_in_vietnamese() -> None:
    book = parse_rulebook(
        _title(
            "age >= adult",
            body="""
[parameters.adult]
label = { vi = "tuổi", en = "age" }
values = [{ from = 2016-01-01, value = 15, to = 2024-12-31 }]
""",
        )
    )
    (warning,) = _warnings_of(book, "2025-06-30")
    assert isinstance(warning, RulebookWarning)
    assert str(warning) == (
        "parameter 'adult': its last value (15, from 2016-01-01) ends on 2024-12-31; "
        "used on 2025-06-30"
    )
    # Dates as Vietnamese writes them, as in the other warnings (they were ISO dates).
    assert warning.localized("vi") == (
        "tham số 'adult': giá trị cuối cùng (15, từ ngày 01/01/2016) hết hiệu lực ngày "
        "31/12/2024; được dùng vào ngày 30/6/2025"
    )


def test_a_missing_input_warns_in_vietnamese() -> None:
    book = parse_rulebook(
        _title(
            "results_good",
            body="""
[inputs.person.results_good]
kind = "bool"
label = { vi = "t", en = "t" }
""",
        )
    )
    (warning,) = _warnings_of(book, "2025-06-30")
    assert isinstance(warning, MissingInputWarning)
    # The input by its label and its id, and how Python gives it (learnsoc.read_inputs).
    assert warning.localized("vi") == (
        "không có số liệu cho t (person.results_good): không có trong dân số cũng như trong "
        "inputs=; các tiêu chí dùng số liệu này đều chưa rõ với mọi đối tượng. Hãy đọc các "
        "phiếu của người đánh giá bằng inputs, rejects = learnsoc.read_inputs(FILE, rulebook, "
        "population) rồi truyền evaluate(..., inputs=inputs)"
    )
    assert str(warning) == (
        "no data for t (person.results_good): given neither in the population nor in inputs=; "
        "criteria reading it are unknown for everyone. Read the evaluators' sheets with inputs, "
        "rejects = learnsoc.read_inputs(FILE, rulebook, population) and pass "
        "evaluate(..., inputs=inputs)"
    )


def test_an_abolished_procedure_warns_in_the_readers_language() -> None:
    book = parse_rulebook(
        _title(
            "literate",
            head='abolished = { on = 2025-07-01, source = "nd142" }',
            body="""
[sources.nd142]
document = "Nghị định 142/2025/NĐ-CP"
""",
        )
    )
    (warning,) = _warnings_of(book, "2025-12-31")
    assert isinstance(warning, AbolishedProcedureWarning)
    title = book.title("citizen")
    as_of = dt.date(2025, 12, 31)
    version = title.version_at(as_of)[0]
    assert warning.localized("vi") == abolished_message(book, title, version, as_of, "vi")
    assert warning.localized("vi").startswith(
        "Công dân học tập: thủ tục công nhận đã bị bãi bỏ từ ngày 01/7/2025"
    )
    assert warning.localized("en") == abolished_message(book, title, version, as_of, "en")


# ------------------------------------------------------------------------- command line


@pytest.mark.usefixtures("neutral_locale")
def test_a_broken_rulebook_file_is_reported_in_vietnamese_by_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.toml").write_text(_title("literat"), encoding="utf-8")
    files = ["p.csv", "--households", "h.csv", "--units", "u.csv"]
    argv = ["evaluate", *files, "--rulebook", "bad.toml", "--as-of", "31/12/2025"]
    assert main([*argv, "--locale", "vi"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"learnsoc: lỗi: bad.toml:17:9 {EXPR}: không có tên 'literat' của người; "
        "có phải ý bạn là 'literate'?"
    )
    assert main(argv) == 2
    assert capsys.readouterr().err.strip() == (
        f"learnsoc: error: bad.toml:17:9 {EXPR}: unknown person name 'literat'; "
        "did you mean 'literate'?"
    )
