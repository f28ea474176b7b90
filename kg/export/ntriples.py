"""N-Triples from the Oxigraph store: one triple per line, for bulk loading and diffing."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.export.rdfdump import dump

NAME = "nt"
EXTENSION = "nt"
SOURCE = "store"


def write(store: ox.Store, path: str | Path) -> None:
    """Write the store as N-Triples at ``path``, atomically."""
    dump(store, path, ox.RdfFormat.N_TRIPLES)
