"""English labels for organizations: translated where the pattern is known, pinyin otherwise."""
from __future__ import annotations

from pypinyin import lazy_pinyin

from kg.regions import Region, RegionTable

#: suffix → English, longest first; the part before the suffix is the region or a name
_SUFFIXES = (
    ("总工会", "Federation of Trade Unions"),
    ("工会联合会", "Trade Union Federation"),
    ("女职工委员会", "Women Workers' Committee"),
    ("工会委员会", "Trade Union Committee"),
    ("各级工会", "Trade Unions at All Levels"),
    ("工会", "Trade Union"),
    ("人社局", "Human Resources and Social Security Bureau"),
    ("人民法院", "People's Court"),
    ("人民医院", "People's Hospital"),
    ("工人文化宫", "Workers' Cultural Palace"),
    ("分行", "Branch"),
    ("银行", "Bank"),
    ("有限公司", "Co., Ltd."),
    ("公司", "Company"),
    ("集团", "Group"),
    ("大学", "University"),
    ("学院", "College"),
    ("医院", "Hospital"),
    ("妇联", "Women's Federation"),
    ("团委", "Communist Youth League Committee"),
    ("局", "Bureau"),
    ("厅", "Department"),
)


def pinyin(text: str) -> str:
    """Pinyin without tones, words capitalized: 瓷都工贷 → Ci Du Gong Dai."""
    return " ".join(s.capitalize() for s in lazy_pinyin(text, errors=lambda c: list(c)) if s.strip())


def english_org(name: str, region: Region | None) -> str:
    table = RegionTable.default()
    for suffix, english in _SUFFIXES:
        if name.endswith(suffix):
            head = name[: -len(suffix)]
            if region is not None and head.endswith(region.name):
                lead = head[: -len(region.name)]
                place = table.english(region)
                return " ".join(p for p in (pinyin(lead) if lead else "", place, english) if p)
            return f"{pinyin(head)} {english}".strip()
    return pinyin(name)
