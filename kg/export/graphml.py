"""GraphML for Gephi, Cytoscape and yEd.

networkx's writer needs care (DESIGN.md): no None values, one Python type per
attribute name, named key ids so tools pick the right label, and unique edge
ids in a MultiDiGraph.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx


def _clean(value):
    if isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    # XML 1.0 forbids most control characters
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff")


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> None:
    g = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attrs = {k: _clean(v) for k, v in data.items() if v is not None}
        attrs.setdefault("label", str(node))
        attrs["name"] = attrs["label"]  # Cytoscape labels nodes by "name"
        g.add_node(node, **attrs)
    for n, (u, v, key, data) in enumerate(graph.edges(keys=True, data=True)):
        attrs = {k: _clean(v) for k, v in data.items() if v is not None}
        attrs["id"] = f"e{n}"
        attrs.setdefault("weight", 1.0)
        g.add_edge(u, v, key=attrs["id"], **attrs)
    nx.write_graphml(g, str(path), named_key_ids=True, edge_id_from_attribute="id")
