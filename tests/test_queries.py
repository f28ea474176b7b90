"""The competency questions of DESIGN.md as canned SPARQL queries (ontology/queries/*.rq).

Each query is checked as a file (self-contained, standard SPARQL, only the
contract's vocabulary) and run on the sample build; the expected rows come
from reading the pages in data/samples/, not from the output of the code.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.plugins.sparql import prepareQuery

from kg import query as q
from kg.rdf.vocab import KGO, PREFIXES
from kg.store import open_store
from kg.validate import ONTOLOGY_DIR

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
QUERIES = ONTOLOGY_DIR / "queries"

#: one query per competency question of DESIGN.md
NAMES = ("launches", "province_rollup", "programs_by_group", "partners", "money", "policies", "posts",
         "evidence", "hierarchy")
#: the vocabularies of the contract, with their namespaces
ALLOWED = {p: str(ns) for p, ns in PREFIXES.items() if p != "kgr"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def store(sample_build) -> ox.Store:
    return open_store(sample_build)


def run(store: ox.Store, sparql: str) -> list[dict[str, str]]:
    results = q.run(store, sparql)
    names = [v.value for v in results.variables]
    return [{n: q.term_text(row[n]) for n in names} for row in results]


def canned(store: ox.Store, name: str) -> list[dict[str, str]]:
    return run(store, q.canned(name))


def has(rows: list[dict[str, str]], **expected: str) -> bool:
    return any(all(row.get(k) == v for k, v in expected.items()) for row in rows)


# --------------------------------------------------------------------------- #
# The files


def test_one_query_per_competency_question():
    assert sorted(p.stem for p in QUERIES.glob("*.rq")) == sorted(NAMES)


@pytest.fixture(scope="module")
def declared() -> set:
    g = Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for kind in kinds for s in g.subjects(RDF.type, kind)}


@pytest.mark.parametrize("name", NAMES)
def test_query_file_states_its_question_in_chinese_and_english(name):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    assert text.startswith("# "), name
    comment = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comment.append(line)
    assert any(CJK.search(line) for line in comment), f"{name}: no question in Chinese"
    assert CJK.search(comment[0]), f"{name}: the first line is not the question in Chinese"
    english = next((line for line in comment[1:] if not CJK.search(line)), "")
    assert len(re.findall(r"[A-Za-z]+", english)) >= 4, f"{name}: no question in English after the Chinese one"


@pytest.mark.parametrize("name", NAMES)
def test_query_file_is_standard_self_contained_sparql(name, declared):
    """Full PREFIX declarations (no kg preamble needed), parsed by two SPARQL engines,
    and only the contract's vocabulary."""
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    prefixes = dict(re.findall(r"^PREFIX\s+(\w+):\s*<([^>]+)>", text, flags=re.MULTILINE))
    for prefix, namespace in prefixes.items():
        assert ALLOWED.get(prefix) == namespace, (name, prefix, namespace)
    body = re.sub(r"#[^\n]*", "", text)
    body = re.sub(r'"[^"\n]*"', '""', body)
    used = set(re.findall(r"(?<![\w?$])([a-z]+):[A-Za-z]", body))
    assert used <= set(prefixes), (name, used - set(prefixes))
    for term in re.findall(r"\bkgo:([A-Za-z]\w*)", body):
        assert KGO[term] in declared, (name, term)
    ox.Store().query(text)  # pyoxigraph, without kg's preamble: every prefix is declared
    prepareQuery(text)  # rdflib's parser


def test_unknown_canned_query_names_the_known_ones():
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="hierarchy"):
        q.canned("nonexistent")


# --------------------------------------------------------------------------- #
# The answers on the sample pages


def test_launches(store):
    rows = canned(store, "launches")
    # 000: 景德镇市总与银行联合开发“瓷都工贷”项目
    assert has(rows, organization="景德镇市总工会", program="瓷都工贷", region="景德镇市")
    # 003: 三亚市总工会……开展户外劳动者服务站点建设
    assert has(rows, organization="三亚市总工会", program="户外劳动者服务站点建设", region="三亚市")
    # 001: 乐平市总工会近年来精心打造乐平籍驻外农民工维权品牌
    assert has(rows, organization="乐平市总工会", program="乐平籍驻外农民工维权品牌", region="乐平市")
    assert {"organization", "program", "region", "date", "year"} <= set(rows[0])


def test_province_rollup_reaches_cities_counties_and_townships(store):
    rows = canned(store, "province_rollup")
    assert rows and {r["province"] for r in rows} == {"浙江省"}
    places = {r["place"] for r in rows}
    # 002: 大洲镇总工会 (衢州市衢江区) and 宁波市总工会, both in 浙江省
    assert {"大洲镇", "宁波市"} <= places
    assert has(rows, place="大洲镇", level="township", organization="衢州市衢江区大洲镇总工会")
    assert has(rows, place="宁波市", activity="policy", organization="宁波市总工会",
               object="关于进一步加强区域性工会联合会建设的意见")
    assert not places & {"景德镇市", "北京市", "哈密市"}


def _replace_in_body(text: str, old: str, new: str) -> str:
    """Replace ``old`` once in the query (not in its comments), as a user would."""
    lines = text.splitlines()
    hits = [i for i, line in enumerate(lines) if not line.lstrip().startswith("#") and old in line]
    assert len(hits) == 1, hits
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    return "\n".join(lines)


def test_province_rollup_for_another_province(store):
    """As the query's comment says: change the label in VALUES."""
    rows = run(store, _replace_in_body(q.canned("province_rollup"), '"浙江省"@zh', '"江西省"@zh'))
    places = {r["place"] for r in rows}
    # 000: 景德镇市; 001: 乐平市 (a county-level city of 景德镇市)
    assert {"景德镇市", "乐平市"} <= places
    assert {r["province"] for r in rows} == {"江西省"}


def test_province_rollup_of_xinjiang_reaches_the_corps(store):
    """新疆生产建设兵团 lies in 新疆 (kgo:partOf) without a GB/T 2260 code of its own; its
    facts (page 001) and its city 新星市's (page 004) roll up to 新疆, and to the Corps by its
    own name."""
    query = q.canned("province_rollup")
    xinjiang = run(store, _replace_in_body(query, '"浙江省"@zh', '"新疆维吾尔自治区"@zh'))
    assert has(xinjiang, place="新疆生产建设兵团", level="province", activity="launch",
               organization="新疆生产建设兵团总工会", object="工会进万家")
    assert {"新疆生产建设兵团", "新星市"} <= {r["place"] for r in xinjiang}
    corps = run(store, _replace_in_body(query, '"浙江省"@zh', '"新疆生产建设兵团"@zh'))
    assert {r["place"] for r in corps} == {"新疆生产建设兵团", "新星市"}
    assert has(corps, place="新星市", organization="新星市总工会", object="职工自主创业示范项目")


def test_programs_by_group_rolls_up_the_skos_hierarchy(store):
    rows = canned(store, "programs_by_group")
    # 001: 建立“农民工欠薪应急救助周转金”制度 (for migrant workers' unpaid wages)
    assert has(rows, group="农民工", program="农民工欠薪应急救助周转金", targeted="农民工")
    assert has(rows, group="职工", program="农民工欠薪应急救助周转金", targeted="农民工")  # 农民工 ⊑ 职工
    # 003: 三亚市总工会……开展户外劳动者服务站点建设
    assert has(rows, group="户外劳动者", program="户外劳动者服务站点建设", targeted="户外劳动者")
    assert has(rows, group="职工", program="户外劳动者服务站点建设", targeted="户外劳动者")  # 户外劳动者 ⊑ 职工
    # 001: 实施“双创扶持计划”,为小微企业及创业职工提供贴息贷款
    assert has(rows, group="小微企业", program="双创扶持计划")


def test_programs_by_group_rolls_up_two_levels():
    """A program for 快递小哥 (an alternative label of 快递员) counts for 快递员,
    新就业形态劳动者 and 职工: the build carries the scheme's skos:broader chain."""
    from kg.rdf.emit import group_node, kgo, minted, rdf, rdfs, zh
    from kg.rdf.ntriples import lines

    program = minted("Program", "快递员关爱行动")
    group, triples = group_node("快递小哥")
    triples += [(program, rdf.type, kgo.Program), (program, rdfs.label, zh("快递员关爱行动")),
                (program, kgo.targets, group)]
    small = ox.Store()
    small.bulk_load(input="".join(lines(triples)).encode(), format=ox.RdfFormat.N_TRIPLES)
    rows = canned(small, "programs_by_group")
    assert {r["group"] for r in rows} == {"快递员", "新就业形态劳动者", "职工"}
    assert {(r["program"], r["targeted"]) for r in rows} == {("快递员关爱行动", "快递员")}


def test_partners(store):
    rows = canned(store, "partners")
    # 004: 廊坊市总工会联合市人社局开展直播带岗活动
    assert has(rows, union="廊坊市总工会", partner="廊坊市人社局", partnerType="government",
               object="直播带岗活动", activity="launch", role="agent")
    # 004: 青海省民政厅、……、省总工会等多部门联合制定出台《青海省最低生活保障边缘家庭审核确认办法》
    assert has(rows, union="青海省总工会", partner="青海省民政厅", object="青海省最低生活保障边缘家庭审核确认办法",
               activity="policy", role="partner")


def test_money(store):
    rows = canned(store, "money")
    by_object = {(r["object"], r["region"]): r for r in rows}
    # 001: 每年列支500万元,建立“农民工欠薪应急救助周转金”制度
    fund = by_object[("农民工欠薪应急救助周转金", "吉林省")]
    assert float(fund["total"]) == 5_000_000 and fund["stated"] == "500万元"
    # 000: 北京市总推出全额返还小微企业工会经费政策,……返还工会经费3.57亿元
    refund = by_object[("全额返还小微企业工会经费政策", "北京市")]
    assert float(refund["total"]) == 357_000_000 and "北京市总工会" in refund["organizations"]
    # 000: a program the page attributed (景德镇市总…开发“瓷都工贷”项目) keeps its agent when a later
    # sentence gives its figures without one (据悉,…“瓷都工贷”项目共为25户企业提供…485万元的贷款)
    loans = by_object[("瓷都工贷", "景德镇市")]
    assert float(loans["total"]) == 4_850_000 and loans["organizations"] == "景德镇市总工会"
    totals = [float(r["total"]) for r in rows]
    assert totals == sorted(totals, reverse=True)


def test_policies(store):
    rows = canned(store, "policies")
    # 002: 2017年,宁波市总工会专门出台《关于进一步加强区域性工会联合会建设的意见》
    assert has(rows, organization="宁波市总工会", policy="关于进一步加强区域性工会联合会建设的意见", date="2017",
               stated="2017年")
    # 000: 新疆维吾尔自治区哈密市总工会出台《哈密市社会化工会工作者聘用管理办法(试行)》
    assert has(rows, organization="哈密市总工会", policy="哈密市社会化工会工作者聘用管理办法(试行)")


def test_posts(store):
    rows = canned(store, "posts")
    # 000: 聊城市总工会党组书记、常务副主席李献宾介绍
    assert has(rows, person="李献宾", post="党组书记、常务副主席", organization="聊城市总工会", region="聊城市")
    # 000: 景德镇市总工会党组书记、常务副主席伍恒明表示
    assert has(rows, person="伍恒明", post="党组书记、常务副主席", organization="景德镇市总工会")
    # 002: 衢江区总工会主席李诗海
    assert has(rows, person="李诗海", post="主席", organization="衢州市衢江区总工会")


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


def test_evidence_leads_back_to_the_sentence(store):
    rows = canned(store, "evidence")
    assert rows
    for row in rows:
        source = (SAMPLES / row["source"]).read_text(encoding="utf-8")
        assert _same_text(source[int(row["start"]) : int(row["end"])], row["evidence"]), row
        assert "瓷都工贷" in row["evidence"]
    # 000: 景德镇市总与银行联合开发“瓷都工贷”项目 (the later 据悉,“瓷都工贷”项目共为25户…
    # restates that event; its amount is merged into it, see test_money)
    assert any(r["source"] == "000_bc2e3fc0e41da68b.txt" and "联合开发" in r["evidence"] for r in rows)


def test_evidence_for_another_label(store):
    rows = run(store, _replace_in_body(q.canned("evidence"), '"瓷都工贷"@zh', '"李献宾"@zh'))
    assert has(rows, fact="post", source="000_bc2e3fc0e41da68b.txt")
    assert all("李献宾" in r["evidence"] for r in rows)


def test_hierarchy_from_a_township_to_the_national_federation(store):
    rows = canned(store, "hierarchy")
    parent = {}
    for row in rows:
        assert parent.setdefault(row["organization"], row["parent"]) == row["parent"], row  # one parent each
    chain = ["衢州市衢江区大洲镇总工会"]
    while chain[-1] in parent:
        chain.append(parent[chain[-1]])
        assert len(chain) < 10
    # 002 names 大洲镇总工会 and 衢江区总工会; the federations above come from the divisions
    assert chain == ["衢州市衢江区大洲镇总工会", "衢州市衢江区总工会", "衢州市总工会", "浙江省总工会", "中华全国总工会"]
    depth = {r["organization"]: int(r["depth"]) for r in rows}
    assert depth["衢州市衢江区大洲镇总工会"] == 4 and depth["浙江省总工会"] == 1
    # 001: 乐平市总工会 (乐平市 is a county-level city of 景德镇市)
    assert parent["乐平市总工会"] == "景德镇市总工会" and parent["景德镇市总工会"] == "江西省总工会"
    assert has(rows, organization="衢州市衢江区大洲镇总工会", region="大洲镇", level="township")
