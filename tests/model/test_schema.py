from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, convert_column

PERSON = STANDARD_SCHEMA.table("person")


def reasons(batches: list[Any]) -> dict[str, list[int]]:
    return {b.reason: b.rows.tolist() for b in batches}


def test_person_columns_fit_the_memory_budget() -> None:
    storage = sum(np.dtype(c.dtype).itemsize for c in PERSON.columns if c.kind not in ("id", "ref"))
    # Plus 4 bytes for the household index: at most 40 bytes per person.
    assert storage + 4 <= 40


def test_flags_accept_bools_numbers_words_and_missing() -> None:
    spec = PERSON.column("literate")
    values = np.array([True, 0, 1.0, None, "có", "Không", "yes", "", "maybe", 2], dtype=object)
    stored, batches = convert_column(values, spec, "person")
    assert stored[:8].tolist() == [1, 0, 1, 255, 1, 0, 1, 255]
    # A word or a number that is no yes/no: both "not a known code", with what is allowed.
    assert [(b.reason, b.rows.tolist()) for b in batches] == [
        ("unknown_code", [8]),
        ("unknown_code", [9]),
    ]
    assert batches[0].expected == spec.expected() != ""


def test_codes_accept_names_and_reject_unknown_codes() -> None:
    spec = PERSON.column("qualification")
    stored, batches = convert_column(["college", 4, "9", "Postgraduate"], spec, "person")
    assert stored.tolist()[:2] == [3, 4]
    assert stored[3] == 5
    assert reasons(batches) == {"unknown_code": [2]}
    assert batches[0].expected == "0, 1, 2, 3, 4, 5"


def test_required_int_rejects_missing_fractions_and_range() -> None:
    spec = PERSON.column("age")
    stored, batches = convert_column([30.0, np.nan, 7.5, -1, 121, 120], spec, "person")
    assert reasons(batches) == {"missing_value": [1], "not_integer": [2], "out_of_range": [3, 4]}
    assert stored.dtype == np.uint8
    assert stored[[0, 5]].tolist() == [30, 120]


def test_text_numbers_are_parsed() -> None:
    spec = PERSON.column("learning_hours")
    stored, batches = convert_column(np.array(["40", " 12 ", "", "x", "9000"]), spec, "person")
    assert stored.tolist()[:3] == [40, 12, 65535]
    assert reasons(batches) == {"not_a_number": [3], "out_of_range": [4]}


def test_two_dimensional_input_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="one-dimensional"):
        convert_column(np.zeros((2, 2)), PERSON.column("age"), "person")


_NEAR_CODES = st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, 9, 120, 254, 255])


@given(
    hnp.arrays(np.uint8, st.integers(0, 50))
    | hnp.arrays(np.uint8, st.integers(0, 50), elements=_NEAR_CODES)
)
def test_fast_path_agrees_with_the_checked_path(values: np.ndarray) -> None:
    """Valid storage arrays skip the checks; invalid ones must still be caught."""
    for name in ("literate", "sex", "education", "qualification", "age", "citizen_points"):
        spec = PERSON.column(name)
        fast, fast_rej = convert_column(values, spec, "person")
        # In the storage dtype the sentinel means "missing"; elsewhere missing is None.
        generic = values.astype(object)
        generic[values == spec.missing] = None
        slow, slow_rej = convert_column(generic, spec, "person")
        assert reasons(fast_rej) == reasons(slow_rej)
        ok = np.ones(len(values), bool)
        for b in slow_rej:
            ok[b.rows] = False
        assert fast[ok].tolist() == slow[ok].tolist()


def test_extended_schema_and_bad_specs() -> None:
    extra = ColumnSpec("children_conduct_good", "bool", "children's conduct good")
    schema = STANDARD_SCHEMA.extend(household=[extra])
    assert schema.table("household").column("children_conduct_good") == extra
    with pytest.raises(SchemaError, match="must be an identifier"):
        ColumnSpec("bad name", "bool", "x")
    with pytest.raises(SchemaError, match="needs its codes"):
        ColumnSpec("x", "code", "x")
    with pytest.raises(SchemaError, match="declared more than once"):
        STANDARD_SCHEMA.extend(household=[extra, extra])
    with pytest.raises(SchemaError, match="did you mean 'person'"):
        STANDARD_SCHEMA.table("persn")
    with pytest.raises(SchemaError, match="did you mean 'age'"):
        PERSON.column("agee")


def test_custom_int_column_defaults_to_its_dtype_range() -> None:
    spec = ColumnSpec("score", "int", "score", "uint8")
    stored, batches = convert_column([0, 254, 255, 300], spec, "person")
    assert stored[:2].tolist() == [0, 254]
    assert reasons(batches) == {"out_of_range": [2, 3]}


def test_enum_labels_are_translated_and_distinct_per_enum() -> None:
    # IntEnum members of different enums are equal as ints: labels must not mix.
    assert ls.Sex.FEMALE.label("vi") == "nữ"
    assert ls.OrganisationType.SCHOOL.label("en") == "school or training institution"
    assert ls.Qualification.COLLEGE.label("vi") == "cao đẳng"
    for enum in (ls.Sex, ls.Education, ls.Qualification, ls.Employment, ls.OrganisationType):
        for member in enum:
            assert member.label("en") and member.label("vi")
            assert enum.parse(member.name.lower().replace("_", " ")) is member
    with pytest.raises(ValueError, match="did you mean 'female'"):
        ls.Sex.parse("femal")
