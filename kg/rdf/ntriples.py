"""N-Triples terms and lines, written as plain strings: the bulk format every store loads fastest.

The build emits hundreds of thousands of triples and only ever writes them
out, so :mod:`kg.rdf.emit` makes each term directly in its N-Triples form
instead of as an rdflib object: making an rdflib ``Literal`` (or even
looking up ``KGO.launches`` on an rdflib ``Namespace``) costs more than
writing the term.  rdflib's ``n3()`` is no help either: it writes long
strings with triple quotes, which N-Triples forbids, so terms are written
here by the N-Triples grammar.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

#: a triple of N-Triples terms: ``("<iri>", "<iri>", '"text"@zh')``
Triple = tuple[str, str, str]

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
#: what a literal's text cannot hold as it is: quotes, backslashes, control characters, lone
#: surrogates (not encodable in UTF-8: written as U+FFFD) and the noncharacters U+FFFE/U+FFFF
_SPECIAL = re.compile("[\x00-\x1f\x7f\"\\\\\ud800-\udfff\ufffe\uffff]")
_XSD_STRING = str(XSD.string)
_XSD_INTEGER = f"<{XSD.integer}>"
_XSD_DECIMAL = URIRef(XSD.decimal)


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    return "\\uFFFD" if 0xD800 <= ord(ch) <= 0xDFFF else f"\\u{ord(ch):04X}"


def escape(text: str) -> str:
    """``text`` as the body of an N-Triples string literal (most texts need no escape)."""
    return _SPECIAL.sub(_escape_char, text) if _SPECIAL.search(text) else text


def iri(value: str) -> str:
    return f"<{value}>"


def plain(text: str) -> str:
    """A string literal without language or datatype."""
    return f'"{escape(text)}"'


def lang(text: str, tag: str) -> str:
    """A string literal with a language tag (``zh``, ``en``)."""
    return f'"{escape(text)}"@{tag}'


def integer(value: int) -> str:
    """An ``xsd:integer`` literal (rdflib writes a Python int's ``str``)."""
    return f'"{value}"^^{_XSD_INTEGER}'


@lru_cache(maxsize=4096)  # dates and other typed values recur (the same publication date, year, month)
def typed(lexical: str, datatype: str) -> str:
    """A typed literal as rdflib writes it: rdflib rewrites a well-formed value in its canonical
    form, so its own conversion is used (once per distinct value)."""
    return term(Literal(lexical, datatype=URIRef(datatype)))


def decimal(value: Decimal) -> str:
    """An ``xsd:decimal`` literal, through rdflib's conversion (3.57E+8 → 357000000)."""
    return _decimal(str(value))


@lru_cache(maxsize=4096)  # (every fact has a confidence, and there are few of them)
def _decimal(text: str) -> str:
    """``decimal`` of ``Decimal(text)``, remembered by the decimal's text: equal decimals (1 and
    1.0) are written differently, but ``str`` tells them apart and gives the same decimal back."""
    return term(Literal(Decimal(text), datatype=_XSD_DECIMAL))


def term(t: URIRef | BNode | Literal) -> str:
    """An rdflib term in N-Triples."""
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        return f"_:{t}"
    body = f'"{escape(str(t))}"'
    if t.language:
        return f"{body}@{t.language}"
    if t.datatype is not None and str(t.datatype) != _XSD_STRING:
        return f"{body}^^<{t.datatype}>"
    return body


class IRIs:
    """The IRIs of a namespace as N-Triples terms, each made once: ``IRIs(KGO).launches``
    (or ``IRIs(KGO)["count"]``) is ``"<https://w3id.org/union-kg/ontology#launches>"``."""

    def __init__(self, namespace: str) -> None:
        self._base = str(namespace)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):  # (not a term: copy and pickle probe for special methods)
            raise AttributeError(name)
        value = f"<{self._base}{name}>"
        setattr(self, name, value)  # later lookups find a plain attribute
        return value

    def __getitem__(self, name: str) -> str:
        return self.__dict__.get(name) or self.__getattr__(name)


def lines(triples: Iterable[Triple]) -> Iterator[str]:
    for s, p, o in triples:
        yield f"{s} {p} {o} .\n"
