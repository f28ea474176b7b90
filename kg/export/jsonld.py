"""Compact JSON-LD with an ``@context`` of the project's prefixes, streamed from the store.

One node object per subject in ``@graph``; keys and IRIs are CURIEs (``kgo:agent``,
``kgr:org/…``), types go to ``@type``, literals keep their exact lexical form
(``{"@value": "0.65", "@type": "xsd:decimal"}``), so expanding the document
(e.g. with pyld) gives back exactly the triples of the Turtle export.
Oxigraph's own JSON-LD writer only writes the expanded form, hence this module.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from kg.atomic import atomic_file
from kg.export.rdfdump import store_of
from kg.rdf.vocab import PREFIXES

NAME = "jsonld"
EXTENSION = "jsonld"
SOURCE = "store"

#: the prefixes of the ``@context``, as the brief for JSON-LD names them, plus the other
#: namespaces kg uses
CONTEXT = {name: str(ns) for name, ns in PREFIXES.items()}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# longest namespace first, so a more specific prefix wins
_BY_LENGTH = sorted(CONTEXT.items(), key=lambda kv: -len(kv[1]))


def compact(iri: str) -> str:
    """``prefix:local`` when a prefix of the context covers ``iri``, else ``iri`` itself."""
    for name, ns in _BY_LENGTH:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local and not local.startswith("//"):
                return f"{name}:{local}"
    return iri


def _node_ref(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)


def _object(term):
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}
    return {"@id": _node_ref(term)}


def node_objects(store: ox.Store) -> Iterator[dict]:
    """One JSON-LD node object per run of triples with the same subject."""
    current, node = None, None
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if quad.subject != current:
            if node is not None:
                yield node
            current, node = quad.subject, {"@id": _node_ref(quad.subject)}
        if quad.predicate.value == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(quad.object.value))
        else:
            node.setdefault(compact(quad.predicate.value), []).append(_object(quad.object))
    if node is not None:
        yield node


def _tidy(node: dict) -> dict:
    """Single values without their one-element arrays, as compaction would write them."""
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in node.items()}


def write(store: ox.Store, path: str | Path) -> None:
    """Write the store's default graph as compact JSON-LD at ``path``, atomically."""
    store = store_of(store)
    with atomic_file(Path(path)) as tmp, tmp.open("w", encoding="utf-8") as out:
        out.write('{"@context": ' + json.dumps(CONTEXT, ensure_ascii=False, indent=1) + ',\n"@graph": [')
        for n, node in enumerate(node_objects(store)):
            out.write(",\n" if n else "\n")
            out.write(json.dumps(_tidy(node), ensure_ascii=False, separators=(",", ":")))
        out.write("\n]}\n")
