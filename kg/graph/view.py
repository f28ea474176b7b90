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
The view reads the graph's triples once, as N-Triples, in the sorted order of
their lines: it depends on the set of triples only, so a build's view (made
from the N-Triples it writes) and the view of its store are the same.  No
SPARQL and no per-node queries: it scales with the graph, not with round trips.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from typing import Literal as Mode

import networkx as nx
import pyoxigraph as ox

from kg.rdf.vocab import KGO, ORG, PREFIXES, PROV

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
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
#: the classes whose instances are events (a Membership is not a kgo:Event)
_EVENT_CLASSES = (str(KGO.Event), str(ORG.Membership))

#: event type → the direct property its folded edge stands for
DIRECT = {
    "Launch": str(KGO.launches),
    "PolicyIssuance": str(KGO.issues),
    "FacilityEstablishment": str(KGO.establishes),
    "Membership": str(ORG.memberOf),
}

#: event qualifier → the property with literal values it is read from
_EVENT_PROPERTIES = {key: str(KGO[key]) for key in ("date", "year", "earliest", "latest", "amount", "count",
                                                     "evidence", "confidence", "extractor")}
#: property → the event qualifier it gives, for those with IRI values: read from the view's edges
#: (a Membership's person is its org:member)
_EVENT_LINKS = {
    str(KGO.agent): "agent", str(ORG.member): "agent", str(KGO.object): "object", str(ORG.organization): "object",
    str(ORG.role): "role", str(KGO.place): "place", str(PROV.wasDerivedFrom): "article",
}
_LISTS = {str(KGO.partner): "partners", str(KGO.beneficiary): "beneficiaries"}
#: what ties a thing to the place of an event: being its agent, object or partner
_PARTICIPANTS = (str(KGO.agent), str(KGO.object), str(KGO.partner))
_IN_REGION, _PLACE = str(KGO.inRegion), str(KGO.place)
_PART_OF, _MEMBER_OF = str(KGO.partOf), str(ORG.memberOf)
_ADMIN_CODE, _ADMIN_LEVEL = str(KGO.adminCode), str(KGO.adminLevel)
#: the properties whose objects ``Triples`` keeps (besides the IRI-valued edges)
_READ = frozenset((RDFS_LABEL, SCHEMA_HEADLINE, _IN_REGION, _PLACE, *_EVENT_PROPERTIES.values(), *_LISTS,
                   *_PARTICIPANTS, _PART_OF, _MEMBER_OF, _ADMIN_CODE, _ADMIN_LEVEL))
#: qualifiers read as numbers, and those of them written as decimals
_NUMBERS, _DECIMALS = frozenset(("year", "count", "amount", "confidence")), frozenset(("amount", "confidence"))

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


class Triples:
    """What the view takes from a graph, read in one pass: the IRI-valued triples, the
    instances of each class and the objects of the properties the view reads attributes from.

    Read in the sorted order of the distinct N-Triples lines, which the view follows: it is
    the order of the nodes and edges, and the first of several labels (or dates …) of a thing
    is the one it gets.  Sorted, so that the view does not depend on where the triples come
    from (a build's N-Triples, in input order, or a store, in its own).
    """

    def __init__(self) -> None:
        #: the triples with IRI objects, rdf:type aside: (subject, predicate, object) IRIs
        self.edges: list[tuple[str, str, str]] = []
        self._instances: dict[str, list[str]] = defaultdict(list)  # class IRI → its instances
        self._objects: dict[str, list[tuple[str, ox.Term]]] = {p: [] for p in _READ}

    @classmethod
    def of(cls, store: ox.Store) -> Triples:
        """The triples of the default graph of ``store``."""
        return cls.parse(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))

    @classmethod
    def parse(cls, ntriples: bytes) -> Triples:
        """The triples of UTF-8 N-Triples, repeats dropped.

        Lines are taken in the form kg and Oxigraph write them (``<s> <p> o .``, one space
        apart), so subjects, predicates and IRI objects are read by splitting them; the
        literals the view reads are parsed by Oxigraph, all in one call.
        """
        lines = set(ntriples.split(b"\n"))
        lines.discard(b"")
        triples = cls()
        edges, instances, objects = triples.edges, triples._instances, triples._objects
        literals: list[str] = []  # the lines of the literals the view reads …
        slots: list[tuple[list, int]] = []  # … and where each goes
        for line in b"\n".join(sorted(lines)).decode("utf-8").split("\n") if lines else ():
            s, p, o = line.split(" ", 2)
            s, p = s[1:-1] if s[0] == "<" else s, p[1:-1]  # (a blank node keeps its _:)
            if o[0] == "<":
                o = o[1:-3]  # (the object, without `> .`)
                if p == RDF_TYPE:
                    instances[o].append(s)
                    continue
                edges.append((s, p, o))
                if p in objects:
                    objects[p].append((s, ox.NamedNode(o)))
            elif p in objects:
                slots.append((objects[p], len(objects[p])))
                objects[p].append((s, None))
                literals.append(line)
        if literals:
            parsed = ox.parse("\n".join(literals).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            for (found, at), quad in zip(slots, parsed):
                found[at] = (found[at][0], quad.object)
        return triples

    def instances(self, cls: str) -> list[str]:
        """The things of class ``cls``."""
        return self._instances.get(cls, [])

    def objects(self, predicate: str) -> list[tuple[str, ox.Term]]:
        """(subject, object) of every triple of ``predicate`` (one of ``_READ``)."""
        return self._objects[predicate]


def _nodes(triples: Triples, events: str) -> dict[str, dict]:
    """IRI → attributes of every node of the view (types, labels)."""
    wanted = ENTITY_TYPES + (EVENT_TYPES + OTHER_TYPES if events == "nodes" else [])
    nodes: dict[str, dict] = {}
    for kind in wanted:  # most specific first: the first class found is a node's type
        for s in triples.instances(_CLASS[kind]):
            nodes.setdefault(s, {"type": kind})
    for predicate in (RDFS_LABEL, SCHEMA_HEADLINE):
        for s, label in triples.objects(predicate):
            attrs = nodes.get(s)
            if attrs is None or type(label) is not ox.Literal:
                continue
            lang = (label.language or "").lower()
            attrs.setdefault("label_en" if lang.startswith("en") else "label", label.value)
    return nodes


def _provinces(triples: Triples, nodes: dict[str, dict]) -> dict[str, str]:
    """Region IRI → its province's IRI (the first region of level "province" up its
    ``kgo:partOf`` chain, itself included); sets admin codes, levels and ``province`` on regions."""
    parents: dict[str, list[str]] = defaultdict(list)
    for region, parent in triples.objects(_PART_OF):
        parents[region].append(parent.value)
    levels: dict[str, str] = {}
    for region, value in triples.objects(_ADMIN_LEVEL):
        levels.setdefault(region, value.value)
    regions = dict.fromkeys(triples.instances(_CLASS["Region"]))
    for key, predicate in (("admin_code", _ADMIN_CODE), ("admin_level", _ADMIN_LEVEL)):
        for region, value in triples.objects(predicate):
            if region in nodes and region in regions:
                nodes[region].setdefault(key, value.value)

    def province(region: str) -> str | None:
        seen, todo = set(), [region]
        for here in todo:  # (breadth first: the nearest province)
            if levels.get(here) == "province":
                return here
            seen.add(here)
            todo += (p for p in parents.get(here, ()) if p not in seen)
        return None

    province_of: dict[str, str] = {}
    for region in regions:
        if region in nodes and (found := province(region)) is not None:
            province_of[region] = found
    for region, found in province_of.items():
        nodes[region]["province"] = nodes.get(found, {}).get("label", local_name(found))
    return province_of


def _qualifier(key: str, term: ox.Term) -> int | float | str:
    """An event qualifier's value: a number for those in ``_NUMBERS``, else the term's text."""
    if key not in _NUMBERS:
        return term.value
    number = _number(term)
    return float(number) if key in _DECIMALS and isinstance(number, int) else number


def _events(triples: Triples) -> dict[str, dict]:
    """Event IRI → its qualifiers (first value of each; partners and beneficiaries as lists)."""
    found: dict[str, dict] = {event: {} for cls in _EVENT_CLASSES for event in triples.instances(cls)}
    for s, p, o in triples.edges:
        if (key := _EVENT_LINKS.get(p)) is not None and (event := found.get(s)) is not None:
            event.setdefault(key, o)
    for key, predicate in _EVENT_PROPERTIES.items():
        for s, value in triples.objects(predicate):
            if (event := found.get(s)) is not None and key not in event:
                event[key] = _qualifier(key, value)
    for kind in EVENT_TYPES:  # (of an event with two event types, the last)
        for s in triples.instances(_CLASS[kind]):
            if (event := found.get(s)) is not None:
                event["type"] = kind
    for predicate, key in _LISTS.items():
        for s, value in triples.objects(predicate):
            if (event := found.get(s)) is not None:
                event.setdefault(key, []).append(value.value)
    return found


def _ties(triples: Triples) -> Counter[tuple[str, str]]:
    """How often each thing is tied to each region: its own kgo:inRegion, and the place of
    every event it takes part in (as agent, object or partner: once per event)."""
    ties: Counter[tuple[str, str]] = Counter((s, r.value) for s, r in triples.objects(_IN_REGION))
    takers: dict[str, set[str]] = defaultdict(set)  # event → what takes part in it
    for predicate in _PARTICIPANTS:
        for event, thing in triples.objects(predicate):
            takers[event].add(thing.value)
    for event, region in triples.objects(_PLACE):
        for thing in takers.get(event, ()):
            ties[thing, region.value] += 1
    return ties


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


def graph_view(graph: ox.Store | Triples, events: Mode["nodes", "edges"] = "nodes") -> nx.MultiDiGraph:
    """The MultiDiGraph of a store, or of triples already read (see the module's docstring
    for its shape)."""
    if events not in ("nodes", "edges"):
        raise ValueError(f"events must be 'nodes' or 'edges', not {events!r}")
    triples = graph if isinstance(graph, Triples) else Triples.of(graph)
    edges = triples.edges
    nodes = _nodes(triples, events)
    province_of = _provinces(triples, nodes)
    found = _events(triples)
    # labels of things that are not nodes in this mode (roles, articles, places)
    labels: dict[str, str] = {}
    if events == "edges":
        wanted = {x for e in found.values() for k in ("role", "article") if (x := e.get(k))}
        for predicate in (RDFS_LABEL, SCHEMA_HEADLINE):
            for s, text in triples.objects(predicate):
                if (s in wanted and s not in labels and type(text) is ox.Literal
                        and (text.language or "zh").startswith("zh")):
                    labels[s] = text.value

    def label(iri: str) -> str:
        return _label(nodes, labels, iri)

    # the province of each node: the one it is most often tied to
    votes: dict[str, Counter] = defaultdict(Counter)
    for (thing, region), n in _ties(triples).items():
        province = province_of.get(region)
        if province is not None and thing in nodes:
            votes[thing][province] += n
    for iri, event in found.items():
        if (province := province_of.get(event.get("place", ""))) is not None:
            votes[iri][province] += 1
    for iri, counter in votes.items():
        if iri in nodes and "province" not in nodes[iri]:
            best = min(counter.items(), key=lambda kv: (-kv[1], label(kv[0])))[0]
            nodes[iri]["province"] = label(best)
    for person, org_term in triples.objects(_MEMBER_OF):  # people: the province of their organization
        org = org_term.value
        if person in nodes and "province" not in nodes[person] and "province" in nodes.get(org, {}):
            nodes[person]["province"] = nodes[org]["province"]

    for iri, attrs in nodes.items():
        if attrs["type"] in _VERB and iri in found:
            event = found[iri]
            attrs.update(_qualifiers(event, label))
            other = event.get("role") if attrs["type"] == "Membership" else event.get("object")
            who = label(event["agent"]) if attrs["type"] == "Membership" and "agent" in event else None
            attrs["label"] = "·".join(x for x in (_VERB[attrs["type"]], who, other and label(other)) if x)
            if "province" not in attrs and (p := province_of.get(event.get("place", ""))):
                attrs["province"] = label(p)
        if "label" not in attrs:
            attrs["label"] = local_name(iri)
    g = nx.MultiDiGraph()
    g.add_nodes_from(nodes.items())
    add_edge = g.add_edge  # (once per triple: tens of thousands of times)

    folded: set[tuple[str, str, str]] = set()
    if events == "edges":
        for iri in sorted(found):
            event = found[iri]
            kind = event.get("type")
            agent, obj = event.get("agent"), event.get("object")
            if kind is None or agent not in nodes or obj not in nodes:
                continue
            predicate = DIRECT[kind]
            attrs = {"label": local_name(predicate), "predicate": predicate, "event": iri,
                     "event_type": kind, **_qualifiers(event, label)}
            if "province" not in attrs and (p := province_of.get(event.get("place", ""))):
                attrs["province"] = label(p)
            add_edge(agent, obj, key=iri, **attrs)
            folded.add((agent, predicate, obj))
    for s, p, o in edges:  # (the graph's nodes are those of ``nodes``)
        if s in nodes and o in nodes and not (folded and (s, p, o) in folded):
            name = local_name(p)
            add_edge(s, o, name, label=name, predicate=p)
    degrees = dict(g.degree())
    for node, attrs in g.nodes(data=True):
        attrs["degree"] = degrees[node]
    return g
