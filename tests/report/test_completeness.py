"""Completeness: the units that reported, shown on every row; never a bare "met" on part of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.aggregate.groups import AggregateError
from learnsoc.cli import main
from learnsoc.errors import SchemaError
from learnsoc.report.results import results
from learnsoc.targets import Status, TargetError, load_targets, progress
from tests.trees import two_level

UNITS: dict[str, list[Any]] = {
    "code": ["01", "001", "002", "00001", "00002", "00003", "00004"],
    "name": ["Tỉnh A", "Huyện A", "Huyện B", "Xã 1", "Xã 2", "Xã 3", "Xã 4"],
    "level": ["province", "district", "district", "commune", "commune", "commune", "commune"],
    "parent_code": [None, "01", "01", "001", "001", "002", "002"],
}
TREE = ls.Hierarchy.from_units(UNITS, levels=["province", "district", "commune"])
FAMILIES = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])


def two_communes() -> ls.Rollup:
    """Two communes; the second's row has a negative count and is rejected."""
    h = two_level(
        {"01": ["00001", "00002"]}, {"01": "Tỉnh A", "00001": "Xã Một", "00002": "Xã Hai"}
    )
    table = {
        "unit_code": ["00001", "00002"],
        "families": [980, 500],
        "learning_families": [701, -3],
    }
    return ls.rollup_counts(table, h)


def reference_completeness(accepted: set[str], level: str) -> dict[str, tuple[int, int]]:
    """Slow reference: walk each commune's parents; count communes reporting and expected."""
    parent = dict(zip(UNITS["code"], UNITS["parent_code"], strict=True))
    levels = dict(zip(UNITS["code"], UNITS["level"], strict=True))
    out: dict[str, tuple[int, int]] = dict.fromkeys(UNITS["code"], (0, 0))
    out[""] = (0, 0)
    for code in UNITS["code"]:
        if levels[code] != level:
            continue
        node: str | None = code
        while node is not None:
            done, expected = out[node]
            out[node] = (done + (code in accepted), expected + 1)
            node = parent[node]
        done, expected = out[""]
        out[""] = (done + (code in accepted), expected + 1)
    return out


def test_counts_rollup_counts_units_reporting_against_a_slow_reference() -> None:
    """A rejected row, a duplicated unit (both copies rejected) and a unit without a row."""
    table = {
        "unit_code": ["00001", "00002", "00003", "00003"],
        "families": [10, 20, 30, 31],
        "learning_families": [5, 25, 10, 11],  # 00002: numerator above its denominator
    }
    roll = ls.rollup_counts(table, TREE, rates={"f": ("learning_families", "families")})
    done = roll.completeness()
    assert done is not None
    assert roll.reporting_level == "commune"
    got = {
        str(code): (int(n), int(d))
        for code, n, d in zip(roll.codes(), done.numerator, done.denominator, strict=True)
    }
    assert got == reference_completeness({"00001"}, "commune")
    assert got["01"] == (1, 4)
    assert roll.not_reporting().tolist() == ["00002", "00003", "00004"]
    assert roll.rejects is not None and len(roll.rejects) == 3


def test_base_code_says_nothing_of_the_missing_commune_now_the_province_is_not_bare_met() -> None:
    """1 of 2 communes rejected: the province is 'met on incomplete data', not 'met'."""
    roll = two_communes()
    prog = progress(roll, FAMILIES, year=2025, levels=["province", "commune"])
    assert prog.statuses() == [Status.MET_INCOMPLETE, Status.MET, Status.NO_DATA]
    assert prog.columns["units_reporting"].tolist() == [1, 1, 0]
    assert prog.columns["units_expected"].tolist() == [2, 1, 1]
    rows = prog.report("vi").sections[0].rows
    assert rows[0].cells[-2:] == ("1/2 xã", "đạt trên 1/2 xã")
    assert rows[0].status == "met_incomplete"
    en = prog.report("en")
    assert en.sections[0].rows[0].cells[-2:] == ("1 of 2 communes", "met on 1 of 2 communes")
    assert en.notes[-1].endswith("rejected): Xã Hai (00002)")
    assert prog.filter(status="met").columns["unit_code"].tolist() == ["00001"]


def test_the_completeness_threshold_is_the_users() -> None:
    """completeness=0.5 accepts 1 of 2 communes; 0.51 does not; bad values are refused."""
    roll = two_communes()
    half = progress(roll, FAMILIES, year=2025, levels=["province"], completeness=0.5)
    assert half.statuses() == [Status.MET]
    assert half.report("en").sections[0].rows[0].cells[-2:] == ("1 of 2 communes", "met")
    more = progress(roll, FAMILIES, year=2025, levels=["province"], completeness=0.51)
    assert more.statuses() == [Status.MET_INCOMPLETE]
    for bad in (1.5, -0.1, "all", True):
        with pytest.raises(TargetError, match="completeness must be"):
            progress(roll, FAMILIES, year=2025, completeness=bad)  # type: ignore[arg-type]


def test_not_met_on_incomplete_data_keeps_its_status_and_shows_the_units() -> None:
    """Only 'met' is qualified; every row still shows its units reporting."""
    table = {"unit_code": ["00001"], "families": [100], "learning_families": [10]}
    prog = progress(ls.rollup_counts(table, TREE), FAMILIES, year=2025, levels=["province"])
    assert prog.statuses() == [Status.NOT_MET]
    assert prog.report("vi").sections[0].rows[0].cells[-2:] == ("1/4 xã", "chưa đạt")


def incomplete_population() -> tuple[ls.Population, str]:
    """A synthetic population with every household of its first village removed."""
    pop = ls.synthetic_population(persons=4_000, seed=5, hierarchy="vn-pre-2025")
    gone = pop.household_unit[0]
    keep_h = pop.household_unit != gone
    keep_p = keep_h[pop.person_household]
    persons, households = pop.columns("person"), pop.columns("household")
    smaller = ls.Population.from_columns(
        {k: v[keep_p] for k, v in persons.items()},
        {k: v[keep_h] for k, v in households.items()},
        pop.hierarchy,
    )
    return smaller, str(pop.hierarchy.codes_at("village")[gone])


def test_microdata_a_village_without_households_did_not_report() -> None:
    """Microdata: a village reports when it has at least one household."""
    pop, village = incomplete_population()
    roll = ls.rollup(pop, ls.standard_measures(pop))
    n = pop.hierarchy.n_units("village")
    assert roll.reporting_level == "village"
    total = roll.level("total").completeness()
    assert total is not None
    assert (int(total.numerator[0]), int(total.denominator[0])) == (n - 1, n)
    assert roll.not_reporting().tolist() == [village]
    villages = roll.level("village").completeness()
    assert villages is not None
    assert villages.numerator.tolist() == [
        int(c != village) for c in pop.hierarchy.codes_at("village")
    ]
    res = results(roll, ["literacy_15_60"], ["total"])  # one the microdata measure
    assert res.to_text("en").count(f"{n - 1} of {n} villages") == 1
    assert village in res.notes("en")[-1]


def test_partials_of_chunks_splitting_a_village_still_count_it_once() -> None:
    """Households of one village in two chunks: the merged rollup counts the village once."""
    pop = ls.synthetic_population(persons=3_000, seed=2)
    measures: dict[str, Any] = {"households": "household"}
    persons, households = pop.columns("person"), pop.columns("household")
    first = np.arange(pop.n_households) % 2 == 0
    parts = [
        ls.rollup_partial(
            ls.Population.from_columns(
                {k: v[sel[pop.person_household]] for k, v in persons.items()},
                {k: v[sel] for k, v in households.items()},
                pop.hierarchy,
            ),
            measures,
        )
        for sel in (first, ~first)
    ]
    merged = ls.Rollup.from_partial(parts[0].merge(parts[1]), pop.hierarchy)
    whole = ls.rollup(pop, measures)
    for name in ("units_reporting", "units_expected"):
        assert merged.counts[name].tolist() == whole.counts[name].tolist()
    assert int(whole.level("total").counts["units_reporting"][0]) == pop.hierarchy.n_units(
        "village"
    )


def test_streamed_rows_report_their_villages() -> None:
    """rollup_batches: a village with no person row did not report."""
    h = ls.Hierarchy.from_units(
        {
            "code": ["01", "00001", "V1", "V2"],
            "level": ["province", "commune", "village", "village"],
            "parent_code": [None, "01", "00001", "00001"],
        },
        levels=["province", "commune", "village"],
    )
    roll = ls.rollup_batches([{"unit_code": np.array(["V1", "V1"])}], h, {"persons": "person"})
    assert roll.level("total").counts["units_reporting"].tolist() == [1]
    assert roll.not_reporting().tolist() == ["V2"]


def test_completeness_names_are_reserved() -> None:
    """A count column or a measure may not take the completeness names."""
    with pytest.raises(SchemaError, match="units_expected"):
        ls.rollup_counts({"unit_code": ["00001"], "units_expected": [3]}, TREE)
    pop = ls.synthetic_population(persons=500, seed=1)
    with pytest.raises(AggregateError, match="reserved"):
        ls.rollup(pop, {"units_reporting": "household"})


def test_every_renderer_shows_completeness() -> None:
    """Text, Markdown, HTML, CSV, JSON and pandas, for results and for progress."""
    roll = two_communes()
    prog = progress(roll, FAMILIES, year=2025, levels=["province"])
    res = results(roll, ["learning_families"], ["province"])
    for table, status in ((prog, "met on 1 of 2 communes"), (res, None)):
        assert "1 of 2 communes" in table.to_text("en")
        assert "| 1 of 2 communes |" in table.to_markdown("en")
        assert ">1/2 xã</td>" in table.to_html("vi")
        if status is not None:
            assert status in table.to_text("en")
        csv_text = table.to_csv(locale="en")
        assert csv_text is not None
        header, row = csv_text.splitlines()[:2]
        cells = dict(zip(header.split(","), row.split(","), strict=True))
        assert (cells["units_reporting"], cells["units_expected"]) == ("1", "2")
        assert cells["completeness"] == "0.5"
        doc = json.loads(str(table.to_json(locale="vi")))
        assert doc["rows"][0]["units_reporting"] == 1 and doc["rows"][0]["completeness"] == 0.5
        assert doc["reporting_level"] == "commune"
        frame = table.to_pandas("en")
        assert frame["units_expected"].tolist() == [2]
    assert prog.to_columns()["status"].tolist() == ["met_incomplete"]


def test_cli_report_on_a_rejected_commune_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """learnsoc report --counts with 1 of 2 communes rejected: not a bare 'đạt' any more."""
    (tmp_path / "units.csv").write_text(
        "code,name,level,parent_code\n01,Tỉnh A,province,\n"
        "00001,Xã Một,commune,01\n00002,Xã Hai,commune,01\n",
        "utf-8",
    )
    (tmp_path / "counts.csv").write_text(
        "unit_code,families,learning_families\n00001,980,701\n00002,500,-3\n", "utf-8"
    )
    argv = [
        "report", "--counts", str(tmp_path / "counts.csv"), "--units", str(tmp_path / "units.csv"),
        "--levels", "province,commune", "--targets", "hanoi-23-nq-tu",
        "--indicators", "learning_families", "--level", "province", "--locale", "vi",
        "--rejects", str(tmp_path / "rejects.csv"),
    ]  # fmt: skip
    assert main(argv) == 1  # a row was rejected
    out = capsys.readouterr().out
    province = next(line for line in out.splitlines() if line.startswith("Tỉnh A (01)"))
    assert "701 / 980" in province
    assert province.endswith("1/2 xã  đạt trên 1/2 xã")
    assert "Đơn vị chưa báo cáo (không có số liệu hoặc số liệu bị loại): Xã Hai (00002)" in out
    assert main([*argv, "--completeness", "0.5"]) == 1
    province = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("Tỉnh A"))
    assert province.endswith("1/2 xã  đạt")
    assert main([*argv[:-2], "--format", "csv"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert ",1,2,0.5," in lines[1] and ",met_incomplete," in lines[1]
