"""The embedded store: Oxigraph on disk, under ``DIR/store``.

Queries run here rather than by re-parsing Turtle: Oxigraph answers joins
and aggregates tens of times faster than rdflib's in-memory engine.
"""
from __future__ import annotations

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
    except OSError as err:
        raise StoreError(f"{path}: cannot open the store ({err})") from err


def load_ntriples(path: Path, nt_file: Path) -> None:
    """Create a store at ``path`` from an N-Triples file (bulk load: streaming, fast)."""
    store = ox.Store(str(path))
    store.bulk_load(path=str(nt_file), format=ox.RdfFormat.N_TRIPLES)
    store.optimize()
    store.flush()
    del store


def dump_turtle(store: ox.Store, target: Path) -> None:
    from kg.rdf.vocab import PREFIXES  # (pypinyin and rdflib: imported only when needed)

    store.dump(str(target), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
               prefixes={k: str(v) for k, v in PREFIXES.items()})
