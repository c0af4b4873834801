"""Coded columns read the words a Vietnamese spreadsheet writes ("Nam", "Nữ", "Đại học")."""

from __future__ import annotations

import pytest

from learnsoc.model.codes import (
    CodedEnum,
    Education,
    Employment,
    OrganisationType,
    Qualification,
    Sex,
)
from learnsoc.model.schema import STANDARD_SCHEMA, convert_column

ENUMS: list[type[CodedEnum]] = [Sex, Education, Qualification, Employment, OrganisationType]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
@pytest.mark.parametrize("locale", ["en", "vi"])
def test_every_label_reads_back_as_its_member(enum: type[CodedEnum], locale: str) -> None:
    for member in enum:
        label = member.label(locale)
        assert enum.parse(label) is member
        assert enum.parse(f"  {label.upper()} ") is member


@pytest.mark.parametrize(
    ("enum", "text", "member"),
    [
        (Sex, "Nam", Sex.MALE),
        (Sex, "Nữ", Sex.FEMALE),
        (Sex, "nu", Sex.FEMALE),  # typed without accents
        (Sex, "female", Sex.FEMALE),
        (Qualification, "Đại học", Qualification.UNIVERSITY),
        (Qualification, "dai hoc", Qualification.UNIVERSITY),
        (Qualification, "Trên đại học", Qualification.POSTGRADUATE),
        (Education, "trung học cơ sở", Education.LOWER_SECONDARY),
        (Employment, "Thất nghiệp", Employment.UNEMPLOYED),
    ],
)
def test_spreadsheet_words(enum: type[CodedEnum], text: str, member: CodedEnum) -> None:
    assert enum.parse(text) is member


def test_unknown_words_are_still_refused() -> None:
    with pytest.raises(ValueError, match="'THPT' is not a Qualification name"):
        Qualification.parse("THPT")
    with pytest.raises(ValueError):
        Sex.parse("n")  # no guessing from a prefix


def test_a_sex_column_in_vietnamese_is_read() -> None:
    spec = STANDARD_SCHEMA.table("person").column("sex")
    stored, rejects = convert_column(["Nam", "Nữ", "nu", "F", ""], spec, "person")
    assert stored[:3].tolist() == [1, 2, 2]
    assert [b.reason for b in rejects] == ["unknown_code"]
