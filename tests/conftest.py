"""Shared fixtures: the pipeline is built once per test session."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = CORPUS / "dev.gold.jsonl"
# Articles written by others are not in the repository: the workspace's shared corpus holds them
# (the 17 development articles and the 79 real ones), next to the checkout here and in CI.
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
SHARED_DEV = SHARED_CORPUS / "dev"


def underthesea_syllables(line: str) -> list[str]:
    """The syllables of ``line`` as underthesea's own regex tokenizer returns them: the reference for segmentation."""
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    return tokenize(line, use_character_normalize=False, use_token_normalize=False)


def underthesea_tagger():
    """underthesea's own tagger for the word-segmentation model: the reference for the cached CRF."""
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

    from pipeline.nlp.word_crf import model_dir

    model = FastCRFSequenceTagger()
    model.load(model_dir())
    return model


@pytest.fixture(scope="session")
def nlp():
    import pipeline

    return pipeline.load()


@pytest.fixture(scope="session")
def run_doc(nlp):
    """Process one text through the whole pipeline and return the Doc."""
    from pipeline.io.documents import Document
    from pipeline.runner.process import process
    from pipeline.text.normalize import normalize_text

    def _run(text: str, doc_id: str = "t"):
        return process(nlp, Document(doc_id=doc_id, text=normalize_text(text), source="<test>"))

    return _run


@pytest.fixture(scope="session")
def rows(run_doc):
    """The table rows for one text."""
    from pipeline.runner.tables import doc_rows

    def _rows(text: str):
        return doc_rows(run_doc(text))

    return _rows


@pytest.fixture(scope="session")
def shared_out(tmp_path_factory):
    """`vnie extract ../shared/corpus -o OUT`: the development and real articles, run once as a user would."""
    assert SHARED_CORPUS.is_dir(), f"the shared corpus is missing: {SHARED_CORPUS}"
    out = tmp_path_factory.mktemp("shared_out")
    vnie = Path(sys.executable).with_name("vnie")
    cmd = [str(vnie)] if vnie.exists() else [sys.executable, "-m", "pipeline"]
    result = subprocess.run(cmd + ["extract", str(SHARED_CORPUS), "-o", str(out), "--quiet"], capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def corpus_out(tmp_path_factory):
    """`vnie extract corpus/ -o OUT`, run once as a user would."""
    out = tmp_path_factory.mktemp("corpus_out")
    vnie = Path(sys.executable).with_name("vnie")
    cmd = [str(vnie)] if vnie.exists() else [sys.executable, "-m", "pipeline"]
    result = subprocess.run(cmd + ["extract", str(CORPUS), "-o", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return out
