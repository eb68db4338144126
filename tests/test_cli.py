"""The command line as a whole: help without heavy imports, version, errors."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from footy import __version__
from footy.cli import COMMANDS, main

LOAD_EVERY_COMMAND = """
import sys, click
from footy.cli import main, COMMANDS
ctx = click.Context(main)
for name in COMMANDS:
    main.get_command(ctx, name).get_help(click.Context(main.get_command(ctx, name)))
print(sorted(m for m in ("tensorflow", "keras", "matplotlib", "sklearn", "penaltyblog",
                          "pandas", "scipy") if m in sys.modules))
"""


def test_help_of_every_command_imports_nothing_heavy():
    out = subprocess.run(
        [sys.executable, "-c", LOAD_EVERY_COMMAND], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_help_lists_every_command_and_version():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output
    version = CliRunner().invoke(main, ["--version"])
    assert version.output.strip() == f"footy, version {__version__}"


def test_unexpected_errors_are_one_line_with_exit_1(monkeypatch, tmp_path):
    import footy.matches

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(footy.matches, "read_matches", boom)
    result = CliRunner().invoke(main, ["features", "--out", str(tmp_path / "f.csv")])
    assert result.exit_code == 1
    assert (
        result.output.strip() == "Error: RuntimeError: disk on fire (run with --debug for details)"
    )
