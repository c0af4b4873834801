from typing import Any

import pytest

from learnsoc import errors


def test_every_error_is_a_learnsoc_error_and_a_builtin() -> None:
    cases = [
        (errors.SchemaError("person", "age", "bad"), ValueError),
        (errors.DataError("bad", rejects=None), ValueError),  # type: ignore[arg-type]
        (errors.HierarchyError("bad", code="01"), ValueError),
        (errors.CrosswalkError("bad"), ValueError),
        (errors.RulebookError("bad"), ValueError),
        (errors.UnknownIdError("person", 3), KeyError),
        (errors.OptionalDependencyError("pyarrow", "parquet", "reading Parquet"), ImportError),
    ]
    for err, builtin in cases:
        assert isinstance(err, errors.LearnsocError)
        assert isinstance(err, builtin)


def test_schema_error_suggests_the_close_column() -> None:
    err = errors.SchemaError("person", "literat", "no such column", choices=["literate", "age"])
    assert str(err) == "person column 'literat': no such column; did you mean 'literate'?"
    assert err.table == "person"
    assert err.column == "literat"


def test_rulebook_error_names_file_line_column_and_key() -> None:
    err = errors.RulebookError(
        "unknown name 'agee'", file="book.toml", line=12, column=7, key_path="titles.person"
    )
    assert str(err) == "book.toml:12:7 [titles.person]: unknown name 'agee'"
    assert (err.file, err.line, err.column) == ("book.toml", 12, 7)


def test_unknown_id_error_message_is_not_double_quoted() -> None:
    assert str(errors.UnknownIdError("household", "H9")) == "no household with id 'H9'"
    with pytest.raises(KeyError):
        raise errors.UnknownIdError("household", "H9")


def test_optional_dependency_error_names_the_extra() -> None:
    err = errors.OptionalDependencyError("pyarrow", "parquet", "reading Parquet")
    assert "pip install 'learnsoc[parquet]'" in str(err)


def test_did_you_mean_lists_choices_when_nothing_is_close() -> None:
    many = [f"c{i:02d}" for i in range(20)]
    hint = errors.did_you_mean("zzz", many)
    assert hint.startswith("; expected one of 'c00'")
    assert "(and 8 more)" in hint
    assert errors.did_you_mean("x", []) == ""


def test_translation_core_names_are_one_object_wherever_imported() -> None:
    # They moved to learnsoc._translation (errors and catalogs lean on each other); the
    # old homes hand out the same objects, so `except` clauses and isinstance still match.
    import pytest

    from learnsoc import _translation, errors, i18n, rejects

    assert errors.LearnsocError is _translation.LearnsocError
    assert errors.Translatable is _translation.Translatable
    assert errors.did_you_mean is _translation.did_you_mean
    assert i18n.did_you_mean is _translation.did_you_mean  # type: ignore[attr-defined]
    assert i18n.LocaleError is _translation.LocaleError
    assert issubclass(i18n.LocaleError, errors.LearnsocError)
    assert i18n.gettext is _translation.gettext
    assert rejects.table_label is _translation.table_label
    with pytest.raises(i18n.LocaleError):
        errors.SchemaError("person", "age", "no such column").localized("xx")


def test_errors_and_warnings_pickle_as_themselves() -> None:
    """An error sent back by a worker process keeps its class, message and attributes."""
    import pickle

    from learnsoc.errors import (
        LearnsocWarning,
        OptionalDependencyError,
        SchemaError,
        UnknownIdError,
    )

    schema = SchemaError("person", "agee", "no such column", choices=["age"])
    schema.add_note("(partition province=01)")
    made: list[Any] = [
        schema,
        UnknownIdError("person", 3),
        OptionalDependencyError("distributed", "dask", "a cluster"),
        LearnsocWarning("careful").translatable("careful"),
    ]
    for err in made:
        back = pickle.loads(pickle.dumps(err))  # noqa: S301 (our own bytes)
        assert type(back) is type(err)
        assert str(back) == str(err)
        assert back.__dict__ == err.__dict__
        assert back.localized("vi") == err.localized("vi")
