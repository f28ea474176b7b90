"""The triples of a build on their way out: into the new store, and sorted into graph.nt.

Documents' N-Triples arrive one block of whole lines at a time: as documents are
processed, and (for those taken from the cache) when the outputs are written.
They are gathered into chunks of about ``CHUNK_BYTES``.  In a background thread,
each chunk loses its repeated lines, is sorted and written to a temporary file
(a *run*); a second thread then bulk-loads it into the new Oxigraph store, which
loads without holding the GIL.  All of it goes on while documents are analysed.

graph.nt is the merge of the runs: every distinct line once, in byte order (what
``LC_ALL=C sort -u`` gives), so it does not depend on the input order nor on how
the work was split.  It is an external sort: its memory does not grow with the
graph.  The Turtle is written from graph.nt, whose sorted lines keep each
subject's triples together, rather than read back from the store, which costs a
RocksDB lookup per term (about 6 µs a triple: 12.5 s for 1.9 M triples, against 2.7 s).
"""
from __future__ import annotations

import shutil
from bisect import bisect_right
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from kg.atomic import atomic_dir, temporary_dir
from kg.store import STORE

#: N-Triples are sorted and bulk-loaded this many bytes at a time; each chunk is one run of the
#: merge that writes graph.nt.  Larger chunks are fewer loads for RocksDB to compact into what is
#: stored already, CPU that a parallel build's workers share the CPUs with (for 1.9 M triples:
#: 15.7 CPU-s of compaction with 32 MB chunks, 12.3 s with 48 MB, 11.4 s with 64 MB); smaller ones
#: take less memory: Oxigraph's bulk loader holds about five times the run it loads (a 36 MB run
#: peaks at +180 MB), and a chunk is being gathered meanwhile
CHUNK_BYTES = 48 * 2**20
#: runs merged at once (more are first merged in groups of this many: open files, memory) …
FAN_IN = 64
#: … reading this many bytes of each at a time
BLOCK_BYTES = 2**18


class Spool:
    """The build's new store and the sorted runs of its N-Triples, both made in the background
    from the first document on.  Each document is added once, by its cache key.

    ``finish_store`` puts the store in place and ``write_ntriples`` writes the merged runs;
    left unfinished (after an error, or by a build whose outputs are up to date) the store is
    discarded, once the threads are done with it.  The runs are always removed.
    """

    def __init__(self, out: Path, chunk: int = CHUNK_BYTES) -> None:
        self._out = out
        self._chunk = chunk
        self._keys: set[str] = set()
        self._parts: list[bytes] = []
        self._size = 0
        self._contexts = ExitStack()  # the store's temporary folder, the store, the threads
        self._store: ox.Store | None = None
        self._runs: list[Path] = []
        self._folder: Path | None = None  # of the runs
        self._sorter: ThreadPoolExecutor | None = None
        self._loader: ThreadPoolExecutor | None = None
        self._sorting: Future | None = None  # the chunk being sorted
        self._loading: Future | None = None  # the chunk being loaded

    def add(self, key: str, data: bytes) -> None:
        """Add the N-Triples (whole lines) of document ``key``, unless they are in already."""
        if key in self._keys:
            return
        self._keys.add(key)
        self._start()
        self._parts.append(data)
        self._size += len(data)
        if self._size >= self._chunk:
            self._hand_over()

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def _start(self) -> None:
        if self._store is not None:
            return
        self._folder = temporary_dir(self._out, "runs")
        folder = self._contexts.enter_context(atomic_dir(self._out / STORE))
        self._store = ox.Store(str(folder))
        self._contexts.callback(self._close_store)  # (after the threads are done, before the folder goes)
        self._sorter = self._contexts.enter_context(ThreadPoolExecutor(1, thread_name_prefix="kg-sort"))
        self._loader = self._contexts.enter_context(ThreadPoolExecutor(1, thread_name_prefix="kg-load"))

    def _hand_over(self) -> None:
        """Give the lines added so far to the sorting thread, once it is done with the last chunk
        (one chunk sorted and one loaded at a time: memory is per chunk)."""
        parts, self._parts, self._size = self._parts, [], 0
        _result(self._sorting)
        self._sorting = self._sorter.submit(self._sort, parts)

    def _sort(self, parts: list[bytes]) -> None:
        """Sort a chunk into a run, then have the loading thread bulk-load the run's file (Oxigraph
        reads it itself: no copy of the chunk is held for it).  Leniently: the parser skips its IRI
        and language-tag checks, which kg's own terms never fail (``write_turtle``).  The spool's
        CPU for the bench's 1.9 M triples (sorting, loading, compaction; six alternating runs each):
        median 33.5 CPU-s against 35.4 strict, lower in five pairs of six; bulk-loading its
        graph.nt alone: 15.5-16.3 CPU-s against 17.2-20.8."""
        lines: set[bytes] = set()
        while parts:  # (each part is freed once its lines are in the set)
            lines.update(parts.pop().split(b"\n"))
        lines.discard(b"")
        ordered = sorted(lines)
        del lines
        run = self._folder / f"{len(self._runs):06d}.nt"
        with open(run, "wb") as fh:
            if ordered:
                fh.write(b"\n".join(ordered))
                fh.write(b"\n")
        del ordered  # (before waiting for the last load to finish)
        self._runs.append(run)
        _result(self._loading)
        self._loading = self._loader.submit(self._store.bulk_load, path=str(run), format=ox.RdfFormat.N_TRIPLES,
                                            lenient=True)

    def close(self) -> None:
        """No more documents: hand over the last chunk."""
        self._start()  # (a graph of no document is an empty store)
        if self._parts:
            self._hand_over()

    def finish_store(self) -> int:
        """Wait for the last chunk to be loaded, compact the store and put it in place: its
        number of triples.  (Called after ``close``; may run in a thread of its own.)"""
        _result(self._sorting)
        _result(self._loading)
        self._store.optimize()
        self._store.flush()
        triples = len(self._store)
        self._contexts.close()
        return triples

    def write_ntriples(self, target: Path) -> int:
        """Write every distinct line, sorted, at ``target``: the number of lines.  (Called after
        ``close``.)"""
        _result(self._sorting)
        lines = 0
        with open(target, "wb") as fh:
            for block in merge(self._runs, self._folder):
                fh.writelines(block)
                lines += len(block)
        return lines

    def _close_store(self) -> None:
        self._store = None  # (closes it: the last reference)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        try:
            if kind is None:
                kind, error = _Unfinished, _Unfinished()
            self._contexts.__exit__(kind, error, trace)  # (empty once the store is finished)
        finally:
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)


class _Unfinished(Exception):
    """Thrown into the contexts of a store left unfinished, to discard it."""


def _result(future: Future | None) -> None:
    """Wait for ``future`` (raising what it raised)."""
    if future is not None:
        future.result()


def merge(runs: list[Path], folder: Path) -> Iterator[list[bytes]]:
    """The distinct lines of sorted files, in order, in blocks.  More than ``FAN_IN`` files are
    first merged in groups into new files in ``folder``."""
    level = 0
    while len(runs) > FAN_IN:
        level += 1
        merged = []
        for n in range(0, len(runs), FAN_IN):
            target = folder / f"merged-{level}-{n // FAN_IN:06d}.nt"
            with open(target, "wb") as fh:
                for block in _distinct(runs[n:n + FAN_IN]):
                    fh.writelines(block)
            merged.append(target)
        runs = merged
    yield from _distinct(runs)


def _distinct(runs: list[Path]) -> Iterator[list[bytes]]:
    """Merge sorted files of distinct lines a block at a time, in C rather than a line at a time
    in Python (``heapq.merge`` takes 1.4 times as long).

    Each file has a block of lines in hand.  The smallest of the blocks' last lines bounds
    what can be written now: every line up to it is in hand (a file's next lines come after
    its block's last), so those lines are taken from every block, sorted together (Timsort
    merges sorted runs in one pass) and their repeats dropped.  The blocks that ended at the
    bound are replaced by the next ones of their files; every line after it comes later.
    """
    with ExitStack() as files:
        hands = []  # [lines, position, file] of each file not yet exhausted
        for run in runs:
            fh = files.enter_context(open(run, "rb"))
            if lines := fh.readlines(BLOCK_BYTES):
                hands.append([lines, 0, fh])
        while hands:
            bound = min(lines[-1] for lines, _, _ in hands)
            taken: list[bytes] = []
            for hand in hands:
                lines, at, fh = hand
                if lines[-1] == bound:  # (at least one block is done each round)
                    taken += lines[at:]
                    hand[0], hand[1] = fh.readlines(BLOCK_BYTES), 0
                    continue
                end = bisect_right(lines, bound, at)
                taken += lines[at:end]
                hand[1] = end
            hands = [hand for hand in hands if hand[0]]
            taken.sort()
            yield list(dict.fromkeys(taken))


def write_turtle(ntriples: Path, target: Path) -> None:
    """Turtle of an N-Triples file with the project's prefixes (consecutive triples of a subject
    are written together)."""
    from kg.rdf.vocab import OX_PREFIXES  # (pypinyin and rdflib: imported only when needed)

    # lenient, as the store loads them: kg's IRIs are minted from [A-Za-z0-9._-] (kg.rdf.vocab.mint)
    # and its language tags are fixed, so checking them again is only cost (tests parse strictly)
    triples = ox.parse(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    ox.serialize(triples, str(target), format=ox.RdfFormat.TURTLE, prefixes=OX_PREFIXES)
