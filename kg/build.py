"""A build: input files in, a graph folder out.

``process_document`` is the pure per-document pipeline (normalize, segment,
annotate, extract), the unit that runs in worker processes.  ``build`` streams
documents through it, writes the facts as N-Triples, bulk-loads them into the
Oxigraph store and writes the Turtle and GraphML views — every output written
under a temporary name and moved into place only when complete.
"""
from __future__ import annotations

import shutil
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kg.atomic import atomic_dir, atomic_file
from kg.errors import InputError
from kg.extract import ArticleContext, extract
from kg.ingest.normalize import normalize
from kg.ingest.read import Skipped, read_documents
from kg.ingest.segment import segment
from kg.model import Article, Document, Fact
from kg.nlp.pipeline import load
from kg.rdf.emit import article_triples, fact_triples
from kg.rdf.ntriples import lines
from kg.store import STORE, dump_turtle, load_ntriples, open_store

Progress = Callable[[int], None]


@dataclass
class BuildReport:
    documents: int = 0
    articles: int = 0
    characters: int = 0
    facts: Counter = field(default_factory=Counter)
    triples: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def analyse(doc: Document) -> list[tuple[Article, list[Fact]]]:
    """Normalize, segment, annotate and extract one document."""
    nlp = load()
    page = normalize(doc.text)
    out = []
    for article in segment(doc, page):
        ctx = ArticleContext(article, nlp(article.text))
        out.append((article, extract(ctx)))
    return out


def process_document(doc: Document) -> tuple[int, list[str]]:
    """One document to N-Triples lines (and its character count): the worker's job."""
    rows: list[str] = []
    for article, facts in analyse(doc):
        rows.extend(lines(article_triples(article)))
        for fact in facts:
            rows.extend(lines(fact_triples(fact, article.date)))
        rows.append(f"# facts {article.id} " + " ".join(f.kind for f in facts) + "\n")
    return len(doc.text), rows


def _results(docs: Iterable[Document], jobs: int) -> Iterator[tuple[int, list[str]]]:
    if jobs <= 1:
        yield from map(process_document, docs)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(process_document, docs, chunksize=4)


def build(paths: list[str], out: str | Path, jobs: int = 1, progress: Progress | None = None) -> BuildReport:
    """Build the graph of ``paths`` into the folder ``out``."""
    out = Path(out)
    report = BuildReport()
    docs = list(read_documents(paths, report.skipped))
    if not docs:
        reasons = "; ".join(str(s) for s in report.skipped[:3]) or "no .txt or .jsonl files"
        raise InputError(f"nothing to build: {reasons}")
    out.mkdir(parents=True, exist_ok=True)
    with atomic_file(out / "graph.nt") as nt:
        with nt.open("w", encoding="utf-8") as fh:
            for chars, rows in _results(docs, jobs):
                report.documents += 1
                report.characters += chars
                for row in rows:
                    if row.startswith("# facts "):
                        report.articles += 1
                        report.facts.update(row.split()[3:])
                    else:
                        fh.write(row)
                if progress:
                    progress(chars)
        with atomic_dir(out / STORE) as store_dir:
            shutil.rmtree(store_dir)
            load_ntriples(store_dir, nt)
    store = open_store(out)
    report.triples = len(store)
    with atomic_file(out / "graph.ttl") as ttl:
        dump_turtle(store, ttl)
    from kg.export.graphml import write_graphml
    from kg.graph.view import graph_view

    with atomic_file(out / "graph.graphml") as gml:
        write_graphml(graph_view(store), gml)
    return report
