"""CSV rows short of their empty last cells, as Excel's CSV export writes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.io.csv import Engine, read_csv_bytes
from learnsoc.io.mapping import FileMapping
from tests.io.helpers import files, problems, read
from tests.io.test_csv import ENGINES, cells, lines

#: Excel left out the separators of the empty last cells on lines 3, 4, 7 and 8 (the
#: blank line 6 is no record; Excel ends every row, the last too, with a line break).
SHORT = 'id;age;note;\r\n1;40;"a; b";x\r\n2;9\r\n3;35;;\r\n\r\n"4";70;x\r\n5;12;\r\n6;8\r\n'
#: The same file with every separator written.
FULL = 'id;age;note;\r\n1;40;"a; b";x\r\n2;9;;\r\n3;35;;\r\n\r\n"4";70;x;\r\n5;12;;\r\n6;8;;\r\n'


def needs_id_and_age(header: str) -> bool:
    return header in ("id", "age")


@pytest.mark.parametrize("engine", ENGINES)
def test_short_rows_read_as_if_their_separators_were_there(engine: Engine) -> None:
    short = read_csv_bytes(SHORT.encode(), "s.csv", engine=engine, needed=needs_id_and_age)
    full = read_csv_bytes(FULL.encode(), "f.csv", engine=engine)
    assert full.layout.malformed.tolist() == []
    assert cells(short) == cells(full)
    assert cells(short)["age"] == ["40", "9", "35", "70", "12", "8"]
    assert cells(short)["note"] == ["a; b", "", "", "x", "", ""]
    assert lines(short) == lines(full) == [2, 3, 4, 6, 7, 8]
    assert short.layout.malformed.tolist() == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_short_last_line_without_a_line_break_is_a_cut_off_file(engine: Engine) -> None:
    """Excel ends every row with a line break: a short last line without one is a file cut
    off (a download stopped), whose lost cells must not be read as empty ones."""
    cut = SHORT.removesuffix("\r\n")
    table = read_csv_bytes(cut.encode(), "s.csv", engine=engine, needed=needs_id_and_age)
    assert cells(table)["age"] == ["40", "9", "35", "70", "12"]
    assert table.layout.malformed.tolist() == [5]
    assert table.layout.line_of(table.layout.malformed).tolist() == [8]


def test_both_engines_agree_on_short_rows_of_every_kind() -> None:
    """Rows short of a needed column, of an optional one, and rows too long."""
    data = b"id;age;note;\n1;40\n2\n3;9;x;;y\n;\n4;5;6\n7;8;9;\n"
    got = []
    for engine in ENGINES:
        t = read_csv_bytes(data, "s.csv", engine=engine, needed=needs_id_and_age)
        lay = t.layout
        got.append((cells(t), lines(t), lay.malformed.tolist(), lay.malformed_fields.tolist()))
        assert lay.short_of == ("id", "age", "", "")
    assert got[0] == got[1]
    assert got[0][1:] == ([2, 5, 6, 7], [1, 2], [1, 5])
    assert got[0][0]["age"] == ["40", "", "5", "8"]


@pytest.mark.parametrize("chunk", [1, 5, 7, 1 << 26])
def test_separators_are_added_the_same_whatever_the_chunks(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes are looked at in chunks: a short line across a chunk's edge is filled alike."""
    from learnsoc.io import _short_rows

    monkeypatch.setattr(_short_rows, "_CHUNK", chunk)
    for engine in ENGINES:
        short = read_csv_bytes(SHORT.encode(), "s.csv", engine=engine, needed=needs_id_and_age)
        assert cells(short) == cells(read_csv_bytes(FULL.encode(), "f.csv", engine=engine))


@settings(max_examples=200, deadline=None)
@given(
    st.binary(min_size=1, max_size=30),  # never empty: fill_lines fills lines of a file
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 3)), max_size=8),
    st.sampled_from([1, 2, 3, 7, 1 << 26]),
)
def test_separators_go_where_they_are_asked_for(
    data: bytes, places: list[tuple[int, int]], chunk: int
) -> None:
    """Each separator is added before the byte it is asked at, as a slice-by-slice join."""
    from learnsoc.io import _short_rows

    places = sorted((min(at, len(data)), n) for at, n in places)
    want, last = b"", 0
    for at, n in places:
        want += data[last:at] + b";" * n
        last = at
    want += data[last:]
    at_ = np.array([at for at, _ in places], np.int64)
    count = np.array([n for _, n in places], np.int64)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_short_rows, "_CHUNK", chunk)
        assert _short_rows._with_separators(data, at_, count, ord(";")) == want


@pytest.mark.parametrize("engine", ENGINES)
def test_without_needed_columns_short_rows_stay_malformed(engine: Engine) -> None:
    table = read_csv_bytes(SHORT.encode(), "s.csv", engine=engine)
    assert table.layout.malformed.tolist() == [1, 3, 4, 5]


def _persons(pop: Any) -> tuple[list[int], list[int]]:
    return pop.person_ids.tolist(), np.asarray(pop.person_columns["age"]).tolist()


@pytest.mark.parametrize("engine", ENGINES)
def test_excel_rows_without_their_notes_are_accepted(tmp_path: Path, engine: Engine) -> None:
    """The "Ghi chú" column, ignored, is empty on most rows: they are read, not rejected."""
    mapping = FileMapping.from_dict({"person": {"ignore": ["Ghi chú"]}})
    short = (
        "person_id,household_id,age,sex,literate,Ghi chú\n1,H1,40,1,1,chuyển đi\n"
        "2,H1,9,2,0\n3,H2,35,2\n4,H3,70\n"
    )
    full = (
        "person_id,household_id,age,sex,literate,Ghi chú\n1,H1,40,1,1,chuyển đi\n"
        "2,H1,9,2,0,\n3,H2,35,2,,\n4,H3,70,,,\n"
    )
    (tmp_path / "s").mkdir()
    (tmp_path / "f").mkdir()
    pop = read(files(tmp_path / "s", persons=short), engine=engine, mapping=mapping)
    assert pop.rejects.counts()["person"] == (4, 4, 0)
    assert problems(pop) == []
    expected = read(files(tmp_path / "f", persons=full), engine=engine, mapping=mapping)
    assert _persons(pop) == _persons(expected) == ([1, 2, 3, 4], [40, 9, 35, 70])
    assert (
        np.asarray(pop.person_columns["sex"]).tolist()
        == np.asarray(expected.person_columns["sex"]).tolist()
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_row_short_of_a_needed_column_is_a_short_line_reject(
    tmp_path: Path, engine: Engine
) -> None:
    mapping = FileMapping.from_dict({"person": {"columns": {"Tuổi": "age"}, "ignore": ["Ghi chú"]}})
    persons = "person_id,household_id,Tuổi,sex,Ghi chú\n1,H1,40,1,x\n2,H1\n3,H2,35\n4,H3,70,1,x,y\n"
    pop = read(files(tmp_path, persons=persons), engine=engine, mapping=mapping)
    counts = pop.rejects.counts()["person"]
    assert counts == (4, 2, 2)
    assert counts[1] + counts[2] == counts[0]
    assert problems(pop) == [
        ("persons.csv", 3, "age", "2", "short_line"),
        ("persons.csv", 5, "", "6", "malformed_line"),
    ]
    en, vi = (pop.rejects.records(locale)[0].message for locale in ("en", "vi"))
    assert en.endswith(
        "line 3, column Tuổi: the line has 2 fields where the header has 5: Excel leaves out "
        "the empty cells at the end of a row, and this line has no cell for this column, "
        "which learnsoc needs; fill in the cell (or add the missing separators) and read "
        "the file again"
    )
    assert "dòng 3, cột Tuổi: " in vi
    assert "Excel" in vi and "the line" not in vi


@pytest.mark.parametrize("block", [64, 1 << 24])
def test_pyarrow_parses_in_the_calling_thread_with_the_exact_engines_result(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow parses CSV without its threads: from them each short row's report waited
    for the GIL (8 s per million), and a parse stopped by an error left them running (the
    suite's rare segmentation faults). The cells, lines and rejects are the exact engine's,
    in one block and in many."""
    import pyarrow.csv as pacsv

    from learnsoc.io import csv as csv_module

    threads: list[bool] = []
    real = pacsv.read_csv

    def noted(source: Any, *, read_options: Any, **options: Any) -> Any:
        threads.append(read_options.use_threads)
        return real(source, read_options=read_options, **options)

    monkeypatch.setattr(pacsv, "read_csv", noted)
    monkeypatch.setattr(csv_module, "_BLOCK_BYTES", block)
    data = b"id;age;note;\n1;40\n2\n3;9;x;;y\n;\n4;5;6\n7;8;9;\n" + b"8;1\n" * 40
    arrow = read_csv_bytes(data, "s.csv", engine="pyarrow", needed=needs_id_and_age)
    exact = read_csv_bytes(data, "s.csv", engine="python", needed=needs_id_and_age)
    assert cells(arrow) == cells(exact)
    assert lines(arrow) == lines(exact)
    assert arrow.layout.malformed.tolist() == exact.layout.malformed.tolist() == [1, 2]
    assert arrow.layout.malformed_fields.tolist() == [1, 5]
    assert threads and not any(threads)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "bad", [b"\xff", "Tên".encode("cp1258"), b"\xc3"], ids=["ff", "cp1258", "cut"]
)
def test_a_short_row_not_in_utf8_is_named_with_nothing_on_stderr(
    engine: Engine, bad: bytes, capfd: pytest.CaptureFixture[str]
) -> None:
    """pyarrow decodes a short row as UTF-8 before its handler sees it: such bytes made
    it print "Exception ignored in: <function _arrow_csv.<locals>.on_invalid ...>" and a
    UnicodeDecodeError traceback to stderr (read on, in the exact engine)."""
    from learnsoc.io.files import FileFormatError

    data = b"id;age;note\r\n1;40;x\r\n2;" + bad + b"\r\n3;35;y\r\n"
    with pytest.raises(FileFormatError) as caught:
        read_csv_bytes(data, "s.csv", engine=engine, needed=needs_id_and_age)
    assert caught.value.line == 3
    assert caught.value.offset == next(i for i, byte in enumerate(data) if byte >= 0x80)
    assert capfd.readouterr().err == ""
    # Named: the same file read as Windows-1258 is read, its short row rejected.
    table = read_csv_bytes(data, "s.csv", engine=engine, encoding="cp1258", needed=None)
    assert table.layout.malformed.tolist() == [1]  # the second record
    assert cells(table)["id"] == ["1", "3"]
    assert capfd.readouterr().err == ""
