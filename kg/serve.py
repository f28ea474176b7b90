"""A read-only SPARQL 1.1 Protocol endpoint over a build's store.

``/sparql`` answers GET (``?query=``) and POST (``application/sparql-query``
or form-encoded ``query=``) with content negotiation: SPARQL JSON, XML, CSV
and TSV for SELECT and ASK; Turtle, N-Triples, JSON-LD and RDF/XML for
CONSTRUCT and DESCRIBE.  ``/`` is a small HTML query page.  CORS is open, so
YASGUI and other browser clients can use the endpoint.

Protections, each with its own answer:

- read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, …), whether sent
  as ``update=``, as ``application/sparql-update`` or as a query, gets 403; the
  store is opened read-only anyway;
- ``SERVICE`` (federated queries: the server would fetch URLs a client chose)
  gets 403 unless the server runs with ``--allow-service``;
- a query runs in a worker process that is killed when the timeout passes: 503;
- a result larger than the result-size limit is not sent: 422;
- a request body larger than the body limit is not read: 413;
- the default address is loopback; errors are one line of text, never a
  traceback.

The app is ASGI (Starlette) and runs under uvicorn.
"""
from __future__ import annotations

import asyncio
import html
import logging
import multiprocessing
import queue
import re
import socket
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import pyoxigraph as ox

from kg.errors import KgError, StoreError
from kg.store import STORE

log = logging.getLogger("kg.serve")

# -- what the server accepts -------------------------------------------------


@dataclass(frozen=True)
class Settings:
    timeout: float = 30.0  # seconds a query may run
    max_result_bytes: int = 50_000_000  # serialized result size
    max_body_bytes: int = 1_000_000  # request body (and GET query string) size
    workers: int = 2  # query worker processes
    allow_service: bool = False  # allow SERVICE (federated queries)
    memory: bool = False  # each worker copies the store into memory: queries run several times faster


class Refused(Exception):
    """A request the endpoint answers with a 4xx/5xx status and a one-line reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# -- reading a query without running it --------------------------------------

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7-\U000effff]+)
  | (?P<name>[A-Za-z_\u00c0-\U000effff][A-Za-z0-9_\-\u00b7-\U000effff]*)
""", re.VERBOSE | re.DOTALL)
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def keywords(sparql: str) -> list[str]:
    """The keywords of a SPARQL text, upper-cased, in order.

    A one-pass scan: comments, strings, IRIs and variables are skipped whole,
    and a word touching a colon is part of a prefixed name (``ex:service``,
    ``service:x``).  Words never contain dots, so ``?o.SERVICE`` still shows
    ``SERVICE``: when in doubt the scan finds a keyword, and a query is refused
    rather than let through.
    """
    out = []
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup != "name":
            continue
        start, end = m.span()
        if start and sparql[start - 1] == ":" or end < len(sparql) and sparql[end] == ":":
            continue
        out.append(m.group().upper())
    return out


def check_query(sparql: str, allow_service: bool) -> str:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE), or ``Refused``."""
    words = keywords(sparql)
    form = next((w for w in words if w in QUERY_FORMS or w in UPDATE_FORMS), None)
    if form in UPDATE_FORMS:
        raise Refused(403, f"this endpoint is read-only: SPARQL Update ({form}) is refused")
    if form is None:
        raise Refused(400, "not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    if not allow_service and "SERVICE" in words:
        raise Refused(403, "SERVICE (federated query) is disabled on this endpoint (start it with --allow-service)")
    return form


# -- content negotiation ------------------------------------------------------

RESULT_TYPES = {  # SELECT and ASK; the first is the default
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {  # CONSTRUCT and DESCRIBE; the first is the default
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def negotiate(accept: str, offers: dict) -> str | None:
    """The media type of ``offers`` the Accept header prefers (None: none acceptable)."""
    ranges = []
    for n, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranges.append((-q, n, fields[0].lower()))
    for _, _, wanted in sorted(ranges):
        if wanted in offers:
            return wanted
        major, _, minor = wanted.partition("/")
        if minor == "*":
            for offer in offers:
                if major == "*" or offer.startswith(major + "/"):
                    return offer
    return None


# -- query workers --------------------------------------------------------------


class _Capped:
    """A write-only buffer that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit, self.size, self.parts = limit, 0, []

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise OverflowError
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def prefixes() -> dict[str, str]:
    from kg.rdf.vocab import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


def answer(store: ox.Store, job: dict, max_bytes: int, known: dict[str, str]) -> tuple[int, str, bytes]:
    """Run one query (the prefixes ``known`` are declared): (status, media type, body)."""
    try:
        results = store.query(job["query"], prefixes=known,
                              default_graph=job.get("default_graph"), named_graphs=job.get("named_graphs"))
        offers = GRAPH_TYPES if isinstance(results, ox.QueryTriples) else RESULT_TYPES
        media = negotiate(job.get("accept", ""), offers)
        if media is None:
            return 406, "text/plain", f"not acceptable; this result can be sent as: {', '.join(offers)}\n".encode()
        out = _Capped(max_bytes)
        if isinstance(results, ox.QueryTriples):
            ox.serialize(results, out, format=offers[media])
        else:
            results.serialize(out, format=offers[media])
    except SyntaxError as err:
        return 400, "text/plain", f"SPARQL syntax error: {str(err).splitlines()[0]}\n".encode()
    except OverflowError:
        return 422, "text/plain", (f"the result is larger than this endpoint's limit ({max_bytes} bytes); "
                                   "add a LIMIT or ask for less\n").encode()
    except (OSError, ValueError, TypeError) as err:
        first = (str(err).splitlines() or [type(err).__name__])[0]
        return 500, "text/plain", f"query evaluation failed: {first}\n".encode()
    charset = "; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else ""
    return 200, media + charset, b"".join(out.parts)


def _worker(path: str, conn, max_bytes: int, memory: bool) -> None:  # pragma: no cover - a child process
    try:
        store = ox.Store.read_only(path)
        if memory:
            copy = ox.Store()
            copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
            store = copy
    except (OSError, RuntimeError) as err:
        conn.send((500, "text/plain", f"cannot open the store: {err}\n".encode()))
        return
    known = prefixes()
    try:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):  # the server is gone
                return
            try:
                reply = answer(store, job, max_bytes, known)
            except Exception as err:  # noqa: BLE001 - a reply, never a traceback, for the client
                reply = (500, "text/plain", f"query failed: {type(err).__name__}\n".encode())
            conn.send(reply)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the server shuts down
        return


class QueryPool:
    """Worker processes that each hold the store open; a query over its time is killed."""

    def __init__(self, store_path: Path, settings: Settings):
        self.path = str(store_path)
        self.settings = settings
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._all: set = set()
        self._lock = threading.Lock()
        for _ in range(max(settings.workers, 1)):
            self._idle.put(self._start())

    def _start(self):
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker, daemon=True, name="kg-sparql-worker",
                                 args=(self.path, child, self.settings.max_result_bytes, self.settings.memory))
        proc.start()
        child.close()
        with self._lock:
            self._all.add((proc, parent))
        return proc, parent

    def _stop(self, worker) -> None:
        proc, conn = worker
        with self._lock:
            self._all.discard(worker)
        proc.kill()
        proc.join(5)
        conn.close()

    def execute(self, job: dict) -> tuple[int, str, bytes]:
        timeout = self.settings.timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return 503, "text/plain", b"all query workers are busy; try again later\n"
        if not worker[0].is_alive():  # died between queries: replace it quietly
            self._stop(worker)
            worker = self._start()
        conn = worker[1]
        try:
            conn.send(job)
            if conn.poll(timeout):
                return conn.recv()
            self._stop(worker)
            worker = self._start()
            return 503, "text/plain", f"the query ran out of time ({timeout:g} s) and was stopped\n".encode()
        except (EOFError, OSError):
            self._stop(worker)
            worker = self._start()
            return 500, "text/plain", b"the query worker stopped unexpectedly; try again\n"
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._stop(worker)


# -- the HTTP app -----------------------------------------------------------------


async def _body(request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"request body too large (limit {limit} bytes)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"request body too large (limit {limit} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise Refused(400, "the request is not valid UTF-8") from err


async def read_request(request, settings: Settings) -> dict:
    """The query and dataset of a SPARQL Protocol request, or ``Refused``."""
    if len(request.url.query) > settings.max_body_bytes:
        raise Refused(413, f"query string too large (limit {settings.max_body_bytes} bytes)")
    params = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request, settings.max_body_bytes)
        if ctype == "application/sparql-update":
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        if ctype == "application/sparql-query":
            params.append(("query", _text(body)))
        elif ctype == "application/x-www-form-urlencoded":
            params += parse_qsl(_text(body), keep_blank_values=True)
        else:
            raise Refused(415, "send the query as application/sparql-query or application/x-www-form-urlencoded")
    if any(k == "update" for k, _ in params):
        raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
    queries = [v for k, v in params if k == "query"]
    if len(queries) != 1:
        raise Refused(400, "give exactly one query parameter (?query=…)")
    job = {"query": queries[0], "accept": request.headers.get("accept", "*/*")}
    try:
        defaults = [ox.NamedNode(v) for k, v in params if k == "default-graph-uri"]
        named = [ox.NamedNode(v) for k, v in params if k == "named-graph-uri"]
    except ValueError as err:
        raise Refused(400, f"bad graph IRI: {err}") from err
    if defaults:
        job["default_graph"] = defaults
    if named:
        job["named_graphs"] = named
    check_query(job["query"], settings.allow_service)
    return job


def create_app(folder: str | Path, settings: Settings | None = None):
    """The ASGI app serving the store of the build folder ``folder``."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    settings = settings or Settings()
    path = Path(folder) / STORE
    if not path.is_dir():
        raise StoreError(f"{folder}: no kg build here (no {STORE}/ folder); run `kg build PATHS -o {folder}` first")
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app):
        state["pool"] = QueryPool(path, settings)
        try:
            yield
        finally:
            state["pool"].close()

    async def sparql(request):
        try:
            job = await read_request(request, settings)
            status, media, body = await asyncio.get_running_loop().run_in_executor(None, state["pool"].execute, job)
            return Response(body, status_code=status, media_type=media, headers={"Vary": "Accept"})
        except Refused as err:
            return PlainTextResponse(err.message + "\n", status_code=err.status)
        except Exception:  # noqa: BLE001 - logged here, never sent to the client
            log.exception("internal error on %s", request.url.path)
            return PlainTextResponse("internal server error\n", status_code=500)

    async def page(request):
        return HTMLResponse(PAGE.replace("{endpoint}", html.escape(str(request.url_for("sparql")))))

    async def fallback(request, exc):
        return PlainTextResponse("internal server error\n", status_code=500)

    return Starlette(
        routes=[Route("/", page, methods=["GET"]), Route("/sparql", sparql, methods=["GET", "POST"], name="sparql")],
        middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                               allow_headers=["*"], max_age=3600)],
        exception_handlers={Exception: fallback},
        lifespan=lifespan,
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise KgError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def run(folder: str | Path, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None,
        announce=print) -> None:
    """Serve ``folder`` until interrupted."""
    import uvicorn

    app = create_app(folder, settings)
    sock = bind(host, port)
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    announce(f"Serving {folder} at http://{shown}:{actual}/sparql (query page: http://{shown}:{actual}/)")
    if not is_loopback(host):
        announce(f"Warning: {host} is not a loopback address: anyone who can reach it can query this store.")
    config = uvicorn.Config(app, log_level="warning", server_header=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}
textarea{width:100%;height:14em;font-family:monospace;font-size:14px}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
#status{color:#555;margin-left:1em}
</style></head><body>
<h1>kg SPARQL endpoint</h1>
<p>Endpoint: <code>{endpoint}</code> (SPARQL 1.1 Protocol, read-only). The kg prefixes
(<code>kgo:</code>, <code>kgr:</code>, <code>org:</code>, <code>prov:</code>, <code>schema:</code> …) are predeclared.
Any SPARQL client works, e.g. <a id="yasgui" href="https://yasgui.triply.cc/">YASGUI</a> with this endpoint.</p>
<form id="f"><textarea id="q" spellcheck="false">SELECT ?org ?program ?place WHERE {
  ?event a kgo:Launch ; kgo:agent ?a ; kgo:object ?p .
  ?a rdfs:label ?org . ?p rdfs:label ?program .
  FILTER(lang(?org) = "zh" &amp;&amp; lang(?program) = "zh")
  OPTIONAL { ?event kgo:place/rdfs:label ?place FILTER(lang(?place) = "zh") }
} LIMIT 50</textarea>
<p><button type="submit">Run</button><span id="status"></span></p></form>
<div id="out"></div>
<script>
const endpoint = new URL("sparql", document.baseURI).href;
document.getElementById("yasgui").href = "https://yasgui.triply.cc/#endpoint=" + encodeURIComponent(endpoint);
function cell(t){const td=document.createElement("td");td.textContent=t;return td;}
document.getElementById("f").onsubmit = async (ev) => {
  ev.preventDefault();
  const status = document.getElementById("status"), out = document.getElementById("out");
  status.textContent = "running…"; out.textContent = "";
  const t0 = performance.now();
  const r = await fetch(endpoint, {method: "POST", body: document.getElementById("q").value,
    headers: {"Content-Type": "application/sparql-query",
              "Accept": "application/sparql-results+json, text/turtle;q=0.9"}});
  const ms = Math.round(performance.now() - t0);
  const type = r.headers.get("content-type") || "";
  if (!r.ok || !type.includes("json")) {
    const pre = document.createElement("pre"); pre.textContent = await r.text(); out.appendChild(pre);
    status.textContent = r.ok ? ms + " ms" : "error " + r.status; return;
  }
  const data = await r.json();
  if ("boolean" in data) { out.textContent = String(data.boolean); status.textContent = ms + " ms"; return; }
  const vars = data.head.vars, table = document.createElement("table"), head = table.insertRow();
  vars.forEach(v => {const th=document.createElement("th"); th.textContent="?"+v; head.appendChild(th);});
  data.results.bindings.forEach(b => {const row = table.insertRow();
    vars.forEach(v => row.appendChild(cell(b[v] ? b[v].value : "")));});
  out.appendChild(table);
  status.textContent = data.results.bindings.length + " rows, " + ms + " ms";
};
</script></body></html>
"""
