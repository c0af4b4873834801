"""Hostile conditions: each is refused with a RulebookError, quickly and without side effects.

Also fuzz tests: random text and random Python-like expressions either compile (and then
evaluate without error) or raise RulebookError; never another exception. And hostile
files: rule, target and mapping files are all read through one bounded helper, so a
device, a pipe, a huge or deeply nested file, an enormous integer or an ``extends`` that
reaches outside the rulebook's folder is the file's own error, quickly.
"""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnsoc.errors import RulebookError
from learnsoc.io.files import FileFormatError
from learnsoc.io.mapping import MappingError, read_mapping
from learnsoc.rules.compiler import compile_condition, compile_expression
from learnsoc.rules.language import MAX_LENGTH, Aggregate, Call, MemberName, Name, to_source, walk
from learnsoc.rules.rulebook import bundled_directory, parse_rulebook, read_rulebook
from learnsoc.targets.targets import TargetFileError, load_targets
from tests.strategies import HOUSEHOLD, SCOPES, VILLAGE, expressions, reference_populations

from .reference import RefPopulation

HOSTILE = [
    # attribute access to dunder names, and escapes through the object graph
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "members.__class__",
    "members._private > 1",
    "__builtins__",
    "__x > 1",
    "rural.__init__.__globals__",
    "share(members.__dict__) > 0",
    # imports and builtins
    "__import__('os').system('echo pwned')",
    "__import__('os')",
    "open('/etc/passwd')",
    "open",
    "eval",
    "eval('1')",
    "exec('import os')",
    "compile('1', '', 'eval')",
    "getattr(rural, 'x')",
    "globals()",
    "breakpoint()",
    "print(rural)",
    "type(rural)",
    "id",
    # statements are not expressions
    "import os",
    "rural; income",
    "rural = 1",
    "del rural",
    "assert rural",
    # lambdas, comprehensions, generators
    "lambda: 1",
    "(lambda: 1)()",
    "[x for x in members]",
    "{x: 1 for x in members}",
    "{x for x in members}",
    "(x for x in members)",
    "any(x for x in members)",
    # huge numbers and exponents
    "9**9**9",
    "2 ** 10000",
    "9 ** 9 ** 9 ** 9 > 1",
    "rooms > " + "9" * 1990,
    "1" * 10_000,
    "1" * 1999,
    "rooms > 0x" + "f" * 60,
    "income > 1e309",
    "income > 1e16",
    "rooms > 10 ** 100",
    # deep nesting
    "(" * 10_000 + ")" * 10_000,
    "(" * 10_000 + "rural" + ")" * 10_000,
    "(" * 200 + "rural" + ")" * 200,
    "[" * 200 + "]" * 200,
    "not " * 400 + "rural",
    "-" * 1900 + "rooms > 1",
    "rooms" + " + rooms" * 250 + " > 1",
    "abs(" * 60 + "rooms" + ")" * 60 + " > 1",
    # enormous literals and inputs
    "'" + "a" * 1_000_000 + "'",
    "'" + "a" * 1500 + "' == region",
    "rural" + " " * 100_000,
    "rural and " * 1000 + "rural",
    # odd unicode, null bytes, invisible characters
    "rural\x00",
    "rural \x00and rural",
    "\ufeffrural",
    "rural\u202e and rural",
    "rur\u200bal",
    "ｒｕｒａｌ",
    "rural and \udcff",
    "region == 'north\x00'",
    "region == '\u202enorth'",
    "rural\x0cand rural",
    "rural \\\n and rural \\",
    # f-strings, walrus, yield, await, starred
    "f'{rural}'",
    "f'{__import__(\"os\")}' == region",
    "(y := 1)",
    "(rural := True)",
    "yield rural",
    "await rural",
    "*members",
    "abs(*rooms) > 1",
    "share(*members) > 0",
    "share(members.learning, *members) > 0",
    # subscripts and slices
    "rooms[0] > 1",
    "members[0].age > 1",
    "members['age'] > 1",
    "rooms[::-1] > 1",
    # keyword arguments other than where=
    "share(members.learning, key=1) > 0",
    "share(members.learning, where=members.literate, where=members.literate) > 0",
    "share(members.learning, **{'where': members.literate}) > 0",
    "abs(rooms, where=rural) > 1",
    "count(members, by=members.age) > 1",
    # other Python expressions
    "rural if income else rural",
    "b'x' == region",
    "1j > income",
    "... == rural",
    "None",
    "rural is not None",
    "rooms @ rooms",
    "rooms << 1 > 0",
    "rooms // 2 > 0",
    "rooms % 2 == 0",
    "rural & rural",
    "~rural",
    "rooms in [1, 2]",
    "{'a': 1}",
    "{1, 2}",
    "(1, 2)",
    "[rooms]",
    # not a string at all
    b"rural",
    None,
    42,
]


def _label(case: object) -> str:
    text = repr(case)
    return text if len(text) <= 40 else text[:37] + "..."


@pytest.mark.parametrize("text", HOSTILE, ids=[_label(c) for c in HOSTILE])
def test_hostile_condition_is_refused(text: object) -> None:
    """Each hostile condition raises RulebookError, with a message of bounded size."""
    with pytest.raises(RulebookError) as info:
        compile_condition(text, HOUSEHOLD, file="evil.toml", line=3, column=14)  # type: ignore[arg-type]
    err = info.value
    assert err.file == "evil.toml"
    assert len(str(err)) < MAX_LENGTH + 500


def test_builtin_names_never_resolve() -> None:
    """No builtin is reachable as a name or a function, whatever the scope declares."""
    for name in dir(builtins):
        if name.startswith("_") or name in ("True", "False"):  # literals of the language
            continue
        with pytest.raises(RulebookError):
            compile_condition(f"{name}", HOUSEHOLD)
        with pytest.raises(RulebookError):
            compile_condition(f"{name}(rural)", HOUSEHOLD)


def test_dunder_methods_never_resolve() -> None:
    """No dunder can be reached as a member name, a method, or a name."""
    for name in ("__class__", "__dict__", "__globals__", "__code__", "__reduce__", "__init__"):
        for text in (f"{name}", f"rural.{name}", f"any(members.{name})", f"rooms.{name}(1)"):
            with pytest.raises(RulebookError):
                compile_condition(text, HOUSEHOLD)


# --------------------------------------------------------------------------------- fuzzing


def _compile_and_run(text: str, pop: RefPopulation, scope_index: int) -> None:
    """Compile for a scope; if it compiles, evaluate it. Only RulebookError may escape."""
    scope = SCOPES[scope_index]
    try:
        compiled = compile_expression(text, scope)
    except RulebookError:
        return
    for node in walk(compiled.ir):
        # Anything that compiled is made only of the IR's own node types.
        if isinstance(node, Name):
            assert node.name in scope.names
        elif isinstance(node, MemberName | Aggregate):
            assert node.collection in scope.collections
        elif isinstance(node, Call):
            assert node.func in ("abs", "between", "isin")
    value = compiled.evaluate(pop.context())
    assert len(value) == pop.sizes[scope.level]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=80), pop=reference_populations(max_persons=6), scope=st.integers(0, 2))
def test_random_text_only_raises_rulebook_errors(text: str, pop: RefPopulation, scope: int) -> None:
    """Arbitrary unicode text never raises anything but RulebookError."""
    _compile_and_run(text, pop, scope)


_TOKENS = st.sampled_from(
    [
        "rural",
        "income",
        "rooms",
        "region",
        "score",
        "ok",
        "members",
        "households",
        "members.age",
        "members.hours",
        "members.literate",
        "members.learning",
        "members.sex",
        "members.qual",
        "households.rural",
        "households.income",
        "age",
        "x",
        "open",
        "eval",
        "__class__",
        "__import__",
        "_x",
        "True",
        "False",
        "None",
        "0",
        "1",
        "-1",
        "0.5",
        "1e308",
        "10**20",
        "'north'",
        "'female'",
        "'nữ'",
        "b'x'",
        "f'{x}'",
        "...",
        "1j",
    ]
)
_BINARY = st.sampled_from(
    [
        "+",
        "-",
        "*",
        "/",
        "//",
        "%",
        "**",
        "@",
        "&",
        "|",
        "^",
        "<<",
        ">>",
        " and ",
        " or ",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        " in ",
        " not in ",
        " is ",
        " is not ",
    ]
)
_UNARY = st.sampled_from(["not ", "-", "+", "~", "*", "**", "await ", "yield "])
_FUNCS = st.sampled_from(
    [
        "count",
        "share",
        "all",
        "any",
        "sum",
        "mean",
        "min",
        "max",
        "abs",
        "len",
        "open",
        "__import__",
        "getattr",
    ]
)
_ATTRS = st.sampled_from(["between", "isin", "age", "__class__", "mean", "x"])


def _python_like(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One level of Python expression syntax, allowed and forbidden alike."""
    args = st.lists(children, max_size=3).map(", ".join)
    kwargs = st.lists(
        st.tuples(st.sampled_from(["where", "key", "x"]), children).map(
            lambda kv: f"{kv[0]}={kv[1]}"
        ),
        max_size=2,
    ).map(", ".join)
    return st.one_of(
        st.tuples(children, _BINARY, children).map("".join),
        st.tuples(_UNARY, children).map("".join),
        children.map(lambda c: f"({c})"),
        st.tuples(_FUNCS, args, kwargs).map(
            lambda t: f"{t[0]}({', '.join(p for p in t[1:] if p)})"
        ),
        st.tuples(children, _ATTRS, args).map(lambda t: f"{t[0]}.{t[1]}({t[2]})"),
        st.tuples(children, _ATTRS).map(lambda t: f"{t[0]}.{t[1]}"),
        args.map(lambda a: f"[{a}]"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        children.map(lambda c: f"lambda: {c}"),
        st.tuples(children, children).map(lambda t: f"[{t[0]} for x in {t[1]}]"),
        st.tuples(children, children, children).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
        children.map(lambda c: f"(y := {c})"),
    )


_PYTHON_LIKE = st.recursive(_TOKENS, _python_like, max_leaves=12)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_PYTHON_LIKE, pop=reference_populations(max_persons=6), scope=st.integers(0, 2))
def test_random_python_expressions_only_raise_rulebook_errors(
    text: str, pop: RefPopulation, scope: int
) -> None:
    """Random Python expressions (many outside the grammar) compile or raise RulebookError."""
    _compile_and_run(text, pop, scope)


def test_fuzz_grammar_reaches_valid_conditions() -> None:
    """The random-expression grammar does produce conditions that compile (it is not all noise)."""
    compiled = compile_condition(
        "share(members.learning, where=members.age > 1) > 0.5 and rural", HOUSEHOLD
    )
    assert compiled.type.kind == "bool"
    assert compile_condition("share(households.rural) >= 0.7", VILLAGE).collections == {
        "households"
    }


@pytest.mark.parametrize("text", ["1and rural", "region == '\\d'", "rooms > 0x1for"])
def test_parser_warnings_are_errors(text: str) -> None:
    """What Python only warns about is refused, whatever the warning filters say."""
    with pytest.raises(RulebookError, match="invalid"):
        compile_condition(text, HOUSEHOLD)


def _mutations(text: str) -> st.SearchStrategy[str]:
    """Small edits of a valid condition: cut a slice, or insert a token somewhere."""
    positions = st.integers(0, len(text))
    cut = st.tuples(positions, positions).map(lambda ij: text[: min(ij)] + text[max(ij) :])
    insert = st.tuples(positions, _TOKENS | _BINARY | st.sampled_from(["(", ")", ",", "."])).map(
        lambda pt: text[: pt[0]] + pt[1] + text[pt[0] :]
    )
    return cut | insert


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), pop=reference_populations(max_persons=6))
def test_near_valid_conditions_only_raise_rulebook_errors(
    data: st.DataObject, pop: RefPopulation
) -> None:
    """Valid conditions with a random cut or insertion compile or raise RulebookError."""
    scope_index = data.draw(st.integers(0, 2))
    expr = data.draw(expressions(SCOPES[scope_index], "bool", depth=3))
    text = data.draw(_mutations(to_source(expr)))
    _compile_and_run(text, pop, scope_index)


# ---------------------------------------------------------------------------- hostile files

#: For each kind of file: its loader, the error for the file itself (missing, a device,
#: too big), the error for its content, and a table it must have.
LOADERS: dict[str, tuple[Callable[[Path], Any], type[Exception], type[Exception], str]] = {
    "rulebook": (read_rulebook, RulebookError, RulebookError, "rulebook"),
    "target file": (load_targets, TargetFileError, TargetFileError, "target_set"),
    "mapping file": (read_mapping, FileFormatError, MappingError, "mapping"),
}
KINDS = list(LOADERS)

_CHILD = """
import sys
from pathlib import Path
from learnsoc.io.mapping import read_mapping
from learnsoc.rules.rulebook import read_rulebook
from learnsoc.targets import load_targets
load = {"rulebook": read_rulebook, "target file": load_targets, "mapping file": read_mapping}
try:
    load[sys.argv[1]](Path(sys.argv[2]))
except Exception as err:
    print(type(err).__name__, err)
"""


def _load_in_child(kind: str, path: Path) -> str:
    """Load a file in a child process with 1 GiB of address space and 60 s.

    Before the fix these files made loaders read forever (/dev/zero), wait forever (a
    FIFO) or read gigabytes: the child fails or times out instead of the test session.
    """

    def limit_memory() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,  # the child starts no threads before it runs
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX devices and FIFOs")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_devices_and_pipes_are_refused_without_reading(
    kind: str, special: str, tmp_path: Path
) -> None:
    """/dev/zero (never ends) and a FIFO nobody writes to (never opens) are refused at once."""
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "pipe.toml"
        os.mkfifo(path)
    error = LOADERS[kind][1].__name__
    assert _load_in_child(kind, path) == (
        f"{error} {path}: cannot read the {kind}: it is not a regular file "
        "(a device, a pipe or a socket)"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="sparse files and rlimits are POSIX")
@pytest.mark.parametrize("kind", KINDS)
def test_a_huge_file_is_refused_by_its_size_before_reading(kind: str, tmp_path: Path) -> None:
    """A 4 GiB (sparse) file is refused from its stat; nothing is read."""
    path = tmp_path / "huge.toml"
    with path.open("wb") as fp:
        fp.truncate(4 << 30)
    error = LOADERS[kind][1].__name__
    assert _load_in_child(kind, path) == (
        f"{error} {path}: the file is 4,294,967,296 bytes; {kind}s are limited to 1,048,576 bytes"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_directory_is_refused_as_a_file(kind: str, tmp_path: Path) -> None:
    """A folder given as the file is the file's error, not an IsADirectoryError."""
    load, file_error, _, _ = LOADERS[kind]
    path = tmp_path / "folder.toml"
    path.mkdir()
    with pytest.raises(file_error) as info:
        load(path)
    assert str(info.value) == f"{path}: cannot read the {kind}: it is a directory, not a file"


HOSTILE_TOML = {
    "5,000-digit integer": ("x = " + "7" * 5000, "integer out of range (more than 4,300 digits)"),
    "negative 5,000-digit integer": ("x = -" + "7" * 5000, "integer out of range (more"),
    "integer over 64 bits": ("x = 0x" + "f" * 5000, "integer out of range: TOML integers are 64"),
    "arrays 5,000 deep": ("x = " + "[" * 5000 + "]" * 5000, "nested more than 20 levels deep"),
    "inline tables 5,000 deep": (
        "x = " + "{ a = " * 5000 + "1" + " }" * 5000,
        "nested more than 20 levels deep",
    ),
    "dotted key 5,000 deep": ("x" + ".a" * 5000 + " = 1", "nested more than 20 levels deep"),
    "dotted key 5,000 deep in an inline table": (
        "x = { a" + ".a" * 5000 + " = 1 }",
        "nested more than 20 levels deep",
    ),
    "table header 5,000 deep": ("[x" + ".a" * 5000 + "]", "nested more than 20 levels deep"),
    "array of tables 5,000 deep": ("[[x" + ".a" * 5000 + "]]", "nested more than 20 levels deep"),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", list(HOSTILE_TOML))
def test_hostile_toml_is_the_files_own_error_with_its_line(
    kind: str, case: str, tmp_path: Path
) -> None:
    """Huge integers and deep nesting are the file's error class naming file and line.

    They used to escape as a bare ValueError (Python's 4,300-digit limit) or a
    RecursionError.
    """
    load, _, content_error, top = LOADERS[kind]
    text, words = HOSTILE_TOML[case]
    path = tmp_path / "hostile.toml"
    path.write_text(f"# {case}\n[{top}]\n{text}\n", encoding="utf-8")
    with pytest.raises(content_error) as info:
        load(path)
    err = info.value
    assert isinstance(err, RulebookError)
    assert words in str(err)
    assert (err.file, err.line) == (str(path), 3)
    assert str(err).startswith(f"{path}:3")
    assert len(str(err)) < 400


@pytest.mark.parametrize("kind", KINDS)
def test_a_key_of_half_a_million_characters_is_named_cut(kind: str, tmp_path: Path) -> None:
    """An unknown key was written out whole, twice: a 2 MB error message for a 1 MB file."""
    load, _, content_error, top = LOADERS[kind]
    key = "k" * 500_000
    path = tmp_path / "hostile.toml"
    path.write_text(f"# a long key\n[{top}]\n{key} = 1\n", encoding="utf-8")
    with pytest.raises(content_error) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3")
    assert f"unknown key '{'k' * 80}…'" in message
    assert len(message) < 200 + len(str(path)) + 300  # the allowed keys listed, at most


# ------------------------------------------------------------------- extends stays at home

_CHILD_BOOK = """
[rulebook]
id = "child"
name = {{ vi = "Con", en = "Child" }}
version = "1"
extends = "{extends}"
"""


def _base(folder: Path, name: str = "base.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (bundled_directory() / "example.toml").read_text(encoding="utf-8")
    path = folder / name
    path.write_text(text.replace('id = "example"', 'id = "base"'), encoding="utf-8")
    return path


def _child(folder: Path, extends: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "child.toml"
    path.write_text(textwrap.dedent(_CHILD_BOOK.format(extends=extends)), encoding="utf-8")
    return path


def test_extends_reads_files_beside_and_below_the_rulebook(tmp_path: Path) -> None:
    """A sibling, a file in a subfolder and a bundled id are all allowed."""
    home = tmp_path / "home"
    _base(home)
    _base(home / "parents", "national.toml")
    for extends in ("base.toml", "./base.toml", "parents/national.toml", "parents/../base.toml"):
        assert read_rulebook(_child(home, extends)).info.extends == extends
    assert read_rulebook(_child(home, "example")).title("learning_family").level == "household"


_REFUSED = (
    "extends = {!r} is refused: extends must name a bundled rulebook (such as "
    "'vn-national') or a .toml file beside this one: in its folder or a folder below, "
    "written relative to it"
)


def test_extends_outside_the_folder_is_refused_without_saying_what_is_there(
    tmp_path: Path,
) -> None:
    """Outside paths all get one sentence: nothing tells if a file exists, is readable or TOML.

    Before, ``extends = "/etc/shadow"`` said "permission denied", a missing path said
    "no such file" and a file that was not a rulebook said what was wrong with it.
    """
    home = tmp_path / "home"
    outside = tmp_path / "outside"
    _base(outside)
    (outside / "not-toml.toml").write_text("[[[ not TOML", encoding="utf-8")
    locked = outside / "locked.toml"
    locked.write_text("x = 1", encoding="utf-8")
    locked.chmod(0)
    candidates = [
        "../outside/base.toml",  # a valid rulebook
        "../outside/not-toml.toml",  # exists, not TOML
        "../outside/locked.toml",  # exists, unreadable
        "../outside/missing.toml",  # does not exist
        "../outside",  # a folder
        str(outside / "base.toml"),  # absolute
        "/etc/shadow",
        "/etc/passwd",
        "sub/../../outside/base.toml",
        "../" * 40 + "etc/passwd",
    ]
    for extends in candidates:
        with pytest.raises(RulebookError) as info:
            read_rulebook(_child(home, extends))
        message = str(info.value)
        assert message == f"{home / 'child.toml'}:6:1 [rulebook.extends]: " + _REFUSED.format(
            extends
        ), extends


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_extends_resolves_symlinks_before_checking(tmp_path: Path) -> None:
    """A link in the folder that points outside is refused; one that stays inside is fine."""
    home = tmp_path / "home"
    outside_base = _base(tmp_path / "outside")
    inside_base = _base(home)
    (home / "escape.toml").symlink_to(outside_base)
    (home / "sub").mkdir()
    (home / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (home / "alias.toml").symlink_to(inside_base)
    for extends in ("escape.toml", "sub/up/outside/base.toml"):
        with pytest.raises(RulebookError) as info:
            read_rulebook(_child(home, extends))
        assert str(info.value).endswith(_REFUSED.format(extends))
    assert read_rulebook(_child(home, "alias.toml")).info.extends == "alias.toml"


def test_extends_by_path_needs_a_folder(tmp_path: Path) -> None:
    """A rulebook given as text without a folder may extend bundled rulebooks only.

    (It used to look the path up from the current directory.)
    """
    text = textwrap.dedent(_CHILD_BOOK.format(extends="base.toml"))
    with pytest.raises(RulebookError, match=r"'base\.toml' is refused: extends must name"):
        parse_rulebook(text, file="child.toml")
    _base(tmp_path)
    assert parse_rulebook(text, file="child.toml", directory=str(tmp_path)).id == "child"


def test_a_target_path_without_toml_suffix_is_read_as_a_path() -> None:
    """``/dev/zero`` given as a target set is a path refused as a device, not a set name."""
    with pytest.raises(TargetFileError, match="it is not a regular file"):
        load_targets("/dev/zero")
