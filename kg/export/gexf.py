"""GEXF 1.2 for Gephi: typed attributes, ``viz`` colours and sizes, a timeline.

Nodes and edges that carry event dates get GEXF ``start``/``end`` (the event's
earliest and latest day), so Gephi's timeline can play the graph.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.atomic import atomic_file
from kg.export.attrs import as_graph, tidy

NAME = "gexf"
EXTENSION = "gexf"
SOURCE = "graph"


def write(graph_or_store: nx.MultiDiGraph | ox.Store, path: str | Path) -> None:
    """Write the graph (or a store's view of it) as GEXF at ``path``, atomically."""
    g = tidy(as_graph(graph_or_store))
    dynamic = False
    for _, data in g.nodes(data=True):
        data["viz"] = {"color": {"r": data.pop("r"), "g": data.pop("g"), "b": data.pop("b"), "a": 1.0},
                       "size": data.pop("size")}
        dynamic |= _timeline(data)
    for *_, data in g.edges(data=True):
        dynamic |= _timeline(data)
    if dynamic:
        g.graph["mode"] = "dynamic"
    with atomic_file(Path(path)) as tmp:
        nx.write_gexf(g, str(tmp), version="1.2draft")


def _timeline(data: dict) -> bool:
    if "earliest" in data and "latest" in data:
        data["start"], data["end"] = data["earliest"], data["latest"]
        return True
    return False
