"""Write the valid seed files the fuzz tests mutate (``python -m tests.fuzz.make_seeds``).

The seeds are checked in (``tests/fuzz/seeds/``) rather than written at test time: an
``.xlsx`` carries its save time and a Parquet file its writer's version, so files written
afresh would differ from run to run and the "deterministic" mutations would not be.
Run this module again only to change the seeds on purpose; the corpus files were found
with these seeds.
"""

from __future__ import annotations

import importlib
import io
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

import learnsoc as ls
from tests.io.helpers import blank_sentinels, csv_text

SEEDS = Path(__file__).parent / "seeds"

#: The tables of a population's files, in read_population's keywords.
ROLES = ("persons", "households", "units", "clans", "organisations", "memberships")

#: A mapping file for an agency's export (the module example of learnsoc.io.mapping).
MAPPING = """\
[mapping]
name = "Xã Tân Lập, 2025 exports"
delimiter = ";"
decimal = ","
levels = "vn-2025"
unknown_columns = "error"

[values.bool]
"Có" = 1
"Không" = 0

[person]
ignore = ["Họ và tên", "Ghi chú"]

[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Tuổi" = "age"
"Giới tính" = "sex"
"Biết chữ" = "literate"
"Giờ học" = "learning_hours"

[person.values.sex]
"Nam" = "male"
"Nữ" = "female"

[household]
columns = { "Mã hộ" = "household_id", "Mã thôn" = "unit_code", "Đăng ký" = "registered" }

[unit]
columns = { "Mã" = "code", "Tên" = "name", "Cấp" = "level", "Mã cấp trên" = "parent_code" }
[unit.values.level]
"Tỉnh" = "province"
"Xã" = "commune"
"Thôn" = "village"
"""

_BUNDLED = Path(ls.__file__).parent / "data"
_FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def population() -> ls.Population:
    """The population every seed describes (300 persons, the 2025 tree)."""
    return ls.synthetic_population(persons=300, seed=14)


def tables(pop: ls.Population) -> dict[str, dict[str, Any]]:
    """Return each role's columns as file text would hold them (sentinels as blanks)."""
    return {
        "persons": blank_sentinels(pop.columns("person")),
        "households": blank_sentinels(pop.columns("household")),
        "units": dict(pop.hierarchy.to_columns()),
        "clans": blank_sentinels(pop.columns("clan")),
        "organisations": blank_sentinels(pop.columns("organisation")),
        "memberships": blank_sentinels(pop.columns("membership")),
    }


def _normalized_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member times, so the same workbook gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into the document properties.
                text = body.decode()
                for tag in ("dcterms:created", "dcterms:modified"):
                    start = text.find(f"<{tag}")
                    if start >= 0:
                        head = text.index(">", start) + 1
                        end = text.index(f"</{tag}>", head)
                        text = text[:head] + "2025-01-01T00:00:00Z" + text[end:]
                body = text.encode()
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


def xlsx_bytes(columns: Mapping[str, Any]) -> bytes:
    """Write columns as a one-sheet workbook: numbers as numbers, codes with zeros as text."""
    # Imported by name: openpyxl ships no type information.
    openpyxl: Any = importlib.import_module("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(columns))
    for row in zip(*(np.asarray(v).tolist() for v in columns.values()), strict=True):
        cells: list[Any] = []
        for v in row:
            text = str(v)
            plain = text.isdigit() and not (len(text) > 1 and text.startswith("0"))
            cells.append(int(text) if plain else (None if text == "" else text))
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return _normalized_zip(buf.getvalue())


def parquet_bytes(columns: Mapping[str, Any]) -> bytes:
    """Write columns as Parquet with typed columns: numbers as int64 with nulls for blanks."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = {}
    for name, values in columns.items():
        text = np.asarray(values).astype(str)
        numeric = all(t == "" or (t.isdigit() and not t.startswith("0")) for t in text)
        if numeric and name not in ("unit_code", "code", "parent_code"):
            arrays[name] = pa.array([None if t == "" else int(t) for t in text], pa.int64())
        else:
            arrays[name] = pa.array([None if t == "" else t for t in text], pa.string())
    buf = io.BytesIO()
    pq.write_table(pa.table(arrays), buf, row_group_size=128)
    return buf.getvalue()


def agency_files(pop: ls.Population) -> dict[str, str]:
    """The persons, households and units of ``pop`` as an agency writes them (see MAPPING)."""
    p = pop.columns("person")
    yes_no = np.array(["Không", "Có"])
    sex = np.array(["", "Nam", "Nữ"])
    persons = {
        "Mã NK": p["person_id"],
        "Họ và tên": [f"Người {i}" for i in p["person_id"]],
        "Mã hộ": p["household_id"],
        "Tuổi": p["age"],
        "Giới tính": sex[np.minimum(p["sex"], 2)],
        "Biết chữ": np.where(p["literate"] == 255, "", yes_no[np.minimum(p["literate"], 1)]),
        # Whole hours written with a decimal comma ("43,0"), as a spreadsheet would.
        "Giờ học": ["" if h == 65535 else f"{h},0" for h in p["learning_hours"]],
    }
    h = pop.columns("household")
    households = {
        "Mã hộ": h["household_id"],
        "Mã thôn": h["unit_code"],
        "Đăng ký": yes_no[np.minimum(h["registered"], 1)],
    }
    u = pop.hierarchy.to_columns()
    level_word = {"province": "Tỉnh", "commune": "Xã", "village": "Thôn"}
    units = {
        "Mã": u["code"],
        "Tên": u["name"],
        "Cấp": [level_word[str(v)] for v in u["level"]],
        "Mã cấp trên": u["parent_code"],
    }
    return {
        "persons": csv_text(persons, delimiter=";"),
        "households": csv_text(households, delimiter=";"),
        "units": csv_text(units, delimiter=";"),
    }


def write_seeds(folder: Path = SEEDS) -> None:
    """Write every seed file into ``folder`` (replacing what is there)."""
    if folder.exists():
        shutil.rmtree(folder)
    for sub in ("csv", "xlsx", "parquet", "mapping", "rulebook", "targets"):
        (folder / sub).mkdir(parents=True)
    pop = population()
    cols = tables(pop)
    for role, columns in cols.items():
        (folder / "csv" / f"{role}.csv").write_bytes(csv_text(columns).encode())
    for role in ("persons", "households", "units"):
        (folder / "xlsx" / f"{role}.xlsx").write_bytes(xlsx_bytes(cols[role]))
        (folder / "parquet" / f"{role}.parquet").write_bytes(parquet_bytes(cols[role]))
    (folder / "mapping" / "mapping.toml").write_bytes(MAPPING.encode())
    for role, text in agency_files(pop).items():
        (folder / "mapping" / f"{role}.csv").write_bytes(text.encode())
    shutil.copyfile(_BUNDLED / "rulebooks" / "example.toml", folder / "rulebook" / "rulebook.toml")
    shutil.copyfile(
        _BUNDLED / "targets" / "vn-387-qd-ttg.toml", folder / "targets" / "targets.toml"
    )


if __name__ == "__main__":
    write_seeds()
