"""RDF straight from the Oxigraph store (streamed by Oxigraph, so fast at any size)."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.atomic import atomic_file
from kg.rdf.vocab import OX_PREFIXES


def store_of(graph_or_store) -> ox.Store:
    if isinstance(graph_or_store, ox.Store):
        return graph_or_store
    raise TypeError(f"RDF formats are written from the Oxigraph store, not from a {type(graph_or_store).__name__}")


def dump(graph_or_store, path: str | Path, fmt: ox.RdfFormat) -> None:
    """Write the store's default graph (every graph for a dataset format) at ``path``, atomically."""
    store = store_of(graph_or_store)
    options = {} if fmt.supports_datasets else {"from_graph": ox.DefaultGraph()}
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        options["prefixes"] = OX_PREFIXES
    with atomic_file(Path(path)) as tmp:
        store.dump(str(tmp), format=fmt, **options)
