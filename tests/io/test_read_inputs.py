"""``ls.read_inputs``: the evaluators' sheets read in Python as ``--inputs`` reads them.

The reader lived only in the command line: a notebook user with an evaluator's sheet
headed in Vietnamese had to rebuild ``inputs={"village": {...}}`` by hand. The values,
rejects and verdicts of both must be the same; a sheet keyed by the villages' names
(``Tên thôn``) needs no mapping line, and a file of commune inputs needs no level on a
tree that has no districts (``c1_plan`` is an input of both).
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io import InputsLevelError
from tests.io.helpers import write
from tests.test_cli_inputs_mapping import EVALUATE, LEVELS, folder  # noqa: F401  (fixture)

LEVELS_PY = ["province", "commune", "village"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _population(where: Path) -> ls.Population:
    return ls.read_population(
        where / "p.csv", households=where / "h.csv", units=where / "u.csv", levels=LEVELS_PY
    )


def test_read_inputs_gives_the_values_rejects_and_verdicts_of_the_command_line(
    folder: Path,  # noqa: F811  (the fixture)
) -> None:
    argv = [*EVALUATE, *LEVELS, "--mapping", "m.toml", "--rejects", "r_cli.csv"]
    assert main([*argv, "--inputs", "village=thon.csv", "--out", "cli.csv", "--quiet"]) == 1
    pop = _population(folder)
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # villages written by name; inputs not given
        inputs, rejects = ls.read_inputs("thon.csv", book, pop, mapping="m.toml")
        ev = ls.evaluate(pop, book, "2025-12-31", inputs=inputs)
    # By hand: Thôn Tây (00001002) good, Thôn Bắc (00004002) not; the two Thôn Đông are
    # ambiguous, so unknown, as every village no row gave.
    by_code = dict(zip(pop.ids("village").tolist(), range(4), strict=True))
    values = inputs["village"]["village_learning_activities"]
    assert values[by_code["00001002"]] == 1 and values[by_code["00004002"]] == 0
    assert np.isnan(values[[by_code["00001001"], by_code["00004001"]]]).all()
    assert rejects.counts()["village inputs"] == (5, 2, 3)
    ls.write_rejects(rejects, folder / "r_py.csv")
    assert _rows(folder / "r_py.csv") == _rows(folder / "r_cli.csv")
    ls.write_verdicts(ev, folder / "py.csv")
    assert _rows(folder / "py.csv") == _rows(folder / "cli.csv")


def test_a_sheet_keyed_by_the_villages_names_needs_no_mapping_line(
    folder: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(
        folder,
        "ten_thon.csv",
        "STT;Tên thôn;village_learning_activities\n1;Thôn Tây;1\n2;Thôn Bắc;0\n3;Thôn Đông;1\n",
    )
    argv = [*EVALUATE, *LEVELS, "--rejects", "r.csv", "--inputs", "village=ten_thon.csv"]
    assert main([*argv, "--out", "named.csv"]) == 1
    assert "village inputs: read 3, accepted 2, 1 row rejected" in capsys.readouterr().err
    rejects = [(r["line"], r["column"], r["reason"]) for r in _rows(folder / "r.csv")]
    assert rejects == [("4", "Tên thôn", "ambiguous_unit")]
    # The same verdicts as the villages' codes give.
    plain = [*EVALUATE, *LEVELS, "--inputs", "village=plain.csv", "--out", "plain.out.csv"]
    assert main(plain) == 0
    assert _rows(folder / "named.csv") == _rows(folder / "plain.out.csv")


def test_a_commune_file_is_of_communes_on_a_tree_without_districts(
    folder: Path,  # noqa: F811
) -> None:
    # c1_plan is an input of communes and of districts: the tree has only communes.
    write(folder, "xa.csv", "Mã xã;Tên xã;c1_plan\n00001;Xã Một;Có\n00004;Xã Bốn;Không\n")
    assert main([*EVALUATE, *LEVELS, "--inputs", "xa.csv", "--out", "found.csv"]) == 0
    given = [*EVALUATE, *LEVELS, "--inputs", "commune=xa.csv", "--out", "given.csv"]
    assert main(given) == 0
    assert _rows(folder / "found.csv") == _rows(folder / "given.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs, _ = ls.read_inputs(
            folder / "xa.csv", ls.load_rulebook("vn-national"), _population(folder)
        )
    assert inputs["commune"]["c1_plan"].tolist() == [1.0, 0.0]


def test_a_level_read_inputs_cannot_use_is_said_in_vietnamese(
    folder: Path,  # noqa: F811
) -> None:
    pop = _population(folder)
    book = ls.load_rulebook("vn-national")
    with pytest.raises(InputsLevelError) as caught:
        ls.read_inputs(folder / "plain.csv", book, pop, level="huyện")
    err = caught.value
    # The rulebook has district inputs; the tree of 2025 has no districts.
    assert (err.reason, err.level) == ("not_in_data", "huyện")
    assert "--inputs" not in str(err)  # a Python user gave no option
    with ls.use_locale("vi"):
        shown = str(err)
    assert "plain.csv: dữ liệu không có cấp 'huyện'; cần một trong các giá trị" in shown
    assert "'commune' (cấp xã)" in shown and "the data" not in shown
    with pytest.raises(InputsLevelError, match="no inputs at level 'vùng'"):
        ls.read_inputs(folder / "plain.csv", book, pop, level="vùng")


# c1_plan is an input of communes and districts; learning_plan and digital_tools of
# organisations: no level has them all.
MIXED = "code;c1_plan;learning_plan;digital_tools\n00001;Có;Có;Không\n"
# In the rulebook's order; the tree of 2025 has no districts.
MIXED_LEVELS = "organisation: learning_plan, digital_tools; commune: c1_plan"


def test_commune_and_organisation_inputs_in_one_sheet_are_named_by_level(
    folder: Path,  # noqa: F811
) -> None:
    """It said "cannot tell the level from the columns (inputs of: -)"."""
    write(folder, "tron.csv", MIXED)
    with pytest.raises(InputsLevelError) as caught:
        ls.read_inputs(folder / "tron.csv", ls.load_rulebook("vn-national"), _population(folder))
    err = caught.value
    assert err.reason == "mixed" and err.level is None
    assert err.choices == ("organisation", "commune")
    assert err.inputs_by_level == {
        "organisation": ("learning_plan", "digital_tools"),
        "commune": ("c1_plan",),
    }
    assert str(err).endswith(
        f"tron.csv: the columns are inputs of different levels ({MIXED_LEVELS}): put each "
        "level's inputs in a file of its own"
    )
    assert "inputs of: -" not in str(err)
    assert f"các cột là đầu vào của nhiều cấp khác nhau ({MIXED_LEVELS})" in err.localized("vi")


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en", "the columns are inputs of different levels"),
        ("vi", "các cột là đầu vào của nhiều cấp khác nhau"),
    ],
)
def test_the_command_line_names_the_levels_of_a_mixed_sheet(
    folder: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    locale: str,
    said: str,
) -> None:
    write(folder, "tron.csv", MIXED)
    argv = [*EVALUATE, *LEVELS, "--inputs", "tron.csv", "--out", "o.csv", "--locale", locale]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"--inputs tron.csv: {said} ({MIXED_LEVELS})" in err
    assert "LEVEL=" in err and "(inputs of: -)" not in err
