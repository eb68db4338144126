"""The tutorial notebook runs top to bottom offline and shows what it promises.

The notebook is committed without outputs; here it is executed with nbclient in
a temporary working folder (its ``tempfile`` files land under ``tmp_path`` too),
and the outputs of a few tagged cells are checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from footy import paths

NOTEBOOK = paths.ROOT / "notebooks" / "01-footy-tutorial.ipynb"
CELL_TIMEOUT = 600  # seconds; the whole notebook takes about two minutes on two cores


def _read() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _text(cell: nbformat.NotebookNode) -> str:
    """Everything a code cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def _tagged(nb: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def _snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts}


def test_committed_notebook_has_no_outputs():
    nb = _read()
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(c.outputs == [] for c in code), "clear the outputs before committing"
    assert all(c.execution_count is None for c in code), "clear the execution counts"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook run once, top to bottom, in a temporary working folder."""
    work = tmp_path_factory.mktemp("notebook-run")
    temp = work / "tmp"
    temp.mkdir()
    watched = {name: _snapshot(paths.ROOT / name) for name in ("notebooks", "data")}
    nb = _read()
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    with pytest.MonkeyPatch.context() as mp:
        # The kernel inherits the environment: every tempfile.mkdtemp() goes under `temp`.
        mp.setenv("TMPDIR", str(temp))
        mp.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
        mp.setenv("MPLBACKEND", "Agg")
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT,
            kernel_name=kernel,
            resources={"metadata": {"path": str(work)}},
        )
        client.execute()
    return nb, temp, watched


def test_notebook_runs_and_writes_only_to_temporary_folders(executed):
    nb, temp, watched = executed
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    written = {p.name for p in temp.rglob("*") if p.is_file()}
    assert {"xor.keras", "xor.h5", "xor.json", "xor.weights.h5"} <= written
    assert {"footy-until-2017-12-31.keras", "training.png", "title-chances.png"} <= written
    for name, before in watched.items():
        assert _snapshot(paths.ROOT / name) == before, f"the notebook wrote into {name}/"


def test_xor_learns_and_survives_every_format(executed):
    nb = executed[0]
    assert "binary accuracy 100%" in _text(_tagged(nb, "xor-fit"))
    assert "predictions: [0, 1, 1, 0]" in _text(_tagged(nb, "xor-predictions"))
    reload = _text(_tagged(nb, "xor-reload"))
    assert reload.count("predictions [0, 1, 1, 0]") == 3
    for name in ("xor.keras", "xor.h5", "xor.json + xor.weights.h5"):
        assert name in reload


def test_training_and_evaluation_tables(executed):
    nb = executed[0]
    assert "trained on" in _text(_tagged(nb, "train"))
    table = _text(_tagged(nb, "evaluation"))
    for predictor in ("footy network", "logistic regression", "base rate"):
        assert predictor in table
    assert "difference from base rate" in table
    n = int(re.search(r"([\d,]+) matches", table).group(1).replace(",", ""))
    assert n > 5000  # every match from 2018 onwards
    assert "footy network, default features" in _text(_tagged(nb, "evaluation-default"))


def test_fixture_probabilities_sum_to_one(executed):
    text = _text(_tagged(executed[0], "fixture"))
    found = re.search(r"Argentina win ([\d.]+)%, draw ([\d.]+)%, France win ([\d.]+)%", text)
    assert found, text
    assert sum(float(v) for v in found.groups()) == pytest.approx(100.0, abs=0.2)


def test_world_cup_title_chances(executed):
    nb = executed[0]
    text = _text(_tagged(nb, "world-cup"))
    assert "2,000 simulated tournaments as of 2022-11-19" in text
    assert "WIN" in text and "Brazil" in text
    picture = _tagged(nb, "title-chances")
    assert any("image/png" in o.get("data", {}) for o in picture.outputs)


def test_tuning_table_has_three_sizes(executed):
    text = _text(_tagged(executed[0], "tuning"))
    assert "validation RPS" in text
    for size in ("8", "16", "32"):
        assert re.search(rf"^{size}\s", text, re.MULTILINE), text
