"""Cytoscape.js JSON (``.cyjs``), which Cytoscape desktop and Cytoscape.js both load.

``{"elements": {"nodes": [{"data": {"id", "name", …}}], "edges": [{"data": {"id",
"source", "target", "interaction", …}}]}}``; ``name`` is the label Cytoscape
shows, ``color`` the type's colour.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.atomic import atomic_file
from kg.export.attrs import as_graph, tidy
from kg.graph.style import hex_colour

NAME = "cyjs"
EXTENSION = "cyjs"
SOURCE = "graph"


def document(graph_or_store: nx.MultiDiGraph | ox.Store) -> dict:
    g = tidy(as_graph(graph_or_store), colours=False)
    nodes = [{"data": {"id": n, **d, "color": hex_colour(d["type"])}} for n, d in g.nodes(data=True)]
    edges = [{"data": {**d, "source": u, "target": v, "interaction": d["label"]}}
             for u, v, d in g.edges(data=True)]
    return {
        "format_version": "1.0",
        "generated_by": "kg",
        "target_cytoscapejs_version": "~3",
        "data": {"name": "kg", "shared_name": "kg"},
        "elements": {"nodes": nodes, "edges": edges},
    }


def write(graph_or_store: nx.MultiDiGraph | ox.Store, path: str | Path) -> None:
    """Write the graph (or a store's view of it) as Cytoscape.js JSON at ``path``, atomically."""
    doc = document(graph_or_store)
    with atomic_file(Path(path)) as tmp, tmp.open("w", encoding="utf-8") as out:
        json.dump(doc, out, ensure_ascii=False)
