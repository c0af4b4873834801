"""Rulebooks, target sets and mapping files share one TOML layer and one error family."""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc import errors
from learnsoc.io.mapping import read_mapping
from learnsoc.rules.registry import read_rulebook

TARGET_FILE = """\
[target_set]
id = "mine"
title = { vi = "Thử", en = "Test" }
issuer = { vi = "UBND", en = "Committee" }

[[target]]
id = "x"
"""


def test_the_three_file_errors_share_one_base_and_keep_their_old_names() -> None:
    import learnsoc.io
    import learnsoc.io.mapping
    import learnsoc.targets
    import learnsoc.targets.indicators
    import learnsoc.targets.targets

    assert learnsoc.io.MappingError is learnsoc.io.mapping.MappingError is errors.MappingError
    assert learnsoc.targets.targets.TargetFileError is errors.TargetFileError
    assert learnsoc.targets.TargetError is learnsoc.targets.indicators.TargetError
    assert learnsoc.targets.TargetError is errors.TargetError
    for cls in (errors.RulebookError, errors.TargetFileError, errors.MappingError):
        assert issubclass(cls, errors.TomlFileError)
    # Code that caught RulebookError for target and mapping files keeps working.
    assert issubclass(errors.TargetFileError, errors.RulebookError)
    assert issubclass(errors.MappingError, errors.RulebookError)
    assert issubclass(errors.TargetFileError, errors.TargetError)


def test_an_unknown_top_key_in_a_target_file_names_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(TARGET_FILE, "utf-8")
    with pytest.raises(errors.TargetFileError) as info:
        ls.load_targets(path)
    # Line 6 is [[target]]; the old regex search said line 1.
    assert (info.value.line, info.value.key_path) == (6, "target")
    assert str(info.value).startswith(f"{path}:6 [target]: unknown key 'target'")


def test_columns_mapped_twice_name_the_second_column_not_a_comment(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('# the age column\n[person.columns]\n"a" = "age"\n"b" = "age"\n', "utf-8")
    with pytest.raises(errors.MappingError) as info:
        read_mapping(path)
    # The old search took the first line holding the word 'age': the comment.
    assert (info.value.line, info.value.key_path) == (4, "person.columns")


def test_target_and_mapping_errors_name_lines_without_columns(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text("[mapping]\ndecimal = ';'\n", "utf-8")
    with pytest.raises(errors.TomlFileError) as info:
        read_mapping(path)
    assert (info.value.line, info.value.column) == (2, None)
    assert str(info.value).startswith(f"{path}:2 [mapping.decimal]: ")


@pytest.mark.parametrize("quotes", ['"""', "'''"])
def test_an_unclosed_multiline_string_names_the_line_where_it_opens(
    tmp_path: Path, quotes: str
) -> None:
    # A string opened and closed on line 8 must not count; the one on line 10 never
    # closes, so tomllib only notices at line 14, the end of the file.
    text = (
        TARGET_FILE
        + f"title = {quotes}closed{quotes}  # {quotes}\n\nnote = {quotes}\nnever\nclosed\n\nx = 1"
    )
    path = tmp_path / "plan.toml"
    path.write_text(text, "utf-8")
    opens_on = text.split("\n").index(f"note = {quotes}") + 1
    assert opens_on == 10 and text.count("\n") + 1 == 14
    with pytest.raises(errors.TargetFileError) as info:
        ls.load_targets(path)
    assert info.value.line == opens_on
    assert f"the multi-line string opened here with {quotes} is never closed" in str(info.value)
    rules = tmp_path / "rules.toml"
    rules.write_text(text, "utf-8")
    with pytest.raises(errors.RulebookError) as rule_info:
        read_rulebook(rules)
    assert (rule_info.value.line, rule_info.value.column) == (opens_on, len("note = ") + 1)
