"""Named phrases that end in a known suffix: organizations and facilities.

Chinese names of institutions are built right to left: a suffix (总工会, 人社局,
有限公司, 服务站) preceded by modifiers back to a clause boundary.  The finder
locates suffixes that end a jieba word (so 队 in 队伍 is no suffix) and extends
the name leftwards word by word while the words can modify a name — nouns,
place names, abbreviations, unknown words (new names) — stopping at verbs,
prepositions, conjunctions, particles, adverbs, pronouns, numerals and
punctuation.  Region mentions are indivisible (于都县 is not cut at 于).  A
union needs a proper modifier (a place, a company, an unknown word): 社会化工会
and 基层工会 are descriptions, not names.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter
from typing import Iterable

from kg.model import Mention
from kg.nlp.lexicon import (
    COMMON_VERBS,
    FACILITY_SUFFIXES,
    FACILITY_VERBS,
    LAUNCH_VERBS,
    POLICY_VERBS,
    GENERIC_NAME_PARTS,
    LEFT_STOPS,
    NAME_VERBS,
    ORG_SUFFIXES,
    UNION_SUFFIXES,
    alternation,
)
from kg.nlp.names import word_tags

Token = tuple[int, int]
MAX_NAME = 28
#: jieba dictionary tags that end a name when scanning leftwards
_STOP_TAGS = ("v", "p", "c", "u", "d", "r", "m", "q", "f", "t", "y", "e", "o", "w", "z", "ad", "ud", "ug", "uj",
              "ul", "uv", "uz", "vd", "vg")
#: tags of words that make a union's name proper
_PROPER_TAGS = ("ns", "nt", "nz", "nr", "j", "eng", "nrt", "nrfg")
_ORG_RE = re.compile(f"(?:{alternation(UNION_SUFFIXES + ORG_SUFFIXES)})")
_FAC_RE = re.compile(f"(?:{alternation(FACILITY_SUFFIXES)})")
_UNION_RE = re.compile(f"(?:{alternation(UNION_SUFFIXES)})$")
_SUFFIX_END = re.compile(f"(?:{alternation(UNION_SUFFIXES + ORG_SUFFIXES + FACILITY_SUFFIXES)})$")
_GENERIC = re.compile(f"^(?:{alternation(GENERIC_NAME_PARTS)})+$")
_STOPS = frozenset(LEFT_STOPS + COMMON_VERBS + LAUNCH_VERBS + FACILITY_VERBS + POLICY_VERBS)
_WORDLIKE = re.compile(r"^[\u3400-\u9fffA-Za-z0-9·（）()]+$")
_UNION_COMPOUND = re.compile(r"(?:工作者|会员|干部|经费|工作|组织|活动|阵地|资产|系统|章程|法)")
#: words that make a name proper by how they end (a company, a bureau, a village)
_PROPER_END = re.compile(r"(公司|集团|银行|大学|学院|医院|局|委|厂|社区|街道|镇|村)$")
#: a name ending like a post is a title (中共中央政治局常委), not an organization
_POST_END = re.compile(r"(?:常委|委员|书记|主任|局长|部长)$")
_STOP_CHARS = frozenset("由在对向为从把被将和与及这那是的了")
_ORDINAL = re.compile(r"^第[一二三四五六七八九十\d]{1,3}$")
# (a lookahead of the first characters spares the regex engine trying the alternatives at every position)
_LEVEL_UNION = re.compile(r"(?=[该本省市县区镇乡街])(该|本)?(?:[省市县区镇乡]|街道)总工会")
_ABBREV_UNION = re.compile(r"(?<=[省市县区镇旗州])总(?=[^工结体量数值计部经书共裁监务督承包署站理额])")


def find_phrases(text: str, tokens: list[Token], regions: list[Mention]) -> list[Mention]:
    """ORG and FACILITY mentions; ``tokens`` are the jieba words as character spans."""
    tags = word_tags()
    ends = set(map(itemgetter(1), tokens))
    starts = list(map(itemgetter(0), tokens))
    region_at_end = {m.end: m for m in regions}
    region_spans = [(m.start, m.end) for m in regions]
    found: list[Mention] = []
    for label, pattern in (("ORG", _ORG_RE), ("FACILITY", _FAC_RE)):
        for m in pattern.finditer(text):
            if m.end() not in ends and not any(s <= m.start() and m.end() == e for s, e in region_spans):
                continue  # the suffix ends inside a word: 队伍, 局面, 部分
            if label == "ORG" and m.group(0) == "工会" and _UNION_COMPOUND.match(text, m.end()):
                continue  # 社会化工会|工作者, 工会|会员: the union word modifies a longer noun
            first = bisect_right(starts, m.start()) - 1  # the token the suffix starts in
            if first < 0 or m.start() >= tokens[first][1]:
                continue  # (in the whitespace between tokens)
            t_start, t_end = tokens[first]
            if t_start < m.start() and len(m.group(0)) == 1 and (t_end - t_start < 3 or (
                    tags.get(text[t_start:t_end]) != "nt" and text[m.end() - 2:m.end()] in tags)):
                continue  # 全部, 干部, 战略部署 (not 邮政局): a one-character suffix inside a common word
            start, proper = _scan_left(text, tokens, first, m.start(), region_at_end, tags)
            name = text[start:m.end()]
            modifier = text[start:m.start()]
            if _acceptable(name, modifier, proper, label):
                found.append(Mention(start, m.end(), label, name))
    found.extend(_abbreviated_unions(text, regions))
    return found


def _scan_left(text: str, tokens: list[Token], first: int, suffix_start: int,
               region_at_end: dict[int, Mention], tags: dict[str, str]) -> tuple[int, bool]:
    """The start of the name whose suffix begins in token ``first``; and whether a proper word was seen."""
    start = tokens[first][0]
    proper = start < suffix_start and _is_proper(text[start:suffix_start], tags)
    i = first - 1
    while i >= 0 and suffix_start - start < MAX_NAME:
        region = region_at_end.get(start)
        if region is not None:
            start, proper = region.start, True
            while i >= 0 and tokens[i][0] >= start:
                i -= 1
            continue
        s, e = tokens[i]
        word = text[s:e]
        if len(word) == 2 and word[0] in _STOP_CHARS and word[1] in "省市县区镇":
            start = e - 1  # 由市|总工会 as jieba cuts it: the name starts after the preposition
            break
        if word[0] in _STOP_CHARS and len(word) > 1 or "是" in word:
            break  # 这是, 就是, 由于: the name ends here
        if _ORDINAL.match(word):  # 第三人民医院, 第一食品
            start, i = s, i - 1
            continue
        # a lone character's dictionary tag says little: it is often a piece of an unknown name (正泰)
        tagged_stop = len(word) > 1 and tags.get(word, "").startswith(_STOP_TAGS) and tags.get(word) not in ("vn", "vi") \
            and word not in NAME_VERBS
        if not _WORDLIKE.match(word) or word in _STOPS or tagged_stop or word.isdigit():
            break
        proper = proper or _is_proper(word, tags)
        start = s
        i -= 1
    while start < suffix_start and text[start] in "（）()0123456789":
        start += 1
    return start, proper


def _is_proper(word: str, tags: dict[str, str]) -> bool:
    tag = tags.get(word)
    return tag is None or tag in _PROPER_TAGS or bool(_PROPER_END.search(word))


def is_generic(name: str) -> bool:
    """Whether an organization name is a description (基层工会, 非公企业工会) rather than a name.
    A name jieba's dictionary lists as an organization (全国政协, 全国总工会) is a name."""
    if word_tags().get(name) == "nt":
        return False
    if name.startswith(("各级", "各", "所有", "全体")):
        return True  # 各级党委, 所有黄埔同学会: the bodies of a kind, not one body
    m = _SUFFIX_END.search(name)
    modifier = name[:m.start()] if m else name
    return len(modifier) < 2 or bool(_GENERIC.match(modifier)) or any(v in modifier for v in COMMON_VERBS)


def _acceptable(name: str, modifier: str, proper: bool, label: str) -> bool:
    """Reject bare suffixes and generic names (基层工会, 社会化工会, 非公企业工会)."""
    if label == "ORG" and modifier in ("省", "市", "县", "区", "镇") and not _UNION_RE.search(name):
        return True  # 县人社局, 市卫生健康委: a body of the place the article is about
    if len(modifier) < 2 or _GENERIC.match(modifier) or _POST_END.search(name):
        return False
    if _UNION_RE.search(name) or re.search("工会(?:联合会|委员会)$", name):
        return proper and "总工会" not in modifier  # 哈密市总工会|社会化工会工作者: the federation ends first
    return True


_COLLECTIVE_UNIONS = re.compile(
    r"(?=[各\d一二两三四五六七八九十])"
    r"(?:各级|(?:各|[\d一二两三四五六七八九十]+个)(?:县市区|县区|区县|县[（(]市、区[)）]|乡镇|镇街|街道|县|区|市))工会")


def _abbreviated_unions(text: str, regions: list[Mention]) -> Iterable[Mention]:
    """市总 / 县总 / 区总 / 省总, the newspapers' short form for a federation of trade unions."""
    region_at_end = {m.end: m for m in regions}
    for m in _COLLECTIVE_UNIONS.finditer(text):
        region = region_at_end.get(m.start())
        if region is not None:  # 哈密市各级工会, 聊城市8个县市区工会: the unions of a place, acting together
            yield Mention(region.start, m.end(), "ORG", text[region.start:m.end()])
    for m in _LEVEL_UNION.finditer(text):
        prev = text[m.start() - 1] if m.start() else ""
        if m.start() not in region_at_end and (not prev or not _WORDLIKE.match(prev) or m.group(1)):
            yield Mention(m.start(), m.end(), "ORG", m.group(0))
    for m in _ABBREV_UNION.finditer(text):
        region = region_at_end.get(m.start())
        if region is not None:
            yield Mention(region.start, m.end(), "ORG", text[region.start:m.end()])
        elif m.start() >= 1:
            prev = text[m.start() - 2] if m.start() >= 2 else ""
            if text[m.start() - 1] in "省市县区" and (not prev or not _WORDLIKE.match(prev) or prev in "该本"):
                yield Mention(m.start() - 1, m.end(), "ORG", text[m.start() - 1:m.end()])
