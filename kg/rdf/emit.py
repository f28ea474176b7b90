"""Facts and articles to RDF triples, exactly as the ontology contract says.

Events are n-ary nodes (agent, object, place, partners, beneficiaries, date,
amount, count, confidence, evidence, offsets, extractor, article) with direct
triples beside them for simple queries (kgo:launches, kgo:inRegion …).
Triples are produced as a stream so a store can load them in batches.
"""
from __future__ import annotations

import calendar
from decimal import Decimal
from typing import Iterable, Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.model import Article, Entity, Fact
from kg.nlp.quantities import StatedDate
from kg.rdf.concepts import concept_triples, group_concept
from kg.rdf.english import english_org, pinyin
from kg.rdf.federations import NATIONAL, is_federation_of, parent_by_name, parent_federations
from kg.rdf.orgtypes import org_type_iri
from kg.rdf.vocab import KGO, KGR, ORG, SCHEMA, digest, mint
from kg.regions import Region, RegionTable

Triple = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode]
DIRECT = {"Launch": KGO.launches, "PolicyIssuance": KGO.issues, "FacilityEstablishment": KGO.establishes}
LEVEL_LABEL = {"province": "province", "city": "city", "county": "county", "township": "township"}


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def article_triples(article: Article) -> Iterator[Triple]:
    node = mint("Article", article.id)
    yield node, RDF.type, KGO.Article
    yield node, DCTERMS.source, Literal(article.source)
    yield node, DCTERMS.identifier, Literal(article.id)
    yield node, SCHEMA.headline, zh(article.headline or article.text[:30])
    yield node, RDFS.label, zh(article.headline or article.text[:30])
    if article.date:
        yield node, SCHEMA.datePublished, Literal(article.date, datatype=XSD.date)


def region_triples(region: Region) -> Iterator[Triple]:
    """A region and its chain of parents up to the province."""
    table = RegionTable.default()
    chain = [region] + list(reversed(table.ancestors(region)))
    for r, parent in zip(chain, chain[1:] + [None]):
        node = mint("Region", r.key)
        yield node, RDF.type, KGO.Region
        yield node, RDFS.label, zh(r.name)
        yield node, RDFS.label, Literal(table.english(r), lang="en")
        yield node, KGO.adminLevel, Literal(LEVEL_LABEL[r.level])
        if r.code:
            yield node, KGO.adminCode, Literal(r.code)
        if parent is not None:
            yield node, KGO.partOf, mint("Region", parent.key)


def entity_node(entity: Entity) -> URIRef:
    kind = "Organization" if entity.kind == "TradeUnion" else entity.kind
    return mint(kind, entity.key or entity.name)


def entity_triples(entity: Entity) -> Iterator[Triple]:
    node = entity_node(entity)
    if entity.kind in ("Organization", "TradeUnion"):
        yield node, RDF.type, KGO.Organization
        region = entity.attr("region")
        yield node, RDFS.label, Literal(english_org(entity.name, region), lang="en")
        yield node, KGO.orgType, org_type_iri(entity.name, entity.kind == "TradeUnion")
        if region is not None:
            yield node, KGO.inRegion, mint("Region", region.key)
            yield from region_triples(region)
        yield from hierarchy_triples(node, entity.name, region)
    else:
        yield node, RDFS.label, Literal(pinyin(entity.name), lang="en")
    yield node, RDF.type, KGO[entity.kind] if entity.kind != "Role" else ORG.Role
    yield node, RDFS.label, zh(entity.name)
    for alias in entity.aliases:
        yield node, SKOS.altLabel, zh(alias)


def hierarchy_triples(node: URIRef, name: str, region: Region | None) -> Iterator[Triple]:
    """org:subOrganizationOf from a local federation up to 中华全国总工会, following the
    region hierarchy (kg.rdf.federations), and from a body its name places in a federation
    (景德镇市总工会女职工委员会); the federations above are minted as organizations."""
    if is_federation_of(name, region):
        parents = parent_federations(region)
    elif (stated := parent_by_name(name)) is not None:
        parents = [stated, *(parent_federations(stated[1]) if stated[1] is not None else [])]
    else:
        return
    child = node
    for parent_name, parent_region in parents:
        parent = mint("Organization", parent_name)
        yield child, ORG.subOrganizationOf, parent
        yield parent, RDF.type, KGO.Organization
        yield parent, RDF.type, KGO.TradeUnion
        yield parent, RDFS.label, zh(parent_name)
        yield parent, RDFS.label, Literal(english_org(parent_name, parent_region), lang="en")
        yield parent, KGO.orgType, KGR["orgtype/federation"]
        if parent_region is not None:
            yield parent, KGO.inRegion, mint("Region", parent_region.key)
            yield from region_triples(parent_region)
        if parent_name == NATIONAL:
            break
        child = parent


def group_node(label: str) -> tuple[URIRef, list[Triple]]:
    concept = group_concept(label)
    if concept is not None:  # a concept of the beneficiary-group scheme, with its broader chain
        return concept.iri, list(dict.fromkeys(concept_triples(concept)))
    node = mint("BeneficiaryGroup", label)
    return node, [
        (node, RDF.type, KGO.BeneficiaryGroup),
        (node, RDF.type, SKOS.Concept),
        (node, RDFS.label, zh(label)),
        (node, SKOS.prefLabel, zh(label)),
    ]


def date_triples(node: URIRef, stated: StatedDate, published: str | None) -> Iterator[Triple]:
    """kgo:date as precise as stated, kgo:year, and earliest/latest bounds."""
    yield node, KGO.dateText, zh(stated.text)
    year = stated.year
    if year is None and published and (stated.relative or stated.month):
        offset = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}.get(stated.relative or "今年", 0)
        year = int(published[:4]) + offset
    if year is None:
        return
    yield node, KGO.year, Literal(year, datatype=XSD.integer)
    month, day = stated.month, stated.day
    if month and day:
        try:
            value = f"{year:04d}-{month:02d}-{day:02d}"
            calendar.monthrange(year, month)
            yield node, KGO.date, Literal(value, datatype=XSD.date)
            yield node, KGO.earliest, Literal(value, datatype=XSD.date)
            yield node, KGO.latest, Literal(value, datatype=XSD.date)
        except ValueError:
            return
    elif month:
        last = calendar.monthrange(year, month)[1]
        yield node, KGO.date, Literal(f"{year:04d}-{month:02d}", datatype=XSD.gYearMonth)
        yield node, KGO.earliest, Literal(f"{year:04d}-{month:02d}-01", datatype=XSD.date)
        yield node, KGO.latest, Literal(f"{year:04d}-{month:02d}-{last:02d}", datatype=XSD.date)
    else:
        yield node, KGO.date, Literal(f"{year:04d}", datatype=XSD.gYear)
        yield node, KGO.earliest, Literal(f"{year:04d}-01-01", datatype=XSD.date)
        yield node, KGO.latest, Literal(f"{year:04d}-12-31", datatype=XSD.date)


def fact_triples(fact: Fact, published: str | None = None) -> Iterator[Triple]:
    prov = fact.provenance
    identity = f"{prov.article_id}|{fact.kind}|{fact.subject.key}|{fact.object.key}|{prov.start}"
    kind = fact.kind
    node = mint(kind, f"{prov.article_id}-{digest(identity, 12)}")
    article = mint("Article", prov.article_id)
    yield node, RDF.type, KGO[kind] if kind != "Membership" else ORG.Membership
    yield node, PROV.wasDerivedFrom, article
    yield node, KGO.evidence, zh(prov.sentence)
    yield node, KGO.evidenceStart, Literal(prov.start, datatype=XSD.integer)
    yield node, KGO.evidenceEnd, Literal(prov.end, datatype=XSD.integer)
    yield node, KGO.extractor, Literal(prov.extractor)
    yield node, KGO.confidence, Literal(Decimal(str(fact.confidence)), datatype=XSD.decimal)
    yield from entity_triples(fact.subject)
    yield from entity_triples(fact.object)
    subject, obj = entity_node(fact.subject), entity_node(fact.object)
    if kind == "Membership":
        role = fact.qualifier("role")
        yield from entity_triples(role)
        yield node, ORG.member, subject
        yield node, ORG.organization, obj
        yield node, ORG.role, entity_node(role)
        yield subject, ORG.memberOf, obj
        return
    yield node, RDF.type, KGO.Event
    yield node, KGO.agent, subject
    yield node, KGO.object, obj
    yield subject, DIRECT[kind], obj
    place: Region | None = fact.qualifier("place")
    if place is not None:
        yield node, KGO.place, mint("Region", place.key)
        yield obj, KGO.inRegion, mint("Region", place.key)
        yield from region_triples(place)
    for partner in fact.qualifier("partners", []):
        p = entity_node(partner)
        yield from entity_triples(partner)
        yield node, KGO.partner, p
        yield subject, KGO.partnersWith, p
        yield p, KGO.partnersWith, subject
    for label in fact.qualifier("beneficiaries", []):
        group, triples = group_node(label)
        yield from triples
        yield node, KGO.beneficiary, group
        if kind == "Launch":
            yield obj, KGO.targets, group
    stated = fact.qualifier("date")
    if stated is not None:
        yield from date_triples(node, stated, published)
    amount = fact.qualifier("amount")
    if amount is not None:
        yield node, KGO.amount, Literal(amount.value, datatype=XSD.decimal)
        yield node, KGO.amountText, zh(amount.text)
        yield node, KGO.amountQualifier, Literal(amount.qualifier)
    count = fact.qualifier("count")
    if count is not None:
        yield node, KGO["count"], Literal(count[0], datatype=XSD.integer)


def triples(articles: Iterable[Article], facts: Iterable[Fact]) -> Iterator[Triple]:
    dates = {}
    for article in articles:
        dates[article.id] = article.date
        yield from article_triples(article)
    for fact in facts:
        yield from fact_triples(fact, dates.get(fact.provenance.article_id))
