"""Send a build's graph to a SPARQL server through the SPARQL 1.1 Graph Store Protocol.

The triples are read from the build's store and sent in batches: the first
request is a PUT (it replaces the target graph), the others are POSTs (they
add to it); with ``replace=False`` every request is a POST.  The target is the
server's default graph, or the named graph ``graph``.

Graph Store endpoints: Oxigraph ``http://HOST:7878/store``, Fuseki
``http://HOST:3030/DATASET/data``, Virtuoso ``http://HOST:8890/sparql-graph-crud-auth``
(named graphs only); see docs/servers.md.
"""
from __future__ import annotations

import base64
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from kg.errors import KgError
from kg.store import open_store

FORMATS = {"nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES), "ttl": ("text/turtle", ox.RdfFormat.TURTLE)}


class PushError(KgError):
    """The server could not be reached or refused the graph."""

    exit_code = 6


@dataclass
class PushReport:
    triples: int = 0
    requests: int = 0


def target_url(endpoint: str, graph: str | None) -> str:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{endpoint}: not an http(s) URL of a Graph Store endpoint")
    sep = "&" if parts.query else "?"
    return f"{endpoint}{sep}graph={quote(graph, safe='')}" if graph else f"{endpoint}{sep}default"


def batches(store: ox.Store, size: int) -> Iterator[list[ox.Triple]]:
    """The default graph's triples, ``size`` at a time (a store may be larger than memory)."""
    batch: list[ox.Triple] = []
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        batch.append(quad.triple)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def encode(triples: list[ox.Triple], fmt: str) -> bytes:
    if fmt == "nt":  # the fastest to write, and every server reads it
        return "".join(f"{t} .\n" for t in triples).encode("utf-8")
    from kg.rdf.vocab import OX_PREFIXES

    return ox.serialize(triples, format=FORMATS[fmt][1], prefixes=OX_PREFIXES)


def push(folder: str | Path, endpoint: str, graph: str | None = None, *, batch: int = 50_000, fmt: str = "nt",
         replace: bool = True, user: str | None = None, timeout: float = 300,
         progress: Callable[[int], None] | None = None) -> PushReport:
    """Send the graph of the build in ``folder`` to ``endpoint``; what was sent."""
    url = target_url(endpoint, graph)
    store = open_store(folder)
    headers = {"Content-Type": f"{FORMATS[fmt][0]}; charset=utf-8" if fmt == "ttl" else FORMATS[fmt][0]}
    if user:
        headers["Authorization"] = "Basic " + base64.b64encode(user.encode("utf-8")).decode("ascii")
    report = PushReport()
    method = "PUT" if replace else "POST"
    for triples in batches(store, max(batch, 1)):
        _send(url, method, encode(triples, fmt), headers, timeout, report)
        report.triples += len(triples)
        method = "POST"
        if progress:
            progress(len(triples))
    if report.requests == 0 and replace:  # an empty graph still replaces what was there
        _send(url, "PUT", b"", headers, timeout, report)
    return report


def _send(url: str, method: str, body: bytes, headers: dict, timeout: float, report: PushReport) -> None:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    done = f" ({report.requests} earlier request(s) went through: the graph on the server is incomplete)" \
        if report.requests else ""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as err:
        detail = err.read(300).decode("utf-8", "replace").strip().splitlines()
        reason = f": {detail[0]}" if detail else ""
        raise PushError(f"{method} {url} answered {err.code} {err.reason}{reason}{done}") from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise PushError(f"cannot reach {url}: {reason}{done}") from err
    report.requests += 1
