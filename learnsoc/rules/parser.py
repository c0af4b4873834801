"""Parse a rule condition's text into the expression tree, refusing anything outside the grammar.

A rule condition is a string such as ``age >= 15 and literate`` or
``share(members.learning_citizen, where=members.age >= 15) >= 0.5``. It is parsed with
:func:`ast.parse` and an explicit allow-list of syntax nodes; everything else is refused
with a :class:`~learnsoc.errors.RulebookError` that names the file, line and column.
The result is a tree of :mod:`learnsoc.rules.ir` nodes.

Nothing in a condition ever reaches ``eval``, ``exec`` or ``compile``: the text is only
tokenized and parsed, and the tree is rebuilt node by node from the allow-list.

Limits (checked before :func:`ast.parse`, which can exhaust the C stack on deep input):
at most :data:`~learnsoc.rules.ir.MAX_LENGTH` characters,
:data:`~learnsoc.rules.ir.MAX_DEPTH` levels of nesting, :data:`~learnsoc.rules.ir.MAX_NODES`
syntax nodes, integer and float literals of magnitude at most
:data:`~learnsoc.rules.ir.MAX_MAGNITUDE`, and text literals of at most
:data:`~learnsoc.rules.ir.MAX_STRING` characters.

Examples
--------
>>> from learnsoc.rules.ir import names_used, to_source
>>> expr = parse_condition("6 <= age <= 17 and not in_school")
>>> print(to_source(expr))
6 <= age and age <= 17 and not in_school
>>> sorted(names_used(expr))
['age', 'in_school']
"""

from __future__ import annotations

import ast
import io
import tokenize
import typing
import unicodedata
import warnings
from collections.abc import Collection, Mapping

from learnsoc._messages import N_, Message
from learnsoc.errors import RulebookError
from learnsoc.rules._convert import Converter, Source
from learnsoc.rules.ir import MAX_DEPTH, MAX_LENGTH, MAX_MAGNITUDE, MAX_NODES, Expr

__all__ = ["parse_condition"]

_OPEN = "([{"
_CLOSE = ")]}"
_UNARY_TOKENS = frozenset({"-", "+", "~", "not"})
_ALLOWED_CONTROL = frozenset("\t\n\r")
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def parse_condition(
    text: str,
    *,
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
    constants: Mapping[str, bool | int | float] | None = None,
    parameters: Collection[str] = (),
) -> Expr:
    """Parse a rule condition into the IR, refusing anything outside the grammar.

    Parameters
    ----------
    text : str
        The condition, e.g. ``"age >= 15 and literate"``. It may span several lines
        (a TOML multi-line string) and contain ``#`` comments.
    file : str, optional
        The rule file, for error messages.
    line, column : int, optional
        1-based position in ``file`` where ``text`` starts (default 1, 1); positions in
        errors and spans are absolute in the file. Escapes in the TOML string before a
        node shift its reported column.
    constants : mapping of str to bool, int or float, optional
        Names that stand for a value (a rulebook's parameters): each becomes a
        :class:`~learnsoc.rules.ir.Literal` wherever it appears, inside aggregates and
        ``isin`` lists too.
    parameters : collection of str, optional
        Names that stand for a value given later: each becomes a
        :class:`~learnsoc.rules.ir.Param` placeholder, allowed where a constant is, for
        :func:`~learnsoc.rules.ir.bind_parameters` to fill in (a rulebook's conditions are
        parsed once at load this way). A name in ``constants`` takes its value.

    Returns
    -------
    Expr
        The expression tree (:mod:`learnsoc.rules.ir`). Names are not checked here: see
        :func:`learnsoc.rules.typecheck.typecheck`.

    Raises
    ------
    RulebookError
        For text outside the grammar or over the limits, with file, line and column.

    Examples
    --------
    >>> parse_condition("age >= 15")
    Compare(op='>=', left=Name(name='age'), right=Literal(value=15, kind='int'))
    >>> parse_condition("x ** 2 > 1", file="rules.toml", line=7, column=13)
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: rules.toml:7:13: the power operator '**' is not allowed
    >>> from learnsoc.rules.ir import to_source
    >>> to_source(parse_condition("count(members, where=members.age >= adult) > 0",
    ...                           constants={"adult": 19}))
    'count(members, where=members.age >= 19) > 0'
    """
    base_line = 1 if line is None else line
    base_col = 1 if column is None else column
    if not isinstance(typing.cast(object, text), str):
        msg = Message(N_("a rule condition must be text, not {type}"), type=type(text).__name__)
        raise RulebookError(str(msg), file=file, line=line, column=column).translatable(msg)
    if not text.strip():
        msg = Message(N_("rule condition is empty"))
        raise RulebookError(str(msg), file=file, line=line, column=column).translatable(msg)
    if len(text) > MAX_LENGTH:
        msg = Message(
            N_(
                "rule condition is {n} characters long; the limit is {limit}: split it "
                "into derived variables"
            ),
            n=len(text),
            limit=MAX_LENGTH,
        )
        raise RulebookError(str(msg), file=file, line=line, column=column).translatable(msg)
    # Wrapping in parentheses lets a condition span lines and start with spaces, as
    # TOML multi-line strings do; the pre-scan keeps ")(" from escaping the wrapper.
    wrapped = "(" + text + "\n)"
    src = Source(wrapped.split("\n"), file, base_line, base_col)
    _prescan(text, src)
    try:
        # Warnings the parser emits (invalid escapes, "1and") are errors here: a rule is
        # either valid or refused, never accepted with a warning printed somewhere.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            tree = ast.parse(wrapped, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, src) from None
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        msg = Message(
            N_("rule condition is too complex to parse ({type})"), type=type(exc).__name__
        )
        raise src.error(msg, None) from None
    _check_size(tree, src)
    return Converter(src, constants, parameters).convert(tree.body, None)


def _syntax_error(exc: SyntaxError, src: Source) -> RulebookError:
    rel_line = exc.lineno or 1
    rel_col = max((exc.offset or 1) - 1, 0)
    if rel_line > len(src.lines) - 1:
        # The error is at the closing ")" we added: the condition ended too early.
        rel_line = len(src.lines) - 1
        rel_col = len(src.lines[rel_line - 1])
        message = Message(N_("invalid syntax in rule condition: the condition ends too early"))
    else:
        # Python's own words for the problem: they have no translation.
        message = Message(N_("invalid syntax in rule condition: {reason}"), reason=exc.msg)
    return src.error(message, (rel_line, rel_col))


def _prescan(text: str, src: Source) -> None:
    """Refuse odd characters, non-ASCII names and deep nesting before :func:`ast.parse`."""
    line, col = 1, 1  # position in the wrapped text (the "(" is column 0 of line 1)
    for ch in text:
        if ch == "\n":
            line, col = line + 1, 0
            continue
        if ch not in _ALLOWED_CONTROL and unicodedata.category(ch) in _BAD_CATEGORIES:
            msg = Message(
                N_("rule condition contains the invisible or control character U+{code:04X}"),
                code=ord(ch),
            )
            raise src.error(msg, (line, col))
        col += 1
    depth = 0
    unary_run = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER):
                continue
            pos = (tok.start[0], tok.start[1] + (1 if tok.start[0] == 1 else 0))
            if tok.type == tokenize.ERRORTOKEN:
                if tok.string.isspace():
                    continue
                msg = Message(
                    N_("unexpected character {string!r} in rule condition"), string=tok.string
                )
                raise src.error(msg, pos)
            if tok.type == tokenize.NAME and not tok.string.isascii():
                msg = Message(
                    N_(
                        "name {string!r} is not plain ASCII; names are letters a-z, digits and '_' "
                        "(code names with accents go in quotes)"
                    ),
                    string=tok.string,
                )
                raise src.error(msg, pos)
            if tok.type == tokenize.NUMBER and len(tok.string) > 40:
                msg = Message(
                    N_("number literal is too long; the largest magnitude is {limit:.0e}"),
                    limit=MAX_MAGNITUDE,
                )
                raise src.error(msg, pos)
            if tok.string in _OPEN:
                depth += 1
            elif tok.string in _CLOSE:
                depth -= 1
                if depth < 0:
                    msg = Message(N_("unmatched {string!r} in rule condition"), string=tok.string)
                    raise src.error(msg, pos)
            # Runs of operators nest in the parser (each unary one is a level); counting
            # binary ones too only makes the bound a little stricter.
            unary_run = unary_run + 1 if tok.string in _UNARY_TOKENS else 0
            if depth > MAX_DEPTH or unary_run > MAX_DEPTH:
                msg = Message(
                    N_("rule condition is nested more than {limit} levels deep"), limit=MAX_DEPTH
                )
                raise src.error(msg, pos)
    except tokenize.TokenError:
        # Unclosed brackets or strings: ast.parse reports them with a position.
        return
    except SyntaxError as exc:
        raise _syntax_error(exc, src) from None


def _check_size(tree: ast.Expression, src: Source) -> None:
    """Bound the number of nodes and the depth, without recursion."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            msg = Message(
                N_("rule condition has more than {limit} parts; split it into derived variables"),
                limit=MAX_NODES,
            )
            raise src.error(msg, None)
        if depth > MAX_DEPTH:
            msg = Message(
                N_(
                    "rule condition is nested more than {limit} levels deep (a long chain of "
                    "+ or - nests too); split it into derived variables"
                ),
                limit=MAX_DEPTH,
            )
            raise src.error(msg, node)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
