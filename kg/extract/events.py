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
from kg.extract.objects import ObjectPhrase, objects_after
from kg.model import Entity, Fact, Mention
from kg.nlp.lexicon import FACILITY_VERBS, LAUNCH_VERBS, POLICY_VERBS, alternation
from kg.nlp.quantities import parse_amount, parse_date
from kg.regions import Region, RegionTable

EVENT_CLASS = {"Program": "Launch", "Policy": "PolicyIssuance", "Facility": "FacilityEstablishment"}
_VERB = re.compile(f"(?:{alternation(LAUNCH_VERBS + FACILITY_VERBS + POLICY_VERBS)})")
_PARTNER_CUE = re.compile(r"(?:联合|会同|携手|与|同|和|协同|联手)$")
_NEGATION = re.compile(r"(?:未|没有|不再|尚未|拟|将要|计划)$")
AGENT_LABELS = ("ORG", "FACILITY")
#: how far back from the verb a subject may stand
MAX_SUBJECT_GAP = 40


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
    topic: Mention | None = None
    seen: set[tuple[int, int]] = set()
    for sentence in ctx.sentences:
        s_start, s_end = sentence
        orgs = ctx.within(s_start, s_end, AGENT_LABELS)
        for verb in _VERB.finditer(text, s_start, s_end):
            if any(m.start < verb.start() < m.end for m in ctx.entities if m.label != "REGION"):
                continue  # the verb is inside a name (建设银行)
            if _NEGATION.search(text[max(s_start, verb.start() - 3):verb.start()]):
                continue
            for obj in objects_after(text, verb.end()):
                if (obj.start, obj.end) in seen:
                    continue
                agent, stated = _agent(ctx, orgs, s_start, verb.start(), topic)
                if agent is None:
                    continue
                seen.add((obj.start, obj.end))
                yield EventCandidate(EVENT_CLASS[obj.kind], sentence, verb.span(), obj, agent, stated)
        if orgs:
            unions = [m for m in orgs if "工会" in m.text or m.text.endswith("总")]
            topic = (unions or orgs)[0] if not topic or unions else topic


def _agent(ctx: ArticleContext, orgs: list[Mention], s_start: int, verb: int, topic: Mention | None):
    text = ctx.text
    clause_start = max(s_start, verb - MAX_SUBJECT_GAP)
    before = [m for m in orgs if clause_start <= m.start and m.end <= verb]
    for m in reversed(before):
        left = text[max(s_start, m.start - 3):m.start]
        if _PARTNER_CUE.search(left) and any(o.end <= m.start for o in before):
            continue  # a partner: the agent stands further left
        if re.search(r"(?:为|向|对|给|帮助|服务|组织|面向)$", left):
            continue
        return m, True
    # no subject before the verb: a sentence about the article's organization
    head = text[s_start:verb]
    if topic is not None and len(head) <= 14 and not ctx.within(s_start, verb, ("PERSON",)):
        return topic, False
    return None, False


def build_fact(ctx: ArticleContext, cand: EventCandidate, extractor: str) -> Fact:
    """Turn a candidate into a ``Fact`` with its qualifiers and provenance."""
    text = ctx.text
    s_start, s_end = cand.sentence
    agent = ctx.aliases.resolve(cand.agent)
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
        if stated is not None:
            qualifiers["date"] = stated
    money = [parse_amount(m.text) for m in ctx.within(s_start, s_end, ("MONEY",), chosen=False)]
    money = [a for a in money if a is not None]
    if money:
        qualifiers["amount"] = money[0]
    if obj.count is not None:
        qualifiers["count"] = obj.count
    if obj.text != obj.name:
        qualifiers["object_text"] = obj.text
    confidence = _confidence(cand)
    entity_kind = {"Launch": "Program", "PolicyIssuance": "Policy", "FacilityEstablishment": "Facility"}[cand.kind]
    # generic objects (帮扶中心, 通知) are one per agent; named ones are shared
    key = obj.name if (obj.quoted or len(obj.name) >= 8) else f"{agent.key}/{obj.name}"
    thing = Entity(entity_kind, obj.name, key=key, aliases=(obj.text,) if obj.text != obj.name else ())
    agent = Entity(agent.kind, agent.name, agent.key, ctx.aliases.aliases(agent.name), agent.attrs)
    return Fact(cand.kind, agent, thing, ctx.provenance(cand.sentence, extractor), confidence, qualifiers)


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


def _place(ctx: ArticleContext, cand: EventCandidate, agent: Entity) -> Region | None:
    """The event's region: stated in the sentence, else the agent's, else the article's."""
    s_start, s_end = cand.sentence
    inside_agent = (cand.agent.start, cand.agent.end) if cand.agent_stated else (-1, -1)
    stated = [m for m in ctx.within(s_start, s_end, ("REGION",), chosen=False)
              if not (inside_agent[0] <= m.start < inside_agent[1])]
    for m in reversed(stated):
        region = _region_at(ctx, m)
        if region is not None:
            return region
    if agent.attr("region"):
        return agent.attr("region")
    return article_region(ctx)


def _region_at(ctx: ArticleContext, mention: Mention):
    for match in RegionTable.default().find(ctx.text[max(0, mention.start - 12):mention.end]):
        if match.text == mention.text and match.region is not None:
            return match.region
    return None


def article_region(ctx: ArticleContext) -> Region | None:
    for m in ctx.mentions:
        if m.label == "REGION":
            region = _region_at(ctx, m)
            if region is not None:
                return region
    return None


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
