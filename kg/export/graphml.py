"""GraphML for Gephi, Cytoscape, yEd, igraph and graph-tool.

Written by hand (streamed, not built as an XML tree) so that every rule of
DESIGN.md holds: named key ids that never collide between nodes and edges,
one declared type per attribute, no None or list values, no XML-illegal
characters, a ``label`` (and Cytoscape's ``name``) on every node, Gephi's
``r``/``g``/``b``/``size``, and unique edge ids.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import pyoxigraph as ox

from kg.atomic import atomic_file
from kg.export.attrs import as_graph, tidy

NAME = "graphml"
EXTENSION = "graphml"
SOURCE = "graph"

_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _keys(records, scope: str, taken: set[str]) -> dict[str, tuple[str, str]]:
    """attribute name → (key id, GraphML type) for one scope (node or edge)."""
    keys: dict[str, tuple[str, str]] = {}
    for data in records:
        for name, value in data.items():
            if name not in keys:
                key_id = name if name not in taken else f"{scope}_{name}"
                taken.add(key_id)
                keys[name] = (key_id, _TYPES[type(value)])
    return keys


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return escape(str(value))


def write(graph_or_store: nx.MultiDiGraph | ox.Store, path: str | Path) -> None:
    """Write the graph (or a store's view of it) as GraphML at ``path``, atomically."""
    g = tidy(as_graph(graph_or_store))
    taken: set[str] = set()
    node_keys = _keys((d for _, d in g.nodes(data=True)), "node", taken)
    edge_keys = _keys((d for *_, d in g.edges(data=True)), "edge", taken)
    edge_keys.pop("id", None)  # the edge's own id attribute, not a data key
    with atomic_file(Path(path)) as tmp, tmp.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                  'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for scope, keys in (("node", node_keys), ("edge", edge_keys)):
            for name, (key_id, kind) in keys.items():
                out.write(f'  <key id={quoteattr(key_id)} for="{scope}" attr.name={quoteattr(name)} '
                          f'attr.type="{kind}"/>\n')
        out.write('  <graph edgedefault="directed">\n')
        for node, data in g.nodes(data=True):
            out.write(f"    <node id={quoteattr(node)}>")
            for name, value in data.items():
                out.write(f'<data key={quoteattr(node_keys[name][0])}>{_value(value)}</data>')
            out.write("</node>\n")
        for u, v, data in g.edges(data=True):
            out.write(f"    <edge id={quoteattr(data['id'])} source={quoteattr(u)} target={quoteattr(v)}>")
            for name, value in data.items():
                if name != "id":
                    out.write(f'<data key={quoteattr(edge_keys[name][0])}>{_value(value)}</data>')
            out.write("</edge>\n")
        out.write("  </graph>\n</graphml>\n")


#: the name ``kg.build`` uses
write_graphml = write
