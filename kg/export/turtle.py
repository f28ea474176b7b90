"""Turtle from the Oxigraph store, with the project's prefixes."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.export.rdfdump import dump

NAME = "ttl"
EXTENSION = "ttl"
SOURCE = "store"


def write(store: ox.Store, path: str | Path) -> None:
    """Write the store as Turtle at ``path``, atomically."""
    dump(store, path, ox.RdfFormat.TURTLE)
