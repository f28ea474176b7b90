"""`kg validate` and what the build emits for the ontology: SHACL conformance of the
sample build, violations of a broken copy, every kgo: term declared, org types,
the federation hierarchy and English labels."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.cli import main
from kg.errors import InputError, StoreError
from kg.rdf.english import english_org
from kg.rdf.federations import NATIONAL, federation_name, is_federation_of, parent_by_name, parent_federations
from kg.rdf.orgtypes import UNION_TYPES, org_type
from kg.rdf.vocab import KGO, KGR, ORG, mint
from kg.regions import RegionTable
from kg.validate import ONTOLOGY_DIR, format_violations, load_target, validate_target


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def graph(sample_build) -> Graph:
    return Graph().parse(sample_build / "graph.ttl", format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "schemes.ttl", format="turtle")


# --------------------------------------------------------------------------- #
# kg validate, through the command line


def test_sample_build_conforms(sample_build, graph):
    out = kg("validate", str(sample_build))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().splitlines()[-1].startswith(f"Conforms: {len(graph)} triples checked")
    assert "Violation" not in out.stdout


def test_broken_copy_does_not_conform(graph, tmp_path):
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    event = min(broken.subjects(RDF.type, KGO.Launch))
    broken.remove((event, KGO.agent, None))
    region = min(broken.subjects(KGO.adminCode, None))
    broken.set((region, KGO.adminCode, Literal("12AB")))
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")

    out = kg("validate", str(path))
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    event_name, region_name = (str(node).replace(str(KGR), "kgr:") for node in (event, region))
    assert any(re.match(rf"Violation\s+{re.escape(event_name)}\s+kgo:agent\s+Less than 1 values", line)
               for line in lines), out.stdout
    assert any(re.match(rf"Violation\s+{re.escape(region_name)}\s+kgo:adminCode\s+.*pattern", line)
               for line in lines), out.stdout
    assert len([line for line in lines if line.startswith("Violation")]) == 2, out.stdout
    assert out.stderr.strip() == f"Does not conform: 2 violation(s) in {len(broken)} triples"


@pytest.mark.parametrize(
    "make, code, message",
    [
        (lambda tmp: tmp / "missing", 2, "no such file or folder"),
        (lambda tmp: tmp, 3, "no kg build here"),
        (lambda tmp: (tmp / "bad.ttl", (tmp / "bad.ttl").write_text("this is not turtle <<"))[0], 2,
         "not readable as turtle (line 1:"),
    ],
    ids=["missing path", "folder without a build", "not RDF"],
)
def test_user_mistakes_are_one_line_errors(tmp_path, make, code, message):
    target = make(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_validate_target_reads_folders_and_files(sample_build, graph, tmp_path):
    assert len(load_target(sample_build)) == len(load_target(sample_build / "graph.nt")) == len(graph)
    small = tmp_path / "region.nt"
    small.write_text('<https://w3id.org/union-kg/resource/region/360200> '
                     '<https://w3id.org/union-kg/ontology#adminCode> "360200" .\n', encoding="utf-8")
    result, checked = validate_target(small)
    assert checked == 1 and not result.conforms  # used as a region, but not typed kgo:Region
    assert "kgo:Region" in format_violations(result, warnings=False)
    with pytest.raises(StoreError):
        load_target(sample_build / "store")
    with pytest.raises(InputError):
        load_target(sample_build / "nothing.ttl")


# --------------------------------------------------------------------------- #
# The build uses only declared terms and keeps the ontology's promises


def test_every_kgo_term_of_the_build_is_declared(graph, ontology):
    """Every kgo: predicate and class the build emits is declared in kg.ttl, with its kind."""
    predicates = {p for p in graph.predicates() if str(p).startswith(str(KGO))}
    classes = {o for o in graph.objects(None, RDF.type) if str(o).startswith(str(KGO))}
    assert {KGO.orgType, KGO.agent, KGO.partOf, KGO.adminCode} <= predicates
    assert {KGO.TradeUnion, KGO.Launch, KGO.Region} <= classes
    properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty))
    assert predicates - properties == set()
    assert classes - set(ontology.subjects(RDF.type, OWL.Class)) == set()
    # object properties point to nodes, datatype properties to literals
    for p in predicates:
        literal = {isinstance(o, Literal) for o in graph.objects(None, p)}
        assert literal == {(p, RDF.type, OWL.DatatypeProperty) in ontology}, p


def test_every_organization_has_one_org_type_of_the_scheme(graph, schemes):
    concepts = set(schemes.subjects(SKOS.inScheme, KGR["scheme/org-types"]))
    unions = set(graph.subjects(RDF.type, KGO.TradeUnion))
    for org in graph.subjects(RDF.type, KGO.Organization):
        types = list(graph.objects(org, KGO.orgType))
        assert len(types) == 1 and types[0] in concepts, (org, types)
        if org in unions:
            assert str(types[0]).rsplit("/", 1)[1] in UNION_TYPES, org


def _node(graph: Graph, label: str) -> URIRef:
    nodes = set(graph.subjects(RDFS.label, Literal(label, lang="zh")))
    assert len(nodes) == 1, (label, nodes)
    return nodes.pop()


def test_org_types_and_english_labels_in_the_build(graph):
    for label, kind, english in [
        ("景德镇市总工会", "federation", "Jingdezhen Municipal Federation of Trade Unions"),
        ("青海省民政厅", "government", "Qinghai Provincial Department of Civil Affairs"),
        ("吉林大学", "university", "Jilin University"),
        ("横店集团东磁股份有限公司工会", "enterprise-union", None),
        ("江西省总工会", "federation", "Jiangxi Provincial Federation of Trade Unions"),  # never named: derived
        (NATIONAL, "federation", "All-China Federation of Trade Unions"),
    ]:
        node = _node(graph, label)
        assert graph.value(node, KGO.orgType) == KGR[f"orgtype/{kind}"], label
        labels = [o for o in graph.objects(node, RDFS.label) if o.language == "en"]
        assert len(labels) == 1, (label, labels)
        if english:
            assert str(labels[0]) == english


def test_regions_carry_code_level_and_part_of_up_to_the_province(graph):
    regions = set(graph.subjects(RDF.type, KGO.Region))
    assert regions
    for region in regions:
        level = str(graph.value(region, KGO.adminLevel))
        code = graph.value(region, KGO.adminCode)
        if code is None:  # a township, or an area outside GB/T 2260 (新疆生产建设兵团): inside a coded region
            assert graph.value(graph.value(region, KGO.partOf), KGO.adminCode) is not None, region
        else:
            assert re.fullmatch(r"[1-9]\d{5}", str(code)), region
        assert any(o.language == "en" for o in graph.objects(region, RDFS.label)), region
        node, seen = region, 0
        while (parent := graph.value(node, KGO.partOf)) is not None:
            node, seen = parent, seen + 1
            assert seen < 4
        assert str(graph.value(node, KGO.adminLevel)) == "province", region
    dazhou = _node(graph, "大洲镇")
    assert [str(graph.value(r, RDFS.label, any=True)) for r in graph.transitive_objects(dazhou, KGO.partOf)]
    assert {str(graph.value(r, KGO.adminCode)) for r in graph.transitive_objects(dazhou, KGO.partOf)} >= {
        "330803", "330800", "330000"}  # 衢江区, 衢州市, 浙江省


def test_corps_is_a_province_level_area_inside_xinjiang(graph):
    """新疆生产建设兵团 (page 001) has no GB/T 2260 code: its facts are placed in it, it lies in
    新疆 (so a 新疆 roll-up finds them), its cities lie in it, and its federation answers to the
    national one."""
    corps = _node(graph, "新疆生产建设兵团")
    assert str(graph.value(corps, KGO.adminLevel)) == "province"
    assert graph.value(graph.value(corps, KGO.partOf), KGO.adminCode) == Literal("650000")
    assert "Xinjiang Production and Construction Corps" in {str(o) for o in graph.objects(corps, RDFS.label)}
    union = _node(graph, "新疆生产建设兵团总工会")
    assert corps in set(graph.objects(union, KGO.inRegion))
    assert graph.value(union, ORG.subOrganizationOf) == _node(graph, "中华全国总工会")
    # page 004: 新星市 is one of the Corps' cities (GB/T 2260 lists them as 新疆's 直辖县级行政区划)
    xinxing = _node(graph, "新星市")
    assert graph.value(xinxing, KGO.adminCode) == Literal("659011") and graph.value(xinxing, KGO.partOf) == corps
    assert graph.value(_node(graph, "新星市总工会"), ORG.subOrganizationOf) == union
    assert len(set(graph.subjects(KGO.place, corps))) >= 2  # the policy and the launch of 工会进万家


def test_minted_federations_are_the_nodes_named_in_articles(graph):
    """The parent minted for 衢州市衢江区大洲镇总工会 is the node of 衢州市衢江区总工会 named on page 002."""
    town = _node(graph, "衢州市衢江区大洲镇总工会")
    county = graph.value(town, ORG.subOrganizationOf)
    assert county == _node(graph, "衢州市衢江区总工会") == mint("Organization", "衢州市衢江区总工会")
    assert (None, ORG.member, None) not in graph or any(
        graph.value(m, ORG.organization) == county for m in graph.subjects(RDF.type, ORG.Membership))


def test_beneficiary_groups_are_scheme_concepts_with_their_broader_chain(graph):
    migrants = mint("BeneficiaryGroup", "农民工")
    workers = mint("BeneficiaryGroup", "职工")
    assert (migrants, SKOS.broader, workers) in graph
    assert (workers, RDF.type, KGO.BeneficiaryGroup) in graph
    # 广大职工 is an alternative label of 职工: no node of its own
    assert not set(graph.subjects(RDFS.label, Literal("广大职工", lang="zh")))


# --------------------------------------------------------------------------- #
# The rules behind them


@pytest.mark.parametrize(
    "name, kind",
    [
        ("景德镇市总工会", "federation"), ("中华全国总工会", "federation"), ("宁波市工会联合会", "federation"),
        ("上海工会", "federation"), ("景德镇市总工会女职工委员会", "union-committee"),
        ("景德镇市陶文旅集团工会", "enterprise-union"), ("行业性工会联合会", "industry-union"),
        ("景德镇市人社局", "government"), ("青海省民政厅", "government"), ("北京市人民政府", "government"),
        ("聊城市中级人民法院", "court"), ("中国邮政储蓄银行景德镇市分行", "bank"), ("招商银行", "bank"),
        ("江苏苏盐阀门机械有限公司", "company"), ("吉林大学", "university"), ("镇江市第一人民医院", "hospital"),
        ("四川省委", "party"), ("女律师志愿服务团", "social-organization"), ("调研组", "other"),
    ],
)
def test_org_type_rules(name, kind):
    assert org_type(name) == kind


def test_federation_names_follow_the_region_hierarchy():
    table = RegionTable.default()
    county = table.get("330803")  # 衢江区
    town = table.lookup("大洲镇", within=county)
    assert federation_name(town) == "衢州市衢江区大洲镇总工会"
    assert [name for name, _ in parent_federations(town)] == [
        "衢州市衢江区总工会", "衢州市总工会", "浙江省总工会", NATIONAL]
    assert [name for name, _ in parent_federations(table.get("360281"))] == [  # 乐平市
        "景德镇市总工会", "江西省总工会", NATIONAL]
    assert is_federation_of("乐平市总工会", table.get("360281"))
    assert not is_federation_of("景德镇市陶文旅集团工会", table.get("360200"))
    assert parent_by_name("景德镇市总工会女职工委员会") == ("景德镇市总工会", table.get("360200"))
    assert parent_by_name("景德镇市总工会") is None


@pytest.mark.parametrize(
    "name, english",
    [
        ("景德镇市总工会", "Jingdezhen Municipal Federation of Trade Unions"),
        ("江西省总工会", "Jiangxi Provincial Federation of Trade Unions"),
        ("北京市总工会", "Beijing Municipal Federation of Trade Unions"),
        ("阳谷县总工会", "Yanggu County Federation of Trade Unions"),
        ("武汉市江汉区总工会", "Wuhan Jianghan District Federation of Trade Unions"),
        ("武安市总工会", "Wu'an Municipal Federation of Trade Unions"),
        ("新疆维吾尔自治区总工会", "Xinjiang Uygur Autonomous Region Federation of Trade Unions"),
        ("中华全国总工会", "All-China Federation of Trade Unions"),
        ("景德镇市总工会女职工委员会", "Women Workers' Committee of the Jingdezhen Municipal Federation of Trade Unions"),
        ("廊坊市人社局", "Langfang Municipal Human Resources and Social Security Bureau"),
        ("四川省委", "Sichuan Provincial Party Committee"),
        ("镇江市第一人民医院", "Zhenjiang First People's Hospital"),
        ("瓷都工贷", "Ci Du Gong Dai"),
    ],
)
def test_english_labels(name, english):
    assert english_org(name) == english
