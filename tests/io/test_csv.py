"""CSV reading: both engines, broken files, and agreement with the standard library."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.io.csv import Engine, NumberKind, read_csv, read_csv_bytes
from learnsoc.io.files import FileFormatError
from learnsoc.io.table import RawTable

ENGINES: list[Engine] = ["python", "pyarrow"]


def cells(table: RawTable) -> dict[str, list[str]]:
    """Return every column of a raw table as a list of text."""
    from learnsoc.io.convert import _text_array

    out: dict[str, list[str]] = {h: [] for h in table.header}
    for batch in table.iter_batches():
        for name, col in batch.items():
            out[name].extend(_text_array(col).tolist())
    return out


def lines(table: RawTable) -> list[int]:
    return [int(x) for x in table.layout.line_of(table.layout.kept)]


def parsed_by(table: RawTable) -> str:
    """Return which engine produced the cells (pyarrow falls back to python on odd files)."""
    batch = next(table.iter_batches())
    column = next(iter(batch.values()))
    return "pyarrow" if type(column).__module__.startswith("pyarrow") else "python"


@pytest.mark.parametrize("engine", ENGINES)
def test_simple_file_keeps_leading_zeros_and_padding(engine: Engine) -> None:
    table = read_csv_bytes(b"code,name\n01, A \n002,B\n", "u.csv", engine=engine)
    assert table.header == ("code", "name")
    assert cells(table) == {"code": ["01", "002"], "name": [" A ", "B"]}
    assert lines(table) == [2, 3]
    assert table.layout.n_records == 2
    assert parsed_by(table) == engine


@pytest.mark.parametrize("engine", ENGINES)
def test_excel_bom_and_semicolons_and_crlf(engine: Engine) -> None:
    data = codecs.BOM_UTF8 + "mã;tên\r\n01;Hà Nội\r\n02;Huế\r\n".encode()
    table = read_csv_bytes(data, "u.csv", engine=engine)
    assert table.header == ("mã", "tên")
    assert cells(table) == {"mã": ["01", "02"], "tên": ["Hà Nội", "Huế"]}


@pytest.mark.parametrize("engine", ENGINES)
def test_quoted_separators_and_line_breaks_keep_their_lines(engine: Engine) -> None:
    data = b'id,note\n1,"a, b"\n2,"two\nlines"\n\n3,x\n'
    table = read_csv_bytes(data, "n.csv", engine=engine)
    assert cells(table) == {"id": ["1", "2", "3"], "note": ["a, b", "two\nlines", "x"]}
    assert lines(table) == [2, 3, 6]


@pytest.mark.parametrize("engine", ENGINES)
def test_blank_lines_are_skipped_but_counted_in_line_numbers(engine: Engine) -> None:
    data = b"\nid,age\n\n1,2\n\n\n3,4\n\n"
    table = read_csv_bytes(data, "p.csv", engine=engine)
    assert cells(table) == {"id": ["1", "3"], "age": ["2", "4"]}
    assert lines(table) == [4, 7]
    assert parsed_by(table) == engine


@pytest.mark.parametrize("engine", ENGINES)
def test_truncated_last_line_is_malformed_with_its_line(engine: Engine) -> None:
    data = b"id,age,sex\n1,40,1\n2,9,2\n3,3"
    table = read_csv_bytes(data, "p.csv", engine=engine)
    assert cells(table)["id"] == ["1", "2"]
    lay = table.layout
    assert lay.malformed.tolist() == [2]
    assert lay.malformed_fields.tolist() == [2]
    assert lay.line_of(lay.malformed).tolist() == [4]
    assert lay.n_records == 3
    assert parsed_by(table) == engine  # the fast path locates malformed lines itself


@pytest.mark.parametrize("engine", ENGINES)
def test_ten_thousand_field_line_is_malformed(engine: Engine) -> None:
    wide = ",".join(["x"] * 10_000)
    data = f"id,age\n1,40\n{wide}\n2,9\n".encode()
    table = read_csv_bytes(data, "p.csv", engine=engine)
    assert cells(table)["id"] == ["1", "2"]
    assert table.layout.malformed_fields.tolist() == [10_000]
    assert table.layout.line_of(table.layout.malformed).tolist() == [3]
    assert lines(table) == [2, 4]


@pytest.mark.parametrize("engine", ENGINES)
def test_ten_thousand_column_header(engine: Engine) -> None:
    names = [f"c{i}" for i in range(10_000)]
    data = (",".join(names) + "\n" + ",".join("1" for _ in names) + "\n").encode()
    table = read_csv_bytes(data, "w.csv", engine=engine)
    assert len(table.header) == 10_000
    assert cells(table)["c9999"] == ["1"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("data", [b"", b"\n\n", b"\r\n", codecs.BOM_UTF8])
def test_empty_file_is_a_clear_error(engine: Engine, data: bytes) -> None:
    with pytest.raises(FileFormatError, match=r"e\.csv:1: the file is empty: a header line"):
        read_csv_bytes(data, "e.csv", engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_header_only_file_has_no_records(engine: Engine) -> None:
    table = read_csv_bytes(b"id,age\n", "h.csv", engine=engine)
    assert table.header == ("id", "age")
    assert table.layout.n_records == 0
    assert cells(table) == {"id": [], "age": []}


@pytest.mark.parametrize("engine", ENGINES)
def test_windows_1258_file_is_refused_with_offset_and_line(engine: Engine) -> None:
    data = "id,tên\n1,Tên\n".encode("cp1258")
    with pytest.raises(FileFormatError) as err:
        read_csv_bytes(data, "p.csv", engine=engine)
    assert err.value.line == 1
    assert err.value.offset == data.index(b"\xea")
    assert "not UTF-8" in str(err.value)
    assert "Windows-1258" in str(err.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_mixed_encodings_point_at_the_first_bad_line(engine: Engine) -> None:
    data = "id,name\n1,Nguyễn\n2,Trần\n".encode() + "3,Tên\n".encode("cp1258") + b"4,x\n"
    with pytest.raises(FileFormatError) as err:
        read_csv_bytes(data, "p.csv", engine=engine)
    assert err.value.line == 4
    assert str(err.value).startswith("p.csv:4: the file is not UTF-8 (byte 0xea at offset")


@pytest.mark.parametrize("engine", ENGINES)
def test_utf16_is_named(engine: Engine) -> None:
    data = "id,name\n1,Nguyễn\n".encode("utf-16")
    with pytest.raises(FileFormatError, match="looks like UTF-16"):
        read_csv_bytes(data, "p.csv", engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_explicit_legacy_encoding_is_decoded_and_composed(engine: Engine) -> None:
    data = "id,tên\n1,Tên\n".encode("cp1258")
    table = read_csv_bytes(data, "p.csv", encoding="cp1258", engine=engine)
    assert cells(table) == {"id": ["1"], "tên": ["Tên"]}


@pytest.mark.parametrize("engine", ENGINES)
def test_duplicate_header_is_refused(engine: Engine) -> None:
    with pytest.raises(FileFormatError, match="column 'age' appears twice"):
        read_csv_bytes(b"id,age, age\n1,2,3\n", "p.csv", engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_blank_header_names_are_numbered(engine: Engine) -> None:
    table = read_csv_bytes(b"id,,age,\n1,,2,\n", "p.csv", engine=engine)
    assert table.header == ("id", "<column 2>", "age", "<column 4>")


def test_huge_cell_is_an_error_with_its_line() -> None:
    data = b'id,note\n1,x\n2,"' + b"y" * (1 << 25) + b'"\n'
    with pytest.raises(FileFormatError, match=r"p\.csv:3: field larger than field limit"):
        read_csv_bytes(data, "p.csv", engine="python")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"nope\.csv: no such file"):
        read_csv(tmp_path / "nope.csv")


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown CSV engine 'fast'"):
        read_csv_bytes(b"a\n1\n", "x.csv", engine="fast")  # type: ignore[arg-type]


def test_dictionary_hint_reads_codes_encoded() -> None:
    table = read_csv_bytes(
        b"id,flag\n1,1\n2,0\n3,1\n", "p.csv", engine="pyarrow", dictionary={"flag"}
    )
    batch = next(table.iter_batches())
    assert str(batch["flag"].type).startswith("dictionary")
    assert cells(table)["flag"] == ["1", "0", "1"]


# -- the engines agree with the standard library on random tables ------------------------

_CELL = st.text(
    alphabet=st.sampled_from(list('ab01 ,;"\nđữ\t-')),
    max_size=6,
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], str]:
    n_cols = draw(st.integers(1, 4))
    header = [f"c{i}" for i in range(n_cols)]
    rows = draw(
        st.lists(
            st.lists(_CELL, min_size=n_cols, max_size=n_cols)
            | st.lists(_CELL, min_size=1, max_size=n_cols + 2),
            max_size=8,
        )
    )
    return header, rows, draw(st.sampled_from([",", ";"]))


def _expected(
    header: list[str], rows: list[list[str]], delim: str
) -> tuple[str, list[list[str]], list[int], list[int]]:
    """Write with the stdlib; the expected records are what the stdlib reads back."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delim, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    next(reader)
    good, bad, starts = [], [], []
    start = 2
    for row in reader:
        line, start = start, reader.line_num + 1
        if not row:
            continue
        if len(row) == len(header):
            good.append(row)
            starts.append(line)
        else:
            bad.append(line)
    return text, good, starts, bad


@settings(max_examples=150, deadline=None)
@given(tables())
def test_engines_agree_with_the_standard_library(
    case: tuple[list[str], list[list[str]], str],
) -> None:
    header, rows, delim = case
    text, good, starts, bad = _expected(header, rows, delim)
    for engine in ENGINES:
        table = read_csv_bytes(text.encode(), "r.csv", engine=engine, delimiter=delim)
        assert table.header == tuple(header)
        got = cells(table)
        assert [list(r) for r in zip(*got.values(), strict=True)] == good, engine
        assert lines(table) == starts, engine
        lay = table.layout
        assert lay.line_of(lay.malformed).tolist() == bad, engine
        assert np.array_equal(lay.kept, np.sort(lay.kept))


# -- number columns parsed as numbers first ---------------------------------------------


def _age_is_int(header: str) -> NumberKind | None:
    return "int16" if header == "age" else None


def test_numbers_hint_parses_plain_numbers_typed() -> None:
    table = read_csv_bytes(
        b"id,age\n007,40\n008,\n", "p.csv", engine="pyarrow", numbers=_age_is_int
    )
    batch = next(table.iter_batches())
    assert str(batch["age"].type) == "int16" and batch["age"].null_count == 1
    assert cells(table) == {"id": ["007", "008"], "age": ["40", ""]}


@pytest.mark.parametrize("cell", ["forty", "40.0", "NA", "1e3", "4;0", "40000"])
def test_numbers_hint_falls_back_to_text_for_anything_else(cell: str) -> None:
    data = f"id,age\n007,{cell}\n008,9\n".encode()
    table = read_csv_bytes(data, "p.csv", engine="pyarrow", numbers=_age_is_int)
    batch = next(table.iter_batches())
    assert str(batch["age"].type) == "string"
    assert cells(table) == {"id": ["007", "008"], "age": [cell, "9"]}


_NUMBERISH = st.sampled_from(["", "0", "1", "2", "40", "255", "300", "-1", " 4", "4.0", "x", "NA"])


@settings(max_examples=60, deadline=None)
@pytest.mark.filterwarnings("ignore::learnsoc.io.convert.PlaceholderWarning")  # words: own test
@given(st.lists(st.tuples(_NUMBERISH, _NUMBERISH, _NUMBERISH), min_size=1, max_size=6))
def test_typed_and_text_reading_give_the_same_population(
    rows: list[tuple[str, str, str]],
) -> None:
    """Ages, yes/no and counts read as numbers first give what the exact engine gives."""
    import tempfile

    from tests.io.helpers import files, problems, read

    lines = ["person_id,household_id,age,literate,learning_hours"]
    lines += [f"{i},H{i % 3 + 1},{a},{b},{c}" for i, (a, b, c) in enumerate(rows, 1)]
    with tempfile.TemporaryDirectory() as tmp:
        paths = files(Path(tmp), persons="\n".join(lines) + "\n")
        exact = read(paths, engine="python")
        fast = read(paths, engine="pyarrow")
    assert fast == exact
    assert problems(fast) == problems(exact)
