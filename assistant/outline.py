"""The outline of a policy text: its body walked heading by heading, the nesting of numbering styles
read as the document itself nests them, and the drafts cut into citable clauses (long ones between
sentences, a law's paragraphs named). Kept apart so that the rules of clause ids and paths are in one
place, and `paragraphs` can serve the composer without the loading code.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from .genres import PLAN, Genre, paragraph_label
from .lines import (ANNEX_LINE, MAX_LABEL_CHARS, SENTENCE_BREAK, UNITS, Heading, heading_of, is_heading_only,
                    is_standalone, numbering, path_label)
from .model import Clause
from .tables import Table
from .text import to_simplified

MAX_CLAUSE_CHARS = 480


# ---------------------------------------------------------------------------
# Clauses: walk the body keeping the stack of open headings
# ---------------------------------------------------------------------------

@dataclass
class _Level:
    style: str
    token: str
    label: str
    dashes: int = 0  # dash bullets seen directly under this level


@dataclass
class Draft:
    path: tuple[str, ...]
    key: str
    lines: list[str]
    kind: str = "item"
    level: _Level | None = None  # the heading that opened it

    @property
    def heading_only(self) -> bool:
        return len(self.lines) == 1 and self.level is not None and is_heading_only(self.lines[0])


class Outline:
    """Turns body items into clause drafts; a heading's level comes from the
    order in which numbering styles nest, as in the document itself."""

    def __init__(self, genre: Genre = PLAN) -> None:
        self.genre = genre
        self.stack: list[_Level] = []
        self.root = _Level("root", "", "")
        self.drafts: list[Draft] = []
        self.current: Draft | None = None
        self.tables = 0
        self.annexes = 0
        self.caption: str | None = None  # short line naming the table that follows

    def feed(self, items: list) -> list[Draft]:
        for i, item in enumerate(items):
            following = items[i + 1] if i + 1 < len(items) else None
            if isinstance(item, Table):
                self._table(item)
            elif ANNEX_LINE.match(to_simplified(item)):
                self._annex(item)
            elif (heading := heading_of(item)) is not None and not self._inline(heading):
                self._heading(item, heading)
            elif isinstance(following, Table) and self._is_caption(item):
                self._finish(keep_heading_only=False)
                self.caption = item
            else:
                self._text(item)
        self._finish(keep_heading_only=True)
        return self.drafts

    def _path(self) -> tuple[str, ...]:
        return tuple(level.label for level in self.stack)

    def _inline(self, heading: Heading) -> bool:
        """A law's items （一）… are part of the article they stand in."""
        return (heading.style in self.genre.inline_styles and self.current is not None
                and self.current.level is not None and self.current.level.style == "article")

    def _key(self) -> str:
        return ".".join(level.token for level in self.stack if level.token)

    def _heading(self, line: str, heading: Heading) -> None:
        label = numbering(line) if heading.style in self.genre.bare_label_styles else heading.label
        level = _Level(heading.style, heading.token, label)
        stack = self._nest(level)
        if heading.style == "dash":
            parent = stack[-2] if len(stack) > 1 else self.root
            parent.dashes += 1
            level.token = f"d{parent.dashes}"
        opened_child = self.current is not None and any(lv is self.current.level for lv in stack)
        self._finish(keep_heading_only=not opened_child)
        self.stack = stack
        self.caption = None
        self.current = Draft(self._path(), self._key(), [line], level=level)

    def _nest(self, level: _Level) -> list[_Level]:
        for i, open_level in enumerate(self.stack):
            if open_level.style == level.style:
                return self.stack[:i] + [level]
        return self.stack + [level]

    def _annex(self, line: str) -> None:
        self._finish(keep_heading_only=True)
        bare = ANNEX_LINE.match(to_simplified(line)).group(3) is None
        if bare and self.stack and self.stack[0].style == "annex":
            return  # the bare 附表 heading repeats the titled one just above
        self.annexes += 1
        # An annex heading is a title, not a sentence: keep it whole (附表:X).
        label = line if len(line) <= 2 * MAX_LABEL_CHARS else line[:2 * MAX_LABEL_CHARS] + "…"
        self.stack = [_Level("annex", f"annex{self.annexes}", label)]
        self.caption = None

    def _is_caption(self, line: str) -> bool:
        return len(line) <= 60 and not SENTENCE_BREAK.search(line) and not is_standalone(line)

    def _text(self, line: str) -> None:
        if self.current is None:
            self.current = Draft(self._path(), self._key(), [])
        self.current.lines.append(line)

    def _table(self, table: Table) -> None:
        self._finish(keep_heading_only=False)
        self.tables += 1
        path = self._path()
        if self.caption and not any(self.caption in label for label in path):
            path += (path_label(self.caption),)
        prefix = f"{self._key()}." if self._key() else ""
        for index in range(len(table.rows)):
            number = table.row_number(index)
            label = path_label(f"{number}. {table.row_label(index)}")
            self.drafts.append(Draft(path + (label,), f"{prefix}t{self.tables}r{number}",
                                      [table.row_text(index)], kind="table_row"))
        self.caption = None

    def _finish(self, keep_heading_only: bool) -> None:
        draft, self.current = self.current, None
        if draft is None or not draft.lines:
            return
        if draft.heading_only and not keep_heading_only:
            return  # a heading with no text of its own shows in its children's paths
        self.drafts.append(draft)


def _units(text: str) -> tuple[str, ...]:
    """The 落实单位 list of a clause; parentheses may nest (区政府办（外办）)."""
    m = UNITS.search(to_simplified(text))
    if not m:
        return ()
    depth, end = 1, m.end()
    while end < len(text) and depth:
        depth += {"（": 1, "(": 1, "）": -1, ")": -1}.get(text[end], 0)
        end += 1
    inner = text[m.end():end - 1] if depth == 0 else text[m.end():]
    return tuple(unit.strip() for unit in re.split(r"[、，,；;]", inner) if unit.strip())


SPLIT_POINT = re.compile(r"[。！？；!?;]+[”’」』）)】]*\s*")


def _split_long(text: str, limit: int = MAX_CLAUSE_CHARS) -> list[str]:
    """Consecutive slices of at most `limit` characters, cut between sentences
    (same sentence ends as text.split_sentences, but keeping every character so
    the parts join back into the clause)."""
    if len(text) <= limit:
        return [text]
    cuts = [0] + [m.end() for m in SPLIT_POINT.finditer(text)] + [len(text)]
    sentences = [text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
    parts: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > limit:
            parts.append(current)
            current = ""
        while len(sentence) > limit:
            parts.append(sentence[:limit])
            sentence = sentence[limit:]
        current += sentence
    if current:
        parts.append(current)
    return parts


def _paragraph_starts(lines: list[str], genre: Genre) -> list[int]:
    """Offsets in the joined lines where a paragraph (款) begins; an item line （一）… continues
    the paragraph that introduced it."""
    starts, offset = [], 0
    for i, line in enumerate(lines):
        heading = heading_of(line) if i else None
        if i == 0 or heading is None or heading.style not in genre.inline_styles:
            starts.append(offset)
        offset += len(line) + 1
    return starts


def paragraphs(text: str, genre: Genre) -> list[str]:
    """A clause's paragraphs (款), each with the items （一）… that belong to it."""
    lines = text.split("\n")
    starts = _paragraph_starts(lines, genre) + [len(text) + 1]
    return [text[a:b - 1].strip() for a, b in zip(starts, starts[1:]) if text[a:b - 1].strip()]


def paragraphs_across(parts: Sequence[Clause], genre: Genre) -> list[list[tuple[str, Clause]]]:
    """The paragraphs of a clause cut into parts (in order), each as its pieces with the part that
    holds them: a long article is cut between sentences, so a paragraph, or the list of items it
    introduces (著作权法第二十四条's （一）…（十三）), may go on in the next part."""
    text = "".join(part.text for part in parts)  # the parts join back into the clause
    ends = list(itertools.accumulate(len(part.text) for part in parts))
    starts = _paragraph_starts(text.split("\n"), genre) + [len(text) + 1]
    found = []
    for a, b in zip(starts, starts[1:]):
        pieces = []
        for i, part in enumerate(parts):
            lo, hi = max(a, ends[i] - len(part.text)), min(b - 1, ends[i])
            if lo < hi and text[lo:hi].strip():
                pieces.append((text[lo:hi].strip(), part))
        if pieces:
            found.append(pieces)
    return found


def _part_paths(draft: Draft, parts: list[str], genre: Genre) -> list[tuple[str, ...]]:
    """Each part's path: the clause's, plus the paragraphs it covers where the genre names them."""
    if len(parts) == 1 or not genre.name_paragraphs or draft.level is None:
        return [draft.path] * len(parts)
    starts = _paragraph_starts(draft.lines, genre)
    paths, offset = [], 0
    for part in parts:
        first = bisect.bisect_right(starts, offset)
        last = bisect.bisect_right(starts, offset + len(part.rstrip()) - 1)
        paths.append(draft.path + (paragraph_label(first, last),))
        offset += len(part)
    return paths


def cut_clauses(doc_id: str, drafts: Iterable[Draft], genre: Genre = PLAN) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    seen: set[str] = set()
    next_suffix: dict[str, int] = {}
    for draft in drafts:
        text = "\n".join(draft.lines).strip()
        if not text:
            continue
        key = _unique(draft.key or "text", seen, next_suffix)
        seen.add(key)  # also when split: a later draft with the same key must not reuse key-p1
        parts = _split_long(text)
        for number, (part, path) in enumerate(zip(parts, _part_paths(draft, parts, genre)), 1):
            part_key = f"{key}-p{number}" if len(parts) > 1 else key
            seen.add(part_key)
            clauses.append(Clause(id=f"{doc_id}#{part_key}", doc_id=doc_id, path=path, text=part,
                                  kind=draft.kind, units=_units(text), part=number if len(parts) > 1 else None,
                                  order=len(clauses)))
    assert len({c.id for c in clauses}) == len(clauses), f"duplicate clause ids in {doc_id}"
    return tuple(clauses)


def _unique(key: str, seen: set[str], next_suffix: dict[str, int]) -> str:
    """The key, or key-2, key-3 … the first one not taken. Where to resume counting is kept
    per key: a document of thousands of （一） items would otherwise re-count from 2 every time."""
    if key not in seen:
        return key
    n = next_suffix.get(key, 2)
    while f"{key}-{n}" in seen:
        n += 1
    next_suffix[key] = n + 1
    return f"{key}-{n}"
