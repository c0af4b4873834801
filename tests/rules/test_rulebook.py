"""Rulebook files: loading, every key checked, extends, dated versions and parameters."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from learnsoc.errors import LearnsocError, RulebookError
from learnsoc.model.schema import STANDARD_SCHEMA
from learnsoc.rules.registry import (
    bundled_ids,
    list_rulebooks,
    load_rulebook,
    parse_rulebook,
    read_rulebook,
)
from learnsoc.rules.rulebook import Clause, Label, Rulebook
from learnsoc.rules.types import BOOL, INT

BAD = Path(__file__).parent / "bad"

HEAD = """\
[rulebook]
id = "t"
name = { vi = "Thử", en = "Test" }
issuer = "tests"
version = "1"
effective_from = 2016-01-01
"""


def _title(tid: str, level: str, *criteria: str, extra: str = "", versions: str = "") -> str:
    body = f"""
[titles.{tid}]
level = "{level}"
label = {{ vi = "{tid}", en = "{tid}" }}
{extra}
[[titles.{tid}.versions]]
effective_from = 2016-01-01
"""
    for i, expr in enumerate(criteria):
        body += f"""
[[titles.{tid}.versions.criteria]]
id = "c{i}"
label = {{ vi = "c{i}", en = "c{i}" }}
expr = "{expr}"
"""
    return body + versions


def _book(text: str) -> Rulebook:
    return parse_rulebook(HEAD + text, file="t.toml")


# ------------------------------------------------------------------------ the bad files


def _expectations(path: Path) -> tuple[list[str], int | None]:
    words: list[str] = []
    line: int | None = None
    for raw in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        if raw.startswith("# expect: "):
            words.append(raw[len("# expect: ") :])
        elif raw.startswith("# line: "):
            line = int(raw[len("# line: ") :])
    return words, line


BAD_FILES = sorted(BAD.glob("*.toml"))


def test_there_is_one_bad_file_per_error() -> None:
    """The collection of broken rulebooks is there, each stating what it expects."""
    assert len(BAD_FILES) >= 60
    for path in BAD_FILES:
        words, _ = _expectations(path)
        assert words, path.name


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_rulebook_is_rejected_with_its_words(path: Path) -> None:
    """Every broken file raises RulebookError naming the file, with the expected words."""
    words, line = _expectations(path)
    with pytest.raises(RulebookError) as info:
        read_rulebook(path)
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert info.value.file is not None
    assert Path(info.value.file).name.endswith(".toml")
    if line is not None:
        assert info.value.line == line, message


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    """A file larger than 1 MiB is refused without being parsed."""
    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * 1_048_576 + b"\n")  # the limit, plus a line
    with pytest.raises(RulebookError, match="rulebooks are limited to 1,048,576 bytes"):
        read_rulebook(path)


def test_toml_bomb_of_nested_arrays_is_refused() -> None:
    """Brackets nested thousands deep are refused before tomllib recurses."""
    text = "x = " + "[" * 5000 + "]" * 5000
    with pytest.raises(RulebookError, match="nested more than 20"):
        parse_rulebook(text, file="bomb.toml")


def test_missing_file_is_a_rulebook_error(tmp_path: Path) -> None:
    """A path that does not exist gives a RulebookError naming it."""
    with pytest.raises(RulebookError, match="cannot read the rulebook"):
        read_rulebook(tmp_path / "nope.toml")


# ------------------------------------------------------------------------ the example


def test_example_loads_with_everything_resolved() -> None:
    """The bundled example has its titles in evaluation order, sources and parameters."""
    book = load_rulebook("example")
    assert [t.id for t in book.titles] == [
        "learning_citizen",
        "learning_family",
        "learning_clan",
        "learning_unit",
        "learning_community",
        "commune_learning_community",
    ]
    assert book.info.name == Label(
        "Bộ tiêu chí ví dụ (không chính thức)", "Example rulebook (not official)"
    )
    assert book.info.effective_to == dt.date(2030, 12, 31)
    assert "Quyết định 448/QĐ-KHVN" in book.info.documents
    family = book.title("learning_family")
    assert [v.start for v in family.versions] == [dt.date(2016, 1, 1), dt.date(2021, 1, 1)]
    first = family.versions[0]
    assert first.end == dt.date(2020, 12, 31)
    assert first.criteria[0].on_empty == "pass"
    assert first.criteria[0].source == "d448"  # inherited from the version
    assert first.criteria[0].clause == Clause(vi="Tiêu chí 1, mục 1", en="Criterion 1, item 1")
    assert family.versions[1].criteria[1].parameters == frozenset({"family_citizen_share"})
    unit = book.title("learning_unit")
    assert unit.rule == "points" and unit.pass_mark == 50
    assert [g.code for g in unit.grades] == [3, 2, 1]  # highest minimum first
    assert unit.versions[0].criteria[2].required is True
    assert unit.versions[0].criteria[0].required is False
    assert book.names["organisation"]["learning_unit_points"] == INT
    assert book.names["organisation"]["learning_unit_grade"].code_of("fair") == 2
    assert book.names["person"]["adult"] == BOOL
    share = book.parameters["community_family_share"]
    assert share.uncertain and [v.value for v in share.values] == [0.6, 0.7]


def test_registry_lists_and_caches_bundled_rulebooks() -> None:
    """list_rulebooks describes every bundled file; a bundled book is loaded once."""
    assert "example" in bundled_ids()
    info = {i.id: i for i in list_rulebooks()}["example"]
    assert info.issuer == "learnsoc"
    assert info.file == "example.toml"
    assert load_rulebook("example") is load_rulebook("example")
    with pytest.raises(RulebookError, match="did you mean 'example'"):
        load_rulebook("exampel")


def test_load_by_path(tmp_path: Path) -> None:
    """A string ending in .toml, or a Path, is read from disk."""
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + _title("learning_citizen", "person", "literate"), encoding="utf-8")
    assert load_rulebook(str(path)).id == "t"
    assert load_rulebook(path).title("learning_citizen").level == "person"


def test_schema_adds_entity_inputs() -> None:
    """book.schema() extends the standard schema with the entity-level inputs only."""
    text = """
[inputs.household.score]
kind = "int"
range = [0, 100]
label = { vi = "điểm", en = "score" }
[inputs.household.level]
kind = "code"
codes = { low = 1, high = 2 }
label = { vi = "mức", en = "level" }
[inputs.village.week]
kind = "bool"
label = { vi = "tuần", en = "week" }
""" + _title("learning_citizen", "person", "literate")
    schema = _book(text).schema()
    score = schema.table("household").column("score")
    assert (score.kind, score.dtype, score.minimum, score.maximum) == ("int", "uint8", 0, 100)
    level = schema.table("household").column("level")
    assert level.codes is not None and level.codes.codes() == (1, 2)
    assert schema.table("person").names == STANDARD_SCHEMA.table("person").names


def test_columns_read_lists_what_conditions_and_inputs_name() -> None:
    """columns_read: own and member names of every version, eligibility, derived, inputs."""
    text = (
        """
[parameters.adult]
label = { vi = "tuổi", en = "age" }
value = 15
[inputs.household.score]
kind = "int"
label = { vi = "điểm", en = "score" }
[inputs.village.week]
kind = "bool"
label = { vi = "tuần", en = "week" }
[derived.person.grown]
expr = "age >= adult"
"""
        + _title("learning_citizen", "person", "grown and literate", extra='eligible = "sex == 1"')
        + _title(
            "learning_family",
            "household",
            "share(members.learning_citizen, where=members.age >= adult) >= 0.5",
            versions="""
[[titles.learning_family.versions]]
effective_from = 2020-01-01
[[titles.learning_family.versions.criteria]]
id = "c0"
label = { vi = "c0", en = "c0" }
expr = "registered and any(members.in_school)"
""",
        )
    )
    assert _book(text).columns_read() == {
        # person: derived, eligibility, criteria; household: both versions, members;
        # the household input (the village input is not a population column).
        "age",
        "grown",
        "sex",
        "literate",
        "learning_citizen",
        "registered",
        "in_school",
        "score",
    }
    # On a date: only the versions in force, and only the inputs they name.
    book = _book(text)
    assert book.columns_read(as_of="2019-06-30") == {
        "age",
        "grown",
        "sex",
        "literate",
        "learning_citizen",
    }
    assert book.columns_read(as_of=dt.date(2021, 1, 1)) == {
        "age",
        "grown",
        "sex",
        "literate",
        "registered",
        "in_school",
    }
    with pytest.raises(LearnsocError, match="as_of must be a date"):
        book.columns_read(as_of="12/31/2025")
    # Clans are read when a level looks at them (or clan titles exist).
    over_clans = _title("learning_village", "village", "count(clans) >= 1")
    assert "clan_id" in _book(over_clans).columns_read()
    assert "clan_id" in _book(_title("learning_clan", "clan", "count(members) > 2")).columns_read()


# ------------------------------------------------------------------------ dates


def test_versions_and_parameters_by_date() -> None:
    """The version and parameter value in force are the last ones started on the date."""
    book = load_rulebook("example")
    family = book.title("learning_family")
    assert family.version_at(dt.date(2016, 1, 1))[0].start == dt.date(2016, 1, 1)
    assert family.version_at(dt.date(2020, 12, 31))[0].start == dt.date(2016, 1, 1)
    assert family.version_at(dt.date(2021, 1, 1))[0].start == dt.date(2021, 1, 1)
    with pytest.raises(RulebookError, match="no criteria on 2015-12-31"):
        family.version_at(dt.date(2015, 12, 31))
    share = book.parameters["community_family_share"]
    assert share.value_at(dt.date(2020, 12, 31))[0].value == 0.6
    assert share.value_at(dt.date(2021, 1, 1))[0].value == 0.7
    citizen_share = book.parameters["family_citizen_share"]
    with pytest.raises(RulebookError, match="first value starts on 2021-01-01"):
        citizen_share.value_at(dt.date(2020, 1, 1))


def test_expired_version_warns_with_its_dates() -> None:
    """A version used past its effective_to gives a warning message naming it."""
    text = _title("learning_citizen", "person", "literate").replace(
        "effective_from = 2016-01-01\n", "effective_from = 2016-01-01\neffective_to = 2020-12-31\n"
    )
    title = _book(text).title("learning_citizen")
    version, warning = title.version_at(dt.date(2022, 5, 1))
    assert version.start == dt.date(2016, 1, 1)
    assert warning == (
        "title 'learning_citizen': its last version (from 2016-01-01) ends on 2020-12-31; "
        "used on 2022-05-01"
    )


def test_single_value_parameter_starts_with_the_rulebook() -> None:
    """value = X is one value from the rulebook's effective_from."""
    text = """
[parameters.min_age]
label = { vi = "tuổi", en = "age" }
value = 15
""" + _title("learning_citizen", "person", "age >= min_age")
    book = _book(text)
    (value,) = book.parameters["min_age"].values
    assert (value.start, value.end, value.value) == (dt.date(2016, 1, 1), None, 15)
    assert book.parameters["min_age"].kind == "int"


def test_parameters_inside_aggregates_and_mixed_numbers() -> None:
    """Parameters may appear inside where=; ints and floats mix into a float parameter."""
    text = """
[parameters.adult]
label = { vi = "tuổi", en = "age" }
value = 15
[parameters.needed]
label = { vi = "tỷ lệ", en = "share" }
values = [{ from = 2016-01-01, value = 1 }, { from = 2020-01-01, value = 0.5 }]
""" + _title(
        "learning_family",
        "household",
        "share(members.literate, where=members.age >= adult) >= needed",
    )
    book = _book(text)
    assert book.parameters["needed"].kind == "float"
    assert [v.value for v in book.parameters["needed"].values] == [1.0, 0.5]
    criterion = book.title("learning_family").versions[0].criteria[0]
    assert criterion.parameters == frozenset({"adult", "needed"})


# ------------------------------------------------------------------------ names and order


def test_titles_are_ordered_by_level_then_dependency() -> None:
    """Titles and derived variables run bottom-up whatever order the file gives them."""
    text = (
        _title("learning_community", "village", "share(households.learning_family) >= 0.5")
        + _title("learning_family", "household", "any(members.keen)")
        + """
[derived.person.keen]
expr = "learning_citizen and age >= 15"
"""
        + _title("learning_citizen", "person", "literate")
    )
    book = _book(text)
    assert [(n.kind, n.level, n.name) for n in book.order] == [
        ("title", "person", "learning_citizen"),
        ("derived", "person", "keen"),
        ("title", "household", "learning_family"),
        ("title", "village", "learning_community"),
    ]


def test_derived_types_are_inferred() -> None:
    """A derived variable's type comes from its expression."""
    text = """
[derived.household.adults]
expr = "count(members, where=members.age >= 15)"
[derived.household.mean_hours]
expr = "mean(members.learning_hours)"
[derived.person.adult]
expr = "age >= 15"
""" + _title("learning_family", "household", "adults >= 1 and mean_hours > 2")
    names = _book(text).names
    assert names["household"]["adults"] == INT
    assert names["household"]["mean_hours"].kind == "float"
    assert names["person"]["adult"] == BOOL


def test_title_cycle_through_derived_is_an_error() -> None:
    """A title that uses a derived variable that uses the title is a cycle."""
    text = """
[derived.person.keen]
expr = "learning_citizen"
""" + _title("learning_citizen", "person", "keen")
    with pytest.raises(RulebookError, match=r"cycle: person\.(keen|learning_citizen) -> "):
        _book(text)


def test_error_positions_point_into_the_condition() -> None:
    """An unknown name is reported at its line and column in the file."""
    text = _title("learning_citizen", "person", "literate and age >= 15 and in_shool")
    with pytest.raises(RulebookError) as info:
        _book(text)
    err = info.value
    lines = (HEAD + text).splitlines()
    row = next(i for i, line in enumerate(lines, start=1) if "in_shool" in line)
    assert (err.line, err.column) == (row, lines[row - 1].index("in_shool") + 1)
    assert err.key_path == "titles.learning_citizen.versions[0].criteria[0].expr"
    assert "did you mean 'in_school'" in str(err)


def test_multiline_condition_positions() -> None:
    """Conditions in multi-line strings report absolute lines."""
    text = '''
[titles.learning_citizen]
level = "person"
label = { vi = "c", en = "c" }
[[titles.learning_citizen.versions]]
effective_from = 2016-01-01
[[titles.learning_citizen.versions.criteria]]
id = "c"
label = { vi = "c", en = "c" }
expr = """
literate
and agee >= 15
"""
'''
    with pytest.raises(RulebookError) as info:
        _book(text)
    lines = (HEAD + text).splitlines()
    row = next(i for i, line in enumerate(lines, start=1) if "agee" in line)
    assert (info.value.line, info.value.column) == (row, 5)


def test_unknown_key_lists_the_allowed_keys() -> None:
    """An unknown key without a close match lists every allowed key."""
    text = _title("learning_citizen", "person", "literate", extra='colour = "red"')
    with pytest.raises(RulebookError) as info:
        _book(text)
    message = str(info.value)
    assert "unknown key 'colour'; allowed keys are: level, label, term, eligible" in message
    assert info.value.key_path == "titles.learning_citizen.colour"


# ------------------------------------------------------------------------ extends


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_variant_overrides_parameters_criteria_and_adds_versions(tmp_path: Path) -> None:
    """A variant merges by key: parameter values, criteria by id, versions by date."""
    path = _write(
        tmp_path,
        "ha-noi.toml",
        """
        [rulebook]
        id = "ha-noi"
        name = { vi = "Hà Nội", en = "Hanoi" }
        version = "2025.1"
        issuer = "UBND thành phố Hà Nội"
        extends = "example"

        [parameters.family_citizen_share]
        values = [{ from = 2021-01-01, value = 0.6 }]

        [[titles.learning_family.versions]]
        effective_from = 2021-01-01
        remove = ["children_in_school"]

        [[titles.learning_family.versions.criteria]]
        id = "adults_learning_citizens"
        on_empty = "pass"

        [[titles.learning_family.versions.criteria]]
        id = "registered_long"
        label = { vi = "Đăng ký", en = "registered" }
        expr = "registered"

        [[titles.learning_family.versions]]
        effective_from = 2026-01-01

        [[titles.learning_family.versions.criteria]]
        id = "all_literate"
        label = { vi = "Biết chữ", en = "literate" }
        expr = "all(members.literate, where=members.adult)"
        """,
    )
    book = read_rulebook(path)
    base = load_rulebook("example")
    assert book.id == "ha-noi" and book.info.issuer == "UBND thành phố Hà Nội"
    assert book.info.effective_from == base.info.effective_from  # inherited
    assert book.files == (str(path), "example.toml")
    share = book.parameters["family_citizen_share"]
    assert [v.value for v in share.values] == [0.6]
    assert share.label == base.parameters["family_citizen_share"].label  # kept from the parent
    family = book.title("learning_family")
    assert [v.start.year for v in family.versions] == [2016, 2021, 2026]
    v2021 = family.versions[1]
    assert [c.id for c in v2021.criteria] == ["adults_learning_citizens", "registered_long"]
    merged = v2021.criteria[0]
    assert merged.on_empty == "pass"
    assert merged.expr == base.title("learning_family").versions[1].criteria[1].expr
    assert family.versions[0] == base.title("learning_family").versions[0]
    # Only the 2021 version's end is implicit: it still runs until the new one.
    assert family.version_at(dt.date(2025, 12, 31))[0].start.year == 2021


def test_variant_error_points_into_the_variant(tmp_path: Path) -> None:
    """An error in a merged criterion names the variant's file and line."""
    path = _write(
        tmp_path,
        "v.toml",
        """
        [rulebook]
        id = "v"
        name = { vi = "V", en = "V" }
        version = "1"
        extends = "example"

        [[titles.learning_family.versions]]
        effective_from = 2021-01-01

        [[titles.learning_family.versions.criteria]]
        id = "adults_learning_citizens"
        expr = "share(members.learning_citizen) >= famliy_citizen_share"
        """,
    )
    with pytest.raises(RulebookError) as info:
        read_rulebook(path)
    assert info.value.file == str(path)
    assert info.value.line == 13
    assert "unknown household name 'famliy_citizen_share'" in str(info.value)


def test_extends_by_relative_path_and_depth_limit(tmp_path: Path) -> None:
    """extends may name a sibling file; chains deeper than 8 are refused."""
    _write(
        tmp_path,
        "base.toml",
        HEAD.replace('id = "t"', 'id = "base"') + _title("learning_citizen", "person", "literate"),
    )
    previous = "base.toml"
    for i in range(10):
        _write(
            tmp_path,
            f"v{i}.toml",
            f"""
            [rulebook]
            id = "v{i}"
            name = {{ vi = "v", en = "v" }}
            version = "1"
            extends = "{previous}"
            """,
        )
        previous = f"v{i}.toml"
    assert read_rulebook(tmp_path / "v0.toml").info.extends == "base.toml"
    assert read_rulebook(tmp_path / "v6.toml").title("learning_citizen").level == "person"
    with pytest.raises(RulebookError, match="deeper than 8"):
        read_rulebook(tmp_path / "v9.toml")


def test_every_bundled_rulebook_loads() -> None:
    """Every bundled file is a valid rulebook whose id matches its name."""
    for name in bundled_ids():
        book = load_rulebook(name)
        assert book.id == name
        assert book.titles
        assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", book.id)


def test_sizes_in_messages_are_grouped_as_the_reader_s_language_groups_them(
    tmp_path: Path,
) -> None:
    """1,048,576 in English is 1.048.576 in Vietnamese (the old message said 1,048,576)."""
    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * 1_048_576 + b"\n")
    with pytest.raises(RulebookError) as big:
        read_rulebook(path)
    size, limit = 2 + 1_048_576 + 1, 1 << 20
    assert f"{size:,} bytes; rulebooks are limited to {limit:,} bytes" in str(big.value)
    assert f"{size:,}".replace(",", ".") == "1.048.579"
    assert "tệp có 1.048.579 byte;" in big.value.localized("vi")
    assert "tối đa 1.048.576 byte" in big.value.localized("vi")
    assert "," not in big.value.localized("vi").split(str(path))[-1]

    issuer = HEAD.replace('issuer = "tests"', f'issuer = "{"x" * 5001}"')
    with pytest.raises(RulebookError) as long_text:
        parse_rulebook(issuer, file="t.toml")
    assert "issuer is 5,001 characters; the limit is 5,000" in str(long_text.value)
    assert "issuer dài 5.001 ký tự; giới hạn là 5.000" in long_text.value.localized("vi")

    name = HEAD.replace('vi = "Thử"', f'vi = "{"ư" * 5001}"')
    with pytest.raises(RulebookError) as long_label:
        parse_rulebook(name, file="t.toml")
    assert "name.vi is longer than 5,000 characters" in str(long_label.value)
    assert "name.vi dài quá 5.000 ký tự" in long_label.value.localized("vi")
