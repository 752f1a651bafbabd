"""Knowledge-base management: add files to the corpus and remove documents, keeping the
index in step through the incremental build (never a rebuild of everything for one file).

Used by the CLI (`add`, `remove`) and the web Documents tab:

    report = add_files(app, [Path("方案.docx")])     # AddReport
    build = remove_document(app, "pudong-2017")     # BuildReport; UnknownDocument if no such id

A file that cannot be read is reported by name and changes nothing; if the build fails,
the corpus folder is put back as it was.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .app import App
from .documents import SUPPORTED_SUFFIXES, document_id, load_document
from .index import PROVENANCE_FILE, BuildReport, read_provenance
from .model import UnreadableDocument


class UnknownDocument(ValueError):
    """A document id that is not in the corpus."""


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)      # document ids new to the corpus
    replaced: list[str] = field(default_factory=list)   # ids whose file was replaced by a different one
    unchanged: list[str] = field(default_factory=list)  # the same bytes were already in the corpus
    errors: list[str] = field(default_factory=list)     # one line per file not added, naming it
    build: BuildReport | None = None                    # None when the index needed no work

    def summary(self) -> str:
        parts = [f"added {len(self.added)}", f"replaced {len(self.replaced)}", f"unchanged {len(self.unchanged)}"]
        if self.errors:
            parts.append(f"not added {len(self.errors)}")
        line = "documents: " + ", ".join(parts)
        return line + ("\n" + self.build.summary() if self.build else "")


def corpus_name(path: Path) -> str:
    """The file's name inside the corpus: its document id plus the lower-case suffix, so a
    name cannot escape the folder and one document id is one file."""
    return document_id(Path(path)) + Path(path).suffix.lower()


def add_files(app: App, paths: list[Path], progress: bool = False, via: str = "cli") -> AddReport:
    """Copy readable files into the corpus (a file with the id of an existing document replaces
    it) and update the index incrementally. Each added file's provenance is recorded: added
    `via` the CLI or the web page, when, and under which name."""
    report = AddReport()
    corpus = app.settings.corpus
    corpus.mkdir(parents=True, exist_ok=True)
    with _exclusive(app), _Transaction(corpus) as transaction:
        provenance = read_provenance(corpus)
        added_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for path in _readable(paths, report):
            doc_id, name = document_id(path), corpus_name(path)
            existing = _files_of(corpus, doc_id)
            if [p.name for p in existing] == [name] and _same_bytes(existing[0], path):
                report.unchanged.append(doc_id)
                continue
            for old in existing:
                transaction.set_aside(old)
            transaction.put(path, corpus / name)
            for old in existing:
                provenance.pop(old.name, None)
            provenance[name] = {"origin": "added", "via": via, "added_at": added_at, "file": Path(path).name}
            (report.replaced if existing else report.added).append(doc_id)
        transaction.rewrite(corpus / PROVENANCE_FILE, provenance)
        report.build = app.ensure_index(progress=progress)
    return report


def remove_document(app: App, doc_id: str, progress: bool = False) -> BuildReport:
    """Delete the document's file from the corpus and update the index incrementally."""
    corpus = app.settings.corpus
    with _exclusive(app), _Transaction(corpus) as transaction:
        files = _files_of(corpus, doc_id) if corpus.is_dir() else []
        if not files:
            known = sorted({document_id(p) for p in _corpus_files(corpus)}) if corpus.is_dir() else []
            raise UnknownDocument(f"no document {doc_id!r} in {corpus}"
                                  + (f" (documents: {', '.join(known)})" if known else ""))
        provenance = read_provenance(corpus)
        for path in files:
            transaction.set_aside(path)
            provenance.pop(path.name, None)
        transaction.rewrite(corpus / PROVENANCE_FILE, provenance)
        return app.build(progress=progress)


def _readable(paths: list[Path], report: AddReport) -> list[Path]:
    """The files that parse into a document; the others are reported by name."""
    chosen: dict[str, Path] = {}
    for path in map(Path, paths):
        try:
            if not path.is_file():
                raise UnreadableDocument(f"{path.name}: no such file")
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise UnreadableDocument(f"{path.name}: unsupported file type (use {', '.join(SUPPORTED_SUFFIXES)})")
            load_document(path)
        except UnreadableDocument as exc:
            report.errors.append(str(exc))
            continue
        except Exception as exc:  # one malformed file must not stop the others
            report.errors.append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        doc_id = document_id(path)
        if doc_id in chosen:
            report.errors.append(f"{path.name}: same document id {doc_id!r} as {chosen[doc_id].name}")
            continue
        chosen[doc_id] = path
    return list(chosen.values())


def _corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)


def _files_of(corpus: Path, doc_id: str) -> list[Path]:
    return [p for p in _corpus_files(corpus) if document_id(p) == doc_id]


def _same_bytes(a: Path, b: Path) -> bool:
    return hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


@contextlib.contextmanager
def _exclusive(app: App):
    """One corpus change and build at a time, across threads and processes (CLI and web)."""
    app.settings.index.mkdir(parents=True, exist_ok=True)
    with open(app.settings.index / "LOCK", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _Transaction:
    """Corpus file changes that are undone if the block fails (e.g. the build cannot reach
    the Chroma server), so the corpus never drifts from the index it was built into."""

    def __init__(self, corpus: Path) -> None:
        self.corpus = corpus
        self.aside: list[tuple[Path, Path]] = []   # (original, hidden copy)
        self.written: list[Path] = []
        self.rewritten: list[tuple[Path, bytes | None]] = []   # (file, content before)

    def __enter__(self) -> "_Transaction":
        return self

    def set_aside(self, path: Path) -> None:
        # A dot-name with a .removed suffix is ignored by the corpus loader.
        hidden = path.with_name(f".{path.name}.removed")
        os.replace(path, hidden)
        self.aside.append((path, hidden))

    def rewrite(self, path: Path, value: dict) -> None:
        """Replace a JSON record file, its old content kept for the rollback; no file is
        written when the record did not change."""
        if value == read_provenance(path.parent) and (value or not path.exists()):
            return
        self.rewritten.append((path, path.read_bytes() if path.exists() else None))
        partial = path.with_name(f"{path.name}.part")
        partial.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, path)

    def put(self, source: Path, target: Path) -> None:
        partial = target.with_name(f".{target.name}.part")
        shutil.copyfile(source, partial)
        os.replace(partial, target)  # never a half-written file in the corpus
        self.written.append(target)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            for _, hidden in self.aside:
                hidden.unlink(missing_ok=True)
            return
        for path in self.written:
            path.unlink(missing_ok=True)
        for path, before in reversed(self.rewritten):
            if before is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(before)
        for original, hidden in reversed(self.aside):
            os.replace(hidden, original)


def provenance_label(provenance: dict | None) -> str:
    """Where a document came from, for citations: shipped with the corpus, or added and when."""
    if not provenance or provenance.get("origin") != "added":
        return "随知识库提供"
    how = "网页上传" if provenance.get("via") == "web" else "命令行添加"
    when = (provenance.get("added_at") or "").replace("T", " ")[:16]
    return f"{how}于 {when} UTC" if when else how
