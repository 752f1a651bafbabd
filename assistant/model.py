"""The data every stage passes on: a document and its citable clauses, and the error for a file
that cannot be read.

A clause is the unit of citation: one numbered item (heading + body), the notice,
the preamble, or one table row, with its section path as the document numbers it.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cached_property

from .genres import GENRES, PLAN, is_national
from .text import place_key


@dataclass(frozen=True)
class Clause:
    id: str                      # "{doc_id}#{key}": the same after re-parsing unchanged text
    doc_id: str
    path: tuple[str, ...]        # headings as numbered, outermost first
    text: str                    # original script, capture artifacts repaired
    kind: str = "item"           # notice | preamble | item | table_row
    units: tuple[str, ...] = ()  # responsible units (落实单位), when the clause names them
    part: int | None = None      # 1-based part number when a long clause was split
    page: int | None = None      # page in the source, for paged formats
    order: int = 0               # reading order within the document

    def to_dict(self) -> dict:
        # Shallow on purpose: dataclasses.asdict deep-copies, which dominated writing a large index.
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: dict) -> "Clause":
        return cls(**{**data, "path": tuple(data["path"]), "units": tuple(data.get("units", ()))})


@dataclass(frozen=True)
class Document:
    id: str                      # slug of the file name
    source: str                  # file name inside the corpus folder
    title: str                   # the plan's own title, original script
    number: str | None           # 文号, None when the text carries none
    issuer: str | None
    date: str | None             # ISO date the document was signed/issued
    region: str | None
    period: tuple[int, int] | None  # plan years, first and last
    content_hash: str            # sha256 of the file's bytes
    clauses: tuple[Clause, ...] = field(default=(), repr=False)
    genre: str = PLAN.name       # plan | law (assistant.genres)
    # Where the file came from: {"origin": "corpus"} or {"origin": "added", "via": "cli"|"web", "added_at": ISO
    # time, "file": name given}; stamped by the index build from library.py's record.
    provenance: dict | None = field(default=None, compare=False)

    @cached_property  # asked for every document on every question
    def short_title(self) -> str:
        """How people name the document: a plan by its place, a national law without 中华人民共和国."""
        if self.region:
            return self.region
        return re.sub(r"^中华人民共和国", "", self.title) if self.genre != PLAN.name else self.title

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Normalised names by which a question refers to this document (徐汇, 专利法)."""
        key = place_key(self.region)
        if key:
            return (key,)
        return (place_key(self.short_title),) if self.genre != PLAN.name else ()

    @property
    def states_targets(self) -> bool:
        """Whether its figures are targets to reach (专利授权量 2025 年达到 5000 件): a plan's are; a law's, and
        those of a national act of plan shape (a 刑法修正案, a 决定 in 一、二、) that has no plan period, are rules."""
        return GENRES[self.genre].states_targets and (self.period is not None or not is_national(self.title))

    def metadata(self) -> dict:
        """Everything but the clauses, JSON-ready."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "clauses"}
        data["period"] = list(self.period) if self.period else None
        data["short_title"] = self.short_title
        return data

    def to_dict(self) -> dict:
        return {**self.metadata(), "clauses": [c.to_dict() for c in self.clauses]}

    @classmethod
    def from_dict(cls, data: dict) -> "Document":
        fields = {f.name for f in dataclasses.fields(cls)}
        data = {k: v for k, v in data.items() if k in fields}
        return cls(**{
            **data,
            "period": tuple(data["period"]) if data.get("period") else None,
            "clauses": tuple(Clause.from_dict(c) for c in data.get("clauses", ())),
        })


class UnreadableDocument(Exception):
    """A file that cannot be read or decoded; the message names the file."""
