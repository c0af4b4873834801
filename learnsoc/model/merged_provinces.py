"""Provinces merged on 1 July 2025, named when a units list of the new tree still has one.

Resolution 202/2025/QH15 merged Vietnam's 63 provinces into 34 from 1 July 2025: 29
provinces ended, each going whole into another, which kept its own code (Hà Giang ``02``
into Tuyên Quang ``08``; old Lào Cai ``10`` went with Yên Bái into the new Lào Cai, ``15``).
A units list of 2026 with an old province left in it is read as a province no commune
reports to ("total of 2 provinces"): nothing says it is gone. :func:`warn_merged_provinces`
says which province it went into. It warns rather than rejects: the units under it are
the new tree's own, and a list of a custom tree may reuse a code, so the province is
named only when its name is the old province's too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc.model.hierarchy import ABOLISHED_LEVELS, HierarchyDateWarning, HierarchySpec
from learnsoc.model.ids import unaccented

__all__ = ["MERGED_PROVINCES", "merged_provinces", "warn_merged_provinces"]

#: The day the merged provinces ended (the district level ended with them).
MERGED_ON: dt.date = ABOLISHED_LEVELS["district"]

#: Each province that ended on 1 July 2025: its code, its name, and the code and name of
#: the province it went into (as the national lists of ``ls.vietnam_units`` write them;
#: tests/model/test_merged_provinces.py checks the two agree).
MERGED_PROVINCES: Mapping[str, tuple[str, str, str]] = {
    "02": ("Tỉnh Hà Giang", "08", "Tỉnh Tuyên Quang"),
    "06": ("Tỉnh Bắc Kạn", "19", "Tỉnh Thái Nguyên"),
    "10": ("Tỉnh Lào Cai", "15", "Tỉnh Lào Cai"),
    "17": ("Tỉnh Hòa Bình", "25", "Tỉnh Phú Thọ"),
    "26": ("Tỉnh Vĩnh Phúc", "25", "Tỉnh Phú Thọ"),
    "27": ("Tỉnh Bắc Ninh", "24", "Tỉnh Bắc Ninh"),
    "30": ("Tỉnh Hải Dương", "31", "Thành phố Hải Phòng"),
    "34": ("Tỉnh Thái Bình", "33", "Tỉnh Hưng Yên"),
    "35": ("Tỉnh Hà Nam", "37", "Tỉnh Ninh Bình"),
    "36": ("Tỉnh Nam Định", "37", "Tỉnh Ninh Bình"),
    "45": ("Tỉnh Quảng Trị", "44", "Tỉnh Quảng Trị"),
    "49": ("Tỉnh Quảng Nam", "48", "Thành phố Đà Nẵng"),
    "54": ("Tỉnh Phú Yên", "66", "Tỉnh Đắk Lắk"),
    "58": ("Tỉnh Ninh Thuận", "56", "Tỉnh Khánh Hòa"),
    "60": ("Tỉnh Bình Thuận", "68", "Tỉnh Lâm Đồng"),
    "62": ("Tỉnh Kon Tum", "51", "Tỉnh Quảng Ngãi"),
    "64": ("Tỉnh Gia Lai", "52", "Tỉnh Gia Lai"),
    "67": ("Tỉnh Đắk Nông", "68", "Tỉnh Lâm Đồng"),
    "70": ("Tỉnh Bình Phước", "75", "Tỉnh Đồng Nai"),
    "72": ("Tỉnh Tây Ninh", "80", "Tỉnh Tây Ninh"),
    "74": ("Tỉnh Bình Dương", "79", "Thành phố Hồ Chí Minh"),
    "77": ("Tỉnh Bà Rịa - Vũng Tàu", "79", "Thành phố Hồ Chí Minh"),
    "83": ("Tỉnh Bến Tre", "86", "Tỉnh Vĩnh Long"),
    "84": ("Tỉnh Trà Vinh", "86", "Tỉnh Vĩnh Long"),
    "87": ("Tỉnh Đồng Tháp", "82", "Tỉnh Đồng Tháp"),
    "89": ("Tỉnh An Giang", "91", "Tỉnh An Giang"),
    "93": ("Tỉnh Hậu Giang", "92", "Thành phố Cần Thơ"),
    "94": ("Tỉnh Sóc Trăng", "92", "Thành phố Cần Thơ"),
    "95": ("Tỉnh Bạc Liêu", "96", "Tỉnh Cà Mau"),
}

_KIND = re.compile(r"^(tinh|thanh pho|tp)\b\.?")


def _name_key(name: str) -> str:
    """Return a province's name as names are compared: no kind word, case, accents, spaces."""
    folded = unaccented(unicodedata.normalize("NFC", name).casefold()).strip()
    return re.sub(r"[\W_]+", "", _KIND.sub("", folded))


_OLD_NAMES = {code: _name_key(name) for code, (name, _, _) in MERGED_PROVINCES.items()}


def merged_provinces(codes: NDArray[np.str_], names: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Return which provinces are ones merged on 1 July 2025, by their code and name.

    A code of a merged province counts only when the name is that province's too (kind
    word, case and accents aside): a custom tree may number its own provinces ``02``.

    Examples
    --------
    >>> codes = np.array(["02", "02", "08", "10"])
    >>> names = np.array(["Tỉnh Hà Giang", "P2", "Tỉnh Tuyên Quang", "lao cai"])
    >>> merged_provinces(codes, names).tolist()
    [True, False, False, True]
    """
    return np.array(
        [
            _OLD_NAMES.get(code) == _name_key(name)
            for code, name in zip(codes.tolist(), names.tolist(), strict=True)
        ],
        dtype=bool,
    )


def warn_merged_provinces(
    codes: NDArray[np.str_], names: NDArray[np.str_], spec: HierarchySpec, stacklevel: int = 2
) -> None:
    """Warn when a units list of a tree in force from 1 July 2025 has a merged province.

    ``codes`` and ``names`` are the list's provinces. Said on a tree with provinces and
    without districts in force from 1 July 2025 by its dates: the ``vn-2025`` tree, not
    one of levels alone (``--levels province,commune`` may read a list of 2024 whose
    districts were left out). ``stacklevel`` counts from the caller.

    Examples
    --------
    >>> from learnsoc.model.hierarchy import PRESETS
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_merged_provinces(np.array(["02", "08"]),
    ...         np.array(["Tỉnh Hà Giang", "Tỉnh Tuyên Quang"]), PRESETS["vn-2025"])
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    units: province '02' (Tỉnh Hà Giang) was merged into '08' (Tỉnh Tuyên Quang) on ...
    """
    if "province" not in spec.names or "district" in spec.names:
        return
    if spec.valid_from is None or spec.valid_from < MERGED_ON:
        return
    merged = np.flatnonzero(merged_provinces(codes, names))
    if not len(merged):
        return
    first = str(codes[merged[0]])
    name, into, into_name = MERGED_PROVINCES[first]
    template = (
        N_(
            "units: province {code!r} ({name}) was merged into {into!r} ({into_name}) on "
            "{date}; on a tree of that day or later no commune reports to it: list its "
            "communes under {into!r}, or read a list of before the reform with its own "
            "levels (vn-pre-2025, with its districts)"
        )
        if len(merged) == 1
        else N_(
            "units: {n} provinces were merged into others on {date}, e.g. {code!r} ({name}) "
            "into {into!r} ({into_name}); on a tree of that day or later no commune reports "
            "to them: list their communes under the provinces they went into, or read a list "
            "of before the reform with its own levels (vn-pre-2025, with its districts)"
        )
    )
    msg = Message(
        template,
        n=len(merged),
        code=first,
        name=name,
        into=into,
        into_name=into_name,
        date=MERGED_ON,
    )
    warnings.warn(HierarchyDateWarning(str(msg)).translatable(msg), stacklevel=stacklevel + 1)
