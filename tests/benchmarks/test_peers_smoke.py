"""Smoke tests of the peer benchmark: every installed tool must equal the numpy reference.

No timings are asserted. A tool whose library is missing is skipped with the package named;
the numpy reference always runs and is itself checked against a slow pure-Python reference.
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the benchmarks are not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import peers  # noqa: E402
from benchmarks.peers import data as data_module  # noqa: E402
from benchmarks.peers import report as report_module  # noqa: E402
from benchmarks.peers import worker, workload  # noqa: E402
from benchmarks.peers.workload import Result  # noqa: E402

TOOLS = peers.tool_names()
Population = dict[str, npt.NDArray[Any]]


def _tool(name: str) -> peers.Tool:
    try:
        return peers.load_tool(name)
    except peers.MissingPackageError as exc:
        if name == peers.REFERENCE:
            raise
        pytest.skip(f"{name}: package {exc.package} is not installed")


def _edge_population() -> Population:
    """Hand-made units that hit every boundary of the rules.

    Village 0: 10 households, 7 learning families (exactly 70%: passes).
    Village 1: empty (no household). Village 2: 10 households, 6 learning (fails).
    Village 3: households without adults, with a child out of school, with no school-age
    member, and a lone learning adult. Village 4: empty, last. Commune 1 has no village,
    district 1 has no commune.
    """
    persons: list[tuple[int, int, int, int, int, int, int]] = []  # household + 6 columns
    village: list[int] = []
    learner = (30, 1, 50, 0, 1, 0)  # age, literate, hours, qualification, digital, in_school
    graduate = (40, 1, 0, 3, 1, 0)
    idle = (35, 1, 0, 0, 1, 0)
    pupil = (10, 1, 0, 0, 0, 1)
    truant = (12, 1, 0, 0, 0, 0)

    def household(v: int, *members: tuple[int, int, int, int, int, int]) -> None:
        village.append(v)
        persons.extend((len(village) - 1, *member) for member in members)

    for v, n_learning in ((0, 7), (2, 6)):
        for i in range(10):
            if i < n_learning:
                household(v, learner, idle, pupil)  # 1 of 2 adults: share 0.5 passes
            else:
                household(v, graduate, idle, idle)  # 1 of 3 adults fails
    household(3, pupil, pupil)  # no adult
    household(3, learner, truant)  # a school-age member out of school
    household(3, graduate)  # no school-age member: vacuously all at school
    household(3, (15, 1, 40, 0, 1, 1), (17, 1, 39, 3, 1, 1), (60, 0, 99, 5, 1, 0))
    household(3, (61, 1, 0, 3, 1, 0), (6, 0, 0, 0, 0, 0))
    columns = list(zip(*persons, strict=True))
    names = list(workload.PERSON_COLUMNS)  # household first, then the member tuple's order
    data: Population = {}
    for name, values in zip(names, columns, strict=True):
        data[name] = np.array(values, dtype=workload.PERSON_COLUMNS[name])
    data["village"] = np.array(village, dtype=np.int64)
    data["commune"] = np.array([0, 0, 2, 2, 2], dtype=np.int64)  # commune 1 empty
    data["district"] = np.array([0, 0, 2], dtype=np.int64)  # district 1 empty
    data["province"] = np.array([0, 0, 0], dtype=np.int64)
    data["nation"] = np.array([0], dtype=np.int64)
    workload.validate_population(data)
    return data


def _python_reference(data: Population) -> dict[str, Any]:
    """The workload in plain Python loops and exact fractions: slow and obviously right."""
    n_households = len(data["village"])
    members: list[list[int]] = [[] for _ in range(n_households)]
    for person, h in enumerate(data["household"].tolist()):
        members[h].append(person)
    age, literate = data["age"].tolist(), data["literate"].tolist()
    hours, degree = data["learning_hours"].tolist(), data["qualification"].tolist()
    digital, school = data["digital_skills"].tolist(), data["in_school"].tolist()

    def citizen(i: int) -> bool:
        return bool(
            age[i] >= 15
            and literate[i] == 1
            and (hours[i] >= 40 or degree[i] >= 3)
            and digital[i] == 1
        )

    family: list[bool] = []
    household_counts: dict[str, list[int]] = {name: [] for name in workload.HOUSEHOLD_COUNTERS}
    for group in members:
        adults = [i for i in group if age[i] >= 15]
        learning = [i for i in adults if citizen(i)]
        working_age = [i for i in group if 15 <= age[i] <= 60]
        household_counts["persons"].append(len(group))
        household_counts["adults"].append(len(adults))
        household_counts["learning_citizens"].append(len(learning))
        household_counts["literate_15_60"].append(sum(literate[i] for i in working_age))
        household_counts["persons_15_60"].append(len(working_age))
        at_school = all(school[i] == 1 for i in group if 6 <= age[i] <= 17)
        family.append(
            at_school and bool(adults) and Fraction(len(learning), len(adults)) >= Fraction(1, 2)
        )

    n_villages = len(data["commune"])
    per_village: list[dict[str, int]] = [
        dict.fromkeys(workload.COUNTERS, 0) for _ in range(n_villages)
    ]
    for h, v in enumerate(data["village"].tolist()):
        row = per_village[v]
        row["households"] += 1
        row["learning_families"] += family[h]
        for name in ("persons", "learning_citizens", "literate_15_60", "persons_15_60"):
            row[name] += household_counts[name][h]
    learning_village = []
    for row in per_village:
        passes = row["households"] > 0 and Fraction(
            row["learning_families"], row["households"]
        ) >= Fraction(7, 10)
        learning_village.append(passes)
        row["villages"] = 1
        row["learning_villages"] = int(passes)

    levels: dict[str, list[dict[str, int]]] = {}
    below, parent_key = per_village, "commune"
    for level, size_key in (
        ("commune", "district"),
        ("district", "province"),
        ("province", "nation"),
    ):
        sums = [dict.fromkeys(workload.COUNTERS, 0) for _ in range(len(data[size_key]))]
        for child, parent in enumerate(data[parent_key].tolist()):
            for name in workload.COUNTERS:
                sums[parent][name] += below[child][name]
        levels[level] = below = sums
        parent_key = size_key
    levels["nation"] = [{name: sum(row[name] for row in below) for name in workload.COUNTERS}]
    return {
        "learning_family": family,
        "household_counts": household_counts,
        "learning_village": learning_village,
        "levels": levels,
    }


@pytest.fixture(scope="module")
def populations() -> dict[str, Population]:
    n = 20_000
    return {
        "sorted": data_module.make_population(n, seed=3, shuffled=False),
        "shuffled": data_module.make_population(n, seed=3, shuffled=True),
        "edge": _edge_population(),
    }


@pytest.fixture(scope="module")
def references(populations: dict[str, Population]) -> dict[str, Result]:
    reference = _tool(peers.REFERENCE)
    return {name: reference.run(data) for name, data in populations.items()}


def test_edge_population_hits_every_boundary(references: dict[str, Result]) -> None:
    """The hand-made population passes and fails each rule where it was built to."""
    result = references["edge"]
    assert result.learning_village is not None
    assert result.learning_village.tolist() == [True, False, False, False, False]
    assert result.learning_family[20:].tolist() == [False, False, True, True, False]
    assert result.levels["commune"]["villages"].tolist() == [2, 0, 3]
    assert result.levels["district"]["persons"].tolist()[1] == 0
    assert result.levels["nation"]["learning_villages"].tolist() == [1]


@pytest.mark.parametrize("population", ["edge", "sorted", "shuffled"])
def test_reference_equals_python(
    populations: dict[str, Population], references: dict[str, Result], population: str
) -> None:
    """The numpy reference equals the pure-Python workload, values and dtypes."""
    source = populations[population]
    if population == "edge":
        data, result = source, references["edge"]
    else:
        # Keep the Python loops fast: the first 1,500 households, all the units above them.
        keep = source["household"] < 1_500
        data = {name: source[name][keep] for name in workload.PERSON_COLUMNS}
        data.update({key: source[key] for key in workload.UNIT_PARENTS})
        data["village"] = source["village"][:1_500]
        result = _tool(peers.REFERENCE).run(data)
    expected = _python_reference(data)
    assert result.learning_family.dtype == np.bool_
    assert result.learning_family.tolist() == expected["learning_family"]
    assert result.learning_village is not None
    assert result.learning_village.tolist() == expected["learning_village"]
    for name, values in expected["household_counts"].items():
        assert result.household_counts[name].dtype == np.int64
        assert result.household_counts[name].tolist() == values, name
    for level, rows in expected["levels"].items():
        for name in workload.COUNTERS:
            got = result.levels[level][name]
            assert got.dtype == np.int64
            assert got.tolist() == [row[name] for row in rows], (level, name)


def test_orders_give_the_same_result(references: dict[str, Result]) -> None:
    """Sorted and shuffled rows hold the same persons, so the results are identical."""
    assert workload.compare_results(references["sorted"], references["shuffled"]) == []


@pytest.mark.parametrize("population", ["edge", "sorted", "shuffled"])
@pytest.mark.parametrize("tool", [name for name in TOOLS if name != peers.REFERENCE])
def test_tool_equals_reference(
    populations: dict[str, Population], references: dict[str, Result], tool: str, population: str
) -> None:
    """Each installed tool's result equals the numpy reference exactly."""
    module = _tool(tool)
    result = module.run(populations[population])
    assert workload.compare_results(references[population], result) == []
    assert set(result.steps) >= {"a", "b"}
    if tool != "openfisca":
        assert result.steps == workload.STEPS


def test_comparison_catches_a_single_difference(references: dict[str, Result]) -> None:
    """One flipped household or one count off by one is reported, so a run fails loudly."""
    good = references["edge"]
    arrays = good.to_arrays()
    arrays["learning_family"] = arrays["learning_family"].copy()
    arrays["learning_family"][3] ^= True
    arrays["count__district__persons"] = arrays["count__district__persons"] + np.array([0, 0, 1])
    bad = Result.from_arrays(arrays, timings={})
    problems = workload.compare_results(good, bad)
    assert len(problems) == 2
    assert problems[0].startswith("learning_family: 1 of 25 differ, e.g. at [3]")
    assert problems[1].startswith("district persons: 1 of 3 differ")


def test_missing_library_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A tool whose library cannot be imported is reported with the package to install."""
    monkeypatch.setitem(sys.modules, "polars", None)  # makes `import polars` fail
    monkeypatch.setenv("POLARS_MAX_THREADS", "2")  # work() sets it when unset: undo that
    monkeypatch.delitem(sys.modules, "benchmarks.peers.polars_impl", raising=False)
    with pytest.raises(peers.MissingPackageError, match=r"pip install polars"):
        peers.load_tool("polars")
    report = tmp_path / "report.json"
    code = worker.work("polars", tmp_path / "unused.npz", 1, tmp_path / "r.npz", report)
    assert code == 0
    assert json.loads(report.read_text()) == {
        "tool": "polars",
        "status": "not installed",
        "package": "polars",
    }


def test_not_installed_is_reported_not_dropped() -> None:
    """A missing tool gets a row that says so."""
    rows = [{"tool": "polars", "n_persons": 10, "order": "sorted", "status": "not installed"}]
    report_module.add_ratios(rows, "numpy")
    assert "| polars | 10 | sorted |" in report_module.markdown_table(rows, "numpy")
    assert "not installed" in report_module.markdown_table(rows, "numpy")


@pytest.mark.parametrize("tool", TOOLS)
def test_smoke_cli(tool: str, tmp_path: Path) -> None:
    """``python -m benchmarks.compare --smoke`` runs the tool in a subprocess, equal to numpy."""
    _tool(tool)
    out = tmp_path / "smoke.json"
    command = [sys.executable, "-m", "benchmarks.compare", "--smoke", "--tools", tool]
    done = subprocess.run(
        [*command, "--out", str(out)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    runs = json.loads(out.read_text())["runs"]
    assert {(row["tool"], row["order"]) for row in runs} >= {
        (tool, "sorted"),
        (tool, "shuffled"),
    }
    assert all(row["status"] == "ok" for row in runs), runs
    assert all(row.get("problems", []) == [] for row in runs)
    assert out.with_suffix(".md").read_text().count(f"| {tool} |") == 2
