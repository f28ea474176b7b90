"""A build: input files in, a graph folder out.

``analyse`` is the pure per-document pipeline (normalize, segment, annotate,
extract); ``process_batch`` turns a few documents into N-Triples and counts,
the unit of work that runs in worker processes or on a Dask cluster.

``build`` streams documents (never listing the whole input) in two phases:

1. every current input gets a cache entry: documents whose key (content and
   ``PIPELINE_VERSION``) is cached are not processed again; the others go to
   the executor, a bounded number at a time, and their results are committed
   to the cache as they arrive;
2. the graph is written from the cache entries of the current inputs, through a
   ``Spool`` (from the first processed document on, so that most of it is done
   while documents are analysed): the new Oxigraph store, bulk-loaded, and
   graph.nt, every distinct triple once in sorted order; then graph.ttl and
   graph.graphml from graph.nt (GraphML only up to ``GRAPHML_MAX_TRIPLES``
   unless asked for: it is made from an in-memory networkx view), each under a
   temporary name moved into place when complete.

When the current inputs are exactly those of the last complete build and its
outputs are all there, phase 2 is skipped: an unchanged rebuild does nothing.
A lock file keeps a second build from writing the same folder meanwhile.
"""
from __future__ import annotations

import gc
import hashlib
import shutil
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import kg
from kg.atomic import atomic_file, sweep, temporary_dir
from kg.cache import Cache, Entry, cache_path, document_key
from kg.distributed import run
from kg.errors import InputError, StoreError
from kg.ingest.read import Skipped, read_documents
from kg.model import Document
from kg.spool import Spool, write_turtle
from kg.store import STORE

if TYPE_CHECKING:
    from kg.model import Article, Fact
    from kg.rdf.ntriples import Triple

Progress = Callable[[int], None]
#: above this, graph.graphml is left out unless asked for: the networkx view it is made from holds
#: the whole graph in memory (~1 GB per million triples), and Gephi-class tools cannot open it anyway
GRAPHML_MAX_TRIPLES = 500_000
LOCK = ".build.lock"
#: a unit of work: up to this many documents or characters (one page is always one unit)
BATCH_DOCS, BATCH_CHARS = 32, 8_000
#: allocations between two collections of cyclic garbage while building (Python's default: 700).
#: Analysis makes millions of short-lived objects that reference counting frees; collecting every
#: 700 of them took 5% of a build, every 20,000 about 2%, for no measurable memory
GC_THRESHOLD = 20_000


@dataclass
class BuildReport:
    documents: int = 0
    articles: int = 0
    characters: int = 0
    facts: Counter = field(default_factory=Counter)
    triples: int = 0
    processed: int = 0  # documents analysed in this run
    cached: int = 0  # documents whose entry was in the cache
    up_to_date: bool = False  # the outputs of the last build were kept as they were
    outputs: list[str] = field(default_factory=list)  # what the folder holds
    skipped: list[Skipped] = field(default_factory=list)

    def add(self, entry: Entry) -> None:
        self.articles += entry.articles
        self.facts.update(entry.facts)


def analyse(doc: Document) -> list[tuple[Article, list[Fact]]]:
    """Normalize, segment, annotate and extract one document."""
    from kg.extract import ArticleContext, extract
    from kg.ingest.normalize import normalize
    from kg.ingest.segment import segment
    from kg.nlp.pipeline import load

    nlp = load()
    page = normalize(doc.text)
    out = []
    seen: dict = {}  # facts stated on this page so far
    for article in segment(doc, page):
        if doc.offset:  # a chunk of a large page: ids unique in the file, offsets into the whole file
            article = replace(article, id=f"{article.id}-{doc.offset}",
                              offsets=tuple(o + doc.offset for o in article.offsets))
        ctx = ArticleContext(article, nlp(article.text))
        out.append((article, extract(ctx, seen=seen)))
    return out


def process_document(doc: Document) -> Entry:
    """One document to its cache entry: N-Triples and counts."""
    from kg.rdf.emit import article_triples, fact_triples
    from kg.rdf.ntriples import lines

    triples: list[Triple] = []
    entry = Entry(chars=len(doc.text), articles=0)
    for article, facts in analyse(doc):
        entry.articles += 1
        triples.extend(article_triples(article))
        for fact in facts:
            entry.facts[fact.kind] += 1
            triples.extend(fact_triples(fact, article.date))
    # each fact repeats the triples of its entities and regions: once per document is enough
    # (dropped before they are written as lines: half of them are repeats)
    entry.ntriples = Entry.pack("".join(lines(dict.fromkeys(triples))))
    return entry


def warm_up() -> None:
    """Load what analysing a document needs (the pipeline, its tables), by analysing a small one."""
    process_document(Document(source="warm-up.txt", text="本报讯 日前，北京市总工会启动“职工服务月”活动。"))


def process_batch(batch: list[tuple[str, Document]]) -> list[tuple[str, Entry | Skipped]]:
    """Process a few documents: (key, entry) each, or (key, why it failed): one bad document
    must not stop an archive build."""
    out: list[tuple[str, Entry | Skipped]] = []
    with _fewer_collections():  # (in a worker process too)
        for key, doc in batch:
            try:
                out.append((key, process_document(doc)))
            except Exception as err:  # noqa: BLE001
                out.append((key, Skipped(doc.source, f"processing failed ({type(err).__name__}: {err})", doc.line)))
    return out


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector's youngest generation every ``GC_THRESHOLD`` allocations."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def batches(items: Iterable[tuple[str, Document]], docs: int = BATCH_DOCS,
            chars: int = BATCH_CHARS) -> Iterator[list[tuple[str, Document]]]:
    batch: list[tuple[str, Document]] = []
    size = 0
    for key, doc in items:
        batch.append((key, doc))
        size += len(doc.text)
        if len(batch) >= docs or size >= chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def build(paths: list[str], out: str | Path, jobs: int = 1, progress: Progress | None = None, *,
          executor: str = "processes", scheduler: str | None = None, cache: bool = True,
          graphml: bool | None = None) -> BuildReport:
    """Build the graph of ``paths`` into the folder ``out``.

    ``jobs`` worker processes (or Dask workers with ``executor="dask"`` and a
    ``scheduler`` address); ``cache=False`` processes every document and
    leaves the folder's cache alone.  ``graphml``: write graph.graphml
    (None: only up to ``GRAPHML_MAX_TRIPLES`` triples).
    """
    out = Path(out)
    report = BuildReport()
    docs = read_documents(paths, report.skipped)
    first = next(docs, None)
    if first is None:
        reasons = "; ".join(str(s) for s in report.skipped[:3]) or "no .txt or .jsonl files"
        raise InputError(f"nothing to build: {reasons}")
    out.mkdir(parents=True, exist_ok=True)
    with _exclusive(out), _fewer_collections():
        return _build(out, chain([first], docs), report, jobs, progress, executor, scheduler, cache, graphml)


@contextmanager
def _exclusive(out: Path) -> Iterator[None]:
    """Hold the folder's build lock: two builds writing one folder would mix their outputs."""
    try:
        import fcntl
    except ImportError:  # (not POSIX: no lock)
        yield
        return
    with open(out / LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            raise StoreError(f"{out}: another kg build is writing this folder") from err
        yield


def _build(out: Path, docs: Iterable[Document], report: BuildReport, jobs: int, progress: Progress | None,
           executor: str, scheduler: str | None, cache: bool, graphml: bool | None) -> BuildReport:
    sweep(out)  # temporaries left by builds that were killed
    scratch = None if cache else temporary_dir(out, "cache")
    try:
        with Cache(cache_path(out) if cache else scratch / "documents.sqlite3") as store, Spool(out) as spool:
            state = hashlib.sha256(f"{kg.__version__}|{kg.PIPELINE_VERSION}|graphml={graphml}".encode())
            failed: list[Skipped] = []
            todo = _plan(docs, store, report, state, progress)
            for results in run(process_batch, batches(todo), jobs=jobs, executor=executor, scheduler=scheduler):
                for key, entry in results:
                    if isinstance(entry, Skipped):
                        failed.append(entry)
                        continue
                    store.put(key, entry)
                    spool.add(key, entry.data())
                    report.processed += 1
                    report.add(entry)
                    if progress:
                        progress(entry.chars)
            store.commit()
            report.skipped.extend(failed)
            digest = state.hexdigest()
            # nothing processed: every entry is the one the last build used
            unchanged = cache and not report.processed and not failed
            kept = (store.get_meta("files") or "").split()
            if unchanged and store.get_meta("outputs") == digest and kept and all((out / o).exists() for o in kept):
                report.triples = int(store.get_meta("triples") or 0)
                report.outputs, report.up_to_date = kept, True
                return report
            store.set_meta("outputs", "")  # the outputs are being replaced
            store.commit()
            report.triples, report.outputs = write_outputs(out, store.current(skip=spool), spool, graphml)
            store.set_meta("outputs", digest)
            store.set_meta("files", " ".join(report.outputs))
            store.set_meta("triples", str(report.triples))
            store.prune()
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return report


def _plan(docs: Iterable[Document], store: Cache, report: BuildReport, state,
          progress: Progress | None) -> Iterator[tuple[str, Document]]:
    """Mark every input as current; count the cached ones, yield the others for processing."""
    for doc in docs:
        key = document_key(doc)
        store.mark(key)
        state.update(key.encode())
        report.documents += 1
        report.characters += len(doc.text)
        entry = store.counts(key)
        if entry is None:
            yield key, doc
            continue
        report.cached += 1
        report.add(entry)
        if progress:
            progress(entry.chars)


def write_outputs(out: Path, entries: Iterable[tuple[str, Entry]], spool: Spool,
                  graphml: bool | None = None) -> tuple[int, list[str]]:
    """N-Triples, store, Turtle and GraphML of the given (key, entry) pairs, through ``spool``
    (which may hold some of them already): the number of distinct triples, the outputs written.

    A thread finishes the store (Oxigraph does it without holding the GIL) while graph.nt is
    merged from the sorted runs, then the Turtle and the GraphML view are made from graph.nt.
    """
    for key, entry in entries:
        spool.add(key, entry.data())
    spool.close()
    with ExitStack() as outputs:
        nt = outputs.enter_context(atomic_file(out / "graph.nt"))
        stored = outputs.enter_context(ThreadPoolExecutor(1)).submit(spool.finish_store)
        lines = spool.write_ntriples(nt)
        write_turtle(nt, outputs.enter_context(atomic_file(out / "graph.ttl")))
        if graphml is None:
            graphml = lines <= GRAPHML_MAX_TRIPLES  # (distinct lines: the triples)
        if graphml:
            _write_graphml(nt, out / "graph.graphml")
        triples = stored.result()  # (the store in place before the files are)
    written = ["graph.nt", STORE, "graph.ttl"]
    if not graphml:
        (out / "graph.graphml").unlink(missing_ok=True)  # a stale one would disagree with the store
        return triples, written
    return triples, written + ["graph.graphml"]


def _write_graphml(ntriples: Path, target: Path) -> None:
    from kg.export.graphml import write_graphml
    from kg.graph.view import Triples, graph_view

    write_graphml(graph_view(Triples.parse(ntriples.read_bytes())), target)
