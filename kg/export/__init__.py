"""Graph exports: one module per format, registered by name, like networkx's ``readwrite``.

Every module has ``NAME``, ``EXTENSION``, ``SOURCE`` (``"store"``: written straight
from the Oxigraph store; ``"graph"``: from the networkx view of ``kg.graph.view``)
and ``write(graph_or_store, path)``, which writes atomically.

>>> from kg.export import export
>>> export(store, "gexf", "out.gexf", events="edges")  # doctest: +SKIP
"""
from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox

from kg.errors import KgError

#: format name → module
FORMATS: dict[str, str] = {
    "ttl": "kg.export.turtle",
    "nt": "kg.export.ntriples",
    "nq": "kg.export.nquads",
    "jsonld": "kg.export.jsonld",
    "graphml": "kg.export.graphml",
    "gexf": "kg.export.gexf",
    "cyjs": "kg.export.cyjs",
}
EVENTS = ("nodes", "edges")


class ExportError(KgError):
    """An unknown format or events mode."""


def writer(fmt: str) -> ModuleType:
    """The module that writes ``fmt``."""
    try:
        return importlib.import_module(FORMATS[fmt])
    except KeyError:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


def default_name(fmt: str, events: str = "nodes") -> str:
    """``graph.<ext>``; graphs with events folded into edges are ``graph-edges.<ext>``."""
    module = writer(fmt)
    stem = "graph-edges" if module.SOURCE == "graph" and events == "edges" else "graph"
    return f"{stem}.{module.EXTENSION}"


def export(store: ox.Store, fmt: str, path: str | Path, events: str = "nodes") -> Path:
    """Write ``store`` as ``fmt`` at ``path`` (atomically) and return the path."""
    if events not in EVENTS:
        raise ExportError(f"unknown events mode {events!r}; choose nodes or edges")
    module = writer(fmt)
    if module.SOURCE == "graph":
        from kg.graph.view import graph_view

        module.write(graph_view(store, events=events), path)
    else:
        module.write(store, path)
    return Path(path)
