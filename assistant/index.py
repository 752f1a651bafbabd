"""Index stage: clause vectors in Chroma plus a BM25 keyword index, built aside and swapped in.

Layout of an index folder:

    CURRENT              name of the live build (replaced atomically)
    embeddings.sqlite    vectors by content hash, shared by all builds
    builds/<name>/       manifest.json, documents.jsonl, search_texts.json, keywords/, chroma/

A build starts from a copy of the live one and applies only the clause-level
difference, so unchanged text is never embedded or tokenised again; an interrupted build
leaves CURRENT pointing at the previous, complete build. Unchanged files keep their
parse, their keyword rows and their vectors from the live build.
With a Chroma server the vectors live in one collection per index folder and embedder.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
import numpy as np

from . import __version__
from .documents import SUPPORTED_SUFFIXES, load_corpus
from .embedders import Embedder, EmbeddingCache, count_missing, embed_passages
from .keywords import KeywordIndex, TermWeights
from .model import Clause, Document
from .stores import COLLECTION, ChromaStore, VectorStore
from .text import abbreviation_forms, normalize, tokenize

INDEX_FORMAT = 10  # 10: a law's legislature read from its adoption note when no 发文机关 line names it; 9: numerals before 张, 笔, 例, 宗 … read as quantities (三百张 → 300张); 8: a region only where the title names a place, a national act's title line alone, a thin space in a number read as none, images left by a conversion and borders drawn with dashes dropped; 7: text tables drawn with rules (+----+) read row by row; a denser HNSW graph


QUOTED_TITLE = re.compile(r"《([^《》]{2,60})》")


class IndexUnavailable(Exception):
    """The index is missing, corrupted or from another version; the message says which."""


@dataclass
class BuildReport:
    documents: int = 0
    clauses: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embedded: int = 0
    seconds: float = 0.0
    errors: tuple[str, ...] = ()
    up_to_date: bool = False

    def summary(self) -> str:
        if self.up_to_date:
            return f"index up to date: {self.documents} documents ({self.seconds:.2f} s)"
        return (f"indexed {self.documents} documents, {self.clauses} clauses "
                f"(added {len(self.added)}, changed {len(self.changed)}, removed {len(self.removed)}; "
                f"embedded {self.embedded} new clause texts) in {self.seconds:.1f} s")


PROVENANCE_FILE = ".provenance.json"  # in the corpus folder: file name → how and when it was added
SHIPPED = {"origin": "corpus"}          # a file that was in the folder (shipped, or copied in by hand)


def read_provenance(corpus: Path) -> dict[str, dict]:
    try:
        record = json.loads((corpus / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _with_provenance(documents: tuple[Document, ...], corpus: Path) -> tuple[Document, ...]:
    record = read_provenance(corpus)
    return tuple(dataclasses.replace(d, provenance=record.get(d.source, SHIPPED)) for d in documents)


def corpus_fingerprint(corpus: Path) -> dict[str, str]:
    """File name → sha256 of its bytes, for every file the corpus loader reads."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(corpus.iterdir()) if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES}


def _manifest_key(embedder_name: str, chroma_url: str | None) -> dict:
    return {"format": INDEX_FORMAT, "version": __version__, "embedder": embedder_name,
            "chroma_url": chroma_url}


class Index:
    """A loaded, read-only build: documents, clauses, keyword index and vector store."""

    def __init__(self, build: Path, manifest: dict, documents: list[Document]) -> None:
        self.build = build
        self.manifest = manifest
        self.documents = {d.id: d for d in documents}
        self.clauses: list[Clause] = [c for d in documents for c in d.clauses]
        self.clause_by_id = {c.id: c for c in self.clauses}
        self.position = {c.id: i for i, c in enumerate(self.clauses)}

    @classmethod
    def load(cls, root: Path) -> "Index":
        current = root / "CURRENT"
        if not current.exists():
            raise IndexUnavailable(f"no index at {root}")
        build = _live_build(root)
        try:
            manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
            with open(build / "documents.jsonl", encoding="utf-8") as lines:
                documents = [Document.from_dict(json.loads(line)) for line in lines if line.strip()]
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise IndexUnavailable(f"index at {root} is corrupted ({type(exc).__name__}: {exc})") from exc
        if manifest.get("format") != INDEX_FORMAT or manifest.get("version") != __version__:
            raise IndexUnavailable(f"index at {root} was built by another version")
        index = cls(build, manifest, documents)
        try:
            index.keywords  # noqa: B018 - load now so a broken keyword index is caught here
            if not (build / SEARCH_TEXTS_FILE).is_file():
                raise OSError(f"{SEARCH_TEXTS_FILE} is missing")
        except (OSError, ValueError, KeyError) as exc:
            raise IndexUnavailable(f"index at {root} is corrupted ({exc})") from exc
        return index

    @cached_property
    def keywords(self) -> KeywordIndex:
        return KeywordIndex.load(self.build / "keywords")

    @cached_property
    def vectors(self) -> VectorStore:
        """The clause vectors; IndexUnavailable (saying what to run) when Chroma cannot be opened or
        holds another number of vectors than there are clauses: dense search is never silently off."""
        try:
            store = self._open_vectors()
            count = store.count()
        except Exception as exc:  # chromadb raises its own errors for a damaged file or a server that is down
            raise IndexUnavailable(f"向量库无法打开 vector store unavailable ({_one_line(exc)})；{REPAIR_HINT}") from exc
        if count != len(self.clauses):
            raise IndexUnavailable(f"向量库有 {count} 个向量，索引有 {len(self.clauses)} 个条款；{REPAIR_HINT}")
        return store

    def _open_vectors(self) -> ChromaStore:
        url = self.manifest.get("chroma_url")
        if url:
            return ChromaStore.at_server(url, self.manifest.get("collection", COLLECTION))
        return ChromaStore.on_disk(self.build / "chroma")

    def damage(self, deep: bool = False) -> dict[str, str]:
        """What is broken in this build, by part ("search_texts", "vectors"); empty when sound.
        Cheap by default (what every `ask` can afford: the texts parse, one vector a clause, counted
        in Chroma's SQLite file without loading Chroma); `deep` adds SQLite's integrity check and,
        with a server, asks the server."""
        damage = {}
        try:
            if len(self.search_texts) != len(self.clauses):
                damage["search_texts"] = f"{SEARCH_TEXTS_FILE} has {len(self.search_texts)} texts for {len(self.clauses)} clauses"
        except (OSError, ValueError) as exc:
            damage["search_texts"] = f"{SEARCH_TEXTS_FILE} unreadable ({_one_line(exc)})"
        if problem := self._vector_damage(deep):
            damage["vectors"] = problem
        return damage

    def _vector_damage(self, deep: bool) -> str | None:
        if self.manifest.get("chroma_url"):
            if not deep:
                return None  # counted when the store is opened (`vectors`) and by every build
            try:
                count = self._open_vectors().count()
            except Exception as exc:
                return f"Chroma server: {_one_line(exc)}"
        else:
            count_or_problem = _chroma_file_count(self.build / "chroma" / "chroma.sqlite3", deep)
            if isinstance(count_or_problem, str):
                return count_or_problem
            count = count_or_problem
        if count is not None and count != len(self.clauses):
            return f"{count} vectors for {len(self.clauses)} clauses"
        return None

    @cached_property
    def search_texts(self) -> list[str]:
        """Normalised text of every clause, aligned with `clauses` (saved by the build:
        normalising 300k clauses again would hold up the first question for minutes)."""
        return json.loads((self.build / SEARCH_TEXTS_FILE).read_text(encoding="utf-8"))

    @cached_property
    def text(self) -> str:
        """Every clause's search text, one per line: where a form of words is looked for in the corpus."""
        return "\n".join(self.search_texts)

    def abbreviation_forms(self, token: str) -> tuple[str, ...]:
        """The full form the corpus writes a two-character abbreviation in (营收 → 营业收入), once per token:
        the search runs over the whole corpus text."""
        if token not in self._abbreviations:
            self._abbreviations[token] = abbreviation_forms(token, self.text)
        return self._abbreviations[token]

    def occurrences(self, form: str) -> int:
        """How often a form of words occurs in the corpus, once per form (every component reading an everyday
        word asks it)."""
        if form not in self._occurrences:
            self._occurrences[form] = self.text.count(form)
        return self._occurrences[form]

    @cached_property
    def _occurrences(self) -> dict[str, int]:
        return {}

    @cached_property
    def _abbreviations(self) -> dict[str, tuple[str, ...]]:
        return {}

    @cached_property
    def idf(self) -> "TermWeights":
        """Inverse document frequency of each token over the clauses."""
        return self.keywords.term_weights()

    @cached_property
    def document_spans(self) -> dict[str, tuple[int, int]]:
        """Each document's clauses as a [start, end) range of positions in `clauses`."""
        spans, start = {}, 0
        for document in self.documents.values():
            spans[document.id] = (start, start + len(document.clauses))
            start += len(document.clauses)
        return spans

    @cached_property
    def _document_texts(self) -> dict[str, str]:
        return {}

    def clause_texts(self, doc_id: str) -> list[str]:
        """A document's clauses in search form, in reading order."""
        start, end = self.document_spans[doc_id]
        return self.search_texts[start:end]

    def document_text(self, doc_id: str) -> str:
        """A document's title, issuer, region, 文号, section headings and clauses in search form, without
        white space (from the saved search texts): whether it names a place, states a number or treats a
        thing (二、主要任务 says the plan has tasks, though no clause under it says 任务)."""
        text = self._document_texts.get(doc_id)
        if text is None:
            document = self.documents[doc_id]
            head = normalize(f"{document.title}{document.issuer or ''}{document.region or ''}{document.number or ''}")
            headings = normalize("".join(dict.fromkeys(label for c in document.clauses for label in c.path[:-1])))
            body = "".join(self.clause_texts(doc_id))
            text = self._document_texts[doc_id] = re.sub(r"\s+", "", head + headings + body)
        return text

    def clause_mask(self, doc_ids) -> np.ndarray:
        """A boolean mask over `clauses`: True for the clauses of the given documents."""
        mask = np.zeros(len(self.clauses), dtype=bool)
        for doc_id in doc_ids:
            start, end = self.document_spans.get(doc_id, (0, 0))
            mask[start:end] = True
        return mask

    def document_of(self, clause: Clause) -> Document:
        return self.documents[clause.doc_id]

    def parts_of(self, clause: Clause) -> list[Clause]:
        """The clause with the other parts of the long article or item it was cut from, in order."""
        if clause.part is None:
            return [clause]
        base = clause.id.rsplit("-p", 1)[0]
        # the parts stand next to each other in the clause list, the first numbered 1
        first = self.position[clause.id] - (clause.part - 1)
        parts = []
        for other in self.clauses[first:]:
            if not (other.part and other.id.rsplit("-p", 1)[0] == base):
                break
            parts.append(other)
        return parts

    @cached_property
    def _documents_by_title(self) -> dict[str, Document]:
        """Documents by the normalised forms of their titles a text may quote (《反不正当竞争法》)."""
        titles = {}
        for document in self.documents.values():
            for title in (document.title, document.short_title):
                titles.setdefault(normalize(title), document)
        return titles

    def cited_documents(self, clause: Clause) -> list[tuple[str, Document]]:
        """Documents of the knowledge base that the clause cites by title (《…》), other than its own."""
        found = []
        for quoted in dict.fromkeys(QUOTED_TITLE.findall(clause.text)):
            document = self._documents_by_title.get(normalize(quoted))
            if document is not None and document.id != clause.doc_id:
                found.append((quoted, document))
        return found

    def neighbours(self, clause_id: str, before: int = 2, after: int = 2) -> list[Clause]:
        """The clause among its neighbours in the same document, in reading order."""
        clause = self.clause_by_id[clause_id]
        siblings = self.documents[clause.doc_id].clauses
        at = next(i for i, c in enumerate(siblings) if c.id == clause_id)
        return list(siblings[max(0, at - before): at + after + 1])


REPAIR_HINT = "请运行 `policy-assistant index` 检查并修复索引 (run `policy-assistant index` to repair it)"


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def _live_build(root: Path) -> Path:
    """The build CURRENT names; IndexUnavailable when CURRENT is garbage or names no build."""
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(f"index at {root} is corrupted (CURRENT unreadable: {_one_line(exc)})") from exc
    build = root / "builds" / name
    if not name or name != Path(name).name or name in (".", "..") or not build.is_dir():
        raise IndexUnavailable(f"index at {root} is corrupted (CURRENT names no build: {name[:80]!r})")
    return build


def _chroma_file_count(path: Path, deep: bool) -> int | str | None:
    """The number of vectors in an on-disk Chroma, read with sqlite3 (loading Chroma takes
    seconds); a string saying what is wrong when the file is missing or damaged; None when
    this Chroma's tables are laid out differently (then `Index.vectors` counts through Chroma)."""
    import sqlite3

    if not path.is_file():
        return f"{path.parent.name}/{path.name} is missing"
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return f"{path.name}: {_one_line(exc)}"
    try:
        if deep and (verdict := db.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
            return f"{path.name} fails SQLite's integrity check ({verdict[:200]})"
        return db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        return f"{path.name}: {_one_line(exc)}"
    except sqlite3.DatabaseError as exc:
        return f"{path.name}: {_one_line(exc)}"
    finally:
        db.close()


def build_damage(root: Path, deep: bool = False) -> dict[str, str]:
    """What is broken in the live build at `root` (see Index.damage); {"index": why} when it
    does not even load."""
    try:
        return Index.load(root).damage(deep)
    except IndexUnavailable as exc:
        return {"index": str(exc)}


def is_up_to_date(root: Path, corpus: Path, embedder_name: str, chroma_url: str | None = None) -> bool:
    """True when the live build was made from exactly these files with these settings.
    Cheap: hashes files and reads one JSON file, imports nothing heavy."""
    try:
        manifest = json.loads((_live_build(root) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, IndexUnavailable):
        return False
    same_settings = all(manifest.get(k) == v for k, v in _manifest_key(embedder_name, chroma_url).items())
    return same_settings and manifest.get("files") == corpus_fingerprint(corpus)


def build_index(corpus: Path, root: Path, embedder: Embedder, *, chroma_url: str | None = None,
                progress: bool = True, cache_path: Path | None = None, deep_check: bool = False) -> BuildReport:
    """Bring the index at `root` in line with the files in `corpus`. A damaged part of the live
    build is not carried over but made again (vectors from the embedding cache, not re-embedded);
    `deep_check` looks for damage with the slower checks of Index.damage."""
    started = time.perf_counter()
    previous, vectors_sound = _load_previous(root, embedder.name, chroma_url, deep_check)
    vector_base = previous if vectors_sound else None
    # Unchanged files keep their parse from the live build: at thousands of files parsing dominates.
    loaded = load_corpus(corpus, known={d.source: d for d in previous.documents.values()} if previous else None)
    loaded = dataclasses.replace(loaded, documents=_with_provenance(loaded.documents, corpus))
    report = _diff(previous, loaded.documents)
    report.errors = loaded.errors

    build = root / "builds" / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    build.mkdir(parents=True)
    collection = _server_collection(root, embedder.name, previous) if chroma_url else None
    store = _open_store(build, vector_base, chroma_url, collection)
    cache = EmbeddingCache(cache_path or root / "embeddings.sqlite")
    try:
        report.embedded = _apply_vector_delta(store, vector_base, loaded.documents, embedder, cache, progress)
    finally:
        cache.close()
    clauses = [c for d in loaded.documents for c in d.clauses]
    # jieba is the slow part of a build at scale (≈0.7 ms a clause): only new text is tokenised.
    KeywordIndex.update(previous.keywords if previous else None, [c.id for c in clauses],
                        [_token_key(c) for c in clauses],
                        lambda position: tokenize(keyword_text(clauses[position]))).save(build / "keywords")
    _save_json(build / SEARCH_TEXTS_FILE, _search_texts(clauses, previous))
    _write_build(build, loaded.documents, {**_manifest_key(embedder.name, chroma_url), "collection": collection,
                                           "files": corpus_fingerprint(corpus),
                                           "built": datetime.now(timezone.utc).isoformat()})
    _swap_in(root, build, keep=previous.build if previous else None)
    report.documents, report.clauses = len(loaded.documents), len(clauses)
    report.seconds = time.perf_counter() - started
    return report


def embedding_text(clause: Clause) -> str:
    """What the embedder sees: one script (simplified), whatever the source used.
    The same as the clause's entry in `Index.search_texts`."""
    return normalize(clause.text)


def keyword_text(clause: Clause) -> str:
    """What BM25 sees: the headings above the clause give it context (工作目标, 附表 …)."""
    return normalize(" ".join(clause.path[:-1]) + "\n" + clause.text)


SEARCH_TEXTS_FILE = "search_texts.json"


def _search_texts(clauses: list[Clause], previous: Index | None) -> list[str]:
    """normalize(text) of each clause, taken from the live build where the text is unchanged."""
    known = dict(zip((c.text for c in previous.clauses), previous.search_texts)) if previous else {}
    return [known[c.text] if c.text in known else normalize(c.text) for c in clauses]


def _save_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def _token_key(clause: Clause) -> str:
    """A hash of what keyword_text is made from (normalising first would cost as much as a cache miss)."""
    return hashlib.sha1("\n".join((*clause.path[:-1], clause.text)).encode("utf-8")).hexdigest()


def _load_previous(root: Path, embedder_name: str, chroma_url: str | None,
                   deep_check: bool = False) -> tuple[Index | None, bool]:
    """The live build, if it can serve as the base of an incremental build, and whether its
    vectors can too (a server may have lost or gained vectors behind our back, a file may be
    damaged: then every vector is written again, from the cache)."""
    try:
        index = Index.load(root)
    except IndexUnavailable:
        return None, False
    if not all(index.manifest.get(k) == v for k, v in _manifest_key(embedder_name, chroma_url).items()):
        return None, False
    damage = index.damage(deep=deep_check or bool(chroma_url))
    if set(damage) - {"vectors"}:
        return None, False
    return index, "vectors" not in damage


def _diff(previous: Index | None, documents: tuple[Document, ...]) -> BuildReport:
    old = {d.id: d.content_hash for d in previous.documents.values()} if previous else {}
    new = {d.id: d.content_hash for d in documents}
    return BuildReport(added=sorted(new.keys() - old.keys()),
                       changed=sorted(k for k in new.keys() & old.keys() if new[k] != old[k]),
                       removed=sorted(old.keys() - new.keys()))


def _server_collection(root: Path, embedder_name: str, previous: Index | None) -> str:
    """One server collection per index folder and embedder: vectors of another model (another
    dimension) or of another index folder's corpus never mix on a shared server."""
    if previous is not None and previous.manifest.get("collection"):
        return previous.manifest["collection"]
    digest = hashlib.sha1(f"{embedder_name}\0{root.resolve()}".encode("utf-8")).hexdigest()[:16]
    return f"{COLLECTION}-{digest}"


def _open_store(build: Path, previous: Index | None, chroma_url: str | None, collection: str | None) -> VectorStore:
    if chroma_url:
        store = ChromaStore.at_server(chroma_url, collection)
        if previous is None:  # no trustworthy record of what the server holds: start clean
            store.delete(list(_all_server_ids(store)))
        return store
    if previous is not None and (previous.build / "chroma").exists():
        shutil.copytree(previous.build / "chroma", build / "chroma")
    return ChromaStore.on_disk(build / "chroma")


def _all_server_ids(store: ChromaStore) -> list[str]:
    return store._collection.get(include=[])["ids"]


def _vector_key(clause: Clause) -> tuple[str, str]:
    return clause.id, clause.text


def _apply_vector_delta(store: VectorStore, previous: Index | None, documents: tuple[Document, ...],
                        embedder: Embedder, cache: EmbeddingCache, progress: bool) -> int:
    """Delete vectors of clauses that changed or went away; embed and add the new ones.
    Returns how many texts had to be embedded (the rest came from the cache)."""
    by_id = {d.id: d for d in documents}
    old = {_vector_key(c) for c in previous.clauses} if previous else set()
    wanted = {_vector_key(c): c for d in documents for c in d.clauses}
    fresh = [wanted[key] for key in wanted.keys() - old]
    stale = {cid for cid, _ in old - wanted.keys()} - {c.id for c in fresh}  # upsert replaces the rest
    if stale:
        store.delete(sorted(stale))
    if not fresh:
        return 0
    texts = [embedding_text(c) for c in fresh]
    to_embed = count_missing(embedder.name, texts, cache)
    bar = _progress_bar(to_embed, progress)
    vectors = embed_passages(embedder, texts, cache, on_progress=bar.update if bar else None)
    if bar:
        bar.close()
    store.upsert([c.id for c in fresh], vectors, [_vector_metadata(c, by_id[c.doc_id]) for c in fresh])
    return to_embed


def _vector_metadata(clause: Clause, document: Document) -> dict:
    meta = {"doc_id": clause.doc_id, "kind": clause.kind}
    if document.region:
        meta["region"] = document.region
    if document.period:
        meta["year_from"], meta["year_to"] = document.period
    return meta


def _progress_bar(total: int, enabled: bool):
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="embedding clauses", unit="clause", file=sys.stderr)


def _write_build(build: Path, documents: tuple[Document, ...], manifest: dict) -> None:
    with open(build / "documents.jsonl", "w", encoding="utf-8") as out:
        for document in documents:
            out.write(json.dumps(document.to_dict(), ensure_ascii=False) + "\n")
    (build / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def _swap_in(root: Path, build: Path, keep: Path | None) -> None:
    """Point CURRENT at the new build, then drop every build but it and `keep`
    (the one before, which a running server may still be reading)."""
    pending = root / "CURRENT.tmp"
    pending.write_text(build.name, encoding="utf-8")
    os.replace(pending, root / "CURRENT")
    for old in (root / "builds").iterdir():
        if old not in (build, keep):
            shutil.rmtree(old, ignore_errors=True)
