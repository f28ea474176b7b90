"""``kg stats``: counts, centrality, activity per province, communities and charts."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import stats
from kg.cli import main
from kg.store import open_store

KGO = "https://w3id.org/union-kg/ontology#"
KGR = "https://w3id.org/union-kg/resource/"


@pytest.fixture(scope="session")
def built(sample_build) -> Path:
    """The session's build of data/samples (``sample_build`` in conftest.py)."""
    return sample_build


@pytest.fixture(scope="module")
def result(built) -> dict:
    return stats.compute(open_store(built))


def test_counts(result, built):
    store = open_store(built)
    assert result["triples"] == len(store)
    assert sum(result["properties"].values()) == len(store)
    assert result["classes"]["kgo:Launch"] > 0 and result["classes"]["kgo:Organization"] > 0


def test_central_organizations(result):
    central = result["central_organizations"]
    for key, field in (("by_pagerank", "pagerank"), ("by_degree", "degree")):
        rows = central[key]
        assert 0 < len(rows) <= stats.TOP
        assert all(r["label"] and r["iri"].startswith(KGR + "org/") for r in rows)
        values = [r[field] for r in rows]
        assert values == sorted(values, reverse=True)
    assert central["by_degree"][0]["degree"] >= central["by_pagerank"][-1]["degree"]


def test_pagerank_matches_networkx():
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 2.0), ("b", "c", 1.0), ("c", "a", 1.0), ("c", "d", 3.0)])
    g.add_node("lonely")
    ours = stats.pagerank(g)
    assert sum(ours.values()) == pytest.approx(1.0)
    theirs = nx.pagerank(g, weight="weight")
    for node in g:
        assert ours[node] == pytest.approx(theirs[node], abs=1e-5)  # networkx stops at tol=1e-6
    assert stats.pagerank(nx.Graph()) == {}


def test_activity_per_province(result, built):
    prov = result["provinces"]
    assert prov["rows"], "some events roll up to a province"
    assert sum(r["events"] for r in prov["rows"]) + prov["without_province"] == prov["events"]
    for row in prov["rows"]:
        assert row["events"] == sum(row.get(k, 0) for k in ("Launch", "PolicyIssuance", "FacilityEstablishment"))
    store = open_store(built)
    names = {r["l"].value for r in store.query(
        f'SELECT ?l WHERE {{ ?p <{KGO}adminLevel> "province" ; <http://www.w3.org/2000/01/rdf-schema#label> ?l '
        'FILTER(lang(?l) = "zh") }')}
    assert {r["province"] for r in prov["rows"]} <= names
    counts = [r["events"] for r in prov["rows"]]
    assert counts == sorted(counts, reverse=True)


def test_beneficiaries_and_communities(result):
    groups = result["beneficiaries"]
    assert groups and all(g["programs"] > 0 and g["group"] for g in groups)
    for community in result["communities"]:
        assert community["size"] == len(community["members"]) >= 2
        assert community["ties"] >= community["size"] - 1


def tiny_store() -> ox.Store:
    """Two groups of partners (a–b–c, d–e) and one shared program between c and f."""
    store = ox.Store()
    k = lambda name: ox.NamedNode(KGO + name)  # noqa: E731
    org = {x: ox.NamedNode(f"{KGR}org/{x}") for x in "abcdef"}
    quads = []
    for x, node in org.items():
        quads.append(ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), k("Organization")))
        quads.append(ox.Quad(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                             ox.Literal(f"组织{x}", language="zh")))
    for x, y in ("ab", "bc", "ac", "de"):
        quads.append(ox.Quad(org[x], k("partnersWith"), org[y]))
        quads.append(ox.Quad(org[y], k("partnersWith"), org[x]))
    program = ox.NamedNode(KGR + "program/p")
    quads.append(ox.Quad(program, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), k("Program")))
    for n, x in enumerate("cf"):
        event = ox.NamedNode(f"{KGR}event/e{n}")
        quads += [ox.Quad(event, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), k("Launch")),
                  ox.Quad(event, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), k("Event")),
                  ox.Quad(event, k("agent"), org[x]), ox.Quad(event, k("object"), program)]
    store.extend(quads)
    return store


def test_communities_from_partners_and_shared_programs():
    store = tiny_store()
    result = stats.compute(store)
    found = [set(c["members"]) for c in result["communities"]]
    assert {"组织d", "组织e"} in found
    assert any({"组织a", "组织b", "组织c"} <= c for c in found)
    assert any({"组织c", "组织f"} <= c for c in found) or {"组织a", "组织b", "组织c", "组织f"} in found
    assert result["provinces"]["rows"] == [] and result["provinces"]["without_province"] == 2
    text = stats.render(result)
    assert "communities of co-operating organizations" in text and "组织d" in text


def test_render(result):
    text = stats.render(result)
    for heading in ("classes:", "properties:", "central organizations", "activity per province",
                    "programs per beneficiary group", "communities"):
        assert heading in text
    assert result["central_organizations"]["by_pagerank"][0]["label"] in text


def test_cli_json_and_plot(built, tmp_path):
    runner = CliRunner()
    out = runner.invoke(main, ["stats", str(built), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert {"classes", "central_organizations", "provinces", "communities"} <= set(data)
    copy = shutil.copytree(built, tmp_path / "build")  # the charts go into the build folder
    out = runner.invoke(main, ["stats", str(copy), "--plot"])
    assert out.exit_code == 0, out.output
    for name in ("activity_by_province.png", "programs_by_group.png"):
        png = (copy / name).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    bad = runner.invoke(main, ["stats", str(built / "nothing")])
    assert bad.exit_code == 3


def test_plot_without_cjk_font_uses_pinyin(result, tmp_path, monkeypatch):
    monkeypatch.setattr(stats, "cjk_font", lambda: None)
    assert stats._labeller(None)("浙江省") == "Zhe Jiang Sheng"
    paths = stats.plot(result, tmp_path)
    assert [p.name for p in paths] == ["activity_by_province.png", "programs_by_group.png"]
    assert all(p.stat().st_size > 5_000 for p in paths)
