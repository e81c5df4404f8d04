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
once per distinct window and cached; text repeats syllables and pairs so often that
almost every lookup is a hit. Viterbi over two labels is then a short loop.

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
from operator import add
from os.path import join
from pathlib import Path

LABELS = ("B-W", "I-W")
_CACHE_LIMIT = 100_000  # entries per group (about 30 MB; 12 groups): bounded memory on an endless feed


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
def load_model(path: str | None = None) -> tuple[list[str], frozenset[str], dict[str, list[float]], list[list[float]]]:
    """The model's feature templates, word list, weights and transitions, from the disk cache when they
    were read before from the same files (:mod:`pipeline.nlp.model_cache`)."""
    from pipeline.nlp.model_cache import cached, file_stamp

    path = path or model_dir()
    files = [join(path, name) for name in ("features.bin", "dictionary.bin", "models.bin")] + [WEIGHTS_FILE]
    return cached("word_crf", file_stamp(*files), lambda: _read_model(path))


def _read_model(path: str):
    import joblib

    weights, transitions = load_weights(join(path, "models.bin"))
    return (joblib.load(join(path, "features.bin")), frozenset(joblib.load(join(path, "dictionary.bin"))), weights,
            transitions)


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
        self.offsets = tuple(range(start, end + 1))
        self.templates = templates  # (template, attribute)
        self.cache: dict = {}


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
                b += w[0]
                i += w[1]
        return b, i

    def state_scores(self, syllables: list[str]) -> tuple[list[float], list[float]]:
        """The summed feature weights of each syllable for ``B-W`` and for ``I-W``.

        A window's weights are held as one complex number (B-W real, I-W imaginary), so that
        the twelve groups add up in one pass; the sums are the same additions in the same order.
        """
        n = len(syllables)
        # windows[size][j]: the window of ``size`` syllables starting at syllable j (a str for one syllable).
        windows = {1: syllables, 2: list(zip(syllables, syllables[1:])),
                   3: list(zip(syllables, syllables[1:], syllables[2:]))}
        totals = [0.0] * n
        for group in self.groups:
            cache = group.cache
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            first = min(n, max(0, -group.start))  # positions before ``first`` reach past the start
            last = max(first, n - max(0, group.end))  # positions from ``last`` on reach past the end
            inner = windows[group.end - group.start + 1][first + group.start:last + group.start]
            keys = [self._edge(group, pos, n) for pos in range(first)] + inner + \
                [self._edge(group, pos, n) for pos in range(last, n)]
            column = list(map(cache.get, keys))  # one pass in C; the few misses are scored after
            if None in column:
                column = [self._miss(group, key) if score is None else score for key, score in zip(keys, column)]
            # The groups are added in the same order as one sum per position would: the same floats.
            totals = list(map(add, totals, column))
        return [z.real for z in totals], [z.imag for z in totals]

    @staticmethod
    def _edge(group: _Group, pos: int, n: int) -> _Edge:
        # The first window position outside the sequence names the edge, as the featurizer does.
        first_out = next(pos + k for k in group.offsets if not 0 <= pos + k < n)
        return _BOS if first_out < 0 else _EOS

    def _miss(self, group: _Group, key) -> complex:
        if isinstance(key, _Edge):
            b, i = self._score(group, None, key.value)
        else:
            b, i = self._score(group, (key,) if isinstance(key, str) else key, None)
        score = group.cache[key] = complex(b, i)
        return score

    def tag(self, syllables: list[str]) -> list[str]:
        """The label of each syllable: ``B-W`` starts a word, ``I-W`` continues it."""
        if not syllables:
            return []
        scores_b, scores_i = self.state_scores(syllables)
        (bb, bi), (ib, ii) = self.trans
        best_b, best_i = scores_b[0], scores_i[0]
        back: list[tuple[int, int]] = []
        for sb, si in zip(scores_b[1:], scores_i[1:]):
            from_b_to_b, from_i_to_b = best_b + bb, best_i + ib
            from_b_to_i, from_i_to_i = best_b + bi, best_i + ii
            prev_b = 0 if from_b_to_b >= from_i_to_b else 1
            prev_i = 0 if from_b_to_i >= from_i_to_i else 1
            back.append((prev_b, prev_i))
            best_b = (from_b_to_b if prev_b == 0 else from_i_to_b) + sb
            best_i = (from_b_to_i if prev_i == 0 else from_i_to_i) + si
        label = 0 if best_b >= best_i else 1
        labels = [label]
        for prev_b, prev_i in reversed(back):
            label = prev_b if label == 0 else prev_i
            labels.append(label)
        labels.reverse()
        return [LABELS[x] for x in labels]


if __name__ == "__main__":  # python -m pipeline.word_crf: refresh the shipped weights after an underthesea upgrade
    print(f"wrote {write_weights()}")
