"""underthesea's word-segmentation CRF, scored with caches: the same tags, several times faster.

underthesea segments words with a linear-chain CRF over syllables (labels ``B-W``,
``I-W``). For each syllable its Rust featurizer builds 43 feature strings from a
window of five syllables (the syllables, their lower case, title case, digits,
whether they form a dictionary word), then CRFsuite sums the weights of those
features and runs Viterbi. Building ~20,000 strings per article is most of the
time segmentation takes.

The features come in twelve groups, each depending on one window of syllables:
five single syllables (offsets -2..2), four adjacent pairs and three triples. The
summed weights of a group are a function of its window alone, so they are computed
once per distinct window and kept in a table per window size (a row per window, a
column per group); text repeats syllables and pairs so often that almost every
window has its row already, and a sequence's scores are a few array operations.
Viterbi over two labels is then a short loop.

The model files are underthesea's own (read, not copied); ``tests/test_word_crf.py``
checks the tags against underthesea's tagger on the whole corpus and on random text.
Where two labellings score exactly the same (only seen in runs of identical symbols)
both are best, and the tie may be broken the other way.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from itertools import islice
from os.path import join
from pathlib import Path

import numpy as np

LABELS = ("B-W", "I-W")
_CACHE_LIMIT = 100_000  # windows per size (about 20 MB of scores for the three sizes): bounded memory on an endless feed


class _Edge:
    """The value of every feature whose window reaches past the sequence: ``BOS`` or ``EOS``."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value


_BOS, _EOS = _Edge("BOS"), _Edge("EOS")


def model_dir() -> str:
    from pipeline.nlp.model_cache import package_dir

    return str(package_dir("underthesea") / "pipeline" / "word_tokenize" / "models" / "ws_crf_vlsp2013_20230727")


_ATTRIBUTES = {"", "lower", "istitle", "isdigit", "is_in_dict"}


WEIGHTS_FILE = Path(__file__).resolve().parent / "models" / "word_crf_weights.json.gz"


@lru_cache(maxsize=2)
def load_dictionary(path: str | None = None) -> frozenset[str]:
    """underthesea's word list (72,547 words, lower case, syllables joined by spaces)."""
    return load_model(path)[1]


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> tuple[list[str], frozenset[str], dict[str, complex], list[list[float]]]:
    """The model's feature templates, word list, weights (B-W real, I-W imaginary) and transitions, from
    the disk cache when they were read before from the same files (:mod:`pipeline.nlp.model_cache`)."""
    from pipeline.nlp.model_cache import cached, file_stamp

    path = path or model_dir()
    files = [join(path, name) for name in ("features.bin", "dictionary.bin", "models.bin")] + [WEIGHTS_FILE]
    templates, dictionary, names, weights, transitions = cached("word_crf_v2", file_stamp(*files),
                                                                lambda: _read_model(path))
    return templates, dictionary, dict(zip(names, weights.tolist())), transitions


def _read_model(path: str):
    """The model as the disk cache keeps it: the weights as one array beside their names, which reads
    back four times faster than a dict of 50,000 pairs."""
    import joblib

    weights, transitions = load_weights(join(path, "models.bin"))
    names = list(weights)
    return (joblib.load(join(path, "features.bin")), frozenset(joblib.load(join(path, "dictionary.bin"))), names,
            np.array([complex(*weights[name]) for name in names]), transitions)


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_weights(model_path: str) -> tuple[dict[str, list[float]], list[list[float]]]:
    """Every attribute's weights for (B-W, I-W), and the transition weights, from a CRFsuite model.

    pycrfsuite reads them by dumping the model to a temporary file, which is why the
    result is shipped (``WEIGHTS_FILE``) rather than read at every start.
    """
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(model_path)
    info = tagger.info()
    tagger.close()
    weights: dict[str, list[float]] = {}
    for (attribute, label), weight in info.state_features.items():
        weights.setdefault(attribute, [0.0, 0.0])[LABELS.index(label)] = weight
    t = info.transitions
    return weights, [[t.get((a, b), 0.0) for b in LABELS] for a in LABELS]


def load_weights(model_path: str) -> tuple[dict[str, list[float]], list[list[float]]]:
    """The shipped weights when they were read from this very model file, else read them now."""
    if WEIGHTS_FILE.exists():
        with gzip.open(WEIGHTS_FILE, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        if data["model_sha256"] == _sha256(model_path):
            return data["weights"], data["transitions"]
    return read_weights(model_path)


def write_weights(model_path: str | None = None, out: Path = WEIGHTS_FILE) -> Path:
    """Read the weights of underthesea's model and write them next to the package's other models."""
    model_path = model_path or join(model_dir(), "models.bin")
    weights, transitions = read_weights(model_path)
    data = {"model_sha256": _sha256(model_path), "labels": list(LABELS), "transitions": transitions,
            "weights": weights}
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump(data, handle, ensure_ascii=False, sort_keys=True)
    return out


def _title(word: str) -> bool:
    # underthesea_core's istitle: upper-casing the first character leaves it as it is
    # (an upper-case letter, a digit, punctuation, a letter of a script without case).
    first = word[:1]
    return first.upper() == first


def _digit(word: str) -> bool:
    # underthesea_core's isdigit: ASCII digits only (not "²" or other scripts' digits).
    return word != "" and all("0" <= c <= "9" for c in word)


class _Group:
    """The templates that read one window of syllables, e.g. ``T[-1,0]`` and ``T[-1,0].lower``."""

    def __init__(self, start: int, end: int, templates: list[tuple[str, str]]):
        self.start, self.end = start, end
        self.size = end - start + 1
        self.offsets = tuple(range(start, end + 1))
        self.templates = templates  # (template, attribute)
        self.column = 0  # its column in the table of windows of its size
        self.edges: dict[str, complex] = {}  # its score where the window reaches past the sequence


class _WindowTable:
    """The scores of every window of one size seen so far: a row per window, a column per group reading
    windows of that size, so a sequence's scores are one index lookup per window and one array gather."""

    def __init__(self, groups: list[_Group]):
        self.groups = groups
        self.rows: dict = {}
        self.table = np.zeros((1024, len(groups)), dtype=complex)

    def lookup(self, keys: list, score) -> np.ndarray:
        """The row of each window in ``keys``; windows not seen before are scored with ``score(group, window)``."""
        if len(self.rows) > _CACHE_LIMIT:  # bounded memory on an endless feed
            self.rows.clear()
        ids = list(map(self.rows.get, keys))  # one pass in C; the few misses are scored after
        if None in ids:
            ids = [self._add(key, score) if row is None else row for key, row in zip(keys, ids)]
        return np.array(ids, dtype=np.intp)

    def _add(self, key, score) -> int:
        row = self.rows.get(key)  # the same window may be missing twice in one sequence
        if row is None:
            row = self.rows[key] = len(self.rows)
            if row >= len(self.table):
                self.table = np.concatenate([self.table, np.zeros_like(self.table)])
            words = (key,) if isinstance(key, str) else key
            self.table[row] = [score(group, words) for group in self.groups]
        return row


class CachedWordCRF:
    """``tag(syllables) -> list of labels``, equal to underthesea's ``FastCRFSequenceTagger.predict``."""

    def __init__(self, path: str | None = None):
        templates, self.dictionary, self.weights, self.trans = load_model(path)
        groups: dict[tuple[int, int], list[tuple[str, str]]] = {}
        for template in templates:
            window, _, attribute = template.partition(".")
            offsets = [int(x) for x in window[2:-1].split(",")]
            groups.setdefault((offsets[0], offsets[-1]), []).append((template, attribute))
        self.groups = [_Group(start, end, tpls) for (start, end), tpls in groups.items()]
        unknown = [t for g in self.groups for t, a in g.templates if a not in _ATTRIBUTES or g.end - g.start > 2]
        if unknown:  # a newer model than this code knows: refuse rather than tag differently
            raise ValueError(f"unknown feature templates in the word-segmentation model: {unknown}")
        self.tables: dict[int, _WindowTable] = {}
        for size in sorted({g.size for g in self.groups}):
            same = [g for g in self.groups if g.size == size]
            for column, group in enumerate(same):
                group.column = column
            self.tables[size] = _WindowTable(same)
        for group in self.groups:
            group.edges = {edge.value: complex(*self._score(group, None, edge.value)) for edge in (_BOS, _EOS)}

    def _score(self, group: _Group, words: tuple[str, ...] | None, edge: str | None) -> tuple[float, float]:
        b = i = 0.0
        for template, attribute in group.templates:
            if edge is not None:
                value = edge
            elif attribute == "":
                value = " ".join(words)
            elif attribute == "lower":
                value = " ".join(words).lower()
            elif attribute == "istitle":
                value = str(all(_title(w) for w in words))
            elif attribute == "isdigit":
                value = str(all(_digit(w) for w in words))
            else:
                value = str(" ".join(words).lower() in self.dictionary)  # is_in_dict
            w = self.weights.get(f"{template}={value}")
            if w is not None:
                b += w.real
                i += w.imag
        return b, i

    def _window_score(self, group: _Group, words: tuple[str, ...]) -> complex:
        return complex(*self._score(group, words, None))

    def state_scores(self, syllables: list[str]) -> tuple[list[float], list[float]]:
        """The summed feature weights of each syllable for ``B-W`` and for ``I-W``.

        A window's weights are held as one complex number (B-W real, I-W imaginary), so that
        the twelve groups add up in one array operation each; the sums are the same additions in
        the same order as one sum per position, so the same floats.
        """
        n = len(syllables)
        windows = {1: syllables, 2: list(zip(syllables, syllables[1:])),
                   3: list(zip(syllables, syllables[1:], syllables[2:]))}
        rows = {size: table.lookup(windows[size], self._window_score) for size, table in self.tables.items()}
        totals = np.zeros(n, dtype=complex)
        column = np.empty(n, dtype=complex)
        for group in self.groups:
            first = min(n, max(0, -group.start))  # positions before ``first`` reach past the start
            last = max(first, n - max(0, group.end))  # positions from ``last`` on reach past the end
            table = self.tables[group.size].table
            column[first:last] = table[rows[group.size][first + group.start:last + group.start], group.column]
            for pos in [*range(first), *range(last, n)]:
                column[pos] = group.edges[self._edge(group, pos, n).value]
            totals += column
        return totals.real.tolist(), totals.imag.tolist()

    @staticmethod
    def _edge(group: _Group, pos: int, n: int) -> _Edge:
        # The first window position outside the sequence names the edge, as the featurizer does.
        first_out = next(pos + k for k in group.offsets if not 0 <= pos + k < n)
        return _BOS if first_out < 0 else _EOS

    def tag(self, syllables: list[str]) -> list[str]:
        """The label of each syllable: ``B-W`` starts a word, ``I-W`` continues it."""
        if not syllables:
            return []
        scores_b, scores_i = self.state_scores(syllables)
        (bb, bi), (ib, ii) = self.trans
        best_b, best_i = scores_b[0], scores_i[0]
        back_b: list[int] = []  # the best label before each syllable, were it B-W ...
        back_i: list[int] = []  # ... or I-W
        for sb, si in zip(islice(scores_b, 1, None), islice(scores_i, 1, None)):
            from_b, from_i = best_b + bb, best_i + ib
            if from_b >= from_i:
                back_b.append(0)
                new_b = from_b + sb
            else:
                back_b.append(1)
                new_b = from_i + sb
            from_b, from_i = best_b + bi, best_i + ii
            if from_b >= from_i:
                back_i.append(0)
                best_i = from_b + si
            else:
                back_i.append(1)
                best_i = from_i + si
            best_b = new_b
        label = 0 if best_b >= best_i else 1
        labels = [label]
        for prev_b, prev_i in zip(reversed(back_b), reversed(back_i)):
            label = prev_b if label == 0 else prev_i
            labels.append(label)
        labels.reverse()
        return [LABELS[x] for x in labels]


if __name__ == "__main__":  # python -m pipeline.word_crf: refresh the shipped weights after an underthesea upgrade
    print(f"wrote {write_weights()}")
