"""Attribute hygiene shared by the property-graph writers (GraphML, GEXF, Cytoscape).

Tools are strict where networkx is lenient (DESIGN.md, "GraphML"): no None or
list values, one declared type per attribute name, no XML-illegal characters,
a ``label`` on every node, a ``weight`` and a unique ``id`` on every edge, and
Gephi's ``r``/``g``/``b`` colour and ``size`` per node.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
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


def _scalars(data: dict) -> dict[str, bool | int | float | str]:
    """``data`` with ``_scalar`` values and ``str`` keys, without the Nones.  The values a view
    holds (``str``, ``int``, finite ``float``) are taken as they are, without a call per value."""
    out = {}
    for key, value in data.items():
        kind = type(value)
        if kind is str:
            value = _ILLEGAL.sub("", value)  # (clean_text, inlined: this runs for every value of a graph)
        elif kind is float:
            if not math.isfinite(value):
                continue
        elif kind is not int and kind is not bool:
            value = _scalar(value)
            if value is None:
                continue
        out[key if type(key) is str else str(key)] = value
    return out


def _unify_types(records: Iterable[dict], forced: dict[str, type] | None = None) -> dict[str, type]:
    """Give each attribute name one Python type, converting values in place: int+float →
    float, anything mixed with str → str (``forced`` types win).  Returns name → type, the
    names in the order they first appear (the order writers declare them in)."""
    records = list(records)
    # the distinct shapes (names and their types) of the records, in the order they first appear:
    # a graph's records have a handful of shapes, each record's names are those of its shape
    shapes = dict.fromkeys((tuple(data), tuple(map(type, data.values()))) for data in records)
    kinds: dict[str, set[type]] = {}
    for names, found in shapes:
        for key, kind in zip(names, found):
            kinds.setdefault(key, set()).add(kind)
    types = {}
    for key, found in kinds.items():
        if forced and key in forced:
            types[key] = forced[key]
        elif len(found) == 1:
            types[key] = next(iter(found))
        elif found <= {int, float}:
            types[key] = float
        else:
            types[key] = str
    mixed = {key: want for key, want in types.items() if kinds[key] != {want}}
    if mixed:
        for data in records:
            _coerce(data, mixed)
    return types


def _coerce(data: dict, types: dict[str, type]) -> None:
    for key, want in types.items():
        if key not in data:
            continue
        value = data[key]
        if want is str and not isinstance(value, str):
            data[key] = str(value).lower() if isinstance(value, bool) else str(value)
        elif want is float and not isinstance(value, float):
            data[key] = float(value)


def node_size(degree: int) -> float:
    return round(6.0 + 4.0 * math.sqrt(max(degree, 0)), 2)


@dataclass
class Tidy:
    """A graph as strict readers accept it (see the module's docstring), as plain records."""

    nodes: dict[str, dict]  # node id → attributes
    edges: list[tuple[str, str, dict]]  # (source, target, attributes), ``id`` among them
    node_types: dict[str, type]  # attribute name → its one type, in the order names first appear
    edge_types: dict[str, type]


def tidy_records(graph: nx.MultiDiGraph, colours: bool = True) -> Tidy:
    """The nodes and edges of ``graph`` that strict readers accept (see the module's docstring),
    without building a graph of them: a writer that streams needs only the records.

    Edges get ``id`` ``e0``, ``e1`` … in the graph's edge order, so ids are
    unique even where a MultiDiGraph repeats keys.
    """
    nodes: dict[str, dict] = {}
    ids: dict = {}  # node → its id (its edges name it again and again)
    for node, data in graph.nodes(data=True):
        attrs = _scalars(data)
        attrs.pop("id", None)
        attrs["label"] = attrs.get("label") or clean_text(str(node))
        attrs.setdefault("type", "Thing")
        attrs["name"] = attrs["label"]  # Cytoscape labels nodes by "name"
        if colours:
            attrs["r"], attrs["g"], attrs["b"] = colour(str(attrs["type"]))
            attrs["size"] = node_size(int(attrs.get("degree", graph.degree(node))))
        ids[node] = key = clean_text(str(node))
        if key in nodes:  # (two ids that differ only in characters XML cannot hold: one node, as in networkx)
            nodes[key].update(attrs)
        else:
            nodes[key] = attrs
    edges: list[tuple[str, str, dict]] = []
    for n, (u, v, data) in enumerate(graph.edges(data=True)):
        attrs = _scalars(data)
        attrs["id"] = f"e{n}"
        attrs.setdefault("label", "")
        attrs.setdefault("weight", 1.0)
        attrs.pop("type", None)  # GEXF reads an edge's "type" as directed/undirected
        edges.append((ids[u], ids[v], attrs))
    node_types = _unify_types(nodes.values())
    edge_types = _unify_types((a for _, _, a in edges), forced={"weight": float})
    return Tidy(nodes, edges, node_types, edge_types)


def tidy(graph: nx.MultiDiGraph, colours: bool = True) -> nx.MultiDiGraph:
    """A copy of ``graph`` that strict readers accept: ``tidy_records`` as a graph."""
    records = tidy_records(graph, colours)
    out = nx.MultiDiGraph(**{k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float))})
    out.add_nodes_from(records.nodes.items())
    for u, v, a in records.edges:
        out.add_edge(u, v, key=a["id"], **a)
    return out
