"""The RDF vocabulary kg emits: namespaces and IRI minting.

The ``kgo:`` and ``kgr:`` namespaces are the public contract of DESIGN.md;
researchers' saved queries depend on them, so terms are only ever added.
IRIs are minted here and nowhere else, deterministically and in ASCII, so the
same input yields the same graph on every run and every machine.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.pinyin import syllables

KGO = Namespace("https://w3id.org/union-kg/ontology#")
KGR = Namespace("https://w3id.org/union-kg/resource/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

#: prefixes bound on every graph kg writes (and only these)
PREFIXES: dict[str, Namespace] = {
    "kgo": KGO,
    "kgr": KGR,
    "org": ORG,
    "prov": PROV,
    "schema": SCHEMA,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "rdfs": RDFS,
    "rdf": RDF,
    "owl": OWL,
    "xsd": XSD,
}
#: the same, as Oxigraph's serializers take them
OX_PREFIXES: dict[str, str] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

#: the path segment under ``kgr:`` for each kind of resource
COLLECTIONS = {
    "Article": "article",
    "Organization": "org",
    "TradeUnion": "org",
    "Region": "region",
    "Program": "program",
    "Policy": "policy",
    "Facility": "facility",
    "Person": "person",
    "BeneficiaryGroup": "group",
    "Role": "role",
    "Launch": "event",
    "PolicyIssuance": "event",
    "FacilityEstablishment": "event",
    "Membership": "membership",
}

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def digest(text: str, size: int = 8) -> str:
    """A short, stable hex digest (not ``hash()``, which is salted per process)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:size]


@lru_cache(maxsize=65536)  # the same names recur in every article
def slug(text: str, limit: int = 40) -> str:
    """An ASCII slug from Chinese text via pinyin: 景德镇市总工会 → jingdezhenshizonggonghui."""
    ascii_ = "".join(syllables(text)).lower()
    return _NON_SLUG.sub("", ascii_)[:limit] or "x"


def mint(kind: str, key: str) -> URIRef:
    """The IRI of a resource of ``kind`` whose identity is ``key``.

    Keys that are already ASCII identifiers (admin codes, article ids) are used
    as they are; anything else becomes a readable pinyin slug plus a digest of
    the full key, so homophones never collide.
    """
    collection = COLLECTIONS[kind]
    if re.fullmatch(r"[A-Za-z0-9._-]+", key):
        return KGR[f"{collection}/{key}"]
    return KGR[f"{collection}/{slug(key)}-{digest(key)}"]
