"""Load the Vietnamese knowledge in ``rules/``: gazetteers, word lists and patterns.

Everything here is data a linguist can edit without touching Python. Files are
read once per process and shared by every component.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import regex

from pipeline.text.normalize import fold_tones


def rules_dir() -> Path:
    """Where the rule files live: ``$VNIE_RULES``, the source checkout, or the installed package."""
    env = os.environ.get("VNIE_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "rules_data"):
        if (candidate / "ranks.txt").exists():
            return candidate
    raise FileNotFoundError(f"rules/ not found next to {here}; set VNIE_RULES to its path")


def read_list(path: Path) -> list[str]:
    """Read a word list: one entry per line, '#' starts a comment, blank lines ignored."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            items.append(fold_tones(line))
    return items


def read_lines(path: Path) -> list[str]:
    """Read a list kept exactly as written: one entry per non-blank line not starting with '#'."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def read_jsonl(path: Path) -> list[dict]:
    """Read a JSONL rule file, one record per line."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON: {exc}") from exc
    return records


def alternation(words) -> str:
    r"""A regex alternation of literal ``words``, longest first, inner spaces matching any space.

    It is written as a tree of shared prefixes ("Bộ|Bộ Công an|Ban" as ``B(?:ộ(?:\s+Công\s+an|)|an)``):
    the regex engine reads a character once per branch instead of once per word, which makes a list of
    hundreds of words many times faster to try, and it tries the words that can match in the order of
    the flat list (longest first), so every pattern built on it matches exactly as before.
    """
    ordered = sorted(set(words), key=lambda w: (-len(w), w))  # a fixed order: the same pattern in every process
    pieces = [_pieces(fold_tones(w)) for w in ordered]
    if any(a == r"\s+" and _is_space(b) for word in pieces for a, b in zip(word, word[1:])):
        # "a  b": a ``\s+`` that can give back a space lets two branches start at different places
        return "(?:" + "|".join("".join(word) for word in pieces) + ")"
    return "(?:" + _prefix_tree(pieces) + ")"


_PIECE = regex.compile(r"\\s\+|\\.|.", regex.DOTALL)


def _pieces(word: str) -> tuple[str, ...]:
    r"""A word as regex pieces: an escaped or plain character, or ``\s+`` for a space."""
    return tuple(_PIECE.findall(regex.escape(word).replace(r"\ ", r"\s+")))


def _prefix_tree(words: list[tuple[str, ...]]) -> str:
    r"""The alternation of ``words`` (in the order to try them), their shared first pieces written once.

    Two branches never match at the same place, so only the order within a branch matters: the
    words that go on are tried before the one that ends here, as in the flat list. Where that is
    not so, the words are listed as they come, flat; where two branches could read the same character
    (case variants such as "B" and "b" under ``(?i)``, or a tab and ``\s+``), their words are.
    """
    if len(words) == 1:
        return "".join(words[0])
    branches: dict[str, list[tuple[str, ...]]] = {}
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
    if () in words and words.index(()) != len(words) - 1:
        return "|".join("".join(word) for word in words)
    parts = []
    for group in _clashing_groups(sorted(branches)):
        if len(group) == 1:
            parts.append(group[0] + _grouped(_prefix_tree(branches[group[0]])))
        else:
            parts.append("|".join("".join(word) for word in words if word and word[0] in group))
    return "|".join(parts + ([""] if () in words else []))


def _grouped(tree: str) -> str:
    return f"(?:{tree})" if "|" in tree else tree


def _is_space(piece: str) -> bool:
    return piece == r"\s+" or piece[-1:].isspace()


def _clashing_groups(pieces: list[str]) -> list[list[str]]:
    """The pieces in groups that could match the same character (case aside), each alone if none can."""
    lower = [piece[-1].lower() for piece in pieces]
    if len(set(lower)) == len(pieces) and all(c.upper().lower() == c == c.casefold() and not c.isspace() and c != "+"
                                              for c in lower):
        return [[piece] for piece in pieces]  # the usual case, told quickly: distinct letters, no space
    groups: list[tuple[set[str], list[str]]] = []
    for piece in pieces:
        char = piece[-1]
        keys = {r"\s"} if _is_space(piece) else {char.lower(), char.upper(), char.casefold()}
        joined = [g for g in groups if g[0] & keys]
        for g in joined:
            groups.remove(g)
            keys |= g[0]
        groups.append((keys, [p for g in joined for p in g[1]] + [piece]))
    return [members for _, members in groups]


def first_letters(words) -> str:
    """A lookahead for the first characters of ``words`` as :func:`alternation` spells them. Put before
    an alternation of the same words, it changes no match, but rejects most positions of a text before
    the long alternation is tried."""
    return "(?=[" + "".join(sorted({regex.escape(fold_tones(w)[:1]) for w in words if w})) + "])"


class Rules:
    """The rule files of one folder, read by name, each once per process.

    ``words("cities")`` reads ``cities.txt``, ``records("titles")`` reads
    ``titles.jsonl``, ``settings("dates")`` reads ``dates.json`` and
    ``regexes("boilerplate")`` reads ``boilerplate.txt`` as regular expressions.
    """

    def __init__(self, path: Path):
        self.path = path
        self._cache: dict[tuple[str, str], object] = {}

    def _read(self, kind: str, name: str, read):
        key = (kind, name)
        if key not in self._cache:
            self._cache[key] = read()
        return self._cache[key]

    def file(self, name: str) -> Path:
        path = self.path / name
        if not path.exists():
            raise FileNotFoundError(f"rule file {path} does not exist")
        return path

    def words(self, name: str) -> list[str]:
        """A word list (``<name>.txt``), tone marks in one placement."""
        return self._read("words", name, lambda: read_list(self.file(f"{name}.txt")))

    def regexes(self, name: str) -> list[str]:
        """A list of regular expressions (``<name>.txt``), kept exactly as written."""
        return self._read("regexes", name, lambda: read_lines(self.file(f"{name}.txt")))

    def records(self, name: str) -> list[dict]:
        """A JSONL file of records (``<name>.jsonl``)."""
        return self._read("records", name, lambda: read_jsonl(self.file(f"{name}.jsonl")))

    def settings(self, name: str) -> dict:
        """A JSON object of named word lists and settings (``<name>.json``)."""
        return self._read("settings", name, lambda: json.loads(self.file(f"{name}.json").read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> Rules:
    """The rules in ``path`` (default: :func:`rules_dir`), shared by every component of a process."""
    base = Path(path) if path else rules_dir()
    if not base.is_dir():
        raise FileNotFoundError(f"rules folder {base} does not exist")
    return Rules(base)
