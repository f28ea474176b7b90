"""N-Quads from the Oxigraph store: every graph of the store, for bulk loading into a SPARQL server."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.export.rdfdump import dump

NAME = "nq"
EXTENSION = "nq"
SOURCE = "store"


def write(store: ox.Store, path: str | Path) -> None:
    """Write the store as N-Quads at ``path``, atomically."""
    dump(store, path, ox.RdfFormat.N_QUADS)
