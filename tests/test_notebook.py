"""The notebook in notebooks/ runs from top to bottom on the bundled corpus, so it cannot rot."""
from __future__ import annotations

import base64
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "corpus_tour.ipynb"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def venv_kernel(monkeypatch):
    """The "python3" kernel, resolved to this interpreter: nothing is registered outside the venv."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    share = Path(sys.prefix) / "share" / "jupyter"
    # The venv's kernel folder is searched first, before any user or system kernel named python3.
    monkeypatch.setenv("JUPYTER_PATH", str(share))
    # No screen: figures are drawn with Agg (the notebook also asks for it).
    monkeypatch.setenv("MPLBACKEND", "Agg")
    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        spec = None
    # jupyter_client runs a spec's bare "python" as this interpreter.
    if spec is None or spec.argv[0] not in ("python", "python3", sys.executable):
        from ipykernel.kernelspec import install

        install(prefix=sys.prefix)
        spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[0] in ("python", "python3", sys.executable)
    return "python3"


def test_notebook_runs_and_plots(venv_kernel):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "commit the notebook without outputs"
    client = NotebookClient(notebook, kernel_name=venv_kernel, timeout=600,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    images = [output["data"]["image/png"] for output in outputs if "image/png" in output.get("data", {})]
    assert len(images) == 3  # titles by conferrer, officials by rank, events by month
    for image in images:
        assert base64.b64decode(image).startswith(b"\x89PNG")
    text = "\n".join(output.get("text", "") or output.get("data", {}).get("text/plain", "") for output in outputs)
    assert "Mai Thế Quang" in text
    assert "Bộ Công an" in text and "Trung tướng" in text
    assert "documents have an event date" in text

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, ARTIFACTS / "corpus_tour.executed.ipynb")


def test_researcher_notebook_answers_three_questions(venv_kernel):
    """notebooks/researcher_questions.ipynb: a rank timeline, flags by province and year, a cluster's members by year."""
    path = ROOT / "notebooks" / "researcher_questions.ipynb"
    notebook = nbformat.read(path, as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    NotebookClient(notebook, kernel_name=venv_kernel, timeout=900,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    images = [output["data"]["image/png"] for output in outputs if "image/png" in output.get("data", {})]
    assert len(images) == 3
    text = "\n".join(output.get("text", "") or output.get("data", {}).get("text/plain", "") for output in outputs)
    assert "Thượng tướng" in text and "tran-quoc-to" in text                      # a rank timeline
    assert "Công an tỉnh Bà Rịa - Vũng Tàu" in text and "Hồ Chí Minh" in text      # a flag, the 2025 province
    assert "2024 : " in text and "Công an tỉnh Bình Phước" in text                 # the cluster in 2024
    nbformat.write(notebook, ARTIFACTS / "researcher_questions.executed.ipynb")
