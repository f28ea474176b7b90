"""Write triples as N-Triples lines: the bulk format every store loads fastest.

rdflib's ``n3()`` writes long strings with triple quotes, which N-Triples
forbids, so terms are written here by the N-Triples grammar.
"""
from __future__ import annotations

from typing import Iterable

from rdflib import BNode, Literal, URIRef

from kg.rdf.emit import Triple

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF or ch in "\ufffe\uffff":
            out.append(f"\\u{ord(ch):04X}" if not 0xD800 <= ord(ch) <= 0xDFFF else "\\uFFFD")
        else:
            out.append(ch)
    return "".join(out)


def term(t: URIRef | BNode | Literal) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        return f"_:{t}"
    body = f'"{_escape(str(t))}"'
    if t.language:
        return f"{body}@{t.language}"
    if t.datatype is not None and str(t.datatype) != "http://www.w3.org/2001/XMLSchema#string":
        return f"{body}^^<{t.datatype}>"
    return body


def lines(triples: Iterable[Triple]) -> Iterable[str]:
    for s, p, o in triples:
        yield f"{term(s)} {term(p)} {term(o)} .\n"
