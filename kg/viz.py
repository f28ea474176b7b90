"""``kg viz``: one self-contained HTML page to explore a build in a browser.

The page holds the entity graph (the networkx view with events folded into
edges) as JSON plus its own small script and style sheet (``kg/data/viz/``,
written for kg, no third-party code): a force layout drawn in SVG, search,
filters by type and province, and a side panel with a node's facts and the
evidence sentences they were extracted from. It loads nothing from the
network, so it works offline and can be mailed around as one file.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.atomic import atomic_file
from kg.graph.style import NAMES_ZH, hex_colour
from kg.graph.view import graph_view, local_name

MAX_NODES = 2000
_EVENT_FIELDS = ("date", "place_label", "amount", "role", "partners", "beneficiaries", "evidence", "headline",
                 "article", "confidence", "event_type", "event")


def _asset(name: str) -> str:
    return resources.files("kg").joinpath("data", "viz", name).read_text(encoding="utf-8")


def payload(graph: nx.MultiDiGraph, max_nodes: int = MAX_NODES, title: str = "kg") -> dict:
    """The JSON the page draws: nodes, edges (with their event's facts) and the legend.

    Only the ``max_nodes`` best connected nodes are kept, so a very large build
    still gives a page a browser can lay out.
    """
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    keep = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))[:max_nodes]
    index = {n: i for i, n in enumerate(keep)}
    nodes = []
    for n in keep:
        d = graph.nodes[n]
        node = {"id": n, "label": d.get("label", local_name(n)), "type": d.get("type", "Thing"),
                "degree": int(d.get("degree", graph.degree(n)))}
        for key, short in (("label_en", "en"), ("province", "province"), ("admin_code", "code")):
            if d.get(key) not in (None, ""):
                node[short] = str(d[key])
        nodes.append(node)
    edges = []
    for u, v, d in graph.edges(data=True):
        if u not in index or v not in index:
            continue
        edge = {"s": index[u], "t": index[v], "p": str(d.get("label", ""))}
        for key in _EVENT_FIELDS:
            value = d.get(key)
            if value not in (None, ""):
                edge[key] = value if isinstance(value, (int, float)) else str(value)
        edges.append(edge)
    types = sorted({n["type"] for n in nodes}, key=lambda t: (list(NAMES_ZH).index(t) if t in NAMES_ZH else 99, t))
    counts = {t: sum(1 for n in nodes if n["type"] == t) for t in types}
    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "types": [{"type": t, "name": NAMES_ZH.get(t, t), "colour": hex_colour(t), "count": counts[t]}
                  for t in types],
        "provinces": sorted({n["province"] for n in nodes if "province" in n}),
        "total": {"nodes": total_nodes, "edges": total_edges},
    }


def html(data: dict) -> str:
    """The page: template + inline style sheet, script and data (nothing fetched)."""
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    blob = blob.replace("<", "\\u003c")  # no "</script>" or "<!--" can end the <script> element
    title = (data.get("title") or "kg").replace("&", "&amp;").replace("<", "&lt;")
    page = _asset("index.html")
    page = page.replace("__KG_TITLE__", title)
    for marker, value in (("/*KG_CSS*/", _asset("viz.css")), ("/*KG_JS*/", _asset("viz.js")), ("__KG_DATA__", blob)):
        page = page.replace(marker, value, 1)
    return page


def write_html(graph_or_store: nx.MultiDiGraph | ox.Store, path: str | Path, title: str = "kg",
               max_nodes: int = MAX_NODES) -> dict:
    """Write the page for a store (or an already built view) at ``path``, atomically."""
    graph = graph_view(graph_or_store, events="edges") if isinstance(graph_or_store, ox.Store) else graph_or_store
    data = payload(graph, max_nodes=max_nodes, title=title)
    with atomic_file(Path(path)) as tmp:
        tmp.write_text(html(data), encoding="utf-8")
    return {"nodes": len(data["nodes"]), "edges": len(data["edges"]),
            "total_nodes": data["total"]["nodes"], "total_edges": data["total"]["edges"]}
