"""Target sets: the bundled files (values from DOMAIN.md, sources, clauses), loading by name or
path, and one broken file per error with the words its message must contain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from learnsoc.errors import RulebookError
from learnsoc.targets import INDICATORS, TargetError, TargetSet, list_targets, load_targets

BAD = Path(__file__).parent / "bad"
BUNDLED = ["hanoi-23-nq-tu", "vn-1373-qd-ttg", "vn-281-qd-ttg", "vn-387-qd-ttg", "vn-677-qd-ttg"]


def test_bundled_sets_are_listed_and_load() -> None:
    assert list_targets() == BUNDLED
    for name in BUNDLED:
        ts = load_targets(name)
        assert ts.id == name
        assert ts.file == f"{name}.toml"
        assert set(ts.title) == set(ts.issuer) == {"en", "vi"}
        assert isinstance(ts.date, dt.date)
        assert ts.years == ((2020,) if name == "vn-281-qd-ttg" else (2025, 2030))


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_target_cites_its_clause_and_explains_uncertainty(name: str) -> None:
    ts = load_targets(name)
    for t in ts:
        assert t.clause, t.id
        assert not t.uncertain or t.note, t.id
        assert t.undated or t.id.endswith(str(t.year)), t.id
        if t.indicator is not None:
            assert t.indicator in INDICATORS, t.id
        else:
            assert set(t.labels) == {"en", "vi"}, t.id


@pytest.mark.parametrize(
    ("target_id", "kind", "numbers"),
    [
        ("literacy-15-60-2025", "value", ("99.5",)),
        ("literacy-15-60-2030", "value", ("99.6",)),
        ("newly-literate-learning-2025", "value", ("95",)),
        ("trained-workers-2025", "range", ("75", "80")),
        ("trained-workers-2030", "range", ("80", "85")),
        ("certified-workers-2025", "range", ("55", "60")),
        ("information-literacy-2030", "value", ("70",)),
        ("university-2025", "value", ("12",)),
        ("public-schools-2030", "range", ("85", "90")),
        ("learning-citizens-2025", "value", ("50",)),
        ("learning-families-2025", "value", ("60",)),
        ("learning-families-2030", "value", ("80",)),
        ("learning-clans-2025", "value", ("60",)),
        ("learning-communities-2030", "value", ("80",)),
        ("learning-units-2025", "value", ("50",)),
        ("learning-units-2030", "value", ("70",)),
        ("learning-districts-2025", "value", ("40",)),
        ("learning-districts-2030", "value", ("60",)),
    ],
)
def test_hanoi_numbers_are_those_of_the_resolution(
    target_id: str, kind: str, numbers: tuple[str, ...]
) -> None:
    t = load_targets("hanoi-23-nq-tu")[target_id]
    assert t.kind == kind
    shown = (t.value,) if kind == "value" else (t.lower, t.upper)
    assert shown == tuple(Decimal(n) for n in numbers)
    assert t.level == "province"


def test_hanoi_special_targets() -> None:
    hanoi = load_targets("hanoi-23-nq-tu")
    more_than = hanoi["certified-workers-2030"]
    assert (more_than.kind, more_than.value, more_than.op) == ("value", Decimal(60), ">")
    assert hanoi["learning-city-2025"].expected == "registered"
    assert hanoi["learning-city-2030"].expected == "recognised"
    assert hanoi["literacy-level-2-2030"].kind == "maintain"
    assert not hanoi["literacy-level-2-2030"].computed
    assert hanoi.date == dt.date(2023, 11, 16)
    assert hanoi.title_in("en").startswith("Resolution 23-NQ/TU of the Hanoi Party Committee on")


def test_national_sets() -> None:
    n1373 = load_targets("vn-1373-qd-ttg")
    assert n1373.date == dt.date(2021, 7, 30)
    assert n1373["literacy-level-2-provinces-2025"].level == "total"
    assert n1373["learning-citizens-2025"].value == Decimal(40)
    assert n1373["learning-citizens-2030"].uncertain
    n387 = load_targets("vn-387-qd-ttg")
    assert [n387[f"{k}-2025"].value for k in ("learning-families", "learning-clans")] == [
        Decimal(70),
        Decimal(65),
    ]
    n677 = load_targets("vn-677-qd-ttg")
    assert n677["adults-learning-citizens-2030"].uncertain
    assert "70%" in n677["adults-learning-citizens-2030"].note


def test_select_and_lookup() -> None:
    hanoi = load_targets("hanoi-23-nq-tu")
    dated = len(hanoi.select(year=2025)) + len(hanoi.select(year=2030))
    assert dated + len(hanoi.undated()) == len(hanoi)
    assert hanoi.select(indicators=["learning_units"]).ids() == (
        "learning-units-2025",
        "learning-units-2030",
    )
    with pytest.raises(TargetError, match="did you mean 'learning_units'"):
        hanoi.select(indicators=["learning_unit"])
    with pytest.raises(TargetError, match="did you mean 'learning-units-2025'"):
        hanoi["learning-units-2052"]


def test_load_by_path_and_unknown_names(tmp_path: Path) -> None:
    text = (BAD.parent / "bad" / "unknown_indicator.toml").read_text(encoding="utf-8")
    good = text.replace("learning_familes", "learning_families")
    path = tmp_path / "plan.toml"
    path.write_text(good, encoding="utf-8")
    for source in (path, str(path)):
        ts = load_targets(source)
        assert ts.file == str(path)
        assert ts["f-2025"].value == Decimal(60)
    with pytest.raises(RulebookError, match="did you mean 'hanoi-23-nq-tu'"):
        load_targets("hanoi-23-nq-t")
    with pytest.raises(RulebookError, match="cannot read the target file"):
        load_targets(tmp_path / "absent.toml")


def test_custom_indicators_and_duplicate_ids_in_code() -> None:
    ts = TargetSet.from_toml(
        (BAD / "indicator_bad_direction.toml")
        .read_text(encoding="utf-8")
        .replace('"lower"', '"lower_is_better"')
    )
    ind = ts.indicators["dropout"]
    assert (ind.direction, ind.display("vi"), ind.display("en")) == (
        "lower_is_better",
        "bỏ học",
        "dropout",
    )
    t = load_targets("hanoi-23-nq-tu")["learning-units-2025"]
    with pytest.raises(TargetError, match="appears twice"):
        TargetSet("x", {"en": "x", "vi": "x"}, {"en": "x", "vi": "x"}, None, (t, t))


def _expectations(path: Path) -> dict[str, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# error: ")
    parts = [p.strip() for p in first.removeprefix("# ").split(" | ")]
    return dict(p.split(": ", 1) for p in parts)


@pytest.mark.parametrize("path", sorted(BAD.glob("*.toml")), ids=lambda p: p.stem)
def test_broken_files_say_what_and_where(path: Path) -> None:
    expect = _expectations(path)
    with pytest.raises(RulebookError) as info:
        load_targets(path)
    err = info.value
    message = str(err)
    for words in expect["error"].split(" ; "):
        assert words in message, (words, message)
    assert err.file == str(path)
    assert message.startswith(str(path))
    if "line" in expect:
        assert err.line == int(expect["line"]), message
    if "key" in expect:
        assert err.key_path == expect["key"]
