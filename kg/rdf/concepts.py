"""Beneficiary groups as concepts of the SKOS scheme in ``ontology/schemes.ttl``.

A group the text names (广大职工, 快递小哥, 农民工) becomes the scheme's concept
when one of its labels (preferred or alternative) is that name, and the build
then carries the concept's ``skos:broader`` chain, so that a query can roll
programs up from 快递员 to 新就业形态劳动者 to 职工 on the build alone.  Groups
the scheme does not know stay concepts of their own, minted from their name.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.rdf.vocab import KGO

__all__ = ["Concept", "concept_triples", "group_concept"]

_PACKAGE = Path(__file__).resolve().parent.parent
_CANDIDATES = (_PACKAGE.parent / "ontology" / "schemes.ttl", _PACKAGE / "data" / "ontology" / "schemes.ttl")
GROUPS_SCHEME = URIRef("https://w3id.org/union-kg/resource/scheme/beneficiary-groups")


@dataclass(frozen=True)
class Concept:
    iri: URIRef
    labels: tuple[Literal, ...]  # rdfs:label / skos:prefLabel, zh and en
    broader: tuple[URIRef, ...]


@functools.lru_cache(maxsize=1)
def _scheme() -> tuple[dict[str, URIRef], dict[URIRef, Concept]]:
    """(zh label → concept, concept → Concept) for the beneficiary-group scheme; empty if
    schemes.ttl is not found."""
    path = next((p for p in _CANDIDATES if p.is_file()), None)
    if path is None:
        return {}, {}
    graph = Graph().parse(path, format="turtle")
    by_label: dict[str, URIRef] = {}
    concepts: dict[URIRef, Concept] = {}
    for iri in graph.subjects(SKOS.inScheme, GROUPS_SCHEME):
        labels = tuple(sorted(graph.objects(iri, SKOS.prefLabel), key=lambda l: (l.language or "", str(l))))
        concepts[iri] = Concept(iri, labels, tuple(sorted(graph.objects(iri, SKOS.broader))))
        for label in labels:
            if label.language == "zh":
                by_label[str(label)] = iri
    for iri in concepts:  # alternative labels after all preferred ones, so a prefLabel always wins
        for label in graph.objects(iri, SKOS.altLabel):
            if label.language == "zh":
                by_label.setdefault(str(label), iri)
    return by_label, concepts


def group_concept(label: str) -> Concept | None:
    """The scheme's concept named ``label`` (preferred or alternative label), or None."""
    by_label, concepts = _scheme()
    iri = by_label.get(label)
    return concepts[iri] if iri is not None else None


def concept_triples(concept: Concept, _seen: frozenset = frozenset()):
    """The concept, its labels, its scheme and its broader concepts, up to the top."""
    _, concepts = _scheme()
    node = concept.iri
    yield node, RDF.type, KGO.BeneficiaryGroup
    yield node, RDF.type, SKOS.Concept
    yield node, SKOS.inScheme, GROUPS_SCHEME
    for label in concept.labels:
        yield node, RDFS.label, label
        yield node, SKOS.prefLabel, label
    for broader in concept.broader:
        yield node, SKOS.broader, broader
        if broader in concepts and broader not in _seen:
            yield from concept_triples(concepts[broader], _seen | {node})
