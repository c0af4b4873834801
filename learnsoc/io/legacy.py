"""Telling Vietnamese text typed in the old TCVN3 (ABC) and VNI fonts, so as to say so.

Before Unicode, Vietnamese was typed in fonts that draw Vietnamese letters in the place
of Western ones: TCVN3/ABC (``.VnTime``, ``.VnArial``) and VNI (``VNI-Times``). Many
government workbooks still are. A program reading the text, not the font, sees
``Hµ Néi`` (TCVN3) or ``Haø Noäi`` (VNI) for "Hà Nội", so no column name matches. The
readers do not convert such text (a guess at the font could be wrong, and values would
be changed silently); they name the file and the column and say to convert the file with
Unikey's converter (:data:`CONVERT_HINT`).

A third hazard looks alike: a "CSV UTF-8" file opened in Excel as Windows-1252 (the
Western encoding, Excel's default for a CSV without its byte-order mark) and saved again
holds each Vietnamese letter as two or three Western ones (``MÃ£ há»™`` for "Mã hộ").
It is no font: Unikey's TCVN3 converter would make it worse. It is told first, by its
bytes, which read back as UTF-8, and the fix said is to open the first file again.

Examples
--------
>>> legacy_text("Hµ Néi"), legacy_text("Haø Noäi"), legacy_text("Hà Nội")
(('TCVN3', 'Hà Nội'), ('VNI', 'Hà Nội'), None)
>>> print(legacy_message(["M· hé", "M· th«n"]))  # doctest: +NORMALIZE_WHITESPACE
column 'M· hé' is text in the old Vietnamese font encoding TCVN3 (ABC), not
Unicode (it reads 'Mã hộ'): convert the file to Unicode with Unikey's converter (Unikey
Toolkit, Ctrl+Shift+F6: source TCVN3 (ABC), destination Unicode), then read it again
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc.rejects import shown

__all__ = [
    "MOJIBAKE",
    "legacy_bytes",
    "legacy_column",
    "legacy_message",
    "legacy_text",
    "mojibake_text",
    "windows_1258_bytes",
]

#: The encodings as Unikey's converter names them.
_UNIKEY_NAMES = {"TCVN3": "TCVN3 (ABC)", "VNI": "VNI Windows"}

# TCVN3 (ABC) draws each Vietnamese lowercase letter in the place of one Latin-1
# character; capitals with a tone mark come from a second font (.VnTimeH) at the same
# places, so they read back as small letters.
_TCVN3_LETTERS = (
    "àµ á¸ ả¶ ã· ạ¹ ă¨ ằ» ắ¾ ẳ¼ ẵ½ ặÆ â© ầÇ ấÊ ẩÈ ẫÉ ậË đ® èÌ éÐ ẻÎ ẽÏ ẹÑ êª ềÒ ếÕ ểÓ ễÔ "
    "ệÖ ì× íÝ ỉØ ĩÜ ịÞ òß óã ỏá õâ ọä ô« ồå ốè ổæ ỗç ộé ơ¬ ờê ớí ởë ỡì ợî ùï úó ủñ ũò "
    "ụô ư\xad ừõ ứø ửö ữ÷ ựù ỳú ýý ỷû ỹü ỵþ Ă¡ Â¢ Ê£ Ô¤ Ơ¥ Ư¦ Đ§"
)
_TCVN3 = {pair[-1]: pair[0] for pair in _TCVN3_LETTERS.split()}

# VNI writes a base letter followed by a character for its mark (ø grave, ù acute, û
# hook, õ tilde, ï dot below; â circumflex, ê breve), or one character for a few letters.
_VNI_TONES = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HATS = {"à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVES = {"è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "æ": "ỉ", "Æ": "Ỉ"}
_VNI_SINGLE |= {"ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}

#: Latin-1 letters that Vietnamese itself uses (à, â, ê, ô, ý ...): the rest of Latin-1
#: (µ, ¸, ®, ä, ï, ø, ñ ...) is not Vietnamese, and is how these fonts show.
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")


#: TCVN3's places for ă, â, ê, ô, ơ, ư, đ and à, á, ả, ã, ạ: signs and marks that no
#: Vietnamese nor Western word holds (``µ``, ``¸``, ``®`` ...).
_TCVN3_SIGNS = frozenset("µ¸¶·¹¨»©ª«¬\xad®")


def _foreign(char: str) -> bool:
    return "\xa0" < char <= "\xff" and char not in _VIETNAMESE_LATIN1 and char != "×"


def _vietnamese(text: str) -> bool:
    """Tell whether a text holds a letter only Unicode Vietnamese has (ă, đ, ơ, ư, ạ ...)."""
    return any(
        "\u0100" <= c <= "\u01b0" or "\u0300" <= c <= "\u036f" or "\u1ea0" <= c <= "\u1ef9"
        for c in text
    )


def _from_tcvn3(text: str) -> str:
    return "".join(_TCVN3.get(c, c) for c in text)


def _from_vni(text: str) -> tuple[str, int]:
    """Return the text read as VNI, and how many two-character letters it held."""
    out: list[str] = []
    pairs = 0
    for c in text:
        low = c.lower()
        last = out[-1] if out else ""
        base = last.lower()
        mark = ""
        if low in _VNI_TONES and base in "aeiouyơưâêôă":
            mark = _VNI_TONES[low]
        elif low == "â" and base in "aeo":
            mark = "\u0302"
        elif low == "ê" and base == "a":
            mark = "\u0306"
        elif low in _VNI_HATS and base in "aeo":
            mark = "\u0302" + _VNI_HATS[low]
        elif low in _VNI_BREVES and base == "a":
            mark = "\u0306" + _VNI_BREVES[low]
        if mark and last:
            out[-1] = unicodedata.normalize("NFC", last + mark)
            pairs += 1
        else:
            out.append(_VNI_SINGLE.get(c, c))
    return "".join(out), pairs


def legacy_text(text: str) -> tuple[str, str] | None:
    """Return ``(encoding, text in Unicode)`` when a text looks typed in TCVN3 or VNI.

    A text looks so when it holds a Latin-1 character Vietnamese does not use (``µ``,
    ``ä``, ``ø`` ...), no letter only Unicode Vietnamese has, and reads in one of the
    two encodings as text without such characters. VNI is told by its letters written
    as two characters (``aø``); the Unicode text is a reading, to show, never used.

    Examples
    --------
    >>> legacy_text("Hä vµ tªn"), legacy_text("Hoï vaø teân")
    (('TCVN3', 'Họ và tên'), ('VNI', 'Họ và tên'))
    >>> legacy_text("Müller"), legacy_text("Tuổi"), legacy_text("m²")
    (None, None, None)
    """
    foreign = [c for c in text if _foreign(c)]
    if not foreign or _vietnamese(text):
        return None
    vni, pairs = _from_vni(text)
    if pairs and not any(_foreign(c) for c in vni):
        return "VNI", vni
    # One letter such as ü or ç is a Western name (Müller): TCVN3 takes a sign of its
    # own, or two such letters.
    if len(foreign) < 2 and not any(c in _TCVN3_SIGNS for c in text):
        return None
    tcvn3 = _from_tcvn3(text)
    if not any(_foreign(c) for c in tcvn3):
        return "TCVN3", tcvn3
    return None


#: What :func:`legacy_text` calls UTF-8 text shown as Windows-1252 and saved so.
MOJIBAKE = "UTF-8 read as Windows-1252"


def mojibake_text(text: str) -> str | None:
    r"""Return the text that UTF-8 shown as Windows-1252 stands for, if it is such text.

    Each character is turned back into the byte Windows-1252 draws it for (or, for the
    five bytes it draws none for, the control character Windows reads them as); when
    these bytes are UTF-8 of other text, that is the text. Western text is not: its
    accented letters alone are no UTF-8 (``Müller``, ``Tên``).

    Examples
    --------
    >>> mojibake_text("MÃ£ há»™"), mojibake_text("Há»\x8d vÃ\xa0 tÃªn")
    ('Mã hộ', 'Họ và tên')
    >>> [mojibake_text(t) for t in ("Mã hộ", "Müller", "Tên", "ID")]
    [None, None, None, None]
    """
    if text.isascii():
        return None
    data = bytearray()
    for char in text:
        try:
            data += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return None
            data.append(ord(char))  # 0x81, 0x8d ...: Windows reads them as controls
    try:
        fixed = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return fixed if fixed != text else None


def legacy_column(names: Iterable[str]) -> tuple[str, str, str] | None:
    """Return the first column name that looks typed in TCVN3 or VNI: (name, encoding, text).

    Examples
    --------
    >>> legacy_column(["STT", "M· hé", "Hä vµ tªn"])
    ('M· hé', 'TCVN3', 'Mã hộ')
    >>> legacy_column(["Mã hộ", "Tuổi"]) is None
    True
    >>> legacy_column(["STT", "MÃ£ há»™"])
    ('MÃ£ há»™', 'UTF-8 read as Windows-1252', 'Mã hộ')
    """
    names = list(names)
    for name in names:
        # First: such text can also read as TCVN3 (into nonsense), never the other way.
        fixed = mojibake_text(name)
        if fixed is not None:
            return name, MOJIBAKE, fixed
    for name in names:
        found = legacy_text(name)
        if found is not None:
            return name, *found
    return None


def legacy_message(names: Iterable[str]) -> Message | None:
    """Return what to say of a header whose names look typed in TCVN3 or VNI, if one does.

    The readers say it (as a :class:`~learnsoc.io.files.FileFormatError` naming the file)
    when a header's names do not match (an unknown or a missing column), so that the user
    learns why, and how to convert the file, instead of a list of unknown columns. None
    when no name looks so.

    Examples
    --------
    >>> print(legacy_message(["Hoï vaø teân", "Tuoåi"]))  # doctest: +NORMALIZE_WHITESPACE
    column 'Hoï vaø teân' is text in the old Vietnamese font encoding VNI Windows, not
    Unicode (it reads 'Họ và tên'): convert the file to Unicode with Unikey's converter
    (Unikey Toolkit, Ctrl+Shift+F6: source VNI Windows, destination Unicode), then read it
    again
    >>> legacy_message(["Họ và tên"]) is None
    True
    >>> print(legacy_message(["MÃ£ há»™"]))  # doctest: +ELLIPSIS
    column 'MÃ£ há»™' is UTF-8 text that was opened as Windows-1252 ... (it reads 'Mã hộ'); ...
    """
    found = legacy_column(names)
    if found is None:
        return None
    column, encoding, text = found
    if encoding == MOJIBAKE:
        return Message(
            N_(
                "column {column!r} is UTF-8 text that was opened as Windows-1252 (Western "
                "European) and saved again, so each Vietnamese letter became two or three "
                "(it reads {text!r}); it is not an old font, so do not convert it with "
                "Unikey: open the file first sent again choosing UTF-8 (in Excel: Data > "
                "From Text/CSV, File origin 65001: Unicode (UTF-8)) and save it as 'CSV "
                "UTF-8', or ask for the export again"
            ),
            column=shown(column),
            text=shown(text),
        )
    msg = Message(
        N_(
            "column {column!r} is text in the old Vietnamese font encoding {encoding}, not "
            "Unicode (it reads {text!r}): {convert}"
        ),
        column=shown(column),
        encoding=_UNIKEY_NAMES[encoding],
        text=shown(text),
        convert=Phrase(
            Message(
                N_(
                    "convert the file to Unicode with Unikey's converter (Unikey Toolkit, "
                    "Ctrl+Shift+F6: source {encoding}, destination Unicode), then read it "
                    "again"
                ),
                encoding=_UNIKEY_NAMES[encoding],
            )
        ),
    )
    return msg


def windows_1258_bytes(data: bytes) -> bool:
    r"""Tell whether a file's first line is Vietnamese in Windows-1258 (Vietnamese Windows).

    Windows-1258 writes a letter with a tone as its base letter and a byte for the
    tone (``Ộ`` as ``Ô`` and the dot below): read as Latin-1, such text can pass for
    TCVN3. It is Windows-1258 when it reads so as Vietnamese, every tone composed with
    the letter before it, and without a sign no Vietnamese text holds (TCVN3 and VNI
    read so hold ``µ``, ``¸``, ``ª``, ``ï`` ...).

    Examples
    --------
    >>> windows_1258_bytes(b"C\xd4\xf2NG HO\xccA XA\xde H\xd4\xf2I")  # CỘNG HÒA XÃ HỘI
    True
    >>> windows_1258_bytes("M· hé;Hä vµ tªn".encode("latin-1"))  # TCVN3
    False
    >>> windows_1258_bytes("Hoï vaø teân".encode("latin-1"))  # VNI
    False
    """
    first = data[:4096].split(b"\n", 1)[0]
    try:
        text = unicodedata.normalize("NFC", first.decode("cp1258"))
    except UnicodeDecodeError:
        return False
    composed = not any(unicodedata.combining(c) for c in text)
    return composed and _vietnamese(text) and not any(_foreign(c) for c in text)


def legacy_bytes(data: bytes) -> bool:
    r"""Tell whether a file's first line (its header) looks typed in TCVN3 or VNI.

    A CSV file saved from such a workbook by a program that writes bytes as the font
    draws them is not UTF-8: :func:`~learnsoc.io.files.check_utf8` then says what it is.
    A line that reads as Vietnamese in Windows-1258 (:func:`windows_1258_bytes`) is
    none: its bytes for tones pass for TCVN3's letters.

    Examples
    --------
    >>> legacy_bytes("M· hé;Hä vµ tªn\n".encode("latin-1"))
    True
    >>> legacy_bytes("Tên;Năm sinh\n".encode("cp1258"))
    False
    >>> legacy_bytes(b"C\xd4\xf2NG HO\xccA XA\xde H\xd4\xf2I CHU\xd2 NGHI\xdeA VI\xca\xf2T NAM\n")
    False
    """
    if windows_1258_bytes(data):
        return False
    first = data[:4096].split(b"\n", 1)[0].decode("latin-1")
    # Fonts only: a first line of UTF-8 (the file's bad bytes further down) read as
    # Latin-1 looks like UTF-8 shown as Windows-1252, which this file is not.
    return any(legacy_text(name) is not None for name in re.split(r"[,;\t|]", first))
