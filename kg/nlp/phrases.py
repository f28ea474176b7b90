"""Named phrases that end in a known suffix: organizations and facilities.

Chinese names of institutions are built right to left: a suffix (总工会, 人社局,
有限公司, 服务站) preceded by modifiers back to a region or a clause boundary.
So the finder locates suffixes and scans leftwards over characters until a
punctuation mark, a function word or a verb stops it, treating region mentions
as indivisible (于都县 must not be cut at 于).
"""
from __future__ import annotations

import re
from typing import Iterable

from kg.model import Mention
from kg.nlp.lexicon import (
    FACILITY_SUFFIXES,
    GENERIC_NAME_PARTS,
    LEFT_STOPS,
    ORG_SUFFIXES,
    UNION_SUFFIXES,
    alternation,
)

_CJK = re.compile(r"[\u3400-\u9fff·A-Za-z0-9（）()]")
_STOPS = sorted(set(LEFT_STOPS), key=len, reverse=True)
_KEEP = ("人力资源和社会保障", "和平", "和田", "于都", "为民", "同济", "同仁", "及时雨", "和谐")
MAX_NAME = 28

_ORG_RE = re.compile(f"(?:{alternation(UNION_SUFFIXES + ORG_SUFFIXES)})")
_FAC_RE = re.compile(f"(?:{alternation(FACILITY_SUFFIXES)})")
#: characters after a suffix that show it was not the end of a name (工会会员, 局面, 部分)
_NOT_END = re.compile(r"(?:会员|干部|工作|组织|主席|经费|法|面|分|门|长|员|际|署|理|件|分|属|系|委会)")
_GENERIC = re.compile(f"^(?:{alternation(GENERIC_NAME_PARTS)})+$")
_ABBREV_UNION = re.compile(r"(?<=[省市县区镇旗州])总(?=[^工结体量数值计部经书共裁监务督承包部署站理额额])")


def find_phrases(text: str, regions: list[Mention]) -> list[Mention]:
    """ORG and FACILITY mentions in ``text``; ``regions`` are REGION mentions already found."""
    region_at_end = {m.end: m for m in regions}
    found: list[Mention] = []
    for label, pattern in (("ORG", _ORG_RE), ("FACILITY", _FAC_RE)):
        for m in pattern.finditer(text):
            if _NOT_END.match(text, m.end()):
                continue
            start = _scan_left(text, m.start(), region_at_end)
            name = text[start:m.end()]
            if _acceptable(name, text[start:m.start()], regions, start):
                found.append(Mention(start, m.end(), label, name))
    found.extend(_abbreviated_unions(text, regions))
    return found


def _scan_left(text: str, pos: int, region_at_end: dict[int, Mention]) -> int:
    start = pos
    while start > 0 and pos - start < MAX_NAME:
        region = region_at_end.get(start)
        if region is not None:
            start = region.start
            continue
        ch = text[start - 1]
        if not _CJK.match(ch):
            break
        window = text[max(0, start - 10):start]
        if any(window.endswith(k) for k in _KEEP):
            keep = next(k for k in _KEEP if window.endswith(k))
            start -= len(keep)
            continue
        stop = next((s for s in _STOPS if window.endswith(s)), None)
        if stop is not None:
            break
        start -= 1
    # a name does not start with a bracket or digit
    while start < pos and text[start] in "（）()0123456789":
        start += 1
    return start


def _acceptable(name: str, modifier: str, regions: list[Mention], start: int) -> bool:
    """Reject bare suffixes and generic names (基层工会, 非公企业工会)."""
    if not modifier:
        return False
    if any(r.start == start for r in regions):
        return True
    core = modifier
    return len(core) >= 2 and not _GENERIC.match(core)


def _abbreviated_unions(text: str, regions: list[Mention]) -> Iterable[Mention]:
    """市总 / 县总 / 区总 / 省总, the newspapers' short form for a federation of trade unions.

    Kept as ORG mentions (with a region prefix when one is attached) so that
    the resolver can expand them to the full name stated earlier.
    """
    region_at_end = {m.end: m for m in regions}
    for m in _ABBREV_UNION.finditer(text):
        region = region_at_end.get(m.start())
        if region is not None:
            yield Mention(region.start, m.end(), "ORG", text[region.start:m.end()])
        elif m.start() >= 1:
            ch = text[m.start() - 1]
            prev = text[m.start() - 2] if m.start() >= 2 else ""
            if ch in "省市县区" and (not prev or not _CJK.match(prev) or prev in "该本"):
                yield Mention(m.start() - 1, m.end(), "ORG", text[m.start() - 1:m.end()])
