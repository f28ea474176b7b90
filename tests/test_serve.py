"""`kg serve`: the SPARQL 1.1 Protocol endpoint, over loopback, with SPARQLWrapper as the client.

Each protection has its own test: read-only, SERVICE, timeout, result size,
body size, loopback binding, no tracebacks; then CORS, the query page and
content negotiation (answers compared with the local store).
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.query import run as local_query
from kg.store import open_store

LAUNCHES = """SELECT ?event ?agent ?object WHERE {
  ?event a kgo:Launch ; kgo:agent ?agent ; kgo:object ?object } ORDER BY ?event"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^11 rows: never ends


class Server:
    """A `kg serve` process on a free loopback port."""

    def __init__(self, folder: Path, *args: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from kg.cli import main; main()", "serve", str(folder), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "Serving" not in line:
            self.stop()
            raise RuntimeError(f"kg serve did not start: {line}{self.proc.stderr.read()}")
        self.base = line.split(" at ")[1].split("/sparql")[0]
        self.url = self.base + "/sparql"
        deadline = time.monotonic() + 30
        while True:  # the workers are up once a query is answered
            try:
                self.get({"query": "ASK {}"})
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
        """(status, headers, body text) of one request; an HTTP error is an answer too."""
        req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode("utf-8")

    def get(self, params: dict, headers: dict | None = None):
        return self.request(self.url + "?" + urllib.parse.urlencode(params), headers=headers)

    def post(self, body: bytes, content_type: str, headers: dict | None = None):
        return self.request(self.url, body, {"Content-Type": content_type, **(headers or {})})

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()


@pytest.fixture(scope="module")
def server(sample_build):
    srv = Server(sample_build, "--timeout", "2", "--max-result-bytes", "200000", "--max-body-bytes", "20000")
    yield srv
    srv.stop()


def client(srv: Server, query: str, fmt=JSON, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(srv.url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method == "POST":
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)  # application/sparql-query
    elif method == "FORM":
        sw.setMethod(POST)  # form-encoded
    return sw


def local_rows(folder: Path, query: str) -> list[tuple[str, ...]]:
    results = local_query(open_store(folder), query)
    names = [v.value for v in results.variables]
    return [tuple(row[n].value for n in names) for row in results]


def count(folder: Path) -> int:
    return len(open_store(folder))


# -- protections ------------------------------------------------------------------


def test_updates_are_refused(server, sample_build):
    before = count(sample_build)
    sw = client(server, "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }")
    sw.setMethod(POST)  # SPARQLWrapper sends it as update=…
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403
    for body, ctype in [(b"CLEAR DEFAULT", "application/sparql-update"),
                        (b"update=DROP+ALL", "application/x-www-form-urlencoded")]:
        assert server.post(body, ctype)[0] == 403
    for update in ["LOAD <http://example.org/data.ttl>", "CLEAR ALL", "DROP DEFAULT",
                   "PREFIX ex: <http://example.org/> DELETE WHERE { ?s ?p ?o }"]:
        status, _, text = server.get({"query": update})
        assert status == 403 and "read-only" in text
    assert client(server, COUNT).queryAndConvert()["results"]["bindings"][0]["n"]["value"] == str(before)


def test_service_is_refused_by_default(server):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    with pytest.raises(urllib.error.HTTPError) as err:
        client(server, query).query()
    assert err.value.code == 403
    # hidden behind a triple's final dot, in lower case, after a comment with a quote in it
    status, _, text = server.get({"query": "# don't\nselect * { ?s ?p ?o.service <http://127.0.0.1:1/> { ?a ?b ?c } }"})
    assert status == 403 and "SERVICE" in text
    # the word in strings, IRIs, variables and prefixed names is no SERVICE clause
    ok = ('PREFIX service: <http://example.org/service#> SELECT ?service WHERE { '
          '?service <http://example.org/SERVICE> "SERVICE" } LIMIT 1')
    assert server.get({"query": ok})[0] == 200


def test_service_works_with_allow_service(server, sample_build, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    ox.Store(str(empty / "store")).flush()  # a build folder with an empty store: answers come from SERVICE
    federating = Server(empty, "--allow-service", "--timeout", "20")
    try:
        assert federating.get({"query": "ASK { ?s ?p ?o }"})[2] == '{"head":{},"boolean":false}'

        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{server.url}> {{ ?e a kgo:Launch }} }}"
        result = client(federating, query).queryAndConvert()
    finally:
        federating.stop()
    launches = local_rows(sample_build, "SELECT (COUNT(*) AS ?n) WHERE { ?e a kgo:Launch }")[0][0]
    assert result["results"]["bindings"][0]["n"]["value"] == launches


def test_a_query_over_the_time_limit_is_stopped(server):
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as err:
        client(server, SLOW, method="POST").query()
    assert err.value.code == 503 and "out of time" in err.value.read().decode()
    assert time.monotonic() - started < 15
    # the worker was replaced: the endpoint still answers
    assert client(server, "ASK { ?s a kgo:Launch }").queryAndConvert()["boolean"] is True


def test_a_result_over_the_size_limit_is_not_sent(server):
    with pytest.raises(urllib.error.HTTPError) as err:
        client(server, "SELECT * WHERE { ?s ?p ?o }").query()
    assert err.value.code == 422 and "limit" in err.value.read().decode()
    small = client(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10").queryAndConvert()
    assert len(small["results"]["bindings"]) == 10


def test_a_body_over_the_size_limit_is_not_read(server):
    padding = "#" + "x" * 30_000 + "\n"
    with pytest.raises(urllib.error.HTTPError) as err:
        client(server, padding + COUNT, method="POST").query()
    assert err.value.code == 413
    assert server.post((f"query={padding}{COUNT}").encode(), "application/x-www-form-urlencoded")[0] == 413


def test_binds_loopback_by_default(server):
    addresses = {c.laddr.ip for c in psutil.Process(server.proc.pid).net_connections("tcp")
                 if c.status == psutil.CONN_LISTEN}
    assert addresses == {"127.0.0.1"}


def test_errors_are_one_line_never_a_traceback(server):
    answers = [
        server.get({"query": "SELEC nothing"}),
        server.get({}),
        server.post(b"\xff\xfe not utf-8", "application/sparql-query"),
        server.post(COUNT.encode(), "text/plain"),
        server.get({"query": COUNT, "default-graph-uri": "not an iri"}),
        server.get({"query": COUNT}, headers={"Accept": "image/png"}),
    ]
    assert [a[0] for a in answers] == [400, 400, 400, 415, 400, 406]
    # a worker that dies mid-query: an internal error, stated in one line, and the endpoint recovers
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(server.get, {"query": SLOW})
        time.sleep(0.7)
        for worker in psutil.Process(server.proc.pid).children():
            worker.kill()
        answers.append(slow.result())
    assert answers[-1][0] == 500
    for _, _, text in answers:
        assert "Traceback" not in text and 'File "' not in text and text.count("\n") <= 1
    with pytest.raises(QueryBadFormed):
        client(server, "SELECT ?x WHERE { ?x").query()
    assert server.get({"query": COUNT})[0] == 200


# -- protocol -----------------------------------------------------------------------


def test_cors_lets_browser_clients_in(server):
    status, headers, _ = server.request(server.url, method="OPTIONS", headers={
        "Origin": "https://yasgui.triply.cc", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    status, headers, _ = server.get({"query": COUNT}, headers={"Origin": "https://yasgui.triply.cc"})
    assert status == 200 and headers["access-control-allow-origin"] == "*"


def test_query_page(server):
    status, headers, text = server.request(server.base + "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "<textarea" in text and "application/sparql-query" in text


def test_select_in_every_results_format(server, sample_build):
    expected = local_rows(sample_build, LAUNCHES)
    assert expected
    as_json = client(server, LAUNCHES).queryAndConvert()
    assert [tuple(b[v]["value"] for v in ("event", "agent", "object")) for b in as_json["results"]["bindings"]] \
        == expected
    xml = client(server, LAUNCHES, XML, method="FORM").queryAndConvert()  # a minidom document
    assert len(xml.getElementsByTagName("result")) == len(expected)
    rows = list(csv.reader(io.StringIO(client(server, LAUNCHES, CSV, method="POST").queryAndConvert().decode())))
    assert rows[0] == ["event", "agent", "object"] and [tuple(r) for r in rows[1:]] == expected
    tsv = client(server, LAUNCHES, TSV).queryAndConvert().decode().splitlines()
    assert tsv[0] == "?event\t?agent\t?object"
    assert [tuple(c.strip("<>") for c in line.split("\t")) for line in tsv[1:]] == expected


def test_construct_in_every_graph_format(server, sample_build):
    query = "CONSTRUCT { ?e kgo:agent ?a } WHERE { ?e a kgo:Launch ; kgo:agent ?a }"
    expected = {(r[0], r[1]) for r in local_rows(sample_build, "SELECT ?e ?a WHERE { ?e a kgo:Launch ; kgo:agent ?a }")}
    graphs = []
    for fmt in (TURTLE, N3, JSONLD):
        result = client(server, query, fmt).queryAndConvert()
        graphs.append(result if isinstance(result, rdflib.Graph)
                      else rdflib.Graph().parse(data=result.decode(), format="turtle"))
    status, headers, text = server.get({"query": query}, headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    graphs.append(rdflib.Graph().parse(data=text, format="nt"))
    for graph in graphs:
        assert {(str(s), str(o)) for s, _, o in graph} == expected


def test_ask_and_default_formats(server):
    status, headers, text = server.get({"query": "ASK { ?s a kgo:Launch }"})
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")
    assert json.loads(text) == {"head": {}, "boolean": True}
    status, headers, _ = server.get({"query": "DESCRIBE ?e WHERE { ?e a kgo:Launch } LIMIT 1"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")


def test_in_memory_workers_answer_as_the_store(sample_build):
    srv = Server(sample_build, "--memory", "--workers", "1")
    try:
        answer = client(srv, LAUNCHES).queryAndConvert()
    finally:
        srv.stop()
    rows = [tuple(b[v]["value"] for v in ("event", "agent", "object")) for b in answer["results"]["bindings"]]
    assert rows == local_rows(sample_build, LAUNCHES)
