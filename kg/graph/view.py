"""One function turns the RDF graph into a networkx MultiDiGraph.

``graph_view(store, events="nodes"|"edges")`` is the only place where RDF
becomes a property graph; every graph export, ``kg stats`` and ``kg viz`` go
through it, so all of them agree.

Nodes are keyed by IRI and carry scalar attributes only (never None, never a
list): ``type`` (the most specific kgo/org class's local name), ``label``
(the ``@zh`` label), ``label_en``, ``admin_code`` and ``admin_level``
(regions), ``province`` (the zh label of the province the node rolls up to via
``kgo:partOf``) and ``degree``.

* ``events="nodes"``: the n-ary RDF shape — entities, event nodes (Launch,
  PolicyIssuance, FacilityEstablishment, Membership), roles and articles, and
  every object property between them as an edge.
* ``events="edges"``: entities only; each event is folded into one edge from
  its agent to its object (a Membership: from the person to the organization),
  labelled by the direct property (``kgo:launches`` …, ``org:memberOf``) and
  carrying the event's place, date, amount, evidence sentence and article.
  Direct triples that an event edge already stands for are not repeated.

Edges carry ``label`` (a CURIE such as ``kgo:launches``), ``predicate`` (the
full IRI) and, when they stand for an event, ``event`` and ``event_type``.
A fixed number of SPARQL queries over the whole store build the view (no
per-node queries), so it scales with the store, not with round trips.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from typing import Literal as Mode

import networkx as nx
import pyoxigraph as ox

from kg.rdf.vocab import KGO, ORG, PREFIXES, PROV

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SCHEMA_HEADLINE = "https://schema.org/headline"

#: classes that become nodes, most specific first (a TradeUnion is also an Organization)
ENTITY_TYPES = ["TradeUnion", "Organization", "Region", "Program", "Policy", "Facility", "Person",
                "BeneficiaryGroup"]
EVENT_TYPES = ["Launch", "PolicyIssuance", "FacilityEstablishment", "Membership"]
OTHER_TYPES = ["Role", "Article"]
_CLASS = {name: str(KGO[name]) for name in ENTITY_TYPES + EVENT_TYPES + ["Article"]}
_CLASS["Membership"] = str(ORG.Membership)
_CLASS["Role"] = str(ORG.Role)
_RANK = {name: i for i, name in enumerate(ENTITY_TYPES + EVENT_TYPES + OTHER_TYPES)}

#: event type → the direct property its folded edge stands for
DIRECT = {
    "Launch": str(KGO.launches),
    "PolicyIssuance": str(KGO.issues),
    "FacilityEstablishment": str(KGO.establishes),
    "Membership": str(ORG.memberOf),
}

_P = "PREFIX kgo: <https://w3id.org/union-kg/ontology#>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
_TYPES = "SELECT ?s ?c WHERE { VALUES ?c { %s } ?s a ?c }"
_LABELS = f"SELECT ?s ?l WHERE {{ ?s <{RDFS_LABEL}> ?l }}"
_HEADLINES = f"SELECT ?s ?l WHERE {{ ?s <{SCHEMA_HEADLINE}> ?l }}"
_REGIONS = _P + """SELECT ?r ?code ?level ?province WHERE {
  ?r a kgo:Region .
  OPTIONAL { ?r kgo:adminCode ?code }
  OPTIONAL { ?r kgo:adminLevel ?level }
  OPTIONAL { ?r kgo:partOf* ?province . ?province kgo:adminLevel "province" }
}"""
# how often each thing is tied to each region: its own kgo:inRegion, and the place
# of every event it takes part in (agent, object or partner)
_PLACES = _P + """SELECT ?s ?r (COUNT(*) AS ?n) WHERE {
  { ?s kgo:inRegion ?r }
  UNION { ?e kgo:place ?r . ?e kgo:agent|kgo:object|kgo:partner ?s }
} GROUP BY ?s ?r"""
_MEMBERS = _P + "SELECT ?s ?o WHERE { ?s org:memberOf ?o }"
#: event qualifier → the properties with literal values it is read from
_EVENT_PROPERTIES = {
    "date": "kgo:date", "year": "kgo:year", "earliest": "kgo:earliest", "latest": "kgo:latest",
    "amount": "kgo:amount", "count": "kgo:count", "evidence": "kgo:evidence", "confidence": "kgo:confidence",
    "extractor": "kgo:extractor",
}
#: property → the event qualifier it gives, for those with IRI values: read from the view's edges
#: (a Membership's person is its org:member)
_EVENT_LINKS = {
    str(KGO.agent): "agent", str(ORG.member): "agent", str(KGO.object): "object", str(ORG.organization): "object",
    str(ORG.role): "role", str(KGO.place): "place", str(PROV.wasDerivedFrom): "article",
}
#: qualifiers read as numbers, and those of them written as decimals
_NUMBERS, _DECIMALS = frozenset(("year", "count", "amount", "confidence")), frozenset(("amount", "confidence"))
# One triple pattern per property, each row tagged with its qualifier: Oxigraph does not reorder
# joins around OPTIONAL, and one OPTIONAL per property (joined on ?e) took five times as long
_EVENTS = _P + "SELECT ?e ?k ?x WHERE {\n  " + "\n  UNION ".join(
    ['{ ?e a kgo:Event BIND("" AS ?k) }', '{ ?e a org:Membership BIND("" AS ?k) }']
    + [f'{{ ?e {p} ?x BIND("{k}" AS ?k) }}' for k, p in _EVENT_PROPERTIES.items()]
) + "\n}"
_QUALIFIERS = _P + "SELECT ?e ?p ?x WHERE { VALUES ?p { kgo:partner kgo:beneficiary } ?e ?p ?x }"
_EDGES = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) "
          "FILTER(?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) }")

#: verbs for event-node labels (events have no rdfs:label of their own)
_VERB = {"Launch": "启动", "PolicyIssuance": "发布", "FacilityEstablishment": "设立", "Membership": "任职"}


@lru_cache(maxsize=4096)
def local_name(iri: str) -> str:
    """A CURIE with one of the project's prefixes (``kgo:launches``), else the IRI (remembered:
    a view names the same few predicates on every one of its edges)."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def _number(term: ox.Literal) -> int | float | str:
    text = term.value
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _nodes(store: ox.Store, events: str) -> dict[str, dict]:
    """IRI → attributes of every node of the view (types, labels, region codes)."""
    wanted = ENTITY_TYPES + (EVENT_TYPES + OTHER_TYPES if events == "nodes" else [])
    values = " ".join(f"<{_CLASS[t]}>" for t in wanted)
    by_class = {v: k for k, v in _CLASS.items()}
    nodes: dict[str, dict] = {}
    for row in store.query(_TYPES % values):
        kind = by_class[row["c"].value]
        attrs = nodes.setdefault(row["s"].value, {"type": kind})
        if _RANK[kind] < _RANK[attrs["type"]]:
            attrs["type"] = kind
    for query in (_LABELS, _HEADLINES):
        for row in store.query(query):
            attrs = nodes.get(row["s"].value)
            if attrs is None or not isinstance(row["l"], ox.Literal):
                continue
            lang = (row["l"].language or "").lower()
            if lang.startswith("en"):
                attrs.setdefault("label_en", row["l"].value)
            else:
                attrs.setdefault("label", row["l"].value)
    return nodes


def _provinces(store: ox.Store, nodes: dict[str, dict]) -> dict[str, str]:
    """Region IRI → its province's IRI; sets admin codes, levels and ``province`` on regions."""
    province_of: dict[str, str] = {}
    for row in store.query(_REGIONS):
        region = row["r"].value
        attrs = nodes.get(region)
        if attrs is None:
            continue
        if row["code"] is not None:
            attrs["admin_code"] = row["code"].value
        if row["level"] is not None:
            attrs["admin_level"] = row["level"].value
        if row["province"] is not None:
            province_of.setdefault(region, row["province"].value)
    for region, province in province_of.items():
        nodes[region]["province"] = nodes.get(province, {}).get("label", local_name(province))
    return province_of


def _events(store: ox.Store, edges: list[tuple[str, str, str]]) -> dict[str, dict]:
    """Event IRI → its qualifiers (first value of each; partners and beneficiaries as lists);
    ``edges`` are the store's triples with IRI values (``_EDGES``)."""
    found: dict[str, dict] = {}
    stated: dict[str, dict] = defaultdict(dict)  # qualifiers of anything: those of events are kept
    for s, p, o in edges:
        if (key := _EVENT_LINKS.get(p)) is not None:
            stated[s].setdefault(key, o)
    for event, key, value in store.query(_EVENTS):
        if value is None:  # an event's type row
            found.setdefault(event.value, {})
            continue
        key = key.value
        if key in _NUMBERS:
            number = _number(value)
            value = float(number) if key in _DECIMALS and isinstance(number, int) else number
        else:
            value = value.value
        stated[event.value].setdefault(key, value)
    for event, qualifiers in found.items():
        qualifiers.update(stated.get(event, ()))
    values = " ".join(f"<{_CLASS[t]}>" for t in EVENT_TYPES)
    by_class = {v: k for k, v in _CLASS.items()}
    for row in store.query(_TYPES % values):
        if row["s"].value in found:
            found[row["s"].value]["type"] = by_class[row["c"].value]
    for row in store.query(_QUALIFIERS):
        event = found.get(row["e"].value)
        if event is not None:
            key = "partners" if row["p"].value.endswith("partner") else "beneficiaries"
            event.setdefault(key, []).append(row["x"].value)
    return found


def _label(nodes: dict[str, dict], labels: dict[str, str], iri: str) -> str:
    return nodes.get(iri, {}).get("label") or labels.get(iri) or local_name(iri)


def _qualifiers(event: dict, label) -> dict:
    """The scalar attributes an event contributes to its node or folded edge."""
    attrs: dict = {}
    for name in ("date", "year", "earliest", "latest", "amount", "count", "evidence", "confidence",
                 "extractor", "article"):
        if name in event and isinstance(event[name], (str, int, float)):
            attrs[name] = event[name]
    if "place" in event:
        attrs["place"] = event["place"]
        attrs["place_label"] = label(event["place"])
    if "role" in event:
        attrs["role"] = label(event["role"])
    for name in ("partners", "beneficiaries"):
        if event.get(name):
            attrs[name] = "、".join(sorted({label(x) for x in event[name]}))
    if "article" in event:
        attrs["headline"] = label(event["article"])
    return attrs


def graph_view(store: ox.Store, events: Mode["nodes", "edges"] = "nodes") -> nx.MultiDiGraph:
    """The MultiDiGraph of a store (see the module's docstring for its shape)."""
    if events not in ("nodes", "edges"):
        raise ValueError(f"events must be 'nodes' or 'edges', not {events!r}")
    edges = [(s.value, p.value, o.value) for s, p, o in store.query(_EDGES)]
    nodes = _nodes(store, events)
    province_of = _provinces(store, nodes)
    found = _events(store, edges)
    # labels of things that are not nodes in this mode (roles, articles, places)
    labels: dict[str, str] = {}
    if events == "edges":
        wanted = {x for e in found.values() for k in ("role", "article") if (x := e.get(k))}
        for query in (_LABELS, _HEADLINES):
            for row in store.query(query):
                s = row["s"].value
                if s in wanted and s not in labels and (row["l"].language or "zh").startswith("zh"):
                    labels[s] = row["l"].value

    def label(iri: str) -> str:
        return _label(nodes, labels, iri)

    # the province of each node: the one it is most often tied to
    votes: dict[str, Counter] = defaultdict(Counter)
    for row in store.query(_PLACES):
        province = province_of.get(row["r"].value)
        if province is not None and row["s"].value in nodes:
            votes[row["s"].value][province] += int(row["n"].value)
    for iri, event in found.items():
        if (province := province_of.get(event.get("place", ""))) is not None:
            votes[iri][province] += 1
    for iri, counter in votes.items():
        if iri in nodes and "province" not in nodes[iri]:
            best = min(counter.items(), key=lambda kv: (-kv[1], label(kv[0])))[0]
            nodes[iri]["province"] = label(best)
    for row in store.query(_MEMBERS):  # people: the province of their organization
        person, org = row["s"].value, row["o"].value
        if person in nodes and "province" not in nodes[person] and "province" in nodes.get(org, {}):
            nodes[person]["province"] = nodes[org]["province"]

    g = nx.MultiDiGraph()
    for iri, attrs in nodes.items():
        if attrs["type"] in _VERB and iri in found:
            event = found[iri]
            attrs.update(_qualifiers(event, label))
            other = event.get("role") if attrs["type"] == "Membership" else event.get("object")
            who = label(event["agent"]) if attrs["type"] == "Membership" and "agent" in event else None
            attrs["label"] = "·".join(x for x in (_VERB[attrs["type"]], who, other and label(other)) if x)
            if "province" not in attrs and (p := province_of.get(event.get("place", ""))):
                attrs["province"] = label(p)
        attrs.setdefault("label", local_name(iri))
        g.add_node(iri, **attrs)

    folded: set[tuple[str, str, str]] = set()
    if events == "edges":
        for iri in sorted(found):
            event = found[iri]
            kind = event.get("type")
            agent, obj = event.get("agent"), event.get("object")
            if kind is None or agent not in g or obj not in g:
                continue
            predicate = DIRECT[kind]
            attrs = {"label": local_name(predicate), "predicate": predicate, "event": iri,
                     "event_type": kind, **_qualifiers(event, label)}
            if "province" not in attrs and (p := province_of.get(event.get("place", ""))):
                attrs["province"] = label(p)
            g.add_edge(agent, obj, key=iri, **attrs)
            folded.add((agent, predicate, obj))
    for s, p, o in edges:
        if s in g and o in g and (s, p, o) not in folded:
            g.add_edge(s, o, key=local_name(p), label=local_name(p), predicate=p)
    for node, degree in g.degree():
        g.nodes[node]["degree"] = degree
    return g
