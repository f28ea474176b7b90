"""The embedded store: Oxigraph on disk, under ``DIR/store``.

Queries run here rather than by re-parsing Turtle: Oxigraph answers joins
and aggregates tens of times faster than rdflib's in-memory engine.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

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
#: given in memory (a 750 MB file at once peaks at 1.1 GB; 32 MB chunks at ~300 MB, as fast)
CHUNK_BYTES = 32 * 2**20


def load_ntriples(path: Path, blocks: Iterable[bytes], chunk: int = CHUNK_BYTES) -> None:
    """Create a store at ``path`` from N-Triples given as blocks of whole lines (a build's
    documents), bulk-loaded ``chunk`` bytes or a little more at a time.

    The lines a chunk repeats are loaded once: every document restates the entities and
    regions its facts name, so half the lines of a build's file repeat one before them, and
    dropping them costs less than parsing them again.
    """
    store = ox.Store(str(path))
    for data in _chunks(blocks, chunk):
        store.bulk_load(b"\n".join(dict.fromkeys(data.split(b"\n"))), format=ox.RdfFormat.N_TRIPLES)
    store.optimize()
    store.flush()
    del store


def _chunks(blocks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The blocks joined into chunks of at least ``size`` bytes (but the last)."""
    parts: list[bytes] = []
    total = 0
    for block in blocks:
        parts.append(block)
        total += len(block)
        if total >= size:
            yield b"".join(parts)
            parts, total = [], 0
    if parts:
        yield b"".join(parts)


def default_graph(store: ox.Store) -> Iterator[ox.Quad]:
    """The store's triples, in its order (the order Turtle is written in)."""
    return store.quads_for_pattern(None, None, None, ox.DefaultGraph())


def dump_turtle(store: ox.Store, target: Path, quads: Iterable[ox.Quad] | None = None) -> None:
    """The store's default graph as Turtle.  ``quads``: that graph (``default_graph``) if the
    caller has read it already: reading a store costs more than writing its Turtle."""
    from kg.rdf.vocab import PREFIXES  # (pypinyin and rdflib: imported only when needed)

    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    if quads is None:
        store.dump(str(target), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    else:
        ox.serialize(quads, str(target), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
