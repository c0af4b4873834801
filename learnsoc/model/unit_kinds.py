"""The words that name a kind of unit (``Thôn``, ``Phường``, ``Tổ dân phố``): one list.

Three places read them: a level named on the command line (``--level phường``, see
:func:`~learnsoc.model.hierarchy.level_named`), the kind of unit before a unit's name
(``Thôn Đông`` is the village ``Đông``, see :mod:`learnsoc.model.unit_names`) and the
heading over a block of a form's rows (``Thôn Đông``, see
:func:`~learnsoc.io.headers.block_heading`). The last two read :data:`KIND_WORDS`, made
here from the words of each level and a few more that name no level, so that the name
a heading gives and the name a unit column writes are read alike:

>>> "thôn" in KIND_WORDS, "cụm" in KIND_WORDS, "hộ" in KIND_WORDS
(True, True, False)
>>> KIND_WORDS.index("tổ dân phố") < KIND_WORDS.index("tổ")
True
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["EXTRA_KIND_WORDS", "KIND_WORDS", "LEVEL_WORDS", "OTHER_LEVEL_NAMES"]

#: The word of each of Vietnam's levels, as its Vietnamese name writes it after ``cấp``
#: (the catalogs' ``cấp xã``, ``cấp thôn, tổ dân phố``). Kept here rather than read from
#: the catalogs so that importing reads no catalog; tests/model/test_unit_kinds.py
#: checks that the two agree.
LEVEL_WORDS: Mapping[str, tuple[str, ...]] = {
    "province": ("tỉnh",),
    "district": ("huyện",),
    "commune": ("xã",),
    "village": ("thôn", "tổ dân phố"),
}

#: Names agencies give a level or entity besides its catalog names (in vi and en): the
#: kinds of unit of each level (Law on Organisation of Local Government; the villages'
#: names by region: ``Xóm`` in the north, ``Ấp`` in the south, ``Bản``, ``Buôn``,
#: ``Plei`` in the mountains). ``Thành phố`` is a province (Hà Nội) and, before the 2025
#: reform, a district (Việt Trì): on the tree before the reform it names two levels, so
#: it names none by itself (a units file's row writing it is placed by its parent's level,
#: see :mod:`learnsoc.io.units`, never by a guess). The statistics office's lists write
#: ``Thành phố Trung ương`` for a centrally-run city (Hà Nội, Huế from 2025): a province.
OTHER_LEVEL_NAMES: Mapping[str, tuple[str, ...]] = {
    "province": ("thành phố", "thành phố trung ương", "thành phố trực thuộc trung ương"),
    "district": ("quận", "thị xã", "thành phố"),
    "commune": ("phường", "thị trấn", "đặc khu"),
    "village": (
        "tổ dân phố",
        "xóm",
        "ấp",
        "bản",
        "buôn",
        "làng",
        "plei",
        "sóc",
        "khu phố",
        "khối phố",
    ),
    "household": ("hộ",),
    "person": ("nhân khẩu", "cá nhân"),
}

#: Words that name a kind of unit and no level, each with why: a ``--level`` option
#: given one of them would be a guess, but before a unit's name they are only its kind.
EXTRA_KIND_WORDS: Mapping[str, str] = {
    # Short forms of a village's kind: "Tổ 3" for "Tổ dân phố 3", "Khu 2" for
    # "Khu phố 2", "Khối 5" for "Khối phố 5".
    "tổ": "short for tổ dân phố",
    "khu": "short for khu phố",
    "khối": "short for khối phố",
    # Groups of households a commune lists its people by, below or as its villages.
    "cụm": "cụm dân cư, a residential cluster",
    "đội": "đội sản xuất, a village-level unit in the north",
}


def _kind_words() -> tuple[str, ...]:
    words = {w for level in LEVEL_WORDS for w in (*LEVEL_WORDS[level], *OTHER_LEVEL_NAMES[level])}
    words.update(EXTRA_KIND_WORDS)
    # Longest first, so that a pattern made of them takes "tổ dân phố" whole before "tổ".
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


#: Every word that may name the kind of a unit before its name (``Thôn Đông``,
#: ``Tổ dân phố 3``, ``Đội 3``), lower case, accents composed, longest first: the words of
#: the levels (:data:`LEVEL_WORDS`, :data:`OTHER_LEVEL_NAMES`) and :data:`EXTRA_KIND_WORDS`.
KIND_WORDS: tuple[str, ...] = _kind_words()
