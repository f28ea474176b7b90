"""The networkx view and the exports, read back by independent readers.

All on the session's one real build of ``data/samples`` (conftest.py).
"""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg.cli import main
from kg.export import FORMATS, default_name, export, writer
from kg.export.attrs import clean_text, tidy
from kg.export.graphml import write_graphml
from kg.graph.view import EVENT_TYPES, graph_view
from kg.regions import read_special
from kg.store import open_store

ENTITY_TYPES = {"TradeUnion", "Organization", "Region", "Program", "Policy", "Facility", "Person", "BeneficiaryGroup"}
PREFIXES = ("kgo", "kgr", "org", "prov", "schema", "dcterms", "skos")


@pytest.fixture(scope="session")
def built(sample_build) -> Path:
    """The session's build of data/samples (``sample_build`` in conftest.py)."""
    return sample_build


@pytest.fixture(scope="module")
def store(built) -> ox.Store:
    return open_store(built)


@pytest.fixture(scope="module")
def exported(store, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    paths = {fmt: export(store, fmt, folder / default_name(fmt)) for fmt in FORMATS}
    for fmt in ("graphml", "gexf", "cyjs"):
        paths[fmt + "-edges"] = export(store, fmt, folder / default_name(fmt, "edges"), events="edges")
    return paths


@pytest.fixture(scope="module")
def views(store) -> dict[str, nx.MultiDiGraph]:
    return {mode: graph_view(store, events=mode) for mode in ("nodes", "edges")}


# ----------------------------------------------------------------- the view


class CountingStore:
    """A store that counts the reads it answers (queries, patterns, dumps)."""

    def __init__(self, store):
        self.store, self.reads = store, 0

    def query(self, *args, **kwargs):
        self.reads += 1
        return self.store.query(*args, **kwargs)

    def quads_for_pattern(self, *args, **kwargs):
        self.reads += 1
        return self.store.quads_for_pattern(*args, **kwargs)

    def dump(self, *args, **kwargs):
        self.reads += 1
        return self.store.dump(*args, **kwargs)


def test_view_reads_the_store_once(store):
    counting = CountingStore(store)
    graph = graph_view(counting, events="edges")
    assert counting.reads == 1, "one read of the whole graph: no query per node, nor per kind of fact"
    assert graph.number_of_nodes() > 100


def test_builds_graphml_is_the_export_of_its_store(built, store, tmp_path):
    """The build makes its view from graph.nt, exports from the store: the view follows the sorted
    triples, not where they come from, so the two files are the same."""
    write_graphml(store, tmp_path / "export.graphml")
    assert (tmp_path / "export.graphml").read_bytes() == (built / "graph.graphml").read_bytes()


def test_view_attributes_are_scalar_and_complete(views):
    for graph in views.values():
        for node, data in graph.nodes(data=True):
            assert data["label"] and data["type"], node
            assert data["degree"] == graph.degree(node)
            assert all(isinstance(v, (str, int, float)) for v in data.values()), data
        for *_, data in graph.edges(data=True):
            assert data["label"] and data["predicate"].startswith("http")
            assert all(isinstance(v, (str, int, float)) for v in data.values()), data


def test_events_as_nodes(views, store):
    graph = views["nodes"]
    kinds = {d["type"] for _, d in graph.nodes(data=True)}
    assert {"Launch", "Program", "TradeUnion", "Region"} <= kinds
    events = [n for n, d in graph.nodes(data=True) if d["type"] in EVENT_TYPES]
    total = int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { { ?e a <https://w3id.org/union-kg/ontology#Event> } "
        "UNION { ?e a <http://www.w3.org/ns/org#Membership> } }")))["n"].value)
    assert len(events) == total
    launch = next(n for n in events if graph.nodes[n]["type"] == "Launch")
    out = {d["label"] for _, _, d in graph.out_edges(launch, data=True)}
    assert {"kgo:agent", "kgo:object", "prov:wasDerivedFrom"} <= out
    assert graph.nodes[launch]["evidence"]


def test_events_folded_into_edges(views):
    graph = views["edges"]
    kinds = {d["type"] for _, d in graph.nodes(data=True)}
    assert kinds <= ENTITY_TYPES
    folded = [(u, v, d) for u, v, d in graph.edges(data=True) if "event" in d]
    assert len(folded) == len({d["event"] for *_, d in folded}), "one edge per event"
    labels = {d["label"] for *_, d in folded}
    assert {"kgo:launches", "org:memberOf"} <= labels
    for u, _, d in folded:
        assert d["evidence"] and d["article"].startswith("https://w3id.org/union-kg/resource/article/")
        if d["event_type"] != "Membership":
            assert graph.nodes[u]["type"] in ("Organization", "TradeUnion")
            assert "place" in d and d["place_label"]
    assert any("date" in d and "year" in d for *_, d in folded)
    assert any(isinstance(d.get("amount"), float) for *_, d in folded)
    # a direct triple an event stands for is not drawn twice
    plain = {(u, d["label"], v) for u, v, d in graph.edges(data=True) if "event" not in d}
    assert not plain & {(u, d["label"], v) for u, v, d in folded}


def test_provinces_roll_up(views, store):
    graph = views["edges"]
    provinces = {r["l"].value for r in store.query(
        'PREFIX kgo: <https://w3id.org/union-kg/ontology#> SELECT ?l WHERE { ?p kgo:adminLevel "province" ; '
        '<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = "zh") }')}
    regions = [d for _, d in graph.nodes(data=True) if d["type"] == "Region"]
    special = {area.region.name for area in read_special()}  # (新疆生产建设兵团: outside GB/T 2260)
    assert regions and all(d.get("admin_code") for d in regions
                           if d.get("admin_level") != "township" and d["label"] not in special)
    with_province = [d for _, d in graph.nodes(data=True) if "province" in d]
    assert len(with_province) > graph.number_of_nodes() / 2
    assert {d["province"] for d in with_province} <= provinces


def test_bad_events_mode(store):
    with pytest.raises(ValueError):
        graph_view(store, events="both")


# ----------------------------------------------------------------- registry and CLI


def test_registry_matches_cli():
    choices = next(p for p in main.commands["export"].params if p.name == "fmt").type.choices
    assert list(choices) == list(FORMATS)
    for fmt in FORMATS:
        module = writer(fmt)
        assert module.NAME == fmt and module.SOURCE in ("store", "graph") and callable(module.write)
    assert default_name("graphml", "edges") == "graph-edges.graphml"
    assert default_name("ttl", "edges") == "graph.ttl"


def test_cli_export_default_path_and_errors(built, tmp_path):
    built = shutil.copytree(built, tmp_path / "build")  # the default output goes into the build folder
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(built), "--format", "cyjs", "--events", "edges"])
    assert result.exit_code == 0, result.output
    assert (built / "graph-edges.cyjs").is_file()
    target = tmp_path / "sub" / "g.nt"
    result = runner.invoke(main, ["export", str(built), "-f", "nt", "-o", str(target)])
    assert result.exit_code == 0 and target.stat().st_size > 0
    result = runner.invoke(main, ["export", str(tmp_path / "nothing"), "-f", "ttl"])
    assert result.exit_code == 3 and "no kg build" in result.output
    assert not list(tmp_path.rglob(".*.tmp")), "no temporary files left behind"


# ----------------------------------------------------------------- RDF read back


def test_turtle_and_ntriples_parse_with_pyoxigraph(exported, store):
    n = len(store)
    for fmt, rdf_format in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                            ("nq", ox.RdfFormat.N_QUADS)):
        quads = list(ox.parse(path=str(exported[fmt]), format=rdf_format))
        assert len(quads) == n, fmt
    head = exported["ttl"].read_text(encoding="utf-8")[:2000]
    for prefix in PREFIXES:
        assert f"@prefix {prefix}: " in head


def test_jsonld_is_compact_and_expands_to_the_turtle_triples(exported):
    from pyld import jsonld
    doc = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    assert set(PREFIXES) <= set(doc["@context"])
    first = doc["@graph"][0]
    assert first["@id"].startswith("kgr:")
    keys = {k for node in doc["@graph"] for k in node}
    assert {"@id", "@type", "rdfs:label", "kgo:agent", "kgo:evidence"} <= keys
    assert not any(k.startswith("http") for k in keys)
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    from_jsonld = rdflib.Graph().parse(data=nquads, format="nt")
    from_turtle = rdflib.Graph().parse(exported["ttl"], format="turtle")
    assert len(from_jsonld) == len(from_turtle)
    assert isomorphic(from_jsonld, from_turtle)


# ----------------------------------------------------------------- property graphs read back


def test_graphml_reads_in_igraph_with_labels_and_types(exported, views):
    import igraph as ig
    for key, mode in (("graphml", "nodes"), ("graphml-edges", "edges")):
        g = ig.Graph.Read_GraphML(str(exported[key]))
        view = views[mode]
        assert (g.vcount(), g.ecount()) == (view.number_of_nodes(), view.number_of_edges())
        assert all(isinstance(x, str) and x for x in g.vs["label"]), "every node labelled"
        assert all(x == y for x, y in zip(g.vs["label"], g.vs["name"]))
        assert set(g.vs["type"]) == {d["type"] for _, d in view.nodes(data=True)}
        by_id = dict(zip(g.vs["id"], g.vs["label"]))
        assert all(by_id[n] == d["label"] for n, d in view.nodes(data=True))
        assert all(w == 1.0 for w in g.es["weight"])
        assert {"r", "g", "b", "size", "degree"} <= set(g.vs.attributes())
        if mode == "edges":
            assert any(e for e in g.es["evidence"])


def test_graphml_keys_declared_once_with_one_type(exported):
    root = ET.parse(exported["graphml-edges"]).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = root.findall("g:key", ns)
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids)), "key ids unique"
    names = [(k.get("for"), k.get("attr.name")) for k in keys]
    assert len(names) == len(set(names)), "one type per attribute name"
    types = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert types[("node", "label")] == "string" and types[("node", "degree")] == "long"
    assert types[("edge", "weight")] == "double" and types[("node", "r")] == "long"
    assert not any(re.fullmatch(r"d\d+", i) for i in ids), "named key ids"
    edge_ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert edge_ids and len(edge_ids) == len(set(edge_ids)), "unique edge ids"


def test_build_graphml_is_readable(built):
    import igraph as ig
    g = ig.Graph.Read_GraphML(str(built / "graph.graphml"))
    assert g.vcount() > 100 and all(g.vs["label"])


def test_gexf_reads_back_in_networkx(exported, views):
    for key, mode in (("gexf", "nodes"), ("gexf-edges", "edges")):
        g = nx.read_gexf(str(exported[key]))
        view = views[mode]
        assert g.number_of_nodes() == view.number_of_nodes()
        assert g.number_of_edges() == view.number_of_edges()
        for node, data in g.nodes(data=True):
            assert data["label"] == view.nodes[node]["label"]
            assert data["type"] == view.nodes[node]["type"]
            assert set(data["viz"]["color"]) >= {"r", "g", "b"}
    text = exported["gexf-edges"].read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text and " start=" in text


def test_cyjs_loads_as_json(exported, views):
    for key, mode in (("cyjs", "nodes"), ("cyjs-edges", "edges")):
        doc = json.loads(exported[key].read_text(encoding="utf-8"))
        nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
        assert len(nodes) == views[mode].number_of_nodes() and len(edges) == views[mode].number_of_edges()
        ids = {n["data"]["id"] for n in nodes}
        assert all(n["data"]["name"] and n["data"]["color"].startswith("#") for n in nodes)
        assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
        assert len({e["data"]["id"] for e in edges}) == len(edges)


# ----------------------------------------------------------------- hostile attribute values


def nasty_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("a", label="bad\x01label\x0b<&>\"'", type="Program", code=1, extra=None, tags=["x", "y"], flag=True)
    g.add_node("b", type="Region", code="110000", score=float("nan"))
    g.add_node("c", label="", code=2.5)
    g.add_edge("a", "b", label="kgo:inRegion", n=1)
    g.add_edge("a", "b", label="kgo:inRegion", n=2.0)
    g.add_edge("b", "c", type="oops", n="three")
    return g


def test_tidy_gives_scalars_of_one_type():
    g = tidy(nasty_graph())
    assert g.nodes["a"]["label"] == "badlabel<&>\"'"
    assert g.nodes["a"]["tags"] == "x; y" and "extra" not in g.nodes["a"]
    assert "score" not in g.nodes["b"]
    assert {type(d["code"]) for _, d in g.nodes(data=True)} == {str}
    assert g.nodes["c"]["label"] == "c" and g.nodes["c"]["type"] == "Thing"
    assert [d["id"] for *_, d in g.edges(data=True)] == ["e0", "e1", "e2"]
    assert {type(d["n"]) for *_, d in g.edges(data=True)} == {str}
    assert all("type" not in d for *_, d in g.edges(data=True))
    assert clean_text("a\ud800b\ufffe\x00c\td") == "abc\td"


def test_nasty_graph_round_trips(tmp_path):
    import igraph as ig
    write_graphml(nasty_graph(), tmp_path / "n.graphml")
    g = ig.Graph.Read_GraphML(str(tmp_path / "n.graphml"))
    assert g.vcount() == 3 and g.ecount() == 3 and all(g.vs["label"])
    assert nx.read_graphml(tmp_path / "n.graphml").number_of_edges() == 3
    writer("gexf").write(nasty_graph(), tmp_path / "n.gexf")
    assert nx.read_gexf(tmp_path / "n.gexf").nodes["a"]["label"] == "badlabel<&>\"'"
    writer("cyjs").write(nasty_graph(), tmp_path / "n.cyjs")
    assert len(json.loads((tmp_path / "n.cyjs").read_text())["elements"]["edges"]) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.cyjs", "n.gexf", "n.graphml"]


def test_rdf_writers_refuse_a_networkx_graph(tmp_path):
    with pytest.raises(TypeError):
        writer("ttl").write(nasty_graph(), tmp_path / "x.ttl")
    assert not list(tmp_path.iterdir()), "nothing half-written"
