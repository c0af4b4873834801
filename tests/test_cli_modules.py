"""The command line as a package: each command's module loads when the command runs.

``learnsoc/cli/`` holds one module per command; ``learnsoc --help`` (and a mistyped
option) builds the parser only, so it loads none of them and none of the file readers.
"""

import argparse
import importlib
import json
import subprocess
import sys

import learnsoc.cli

#: What ``learnsoc --help`` imported, in a fresh interpreter.
PROBE = """
import json, sys
from learnsoc.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("learnsoc"))))
"""


def test_help_loads_no_command_module_and_no_reader() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert not [m for m in loaded if m == "learnsoc.io" or m.startswith("learnsoc.io.")]
    commands = {module for module, _ in learnsoc.cli._COMMANDS.values()}
    assert not commands & set(loaded)
    assert "learnsoc.cli._parsers" in loaded  # the probe saw the parser being built


def test_every_command_of_the_parser_has_its_function() -> None:
    parser = learnsoc.cli.build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(learnsoc.cli._COMMANDS) == sorted(sub.choices)
    for name, (module, function) in learnsoc.cli._COMMANDS.items():
        run = getattr(importlib.import_module(module), function)
        assert callable(run), name
        assert module.startswith("learnsoc.cli._"), name


def test_the_names_other_code_imports_from_learnsoc_cli() -> None:
    """scripts/catalogs.py, docs/_ext.py, docs/cli.md and the tests name these."""
    from learnsoc.cli import (
        LOCALE_VARIABLES,
        MAX_REASON_LINES,
        build_parser,
        help_messages,
        main,
        resolve_locale,
    )

    assert MAX_REASON_LINES == 20  # docs/cli.md: "At most 20 lines"
    assert LOCALE_VARIABLES[0] == "LEARNSOC_LOCALE"
    assert resolve_locale(["--locale", "vi"], {}) == "vi"
    assert "show tracebacks" in help_messages()
    assert build_parser("vi").parse_args(["rulebooks"]).locale == "vi"
    assert main(["--version"]) == 0
