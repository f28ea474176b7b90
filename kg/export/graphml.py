"""GraphML for Gephi, Cytoscape, yEd, igraph and graph-tool.

Written by hand (streamed, not built as an XML tree) so that every rule of
DESIGN.md holds: named key ids that never collide between nodes and edges,
one declared type per attribute, no None or list values, no XML-illegal
characters, a ``label`` (and Cytoscape's ``name``) on every node, Gephi's
``r``/``g``/``b``/``size``, and unique edge ids.
"""
from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

import networkx as nx
import pyoxigraph as ox

from kg.atomic import atomic_file
from kg.export.attrs import as_graph, tidy_records

NAME = "graphml"
EXTENSION = "graphml"
SOURCE = "graph"

_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _keys(types: dict[str, type], scope: str, taken: set[str]) -> dict[str, tuple[str, str]]:
    """attribute name → (key id, GraphML type) for one scope (node or edge)."""
    keys: dict[str, tuple[str, str]] = {}
    for name, kind in types.items():
        key_id = name if name not in taken else f"{scope}_{name}"
        taken.add(key_id)
        keys[name] = (key_id, _TYPES[kind])
    return keys


#: what ``quoteattr`` escapes (or quotes differently): a value without any is quoted as it is
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')


def _quote(value: str) -> str:
    """``quoteattr(value)``, without its work for the values that need no escaping (ids, mostly)."""
    return quoteattr(value) if _ATTR_SPECIAL.search(value) else f'"{value}"'


def _text(value: str) -> str:
    """``xml.sax.saxutils.escape`` without its dict of entities to look through."""
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _number(value: int) -> str:
    return str(value)


def _boolean(value: bool) -> str:
    return "true" if value else "false"


#: how a value of each type is written (an attribute has one type: ``tidy_records``)
_WRITE = {bool: _boolean, int: _number, float: repr, str: _text}


def write(graph_or_store: nx.MultiDiGraph | ox.Store, path: str | Path) -> None:
    """Write the graph (or a store's view of it) as GraphML at ``path``, atomically."""
    g = tidy_records(as_graph(graph_or_store))
    taken: set[str] = set()
    node_keys = _keys(g.node_types, "node", taken)
    edge_keys = _keys(g.edge_types, "edge", taken)
    edge_keys.pop("id", None)  # the edge's own id attribute, not a data key
    # per attribute: the opening tag and the writer of its values, worked out once
    node_data = {name: (f"<data key={quoteattr(key_id)}>", _WRITE[g.node_types[name]])
                 for name, (key_id, _) in node_keys.items()}
    edge_data = {name: (f"<data key={quoteattr(key_id)}>", _WRITE[g.edge_types[name]])
                 for name, (key_id, _) in edge_keys.items()}
    ids: dict[str, str] = {}  # node → its quoted id (each is an edge's source or target many times)
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
        for node, data in g.nodes.items():
            ids[node] = quoted = _quote(node)
            parts = [f"    <node id={quoted}>"]
            for name, value in data.items():
                tag, text = node_data[name]
                parts.append(f"{tag}{text(value)}</data>")
            parts.append("</node>\n")
            out.write("".join(parts))
        for u, v, data in g.edges:
            source, target = ids.get(u) or _quote(u), ids.get(v) or _quote(v)
            parts = [f"    <edge id={_quote(data['id'])} source={source} target={target}>"]
            for name, value in data.items():
                if name != "id":
                    tag, text = edge_data[name]
                    parts.append(f"{tag}{text(value)}</data>")
            parts.append("</edge>\n")
            out.write("".join(parts))
        out.write("  </graph>\n</graphml>\n")


#: the name ``kg.build`` uses
write_graphml = write
