"""The whole pipeline on the sample corpus: the graph, its provenance, its quality, the CLI."""
from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.evaluate import evaluate, read_gold
from kg.store import open_store

from conftest import GOLD, SAMPLES

LAUNCHES = """
PREFIX kgo: <https://w3id.org/union-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?org ?program ?region WHERE {
  ?e a kgo:Launch ; kgo:agent ?a ; kgo:object ?p ; kgo:place ?r .
  ?a rdfs:label ?org FILTER(lang(?org) = "zh")
  ?p rdfs:label ?program FILTER(lang(?program) = "zh")
  ?r rdfs:label ?region FILTER(lang(?region) = "zh")
}
"""


def kg(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, **kw)


def test_turtle_parses_in_pyoxigraph_and_matches_the_store(sample_build):
    graph = ox.Store()
    graph.load(path=str(sample_build / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(graph) == len(open_store(sample_build)) > 1000


def test_launch_rows_a_reader_agrees_with(sample_build):
    rows = {(r["org"].value, r["program"].value, r["region"].value) for r in open_store(sample_build).query(LAUNCHES)}
    # read off the pages: 000 (景德镇, 江汉区), 001 (吉林), 002 (大洲镇)
    assert ("景德镇市总工会", "瓷都工贷", "景德镇市") in rows
    assert ("武汉市江汉区总工会", "春风行动", "江汉区") in rows
    assert ("吉林省总工会", "双创扶持计划", "吉林省") in rows
    assert ("衢州市衢江区大洲镇总工会", "关爱女性专项体检活动", "大洲镇") in rows


def test_every_event_has_provenance_into_the_input(sample_build):
    q = """PREFIX kgo: <https://w3id.org/union-kg/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?e ?source ?evidence ?start ?end ?conf WHERE {
      ?e kgo:evidence ?evidence ; kgo:evidenceStart ?start ; kgo:evidenceEnd ?end ; kgo:confidence ?conf ;
         prov:wasDerivedFrom ?a . ?a dcterms:source ?source }"""
    rows = list(open_store(sample_build).query(q))
    assert len(rows) > 50
    texts = {p.name: p.read_text(encoding="utf-8") for p in SAMPLES.glob("*.txt")}
    for r in rows:
        original = texts[r["source"].value][int(r["start"].value):int(r["end"].value)]
        squeeze = lambda s: "".join(s.split()).replace("(上接第1版)", "")  # noqa: E731
        assert squeeze(original) == squeeze(r["evidence"].value)
        assert 0 < float(r["conf"].value) <= 1


def test_regions_roll_up_to_provinces(sample_build):
    q = """PREFIX kgo: <https://w3id.org/union-kg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?code WHERE { ?r rdfs:label "大洲镇"@zh ; kgo:partOf+ ?p . ?p kgo:adminCode ?code }"""
    codes = {r["code"].value for r in open_store(sample_build).query(q)}
    assert codes == {"330803", "330800", "330000"}  # 衢江区, 衢州市, 浙江省


def test_quality_on_the_dev_gold(sample_build):
    assert GOLD.exists(), f"the gold file is read from ../shared: {GOLD} is missing"
    result = evaluate(open_store(sample_build), read_gold(GOLD))
    assert result.events.f1 >= 0.65
    assert result.posts.f1 >= 0.70
    assert result.region_accuracy >= 0.90


def test_cli_build_query_eval(sample_build, tmp_path):
    out = kg("query", "--store", str(sample_build), "--format", "csv", LAUNCHES)
    assert out.returncode == 0 and out.stdout.splitlines()[0] == "org,program,region"
    assert "景德镇市总工会,瓷都工贷,景德镇市" in out.stdout
    table = kg("query", "--store", str(sample_build), "SELECT (COUNT(*) AS ?n) WHERE { ?s a kgo:Launch }")
    assert table.returncode == 0 and "(1 row)" in table.stdout


@pytest.mark.parametrize("args, code, words", [
    (["build", "/no/such/folder", "-o", "{tmp}/o"], 2, "nothing to build"),
    (["query", "--store", "{tmp}/none", "SELECT * WHERE {?s ?p ?o}"], 3, "no kg build here"),
    (["eval", "/no/gold.jsonl", "--store", "{build}"], 2, "cannot read the gold file"),
    (["annotate", "/no/file.jsonl"], 2, "cannot read"),
])
def test_user_errors_are_one_line_without_traceback(sample_build, tmp_path, args, code, words):
    out = kg(*[a.replace("{tmp}", str(tmp_path)).replace("{build}", str(sample_build)) for a in args])
    assert out.returncode == code
    assert words in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_bad_sparql_is_a_clear_error(sample_build):
    out = kg("query", "--store", str(sample_build), "SELEKT nothing")
    assert out.returncode == 4 and "SPARQL syntax error" in out.stderr and "Traceback" not in out.stderr
