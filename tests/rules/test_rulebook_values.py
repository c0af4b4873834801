"""One wrong value in a valid rulebook: the error names the file, line, key path and fix.

Each case edits one spot of the bundled example rulebook (read as a user's file) and checks
the whole position of the error, computed here from the edit, not taken from the message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.errors import RulebookError

EXAMPLE = (Path(ls.__file__).parent / "data" / "rulebooks" / "example.toml").read_text("utf-8")
ADULT_LABEL = 'label = { vi = "người lớn", en = "adult" }'
MIN_AGE = "values = [{ from = 2016-01-01, value = 19 }]"
FAMILY_2021 = 'effective_from = 2021-01-01\nsource = "d387"'

# (text to replace, replacement, line of the error within the replacement, key path, message)
CASES = [
    (ADULT_LABEL, 'label = "adult"', 0, "derived.person.adult.label",
     'label must be a table { vi = "...", en = "..." }, not text'),
    (ADULT_LABEL, 'label = { vi = "người lớn" }', 0, "derived.person.adult.label",
     "label needs a non-empty 'en' text"),
    (ADULT_LABEL, 'label = { vi = "a", en = "b", fr = "c" }', 0, "derived.person.adult.label.fr",
     "unknown key 'fr'; allowed keys are: vi, en"),
    ('uncertain = true\nnote = "No source', 'uncertain = "yes"\nnote = "No source', 0,
     "parameters.family_citizen_share.uncertain", "uncertain must be true or false, not text"),
    ('rule = "all"\n\n[[titles.learning_citizen', 'rule = "most"\n\n[[titles.learning_citizen', 0,
     "titles.learning_citizen.rule", "rule must be one of 'all', 'points', not 'most'"),
    ('on_empty = "fail"', 'on_empty = "fial"', 0,
     "titles.learning_family.versions[1].criteria[1].on_empty",
     "on_empty must be one of 'pass', 'fail', 'unknown', not 'fial'"),
    ('note = "A proxy', 'notes = "A proxy', 0, "titles.learning_citizen.versions[0].notes",
     "unknown key 'notes'; did you mean 'note'?"),
    (FAMILY_2021, FAMILY_2021 + '\nremove = "children_in_school"', 2,
     "titles.learning_family.versions[1].remove", "remove must be an array of criterion ids"),
    (MIN_AGE, "values = [{ from = 2016-01-01, value = nan }]", 0,
     "parameters.adult_min_age.values[0]",
     "a parameter value must be a finite number or true/false, not nan"),
    (MIN_AGE, "values = [{ from = 2016-01-01, value = 1e16 }]", 0,
     "parameters.adult_min_age.values[0]", "must be a finite number or true/false, not 1e+16"),
    (MIN_AGE, 'values = [{ from = 2016-01-01, value = "19" }]', 0,
     "parameters.adult_min_age.values[0]", "must be a finite number or true/false, not '19'"),
    (MIN_AGE, "values = 19", 0, "parameters.adult_min_age.values",
     "values must be an array of tables ([[parameters.adult_min_age.values]]), not a number"),
    (MIN_AGE, "values = [{ from = 2016-01-01 }]", 0, "parameters.adult_min_age.values[0]",
     "each value needs from (a date) and value"),
    ("range = [0, 1]", "range = [1, 0]", 0, "inputs.organisation.study_plan_share.range",
     "range must be [low, high] with low <= high"),
    ("range = [0, 1]", 'range = "0-1"', 0, "inputs.organisation.study_plan_share.range",
     "range must be [low, high] with low <= high"),
    ('kind = "float"', 'kind = "flaot"', 0, "inputs.organisation.study_plan_share.kind",
     "kind must be 'bool', 'int', 'float' or 'code', not 'flaot'"),
    ("[derived.person.school_age]", "[derived.person.2school_age]", 0,
     "derived.person.2school_age", "derived variable '2school_age' is not a valid name"),
    ("[derived.person.school_age]", "[derived.person.and]", 0, "derived.person.and",
     "derived variable 'and' is a reserved word of the rule language; rename it"),
    ('expr = "age.between(6, 17)"', "expr = 6", 0, "derived.person.school_age.expr",
     "expr must be text, not a number"),
    ('level = "clan"', 'level = "family"', 0, "titles.learning_clan.level",
     "unknown level 'family'; expected one of 'clan', 'commune', 'district', 'household'"),
    ('eligible = "registered"\nrule = "all"', 'eligible = 1\nrule = "all"', 0,
     "titles.learning_family.eligible", "eligible must be text, not a number"),
    ("date = 2022-03-25", "date = 2022-03-25T10:00:00", 0, "sources.d387.date",
     "expected a date such as 2021-01-01 (no quotes), not a date and time"),
    ("date = 2022-03-25", "date = 10:00:00", 0, "sources.d387.date",
     "expected a date such as 2021-01-01 (no quotes), not a time"),
    ('evidence = "V2"\n\n[sources.tt22]', 'evidence = ["V2"]\n\n[sources.tt22]', 0,
     "sources.d387.evidence", "evidence must be 'V', 'V2' or 'U' (DOMAIN.md's marks), not ['V2']"),
    ('source = "d448"\n\n[inputs.organisation', 'source = "d999"\n\n[inputs.organisation', 0,
     "inputs.household.children_results_good.source",
     "source 'd999' is not defined under [sources]; expected one of 'd387', 'd448', 'tt22'"),
    ("[sources.d448]", "[sourcez.d448]", 0, "sourcez",
     "unknown key 'sourcez'; did you mean 'sources'?"),
    ("[[titles.learning_clan.versions]]", "[titles.learning_clan.versions]", 0,
     "titles.learning_clan.versions",
     "versions must be an array of tables ([[titles.learning_clan.versions]]), not a table"),
    ('term = "learning_clan"', 'term = "learning_clam"', 0, "titles.learning_clan.term",
     "unknown term 'learning_clam'; did you mean 'learning_clan'?"),
    ('version = "2025.1"', "version = 2025", 0, "rulebook.version",
     "version must be text, not a number"),
    ('levels = ["province", "district", "commune", "village"]', 'levels = "province"', 0,
     "rulebook.levels", "levels must be a non-empty array of level names, top first"),
    ('levels = ["province", "district", "commune", "village"]', 'levels = ["province", "province"]',
     0, "rulebook.levels", "levels repeats a level"),
    ("format = 1", "format = 2", 0, "rulebook.format",
     "format 2 is not supported; this learnsoc reads format 1"),
    ("last_checked = 2025-11-24\n\n[parameters.c", 'last_checked = "x"\n\n[parameters.c', 0,
     "parameters.family_citizen_share.last_checked",
     "expected a date such as 2021-01-01 (no quotes), not text"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "offset", "key_path", "message"), CASES)
def test_one_wrong_value_is_named_with_its_line_and_key_path(
    tmp_path: Path, old: str, new: str, offset: int, key_path: str, message: str
) -> None:
    """The error's line is where the edit put the wrong value; its key path is the value's."""
    assert EXAMPLE.count(old) >= 1, old
    path = tmp_path / "mine.toml"
    path.write_text(EXAMPLE.replace(old, new, 1), "utf-8")
    line = EXAMPLE[: EXAMPLE.index(old)].count("\n") + 1 + offset
    with pytest.raises(RulebookError) as info:
        ls.load_rulebook(path)
    err = info.value
    assert (err.file, err.line, err.key_path) == (str(path), line, key_path)
    assert message in str(err)
    assert str(err).startswith(f"{path}:{line}")


def test_the_unedited_example_loads() -> None:
    """The cases above fail because of their edit, not because the example is broken."""
    path = Path(ls.__file__).parent / "data" / "rulebooks" / "example.toml"
    assert ls.load_rulebook(path).id == "example"
