"""What a build holds, and who matters in it.

``compute(store)`` returns a JSON-ready dict:

* ``classes`` and ``properties``: triples per class and per property;
* ``central_organizations``: the top organizations by PageRank and by degree
  in the entity graph (the networkx view with events folded into edges,
  taken as undirected, parallel edges as weight);
* ``provinces``: events per province, where an event's ``kgo:place`` rolls up
  to the province through ``kgo:partOf``, by event type;
* ``beneficiaries``: programs per beneficiary group (``kgo:targets``);
* ``communities``: groups of co-operating organizations, by networkx's greedy
  modularity over ``kgo:partnersWith`` and shared programs (two organizations
  are tied once per program both launched or partnered in).

``render`` prints it as text; ``plot`` draws the province and beneficiary
charts as PNG with matplotlib (Agg backend).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.graph.view import graph_view, local_name

TOP = 10
_P = """PREFIX kgo: <https://w3id.org/union-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_CLASSES = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"
_PROPS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p"
_PROVINCES = _P + """SELECT ?province ?label ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a kgo:Event ; kgo:place ?place .
  VALUES ?type { kgo:Launch kgo:PolicyIssuance kgo:FacilityEstablishment }
  ?e a ?type .
  ?place kgo:partOf* ?province .
  ?province kgo:adminLevel "province" .
  OPTIONAL { ?province rdfs:label ?label FILTER(lang(?label) = "zh") }
} GROUP BY ?province ?label ?type"""
_EVENTS = _P + "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kgo:Event }"
_GROUPS = _P + """SELECT ?g ?label (COUNT(DISTINCT ?program) AS ?n) WHERE {
  ?program kgo:targets ?g .
  OPTIONAL { ?g rdfs:label ?label FILTER(lang(?label) = "zh") }
} GROUP BY ?g ?label ORDER BY DESC(?n) ?label"""
_PARTNERS = _P + "SELECT ?a ?b WHERE { ?a kgo:partnersWith ?b FILTER(STR(?a) < STR(?b)) }"
_SHARED = _P + """SELECT ?a ?b (COUNT(DISTINCT ?program) AS ?n) WHERE {
  ?e1 kgo:object ?program . ?program a kgo:Program . ?e1 kgo:agent|kgo:partner ?a .
  ?e2 kgo:object ?program . ?e2 kgo:agent|kgo:partner ?b .
  FILTER(STR(?a) < STR(?b))
} GROUP BY ?a ?b"""
_ORG_TYPES = {"Organization", "TradeUnion"}


def pagerank(g: nx.Graph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict:
    """PageRank by power iteration in pure Python (networkx's own needs scipy)."""
    n = g.number_of_nodes()
    if n == 0:
        return {}
    strength = {u: sum(d.get("weight", 1.0) for _, _, d in g.edges(u, data=True)) for u in g}
    rank = dict.fromkeys(g, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in g if strength[u] == 0) / n
        new = dict.fromkeys(g, (1.0 - alpha) / n + dangling)
        for u in g:
            if strength[u]:
                share = alpha * rank[u] / strength[u]
                for _, v, d in g.edges(u, data=True):
                    new[v] += share * d.get("weight", 1.0)
        if sum(abs(new[u] - rank[u]) for u in g) < n * tol:
            return new
        rank = new
    return rank


def _entity_graph(view: nx.MultiDiGraph) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(view)
    for u, v in view.edges():
        if u != v:
            w = g.get_edge_data(u, v, {"weight": 0.0})["weight"]
            g.add_edge(u, v, weight=w + 1.0)
    return g


def centrality(view: nx.MultiDiGraph, top: int = TOP) -> dict:
    ranks = pagerank(_entity_graph(view))
    orgs = [n for n, d in view.nodes(data=True) if d.get("type") in _ORG_TYPES]

    def row(n: str) -> dict:
        d = view.nodes[n]
        return {"iri": n, "label": d.get("label", n), "label_en": d.get("label_en", ""),
                "degree": d.get("degree", 0), "pagerank": round(ranks.get(n, 0.0), 5)}

    by_pr = sorted(orgs, key=lambda n: (-ranks.get(n, 0.0), view.nodes[n].get("label", n)))[:top]
    by_degree = sorted(orgs, key=lambda n: (-view.nodes[n].get("degree", 0), view.nodes[n].get("label", n)))[:top]
    return {"by_pagerank": [row(n) for n in by_pr], "by_degree": [row(n) for n in by_degree]}


def provinces(store: ox.Store) -> dict:
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in store.query(_PROVINCES):
        label = r["label"].value if r["label"] is not None else local_name(r["province"].value)
        counts[label][local_name(r["type"].value).split(":")[-1]] += int(r["n"].value)
    total_events = next(iter(store.query(_EVENTS)))["n"]
    rows = [{"province": p, "events": sum(c.values()), **dict(sorted(c.items()))} for p, c in counts.items()]
    rows.sort(key=lambda r: (-r["events"], r["province"]))
    placed = sum(r["events"] for r in rows)
    return {"rows": rows, "events": int(total_events.value), "without_province": int(total_events.value) - placed}


def beneficiaries(store: ox.Store) -> list[dict]:
    return [{"group": r["label"].value if r["label"] is not None else local_name(r["g"].value),
             "programs": int(r["n"].value)} for r in store.query(_GROUPS)]


def communities(store: ox.Store, view: nx.MultiDiGraph, top: int = TOP) -> list[dict]:
    g = nx.Graph()
    for r in store.query(_PARTNERS):
        a, b = r["a"].value, r["b"].value
        g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    for r in store.query(_SHARED):
        a, b = r["a"].value, r["b"].value
        g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + int(r["n"].value))
    if g.number_of_edges() == 0:
        return []
    found = nx.community.greedy_modularity_communities(g, weight="weight")
    def label(n: str) -> str:
        return view.nodes[n].get("label", n) if n in view else local_name(n)

    out = []
    for members in found:
        if len(members) < 2:
            continue
        # the best connected first
        names = [label(n) for n in sorted(members, key=lambda n: (-g.degree(n, weight="weight"), label(n)))]
        out.append({"size": len(members), "members": names, "ties": g.subgraph(members).size()})
    out.sort(key=lambda c: (-c["size"], c["members"]))
    return out[:top]


def compute(store: ox.Store, view: nx.MultiDiGraph | None = None) -> dict:
    view = graph_view(store, events="edges") if view is None else view
    return {
        "triples": len(store),
        "classes": {local_name(r["c"].value): int(r["n"].value) for r in store.query(_CLASSES)},
        "properties": {local_name(r["p"].value): int(r["n"].value) for r in store.query(_PROPS)},
        "central_organizations": centrality(view),
        "provinces": provinces(store),
        "beneficiaries": beneficiaries(store),
        "communities": communities(store, view),
    }


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _short(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            return out + "…"
        out += ch
    return out


def render(result: dict) -> str:
    lines = [f"triples: {result['triples']}", "", "classes:"]
    lines += [f"  {n:8d}  {c}" for c, n in result["classes"].items()]
    lines += ["", "properties:"]
    lines += [f"  {n:8d}  {p}" for p, n in result["properties"].items()]
    central = result.get("central_organizations")
    if central:
        lines += ["", f"central organizations (top {TOP}):",
                  f"  {_pad('by PageRank', 34)} {'PR':>7} {'deg':>4}   {_pad('by degree', 34)} {'deg':>4}"]
        for a, b in zip(central["by_pagerank"], central["by_degree"]):
            lines.append(f"  {_pad(_short(a['label'], 34), 34)} {a['pagerank']:7.4f} {a['degree']:4d}   "
                         f"{_pad(_short(b['label'], 34), 34)} {b['degree']:4d}")
    prov = result.get("provinces")
    if prov:
        kinds = ["Launch", "PolicyIssuance", "FacilityEstablishment"]
        lines += ["", "activity per province (events whose place rolls up to it):",
                  f"  {_pad('province', 20)} {'events':>6} {'launch':>6} {'policy':>6} {'facility':>8}"]
        for r in prov["rows"]:
            a, b, c = (r.get(k, 0) for k in kinds)
            lines.append(f"  {_pad(r['province'], 20)} {r['events']:6d} {a:6d} {b:6d} {c:8d}")
        lines.append(f"  {_pad('(no province)', 20)} {prov['without_province']:6d}")
    groups = result.get("beneficiaries")
    if groups:
        lines += ["", "programs per beneficiary group:"]
        lines += [f"  {g['programs']:8d}  {g['group']}" for g in groups]
    comms = result.get("communities")
    if comms is not None:
        lines += ["", "communities of co-operating organizations (partners, shared programs):"]
        if not comms:
            lines.append("  (none: no partnerships or shared programs)")
        for i, c in enumerate(comms, 1):
            lines.append(f"  {i:2d}. {c['size']} organizations, {c['ties']} ties: " + "、".join(c["members"]))
    return "\n".join(lines)


# ---------------------------------------------------------------- charts

_OBJECT = {"Launch": "Program", "PolicyIssuance": "Policy", "FacilityEstablishment": "Facility"}
_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "Droid Sans Fallback", "SimHei", "Microsoft YaHei", "PingFang SC",
              "Noto Sans CJK JP", "Noto Serif CJK SC")


def cjk_font() -> str | None:
    """The name of an installed font that has Chinese glyphs, if there is one."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FONTS if name in names), None)


def _labeller(font: str | None):
    if font is not None:
        return lambda text: text
    from pypinyin import lazy_pinyin

    def ascii_label(text: str) -> str:  # DejaVu Sans has no CJK punctuation either
        words = " ".join(lazy_pinyin(text)).title()
        return "".join(ch if ord(ch) < 0x2E80 else " " for ch in words).strip() or "?"

    return ascii_label


def plot(result: dict, folder: str | Path) -> list[Path]:
    """Bar charts of activity per province and programs per beneficiary group, as PNG files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kg.atomic import atomic_file
    from kg.graph.style import hex_colour

    folder = Path(folder)
    font = cjk_font()
    text = _labeller(font)
    rc = {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"], "axes.unicode_minus": False}
    written = []
    kinds = [("Launch", "启动项目" if font else "launches"), ("PolicyIssuance", "发布政策" if font else "policies"),
             ("FacilityEstablishment", "设立设施" if font else "facilities")]
    rows = list(reversed(result["provinces"]["rows"]))
    groups = list(reversed(result["beneficiaries"][:25]))
    charts = [
        ("activity_by_province.png", "各省活动（事件数）" if font else "Events per province", rows),
        ("programs_by_group.png", "各受益群体的项目数" if font else "Programs per beneficiary group", groups),
    ]
    with plt.rc_context(rc):
        for name, title, data in charts:
            fig, ax = plt.subplots(figsize=(8, 0.6 + 0.32 * max(len(data), 3)), dpi=120)
            if name.startswith("activity"):
                labels = [text(r["province"]) for r in data]
                left = [0] * len(data)
                for kind, legend in kinds:
                    values = [r.get(kind, 0) for r in data]
                    ax.barh(labels, values, left=left, color=hex_colour(_OBJECT[kind]), label=legend)
                    left = [a + b for a, b in zip(left, values)]
                ax.legend(loc="lower right", frameon=False)
            else:
                ax.barh([text(g["group"]) for g in data], [g["programs"] for g in data],
                        color=hex_colour("BeneficiaryGroup"), edgecolor="#999999")
            ax.set_title(title)
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.spines[["top", "right"]].set_visible(False)
            fig.tight_layout()
            target = folder / name
            with atomic_file(target) as tmp:
                fig.savefig(tmp, format="png")
            plt.close(fig)
            written.append(target)
    return written
