import datetime as dt
import importlib.util
import threading
from pathlib import Path
from typing import Any

import pytest

from learnsoc import i18n
from learnsoc.i18n import LocaleError

ROOT = Path(__file__).resolve().parent.parent


def _catalog_script() -> Any:
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "scripts" / "catalogs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_translation_in_both_catalogs_and_the_pot_is_current() -> None:
    assert _catalog_script().problems() == []


def test_a_plural_entry_with_an_empty_form_is_untranslated() -> None:
    """`catalogs.py update` said "0 untranslated" of plural entries left empty."""
    translated = _catalog_script()._translated
    assert translated("một") and translated(("gia đình",))
    assert not translated("") and not translated(("",)) and not translated(["x", ""])


@pytest.mark.parametrize(
    ("locale", "integer", "percent", "decimal"),
    [
        ("vi", "138.068", "73,59%", "1.234.567,89"),
        ("en", "138,068", "73.59%", "1,234,567.89"),
    ],
)
def test_numbers_follow_the_locale(locale: str, integer: str, percent: str, decimal: str) -> None:
    assert i18n.format_integer(138068, locale=locale) == integer
    assert i18n.format_percent(138068 / 187624, locale=locale) == percent
    assert i18n.format_decimal(1234567.891, 2, locale=locale) == decimal


def test_rounding_is_explicit_half_up_truncate_or_half_even() -> None:
    # 73.5876...% as printed by Ha Giang's report (truncated) and rounded half up.
    assert i18n.format_percent(138068 / 187624, locale="vi", rounding="truncate") == "73,58%"
    assert i18n.format_percent(0.00125, decimals=1, locale="en") == "0.1%"
    assert i18n.format_percent(0.00125, decimals=2, locale="en") == "0.13%"
    assert i18n.format_percent(0.00125, decimals=2, locale="en", rounding="half_even") == "0.12%"
    assert i18n.format_decimal(2.5, 0, locale="en") == "3"
    assert i18n.format_decimal(-2.5, 0, locale="en", rounding="truncate") == "-2"
    with pytest.raises(LocaleError, match="did you mean 'truncate'"):
        i18n.format_decimal(1.0, 1, rounding="truncat")


def test_dates_follow_the_locale() -> None:
    day = dt.date(2026, 3, 9)
    assert i18n.format_date(day, locale="vi", format="long") == "9 tháng 3, 2026"
    assert i18n.format_date(day, locale="en", format="long") == "March 9, 2026"


def test_locale_default_context_and_thread_isolation() -> None:
    assert i18n.get_locale() == "en"
    seen: list[str] = []
    with i18n.use_locale("vi_VN"):
        assert i18n.gettext("village") == "cấp thôn, tổ dân phố"
        # A thread started inside the block does not inherit the block's locale.
        t = threading.Thread(target=lambda: seen.append(i18n.get_locale()))
        t.start()
        t.join()
    assert seen == ["en"]
    assert i18n.gettext("village") == "village"
    i18n.set_locale("vi")
    try:
        assert i18n.gettext("household") == "hộ gia đình"
    finally:
        i18n.set_locale("en")


def test_unknown_locale_is_a_clear_error() -> None:
    with pytest.raises(LocaleError, match="unsupported locale 'fr'"):
        i18n.gettext("village", locale="fr")


def test_plural_forms() -> None:
    assert i18n.ngettext("{n} row rejected", "{n} rows rejected", 1, "en") == "{n} row rejected"
    assert i18n.ngettext("{n} row rejected", "{n} rows rejected", 2, "en") == "{n} rows rejected"
    assert i18n.ngettext("{n} row rejected", "{n} rows rejected", 2, "vi") == "{n} dòng bị loại"


def test_compiled_and_source_catalogs_give_the_same_text(tmp_path: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = ROOT / "learnsoc" / "locale" / "vi" / "LC_MESSAGES" / "learnsoc.po"
    source_only = tmp_path / "src"
    source_only.mkdir()
    (source_only / "learnsoc.po").write_bytes(po.read_bytes())
    compiled = tmp_path / "built"
    compiled.mkdir()
    with po.open("rb") as fp:
        catalog = read_po(fp, locale="vi")
    with (compiled / "learnsoc.mo").open("wb") as fp:
        write_mo(fp, catalog)
    from_po = i18n.load_catalog(source_only, "vi")
    from_mo = i18n.load_catalog(compiled, "vi")
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert from_po.gettext(message.id) == from_mo.gettext(message.id) == message.string


def test_a_mo_older_than_its_po_is_ignored(tmp_path: Path) -> None:
    """An editable install leaves a .mo; a later edit of the .po must still show."""
    import os

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    from learnsoc.i18n import load_catalog

    def catalog(text: str) -> Catalog:
        c = Catalog(locale="vi", domain="learnsoc")
        c.add("learning family", text)
        return c

    with (tmp_path / "learnsoc.mo").open("wb") as f:
        write_mo(f, catalog("cũ"))
    with (tmp_path / "learnsoc.po").open("wb") as f:
        write_po(f, catalog("mới"))
    os.utime(tmp_path / "learnsoc.mo", (1_000_000, 1_000_000))
    assert load_catalog(tmp_path, "vi").gettext("learning family") == "mới"
    os.utime(tmp_path / "learnsoc.po", (1_000, 1_000))  # the .mo is the newer: used
    assert load_catalog(tmp_path, "vi").gettext("learning family") == "cũ"


def test_an_integer_shown_with_grouping_groups_as_the_locale_does() -> None:
    """``{n:,}`` of a message writes 1.250 in Vietnamese; other specs and booleans as they were."""
    import numpy as np

    from learnsoc._translation import localized_value

    template = "{n:,} / {m:,} / {n} / {n:d} / {n!r} / {flag}"
    values = {"n": 1250, "m": np.int64(-1234567), "flag": True}
    vi = {k: localized_value(k, v, "vi") for k, v in values.items()}
    en = {k: localized_value(k, v, "en") for k, v in values.items()}
    assert template.format(**vi) == "1.250 / -1.234.567 / 1250 / 1250 / 1250 / True"
    assert template.format(**en) == "1,250 / -1,234,567 / 1250 / 1250 / 1250 / True"
