"""The ontology as an artefact: kg.ttl, schemes.ttl, shapes.ttl and kg.validate."""
from __future__ import annotations

import importlib.util
import re
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from kg.rdf.vocab import KGO, KGR, ORG, SCHEMA, mint
from kg.validate import ONTOLOGY_DIR, ValidationResult, format_violations, load_ontology, validate

ROOT = Path(__file__).resolve().parent.parent
KG_TTL = ONTOLOGY_DIR / "kg.ttl"
SCHEMES_TTL = ONTOLOGY_DIR / "schemes.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/union-kg/ontology")
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"

# The contract of DESIGN.md and of the build: these terms must stay declared.
CLASSES = {
    "Article", "Organization", "TradeUnion", "Region", "Program", "Policy", "Facility", "Person",
    "BeneficiaryGroup", "Event", "Launch", "PolicyIssuance", "FacilityEstablishment",
}
OBJECT_PROPERTIES = {
    "agent", "object", "place", "partner", "beneficiary", "launches", "issues", "establishes",
    "inRegion", "partnersWith", "targets", "partOf", "orgType",
}
DATATYPE_PROPERTIES = {
    "date", "dateText", "year", "earliest", "latest", "amount", "amountText", "amountQualifier",
    "count", "countText", "confidence", "evidence", "evidenceStart", "evidenceEnd", "extractor",
    "adminCode", "adminLevel",
}
ORG_TYPES = {
    "federation", "industry-union", "enterprise-union", "union-committee", "government", "party",
    "court", "bank", "company", "university", "school", "hospital", "media", "social-organization",
    "community", "other",
}
GROUPS_SCHEME = KGR["scheme/beneficiary-groups"]
ORG_TYPES_SCHEME = KGR["scheme/org-types"]


@pytest.fixture(scope="module")
def kg_graph() -> Graph:
    return Graph().parse(KG_TTL, format="turtle")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return Graph().parse(SCHEMES_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def _kgo_terms(graph: Graph) -> set[URIRef]:
    """Every kgo: IRI a graph mentions, in any position (and in SPARQL text)."""
    found: set[URIRef] = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(str(KGO)):
                found.add(term)
            elif isinstance(term, Literal):
                found.update(KGO[name] for name in re.findall(r"\bkgo:([A-Za-z]\w*)", str(term)))
    return found


def _declared(kg_graph: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for kind in kinds for s in kg_graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}


# --------------------------------------------------------------------------- #
# Syntax


@pytest.mark.parametrize("name", ["kg.ttl", "schemes.ttl", "shapes.ttl"])
def test_parses_in_rdflib_and_pyoxigraph(name):
    path = ONTOLOGY_DIR / name
    in_rdflib = Graph().parse(path, format="turtle")
    in_oxigraph = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(in_rdflib) > 0
    assert len(in_oxigraph) == len(in_rdflib)


def test_load_ontology_is_kg_and_schemes(kg_graph, schemes):
    ontology = load_ontology()
    assert len(ontology) == len(kg_graph) + len(schemes)
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology


# --------------------------------------------------------------------------- #
# kg.ttl


def test_ontology_header(kg_graph):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in kg_graph
    assert kg_graph.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert kg_graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/union-kg/ontology/0.1.0")
    for prop in (DCTERMS.title, DCTERMS.description):
        langs = {o.language for o in kg_graph.objects(ONTOLOGY_IRI, prop)}
        assert {"en", "zh"} <= langs, prop
    assert kg_graph.value(ONTOLOGY_IRI, DCTERMS.created).datatype == XSD.date
    assert kg_graph.value(ONTOLOGY_IRI, DCTERMS.license) is not None


def test_contract_terms_are_declared_with_their_kind(kg_graph):
    for name in CLASSES | {"OrganizationType"}:
        assert (KGO[name], RDF.type, OWL.Class) in kg_graph, name
    for name in OBJECT_PROPERTIES:
        assert (KGO[name], RDF.type, OWL.ObjectProperty) in kg_graph, name
    for name in DATATYPE_PROPERTIES:
        assert (KGO[name], RDF.type, OWL.DatatypeProperty) in kg_graph, name


def test_every_kgo_term_has_labels_and_definition(kg_graph):
    terms = {s for s in kg_graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(KGO))}
    assert len(terms) >= len(CLASSES | OBJECT_PROPERTIES | DATATYPE_PROPERTIES)
    for term in terms:
        labels = [o.language for o in kg_graph.objects(term, RDFS.label)]
        assert sorted(labels) == ["en", "zh"], term
        definitions = {o.language for o in kg_graph.objects(term, SKOS.definition)}
        assert "en" in definitions, term
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in kg_graph, term


def test_every_kgo_term_has_one_kind(kg_graph):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for term in _kgo_terms(kg_graph):
        assert sum((term, RDF.type, kind) in kg_graph for kind in kinds) == 1, term


def test_properties_have_domain_and_range(kg_graph):
    declared = _declared(kg_graph)
    for prop in kg_graph.subjects(RDF.type, OWL.ObjectProperty):
        if not str(prop).startswith(str(KGO)):
            continue
        assert kg_graph.value(prop, RDFS.domain) is not None, prop
        rng = kg_graph.value(prop, RDFS.range)
        if isinstance(rng, BNode):  # owl:unionOf (...)
            members = list(kg_graph.items(kg_graph.value(rng, OWL.unionOf)))
            assert members and all(m in declared for m in members), prop
        else:
            assert rng in declared, prop
    for prop in kg_graph.subjects(RDF.type, OWL.DatatypeProperty):
        if not str(prop).startswith(str(KGO)):
            continue
        assert kg_graph.value(prop, RDFS.domain) is not None, prop
        rng = kg_graph.value(prop, RDFS.range)
        if isinstance(rng, BNode):
            members = list(kg_graph.items(kg_graph.value(rng, OWL.unionOf)))
            assert set(members) == {XSD.date, XSD.gYearMonth, XSD.gYear}, prop
        else:
            assert str(rng).startswith((str(XSD), str(RDF))), prop


def test_datatypes_of_the_contract(kg_graph):
    expect = {
        "year": XSD.integer, "earliest": XSD.date, "latest": XSD.date, "amount": XSD.decimal,
        "count": XSD.integer, "confidence": XSD.decimal, "evidenceStart": XSD.integer,
        "evidenceEnd": XSD.integer, "extractor": XSD.string, "adminCode": XSD.string,
        "adminLevel": XSD.string, "amountQualifier": XSD.string, "evidence": RDF.langString,
        "dateText": RDF.langString, "amountText": RDF.langString, "countText": RDF.langString,
    }
    for name, datatype in expect.items():
        assert kg_graph.value(KGO[name], RDFS.range) == datatype, name


@pytest.mark.parametrize(
    "sub, relation, sup",
    [
        (KGO.Organization, RDFS.subClassOf, ORG.Organization),
        (KGO.TradeUnion, RDFS.subClassOf, KGO.Organization),
        (KGO.Region, RDFS.subClassOf, SCHEMA.AdministrativeArea),
        (KGO.Person, RDFS.subClassOf, PROV.Agent),
        (KGO.Person, RDFS.subClassOf, SCHEMA.Person),
        (KGO.BeneficiaryGroup, RDFS.subClassOf, SKOS.Concept),
        (KGO.Event, RDFS.subClassOf, PROV.Activity),
        (KGO.Launch, RDFS.subClassOf, KGO.Event),
        (KGO.PolicyIssuance, RDFS.subClassOf, KGO.Event),
        (KGO.FacilityEstablishment, RDFS.subClassOf, KGO.Event),
        (KGO.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
        (KGO.agent, RDFS.subPropertyOf, PROV.wasAssociatedWith),
        (KGO.partOf, RDFS.subPropertyOf, SCHEMA.containedInPlace),
        (KGO.evidenceStart, RDFS.subPropertyOf, URIRef(NIF + "beginIndex")),
        (KGO.evidenceEnd, RDFS.subPropertyOf, URIRef(NIF + "endIndex")),
        (KGO.orgType, RDFS.subPropertyOf, ORG.classification),
        (KGO.partOf, RDF.type, OWL.TransitiveProperty),
        (KGO.partnersWith, RDF.type, OWL.SymmetricProperty),
    ],
)
def test_alignments(kg_graph, sub, relation, sup):
    assert (sub, relation, sup) in kg_graph


def test_external_terms_are_referenced_not_redefined(kg_graph):
    """Terms of other vocabularies appear as subjects only with a type and rdfs:isDefinedBy,
    and every one that kgo terms are aligned to is declared."""
    external_subjects = {
        s for s in kg_graph.subjects()
        if isinstance(s, URIRef) and not str(s).startswith(str(KGO)) and s != ONTOLOGY_IRI
    }
    for term in external_subjects:
        predicates = set(kg_graph.predicates(term))
        assert predicates <= {RDF.type, RDFS.isDefinedBy}, (term, predicates)
    declared = _declared(kg_graph)
    for relation in (RDFS.subClassOf, RDFS.subPropertyOf):
        for sup in kg_graph.objects(None, relation):
            assert sup in declared, sup


def test_terms_used_by_shapes_and_schemes_are_declared(kg_graph, shapes, schemes):
    declared = _declared(kg_graph)
    undeclared = (_kgo_terms(shapes) | _kgo_terms(schemes)) - declared
    assert not undeclared, sorted(undeclared)


def test_terms_used_by_the_package_are_declared(kg_graph):
    """Every KGO.name / KGO["name"] in kg/ is declared (the build emits only declared terms)."""
    declared = _declared(kg_graph)
    used: dict[str, set[str]] = {}
    for path in (ROOT / "kg").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"\bKGO\.([A-Za-z_]\w*)\b", text) + re.findall(r"\bKGO\[\"([^\"]+)\"\]", text):
            used.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    missing = {name: sorted(files) for name, files in used.items() if KGO[name] not in declared}
    assert not missing, missing


def test_shape_targets_are_classes_of_the_ontology(kg_graph, shapes):
    declared = _declared(kg_graph)
    for target in shapes.objects(None, SH.targetClass):
        assert target in declared, target
    for target in shapes.objects(None, SH.targetSubjectsOf):
        assert target in declared, target


# --------------------------------------------------------------------------- #
# schemes.ttl


def _make_schemes_module():
    spec = importlib.util.spec_from_file_location("make_schemes", ROOT / "scripts" / "make_schemes.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


def test_schemes_file_is_up_to_date_with_its_generator():
    module = _make_schemes_module()
    assert SCHEMES_TTL.read_text(encoding="utf-8") == module.render(), (
        "run python scripts/make_schemes.py"
    )


def test_generator_writes_atomically_and_reruns_identically(tmp_path):
    module = _make_schemes_module()
    out = tmp_path / "schemes.ttl"
    assert module.main(["-o", str(out)]) == 0
    first = out.read_bytes()
    assert module.main(["-o", str(out)]) == 0
    assert out.read_bytes() == first
    assert module.main(["-o", str(out), "--check"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["schemes.ttl"]  # no temporary left behind


def test_two_concept_schemes(schemes):
    assert set(schemes.subjects(RDF.type, SKOS.ConceptScheme)) == {GROUPS_SCHEME, ORG_TYPES_SCHEME}
    for scheme in (GROUPS_SCHEME, ORG_TYPES_SCHEME):
        assert {o.language for o in schemes.objects(scheme, SKOS.prefLabel)} == {"zh", "en"}
        tops = set(schemes.objects(scheme, SKOS.hasTopConcept))
        assert tops == set(schemes.subjects(SKOS.topConceptOf, scheme))
        assert tops


def test_beneficiary_groups(schemes):
    groups = set(schemes.subjects(SKOS.inScheme, GROUPS_SCHEME))
    assert 25 <= len(groups) <= 40
    assert groups == set(schemes.subjects(RDF.type, KGO.BeneficiaryGroup))
    names = {}
    for group in groups:
        assert (group, RDF.type, SKOS.Concept) in schemes
        zh = [o for o in schemes.objects(group, SKOS.prefLabel) if o.language == "zh"]
        en = [o for o in schemes.objects(group, SKOS.prefLabel) if o.language == "en"]
        assert len(zh) == 1 and len(en) == 1, group
        assert group == mint("BeneficiaryGroup", str(zh[0])), (group, zh[0])
        assert Literal(str(zh[0]), lang="zh") in set(schemes.objects(group, RDFS.label))
        names[str(zh[0])] = group
    for name in ("职工", "农民工", "女职工", "户外劳动者", "新就业形态劳动者", "快递员", "外卖送餐员",
                 "网约车司机", "货车司机", "困难职工", "劳模", "工匠", "残疾人", "工会会员", "工会干部",
                 "一线职工", "青年职工", "退休职工", "下岗失业职工", "求职者", "小微企业", "高校毕业生"):
        assert name in names, name
    assert (names["职工"], SKOS.topConceptOf, GROUPS_SCHEME) in schemes
    assert (names["快递员"], SKOS.broader, names["新就业形态劳动者"]) in schemes
    assert (names["新就业形态劳动者"], SKOS.broader, names["职工"]) in schemes


def test_broader_and_narrower_agree_without_cycles(schemes):
    for narrow, broad in schemes.subject_objects(SKOS.broader):
        assert (broad, SKOS.narrower, narrow) in schemes
    for broad, narrow in schemes.subject_objects(SKOS.narrower):
        assert (narrow, SKOS.broader, broad) in schemes
    for concept in set(schemes.subjects(RDF.type, SKOS.Concept)):
        seen, frontier = set(), {concept}
        while frontier:
            frontier = {b for c in frontier for b in schemes.objects(c, SKOS.broader)} - seen
            assert concept not in frontier, concept
            seen |= frontier
        is_top = (concept, SKOS.topConceptOf, None) in schemes
        assert is_top != bool(set(schemes.objects(concept, SKOS.broader))), concept


def test_labels_are_unambiguous(schemes):
    """A surface form names one concept of a scheme (prefLabel or altLabel)."""
    for scheme in (GROUPS_SCHEME, ORG_TYPES_SCHEME):
        owner: dict[str, URIRef] = {}
        for concept in schemes.subjects(SKOS.inScheme, scheme):
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for label in schemes.objects(concept, prop):
                    if label.language == "zh":
                        assert owner.setdefault(str(label), concept) == concept, str(label)


def test_org_types(schemes):
    concepts = set(schemes.subjects(SKOS.inScheme, ORG_TYPES_SCHEME))
    assert concepts == {KGR[f"orgtype/{name}"] for name in ORG_TYPES}
    for concept in concepts:
        assert (concept, RDF.type, KGO.OrganizationType) in schemes
        assert {o.language for o in schemes.objects(concept, SKOS.prefLabel)} == {"zh", "en"}


# --------------------------------------------------------------------------- #
# shapes.ttl through kg.validate

ARTICLE = mint("Article", "000_test-0")
UNION = mint("TradeUnion", "景德镇市总工会")
COMMITTEE = mint("TradeUnion", "景德镇市总工会女职工委员会")
BANK = mint("Organization", "中国邮政储蓄银行景德镇市分行")
CITY = mint("Region", "360200")
PROVINCE = mint("Region", "360000")
PROGRAM = mint("Program", "瓷都工贷")
GROUP = mint("BeneficiaryGroup", "小微企业")  # a concept of schemes.ttl, not restated in the data
EVENT = KGR["event/test-launch"]
PERSON = mint("Person", "李明")
ROLE = mint("Role", "副主席")
MEMBERSHIP = KGR["membership/test-post"]


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def valid_graph() -> Graph:
    g = Graph()
    add = g.add
    # the article
    add((ARTICLE, RDF.type, KGO.Article))
    add((ARTICLE, DCTERMS.source, Literal("000_test.txt")))
    add((ARTICLE, DCTERMS.identifier, Literal("000_test-0")))
    add((ARTICLE, SCHEMA.headline, zh("景德镇市总工会推出“瓷都工贷”")))
    add((ARTICLE, SCHEMA.datePublished, Literal("2019-03-12", datatype=XSD.date)))
    # regions
    for node, code, level, label_zh, label_en in (
        (CITY, "360200", "city", "景德镇市", "Jingdezhen"),
        (PROVINCE, "360000", "province", "江西省", "Jiangxi"),
    ):
        add((node, RDF.type, KGO.Region))
        add((node, RDFS.label, zh(label_zh)))
        add((node, RDFS.label, Literal(label_en, lang="en")))
        add((node, KGO.adminCode, Literal(code)))
        add((node, KGO.adminLevel, Literal(level)))
    add((CITY, KGO.partOf, PROVINCE))
    # organizations
    add((UNION, RDF.type, KGO.TradeUnion))
    add((UNION, RDFS.label, zh("景德镇市总工会")))
    add((UNION, RDFS.label, Literal("Jingdezhen Federation of Trade Unions", lang="en")))
    add((UNION, SKOS.altLabel, zh("景德镇市总")))
    add((UNION, KGO.orgType, KGR["orgtype/federation"]))
    add((UNION, KGO.inRegion, CITY))
    add((COMMITTEE, RDF.type, KGO.TradeUnion))
    add((COMMITTEE, RDFS.label, zh("景德镇市总工会女职工委员会")))
    add((COMMITTEE, KGO.orgType, KGR["orgtype/union-committee"]))
    add((COMMITTEE, ORG.subOrganizationOf, UNION))
    add((BANK, RDF.type, KGO.Organization))
    add((BANK, RDFS.label, zh("中国邮政储蓄银行景德镇市分行")))
    add((BANK, KGO.orgType, KGR["orgtype/bank"]))
    # the program and the launch event
    add((PROGRAM, RDF.type, KGO.Program))
    add((PROGRAM, RDFS.label, zh("瓷都工贷")))
    add((PROGRAM, KGO.inRegion, CITY))
    add((PROGRAM, KGO.targets, GROUP))
    add((EVENT, RDF.type, KGO.Launch))
    add((EVENT, KGO.agent, UNION))
    add((EVENT, KGO.object, PROGRAM))
    add((EVENT, KGO.place, CITY))
    add((EVENT, KGO.partner, BANK))
    add((EVENT, KGO.beneficiary, GROUP))
    add((EVENT, KGO.date, Literal("2019", datatype=XSD.gYear)))
    add((EVENT, KGO.dateText, zh("2019年")))
    add((EVENT, KGO.year, Literal(2019)))
    add((EVENT, KGO.earliest, Literal("2019-01-01", datatype=XSD.date)))
    add((EVENT, KGO.latest, Literal("2019-12-31", datatype=XSD.date)))
    add((EVENT, KGO.amount, Literal(Decimal("20000"))))
    add((EVENT, KGO.amountText, zh("2万余元")))
    add((EVENT, KGO.amountQualifier, Literal("atLeast")))
    add((EVENT, KGO["count"], Literal(100)))
    add((EVENT, KGO.countText, zh("100余户")))
    add((EVENT, KGO.confidence, Literal(Decimal("0.85"))))
    add((EVENT, KGO.evidence, zh("2019年，景德镇市总工会联合邮储银行推出“瓷都工贷”。")))
    add((EVENT, KGO.evidenceStart, Literal(120)))
    add((EVENT, KGO.evidenceEnd, Literal(146)))
    add((EVENT, KGO.extractor, Literal("launch/0.1")))
    add((EVENT, PROV.wasDerivedFrom, ARTICLE))
    # direct triples beside the event
    add((UNION, KGO.launches, PROGRAM))
    add((UNION, KGO.partnersWith, BANK))
    add((BANK, KGO.partnersWith, UNION))
    # a post
    add((PERSON, RDF.type, KGO.Person))
    add((PERSON, RDFS.label, zh("李明")))
    add((PERSON, ORG.memberOf, UNION))
    add((ROLE, RDF.type, ORG.Role))
    add((ROLE, RDFS.label, zh("副主席")))
    add((ROLE, RDFS.label, Literal("vice-chair", lang="en")))
    add((MEMBERSHIP, RDF.type, ORG.Membership))
    add((MEMBERSHIP, ORG.member, PERSON))
    add((MEMBERSHIP, ORG.organization, UNION))
    add((MEMBERSHIP, ORG.role, ROLE))
    add((MEMBERSHIP, KGO.evidence, zh("景德镇市总工会副主席李明介绍。")))
    add((MEMBERSHIP, KGO.evidenceStart, Literal(200)))
    add((MEMBERSHIP, KGO.evidenceEnd, Literal(215)))
    add((MEMBERSHIP, KGO.extractor, Literal("post/0.1")))
    add((MEMBERSHIP, KGO.confidence, Literal(Decimal("0.9"))))
    add((MEMBERSHIP, PROV.wasDerivedFrom, ARTICLE))
    return g


def _set(g: Graph, s, p, o) -> Graph:
    g.remove((s, p, None))
    if o is not None:
        g.add((s, p, o))
    return g


def _short(iri) -> str:
    return str(iri).replace(str(KGR), "kgr:")


def test_valid_graph_conforms_without_warnings():
    result = validate(valid_graph())
    assert isinstance(result, ValidationResult)
    assert result.conforms, format_violations(result)
    assert result.violations == [], format_violations(result)
    assert format_violations(result) == ""


def test_validate_does_not_modify_its_input():
    g = valid_graph()
    before = set(g)
    validate(g)
    assert set(g) == before


def test_validate_accepts_a_file(tmp_path):
    path = tmp_path / "graph.ttl"
    valid_graph().serialize(path, format="turtle")
    assert validate(path).conforms


# (name, mutation, focus node, path, message fragment)
BROKEN = [
    ("missing agent", lambda g: _set(g, EVENT, KGO.agent, None), EVENT, "kgo:agent", "Less than 1"),
    ("two agents", lambda g: g.add((EVENT, KGO.agent, BANK)), EVENT, "kgo:agent", "More than 1"),
    ("agent not an organization", lambda g: _set(g, EVENT, KGO.agent, PERSON), EVENT, "kgo:agent",
     "kgo:Organization"),
    ("missing object", lambda g: _set(g, EVENT, KGO.object, None), EVENT, "kgo:object", "Less than 1"),
    ("launch of a policy", lambda g: _set(g, PROGRAM, RDF.type, KGO.Policy), EVENT, "kgo:object",
     "kgo:Program"),
    ("bad admin code", lambda g: _set(g, CITY, KGO.adminCode, Literal("12AB")), CITY, "kgo:adminCode", ""),
    ("admin code with leading zero", lambda g: _set(g, CITY, KGO.adminCode, Literal("060200")), CITY,
     "kgo:adminCode", ""),
    ("admin code as integer", lambda g: _set(g, CITY, KGO.adminCode, Literal(360200)), CITY,
     "kgo:adminCode", "xsd:string"),
    ("bad admin level", lambda g: _set(g, CITY, KGO.adminLevel, Literal("prefecture")), CITY,
     "kgo:adminLevel", ""),
    ("part of a non-region", lambda g: _set(g, CITY, KGO.partOf, UNION), CITY, "kgo:partOf", "kgo:Region"),
    ("confidence 1.5", lambda g: _set(g, EVENT, KGO.confidence, Literal(Decimal("1.5"))), EVENT,
     "kgo:confidence", "<= 1"),
    ("confidence as double", lambda g: _set(g, EVENT, KGO.confidence, Literal(0.5)), EVENT,
     "kgo:confidence", "xsd:decimal"),
    ("membership confidence -0.1", lambda g: _set(g, MEMBERSHIP, KGO.confidence, Literal(Decimal("-0.1"))),
     MEMBERSHIP, "kgo:confidence", ">= 0"),
    ("amount as string", lambda g: _set(g, EVENT, KGO.amount, Literal("20000")), EVENT, "kgo:amount",
     "xsd:decimal"),
    ("negative amount", lambda g: _set(g, EVENT, KGO.amount, Literal(Decimal("-5"))), EVENT, "kgo:amount",
     ">= 0"),
    ("negative count", lambda g: _set(g, EVENT, KGO["count"], Literal(-1)), EVENT, "kgo:count", ">= 0"),
    ("bad amount qualifier", lambda g: _set(g, EVENT, KGO.amountQualifier, Literal("roughly")), EVENT,
     "kgo:amountQualifier", ""),
    ("date as text", lambda g: _set(g, EVENT, KGO.date, Literal("今年")), EVENT, "kgo:date", ""),
    ("ill-formed gYearMonth", lambda g: _set(g, EVENT, KGO.date, Literal("2019-13", datatype=XSD.gYearMonth)),
     EVENT, "kgo:date", ""),
    ("earliest after latest", lambda g: _set(g, EVENT, KGO.earliest, Literal("2020-01-01", datatype=XSD.date)),
     EVENT, "kgo:earliest", ""),
    ("date text in English", lambda g: _set(g, EVENT, KGO.dateText, Literal("this year", lang="en")), EVENT,
     "kgo:dateText", ""),
    ("missing evidence", lambda g: _set(g, EVENT, KGO.evidence, None), EVENT, "kgo:evidence", "Less than 1"),
    ("evidence without language", lambda g: _set(g, EVENT, KGO.evidence, Literal("句子")), EVENT,
     "kgo:evidence", ""),
    ("offsets reversed", lambda g: _set(g, EVENT, KGO.evidenceStart, Literal(500)), EVENT,
     "kgo:evidenceStart", ""),
    ("missing derivation", lambda g: _set(g, EVENT, PROV.wasDerivedFrom, None), EVENT, "prov:wasDerivedFrom",
     "Less than 1"),
    ("derived from a non-article", lambda g: _set(g, EVENT, PROV.wasDerivedFrom, PROGRAM), EVENT,
     "prov:wasDerivedFrom", "kgo:Article"),
    ("missing label", lambda g: _set(g, UNION, RDFS.label, None), UNION, "rdfs:label", "@zh"),
    ("English label only", lambda g: _set(g, PROGRAM, RDFS.label, Literal("Porcelain loan", lang="en")), PROGRAM,
     "rdfs:label", "@zh"),
    ("role without label", lambda g: _set(g, ROLE, RDFS.label, None), ROLE, "rdfs:label", "@zh"),
    ("membership without role", lambda g: _set(g, MEMBERSHIP, ORG.role, None), MEMBERSHIP, "org:role",
     "Less than 1"),
    ("member not a person", lambda g: _set(g, MEMBERSHIP, ORG.member, BANK), MEMBERSHIP, "org:member",
     "kgo:Person"),
    ("membership evidence missing", lambda g: _set(g, MEMBERSHIP, KGO.evidence, None), MEMBERSHIP,
     "kgo:evidence", "Less than 1"),
    ("article without source", lambda g: _set(g, ARTICLE, DCTERMS.source, None), ARTICLE, "dcterms:source",
     "Less than 1"),
    ("article without headline", lambda g: _set(g, ARTICLE, SCHEMA.headline, None), ARTICLE, "schema:headline",
     "Less than 1"),
    ("unknown org type", lambda g: _set(g, BANK, KGO.orgType, KGR["orgtype/nonexistent"]), BANK, "kgo:orgType",
     ""),
    ("beneficiary not a group", lambda g: _set(g, EVENT, KGO.beneficiary, KGR["group/unknown"]), EVENT,
     "kgo:beneficiary", ""),
    ("untyped event", lambda g: _set(g, EVENT, RDF.type, None), EVENT, "", "kgo:Event"),
    ("untyped region", lambda g: _set(g, CITY, RDF.type, None), CITY, "", "kgo:Region"),
]


@pytest.mark.parametrize("name, mutate, focus, path, fragment", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_graph_does_not_conform(name, mutate, focus, path, fragment):
    g = valid_graph()
    mutate(g)
    result = validate(g)
    assert not result.conforms, name
    hits = [v for v in result.errors if v.focus == _short(focus) and v.path == path]
    assert hits, format_violations(result)
    assert any(fragment in v.message for v in hits), format_violations(result)


def test_conventions_are_warnings_that_do_not_break_conformance():
    g = valid_graph()
    g.add((EVENT, KGO.amount, Literal(Decimal("30000"))))  # a second amount
    g.remove((MEMBERSHIP, KGO.extractor, None))
    g.add((PROGRAM, RDFS.label, zh("瓷都工贷项目")))  # a second @zh label
    result = validate(g)
    assert result.conforms, format_violations(result)
    assert result.errors == []
    found = {(v.focus, v.path) for v in result.warnings}
    assert found == {
        (_short(EVENT), "kgo:amount"),
        (_short(MEMBERSHIP), "kgo:extractor"),
        (_short(PROGRAM), "rdfs:label"),
    }, format_violations(result)


@pytest.mark.parametrize("name", ["missing agent", "launch of a policy", "untyped region", "unknown org type"])
def test_inference_none_gives_the_same_results(name):
    """The shapes need only rdfs:subClassOf in the data graph, which SHACL follows by itself:
    inference="none" is a faster way to the same report."""
    mutate = next(b[1] for b in BROKEN if b[0] == name)
    g = valid_graph()
    mutate(g)
    assert validate(g, inference="none") == validate(g)


def test_violations_are_short_prefixed_strings():
    g = _set(valid_graph(), EVENT, KGO.agent, None)
    _set(g, EVENT, KGO.confidence, Literal(Decimal("1.5")))
    result = validate(g)
    agent = next(v for v in result.violations if v.path == "kgo:agent")
    assert agent.focus == "kgr:event/test-launch"
    assert agent.severity == "Violation"
    assert agent.message == "Less than 1 values"
    assert agent.shape == "kgsh:EventShape"
    confidence = next(v for v in result.violations if v.path == "kgo:confidence")
    assert confidence.value == '"1.5"^^xsd:decimal'
    assert confidence.shape == "kgsh:ProvenanceShape"
    lines = format_violations(result).splitlines()
    assert len(lines) == len(result.violations)
    assert re.match(r"Violation\s+kgr:event/test-launch\s+kgo:agent\s+Less than 1 values", lines[0])


# ------------------------------------------------------------------ pinyin of names


@pytest.mark.parametrize("text", [
    "吉林苏盐阀门机械有限公司/栗潇朝",  # a person's key: organization / name
    "第1届ABC工会〇号",  # digits, Latin letters and 〇 (which pypinyin reads)
    "2024年“职工服务月”暨绿色出行",  # punctuation; 绿 is lü (written lv)
    "重庆市长寿区",  # phrase readings: chong qing, zhang shou
    "",
])
def test_pinyin_by_runs_is_pypinyins_reading_of_the_whole_text(text):
    from pypinyin import lazy_pinyin

    from kg.pinyin import syllables

    assert syllables(text) == lazy_pinyin(text, errors=lambda chars: list(chars))
    assert syllables(text, others=False) == lazy_pinyin(text, errors="ignore")


def test_iris_of_names_are_their_pinyin_and_a_digest():
    assert re.search(r"/org/jingdezhenshizonggonghui-[0-9a-f]{8}$", str(mint("Organization", "景德镇市总工会")))
    person = str(mint("Person", "吉林苏盐阀门机械有限公司/栗潇朝"))  # (slugs stop at 40 letters)
    assert re.search(r"/person/jilinsuyanfamenjixieyouxiangongsilixiaoc-[0-9a-f]{8}$", person)
