"""Documents stage: load files and folders of policy text and parse each into a document of citable
clauses (assistant.model), putting together its lines, front matter and outline; the size limits on
one file are here, where files are read.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .frontmatter import (date_of, front_of, issuer_of, legislature, number_of, period_of, region_of, revision_date,
                          split_header)
from .genres import genre_of, is_national
from .lines import ANNEX_LINE, clean_lines, heading_of, join_broken_lines
from .model import Document, UnreadableDocument
from .outline import Draft, Outline, cut_clauses
from .readers import read_source, with_pages
from .tables import EMPTY_CELL, find_tables
from .text import to_simplified


@dataclass(frozen=True)
class CorpusLoad:
    documents: tuple[Document, ...]
    errors: tuple[str, ...]       # one line per skipped file, naming it


# ---------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")  # readers.READERS reads each
# Limits on one file: far above any real plan or law (the Civil Code is about 110,000 characters),
# low enough that a mistaken upload cannot hold the index for hours (embedding runs at a few
# thousand characters a second on a small CPU).
MAX_FILE_BYTES = 50_000_000
MAX_TEXT_CHARS = 1_000_000


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------

def parse_document(text: str, doc_id: str, source: str, content_hash: str = "") -> Document:
    fields, lines = split_header(clean_lines(text))
    items = join_broken_lines([i for i in find_tables(lines) if i != EMPTY_CELL])
    front = front_of(items)
    drafts: list[Draft] = []
    if front.notice:
        drafts.append(Draft(("印发通知",), "notice", front.notice, kind="notice"))
    body = items[front.body_start:]
    first_heading = next((i for i, item in enumerate(body) if not isinstance(item, str)
                          or heading_of(item) or ANNEX_LINE.match(to_simplified(item))), len(body))
    if body[:first_heading]:
        drafts.append(Draft(("前言",), "preamble", body[:first_heading], kind="preamble"))
    genre = genre_of(Counter(h.style for item in body if isinstance(item, str) and (h := heading_of(item))))
    drafts.extend(Outline(genre).feed(body[first_heading:]))
    title = front.title or Path(source).stem
    return Document(
        id=doc_id, source=source, title=title, number=number_of(fields, items),
        issuer=issuer_of(front, fields) or legislature(body), date=date_of(front, fields) or revision_date(body),
        region=None if is_national(to_simplified(title)) else region_of(front.title),
        period=period_of(front.title), content_hash=content_hash,
        clauses=cut_clauses(doc_id, drafts, genre), genre=genre.name)


def document_id(path: Path) -> str:
    """Slug of the file stem: letters (Chinese ones too, so 徐汇方案2025 and 郑州方案2025 stay two
    documents) and digits, other runs of characters as one hyphen; a name with neither gets a hash."""
    slug = re.sub(r"-{2,}", "-", re.sub(r"[^\w-]|_", "-", path.stem.lower())).strip("-")
    if not slug:
        return "doc-" + hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:8]
    return slug


def load_document(path: Path, known: dict[str, Document] | None = None) -> Document:
    """The parsed file; `known` documents by file name are reused when the bytes are the same."""
    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableDocument(f"{path.name}: file of {path.stat().st_size / 1e6:.0f} MB is over the limit of "
                                 f"{MAX_FILE_BYTES // 1_000_000} MB a document")
    data = path.read_bytes()
    content_hash = hashlib.sha256(data).hexdigest()
    previous = (known or {}).get(path.name)
    if previous is not None and previous.content_hash == content_hash:
        return previous
    source = read_source(path.name, data)
    if len(source.text) > MAX_TEXT_CHARS:
        raise UnreadableDocument(f"{path.name}: {len(source.text):,} characters of text is over the limit of "
                                 f"{MAX_TEXT_CHARS:,} a document; split it into several files")
    document = parse_document(source.text, document_id(path), path.name, content_hash)
    return with_pages(document, source.pages) if source.pages else document


def load_corpus(folder: Path, known: dict[str, Document] | None = None) -> CorpusLoad:
    """Every supported file of the folder, parsed; `known` (by file name) spares re-parsing
    files whose bytes did not change."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {folder}")
    documents, errors = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES):
        try:
            documents.append(load_document(path, known))
        except UnreadableDocument as exc:
            errors.append(str(exc))
        except Exception as exc:  # one malformed file must not stop the whole corpus from loading
            errors.append(f"{path.name}: {type(exc).__name__}: {exc}")
    if not documents:
        raise ValueError(f"no documents in {folder}" + (f" ({'; '.join(errors)})" if errors else ""))
    return CorpusLoad(tuple(documents), tuple(errors))
