#!/usr/bin/env python3
"""Write ``ontology/schemes.ttl``: the SKOS concept schemes of the ontology.

Two schemes, with their data below as plain Python literals:

* ``kgr:scheme/beneficiary-groups``: the groups that programs and events serve
  (职工, 农民工, 女职工, 户外劳动者, 新就业形态劳动者, ...). Each concept's IRI is
  ``kg.rdf.vocab.mint("BeneficiaryGroup", label_zh)``, so a group the build
  extracts from text under the same (canonical) name gets the same IRI as the
  concept here. Concepts are also typed ``kgo:BeneficiaryGroup``.
* ``kgr:scheme/org-types``: organization types, ``kgr:orgtype/NAME``, the values
  of ``kgo:orgType``. Concepts are also typed ``kgo:OrganizationType``.

Usage::

    python scripts/make_schemes.py            # (re)write ontology/schemes.ttl
    python scripts/make_schemes.py --check    # exit 1 if the file is out of date
    python scripts/make_schemes.py -o FILE    # write elsewhere

The output depends only on the data below, so reruns are byte-identical; the
file is written atomically (temporary file in the same folder, then rename).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:
    from kg.rdf.vocab import KGR, mint
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))
    from kg.rdf.vocab import KGR, mint

DEFAULT_OUTPUT = ROOT / "ontology" / "schemes.ttl"

GROUPS_SCHEME = str(KGR["scheme/beneficiary-groups"])
ORG_TYPES_SCHEME = str(KGR["scheme/org-types"])


@dataclass(frozen=True)
class Group:
    zh: str
    en: str
    definition: str  # English
    broader: tuple[str, ...] = ()  # prefLabels @zh of broader concepts; () = top concept
    alt: tuple[str, ...] = ()  # other Chinese names (skos:altLabel @zh)
    related: tuple[str, ...] = ()  # prefLabels @zh of related concepts


@dataclass(frozen=True)
class OrgType:
    name: str  # the last IRI segment: kgr:orgtype/NAME
    zh: str
    en: str
    definition: str
    alt: tuple[str, ...] = ()


# Beneficiary groups, in the order they are written (broader before narrower).
GROUPS: tuple[Group, ...] = (
    Group("职工", "workers", "Employees and workers in general, the people trade unions represent.",
          alt=("职工群众", "广大职工")),
    Group("农民工", "rural migrant workers",
          "Workers with a rural household registration who work away from farming, mostly in towns and cities.",
          broader=("职工",), alt=("进城务工人员", "外来务工人员", "农民工朋友")),
    Group("女职工", "women workers", "Women employees and workers.",
          broader=("职工",), alt=("女工", "女性职工")),
    Group("户外劳动者", "outdoor workers",
          "Workers whose work is done mainly outdoors: sanitation workers, couriers, delivery riders, traffic and construction workers and the like.",
          broader=("职工",), alt=("户外工作者", "户外职工")),
    Group("环卫工人", "sanitation workers", "Street cleaners and other sanitation workers.",
          broader=("户外劳动者",), alt=("环卫工", "环卫职工")),
    Group("建筑工人", "construction workers", "Workers on building and construction sites.",
          broader=("职工",), alt=("建筑业职工",)),
    Group("新就业形态劳动者", "workers in new forms of employment",
          "Workers employed through internet platforms or in flexible forms of employment: couriers, delivery riders, ride-hailing and truck drivers and the like.",
          broader=("职工",), alt=("新业态劳动者", "新就业群体", "新业态从业人员")),
    Group("快递员", "couriers", "Parcel couriers.",
          broader=("新就业形态劳动者",), alt=("快递小哥", "快递从业人员")),
    Group("外卖送餐员", "food-delivery riders", "Riders who deliver takeaway food for platforms.",
          broader=("新就业形态劳动者",), alt=("外卖骑手", "外卖小哥", "网约配送员")),
    Group("网约车司机", "ride-hailing drivers", "Drivers who take passengers booked through ride-hailing platforms.",
          broader=("新就业形态劳动者",), alt=("网约车驾驶员",)),
    Group("货车司机", "truck drivers", "Drivers of goods vehicles.",
          broader=("新就业形态劳动者",), alt=("卡车司机", "货车驾驶员")),
    Group("困难职工", "workers in hardship",
          "Workers (and their families) in material hardship, such as those on the unions' hardship register.",
          broader=("职工",), alt=("生活困难职工", "困难职工群体")),
    Group("劳模工匠", "model workers and craftsmen",
          "Model workers and master craftsmen together, as honoured and supported by the unions.",
          broader=("职工",), alt=("劳模和工匠人才",)),
    Group("劳模", "model workers", "Workers honoured with the title of model worker.",
          broader=("劳模工匠",), alt=("劳动模范",)),
    Group("工匠", "craftsmen", "Highly skilled craftsmen recognised for their workmanship.",
          broader=("劳模工匠",), alt=("工匠人才", "大国工匠")),
    Group("技能人才", "skilled workers", "Skilled and highly skilled technical workers.",
          broader=("职工",), alt=("技术工人", "高技能人才")),
    Group("产业工人", "industrial workers", "Workers in industry, the subject of the industrial workforce reform.",
          broader=("职工",), alt=("产业工人队伍",)),
    Group("一线职工", "front-line workers", "Workers on the front line of production and service.",
          broader=("职工",), alt=("一线工人", "基层一线职工")),
    Group("青年职工", "young workers", "Young employees and workers.",
          broader=("职工",), alt=("青年工人",)),
    Group("退休职工", "retired workers", "Retired employees and workers.",
          broader=("职工",), alt=("离退休职工", "退休人员")),
    Group("下岗失业职工", "laid-off and unemployed workers", "Workers who have been laid off or are unemployed.",
          broader=("职工",), alt=("下岗职工", "失业职工", "失业人员")),
    Group("医务人员", "medical workers", "Doctors, nurses and other health workers.",
          broader=("职工",), alt=("医护人员", "医务工作者")),
    Group("工会会员", "trade-union members", "Workers who are members of a trade union.",
          broader=("职工",), alt=("会员职工",)),
    Group("工会干部", "trade-union officials", "People who work for trade unions as officials or staff.",
          broader=("职工",), alt=("工会工作者",)),
    Group("职工子女", "workers' children", "Children of workers, e.g. as recipients of summer care or study grants.",
          alt=("职工子弟",)),
    Group("困难职工子女", "children of workers in hardship",
          "Children of workers in hardship, e.g. as recipients of study grants.",
          broader=("职工子女",), related=("困难职工",)),
    Group("农民工子女", "children of migrant workers", "Children of rural migrant workers.",
          broader=("职工子女",), alt=("农民工随迁子女",), related=("农民工",)),
    Group("残疾人", "persons with disabilities", "Persons with disabilities, employed or not.",
          alt=("残障人士",)),
    Group("求职者", "job seekers", "People looking for work.",
          alt=("求职人员",), related=("下岗失业职工",)),
    Group("高校毕业生", "university graduates", "Graduates of universities and colleges entering the labour market.",
          broader=("求职者",), alt=("大学毕业生", "应届毕业生")),
    Group("退役军人", "veterans", "Former members of the armed forces.",
          alt=("退役士兵",)),
    Group("小微企业", "small and micro enterprises", "Small and micro enterprises, e.g. as borrowers of union-backed loans."),
    Group("个体工商户", "individual businesses", "Self-employed individual businesses.",
          alt=("个体户",)),
)

ORG_TYPES: tuple[OrgType, ...] = (
    OrgType("federation", "总工会", "federation of trade unions",
            "A federation of trade unions: the All-China Federation of Trade Unions (全总) or a provincial, city, county or township federation (地方总工会).",
            alt=("地方总工会", "中华全国总工会", "全总")),
    OrgType("industry-union", "产业工会", "industrial union",
            "The union of an industry or sector, at national or local level.",
            alt=("行业工会",)),
    OrgType("enterprise-union", "企业工会", "enterprise union",
            "The grassroots union of one enterprise, institution or workplace.",
            alt=("基层工会",)),
    OrgType("union-committee", "工会专门委员会", "union committee",
            "A committee or department of a trade union, such as its women workers' committee (女职工委员会) or funds audit committee.",
            alt=("女职工委员会", "经费审查委员会")),
    OrgType("government", "政府部门", "government body",
            "A people's government or one of its departments, bureaus or commissions.",
            alt=("政府机关",)),
    OrgType("party", "党组织", "party organization",
            "An organization of the Communist Party of China: a party committee, one of its departments or a party branch.",
            alt=("党委",)),
    OrgType("court", "法院", "court", "A people's court at any level.",
            alt=("人民法院",)),
    OrgType("bank", "银行", "bank", "A bank or other financial institution.",
            alt=("金融机构",)),
    OrgType("company", "企业", "company", "A company or other enterprise, whatever its ownership.",
            alt=("公司",)),
    OrgType("university", "高校", "university", "A university, college or higher vocational school.",
            alt=("大学", "高等院校")),
    OrgType("school", "学校", "school", "A primary, secondary, vocational or training school.",
            alt=("中小学",)),
    OrgType("hospital", "医院", "hospital", "A hospital or other medical institution.",
            alt=("医疗机构",)),
    OrgType("media", "媒体", "media organization", "A newspaper, broadcaster or other news medium.",
            alt=("新闻媒体",)),
    OrgType("social-organization", "社会组织", "social organization",
            "A non-profit association, society, foundation or charity, or a people's organization other than the trade unions (共青团, 妇联, 残联, …).",
            alt=("社团", "协会")),
    OrgType("community", "社区", "community", "A residential community or village and its committee.",
            alt=("村", "居委会")),
    OrgType("other", "其他", "other", "Any other kind of organization."),
)


def group_iri(label_zh: str) -> str:
    return str(mint("BeneficiaryGroup", label_zh))


def org_type_iri(name: str) -> str:
    return str(KGR[f"orgtype/{name}"])


# --------------------------------------------------------------------------- #
# Turtle writing (by hand, for a stable and readable layout)

HEADER = """\
# GENERATED by scripts/make_schemes.py from the data in that script.
# Do not edit by hand: edit the script and run `python scripts/make_schemes.py`.
#
# SKOS concept schemes of the union-kg ontology (https://w3id.org/union-kg/ontology):
# beneficiary groups (IRIs minted with kg.rdf.vocab.mint("BeneficiaryGroup", label_zh))
# and organization types (the values of kgo:orgType).

@prefix kgo:     <https://w3id.org/union-kg/ontology#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _lit(text: str, lang: str | None = None) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _iri(iri: str) -> str:
    return f"<{iri}>"


def _block(subject: str, pairs: list[tuple[str, list[str]]]) -> str:
    lines = [_iri(subject)]
    for i, (pred, objects) in enumerate(pairs):
        end = " ." if i == len(pairs) - 1 else " ;"
        line = f"    {pred} {' , '.join(objects)}{end}"
        if len(line) > 100 and len(objects) > 1:  # one object per line
            line = f"    {pred}\n        " + " ,\n        ".join(objects) + end
        lines.append(line)
    return "\n".join(lines) + "\n"


def _check_data() -> None:
    labels = [g.zh for g in GROUPS]
    known = set(labels)
    if len(known) != len(labels):
        raise ValueError("duplicate beneficiary-group prefLabel")
    seen: set[str] = set()
    for g in GROUPS:
        for ref in g.broader + g.related:
            if ref not in known:
                raise ValueError(f"{g.zh}: unknown concept {ref!r}")
        for alt in g.alt:
            if alt in known or alt in seen:
                raise ValueError(f"{g.zh}: altLabel {alt!r} is not unique")
            seen.add(alt)
    names = [t.name for t in ORG_TYPES]
    if len(set(names)) != len(names):
        raise ValueError("duplicate organization type")


def render() -> str:
    """The whole of schemes.ttl as text."""
    _check_data()
    iri = {g.zh: group_iri(g.zh) for g in GROUPS}
    narrower: dict[str, list[str]] = {g.zh: [] for g in GROUPS}
    related: dict[str, set[str]] = {g.zh: set() for g in GROUPS}
    for g in GROUPS:
        for b in g.broader:
            narrower[b].append(g.zh)
        for r in g.related:  # skos:related is symmetric: state both directions
            related[g.zh].add(r)
            related[r].add(g.zh)
    tops = [g for g in GROUPS if not g.broader]

    out = [HEADER]

    out.append("\n# ---- beneficiary groups " + "-" * 54 + "\n\n")
    out.append(_block(GROUPS_SCHEME, [
        ("a", ["skos:ConceptScheme"]),
        ("skos:prefLabel", [_lit("Beneficiary groups", "en"), _lit("受益群体", "zh")]),
        ("rdfs:label", [_lit("Beneficiary groups", "en"), _lit("受益群体", "zh")]),
        ("dcterms:description", [_lit(
            "Groups of people (and of enterprises) that trade-union programs, policies and "
            "facilities serve; the values of kgo:beneficiary and kgo:targets.", "en")]),
        ("skos:hasTopConcept", [_iri(iri[g.zh]) for g in tops]),
    ]))
    for g in GROUPS:
        pairs: list[tuple[str, list[str]]] = [
            ("a", ["skos:Concept", "kgo:BeneficiaryGroup"]),
            ("skos:inScheme", [_iri(GROUPS_SCHEME)]),
        ]
        if not g.broader:
            pairs.append(("skos:topConceptOf", [_iri(GROUPS_SCHEME)]))
        pairs += [
            ("skos:prefLabel", [_lit(g.zh, "zh"), _lit(g.en, "en")]),
            ("rdfs:label", [_lit(g.zh, "zh"), _lit(g.en, "en")]),
        ]
        if g.alt:
            pairs.append(("skos:altLabel", [_lit(a, "zh") for a in g.alt]))
        pairs.append(("skos:definition", [_lit(g.definition, "en")]))
        if g.broader:
            pairs.append(("skos:broader", [_iri(iri[b]) for b in g.broader]))
        if narrower[g.zh]:
            pairs.append(("skos:narrower", [_iri(iri[n]) for n in narrower[g.zh]]))
        if related[g.zh]:
            order = [x.zh for x in GROUPS if x.zh in related[g.zh]]
            pairs.append(("skos:related", [_iri(iri[r]) for r in order]))
        out.append(f"\n# {g.zh}\n")
        out.append(_block(iri[g.zh], pairs))

    out.append("\n# ---- organization types " + "-" * 54 + "\n\n")
    out.append(_block(ORG_TYPES_SCHEME, [
        ("a", ["skos:ConceptScheme"]),
        ("skos:prefLabel", [_lit("Organization types", "en"), _lit("组织类型", "zh")]),
        ("rdfs:label", [_lit("Organization types", "en"), _lit("组织类型", "zh")]),
        ("dcterms:description", [_lit(
            "Kinds of organization named in trade-union news; the values of kgo:orgType.", "en")]),
        ("skos:hasTopConcept", [_iri(org_type_iri(t.name)) for t in ORG_TYPES]),
    ]))
    for t in ORG_TYPES:
        pairs = [
            ("a", ["skos:Concept", "kgo:OrganizationType"]),
            ("skos:inScheme", [_iri(ORG_TYPES_SCHEME)]),
            ("skos:topConceptOf", [_iri(ORG_TYPES_SCHEME)]),
            ("skos:notation", [_lit(t.name)]),
            ("skos:prefLabel", [_lit(t.zh, "zh"), _lit(t.en, "en")]),
            ("rdfs:label", [_lit(t.zh, "zh"), _lit(t.en, "en")]),
        ]
        if t.alt:
            pairs.append(("skos:altLabel", [_lit(a, "zh") for a in t.alt]))
        pairs.append(("skos:definition", [_lit(t.definition, "en")]))
        out.append("\n")
        out.append(_block(org_type_iri(t.name), pairs))
    return "".join(out)


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the file differs from what would be written")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is out of date: run python scripts/make_schemes.py", file=sys.stderr)
            return 1
        return 0
    write_atomically(args.output, text)
    print(f"wrote {args.output} ({len(GROUPS)} beneficiary groups, {len(ORG_TYPES)} organization types)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
