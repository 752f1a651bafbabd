"""Conflicting sources: different documents giving the same indicator of the same place and
year different figures (an outdated plan and its revision, or a planted file). A clause that
agrees with a statement does not vouch for it while another document says otherwise.

Only documents of the same place are compared (their regions' short forms are equal), so
plans of different places never conflict however alike their indicators are.
"""
from __future__ import annotations

from functools import cached_property

from .index import Index
from .targets import Target, extract_targets
from .text import place_key


class ConflictFinder:
    """Targets of other documents that disagree with a target; documents are read lazily,
    only those of the target's place (no table of every target at thousands of documents)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._targets: dict[str, list[Target]] = {}

    @cached_property
    def _documents_by_place(self) -> dict[str, list[str]]:
        places: dict[str, list[str]] = {}
        for document in self.index.documents.values():
            if key := place_key(document.region):
                places.setdefault(key, []).append(document.id)
        return places

    def _targets_of(self, doc_id: str) -> list[Target]:
        if doc_id not in self._targets:
            self._targets[doc_id] = extract_targets(self.index.documents[doc_id])
        return self._targets[doc_id]

    def of(self, target: Target) -> list[Target]:
        """Targets of other documents of the same place stating the same indicator (same
        measure) for the same year with another figure; a document that gives no year for it
        competes with every year. One target a document and figure."""
        key = place_key(target.region)
        if not key:
            return []
        found: dict[tuple, Target] = {}
        for doc_id in self._documents_by_place.get(key, []):
            if doc_id == target.doc_id:
                continue
            for other in self._targets_of(doc_id):
                if (other.group == target.group and other.measure == target.measure
                        and (other.year == target.year or None in (other.year, target.year))
                        and (other.low, other.high) != (target.low, target.high)):
                    found.setdefault((other.doc_id, other.low, other.high), other)
        return list(found.values())


def conflict_reason(index: Index, target: Target, others: list[Target]) -> str:
    """与其他条款不一致, naming every clause involved with its figure."""
    def stated(t: Target) -> str:
        return f"《{index.documents[t.doc_id].short_title}》{t.clause_id} 为 {t.shown()}"

    year = f"{target.year} 年" if target.year else ""
    return f"与其他条款不一致：{year}“{target.group}”{stated(target)}，" + "，".join(stated(o) for o in others)
