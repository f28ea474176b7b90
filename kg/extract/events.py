"""Events stated by a verb: who did what, where, when, with whom, for whom.

One pass per sentence finds event verbs (开展, 出台, 成立 …) and their object
phrases; the object's head decides the event class, so 建立…机制 is a Launch
and 建立…服务站 a FacilityEstablishment.  The agent is the organization in
subject position before the verb (or, for a sentence without one, the
organization the article is about); partners follow 联合/与/会同; place,
date, amount, count and beneficiaries are read from the same sentence.
The three registered extractors (launch, policy, facility) each keep the
events of their class.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.context import ArticleContext
from kg.extract.objects import ObjectPhrase, object_phrase, objects_after
from kg.model import Entity, Fact, Mention
from kg.nlp.lexicon import COMMON_VERBS, FACILITY_VERBS, LAUNCH_VERBS, POLICY_HEADS, POLICY_VERBS, alternation
from kg.nlp.quantities import parse_amount, parse_date, qualify
from kg.nlp.terms import unquote
from kg.regions import LEVELS, Region

VERBS_OF = {"Program": frozenset(LAUNCH_VERBS), "Policy": frozenset(POLICY_VERBS),
            "Facility": frozenset(FACILITY_VERBS)}
EVENT_CLASS = {"Program": "Launch", "Policy": "PolicyIssuance", "Facility": "FacilityEstablishment"}
_VERB = re.compile(f"(?:{alternation(LAUNCH_VERBS + FACILITY_VERBS + POLICY_VERBS)})")
_NEGATION = re.compile(r"(?:未|没有|不再|尚未|拟|将要|计划)$")
_PURPOSE = re.compile(r"为了|以便|便于")
_IRREALIS = re.compile(r"有利于|有助于|旨在|(?<![主重需只想])要(?!求)|应当|必须|务必")
_FUTURE = re.compile(r"将(?:继续|不断|进一步|持续|全力|努力|着力|加快|逐步|大力|在)|今后|下一步|接下来")
AGENT_LABELS = ("ORG", "FACILITY")
#: dates that say nothing about when (the gold file leaves them null, and so do we)
VAGUE_DATES = frozenset(("日前", "近日", "近期", "目前", "此前"))
#: how far back from the verb a subject may stand
MAX_SUBJECT_GAP = 60


@dataclass(frozen=True)
class EventCandidate:
    kind: str  # Launch, PolicyIssuance, FacilityEstablishment
    sentence: tuple[int, int]
    verb: tuple[int, int]
    obj: ObjectPhrase
    agent: Mention | None
    agent_stated: bool


def candidates(ctx: ArticleContext) -> list[EventCandidate]:
    """All event candidates of an article (cached on the context)."""
    cached = getattr(ctx, "_event_candidates", None)
    if cached is None:
        cached = list(_find(ctx))
        ctx._event_candidates = cached  # type: ignore[attr-defined]
    return cached


def _find(ctx: ArticleContext):
    text = ctx.text
    # before the body names its organization, the headline's union is the topic: a kicker
    # (为女职工定制医疗保险;成立爱心互助会——) is printed above the headline that names it
    topic = next((m for m in ctx.within(0, len(ctx.article.headline), ("ORG",)) if _is_union(m)), None)
    seen: set[tuple[int, int]] = set()
    for sentence in ctx.sentences:
        s_start, s_end = sentence
        orgs = ctx.within(s_start, s_end, AGENT_LABELS + ("REGION",))
        subject: Mention | None = None  # 资兴市实施…工程，出台…政策: later predicates share the subject
        for verb in _VERB.finditer(text, s_start, s_end):
            if not _is_verb(ctx, verb, s_start):
                continue
            found = _passive(ctx, orgs, s_start, verb) or _clause_final(ctx, orgs, s_start, verb, topic)
            if found is None:
                objects = [_with_target(text, s_start, verb, o) for o in objects_after(text, verb.end(), ctx.word_ends)]
                agent, stated = _agent(ctx, orgs, s_start, verb.start(), subject or topic) if objects else (None, False)
                found = [(o, agent, stated) for o in objects]
            for obj, agent, stated in found:
                obj = _as_policy(obj, verb.group(0))
                if agent is None or (obj.start, obj.end) in seen or verb.group(0) not in VERBS_OF[obj.kind]:
                    continue
                seen.add((obj.start, obj.end))
                if stated:
                    subject = agent
                if stated and agent.label == "ORG" and _is_union(agent):
                    topic = agent
                yield EventCandidate(EVENT_CLASS[obj.kind], sentence, verb.span(), obj, agent, stated)
        if topic is None:  # (not 中国工会 in 中国工会十八大召开后: it modifies another noun)
            topic = next((m for m in orgs if _is_union(m) and not _NOT_SUBJECT_AFTER.match(text, m.end)), None)
        for obj, agent, stated in [*_named(ctx, sentence, orgs, topic, seen),
                                   *_nominalized(ctx, sentence, orgs, topic, seen)]:
            seen.add((obj.start, obj.end))
            yield EventCandidate(EVENT_CLASS[obj.kind], sentence, (obj.start, obj.start), obj, agent, stated)


def _as_policy(obj: ObjectPhrase, verb: str) -> ObjectPhrase:
    """出台…政策 issues a policy; 推出…政策 or 实施…政策 runs it as a program."""
    if obj.kind == "Program" and verb in VERBS_OF["Policy"] and obj.name.endswith(("政策", "措施")):
        return ObjectPhrase(obj.start, obj.end, obj.text, obj.name, "Policy", obj.count, obj.quoted)
    return obj


def _is_union(m: Mention) -> bool:
    """A union that can be what the article is about: one body, not the unions of a
    place acting together (哈密市各级工会, 聊城市8个县市区工会)."""
    return m.label == "ORG" and ("工会" in m.text or m.text.endswith("总")) and not _COLLECTIVE.search(m.text)


_COLLECTIVE = re.compile(r"各级|各[县区市镇乡街]|[\d一二两三四五六七八九十]+个")


def _is_verb(ctx: ArticleContext, verb: re.Match[str], s_start: int) -> bool:
    text = ctx.text
    if ctx.inside_name[verb.start()]:
        return False  # the verb is inside a name (建设银行)
    if _NEGATION.search(text[max(s_start, verb.start() - 3):verb.start()]):
        return False
    before = text[s_start:verb.start()]
    if (_PURPOSE.search(_CLAUSE_BREAK.split(before)[-1]) or _IRREALIS.search(re.split("[；;]", before)[-1])
            or _FUTURE.search(before)):
        return False  # 为了建立…, 有利于…建立…机制, 要建立…, 将不断…推进: a purpose, a duty or a plan
    # 设 in 设计, 建 in 建议: part of another word; a two-character verb may end a word (积极开展)
    ends_word = verb.end() in ctx.word_ends or text[verb.end():verb.end() + 1] in "“《" or _with_object(ctx, verb)
    return ends_word and (verb.start() in ctx.word_starts or len(verb.group(0)) >= 2)


def _with_object(ctx: ArticleContext, verb: re.Match[str]) -> bool:
    """A verb and its object in one dictionary word: 发出通知, 下发通知."""
    end = next((e for e in range(verb.end() + 1, verb.end() + 4) if e in ctx.word_ends), None)
    return end is not None and verb.start() in ctx.word_starts and ctx.text[verb.end():end] in _BARE_OBJECTS


_BARE_OBJECTS = frozenset(POLICY_HEADS)


_NAMED_HEAD = re.compile(f"(?:{alternation(('行动', '活动', '计划', '工程', '项目', '专项'))})$")
_NAMED_TAIL = re.compile(f"[”\"](?:{alternation(('行动', '活动', '计划', '工程', '项目', '平台', '专项行动'))})$")
_COUNTED = re.compile(r"(?:^|[、，,：:]|已有|共有|拥有|建成|建有|累计)(?P<n>\d+)(?:余|多)?(?:家|个|所|处|座|间)")


def _named(ctx: ArticleContext, sentence: tuple[int, int], orgs: list[Mention], topic: Mention | None,
           seen: set[tuple[int, int]]):
    """Programs named in quotes (“建功立业行动”) and counted facilities (2324家职工服务站)
    that no verb introduced: in a union's report they are its programs and facilities."""
    text = ctx.text
    s_start, s_end = sentence
    for m in ctx.within(s_start, s_end, ("PROGRAM",)):
        inner = unquote(m.text)
        if any(a <= m.start < b for a, b in seen) or not (_NAMED_HEAD.search(inner) or _NAMED_TAIL.search(m.text)):
            continue
        if _FUTURE.search(text, s_start, m.start):
            continue  # 接下来,…将继续…聚焦“产改”千企行动: a plan
        owner = next((o for o in reversed(orgs) if o.end == m.start and o.label != "REGION"), None)
        agent = owner or topic
        if agent is None:
            continue
        kind = "Facility" if _facility_head(inner) else "Program"
        obj = ObjectPhrase(m.start, m.end, m.text, inner, kind, quoted=True)
        yield obj, agent, owner is not None
    for c in _COUNTED.finditer(text[s_start:s_end]):
        if topic is None:
            break
        phrases = objects_after(text, s_start + c.end(), ctx.word_ends)
        if not phrases or phrases[0].kind != "Facility" or any(a <= phrases[0].start < b for a, b in seen) \
                or len(phrases[0].name) < 4 and not phrases[0].quoted:
            continue  # 2家联合会: a bare head names no facility
        p = phrases[0]
        obj = ObjectPhrase(p.start, p.end, p.text, p.name, p.kind, (int(c.group("n")), "exact"), p.quoted)
        yield obj, topic, False


_FOUNDING = re.compile(r"的(?:组建|成立|建立|建成|设立|落成)")


def _nominalized(ctx: ArticleContext, sentence: tuple[int, int], orgs: list[Mention], topic: Mention | None,
                 seen: set[tuple[int, int]]):
    """通过法律援助实体化机构和法律服务志愿者服务队的组建,聊城工会建立起…: the founding of a
    facility stated as a noun.  The founder is the union that is the subject of the main clause
    (or the article's union)."""
    text = ctx.text
    s_start, s_end = sentence
    for found in _FOUNDING.finditer(text, s_start, s_end):
        clause_start = max([s_start] + [m.end() for m in _CLAUSE_BREAK.finditer(text, s_start, found.start())])
        lead = re.match(r"(?:通过|随着|伴随着?|经过|借助)", text[clause_start:found.start()])
        start = clause_start + (lead.end() if lead else 0)
        subject = next((m for m in orgs if m.start >= found.end() and _is_union(m)
                        and _subject_position(text, s_start, m)), None)
        agent = subject or topic
        if agent is None:
            continue
        for part in re.finditer(r"[^和与及、]+", text[start:found.start()]):
            obj = object_phrase(text, start + part.start(), start + part.end(), ctx.word_ends)
            if obj is not None and obj.kind == "Facility" and not any(a <= obj.start < b for a, b in seen):
                yield obj, agent, subject is not None


def _facility_head(name: str) -> bool:
    from kg.extract.objects import _FACILITY

    return bool(_FACILITY.search(name))


_TARGET = re.compile(r"对(?:全市|全省|全县|全区|全体|各)?(?P<target>[^，,。；;对]{2,16})$")


def _with_target(text: str, s_start: int, verb: re.Match[str], obj: ObjectPhrase) -> ObjectPhrase:
    """对非公企业工会主席实行分级管理: the program is named with its target group."""
    m = _TARGET.search(text, s_start, verb.start())
    if m is None or obj.quoted or len(obj.name) > 8 or verb.group(0) not in ("实行", "实施", "推行"):
        return obj
    name = m.group("target") + obj.name
    return ObjectPhrase(obj.start, obj.end, obj.text, name, obj.kind, obj.count, obj.quoted)


_BY = re.compile(r"由(?=[^，,。；;]{2,30}$)")


def _passive(ctx: ArticleContext, orgs: list[Mention], s_start: int, verb: re.Match[str]):
    """劳动者权益保障中心由阳谷县总工会联合县人社局联手建成: object first, agent after 由."""
    text = ctx.text
    by = None
    for by in _BY.finditer(text, s_start, verb.start()):
        pass
    if by is None:
        return None
    agent = next((m for m in orgs if m.start == by.end() and m.label != "REGION"), None)
    thing = next((m for m in ctx.entities if m.end == by.start() and m.label in ("FACILITY", "PROGRAM", "ORG")), None)
    if agent is None or thing is None:
        return None
    kind = "Facility" if thing.label in ("FACILITY", "ORG") else "Program"
    obj = ObjectPhrase(thing.start, thing.end, thing.text, unquote(thing.text), kind, quoted=thing.label == "PROGRAM")
    return [(obj, agent, True)]


#: the verb ends its clause: 读书会在文成举行。 爱心驿站建成并投入使用。
_HELD = re.compile(r"了?(?:并(?:正式)?(?:投入使用|投用|启用|运行|开放))?(?=[，,。；;！!]|$)")
_THEME = re.compile(r"以[“\"](?P<theme>[^”\"]{2,30})[”\"]为主题的")
_LOCATIVE = re.compile(r"在[^，,。]{1,12}$")


def _clause_final(ctx: ArticleContext, orgs: list[Mention], s_start: int, verb: re.Match[str],
                  topic: Mention | None):
    """2018年度温州工会系统领导干部读书会在文成举行: the event noun is the subject."""
    text = ctx.text
    if verb.group(0) not in ("举行", "举办", "召开", "开幕", "启动", "开展", "成立", "揭牌", "上线", "建成", "挂牌",
                             "落成", "启用"):
        return None
    if not _HELD.match(text, verb.end()):
        return None
    clause_start = max([s_start] + [m.end() for m in _CLAUSE_BREAK.finditer(text, s_start, verb.start())])
    np_end = verb.start()
    loc = _LOCATIVE.search(text, clause_start, np_end)
    if loc:
        np_end = loc.start()
    np = text[clause_start:np_end]
    adverbial = _ADVERBIAL_PREFIX.match(np)
    np_start = clause_start + (adverbial.end() if adverbial else 0)
    # the organizer named first in the noun phrase (温州工会系统…读书会); not the body that
    # is itself the subject (爱心驿站建成: the facility is what was built, not who built it)
    agent = next((m for m in orgs if np_start <= m.start and m.end < np_end and m.label != "REGION"), None)
    theme = _THEME.search(text, np_start, np_end)
    if theme:
        name, start, end, quoted = theme.group("theme"), theme.start("theme"), theme.end("theme"), True
    else:
        start = agent.end if agent is not None else np_start
        name, end, quoted = text[start:np_end], np_end, False
    found = object_phrase(text, start, np_end, ctx.word_ends) if not quoted else None
    phrase = [found] if found is not None else []
    if not quoted and (not phrase or phrase[0].end != np_end):
        return None
    obj = ObjectPhrase(start, end, text[start:end], name, "Program" if quoted else phrase[0].kind,
                       quoted=quoted) if quoted else phrase[0]
    if agent is not None:
        return [(obj, agent, True)]
    return [(obj, topic, False)] if topic is not None else None


_ADVERBIAL = re.compile(
    r"(?:近日|日前|目前|当前|眼下|同时|此外|另外|为此|据悉|据了解|据介绍|近年来|近期|今年以来|今年|去年|还|也|已经|已|将|正在|正|"
    r"又|再|先后|率先|积极|持续|不断|随后|累计|是|得益于|源于|由于|随着|共|还先后|均|都|已先后|专门|首开先河|当天|当日|从今年起|截至目前|首先|其中|一直|始终|大力|全力|主动|"
    r"普遍|进一步|逐步|全面|深入|广泛|着力|重点|切实|扎实|陆续|相继|集中|及时|努力|加快|继续|坚持|带头|着手|推动|致力于|"
    r"(?:联合|会同|携手|联手|协同)[^，,。；;]{2,24}?|与[^，,。；;]{2,24}?(?:联合|一道|共同|合作|携手)|"
    r"\d{4}年(?:以来|起)?|\d{1,2}月(?:\d{1,2}日)?(?:[~～至-]\d{1,2}日)?(?:上午|下午|晚)?|[^，,。]{1,8}(?:初期|以来|期间|之际)|"
    r"在[^，,。]{1,15}(?:上|中|下|期间|后|前))*$"
)
_CLAUSE_BREAK = re.compile(r"[，,：:；;。！？!?]")
_ADVERBIAL_PREFIX = re.compile(_ADVERBIAL.pattern.rstrip("$"))


def _subject_position(text: str, s_start: int, m: Mention, regions: list[Mention] = ()) -> bool:
    """Whether a mention opens its clause (after adverbials and a place chain only), as subjects do."""
    start = m.start
    for r in sorted(regions, key=lambda r: -r.end):
        if r.end == start and r.start >= s_start:
            start = r.start  # 河北武安: the province before the county is part of the subject
    left = text[s_start:start]
    breaks = list(_CLAUSE_BREAK.finditer(left))
    clause = left[breaks[-1].end():] if breaks else left
    return bool(_ADVERBIAL.fullmatch(clause.strip("“”\"")))


def _agent(ctx: ArticleContext, orgs: list[Mention], s_start: int, verb: int, topic: Mention | None):
    """The subject of the verb: an organization opening a clause before it, nearest first."""
    text = ctx.text
    before = [m for m in orgs if s_start <= m.start and m.end <= verb]
    for m in before:  # 在小镇联合会组织下, …发起爱心捐款活动: the organizer is the agent
        if text[max(s_start, m.start - 1):m.start] == "在" and _ORGANIZED_BY.match(text, m.end, verb):
            return m, True
    if before and before[-1].label == "ORG" and _ADVERBIAL.fullmatch(text[before[-1].end:verb]) \
            and not _PREPOSITION_BEFORE.search(text, max(0, before[-1].start - 2), before[-1].start) \
            and text[verb - 1] != "的":
        # 版块是青岛市总开发的…大数据: an organization right before the verb is its subject,
        # wherever the clause starts (but not 向市总工会申请, 与市总工会联合)
        return before[-1], True
    for m in reversed(before):
        if verb - m.end > MAX_SUBJECT_GAP:
            break
        if _NOT_SUBJECT_AFTER.match(text, m.end):
            continue  # 中国工会十八大召开后: the organization modifies another noun
        if m.label == "REGION" and not _REGION_THEN_VERB.match(text, m.end, verb + 4):
            continue  # 云南省职业技能竞赛实行…: the place modifies the subject
        if _subject_position(text, s_start, m, [o for o in orgs if o.label == "REGION"]):
            return m, True
    this_place = _THIS_PLACE.search(text, s_start, verb)
    if this_place and _subject_position(text, s_start, Mention(this_place.start(), this_place.end(), "REGION", "")):
        # 该市依托…: the place of that level the article named last
        for p in reversed([p for p in ctx.places if p.start < this_place.start()]):
            if p.region.name.endswith(this_place.group(1)):
                return Mention(this_place.start(), this_place.end(), "REGION", p.region.name), True
    pronoun = _PRONOUN.search(text, s_start, verb)
    if pronoun and _ADVERBIAL.fullmatch(text[s_start:pronoun.start()].split("，")[-1].split(",")[-1]):
        antecedent = _previous_subject(ctx, s_start, pronoun.group(0))
        if antecedent is not None:
            return antecedent, True
    # no subject before the verb: a sentence about the article's organization
    head = text[s_start:verb]
    clause = _CLAUSE_BREAK.split(head)[-1]
    subjects = [m for m in before if _subject_position(text, s_start, m)]
    if topic is not None and not subjects and (_ADVERBIAL.fullmatch(clause) or _PIVOT.fullmatch(clause)) and not ctx.within(s_start, verb, ("PERSON",)):
        return topic, False
    return None, False


_PREPOSITION_BEFORE = re.compile(r"(?:[向与和同在对为由把将经给跟及从、]|联合|会同|携手|联手|协同|配合|依托|通过|邀请)$")
_NOT_SUBJECT_AFTER = re.compile(r"(?:第?[一二三四五六七八九十]+大|代表大会|会议|换届|的|之)")
_REGION_THEN_VERB = re.compile(
    r"(?:[还也将已都均再又正共]|积极|持续|不断|率先|首先|大力|全力|先后|专门|已经|今年|近年来|目前|"
    r"在(?:国内|全国|全省|全市|全区)|依托[^，,。]{1,12}|围绕[^，,。]{1,12}|结合[^，,。]{1,12})*"
    f"(?:{alternation(LAUNCH_VERBS + FACILITY_VERBS + POLICY_VERBS + COMMON_VERBS)})"
)
_ORGANIZED_BY = re.compile(r"的?(?:组织|带领|主导|牵头|发起)下")
#: 带动各区、企业建成39个分校: the one who makes others act is the agent
_PIVOT = re.compile(r"(?:带动|推动|指导|引导|督促|鼓励|帮助|支持|要求)[^，,。；;]{1,14}")
_MEMBER_BODIES = ("团", "队", "组", "协会", "联合会", "委员会")
_THIS_PLACE = re.compile(r"该([省市县区镇])")
_PRONOUN = re.compile(r"(?:她们|他们|该团|该队|该中心|该站|该协会|该联合会)")


def _previous_subject(ctx: ArticleContext, s_start: int, pronoun: str) -> Mention | None:
    """What 她们 / 该中心 refers to in the sentence before: people are the members of a
    body named there (…服务团, …队), a 该X is the last body with that head, else its subject."""
    previous = [s for s in ctx.sentences if s[1] <= s_start]
    if not previous:
        return None
    p_start, p_end = previous[-1]
    bodies = ctx.within(p_start, p_end, AGENT_LABELS)
    head = pronoun[1:] if pronoun.startswith("该") else None
    members = [m for m in bodies if (m.text.endswith(head) if head else m.text.endswith(_MEMBER_BODIES))]
    if members:
        return members[-1]
    for m in bodies:
        if _subject_position(ctx.text, p_start, m):
            return m
    return None


def build_fact(ctx: ArticleContext, cand: EventCandidate, extractor: str) -> Fact:
    """Turn a candidate into a ``Fact`` with its qualifiers and provenance."""
    text = ctx.text
    s_start, s_end = cand.sentence
    agent = (ctx.aliases.resolve_region if cand.agent.label == "REGION" else ctx.aliases.resolve)(cand.agent)
    obj = cand.obj
    qualifiers: dict = {}
    partners = _partners(ctx, cand)
    if partners:
        qualifiers["partners"] = partners
    groups = [m.text for m in ctx.within(s_start, s_end, ("GROUP",), chosen=False)
              if not (cand.agent.start <= m.start < cand.agent.end)]
    if groups:
        qualifiers["beneficiaries"] = sorted(set(groups), key=groups.index)
    place = _place(ctx, cand, agent)
    if place is not None:
        qualifiers["place"] = place
    date_mention = next(iter(ctx.within(s_start, s_end, ("DATE",), chosen=False)), None)
    if date_mention is not None:
        stated = parse_date(date_mention.text)
        if stated is not None and stated.text not in VAGUE_DATES:
            qualifiers["date"] = stated
    money = [qualify(parse_amount(m.text), text[max(0, m.start - 3):m.start], text[m.end:m.end + 3])
             for m in ctx.within(s_start, s_end, ("MONEY",), chosen=False)]
    money = [a for a in money if a is not None]
    if money:
        qualifiers["amount"] = money[0]
    if obj.count is not None:
        qualifiers["count"] = obj.count
    if obj.text != obj.name:
        qualifiers["object_text"] = obj.text
    if cand.kind == "PolicyIssuance" and len(obj.name) <= 4:
        full = _full_title(ctx, obj)
        if full:
            obj = ObjectPhrase(obj.start, obj.end, obj.text, full, obj.kind, obj.count, obj.quoted)
    confidence = _confidence(cand)
    entity_kind = {"Launch": "Program", "PolicyIssuance": "Policy", "FacilityEstablishment": "Facility"}[cand.kind]
    # generic objects (帮扶中心, 通知) are one per agent; named ones are shared
    key = obj.name if (obj.quoted or len(obj.name) >= 8) else f"{agent.key}/{obj.name}"
    thing = Entity(entity_kind, obj.name, key=key, aliases=(obj.text,) if obj.text != obj.name else ())
    agent = Entity(agent.kind, agent.name, agent.key, ctx.aliases.aliases(agent.name), agent.attrs)
    return Fact(cand.kind, agent, thing, ctx.provenance(cand.sentence, extractor), confidence, qualifiers,
                agent_inferred=not cand.agent_stated)


def _full_title(ctx: ArticleContext, obj: ObjectPhrase) -> str | None:
    """《办法》 after 《哈密市…管理办法(试行)》: the short title names the document stated before."""
    for m in ctx.mentions:
        if m.label == "POLICY" and m.start < obj.start:
            title = unquote(m.text)
            if title != obj.name and re.sub(r"[(（][^)）]*[)）]$", "", title).endswith(obj.name):
                return title
    return None


def _partners(ctx: ArticleContext, cand: EventCandidate) -> list[Entity]:
    text = ctx.text
    s_start, _ = cand.sentence
    window_start = cand.agent.end if cand.agent_stated else s_start
    partners = []
    for m in ctx.within(window_start, cand.verb[0], AGENT_LABELS):
        left = text[max(window_start, m.start - 4):m.start]
        if re.search(r"(?:联合|会同|携手|与|同|和|协同|、)$", left):
            partners.append(ctx.aliases.resolve(m))
    return partners


_HELD_AT = re.compile(r"在(?P<place>[\u4e00-\u9fff]{2,6}?)(?:举行|召开|举办|开幕|启动|开展)")


def _place(ctx: ArticleContext, cand: EventCandidate, agent: Entity) -> Region | None:
    """The event's region: stated in the sentence (the most specific, not the agent's own
    name chain), else the agent's, else the last place the article named before."""
    s_start, s_end = cand.sentence
    a_start, a_end = (cand.agent.start, cand.agent.end) if cand.agent_stated else (-1, -1)
    names = [(m.start, m.end) for m in ctx.within(s_start, s_end, AGENT_LABELS)]
    stated = [p for p in ctx.places if s_start <= p.start and p.end <= s_end
              and not a_start <= p.start < a_end and not _chained_to(ctx, p, a_start)
              and not any(n_start <= p.start < n_end for n_start, n_end in names)]  # 聊城市 in 聊城市总工会
    held = _HELD_AT.search(ctx.text, s_start, s_end)
    if held:
        region = ctx.place_named(held.group("place"), held.start())
        if region is not None:
            return region
    if stated:
        return max(stated, key=lambda p: (LEVELS.index(p.region.level), p.start)).region
    if agent.attr("region"):
        return agent.attr("region")
    return article_region(ctx, s_start)


def _chained_to(ctx: ArticleContext, place, agent_start: int) -> bool:
    """江西 in 江西乐平市总: a place chained to the agent's name is part of the name."""
    pos = place.end
    while pos < agent_start:
        nxt = next((p for p in ctx.places if p.start == pos), None)
        if nxt is None:
            return False
        pos = nxt.end
    return pos == agent_start


def article_region(ctx: ArticleContext, before: int | None = None) -> Region | None:
    """The last place named before ``before`` (the first one of the article if none)."""
    prior = [p for p in ctx.places if before is None or p.start < before]
    if prior:
        return prior[-1].region
    return ctx.places[0].region if ctx.places else None


def _confidence(cand: EventCandidate) -> float:
    score = 0.9 if cand.agent_stated else 0.65
    if cand.obj.quoted:
        score += 0.05
    if len(cand.obj.name) <= 3:
        score -= 0.2
    return round(max(0.1, min(score, 0.99)), 2)


def event_extractor(kind: str, name: str):
    """The registered extractor of one event class."""

    def extract(ctx: ArticleContext):
        for cand in candidates(ctx):
            if cand.kind == kind:
                yield build_fact(ctx, cand, name)

    extract.__doc__ = f"{kind} events of an article."
    return extract
