"""The README's example and set-up commands stay true."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_example_runs(tmp_path: Path) -> None:
    block = re.search(r"## Example\n\n```python\n(.*?)```", README, re.S)
    assert block is not None
    script = tmp_path / "example.py"
    script.write_text(block.group(1), encoding="utf-8")
    # Run against this checkout even where learnsoc is not installed.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "Tháp tuổi" in done.stdout
    assert "value '140' is out of range (expected 0..120)" in done.stdout


def test_readme_keeps_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    assert README.count("<!-- demo-command -->") == 1
    assert README.count("<!-- test-command -->") == 1
    assert "learnsoc demo" in README.split("<!-- demo-command -->")[1].split("```")[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci
