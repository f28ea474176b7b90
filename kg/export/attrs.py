"""Attribute hygiene shared by the property-graph writers (GraphML, GEXF, Cytoscape).

Tools are strict where networkx is lenient (DESIGN.md, "GraphML"): no None or
list values, one declared type per attribute name, no XML-illegal characters,
a ``label`` on every node, a ``weight`` and a unique ``id`` on every edge, and
Gephi's ``r``/``g``/``b`` colour and ``size`` per node.
"""
from __future__ import annotations

import math
import re
from typing import Any, Iterable

import networkx as nx
import pyoxigraph as ox

from kg.graph.style import colour

# XML 1.0 allows #x9 #xA #xD [#x20-#xD7FF] [#xE000-#xFFFD] [#x10000-#x10FFFF]
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _ILLEGAL.sub("", text)


def as_graph(graph_or_store: nx.MultiDiGraph | ox.Store, events: str = "nodes") -> nx.MultiDiGraph:
    """The networkx view of a store, or the graph itself."""
    if isinstance(graph_or_store, ox.Store):
        from kg.graph.view import graph_view

        return graph_view(graph_or_store, events=events)
    if isinstance(graph_or_store, nx.Graph):
        return graph_or_store
    raise TypeError(f"expected a networkx graph or a pyoxigraph Store, not {type(graph_or_store).__name__}")


def _scalar(value: Any) -> bool | int | float | str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [str(_scalar(v)) for v in value if _scalar(v) is not None]
        return clean_text("; ".join(sorted(items) if isinstance(value, (set, frozenset)) else items)) or None
    return clean_text(str(value))


def _common_types(records: Iterable[dict]) -> dict[str, type]:
    """One Python type per attribute name: int+float → float, anything mixed with str → str."""
    seen: dict[str, set[type]] = {}
    for data in records:
        for key, value in data.items():
            seen.setdefault(key, set()).add(type(value))
    types = {}
    for key, kinds in seen.items():
        if len(kinds) == 1:
            types[key] = kinds.pop()
        elif kinds <= {int, float}:
            types[key] = float
        else:
            types[key] = str
    return types


def _coerce(data: dict, types: dict[str, type]) -> dict:
    out = {}
    for key, value in data.items():
        want = types[key]
        if want is str and not isinstance(value, str):
            value = str(value).lower() if isinstance(value, bool) else str(value)
        elif want is float and not isinstance(value, float):
            value = float(value)
        out[key] = value
    return out


def node_size(degree: int) -> float:
    return round(6.0 + 4.0 * math.sqrt(max(degree, 0)), 2)


def tidy(graph: nx.MultiDiGraph, colours: bool = True) -> nx.MultiDiGraph:
    """A copy of ``graph`` that strict readers accept (see the module's docstring).

    Edges get ``id`` ``e0``, ``e1`` … in the graph's edge order, so ids are
    unique even where a MultiDiGraph repeats keys.
    """
    nodes: list[tuple[str, dict]] = []
    for node, data in graph.nodes(data=True):
        attrs = {str(k): v for k, v in ((k, _scalar(v)) for k, v in data.items()) if v is not None}
        attrs.pop("id", None)
        attrs["label"] = attrs.get("label") or clean_text(str(node))
        attrs.setdefault("type", "Thing")
        attrs["name"] = attrs["label"]  # Cytoscape labels nodes by "name"
        if colours:
            attrs["r"], attrs["g"], attrs["b"] = colour(str(attrs["type"]))
            attrs["size"] = node_size(int(attrs.get("degree", graph.degree(node))))
        nodes.append((clean_text(str(node)), attrs))
    edges: list[tuple[str, str, dict]] = []
    for n, (u, v, data) in enumerate(graph.edges(data=True)):
        attrs = {str(k): v for k, v in ((k, _scalar(v)) for k, v in data.items()) if v is not None}
        attrs["id"] = f"e{n}"
        attrs.setdefault("label", "")
        attrs.setdefault("weight", 1.0)
        attrs.pop("type", None)  # GEXF reads an edge's "type" as directed/undirected
        edges.append((clean_text(str(u)), clean_text(str(v)), attrs))
    node_types = _common_types(a for _, a in nodes)
    edge_types = _common_types(a for _, _, a in edges)
    edge_types["weight"] = float
    out = nx.MultiDiGraph(**{k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float))})
    out.add_nodes_from((n, _coerce(a, node_types)) for n, a in nodes)
    for u, v, a in edges:
        a = _coerce(a, edge_types)
        out.add_edge(u, v, key=a["id"], **a)
    return out
