"""The folders of an agency's files that ``learnsoc dataset`` reads."""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.cli._errors import usage
from learnsoc.cli._reading import reading_options
from learnsoc.cli._warnings import print_caught
from learnsoc.errors import LearnsocWarning
from learnsoc.i18n import N_

if TYPE_CHECKING:
    from learnsoc.model.population import Population


#: The files ``learnsoc dataset`` reads in each folder, by table: the names they may have
#: without extension, compared without accents, case or separators (``Nhân khẩu.xlsx``,
#: ``nhan-khau.csv`` and ``NHAN_KHAU.CSV`` are the persons), as agencies name their files.
_FOLDER_TABLES: Mapping[str, tuple[str, ...]] = {
    "persons": ("persons", "nhan_khau"),
    "households": ("households", "ho_gia_dinh", "ho"),
    "clans": ("clans", "dong_ho"),
    "organisations": ("organisations", "organizations", "co_quan_don_vi", "co_quan"),
    "memberships": ("memberships", "thanh_vien"),
}


#: Their extensions (as read_population reads them).
_FOLDER_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".parquet", ".arrow")


def folder_files(folder: str) -> dict[str, str]:
    """Return the standard files of a source folder by table (usage errors if unclear)."""
    path = Path(folder)
    if not path.is_dir():
        raise usage(
            N_(
                "{folder}: not a folder; give folders that hold a province's files "
                "(persons.csv, households.csv ...)"
            ),
            folder=folder,
        )
    found: dict[str, str] = {}
    for entry in sorted(path.iterdir()):
        table, suffix = _folder_table(entry.stem), entry.suffix.lower()
        if table is None or suffix not in _FOLDER_SUFFIXES or not entry.is_file():
            continue
        if table in found:
            raise usage(
                N_("{folder}: two {table} files ({first} and {second}); keep one"),
                folder=folder,
                table=table,
                first=Path(found[table]).name,
                second=entry.name,
            )
        found[table] = str(entry)
    for table in ("persons", "households"):
        if table not in found:
            raise usage(
                N_(
                    "{folder}: no {table} file; name it {names} (.csv, .txt, .tsv, .xlsx, "
                    ".parquet or .arrow)"
                ),
                folder=folder,
                table=table,
                names=" / ".join(_FOLDER_TABLES[table]),
            )
    return found


def _folder_table(stem: str) -> str | None:
    """Return the table a file of a source folder holds by its name, None if no table's.

    Examples
    --------
    >>> _folder_table("Nhân khẩu"), _folder_table("HO-GIA-DINH"), _folder_table("ds")
    ('persons', 'households', None)
    """
    import re
    import unicodedata

    from learnsoc.model.ids import unaccented

    name = re.sub(r"[\s_-]+", "_", unaccented(unicodedata.normalize("NFC", stem)).lower())
    for table, names in _FOLDER_TABLES.items():
        if name.strip("_") in names:
            return table
    return None


def read_folder(
    args: argparse.Namespace,
    files: Mapping[str, str],
    tree: Any,
    schema: Any,
    *,
    ids_out: dict[str, NDArray[Any]] | None = None,
    elsewhere: Mapping[str, NDArray[Any]] | None = None,
) -> Population:
    from learnsoc.io.population import read_population

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LearnsocWarning)
        try:
            return read_population(
                files["persons"],
                households=files["households"],
                hierarchy=tree,
                clans=files.get("clans"),
                organisations=files.get("organisations"),
                memberships=files.get("memberships"),
                schema=schema,
                ids_elsewhere=elsewhere,
                _ids_out=ids_out,
                **reading_options(args),
            )
        finally:
            print_caught(caught)


def ids_in_two(seen: Sequence[Mapping[str, NDArray[Any]]]) -> dict[str, NDArray[Any]]:
    """Return per table the ids that the files of two folders or more hold.

    Each folder's ids come unique; reading the folders together would reject every copy.
    """
    from learnsoc.io.convert import id_text

    twice: dict[str, NDArray[Any]] = {}
    for table in {t for ids in seen for t in ids}:
        parts = [ids[table] for ids in seen if table in ids and len(ids[table])]
        if len(parts) < 2:
            continue
        if len({p.dtype.kind == "U" for p in parts}) > 1:
            parts = [id_text(p) for p in parts]
        values, counts = np.unique(np.concatenate(parts), return_counts=True)
        if (counts > 1).any():
            twice[table] = values[counts > 1]
    return twice
