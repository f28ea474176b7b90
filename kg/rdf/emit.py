"""Facts and articles to RDF triples, exactly as the ontology contract says.

Events are n-ary nodes (agent, object, place, partners, beneficiaries, date,
amount, count, confidence, evidence, offsets, extractor, article) with direct
triples beside them for simple queries (kgo:launches, kgo:inRegion …).
Triples are produced as a stream so a store can load them in batches.

Terms are N-Triples strings (:mod:`kg.rdf.ntriples`), not rdflib objects,
and what recurs in every article (an organization with its region chain and
federation hierarchy, a region, a beneficiary group, an IRI) is made once
per process (up to a bound): writing RDF was the largest part of a build.
"""
from __future__ import annotations

import calendar
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Iterator

from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.model import Article, Entity, Fact
from kg.nlp.quantities import StatedDate
from kg.rdf import vocab
from kg.rdf.concepts import concept_triples, group_concept
from kg.rdf.english import english_org, pinyin
from kg.rdf.federations import NATIONAL, is_federation_of, parent_by_name, parent_federations
from kg.rdf.ntriples import IRIs, Triple, decimal, integer, iri, lang, plain, term, typed
from kg.rdf.orgtypes import org_type_iri
from kg.rdf.vocab import digest
from kg.regions import Region, RegionTable

kgo, kgr, org, schema = IRIs(vocab.KGO), IRIs(vocab.KGR), IRIs(vocab.ORG), IRIs(vocab.SCHEMA)
rdf, rdfs, skos, dcterms, prov = IRIs(RDF), IRIs(RDFS), IRIs(SKOS), IRIs(DCTERMS), IRIs(PROV)
DIRECT = {"Launch": kgo.launches, "PolicyIssuance": kgo.issues, "FacilityEstablishment": kgo.establishes}
LEVEL_LABEL = {"province": "province", "city": "city", "county": "county", "township": "township"}
_DATE, _GYEAR, _GYEARMONTH = str(XSD.date), str(XSD.gYear), str(XSD.gYearMonth)


def zh(text: str) -> str:
    return lang(text, "zh")


@lru_cache(maxsize=65536)  # the same organizations, regions and articles recur in every fact
def minted(kind: str, key: str) -> str:
    """:func:`kg.rdf.vocab.mint` as an N-Triples term."""
    return iri(vocab.mint(kind, key))


def article_triples(article: Article) -> Iterator[Triple]:
    node = minted("Article", article.id)
    yield node, rdf.type, kgo.Article
    yield node, dcterms.source, plain(article.source)
    yield node, dcterms.identifier, plain(article.id)
    yield node, schema.headline, zh(article.headline or article.text[:30])
    yield node, rdfs.label, zh(article.headline or article.text[:30])
    if article.date:
        yield node, schema.datePublished, typed(article.date, _DATE)


@lru_cache(maxsize=4096)
def region_triples(region: Region) -> tuple[Triple, ...]:
    """A region and its chain of parents up to the province."""
    table = RegionTable.default()
    chain = [region] + list(reversed(table.ancestors(region)))
    out: list[Triple] = []
    for r, parent in zip(chain, chain[1:] + [None]):
        node = minted("Region", r.key)
        out.append((node, rdf.type, kgo.Region))
        out.append((node, rdfs.label, zh(r.name)))
        out.append((node, rdfs.label, lang(table.english(r), "en")))
        out.append((node, kgo.adminLevel, plain(LEVEL_LABEL[r.level])))
        if r.code:
            out.append((node, kgo.adminCode, plain(r.code)))
        if parent is not None:
            out.append((node, kgo.partOf, minted("Region", parent.key)))
    return tuple(out)


def entity_node(entity: Entity) -> str:
    kind = "Organization" if entity.kind == "TradeUnion" else entity.kind
    return minted(kind, entity.key or entity.name)


def entity_triples(entity: Entity) -> list[Triple]:
    """The entity's class, labels (zh, and en: translated or pinyin) and aliases; for an
    organization also its type, region chain and federation hierarchy."""
    node = entity_node(entity)
    if entity.kind in ("Organization", "TradeUnion"):
        out = list(organization_triples(node, entity.name, entity.kind == "TradeUnion", entity.attr("region")))
    else:
        out = [(node, rdfs.label, lang(pinyin(entity.name), "en"))]
    out.append((node, rdf.type, kgo[entity.kind] if entity.kind != "Role" else org.Role))
    out.append((node, rdfs.label, zh(entity.name)))
    out += [(node, skos.altLabel, zh(alias)) for alias in entity.aliases]
    return out


@lru_cache(maxsize=4096)  # (organizations recur in every article; programs and facilities hardly)
def organization_triples(node: str, name: str, union: bool, region: Region | None) -> tuple[Triple, ...]:
    """An organization's type, English label, region chain and federation hierarchy."""
    out: list[Triple] = [
        (node, rdf.type, kgo.Organization),
        (node, rdfs.label, lang(english_org(name, region), "en")),
        (node, kgo.orgType, iri(org_type_iri(name, union))),
    ]
    if region is not None:
        out.append((node, kgo.inRegion, minted("Region", region.key)))
        out.extend(region_triples(region))
    out.extend(hierarchy_triples(node, name, region))
    return tuple(out)


def hierarchy_triples(node: str, name: str, region: Region | None) -> Iterator[Triple]:
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
        parent = minted("Organization", parent_name)
        yield child, org.subOrganizationOf, parent
        yield parent, rdf.type, kgo.Organization
        yield parent, rdf.type, kgo.TradeUnion
        yield parent, rdfs.label, zh(parent_name)
        yield parent, rdfs.label, lang(english_org(parent_name, parent_region), "en")
        yield parent, kgo.orgType, kgr["orgtype/federation"]
        if parent_region is not None:
            yield parent, kgo.inRegion, minted("Region", parent_region.key)
            yield from region_triples(parent_region)
        if parent_name == NATIONAL:
            break
        child = parent


def group_node(label: str) -> tuple[str, list[Triple]]:
    node, triples = _group(label)
    return node, list(triples)


@lru_cache(maxsize=4096)
def _group(label: str) -> tuple[str, tuple[Triple, ...]]:
    concept = group_concept(label)
    if concept is not None:  # a concept of the beneficiary-group scheme, with its broader chain
        rows = dict.fromkeys(concept_triples(concept))
        return term(concept.iri), tuple((term(s), term(p), term(o)) for s, p, o in rows)
    node = minted("BeneficiaryGroup", label)
    return node, (
        (node, rdf.type, kgo.BeneficiaryGroup),
        (node, rdf.type, skos.Concept),
        (node, rdfs.label, zh(label)),
        (node, skos.prefLabel, zh(label)),
    )


def date_triples(node: str, stated: StatedDate, published: str | None) -> list[Triple]:
    """kgo:date as precise as stated, kgo:year, and earliest/latest bounds."""
    out = [(node, kgo.dateText, zh(stated.text))]
    year = stated.year
    if year is None and published and (stated.relative or stated.month):
        offset = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}.get(stated.relative or "今年", 0)
        year = int(published[:4]) + offset
    if year is None:
        return out
    out.append((node, kgo.year, integer(year)))
    month, day = stated.month, stated.day
    if month and day:
        try:
            calendar.monthrange(year, month)
            date = earliest = latest = typed(f"{year:04d}-{month:02d}-{day:02d}", _DATE)
        except ValueError:
            return out
    elif month:
        last = calendar.monthrange(year, month)[1]
        date = typed(f"{year:04d}-{month:02d}", _GYEARMONTH)
        earliest = typed(f"{year:04d}-{month:02d}-01", _DATE)
        latest = typed(f"{year:04d}-{month:02d}-{last:02d}", _DATE)
    else:
        date = typed(f"{year:04d}", _GYEAR)
        earliest, latest = typed(f"{year:04d}-01-01", _DATE), typed(f"{year:04d}-12-31", _DATE)
    out += [(node, kgo.date, date), (node, kgo.earliest, earliest), (node, kgo.latest, latest)]
    return out


def fact_triples(fact: Fact, published: str | None = None) -> list[Triple]:
    """The event (or membership) node of a fact with its qualifiers, and the triples of the
    things it names.  A list, not a stream: most of a fact's triples are the cached ones of
    its organizations and regions, added whole rather than passed on one at a time."""
    where = fact.provenance
    identity = f"{where.article_id}|{fact.kind}|{fact.subject.key}|{fact.object.key}|{where.start}"
    kind = fact.kind
    node = iri(vocab.mint(kind, f"{where.article_id}-{digest(identity, 12)}"))  # (one per fact: not cached)
    out: list[Triple] = [
        (node, rdf.type, kgo[kind] if kind != "Membership" else org.Membership),
        (node, prov.wasDerivedFrom, minted("Article", where.article_id)),
        (node, kgo.evidence, zh(where.sentence)),
        (node, kgo.evidenceStart, integer(where.start)),
        (node, kgo.evidenceEnd, integer(where.end)),
        (node, kgo.extractor, plain(where.extractor)),
        (node, kgo.confidence, decimal(Decimal(str(fact.confidence)))),
        *entity_triples(fact.subject),
        *entity_triples(fact.object),
    ]
    subject, obj = entity_node(fact.subject), entity_node(fact.object)
    if kind == "Membership":
        role = fact.qualifier("role")
        out += entity_triples(role)
        out += [(node, org.member, subject), (node, org.organization, obj), (node, org.role, entity_node(role)),
                (subject, org.memberOf, obj)]
        return out
    out += [(node, rdf.type, kgo.Event), (node, kgo.agent, subject), (node, kgo.object, obj),
            (subject, DIRECT[kind], obj)]
    place: Region | None = fact.qualifier("place")
    if place is not None:
        region = minted("Region", place.key)
        out += [(node, kgo.place, region), (obj, kgo.inRegion, region)]
        out += region_triples(place)
    for partner in fact.qualifier("partners", []):
        p = entity_node(partner)
        out += entity_triples(partner)
        out += [(node, kgo.partner, p), (subject, kgo.partnersWith, p), (p, kgo.partnersWith, subject)]
    for label in fact.qualifier("beneficiaries", []):
        group, triples = _group(label)
        out += triples
        out.append((node, kgo.beneficiary, group))
        if kind == "Launch":
            out.append((obj, kgo.targets, group))
    stated = fact.qualifier("date")
    if stated is not None:
        out += date_triples(node, stated, published)
    amount = fact.qualifier("amount")
    if amount is not None:
        out += [(node, kgo.amount, decimal(amount.value)), (node, kgo.amountText, zh(amount.text)),
                (node, kgo.amountQualifier, plain(amount.qualifier))]
    count = fact.qualifier("count")
    if count is not None:
        out.append((node, kgo["count"], integer(count[0])))
    return out


def triples(articles: Iterable[Article], facts: Iterable[Fact]) -> Iterator[Triple]:
    dates = {}
    for article in articles:
        dates[article.id] = article.date
        yield from article_triples(article)
    for fact in facts:
        yield from fact_triples(fact, dates.get(fact.provenance.article_id))
