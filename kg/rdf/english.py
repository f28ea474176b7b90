"""English labels for organizations: translated where the pattern is known, pinyin otherwise.

An organization's name is a head and an institution suffix (景德镇市 + 总工会).
The suffix comes from a closed list of institution kinds; in the head, region
names (found with the GB/T 2260 table, chains included) become their English
names and everything else pinyin.  Bodies of a place's government and of its
federation take the place as an adjective, as in their official English
names: 景德镇市总工会 → Jingdezhen Municipal Federation of Trade Unions,
江西省总工会 → Jiangxi Provincial …, 阳谷县总工会 → Yanggu County …,
武汉市江汉区总工会 → Wuhan Jianghan District ….  Only generic rules: no
organization is named here.
"""
from __future__ import annotations

import functools
import itertools
import re

from kg.pinyin import syllables as _syllables
from kg.regions import Region, RegionTable

__all__ = ["english_org", "pinyin", "place_adjective"]

# suffix → (English, civic): civic bodies take their place as an adjective
# ("Municipal", "Provincial"); the longest matching suffix wins.
_SUFFIXES: dict[str, tuple[str, bool]] = {
    "总工会": ("Federation of Trade Unions", True),
    "工会联合会": ("Trade Union Federation", True),
    "工联会": ("Trade Union Federation", True),
    "总工委": ("Trade Union Working Committee", True),
    "女职工委员会": ("Women Workers' Committee", False),
    "工会委员会": ("Trade Union Committee", False),
    "各级工会": ("Trade Unions at All Levels", False),
    "工会": ("Trade Union", False),
    "人力资源和社会保障局": ("Human Resources and Social Security Bureau", True),
    "人社局": ("Human Resources and Social Security Bureau", True),
    "人力资源和社会保障厅": ("Department of Human Resources and Social Security", True),
    "人社厅": ("Department of Human Resources and Social Security", True),
    "民政厅": ("Department of Civil Affairs", True),
    "民政局": ("Civil Affairs Bureau", True),
    "财政厅": ("Department of Finance", True),
    "财政局": ("Finance Bureau", True),
    "住建厅": ("Department of Housing and Urban-Rural Development", True),
    "住建局": ("Housing and Urban-Rural Development Bureau", True),
    "教育厅": ("Department of Education", True),
    "教育局": ("Education Bureau", True),
    "人民政府": ("People's Government", True),
    "政府": ("Government", True),
    "人大常委会": ("People's Congress Standing Committee", True),
    "人民法院": ("People's Court", True),
    "人民医院": ("People's Hospital", False),
    "委组织部": ("Party Committee Organization Department", True),
    "党委": ("Party Committee", True),
    "党支部": ("Party Branch", False),
    "工人文化宫": ("Workers' Cultural Palace", True),
    "妇联": ("Women's Federation", True),
    "团委": ("Communist Youth League Committee", True),
    "分行": ("Branch", False),
    "支行": ("Sub-branch", False),
    "银行": ("Bank", False),
    "有限公司": ("Co., Ltd.", False),
    "公司": ("Company", False),
    "集团": ("Group", False),
    "大学": ("University", False),
    "学院": ("College", False),
    "医院": ("Hospital", False),
    "局": ("Bureau", True),
    "厅": ("Department", True),
}
_BY_LENGTH = sorted(_SUFFIXES, key=len, reverse=True)

#: suffixes that translate only after a place: 四川省委 (Sichuan Provincial Party Committee)
_AFTER_PLACE = {"委": ("Party Committee", True)}

#: heads of national bodies (中华全国总工会 → All-China Federation of Trade Unions)
_NATIONAL_HEADS = {"中华全国": "All-China", "全国": "All-China", "中国": "China"}

#: the English kind words RegionTable.english appends, longest first
_KINDS = (
    "Special Administrative Region", "Autonomous Region", "Autonomous Prefecture", "Autonomous County",
    "Autonomous Banner", "Forestry District", "Special District", "Mining District", "New Area",
    "Subdistrict", "Prefecture", "Province", "District", "Township", "County", "Banner", "League",
    "Town", "City",
)

_ORDINALS = dict(zip("一二三四五六七八九十", ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh",
                                              "Eighth", "Ninth", "Tenth")))
_ORDINAL = re.compile(r"第([一二三四五六七八九十])")


#: readings of characters in names that differ from pypinyin's default (都 of 首都, 瓷都: du, not dou)
_NAME_READINGS = {"都": "du"}


@functools.lru_cache(maxsize=65536)  # the same names recur in every article
def pinyin(text: str) -> str:
    """Pinyin without tones, words capitalized: 瓷都工贷 → Ci Du Gong Dai."""
    syllables = _syllables(text)
    if len(syllables) == len(text):
        syllables = [_NAME_READINGS.get(ch, s) for ch, s in zip(text, syllables)]
    return " ".join(s.capitalize() for s in syllables if s.strip())


def _plain(text: str) -> str:
    """Pinyin of a stretch of a name that is no place; 第一 → First."""
    parts: list[str] = []
    pos = 0
    for m in _ORDINAL.finditer(text):
        parts += [pinyin(text[pos : m.start()]), _ORDINALS[m.group(1)]]
        pos = m.end()
    parts.append(pinyin(text[pos:]))
    return " ".join(p for p in parts if p)


def place_adjective(region: Region) -> str:
    """The place as civic bodies name it: Jiangxi Provincial, Jingdezhen Municipal, Wu'an
    Municipal (a county-level city), Yanggu County, Jianghan District, Dazhou Town."""
    english = RegionTable.default().english(region)
    if region.name.endswith("省"):
        return f"{english} Provincial"
    if region.name.endswith("市"):
        return f"{english.removesuffix(' City')} Municipal"
    return english


def _short_place(region: Region) -> str:
    """A place named by its short form (上海, 肥城, 新疆): its English name without the kind."""
    english = RegionTable.default().english(region)
    for kind in _KINDS:
        if english.endswith(" " + kind):
            english = english[: -len(kind) - 1]
            break
    first = english.split(" ")[0]
    if " " in english and first.lower().replace("'", "") == pinyin(region.short).replace(" ", "").lower():
        english = first  # Xinjiang Uygur → Xinjiang (but Inner Mongolia stays)
    return english


def _head(head: str, civic: bool) -> tuple[str, bool]:
    """The English of a name's head, and whether the head is a place and nothing else."""
    if head in _NATIONAL_HEADS:
        return _NATIONAL_HEADS[head], False
    table = RegionTable.default()
    matches = [m for m in table.find(head) if m.region is not None]
    parts: list[str] = []
    pos = 0
    for i, m in enumerate(matches):
        if m.start > pos:
            parts.append(_plain(head[pos : m.start]))
        last = i == len(matches) - 1 and m.end == len(head)
        if m.text != m.region.name:
            parts.append(_short_place(m.region))
        elif last and civic:
            parts.append(place_adjective(m.region))
        else:
            parts.append(table.english(m.region))
        pos = m.end
    if pos < len(head):
        parts.append(_plain(head[pos:]))
    only_place = bool(matches) and matches[0].start == 0 and matches[-1].end == len(head) and all(
        a.end == b.start for a, b in itertools.pairwise(matches)
    )
    return " ".join(p for p in parts if p), only_place


@functools.lru_cache(maxsize=65536)
def english_org(name: str, region: Region | None = None) -> str:
    """An English label for an organization named ``name`` (``region``: the place its name
    states, if known; the name itself is what is translated)."""
    name = "".join(name.split())
    for suffix in _BY_LENGTH:
        if name.endswith(suffix):
            english, civic = _SUFFIXES[suffix]
            head = name[: -len(suffix)]
            inner = next((s for s in _BY_LENGTH if head.endswith(s) and len(head) > len(s)), None)
            if inner is not None and _SUFFIXES[inner][0] != english:
                # a body of an organization: 景德镇市总工会女职工委员会
                return f"{english} of the {english_org(head, region)}"
            cut = head.rfind("总工会") + len("总工会")
            if cut > len("总工会"):  # a body inside a federation: 哈密市总工会社会化工会
                own = " ".join(p for p in (_plain(head[cut:]), english) if p)
                return f"{own} of the {english_org(head[:cut], region)}"
            return " ".join(p for p in (_head(head, civic)[0], english) if p)
    for suffix, (english, civic) in _AFTER_PLACE.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            text, only_place = _head(name[: -len(suffix)], civic)
            if only_place:
                return f"{text} {english}"
    text, _ = _head(name, civic=False)
    return text or pinyin(name)
