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
from typing import Iterator

from spacy.tokens import Doc
from spacy.vocab import Vocab

_MAX_LINE_CHARS = 5000
_MAX_BATCH_SYLLABLES = 20000  # bounds the CRF's memory on a very long article


@lru_cache(maxsize=1)
def _syllable_pattern() -> re.Pattern:
    """underthesea's syllable regex. Its ``tokenize`` returns each match's text; the match's
    offsets are used here instead, so no offset has to be searched for
    (``tests/test_segment.py`` checks both give the same syllables). Its source and flags are
    kept in the disk cache: importing it imports all of underthesea."""
    from pipeline.nlp.model_cache import cached, file_stamp, package_dir

    source = package_dir("underthesea") / "pipeline" / "word_tokenize" / "regex_tokenize.py"
    pattern, flags = cached("syllable_regex", file_stamp(source), _read_syllable_pattern)
    return re.compile(pattern, flags)


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

    def word_offsets(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every word of ``text``, in order.

        Syllables are found line by line (a long line in chunks), then the CRF
        tags them in batches of many lines: per-call overhead dominates with
        small calls, and a batch bounds the memory a very long article takes.
        """
        batch: list[tuple[int, int]] = []
        last: tuple[int, int] | None = None  # the word being built, which the next syllable may extend
        for span in self._syllable_offsets(text):
            batch.append(span)
            if len(batch) >= _MAX_BATCH_SYLLABLES:
                words, last = self._join(text, batch, last)
                yield from words
                batch = []
        if batch:
            words, last = self._join(text, batch, last)
            yield from words
        if last is not None:
            yield last

    def _syllable_offsets(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each syllable, as underthesea's regex tokenizer cuts them."""
        pattern = _syllable_pattern()
        start = 0
        for line in text.split("\n"):
            for chunk_start in range(0, max(len(line), 1), _MAX_LINE_CHARS):
                chunk = line[chunk_start:chunk_start + _MAX_LINE_CHARS]
                if chunk.strip():
                    base = start + chunk_start
                    spans = [m.span() for m in pattern.finditer(chunk)]
                    yield from [(base + s, base + e) for s, e in spans if e > s]
            start += len(line) + 1

    def _join(self, text: str, batch: list[tuple[int, int]], last: tuple[int, int] | None):
        """The words completed by the syllables of ``batch``, and the word still open after it."""
        tags = self.model.tag([text[s:e] for s, e in batch])
        words = []
        for tag, (s, e) in zip(tags, batch):
            # Join a syllable to the word before only across plain spaces (never a line break).
            if tag == "I-W" and last is not None and text[last[1]:s].strip(" ") == "":
                last = (last[0], e)
            else:
                if last is not None:
                    words.append(last)
                last = (s, e)
        return words, last

    def __call__(self, text: str) -> Doc:
        words, spaces, starts = [], [], []
        pos = 0
        for s, e in self.word_offsets(text):
            if s > pos:  # white space (or unsegmented characters) between words
                gap = text[pos:s]
                if words and gap == " ":
                    spaces[-1] = True
                else:
                    words.append(gap)
                    spaces.append(False)
                    starts.append(pos)
            words.append(text[s:e])
            spaces.append(False)
            starts.append(s)
            pos = e
        if pos < len(text):
            words.append(text[pos:])
            spaces.append(False)
            starts.append(pos)
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
