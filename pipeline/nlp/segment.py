"""Word segmentation with underthesea, as a spaCy tokenizer that keeps exact offsets.

underthesea's ``word_tokenize`` joins the syllables of a word with a space
whatever separated them in the text, so its output cannot be mapped back to
the text reliably. This tokenizer runs the same two steps (regex syllables,
then the CRF that joins them into words) but keeps each syllable's offsets,
so every token maps to exact characters of the normalised text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from operator import methodcaller
from typing import Iterator

from spacy.tokens import Doc
from spacy.vocab import Vocab

_MAX_LINE_CHARS = 5000
_LONG_LINE = re.compile(f"[^\n]{{{_MAX_LINE_CHARS + 1}}}")
_SPAN = methodcaller("span", 1)  # a match's syllable: group 1, after the white space before it
_MAX_BATCH_SYLLABLES = 20000  # bounds the CRF's memory on a very long article


@lru_cache(maxsize=2)
def _syllable_pattern(flags: int = 0) -> re.Pattern:
    """underthesea's syllable regex. Its ``tokenize`` returns each match's text; the match's
    offsets are used here instead, so no offset has to be searched for
    (``tests/test_segment.py`` checks both give the same syllables). Its source and flags are
    kept in the disk cache: importing it imports all of underthesea."""
    from pipeline.nlp.model_cache import cached, file_stamp, package_dir

    source = package_dir("underthesea") / "pipeline" / "word_tokenize" / "regex_tokenize.py"
    pattern, extra = cached("syllable_regex", file_stamp(source), _read_syllable_pattern)
    return re.compile(rf"\s*({_PLAIN_WORD}|{_PLAIN_SIGN}|(?:{pattern}))", flags | extra)


# A run of letters between white space is one syllable: underthesea's pattern tries its twenty
# alternatives at each position and ends with ``\w+``, which takes the whole run, unless an earlier
# alternative matches at its start: ``Th.S`` and ``Th.s`` (any character in the middle) and ``ʺ``
# (a letter to ``\w``, punctuation to underthesea); every other earlier alternative needs a digit,
# a dot, a dash or another sign. Tried first, it gives the same syllables twice as fast. The white
# space before a syllable is taken by ``\s*`` in the same match (no alternative matches a space, and
# one always matches at anything else), so the twenty are not tried at every space: the syllable is
# group 1.
_PLAIN_WORD = r"(?<!\S)(?!Th.[Ss])[^\W\d_ʺ]+(?!\S)"
# Likewise the commonest signs and numbers, which underthesea finds only after trying its earlier alternatives:
# a comma, a bracket, a quote and the like, which none of them starts with (its ``punct`` or ``non_word`` takes
# the one character); a dot that no letter, digit, dot, "+", "-" or "@" follows (nor ellipsis, web address nor
# e-mail address then); a run of digits that no word character or sign of a date, a decimal, a plate, an address
# follows (its ``number`` takes the run). No white space and no "#" in it: the pattern is verbose.
_PLAIN_SIGN = r"[,()“”\"‘’;!?…–—]|\.(?![\w.+\-@])|\d+(?![\w.,:/@+\-])"


def _read_syllable_pattern() -> tuple[str, int]:
    from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

    return patterns.pattern, patterns.flags


class UndertheseaTokenizer:
    """A spaCy tokenizer: ``tokenizer(text) -> Doc`` with underthesea's words.

    Lines are segmented one at a time (a word never spans a line break, and a
    very long line is cut into chunks) so time and memory stay linear.
    """

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self._model = None

    @property
    def model(self):
        """underthesea's word-segmentation CRF, scored with caches (:mod:`pipeline.nlp.word_crf`)."""
        if self._model is None:
            from pipeline.nlp.word_crf import CachedWordCRF

            self._model = CachedWordCRF()
        return self._model

    def _words(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every word of ``text``, in order.

        Syllables are found in one scan of an article of ordinary length (line by line, a long line in
        chunks, for a very long one), then the CRF tags them in batches of many lines: per-call overhead
        dominates with small calls, and a batch bounds the CRF's memory on a very long article. A
        syllable tagged ``I-W`` goes on with the word before across plain spaces, never a line break.
        """
        words: list[tuple[int, int]] = []
        add = words.append
        start = end = -1  # the word being built, which the next syllable may extend
        tag = self.model.tag
        for batch in self._syllable_batches(text):
            for label, (s, e) in zip(tag([text[a:b] for a, b in batch]), batch):
                if label == "I-W" and start >= 0 and (end == s or not text[end:s].strip(" ")):
                    end = e
                else:
                    if start >= 0:
                        add((start, end))
                    start, end = s, e
        if start >= 0:
            add((start, end))
        return words

    def _syllable_offsets(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each syllable, as underthesea's regex tokenizer cuts them."""
        for batch in self._syllable_batches(text):
            yield from batch

    def _syllable_batches(self, text: str) -> Iterator[list[tuple[int, int]]]:
        """The syllables' (start, end), in lists of about ``_MAX_BATCH_SYLLABLES``, ending where a line or a
        chunk of a long line ends."""
        if len(text) <= _MAX_BATCH_SYLLABLES and not _LONG_LINE.search(text):
            # An article of short lines: one scan of the whole text, ``$`` matching at each line's end as it
            # does at the end of a line scanned alone (no syllable holds a line break): the same syllables.
            spans = list(map(_SPAN, _syllable_pattern(re.MULTILINE).finditer(text)))
            if spans:
                yield spans
            return
        finditer = _syllable_pattern().finditer
        batch: list[tuple[int, int]] = []
        start = 0
        for line in text.split("\n"):
            for chunk_start in range(0, max(len(line), 1), _MAX_LINE_CHARS):
                chunk = line[chunk_start:chunk_start + _MAX_LINE_CHARS]
                base = start + chunk_start
                batch += [(base + s, base + e) for s, e in map(_SPAN, finditer(chunk)) if e > s]
                if len(batch) >= _MAX_BATCH_SYLLABLES:
                    yield batch
                    batch = []
            start += len(line) + 1
        if batch:
            yield batch

    def __call__(self, text: str) -> Doc:
        words, spaces, starts = [], [], []
        add_word, add_space, add_start = words.append, spaces.append, starts.append
        pos = 0
        for s, e in self._words(text):
            if s > pos:  # white space (or unsegmented characters) between words
                if s == pos + 1 and words and text[pos] == " ":
                    spaces[-1] = True
                else:
                    add_word(text[pos:s])
                    add_space(False)
                    add_start(pos)
            add_word(text[s:e])
            add_space(False)
            add_start(s)
            pos = e
        if pos < len(text):
            add_word(text[pos:])
            add_space(False)
            add_start(pos)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["vnie_text"] = text  # the same characters, kept so no stage rebuilds them
        doc.user_data["vnie_tokens"] = list(zip(words, starts))  # extensions.token_offsets
        return doc

    def to_disk(self, path, **kwargs):
        pass

    def from_disk(self, path, **kwargs):
        return self

    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self
