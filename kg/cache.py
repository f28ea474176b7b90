"""The build cache: what each document gave, keyed by its content and the pipeline version.

One SQLite file, ``DIR/cache/documents.sqlite3``, maps a document key (sha256
of ``PIPELINE_VERSION`` and the document: source name, record fields, text) to
what processing it produced: its N-Triples (zlib-compressed) and its counts.
Entries are written in transactions, so an interrupted build keeps every
document committed before the interruption and nothing half-written; the next
build processes only what is missing.

A build lists its current inputs in input order (``mark``) and rebuilds the
graph from their entries alone (``current``), so a document that disappeared
from the inputs disappears from the graph, and a cached build writes the same
graph as a build from scratch.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Container, Iterator

from kg import PIPELINE_VERSION
from kg.errors import StoreError
from kg.model import Document

CACHE = "cache"
FILE = "documents.sqlite3"
#: bumped when the layout of the cache file changes (an older file is emptied, not misread)
SCHEMA_VERSION = 1
#: commit at least this often, so an interruption loses little work
COMMIT_SECONDS = 2.0


def document_key(doc: Document) -> str:
    """sha256 of the pipeline version and everything of ``doc`` that its output depends on."""
    h = hashlib.sha256()
    # (a chunk of a large page adds its offset: two equal chunks of one file are two documents)
    offset = (str(doc.offset),) if getattr(doc, "offset", 0) else ()
    for part in (PIPELINE_VERSION, doc.source, doc.record_id, doc.title, doc.date, doc.text, *offset):
        data = ("\x00" if part is None else "\x01" + part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@dataclass
class Entry:
    """What one document gave: counts, and its triples as compressed N-Triples."""

    chars: int
    articles: int
    facts: Counter = field(default_factory=Counter)
    ntriples: bytes = b""  # zlib-compressed UTF-8 N-Triples

    @staticmethod
    def pack(text: str) -> bytes:
        # level 1: a third of level 6's time, for a file a fifth larger (N-Triples repeat a lot either way)
        return zlib.compress(text.encode("utf-8"), 1)

    def data(self) -> bytes:
        """The N-Triples as UTF-8 (what graph.nt and the store are made of: no decoding)."""
        return zlib.decompress(self.ntriples)

    def text(self) -> str:
        return self.data().decode("utf-8")


class Cache:
    """The cache file of one build folder (or any path, for tests and benchmarks)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(self.path), isolation_level="DEFERRED")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA temp_store=FILE")
            self._schema()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: the build cache is unreadable ({err}); "
                             f"delete it (it is rebuilt) or build with --no-cache") from err
        self._seq = 0
        self._last_commit = time.monotonic()

    def _schema(self) -> None:
        (version,) = self.db.execute("PRAGMA user_version").fetchone()
        if version != SCHEMA_VERSION:
            self.db.executescript("DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS meta;")
        self.db.executescript(f"""
            CREATE TABLE IF NOT EXISTS documents (
                key TEXT PRIMARY KEY,
                chars INTEGER NOT NULL,
                articles INTEGER NOT NULL,
                facts TEXT NOT NULL,
                ntriples BLOB NOT NULL
            );
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TEMP TABLE IF NOT EXISTS current (seq INTEGER PRIMARY KEY, key TEXT NOT NULL);
            PRAGMA user_version = {SCHEMA_VERSION};
        """)
        self.db.commit()

    # -- documents -----------------------------------------------------------

    def counts(self, key: str) -> Entry | None:
        """The counts of a cached document (without its triples), or None."""
        row = self.db.execute("SELECT chars, articles, facts FROM documents WHERE key = ?", (key,)).fetchone()
        return None if row is None else Entry(row[0], row[1], Counter(json.loads(row[2])))

    def put(self, key: str, entry: Entry) -> None:
        self.db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?)",
                        (key, entry.chars, entry.articles, json.dumps(dict(entry.facts)), entry.ntriples))
        if time.monotonic() - self._last_commit > COMMIT_SECONDS:
            self.commit()

    def mark(self, key: str) -> None:
        """Record ``key`` as the next document of the current inputs."""
        self._seq += 1
        self.db.execute("INSERT INTO current VALUES (?, ?)", (self._seq, key))

    def current(self, skip: Container[str] = ()) -> Iterator[tuple[str, Entry]]:
        """Entries of the current inputs in input order (documents that failed are absent), but
        those in ``skip``, whose triples are not even read."""
        keys = self.db.execute("SELECT c.key FROM current c JOIN documents d ON d.key = c.key ORDER BY c.seq")
        for (key,) in keys:
            if key not in skip:
                chars, articles, facts, nt = self.db.execute(
                    "SELECT chars, articles, facts, ntriples FROM documents WHERE key = ?", (key,)).fetchone()
                yield key, Entry(chars, articles, Counter(json.loads(facts)), nt)

    def prune(self) -> int:
        """Forget documents that are not among the current inputs; how many were dropped."""
        cur = self.db.execute("DELETE FROM documents WHERE key NOT IN (SELECT key FROM current)")
        self.commit()
        return cur.rowcount

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    # -- build metadata ------------------------------------------------------

    def get_meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def commit(self) -> None:
        self.db.commit()
        self._last_commit = time.monotonic()

    def close(self) -> None:
        """Commit what was written and close (the current-input list is dropped)."""
        try:
            self.db.commit()
        finally:
            self.db.close()

    def __enter__(self) -> "Cache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def cache_path(folder: str | Path) -> Path:
    return Path(folder) / CACHE / FILE
