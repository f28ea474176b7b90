"""`kg push`: the sample build sent to a real Oxigraph server (the PyPI `oxigraph`
package) through the Graph Store Protocol, then queried there with SPARQLWrapper:
the server's answers are the local ones."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.cli import main
from kg.push import PushError, push
from kg.query import PREAMBLE
from kg.query import run as local_query
from kg.store import open_store

QUERIES = {
    "launches": "SELECT ?event ?agent ?object WHERE { ?event a kgo:Launch ; kgo:agent ?agent ; kgo:object ?object }",
    "per-class": "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class",
    "labels": 'SELECT ?s ?label WHERE { ?s a kgo:Organization ; rdfs:label ?label FILTER(lang(?label) = "zh") }',
    "years": "SELECT ?e ?year WHERE { ?e kgo:year ?year }",
}


def oxigraph_binary() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    assert found, "the oxigraph server (PyPI package `oxigraph`, in the test extra) is not installed"
    return found


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=5).read()
            break
        except (urllib.error.URLError, ConnectionError):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "oxigraph server did not start"
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(15)
    proc.stderr.close()


def remote(base: str, query: str) -> set[tuple[str, ...]]:
    sw = SPARQLWrapper(base + "/query")
    sw.setQuery(PREAMBLE + query)
    sw.setReturnFormat(JSON)
    result = sw.queryAndConvert()
    names = result["head"]["vars"]
    return {tuple(b[n]["value"] for n in names) for b in result["results"]["bindings"]}


def local(folder: Path, query: str) -> set[tuple[str, ...]]:
    results = local_query(open_store(folder), query)
    names = [v.value for v in results.variables]
    return {tuple(row[n].value for n in names) for row in results}


def test_push_then_the_server_answers_as_the_local_store(oxigraph, sample_build):
    report = push(sample_build, oxigraph + "/store", batch=1000)
    total = len(open_store(sample_build))
    assert report.triples == total and report.requests == -(-total // 1000)
    assert remote(oxigraph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == {(str(total),)}
    for name, query in QUERIES.items():
        expected = local(sample_build, query)
        assert expected, name
        assert remote(oxigraph, query) == expected, name
    # pushing again replaces the graph: no duplicates, nothing left over
    push(sample_build, oxigraph + "/store", fmt="ttl")
    assert remote(oxigraph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == {(str(total),)}


def test_push_into_a_named_graph_and_append(oxigraph, sample_build):
    graph = "https://w3id.org/union-kg/graph/samples"
    result = CliRunner().invoke(main, ["push", str(sample_build), "--endpoint", oxigraph + "/store",
                                       "--graph", graph, "--format", "ttl", "--batch", "2000"])
    assert result.exit_code == 0, result.output
    total = len(open_store(sample_build))
    assert result.output.startswith(f"Pushed {total} triples to graph <{graph}>")
    query = f"SELECT ?event ?agent WHERE {{ GRAPH <{graph}> {{ ?event a kgo:Launch ; kgo:agent ?agent }} }}"
    assert remote(oxigraph, query) == local(sample_build, "SELECT ?event ?agent WHERE { ?event a kgo:Launch ; kgo:agent ?agent }")
    push(sample_build, oxigraph + "/store", graph, replace=False)  # the same triples again: a set, no change
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    assert remote(oxigraph, count) == {(str(total),)}


def test_errors_are_one_line(sample_build, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    result = CliRunner().invoke(main, ["push", str(sample_build), "-e", f"http://127.0.0.1:{closed}/store"])
    assert result.exit_code == 6 and result.output.startswith("Error: cannot reach") and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["push", str(tmp_path), "-e", f"http://127.0.0.1:{closed}/store"])
    assert result.exit_code == 3 and "no kg build here" in result.output
    with pytest.raises(PushError, match="not an http"):
        push(sample_build, "ftp://example.org/store")


def test_a_refusing_server_is_reported(oxigraph, sample_build):
    with pytest.raises(PushError, match="answered 404"):
        push(sample_build, oxigraph + "/no-such-endpoint")
