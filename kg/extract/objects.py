"""The object of an event verb: what was launched, issued or set up.

After a verb such as 开展, 出台 or 成立 comes the object phrase, up to the end
of the clause.  Its head noun says what it is: a document (《…》, 办法, 意见),
a facility or body (…中心, …服务站, …宣讲团) or a program (…活动, …行动,
…机制, or a name in quotes).  Enumerations (建成79家职工服务中心、2324家职工服务站)
give one object each; a list closed by 等 (竞赛、培训等活动) is one object.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.nlp.lexicon import COMMON_VERBS, FACILITY_SUFFIXES, POLICY_HEADS, PROGRAM_HEADS, alternation
from kg.nlp.quantities import parse_count
from kg.nlp.terms import unquote

_BOUNDARY = re.compile(r"[，,。；;：:！？!?\n]")
_LEAD = re.compile(
    r"(?:了|起|出|好|成|完|过|并|又|还|再|新|一系列|系列|一批|一个|一支|一项|一场|一次|多个|多项|多场|首个|首批|首家|首届|"
    r"第[一二三四五六七八九十\d]+[届期批次]|全市|全省|全县|全区|全面|各类|各项|以[“\"][^”\"]{1,30}[”\"]为主题的)+"
)
_COUNT = re.compile(r"(?:\d+|[一二两三四五六七八九十百千]+)(?:余|多)?(?:个|家|所|处|支|座|间|批|项|条|套|名)")
_FACILITY = re.compile(f"(?:{alternation(FACILITY_SUFFIXES + ('组织',))})$")
_POLICY = re.compile(f"(?:{alternation(POLICY_HEADS)})$")
_ETC = re.compile(f"等(?:一系列|系列|各类|多项)?(?:{alternation(PROGRAM_HEADS + FACILITY_SUFFIXES)})")
MAX_OBJECT = 32
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NP_END = re.compile(
    r"[，,。；;、：:！？!?（(“\d一二两三四五六七八九十—…]|和|及|与|并|等|的|为|让|使|将|在|向|对|给|于|以|提供|覆盖|"
    r"中|上|后|期间|工作|建设|体系|已|已经|正|也|都|还|均|共|累计|达|取得|得到|获得|受到|成为|被|把")
_HAS_VERB = re.compile(f"(?:{alternation(COMMON_VERBS + ('设立', '建成', '成立', '组建', '开展', '举办', '出台', '印发'))})")
_TITLE = re.compile(r"《([^《》]{2,80})》")
_QUOTE = re.compile(r"“([^“”]{2,40})”")
_QUOTE_RUN = re.compile(r"(?:“[^“”]{2,40}”[、和及与]?){2,}")
_TITLE_RUN = re.compile(r"(?:《[^《》]{2,80}》[、和及与]?)+")
#: heads that make an object a body although no name of a body ends that way (文体组织)
OBJECT_FACILITY_HEADS = ("组织",)
_ANY_HEAD = re.compile(f"(?:{alternation(PROGRAM_HEADS + POLICY_HEADS + FACILITY_SUFFIXES + OBJECT_FACILITY_HEADS)})")
_VERB_LEAD = re.compile(
    f"(?:{alternation(('落实', '推进', '推动', '开展', '实施', '建立', '健全', '完善', '深化', '启动', '推出', '打造', '加强', '创新', '组织', '举办', '建设', '制定', '出台', '印发', '设立'))})+"
)


#: an object made of nothing but determiners and generic modifiers before a generic head
_DESCRIPTION = re.compile(
    r"^(?:诸多|一项|一批|一系列|多项|各类|各项|这些|这项|一些|特色|重点|工会|工作|服务|有关|相关|相应)+"
    r"(?:品牌|项目|工作|服务|活动|举措|措施)$")


@dataclass(frozen=True)
class ObjectPhrase:
    start: int
    end: int
    text: str  # as stated, quotes included
    name: str  # the name: inside quotes or title marks when the phrase is one
    kind: str  # "Program", "Policy", "Facility"
    count: tuple[int, str] | None = None
    quoted: bool = False


def objects_after(text: str, pos: int, word_ends: frozenset[int] | set[int] = frozenset()) -> list[ObjectPhrase]:
    """Object phrases of a verb that ends at ``pos``; heads must end a word when ``word_ends`` is given."""
    end = _clause_end(text, pos)
    lead = _LEAD.match(text, pos, end)
    start = lead.end() if lead else pos
    clause = text[start:end]
    if not clause:
        return []
    run = _TITLE_RUN.match(text, start, end)
    if run and run.group(0).count("《") > 1:
        return [ObjectPhrase(start + t.start(), start + t.end(), t.group(0), t.group(1), "Policy", quoted=True)
                for t in _TITLE.finditer(run.group(0))]
    run = _QUOTE_RUN.match(text, start, end)
    if run and run.group(0).count("“") > 1:
        # 打造“精益求精工匠培育示范基地”“职业技能竞赛示范基地”等平台: one object per name
        return [ObjectPhrase(start + q.start(), start + q.end(), q.group(0), q.group(1), _kind(q.group(1)), quoted=True)
                for q in _QUOTE.finditer(run.group(0))]
    etc = _ETC.search(clause)
    if etc and "、" in clause[:etc.start()]:
        heads = [m.end() for m in _ANY_HEAD.finditer(clause, etc.end()) if m.start() <= etc.end() + 1]
        phrase = _phrase(text, start, start + (heads[-1] if heads else etc.end()), word_ends)
        return [phrase] if phrase else []
    items = clause.split("、")
    if len(items) >= 3 and all(2 <= len(i) <= 4 for i in items[:-1]):
        # 案例组、法官组、咨询组、调研组四支队伍: short coordinated heads are one collective object
        tail = re.match(r"[\u4e00-\u9fff]{2,4}?(?=\d|[一二两三四五六七八九十]+[个支家所项类])", items[-1])
        names = items[:-1] + [tail.group(0) if tail else items[-1]]
        if all(len(n) <= 4 for n in names):
            joined = "、".join(names)
            count = parse_count(items[-1][len(names[-1]):])
            return [ObjectPhrase(start, start + len(joined), joined, joined, _kind(names[0]), count)]
    out: list[ObjectPhrase] = []
    item_start = start
    for cut in [*_top_level(clause, "、"), len(clause)]:
        phrase = _phrase(text, item_start, start + cut, word_ends)
        if phrase:
            out.append(phrase)
        elif out:
            break  # the enumeration has ended
        item_start = start + cut + 1
    return out[:8]


def _top_level(clause: str, sep: str) -> list[int]:
    """Positions of ``sep`` outside brackets and quotes: 诉求中心(站、点) and
    “以赛促学、以赛促建”模式 are one item each."""
    depth, cuts = 0, []
    for i, ch in enumerate(clause):
        if ch in "(（“":
            depth += 1
        elif ch in ")）”":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            cuts.append(i)
    return cuts


def object_phrase(text: str, start: int, end: int, word_ends: frozenset[int] | set[int] = frozenset()) -> ObjectPhrase | None:
    """The object phrase that is exactly ``text[start:end]`` (a subject noun phrase: 爱心驿站建成), if any."""
    lead = _LEAD.match(text, start, end)
    return _phrase(text, lead.end() if lead else start, end, word_ends)


def _clause_end(text: str, pos: int) -> int:
    depth = 0
    for m in _CLAUSE_MARK.finditer(text, pos):  # (the brackets and boundaries only, not every character)
        ch = m.group()
        if ch in "“《「(（":
            depth += 1
        elif ch in "”》」)）":
            depth = max(0, depth - 1)
        elif depth == 0:
            return m.start()
    return len(text)


_CLAUSE_MARK = re.compile(f"[“《「(（”》」)）]|{_BOUNDARY.pattern}")


def _phrase(text: str, start: int, end: int, word_ends: frozenset[int] | set[int]) -> ObjectPhrase | None:
    count = None
    verb = _VERB_LEAD.match(text, start, end)
    if verb:
        start = verb.end()  # 健全落实…机制: the object follows the last verb
    m = _COUNT.match(text, start, end)
    if m:
        count = parse_count(m.group(0))
        start = m.end()
    span = text[start:end]
    cut = 0 if re.match(r"[^的]{0,8}[“《]", span) else _last_de(span)
    if cut:
        start, span = start + cut, span[cut:]
    if not span:
        return None
    if span in POLICY_HEADS:
        return ObjectPhrase(start, start + len(span), span, span, "Policy", count)  # 下发通知
    quote = re.search(r"[“《]", span)
    lead = 0
    if quote and 0 < quote.start() <= 8 and not _HAS_VERB.search(span[:quote.start()]) and \
            span[quote.start():].count("”" if span[quote.start()] == "“" else "》"):
        lead = quote.start()  # a short descriptor before a quoted name: 交友程序“四季恋歌·会缘”
    if span[lead] in "《“\"":
        q = span[lead:]
        close = {"《": "》", "“": "”", '"': '"'}[q[0]]
        j = q.find(close, 1)
        if j > 1:
            inner_end = j + 1
            tail = q[inner_end:]
            inner = q[1:j]
            # the whole noun phrase, up to its last head: 网上“互联互通”工作平台
            ends = [m.end() for m in _ANY_HEAD.finditer(tail[:12])
                    if (not word_ends or start + lead + inner_end + m.end() in word_ends)
                    and _NP_END.match(tail[m.end():] or "。")]
            whole = span[:lead + inner_end + (ends[-1] if ends else 0)]
            if q[0] == "《":
                return ObjectPhrase(start + lead, start + lead + inner_end, q[:inner_end], inner, "Policy", count,
                                    quoted=True)
            if (not ends or tail.startswith("的")) and re.search("[、，,]", inner):
                return None  # “纵向到底、横向到边”格局: a slogan, not the name of a program
            kind = _kind(whole.replace("”", "")) if ends else _kind(inner)
            if re.search(r"[A-Za-z0-9+]", inner) and not _ANY_HEAD.search(inner) and ends:
                # “1+N”社会化工会工作者培训机制: a label inside a longer name
                name = whole[lead:].replace("“", "").replace("”", "")
            elif kind == "Facility" and ends:
                name = whole[lead:].replace("“", "").replace("”", "")
            else:
                name = inner
            return ObjectPhrase(start, start + len(whole), whole, name, kind, count, quoted=True)
    # unquoted: the longest prefix that ends in a head noun
    best, head_start = None, 0
    for m in _ANY_HEAD.finditer(span):
        if not word_ends or start + m.end() in word_ends:
            best, head_start = m.end(), m.start()
    if best is None or best < (2 if count else 3) or best > MAX_OBJECT:
        return None
    phrase = span[:best]
    if "了" in phrase or _HAS_VERB.search(phrase[:head_start]):
        return None  # 职工参加了各项竞赛: a clause, not a name
    if (len(phrase) <= 3 and phrase[0] in "新该此这") or _DESCRIPTION.match(phrase):
        return None  # 新模式, 一项工会特色品牌, 重点服务项目: a description, not a name
    rest = span[best:]
    if rest and not _NP_END.match(rest):
        return None  # 工会法律援助|市场化: the noun phrase goes on past the head
    trailing = _COUNT.match(span, best)
    if trailing and count is None:
        count = parse_count(trailing.group(0))
    return ObjectPhrase(start, start + best, phrase, phrase, _kind(phrase), count)


def _last_de(span: str) -> int:
    """The position after the last 的 outside quotes and titles (0 if none)."""
    depth, last = 0, 0
    for i, ch in enumerate(span):
        if ch in "“《":
            depth += 1
        elif ch in "”》":
            depth = max(0, depth - 1)
        elif ch == "的" and depth == 0:
            last = i + 1
    return last


def _kind(phrase: str, titled: bool = False) -> str:
    if titled:
        return "Policy"
    bare = phrase.rstrip("”\"")
    if _FACILITY.search(bare):
        return "Facility"
    if _POLICY.search(bare) and not phrase.startswith("“"):
        return "Policy"
    return "Program"
