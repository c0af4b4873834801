"""Checking a rulebook's conditions: the names they use, their order and their types.

:class:`ConditionChecker` declares every name a level can use (standard columns, inputs,
derived variables, titles and their companions) and refuses clashes, parses each
condition once (:meth:`ConditionChecker.template`, its parameters left as placeholders)
and binds each parameter's first value into it to find what it depends on, orders
derived variables and titles so that each comes after what it reads (refusing cycles),
and type-checks each condition in that order. Errors carry the file, line and key path
of the condition.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping

from learnsoc._messages import N_, Message
from learnsoc._phrases import LevelName, Phrase
from learnsoc.errors import RulebookError
from learnsoc.rules._raw import At, Entry, RawBook
from learnsoc.rules._values import EntryReader
from learnsoc.rules.compiler import ON_EMPTY
from learnsoc.rules.conditions import bind_values, parse_template
from learnsoc.rules.context import ENTITY_LEVELS, collections, level_rank, standard_names
from learnsoc.rules.entries import Derived, InputSpec, Node, Origin, Parameter, Title
from learnsoc.rules.language import Expr, parameters_used
from learnsoc.rules.rulebook import dependencies, scope_for
from learnsoc.rules.typecheck import check_condition, typecheck
from learnsoc.rules.types import BOOL, ValueType

__all__ = ["ConditionChecker", "key_origin"]


class ConditionChecker(EntryReader):
    """Check the conditions of a rulebook being built (names, order, types)."""

    raw: RawBook
    levels: tuple[str, ...]
    parameters: dict[str, Parameter]

    # -- names, dependencies, types -----------------------------------------------------
    def check_expressions(
        self,
        inputs: list[InputSpec],
        derived_entries: list[tuple[str, str, Entry]],
        titles: list[Title],
    ) -> tuple[dict[str, dict[str, ValueType]], list[Node], list[Derived]]:
        levels = self.levels
        all_levels = (*ENTITY_LEVELS, *levels)
        names: dict[str, dict[str, ValueType]] = {lv: standard_names(lv) for lv in all_levels}
        owner: dict[tuple[str, str], Phrase] = {}  # who declared a name, for clash messages
        standard = Phrase(Message(N_("a standard column")))
        an_input = Phrase(Message(N_("an input")))
        for level in all_levels:
            for name in names[level]:
                owner[(level, name)] = standard
        for spec in inputs:
            names[spec.level][spec.name] = spec.value_type
            owner[(spec.level, spec.name)] = an_input

        def declare(level: str, name: str, what: Phrase, at: At | Origin) -> None:
            if (level, name) in owner:
                msg = Message(
                    N_("{name!r} is already {owner} at level {level!r}; names must differ"),
                    name=name,
                    owner=owner[(level, name)],
                    level=LevelName(level),  # "of persons", "of communes" in words in Vietnamese
                )
                raise at.error(msg)
            if name in collections(level, levels):
                msg = Message(
                    N_("{name!r} is a collection at level {level!r}; choose another name"),
                    name=name,
                    level=LevelName(level),
                )
                raise at.error(msg)
            if name in self.parameters:
                msg = Message(N_("{name!r} is also a parameter; names must differ"), name=name)
                raise at.error(msg)
            owner[(level, name)] = what

        nodes: dict[tuple[str, str], Node] = {}
        node_of_name: dict[tuple[str, str], tuple[str, str]] = {}
        exprs: dict[
            tuple[str, str], list[tuple[str, frozenset[str], tuple[int | None, int | None], Origin]]
        ] = {}
        decl_index: dict[tuple[str, str], int] = {}
        # Each condition parsed once, its parameters left as placeholders.
        templates: dict[tuple[str, str], list[Expr]] = {}
        for level, name, entry in derived_entries:
            declare(level, name, Phrase(Message(N_("a derived variable"))), entry.home)
            key = (level, name)
            nodes[key] = Node("derived", level, name)
            node_of_name[key] = key
            text = typing.cast(str, entry.get("expr"))
            position = entry.place("expr").value_position()
            origin = entry.place("expr").origin()
            template = self.template(text, position, origin)
            exprs[key] = [(text, parameters_used(template), position, origin)]
            templates[key] = [template]
            decl_index[key] = len(decl_index)
        title_by_key: dict[tuple[str, str], Title] = {}
        for title in titles:
            declare(title.level, title.id, Phrase(Message(N_("a title"))), title.origin)
            key = (title.level, title.id)
            for companion in title.companions:
                companion_of = Message(N_("a companion of title {title!r}"), title=title.id)
                declare(title.level, companion, Phrase(companion_of), title.origin)
                node_of_name[(title.level, companion)] = key
            nodes[key] = Node("title", title.level, title.id)
            node_of_name[key] = key
            title_by_key[key] = title
            items = []
            if title.eligible is not None:
                items.append(
                    (
                        title.eligible,
                        title.eligible_parameters,
                        title.eligible_position,
                        key_origin(title.origin, "eligible"),
                    )
                )
            items.extend(
                (c.expr, c.parameters, c.position, key_origin(c.origin, "expr"))
                for version in title.versions
                for c in version.criteria
            )
            exprs[key] = items
            trees = [] if title.eligible_tree is None else [title.eligible_tree]
            templates[key] = trees + [c.tree for v in title.versions for c in v.criteria]
            decl_index[key] = len(decl_index)
        for pname, parameter in self.parameters.items():
            for level in all_levels:
                if (level, pname) in owner:
                    msg = Message(
                        N_("parameter {pname!r} has the name of {owner} at level {level!r}"),
                        pname=pname,
                        owner=owner[(level, pname)],
                        level=LevelName(level),
                    )
                    raise parameter.origin.error(msg)

        # Bind representative values (each parameter's first) for dependencies and types.
        parsed: dict[tuple[str, str], list[Expr]] = {}
        for key, items in exprs.items():
            parsed[key] = [
                self.bind(tree, used, origin)
                for (_, used, _, origin), tree in zip(items, templates[key], strict=True)
            ]
        deps = {key: dependencies(irs, key[0], levels, node_of_name) for key, irs in parsed.items()}
        order = self.topological(nodes, deps, decl_index, exprs)

        # Type-check in order, each step seeing what the earlier steps defined.
        derived_out: list[Derived] = []
        derived_by_key = {(lv, nm): e for lv, nm, e in derived_entries}
        for key in order:
            level, name = key
            scope = scope_for(level, names, levels)
            if key in derived_by_key:
                entry = derived_by_key[key]
                (text, used, position, origin), ir = exprs[key][0], parsed[key][0]
                on_empty = self.choice(entry, "on_empty", ON_EMPTY, "fail")
                typed = _located(functools.partial(typecheck, ir, scope, file=origin.file), origin)
                names[level][name] = typed.type
                derived_out.append(
                    Derived(
                        level=level,
                        name=name,
                        expr=text,
                        value_type=typed.type,
                        label=self.label(entry, "label", required=False),
                        on_empty=on_empty,
                        note=self.text(entry, "note"),
                        parameters=used,
                        origin=entry.home.origin(),
                        position=position,
                        tree=templates[key][0],
                    )
                )
            else:
                for (_, _, _, origin), ir in zip(exprs[key], parsed[key], strict=True):
                    _located(
                        functools.partial(check_condition, ir, scope, file=origin.file), origin
                    )
                title = title_by_key[key]
                names[level][name] = BOOL
                names[level].update(title.companions)
        return names, [nodes[k] for k in order], derived_out

    def template(self, text: str, position: tuple[int | None, int | None], origin: Origin) -> Expr:
        """Parse a condition once, the parameters it names left as placeholders."""
        names = self.parameters.keys()
        return _located(
            lambda: parse_template(text, names, position=position, file=origin.file), origin
        )

    def bind(self, tree: Expr, used: frozenset[str], origin: Origin) -> Expr:
        constants = {name: self.parameters[name].values[0].value for name in used}
        return _located(lambda: bind_values(tree, constants, file=origin.file), origin)

    def topological(
        self,
        nodes: Mapping[tuple[str, str], Node],
        deps: Mapping[tuple[str, str], set[tuple[str, str]]],
        decl_index: Mapping[tuple[str, str], int],
        exprs: Mapping[
            tuple[str, str], list[tuple[str, frozenset[str], tuple[int | None, int | None], Origin]]
        ],
    ) -> list[tuple[str, str]]:
        remaining = {k: set(v) for k, v in deps.items()}
        order: list[tuple[str, str]] = []
        done: set[tuple[str, str]] = set()

        def priority(key: tuple[str, str]) -> tuple[int, int]:
            return (level_rank(key[0], self.levels), decl_index[key])

        while remaining:
            ready = [k for k, d in remaining.items() if d <= done]
            if not ready:
                cycle = _find_cycle(remaining)
                shown = " -> ".join(f"{lv}.{nm}" for lv, nm in cycle)
                origin = exprs[cycle[0]][0][3] if exprs[cycle[0]] else None
                msg = Message(
                    N_("derived variables and titles use each other in a cycle: {shown}"),
                    shown=shown,
                )
                if origin is not None:
                    raise origin.error(msg)
                raise RulebookError(str(msg), file=self.raw.file.name).translatable(msg)
            first = min(ready, key=priority)
            order.append(first)
            done.add(first)
            del remaining[first]
        return order


_T = typing.TypeVar("_T")


def key_origin(origin: Origin, key: str) -> Origin:
    """Return the origin of one key of an entry (``expr`` of a criterion)."""
    return Origin(origin.file, origin.line, f"{origin.key_path}.{key}")


def _bare_message(exc: RulebookError) -> str:
    """Return the (English) message of an error without its ``file:line:col`` prefix."""
    text = exc.english()
    prefix = ""
    if exc.file is not None:
        prefix = exc.file
        if exc.line is not None:
            prefix += f":{exc.line}"
            if exc.column is not None:
                prefix += f":{exc.column}"
    if exc.key_path is not None:
        prefix += f" [{exc.key_path}]" if prefix else f"[{exc.key_path}]"
    return text[len(prefix) + 2 :] if prefix and text.startswith(prefix + ": ") else text


def _located(step: typing.Callable[[], _T], origin: Origin) -> _T:
    """Run a parse or type check; give its error the key path (and a line if it had none)."""
    try:
        return step()
    except RulebookError as exc:
        line, column = (exc.line, exc.column) if exc.line is not None else (origin.line, None)
        located = RulebookError(
            _bare_message(exc),
            file=exc.file or origin.file,
            line=line,
            column=column,
            key_path=exc.key_path or origin.key_path,
        )
        if exc.message_id is not None:  # keep the message translatable at its new place
            located.translatable(exc.message_id, **exc.params)
        raise located from None


def _find_cycle(deps: Mapping[tuple[str, str], set[tuple[str, str]]]) -> list[tuple[str, str]]:
    start = min(deps)
    path = [start]
    seen = {start: 0}
    node = start
    while True:
        nxt = min(d for d in deps[node] if d in deps)
        if nxt in seen:
            return [*path[seen[nxt] :], nxt]
        seen[nxt] = len(path)
        path.append(nxt)
        node = nxt
