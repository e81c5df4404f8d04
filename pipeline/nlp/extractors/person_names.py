"""Person names by a statistical model: a CRF over underthesea's words.

Rules find a person by what stands around a name (a rank, a position, "đồng
chí"); this model also finds names with nothing in front of them — awardees
in a list, guests, people named after a verb. It is a linear-chain CRF
(python-crfsuite) over the words of each line, with features from the word's
shape and the gazetteers in ``rules/`` (surnames, ranks, position heads,
places). It ships inside the package (``pipeline/models/person_names.crfsuite``)
and is trained by ``python -m pipeline.train_names`` on the gold annotations
plus silver sentences; nothing is downloaded at run time.
"""
from __future__ import annotations

from pathlib import Path

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import in_body, make_span, register_extensions, token_offsets
from pipeline.nlp.lexicon import NAME_SYLLABLE, lexicon_of
from pipeline.rules import load_rules
from pipeline.text.normalize import canonical

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "person_names.crfsuite"
_TITLE_SYL = regex.compile(rf"^{NAME_SYLLABLE}$")  # "Quang", Ê Đê "H'Lim"
_CANDIDATE = regex.compile(r"(?<![\p{L}])\p{Lu}[\p{Ll}\p{M}]*\s\p{Lu}")
_EDGE = {off: f"{off}:edge" for off in (-2, -1, 1, 2)}
_EDGE_LISTS = {off: [name] for off, name in _EDGE.items()}


class NameFeatures:
    """Turns a line's words into CRF feature dicts, using the gazetteers in ``rules/``."""

    def __init__(self, rules):
        self.surnames = {s.casefold() for s in rules.words("surnames")}
        self.ranks = {r.casefold() for r in rules.words("ranks")}
        heads = {h.casefold() for h in rules.words("position_heads")}
        self.head_first = {h.split()[0] for h in heads}
        self.contexts = {c.casefold() for c in rules.words("name_contexts")}
        self.places = lexicon_of(rules).provinces  # without cities: the model was trained on these features
        self.org_heads = {o.casefold() for o in rules.words("org_heads")}
        self.kept: frozenset[str] | None = None  # the only feature names a word's parts keep (None: all)
        self._cache: dict[str, tuple[list[str], dict[int, list[str]], list[str]]] = {}

    def keep_only(self, names) -> None:
        """Leave out of a word's own and lent features every name not in ``names``: those a model has
        no weight for, which CRFsuite skips anyway (what it scores is the same, named faster)."""
        self.kept = frozenset(names)
        self._cache.clear()

    def shape(self, word: str) -> str:
        syllables = word.split()
        if all(_TITLE_SYL.match(s) for s in syllables):
            return f"title{min(len(syllables), 4)}"
        if word.isupper() and word.isalpha():
            return "upper"
        if any(ch.isdigit() for ch in word):
            return "digit"
        if not any(ch.isalnum() for ch in word):
            return "punct"
        return "lower" if word[:1].islower() else "mixed"

    def word_features(self, word: str) -> dict:
        low = canonical(word).casefold()
        syllables = low.split()
        return {
            "shape": self.shape(word),
            "surname": bool(syllables) and syllables[0] in self.surnames,
            "rank": low in self.ranks,
            "head": bool(syllables) and syllables[0] in self.head_first,
            "context": low in self.contexts,
            "place": low in self.places,
            "org": low in self.org_heads,
            "low": low if len(syllables) == 1 and not _TITLE_SYL.match(word) else "",
        }

    def _parts(self, word: str) -> tuple[list[str], dict[int, list[str]], list[str]]:
        """The word's own feature names, those it lends its neighbours, and its own with "bias" after
        them, cached per word."""
        cached = self._cache.get(word)
        if cached is None:
            f = self.word_features(word)
            own = [f"0:{k}={v}" if isinstance(v, str) else f"0:{k}" for k, v in f.items() if v]
            ctx = [f"shape={f['shape']}"] + [k for k in ("rank", "head", "context", "place", "org", "surname") if f[k]]
            if f["low"]:
                ctx.append(f"low={f['low']}")
            # What the word lends each neighbour, named once ("-1:rank", "2:shape=Xx"), not per line.
            lent = {off: [f"{off}:{name}" for name in ctx] for off in (-2, -1, 1, 2)}
            if self.kept is not None:
                own = [name for name in own if name in self.kept]
                lent = {off: [name for name in names if name in self.kept] for off, names in lent.items()}
            cached = (own, lent, [*own, "bias"])
            if len(self._cache) > 200_000:  # bounded: a long feed must not grow it forever
                self._cache.clear()
            self._cache[word] = cached
        return cached

    def line_features(self, words: list[str]) -> list[dict]:
        """One feature dict per word, with a window of two words each side."""
        parts = [self._parts(w) for w in words]
        n = len(parts)
        out = []
        for i, (own, _, _) in enumerate(parts):
            feats = dict.fromkeys(own, 1.0)
            feats["bias"] = 1.0
            for off in (-2, -1, 1, 2):
                j = i + off
                if 0 <= j < n:
                    feats.update(dict.fromkeys(parts[j][1][off], 1.0))
                else:
                    feats[_EDGE[off]] = 1.0
            out.append(feats)
        return out

    def line_feature_names(self, words: list[str]) -> list[list[str]]:
        """:meth:`line_features` as lists of names, in the same order: every value is 1.0, which is what
        CRFsuite gives a name without one, and a list is cheaper to build than a dict."""
        parts = [self._parts(w) for w in words]
        n, edge = len(parts), _EDGE_LISTS
        # What word i gets from word i + off, for every i: a word's lent names, or the edge of the line.
        before2 = ([edge[-2]] * 2 + [p[1][-2] for p in parts])[:n]
        before1 = ([edge[-1]] + [p[1][-1] for p in parts])[:n]
        after1 = [p[1][1] for p in parts[1:]] + [edge[1]]
        after2 = ([p[1][2] for p in parts[2:]] + [edge[2]] * 2)[-n:] if n else []
        return [p[2] + b2 + b1 + a1 + a2 for p, b2, b1, a1, a2 in zip(parts, before2, before1, after1, after2)]


def doc_lines(doc: Doc):
    """The doc's tokens grouped by line: lists of (token, start, end), white space left out."""
    line = []
    for text, start in token_offsets(doc):
        if "\n" in text:
            if line:
                yield line
            line = []
            continue
        if text.strip():
            line.append((text, start, start + len(text)))
    if line:
        yield line


class PersonNameTagger:
    """spaCy component: ``doc.spans["person_names"]``, the names the CRF tags as PER."""

    def __init__(self, rules_path: str | None = None, model_path: str | None = None):
        register_extensions()
        self.features = NameFeatures(load_rules(rules_path))
        self.model_path = Path(model_path) if model_path else MODEL_PATH
        self._tagger = None
        self._openers: dict[str, bool] = {}

    @property
    def tagger(self):
        if self._tagger is None:
            import pycrfsuite

            if not self.model_path.exists():
                raise FileNotFoundError(f"person-name model missing: {self.model_path}; "
                                        "train it with `python -m pipeline.train_names`")
            self._tagger = pycrfsuite.Tagger()
            self._tagger.open(str(self.model_path))
            self.features.keep_only(self._tagger.info().attributes)
        return self._tagger

    def tag_words(self, words: list[str]) -> list[str]:
        return self.tagger.tag(self.features.line_feature_names(words))

    def _may_open_a_name(self, word: str) -> bool:
        """Whether ``word`` is a capitalised word of more than one syllable ("Nguyễn Văn"), remembered per word."""
        known = self._openers.get(word)
        if known is None:
            if len(self._openers) > 200_000:  # bounded: a long feed must not grow it forever
                self._openers.clear()
            known = self._openers[word] = _CANDIDATE.match(word) is not None
        return known

    def name_lines(self, doc: Doc):
        """:func:`doc_lines` that hold a capitalised word of more than one syllable: only those can hold a
        name. The other lines are skipped before their words are listed."""
        offsets = token_offsets(doc)
        begin, hopeful = 0, False
        for i, (text, _) in enumerate(offsets):
            if "\n" in text:
                if hopeful:
                    yield [(t, start, start + len(t)) for t, start in offsets[begin:i] if t.strip()]
                begin, hopeful = i + 1, False
            elif not hopeful and self._may_open_a_name(text):
                hopeful = True
        if hopeful:
            yield [(t, start, start + len(t)) for t, start in offsets[begin:] if t.strip()]

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for line in self.name_lines(doc):
            tags = self.tag_words([w for w, _, _ in line])
            if "B-PER" not in tags:
                continue  # no name starts on this line
            start = end = None
            for (w, s, e), tag in list(zip(line, tags)) + [(("", None, None), "O")]:
                if tag == "I-PER" and start is not None:
                    end = e
                    continue
                if start is not None and in_body(doc, start, end):
                    span = make_span(doc, start, end, "PERSON", doc._.text[start:end])
                    if span is not None:
                        spans.append(span)
                start, end = (s, e) if tag == "B-PER" else (None, None)
        doc.spans["person_names"] = spans
        return doc


@Language.factory("vnie_person_names", default_config={"rules_path": None},
                  requires=["doc._.body"], assigns=["doc.spans"])
def make_person_names(nlp: Language, name: str, rules_path: str | None):
    """The name-model stage: reads the body (layout), writes ``doc.spans["person_names"]``."""
    return PersonNameTagger(rules_path)
