import learnsoc as ls

H = ls.synthetic_hierarchy(villages=1, seed=1)
V = str(H.codes_at("village")[0])


def test_summary_counts_by_hand() -> None:
    pop = ls.Population.from_columns(
        {
            "person_id": [1, 2, 3, 4, 5, 6],
            "household_id": [1, 1, 1, 2, 2, 2],
            "age": [14, 15, 60, 61, 30, 45],
            "sex": [1, 2, 2, None, 1, 1],
            "literate": [1, 1, 0, 1, None, 1],
        },
        {"household_id": [1, 2, 3], "unit_code": [V, V, V]},
        H,
    )
    s = pop.summary()
    # Bands 0-14, 15-29, 30-44, 45-59, 60+; rows male, female, not recorded.
    assert s.age_counts.tolist() == [[1, 0, 1, 1, 0], [0, 1, 0, 0, 1], [0, 0, 0, 0, 1]]
    # Ages 15-60: persons 2, 3, 5, 6; person 5's literacy is not recorded.
    assert (s.literate_15_60, s.persons_15_60, s.literacy_missing_15_60) == (2, 3, 1)
    assert s.n_empty_households == 1
    text = s.to_text(locale="vi")
    # The person without a record is left out of the denominator, and the line says so.
    assert (
        "Tỷ lệ người biết chữ trong độ tuổi 15-60: 66,67% "
        "(2 / 3 người trong độ tuổi 15-60, không tính 1 trường hợp thiếu số liệu)"
    ) in text
    assert "hộ không có thành viên" in text
    english = s.to_text(locale="en")
    assert (
        "Literacy, ages 15-60: 66.67% (2 / 3 persons aged 15-60, excluding 1 without data)"
        in english
    )


def test_summary_without_literacy_says_no_data() -> None:
    pop = ls.Population.from_columns(
        {"person_id": [1], "household_id": [1], "age": [20]},
        {"household_id": [1], "unit_code": [V]},
        H,
    )
    assert "Literacy, ages 15-60: no data" in pop.summary().to_text(locale="en")


def test_one_person_of_the_ages_is_singular() -> None:
    """One literate person aged 20 (and a child, outside 15-60): "1 / 1 person aged 15-60"."""
    pop = ls.Population.from_columns(
        {"person_id": [1, 2], "household_id": [1, 1], "age": [20, 9], "literate": [1, 0]},
        {"household_id": [1], "unit_code": [V]},
        H,
    )
    assert "Literacy, ages 15-60: 100.00% (1 / 1 person aged 15-60)" in pop.summary().to_text(
        locale="en"
    )
    html = pop.summary().to_html("en")
    assert "(1 / 1 person aged 15-60)" in html


def test_rows_read_accepted_rejected_are_aligned_and_headed_in_vietnamese() -> None:
    """Each count of "rows read, accepted, rejected" sits under its heading, in vi too.

    The table label was padded to 14 characters, so "thành viên đơn vị" (17) pushed its
    three numbers three places right of the others, and no heading said which is which.
    """
    pop = ls.synthetic_population(persons=300, seed=2)
    cases = (
        ("vi", "Số dòng đã đọc, được nhận, bị loại", ("đọc", "nhận", "bị loại")),
        ("en", "Rows read, accepted, rejected", ("read", "accepted", "rejected")),
    )
    for locale, title, heads in cases:
        text = pop.summary().to_text(locale=locale).splitlines()
        start = text.index(title)
        head, *rows = text[start + 1 :]
        assert head.endswith(heads[2]) and all(h in head for h in heads)
        assert len({len(r) for r in [head, *rows]}) == 1, [head, *rows]
        html = pop.summary().to_html(locale)
        assert all(f"<th>{h}</th>" in html for h in heads)
