"""The embedded store under DIR/store: loading, dumping, and `kg query` running there."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from click.testing import CliRunner

from kg.cli import main
from kg.errors import StoreError
from kg.store import STORE, BulkLoader, dump_turtle, open_store

NT = """<https://w3id.org/union-kg/resource/org/a> <http://www.w3.org/2000/01/rdf-schema#label> "景德镇市总工会"@zh .
<https://w3id.org/union-kg/resource/org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/union-kg/ontology#Organization> .
<https://w3id.org/union-kg/resource/event/e> <https://w3id.org/union-kg/ontology#amount> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<https://w3id.org/union-kg/resource/event/e> <https://w3id.org/union-kg/ontology#evidence> "第一行\\n第二行 \\"引号\\""@zh .
<https://w3id.org/union-kg/resource/org/a> <http://www.w3.org/2000/01/rdf-schema#label> "景德镇市总工会"@zh .
"""


def load_ntriples(path, blocks, **kwargs):
    """A new store at ``path`` from blocks of whole N-Triples lines."""
    with BulkLoader(path, **kwargs) as loader:
        for block in blocks:
            loader.add(block)


def test_bulk_load_and_turtle_round_trip(tmp_path):
    load_ntriples(tmp_path / STORE, [NT.encode()])
    store = open_store(tmp_path)
    assert len(store) == 4  # the repeated triple is stored once
    dump_turtle(store, tmp_path / "g.ttl")
    text = (tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "@prefix kgo: <https://w3id.org/union-kg/ontology#> ." in text
    original = rdflib.Graph().parse(data=NT, format="nt")
    assert rdflib.compare.isomorphic(original, rdflib.Graph().parse(data=text, format="turtle"))


def test_bulk_load_in_small_chunks_loads_every_line(tmp_path):
    load_ntriples(tmp_path / "one", [NT.encode()])
    load_ntriples(tmp_path / "many", NT.encode().splitlines(keepends=True), chunk=40)  # a line or two a chunk
    one, many = (set(ox.Store.read_only(str(tmp_path / name))) for name in ("one", "many"))
    assert len(one) == 4 and one == many


def test_a_store_load_left_unfinished_leaves_nothing_behind(tmp_path):
    from kg.build import _StoreLoad

    with _StoreLoad(tmp_path) as loading:  # (a build whose outputs turn out to be up to date)
        loading.add("k", NT.encode())
    with pytest.raises(ValueError), _StoreLoad(tmp_path) as loading:  # (a build that fails)
        loading.add("k", NT.encode())
        raise ValueError
    assert list(tmp_path.iterdir()) == []
    with _StoreLoad(tmp_path) as loading:
        loading.add("k", NT.encode())
        loading.add("k", b"not N-Triples: a document is loaded once")
        loading.finish()
    assert [p.name for p in tmp_path.iterdir()] == [STORE] and len(open_store(tmp_path)) == 4


def test_open_store_errors(tmp_path):
    with pytest.raises(StoreError, match="no kg build here"):
        open_store(tmp_path)
    (tmp_path / STORE).mkdir()
    (tmp_path / STORE / "CURRENT").write_text("garbage")
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(tmp_path)


def test_read_only_store_refuses_writes(sample_build):
    store = open_store(sample_build)
    with pytest.raises((OSError, RuntimeError)):
        store.update("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }")


def test_kg_query_runs_on_the_store(sample_build):
    expected = len(open_store(sample_build))
    result = CliRunner().invoke(main, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                       "--store", str(sample_build), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"n": str(expected)}]
    launches = {str(s) for s in rdflib.Graph().parse(sample_build / "graph.ttl", format="turtle").subjects(
        rdflib.RDF.type, rdflib.URIRef("https://w3id.org/union-kg/ontology#Launch"))}
    result = CliRunner().invoke(main, ["query", "SELECT ?e WHERE { ?e a kgo:Launch }", "-s", str(sample_build),
                                       "--format", "csv"])
    rows = result.output.splitlines()
    assert rows[0] == "e" and len(rows) - 1 == len(launches)


def test_kg_query_errors(sample_build, tmp_path):
    bad = CliRunner().invoke(main, ["query", "SELECT ?x WHERE {", "--store", str(sample_build)])
    assert bad.exit_code == 4 and bad.output.startswith("Error: SPARQL syntax error")
    missing = CliRunner().invoke(main, ["query", "ASK {}", "--store", str(tmp_path)])
    assert missing.exit_code == 3 and "no kg build here" in missing.output
