"""The kind of an organization (``kgo:orgType``) from its name.

A small rule table over the closed class of Chinese institution suffixes: the
first rule whose pattern matches the name decides.  Union bodies (names the
resolver types ``kgo:TradeUnion``) only ever get one of the four union types
of the scheme, everything else one of the others, so that the type agrees
with the class.  The values are the concepts of ``kgr:scheme/org-types`` in
``ontology/schemes.ttl``.  No rule names a particular organization.
"""
from __future__ import annotations

import functools
import re

from rdflib import URIRef

from kg.rdf.vocab import KGR

__all__ = ["UNION_TYPES", "org_type", "org_type_iri"]

UNION_TYPES = ("federation", "industry-union", "enterprise-union", "union-committee")

#: what makes a name a union body (the resolver's test for kgo:TradeUnion)
_UNION = re.compile(r"工会|工联会|总工委|工会工委|女职工委员会")

#: union bodies: (pattern, type), first match wins
_UNION_RULES: tuple[tuple[str, str], ...] = (
    (r"(女职工委员会|女职委|经费审查委员会|经审会)$", "union-committee"),
    (r"(行业|产业)性?工会(联合会|委员会)?$", "industry-union"),
    (r"(教育|卫生|金融|建设|邮电|农林|能源|交通|机械|冶金|化工|国防|海员)工会$", "industry-union"),
    (r"(公司|集团|厂|企业)(总)?工会(委员会)?$", "enterprise-union"),
    (r"总工会.+$", "union-committee"),  # a body inside a federation: 哈密市总工会社会化工会
    (r"(总工会|工会联合会|工联会|总工委|工会工委)$", "federation"),
    (r"工会$", "enterprise-union"),  # a grassroots union, unless its head is a place (below)
)

#: other organizations: (pattern, type), first match wins
_RULES: tuple[tuple[str, str], ...] = (
    (r"(党委|党组|党工委|党支部|党总支|[省市县区镇乡]委|组织部|宣传部|统战部|纪委|监委)$", "party"),
    (r"(法院|法庭)$", "court"),
    (r"(银行|分行|支行|信用社|信用联社|农商行)", "bank"),
    (r"(医院|卫生院|诊所|卫生服务中心)$", "hospital"),
    (r"(大学|学院|高校)$", "university"),
    (r"(学校|中学|小学|技校|幼儿园|职业学校)$", "school"),
    (r"(报社|日报|晚报|电视台|广播电台|融媒体中心|杂志社|出版社)$", "media"),
    (r"(妇联|团委|残联|共青团|协会|学会|基金会|商会|研究会|促进会|志愿服务团|志愿者服务队)$",
     "social-organization"),
    (r"(社区|居委会|村委会|村民委员会|居民委员会|村)$", "community"),
    (r"(公司|集团|企业|工厂|厂)$", "company"),
    (r"(人民政府|政府|人大常委会|人大|政协|局|厅|委员会|委|办公室|办)$", "government"),
)


def _is_place(text: str) -> bool:
    """Is ``text`` a region name (full or short), possibly followed by 各级?"""
    from kg.regions import RegionTable

    text = text.removesuffix("各级")
    if not text:
        return False
    return text in ("中国", "全国") or RegionTable.default().lookup(text) is not None


@functools.lru_cache(maxsize=65536)
def org_type(name: str, union: bool | None = None) -> str:
    """The org-type notation for an organization name: "federation", "bank", …, "other".

    ``union`` says whether the organization is a union body (a
    ``kgo:TradeUnion``); None decides from the name as the resolver does.
    """
    name = "".join(name.split())
    if union is None:
        union = bool(_UNION.search(name))
    if union:
        for pattern, kind in _UNION_RULES:
            if re.search(pattern, name):
                if kind == "enterprise-union" and pattern == r"工会$" and _is_place(name[: -len("工会")]):
                    return "federation"  # 上海工会, 哈密市各级工会: the unions of a place
                return kind
        return "union-committee"  # a body a union set up: 工会法律服务团
    for pattern, kind in _RULES:
        if re.search(pattern, name):
            return kind
    if _is_place(name):
        return "government"  # a place acting (资兴市实施…): its government
    return "other"


def org_type_iri(name: str, union: bool | None = None) -> URIRef:
    """The concept of ``kgr:scheme/org-types`` for an organization name."""
    return KGR[f"orgtype/{org_type(name, union)}"]
