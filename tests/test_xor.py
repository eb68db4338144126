"""The tutorial's XOR smoke test: trains, reaches 100%, survives every save format."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from footy.cli import main
from footy.errors import BadInputError
from footy.xor import EXPECTED, SAVE_FILES, save_xor, train_xor


@pytest.fixture(scope="module")
def trained():
    return train_xor(seed=0)


def test_xor_reaches_full_accuracy(trained):
    assert trained.accuracy == 1.0
    assert trained.predictions == EXPECTED == [0, 1, 1, 0]
    assert trained.updates % 1000 == 0
    assert 0.0 <= trained.loss < 0.25


def test_xor_save_formats_reload_with_same_predictions(trained, tmp_path):
    results = save_xor(trained.model, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SAVE_FILES)
    assert len(results) == 3
    assert all(preds == EXPECTED for preds in results.values())
    with pytest.raises(BadInputError, match="--force"):
        save_xor(trained.model, tmp_path)
    assert save_xor(trained.model, tmp_path, force=True) == results


def test_xor_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["xor", "--save", str(tmp_path), "--seed", "0"])
    assert result.exit_code == 0, result.output
    assert "binary accuracy: 100%" in result.output
    assert "predictions: [0, 1, 1, 0]" in result.output
    assert result.output.count("saved and reloaded, predictions [0, 1, 1, 0]") == 3
    for name in SAVE_FILES:
        assert (tmp_path / name).is_file()

    again = runner.invoke(main, ["xor", "--save", str(tmp_path)])
    assert again.exit_code == 2
    assert "Error:" in again.output and "--force" in again.output


def test_xor_command_save_into_a_file_is_refused(tmp_path):
    target = tmp_path / "taken"
    target.write_text("mine")
    result = CliRunner().invoke(main, ["xor", "--save", str(target)])
    assert result.exit_code == 2
    assert "is a file" in result.output
    assert target.read_text() == "mine"
