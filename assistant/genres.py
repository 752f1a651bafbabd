"""Document genres as data: what the parser does differently for a plan and for a law.

A plan (方案, 计划) nests 一、 → （一） → 1. and each numbered item is a clause. A law or
regulation (法, 条例, 办法 in articles) is made of 第X条: the article is the unit of citation, its
items （一）（二） and the paragraphs (款) after them belong to it, and its path reads 第四十二条
rather than its first sentence. Plan-only readings (a plan period from the title, 落实单位) need
no switch: they apply wherever the text carries them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .numerals import chinese_numeral

ARTICLE_STYLE = "article"
# An article-structured text has at least this many 第X条 and more of them than 一、 headings.
MIN_ARTICLES = 3
# Laws of the whole country: their title names no region (中华人民共和国专利法).
NATIONAL_PREFIXES = ("中华人民共和国", "全国人民代表大会")


@dataclass(frozen=True)
class Genre:
    name: str
    inline_styles: frozenset[str]   # numbering that stays inside the clause it appears in
    bare_label_styles: frozenset[str]  # headings shown in paths by their number alone
    name_paragraphs: bool           # parts of a long clause are named by paragraph (第二款)
    # sections that state what the document values rather than what it will do
    principle_headings: tuple[str, ...] = ()
    # sections that state what the document aims at (its targets) rather than how it will get there
    aim_headings: tuple[str, ...] = ()
    # a section is named by most of its heading's words in any order (a plan's 深化知识产权优势企业培育
    # by 怎么培育知识产权优势企业); a law's chapters (与著作权有关的权利) share their words with every
    # question about the law, and are named by their heading or their number only
    sections_by_words: bool = True
    # figures state targets of an indicator (专利授权量 2025 年达到 5000 件) that verify compares across
    # documents; a law's figures are rules (罚款 25 万元以下, 期限为十五年) judged against the clause stating them
    states_targets: bool = True
    # a figure may stand apart from the clause whose words speak of its subject (a plan's targets table,
    # restated in an annex); an article states the figures of its own rule
    figures_apart: bool = True


PLAN = Genre("plan", frozenset(), frozenset(), name_paragraphs=False, principle_headings=("指导思想", "基本原则"),
            aim_headings=("目标",))
LAW = Genre("law", inline_styles=frozenset({"cn", "paren_cn", "arabic", "paren_arabic", "circled", "dash"}),
            bare_label_styles=frozenset({ARTICLE_STYLE}), name_paragraphs=True, sections_by_words=False,
            states_targets=False, figures_apart=False)
GENRES = {g.name: g for g in (PLAN, LAW)}


def genre_of(heading_styles: Counter) -> Genre:
    """The genre of a body, from how many of its numbered lines are of each style."""
    articles = heading_styles.get(ARTICLE_STYLE, 0)
    return LAW if articles >= MIN_ARTICLES and articles > heading_styles.get("cn", 0) else PLAN


def is_national(title: str) -> bool:
    return title.startswith(NATIONAL_PREFIXES)


def paragraph_label(first: int, last: int) -> str:
    """第二款, or 第二款至第三款 for a part spanning paragraphs."""
    label = f"第{chinese_numeral(first)}款"
    return label if first == last else f"{label}至第{chinese_numeral(last)}款"
