"""Duplicates: the same text twice (equal hashes) and the same article with another header or footer.

Exact duplicates have equal ``content_hash`` (sha256 of the normalised text).
Near duplicates (an article syndicated by another site: another header line,
"Theo báo ..." at the end, a caption) are found by MinHash over word
shingles with locality-sensitive hashing: each text gets ``PERMUTATIONS``
minimum hashes, cut into ``BANDS`` bands; texts sharing a band are
candidates, and a candidate whose signatures agree on at least
``THRESHOLD`` of the positions (the estimated Jaccard similarity of their
shingles) is a duplicate. Documents are seen in input order, so the earliest
copy is the original and every later one names it in ``duplicate_of``.
Only originals are indexed for near matches, so the result is the same
whether an output is built in one run or grown with ``--append``.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np
import regex

from pipeline.io.documents import Document, Item

SHINGLE = 5          # words per shingle
PERMUTATIONS = 100
BANDS = 20           # of PERMUTATIONS // BANDS rows each
THRESHOLD = 0.6      # estimated Jaccard similarity of the shingles
_PRIME = np.uint64((1 << 61) - 1)
_MAX = np.uint64(0xFFFFFFFF)
_61 = np.uint64(61)
_rng = np.random.RandomState(20_250_817)  # fixed: signatures must be the same in every run and process
_A = _rng.randint(1, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.int64).astype(np.uint64)
_B = _rng.randint(0, (1 << 31) - 1, size=PERMUTATIONS, dtype=np.int64).astype(np.uint64)
_WORD = regex.compile(r"\w+")
# The re module's \w+ finds the same words several times faster, in a text of the characters both modules
# read alike as word characters or not (checked code point by code point in tests/test_duplicates.py):
# Latin letters and Vietnamese ones, digits, punctuation. Any other character and the regex module reads it.
_PLAIN_WORD = re.compile(r"\w+")
_NOT_PLAIN = re.compile("[^\x00-\xb1\xb4-\xb8\xba\xbb\xbf-\u02ff\u1e00-\u1eff\u2000-\u200b\u200e-\u203e"
                        "\u2041-\u2053\u2055-\u206f\u20a0-\u20cf]")
FLAGGED = "duplicates found"


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def shingles(text: str) -> set[bytes]:
    """The text's runs of ``SHINGLE`` lower-cased words, joined by a space (the whole text when shorter)."""
    lower = text.lower()
    words = (_WORD if _NOT_PLAIN.search(lower) else _PLAIN_WORD).findall(lower)
    if len(words) <= SHINGLE:
        return {" ".join(words).encode("utf-8", "surrogatepass")} if words else set()
    # The words encoded in one go (no word holds a space), then each run of SHINGLE joined
    encoded = " ".join(words).encode("utf-8", "surrogatepass").split(b" ")
    return set(map(b" ".join, zip(*(encoded[k:] for k in range(SHINGLE)))))


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature of the text's shingles (None for a text without words)."""
    grams = shingles(text)
    if not grams:
        return None
    # Each shingle's 4-byte blake2b digest as a little-endian integer, read by numpy in one go.
    digests = b"".join([hashlib.blake2b(g, digest_size=4).digest() for g in grams])
    hashes = np.frombuffer(digests, dtype="<u4").astype(np.uint64)
    permuted = np.multiply.outer(hashes, _A)  # (h * a + b) < 2**63 + 2**31: no overflow
    permuted += _B
    # x mod 2**61 - 1 without a division: (x & p) + (x >> 61) is x's remainder, or the remainder plus p
    reduced = permuted & _PRIME
    permuted >>= _61
    reduced += permuted
    reduced[reduced >= _PRIME] -= _PRIME
    reduced &= _MAX
    return reduced.min(axis=0).astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass
class Match:
    content_hash: str
    duplicate_of: str | None = None
    exact: bool = False


class DuplicateIndex:
    """Every text seen so far in an output, in order: exact hashes and the originals' band keys."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.hashes: dict[bytes, str] = {}           # digest -> the first doc_id with that text
        self.bands: list[dict[bytes, int]] = [{} for _ in range(BANDS)]
        self.ids: list[str] = []                     # indexed originals, in order
        self.signatures: list[np.ndarray] = []

    def add(self, doc_id: str, text: str) -> Match:
        """Record a document; says which earlier document it repeats, if any."""
        match = self.add_exact(doc_id, text)
        if not match.exact:
            match.duplicate_of = self.add_signature(doc_id, signature(text))
        return match

    def add_exact(self, doc_id: str, text: str) -> Match:
        """Record a document's hash; says which earlier document has the same text, if any. Its near copies
        are looked for by :meth:`add_signature`, next, unless it is an exact one."""
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        match = Match(digest.hex())
        if digest in self.hashes:
            match.duplicate_of, match.exact = self.hashes[digest], True
        else:
            self.hashes[digest] = doc_id
        return match

    def add_signature(self, doc_id: str, sig: np.ndarray | None) -> str | None:
        """The earliest original this signature nearly matches; with none, the document becomes an original."""
        if sig is None:
            return None
        keys = [sig[i::BANDS].tobytes() for i in range(BANDS)]
        original = self._near(sig, keys)
        if original is None:
            self._index(doc_id, sig, keys)
        return original

    def add_hash(self, doc_id: str, hex_digest: str) -> None:
        """Record a held document known only by its hash (a duplicate whose text was not kept)."""
        try:
            self.hashes.setdefault(bytes.fromhex(hex_digest), doc_id)
        except ValueError:
            pass

    def _near(self, sig: np.ndarray, keys: list[bytes]) -> str | None:
        candidates = sorted({table[key] for table, key in zip(self.bands, keys) if key in table})
        for number in candidates:  # earliest first
            if similarity(sig, self.signatures[number]) >= self.threshold:
                return self.ids[number]
        return None

    def _index(self, doc_id: str, sig: np.ndarray, keys: list[bytes]) -> None:
        number = len(self.ids)
        self.ids.append(doc_id)
        self.signatures.append(sig)
        for table, key in zip(self.bands, keys):
            table.setdefault(key, number)


def mark_duplicates(items: Iterable[Item], index: DuplicateIndex, skip_exact: bool = False,
                    skip_near: bool = False, stats: Counter | None = None, near_later: bool = False) -> Iterator[Item]:
    """Each document with its ``content_hash`` and ``duplicate_of``; those to leave out are marked ``skip``.

    ``skip_exact``: leave out texts the output already holds (``--append``);
    ``skip_near``: leave out every duplicate (``--skip-duplicates``). ``stats``
    counts the duplicates found under ``FLAGGED``.
    ``near_later``: only exact copies are looked for here; a document that is not one is marked
    ``needs_signature``, and its near copies are looked for once its signature is made (by the worker that
    processes it, see :func:`pipeline.runner.chunks.mark_near_duplicates`), in the same order. Near
    duplicates are then known after processing, so they cannot be left out: not with ``skip_near``.
    """
    if near_later and skip_near:
        raise ValueError("near duplicates to leave out must be found before processing: not near_later")
    stats = stats if stats is not None else Counter()
    for item in items:
        if isinstance(item, Document) and isinstance(item.text, str):
            match = index.add_exact(item.doc_id, item.text) if near_later else index.add(item.doc_id, item.text)
            item.content_hash, item.duplicate_of = match.content_hash, match.duplicate_of
            item.skip = match.duplicate_of is not None and (skip_near or (skip_exact and match.exact))
            item.needs_signature = near_later and not match.exact
            stats[FLAGGED] += match.duplicate_of is not None
        yield item
