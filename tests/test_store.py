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
import kg.spool
from kg.spool import CHUNK_BYTES, Spool, merge, write_turtle
from kg.store import STORE, open_store

NT = """<https://w3id.org/union-kg/resource/org/a> <http://www.w3.org/2000/01/rdf-schema#label> "景德镇市总工会"@zh .
<https://w3id.org/union-kg/resource/org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/union-kg/ontology#Organization> .
<https://w3id.org/union-kg/resource/event/e> <https://w3id.org/union-kg/ontology#amount> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<https://w3id.org/union-kg/resource/event/e> <https://w3id.org/union-kg/ontology#evidence> "第一行\\n第二行 \\"引号\\""@zh .
<https://w3id.org/union-kg/resource/org/a> <http://www.w3.org/2000/01/rdf-schema#label> "景德镇市总工会"@zh .
"""


def spooled(folder, blocks, chunk=CHUNK_BYTES):
    """A store and graph.nt in ``folder`` from blocks of whole N-Triples lines, a document each:
    (lines of graph.nt, triples in the store)."""
    folder.mkdir(exist_ok=True)
    with Spool(folder, chunk=chunk) as spool:
        for n, block in enumerate(blocks):
            spool.add(f"document {n}", block)
        spool.close()
        lines = spool.write_ntriples(folder / "graph.nt")
        return lines, spool.finish_store()


def test_spool_stores_and_sorts_every_distinct_line(tmp_path):
    assert spooled(tmp_path, [NT.encode()]) == (4, 4)  # the repeated triple is stored and written once
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt", STORE]  # (no runs left)
    written = (tmp_path / "graph.nt").read_bytes()
    assert written.splitlines() == sorted(set(NT.encode().splitlines()))
    write_turtle(tmp_path / "graph.nt", tmp_path / "g.ttl")
    text = (tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "@prefix kgo: <https://w3id.org/union-kg/ontology#> ." in text
    original = rdflib.Graph().parse(data=NT, format="nt")
    assert rdflib.compare.isomorphic(original, rdflib.Graph().parse(data=text, format="turtle"))
    assert set(open_store(tmp_path)) == set(ox.parse(written, format=ox.RdfFormat.N_TRIPLES))


def test_spool_in_small_chunks_gives_the_same_outputs(tmp_path, monkeypatch):
    """A line or two a chunk: many runs, merged in groups of two, and many loads."""
    monkeypatch.setattr(kg.spool, "FAN_IN", 2)
    lines = NT.encode().splitlines(keepends=True)
    spooled(tmp_path / "one", [NT.encode()])
    assert spooled(tmp_path / "many", [*lines, *reversed(lines)], chunk=40) == (4, 4)
    one, many = (tmp_path / "one", tmp_path / "many")
    assert (one / "graph.nt").read_bytes() == (many / "graph.nt").read_bytes()
    assert set(open_store(one)) == set(open_store(many))


def test_merge_writes_each_line_of_sorted_runs_once_in_order(tmp_path, monkeypatch):
    """Small blocks and groups of three: many rounds and two levels of merging."""
    import random

    monkeypatch.setattr(kg.spool, "FAN_IN", 3)
    monkeypatch.setattr(kg.spool, "BLOCK_BYTES", 64)
    rng = random.Random(7)
    pool = [f"<s{rng.randrange(10**6)}> <p> {n} .\n".encode() for n in range(400)]
    runs = []
    for n in range(10):
        run = tmp_path / f"{n}.nt"
        run.write_bytes(b"".join(sorted(set(rng.sample(pool, rng.randrange(1, 120))))))
        runs.append(run)
    expected = sorted({line for run in runs for line in run.read_bytes().splitlines(keepends=True)})
    assert [line for block in merge(runs, tmp_path) for line in block] == expected


def test_a_spool_left_unfinished_leaves_nothing_behind(tmp_path):
    with Spool(tmp_path) as spool:  # (a build whose outputs turn out to be up to date)
        spool.add("k", NT.encode())
    with pytest.raises(ValueError), Spool(tmp_path) as spool:  # (a build that fails)
        spool.add("k", NT.encode())
        spool.close()
        raise ValueError
    assert list(tmp_path.iterdir()) == []
    with Spool(tmp_path) as spool:
        spool.add("k", NT.encode())
        spool.add("k", b"not N-Triples: a document is added once")
        spool.close()
        assert spool.finish_store() == 4
    assert [p.name for p in tmp_path.iterdir()] == [STORE] and len(open_store(tmp_path)) == 4


def test_a_spool_fails_on_bad_ntriples(tmp_path):
    with pytest.raises(SyntaxError), Spool(tmp_path) as spool:
        spool.add("k", b"<not an iri> <http://example.org/p> 1 .\n")
        spool.close()
        spool.finish_store()
    assert list(tmp_path.iterdir()) == []


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
