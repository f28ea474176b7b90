"""One function turns the RDF graph into a networkx MultiDiGraph.

Nodes are the named things (organizations, regions, programs, policies,
facilities, persons, groups, articles) and, by default, the events; edges are
the object properties between them, labelled by the property's local name.
Every graph export goes through this view, so all formats agree.
"""
from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from kg.rdf.vocab import KGO, PREFIXES

_NODES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kgo: <https://w3id.org/union-kg/ontology#>
SELECT ?s ?type ?zh ?en ?code WHERE {
  ?s a ?type .
  FILTER(?type IN (kgo:Organization, kgo:Region, kgo:Program, kgo:Policy, kgo:Facility, kgo:Person,
                   kgo:BeneficiaryGroup, kgo:Article, kgo:Launch, kgo:PolicyIssuance,
                   kgo:FacilityEstablishment, <http://www.w3.org/ns/org#Membership>,
                   <http://www.w3.org/ns/org#Role>))
  OPTIONAL { ?s rdfs:label ?zh FILTER(lang(?zh) = "zh") }
  OPTIONAL { ?s rdfs:label ?en FILTER(lang(?en) = "en") }
  OPTIONAL { ?s kgo:adminCode ?code }
}
"""
_EDGES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) FILTER(?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) }"
_EVIDENCE = "PREFIX kgo: <https://w3id.org/union-kg/ontology#> SELECT ?s ?e WHERE { ?s kgo:evidence ?e }"


def local_name(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def graph_view(store: ox.Store) -> nx.MultiDiGraph:
    """The MultiDiGraph of a store: typed, labelled nodes and property-labelled edges."""
    g = nx.MultiDiGraph()
    for row in store.query(_NODES):
        iri = row["s"].value
        kind = row["type"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        attrs = g.nodes[iri] if iri in g else {}
        if kind == "Organization" or "type" not in attrs:
            attrs["type"] = kind
        if row["zh"] is not None:
            attrs["label"] = row["zh"].value
        if row["en"] is not None:
            attrs["label_en"] = row["en"].value
        if row["code"] is not None:
            attrs["admin_code"] = row["code"].value
        g.add_node(iri, **attrs)
    for row in store.query(_EVIDENCE):
        if row["s"].value in g:
            g.nodes[row["s"].value]["evidence"] = row["e"].value
    for row in store.query(_EDGES):
        s, p, o = row["s"].value, row["p"].value, row["o"].value
        if s in g and o in g:
            g.add_edge(s, o, key=f"{local_name(p)}", label=local_name(p))
    for node, data in g.nodes(data=True):
        data.setdefault("label", local_name(node))
        data["degree"] = g.degree(node)
    return g
