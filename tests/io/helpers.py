"""Small agency-like input files for the io tests, written into a temporary folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

import learnsoc as ls

UNITS = """code,name,level,parent_code
01,Hà Nội,province,
00001,Phường Ba Đình,commune,01
00004,Phường Ngọc Hà,commune,01
00001001,Tổ 1,village,00001
00001002,Tổ 2,village,00001
00004001,Tổ 3,village,00004
"""

HOUSEHOLDS = """household_id,unit_code,registered
H1,00001001,1
H2,00001002,1
H3,00004001,0
"""

PERSONS = """person_id,household_id,age,sex,literate
1,H1,40,1,1
2,H1,9,2,0
3,H2,35,2,1
4,H3,70,1,1
"""


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write a text file exactly as given (no newline translation)."""
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def files(
    folder: Path,
    persons: str = PERSONS,
    households: str = HOUSEHOLDS,
    units: str = UNITS,
) -> dict[str, Path]:
    """Write the three files; return their paths keyed by table."""
    return {
        "persons": write(folder, "persons.csv", persons),
        "households": write(folder, "households.csv", households),
        "units": write(folder, "units.csv", units),
    }


def read(paths: Mapping[str, Path], **options: Any) -> ls.Population:
    """Read the three files with read_population."""
    from learnsoc.io import read_population

    return read_population(
        paths["persons"], households=paths["households"], units=paths["units"], **options
    )


def problems(pop: ls.Population) -> list[tuple[str, int, str, str, str]]:
    """Return (file name, line, column, value, reason) of every reject, in order."""
    out = []
    for r in pop.rejects.records("en"):
        file = Path(getattr(r, "file", "")).name
        out.append((file, int(getattr(r, "line", r.row)), r.column, r.value, r.reason))
    return out


def blank_sentinels(cols: Mapping[str, Any]) -> dict[str, Any]:
    """Turn a population's storage columns into file text: sentinels become empty cells."""
    out: dict[str, Any] = {}
    for k, v in cols.items():
        arr = np.asarray(v)
        if arr.dtype == np.uint8:
            arr = np.where(arr == 255, "", arr.astype(str))
        elif arr.dtype == np.uint16:
            arr = np.where(arr == 65535, "", arr.astype(str))
        elif arr.dtype.kind == "f":
            arr = np.where(np.isnan(arr), "", np.char.mod("%d", np.nan_to_num(arr)))
        out[k] = arr
    return out


def csv_text(columns: Mapping[str, Any], delimiter: str = ",") -> str:
    """Write columns as CSV text (stdlib csv, quoting only where needed)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(list(columns))
    writer.writerows(zip(*(list(map(str, v)) for v in columns.values()), strict=True))
    return buf.getvalue()


def reseal(folder: Path) -> None:
    """Record every partition file's fingerprint anew in a dataset's manifest.

    For tests that edit a partition file to show what reading such a file does: the
    manifest then describes the edited file, as one written with it would.
    """
    import json

    from learnsoc.io.dataset import partition_file
    from learnsoc.io.fingerprints import fingerprint

    path = folder / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    for part in manifest["partitions"]:
        part["files"] = {
            table: fingerprint(partition_file(folder, table, manifest["partition_by"], part["key"]))
            for table in part["rows"]
        }
    path.write_text(json.dumps(manifest, indent=1), "utf-8")
