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
    except (OSError, RuntimeError) as err:  # RuntimeError: RocksDB reports corruption
        raise StoreError(f"{path}: cannot open the store ({str(err).splitlines()[0]})") from err
