"""The embedded store: Oxigraph on disk, under ``DIR/store``.

Queries run here rather than by re-parsing Turtle: Oxigraph answers joins
and aggregates tens of times faster than rdflib's in-memory engine.
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError

STORE = "store"


def open_store(folder: str | Path, read_only: bool = True) -> ox.Store:
    """The store of a build folder; a clear error if there is none."""
    path = Path(folder) / STORE
    if not path.is_dir():
        raise StoreError(f"{folder}: no kg build here (no {STORE}/ folder); run `kg build PATHS -o {folder}` first")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as err:  # RuntimeError: RocksDB reports corruption
        raise StoreError(f"{path}: cannot open the store ({str(err).splitlines()[0]})") from err


#: N-Triples are bulk-loaded this many bytes at a time: Oxigraph's bulk loader holds what it is
#: given in memory (a 750 MB file at once peaks at 1.1 GB; 32 MB chunks at ~300 MB, as fast;
#: ``BulkLoader`` gathers the next chunk while one loads)
CHUNK_BYTES = 32 * 2**20


class BulkLoader:
    """A new store at ``path``, bulk-loaded from blocks of whole N-Triples lines in chunks of
    ``chunk`` bytes or a little more.  A chunk loads in a background thread while the next is
    gathered: Oxigraph releases the GIL while it loads, so the caller's work (analysing the
    next documents, writing graph.nt, deduplicating the next chunk) goes on meanwhile.

    The lines a chunk repeats are loaded once: every document restates the entities and
    regions its facts name, so half the lines of a build's file repeat one before them, and
    dropping them costs less than parsing them again.
    """

    def __init__(self, path: Path, chunk: int = CHUNK_BYTES) -> None:
        self._store = ox.Store(str(path))
        self._chunk = chunk
        self._parts: list[bytes] = []
        self._size = 0
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="kg-bulk-load")
        self._loading: Future | None = None  # the chunk being loaded

    def add(self, block: bytes) -> None:
        """Add whole lines; a chunk's worth goes to the loading thread."""
        self._parts.append(block)
        self._size += len(block)
        if self._size >= self._chunk:
            self._load()

    def _load(self) -> None:
        """Hand the lines added so far to the loading thread, once it is done with the last chunk
        (one chunk at a time: the bulk loader's memory is per chunk)."""
        data = b"".join(self._parts)
        self._parts, self._size = [], 0
        lines = b"\n".join(dict.fromkeys(data.split(b"\n")))
        self._wait()
        self._loading = self._thread.submit(self._store.bulk_load, lines, format=ox.RdfFormat.N_TRIPLES)

    def _wait(self) -> None:
        """Wait for the chunk being loaded (raising what loading it raised)."""
        loading, self._loading = self._loading, None
        if loading is not None:
            loading.result()

    def __enter__(self) -> BulkLoader:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        """Load the rest and write the store out; after an error, only wait for the thread
        (the caller removes the folder, which must not be written meanwhile)."""
        try:
            if kind is None:
                if self._parts:
                    self._load()
                self._wait()
                self._store.optimize()
                self._store.flush()
        finally:
            self._thread.shutdown()
            del self._store


def dump_turtle(store: ox.Store, target: Path) -> None:
    """The store's default graph as Turtle (Oxigraph writes it without holding the GIL)."""
    from kg.rdf.vocab import PREFIXES  # (pypinyin and rdflib: imported only when needed)

    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    store.dump(str(target), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)
