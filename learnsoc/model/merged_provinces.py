"""Provinces merged on 1 July 2025, named when a units list of the new tree still has one.

Resolution 202/2025/QH15 merged Vietnam's 63 provinces into 34 from 1 July 2025: 29
provinces ended, each going whole into another, which kept its own code (Hà Giang ``02``
into Tuyên Quang ``08``; old Lào Cai ``10`` went with Yên Bái into the new Lào Cai, ``15``).
A units list of 2026 with an old province left in it is read as a province no commune
reports to ("total of 2 provinces"): nothing says it is gone. :func:`warn_merged_provinces`
says which province it went into. It warns rather than rejects: the units under it are
the new tree's own, and a list of a custom tree may reuse a code, so the province is
named only when its name is the old province's too.

A tree of levels alone (``--levels province,commune``) has no dates: a list of 2024 with
its districts left out has that shape too, with all 63 provinces. Such a list is taken for
one of the new tree only when it names a province as only the new tree does (``15`` Lào
Cai, Yên Bái's code until 30 June 2025): a list of 2024 never does, nor a custom tree.
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
from learnsoc._phrases import Phrase
from learnsoc.model.hierarchy import ABOLISHED_LEVELS, HierarchyDateWarning, HierarchySpec
from learnsoc.model.ids import unaccented

__all__ = [
    "MERGED_PROVINCES",
    "RENAMED_PROVINCES",
    "MergedProvinceWarning",
    "merged_provinces",
    "renamed_provinces",
    "warn_merged_provinces",
]

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

#: The provinces that kept the code of one merged into them under another name on 1 July
#: 2025 (the new Lào Cai has Yên Bái's code ``15``): a units list naming one of them so is
#: a list of that day or later (tests/model/test_merged_provinces.py checks the national
#: lists).
RENAMED_PROVINCES: Mapping[str, str] = {
    "15": "Tỉnh Lào Cai",
    "24": "Tỉnh Bắc Ninh",
    "44": "Tỉnh Quảng Trị",
    "52": "Tỉnh Gia Lai",
    "80": "Tỉnh Tây Ninh",
    "82": "Tỉnh Đồng Tháp",
    "91": "Tỉnh An Giang",
}

_KIND = re.compile(r"^(tinh|thanh pho|tp)\b\.?")


def _name_key(name: str) -> str:
    """Return a province's name as names are compared: no kind word, case, accents, spaces."""
    folded = unaccented(unicodedata.normalize("NFC", name).casefold()).strip()
    return re.sub(r"[\W_]+", "", _KIND.sub("", folded))


_OLD_NAMES = {code: _name_key(name) for code, (name, _, _) in MERGED_PROVINCES.items()}
_NEW_NAMES = {code: _name_key(name) for code, name in RENAMED_PROVINCES.items()}


class MergedProvinceWarning(HierarchyDateWarning):
    """A units list of the tree from 1 July 2025 still has a province merged on that day.

    Attributes
    ----------
    code : str
        The first such province's code (``"02"``, Hà Giang).
    row : int or None
        Its row among the units given (0-based), when the caller gave the rows; a reader
        names the file and line instead (:func:`learnsoc.io.units.merged_in_file`).

    Examples
    --------
    >>> from learnsoc.model.hierarchy import PRESETS
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_merged_provinces(np.array(["08", "02"]), np.array(["Tuyên Quang", "Hà Giang"]),
    ...                           PRESETS["vn-2025"], rows=np.array([0, 3]))
    >>> found = caught[0].message
    >>> isinstance(found, HierarchyDateWarning), found.code, found.row
    (True, '02', 3)
    """

    def __init__(self, message: str, *, code: str, row: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.row = row


def _named(
    codes: NDArray[np.str_], names: NDArray[np.str_], known: Mapping[str, str]
) -> NDArray[np.bool_]:
    return np.array(
        [
            known.get(code) == _name_key(name)
            for code, name in zip(codes.tolist(), names.tolist(), strict=True)
        ],
        dtype=bool,
    )


def renamed_provinces(codes: NDArray[np.str_], names: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Return which provinces are named as only the tree from 1 July 2025 names them.

    Examples
    --------
    >>> codes = np.array(["15", "15", "08"])
    >>> names = np.array(["Tỉnh Lào Cai", "Tỉnh Yên Bái", "Tỉnh Tuyên Quang"])
    >>> renamed_provinces(codes, names).tolist()
    [True, False, False]
    """
    return _named(codes, names, _NEW_NAMES)


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
    return _named(codes, names, _OLD_NAMES)


def warn_merged_provinces(
    codes: NDArray[np.str_],
    names: NDArray[np.str_],
    spec: HierarchySpec,
    stacklevel: int = 2,
    *,
    rows: NDArray[np.int64] | None = None,
) -> None:
    """Warn when a units list of a tree in force from 1 July 2025 has a merged province.

    ``codes`` and ``names`` are the list's provinces, ``rows`` their rows among the units
    given (0-based; the warning keeps the first one's, for a reader to name its line).
    Said on a tree with provinces and without districts: one in force from 1 July 2025 by
    its dates (``vn-2025``), or one of levels alone (``--levels province,commune``) when
    the list names a province as only the new tree does (:data:`RENAMED_PROVINCES`): a
    list of 2024 whose districts were left out has 63 provinces and none of those names.
    ``stacklevel`` counts from the caller.

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
    merged = np.flatnonzero(merged_provinces(codes, names))
    if not len(merged):
        return
    shape: str | Phrase = ""
    if spec.valid_from is not None or spec.valid_until is not None:
        if spec.valid_from is None or spec.valid_from < MERGED_ON:
            return
    else:
        renamed = np.flatnonzero(renamed_provinces(codes, names))
        if not len(renamed):
            return  # a list of 2024 without its districts, or a custom tree
        new = str(codes[renamed[0]])
        shape = Phrase(
            Message(_NEW_TREE_SHAPE, new=new, new_name=RENAMED_PROVINCES[new], date=MERGED_ON)
        )
    first = str(codes[merged[0]])
    name, into, into_name = MERGED_PROVINCES[first]
    body = Message(
        MERGED_ONE if len(merged) == 1 else MERGED_MANY,
        n=len(merged),
        code=first,
        name=name,
        into=into,
        into_name=into_name,
        date=MERGED_ON,
        shape=shape,
    )
    msg = Message(IN_UNITS, message=Phrase(body))
    row = None if rows is None else int(rows[merged[0]])
    warning = MergedProvinceWarning(str(msg), code=first, row=row).translatable(msg)
    warnings.warn(warning, stacklevel=stacklevel + 1)


#: The warning, said of the units given (a reader says the file and line instead).
IN_UNITS = N_("units: {message}")
MERGED_ONE = N_(
    "province {code!r} ({name}) was merged into {into!r} ({into_name}) on {date}{shape}; "
    "on a tree of that day or later no commune reports to it: list its communes under "
    "{into!r}, or read a list of before the reform with its own levels (vn-pre-2025, with "
    "its districts)"
)
MERGED_MANY = N_(
    "{n} provinces were merged into others on {date}{shape}, e.g. {code!r} ({name}) into "
    "{into!r} ({into_name}); on a tree of that day or later no commune reports to them: "
    "list their communes under the provinces they went into, or read a list of before the "
    "reform with its own levels (vn-pre-2025, with its districts)"
)
#: Why a list read on levels alone is taken for one of the new tree.
_NEW_TREE_SHAPE = N_(
    " (the list is of that day or later: it names {new!r} {new_name}, as provinces have "
    "been named only since {date})"
)
