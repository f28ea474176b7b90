"""org:Membership — a named person holds a post in an organization.

The newspapers' pattern is organization, post, name: 聊城市总工会党组书记、常务副主席
李献宾介绍; 镇江市第三人民医院护士曹沁心.  The post is everything between the
organization and the name, and must end in a title (主席, 部长, 护士 …).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kg.extract.context import ArticleContext
from kg.extract.registry import register
from kg.model import Entity, Fact, Mention
from kg.nlp.lexicon import POST_TITLES, POST_VERBS, alternation

_POST = re.compile(f"^[\\u4e00-\\u9fff、()（）]{{0,14}}(?:{alternation(POST_TITLES)})$")
_TITLE_ENDS = frozenset(title[-1] for title in POST_TITLES)  # what a post (``_POST``) can end with
#: a name after a post, when the name recognizer did not mark it: 2–3 characters
#: (or a name with ·) followed by a verb of saying or a boundary
_NAME_AFTER = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,5}·[\u4e00-\u9fff]{2,6}?|[\u4e00-\u9fff]{2,3}?)"
    r"(?=说|表示|介绍|指出|告诉|认为|坦言|强调|说道|透露|、|，|,|。|：|:|等|在|带领|是|的|也|和|与|一|对|说)"
)


@register("posts")
def posts(ctx: ArticleContext):
    """Memberships stated as organization + post + person within a sentence, or as person +
    verb of taking a post + organization + post (李明任聊城市总工会主席).

    When several organization mentions end before the same name (宁波市总工会 and
    its 基层工作部), the one that starts first wins, with the shortest name among
    those (so 哈密市总工会 + 社会化工会工作者, not 哈密市总工会社会化工会 + 工作者).
    """
    text = ctx.text
    for sentence in ctx.sentences:
        s_start, s_end = sentence
        orgs = ctx.within(s_start, s_end, ("ORG", "FACILITY"), chosen=False)
        persons = {m.start: m for m in ctx.within(s_start, s_end, ("PERSON",), chosen=False)}
        by_person: dict[tuple[int, int], list] = {}
        for org in orgs:
            found = _post_and_person(text, org.end, s_end, persons)
            if found is not None:
                by_person.setdefault(found[1], []).append((org, found[0]))
        for person in persons.values():  # 李明任聊城市总工会主席, 选举王芳为市总工会副主席
            found = _appointed(text, person.end, s_end, orgs)
            if found is not None:
                by_person.setdefault((person.start, person.end), []).append(found)
        for person in persons.values():  # 金良芳是横店集团东磁股份有限公司下属工厂的一名普通职工
            m = _IS_A.match(text, person.end, s_end)
            org = next((o for o in orgs if o.start == person.end + 1), None) if m else None
            if org is not None:
                tail = _ROLE_AFTER_DE.match(text, org.end, s_end)
                if tail:
                    by_person.setdefault((person.start, person.end), []).append((org, tail.group("post")))
        chosen = []
        for span, candidates in sorted(by_person.items()):
            end = -1
            for org, post in sorted(candidates, key=lambda c: (c[0].start, -c[0].end)):
                # 大洲镇党委副书记、镇总工会主席叶琼: two posts, two organizations joined by 、
                if end < 0 or (org.start >= end and text[org.start - 1] == "、"):
                    if end >= 0:
                        first_span, first_org, first_post = chosen[-1]
                        head = first_post.split("、")[0]
                        if _POST.match(head):
                            chosen[-1] = (first_span, first_org, head)
                        else:  # 纺部车间、赵梦桃小组第十四任组长王丹: the first part names no post
                            chosen.pop()
                    chosen.append((span, org, post))
                    end = org.end
        for (p_start, p_end), org, post in chosen:
            org, post = _party_committee(ctx, org, post)
            organization = ctx.aliases.resolve(org)
            name = text[p_start:p_end]
            person = Entity("Person", name, key=f"{organization.key}/{name}")
            role = Entity("Role", post, key=post)
            yield Fact("Membership", person, organization, ctx.provenance(sentence, "posts"),
                       0.85 if p_start in persons else 0.7, {"role": role})


def _party_committee(ctx: ArticleContext, org: Mention, post: str) -> tuple[Mention, str]:
    """大洲镇党委副书记: the post of a place's party committee (or its working committee) is
    written as the place's post, 党委副书记 of 大洲镇, the way the papers and officials' CVs
    state it; a union's party group (总工会党组书记) stays the union's (see canonical_org)."""
    m = _COMMITTEE.match(org.text)
    if m is None or not _all_places(ctx, org.start, org.start + m.end("place")):
        return org, post
    return Mention(org.start, org.start + m.end("place"), org.label, m.group("place")), m.group("body") + post


def _all_places(ctx: ArticleContext, start: int, end: int) -> bool:
    """Whether places named one after another cover start..end exactly (衢州市 衢江区 大洲镇)."""
    pos = start
    for place in ctx.places:
        if place.start == pos and place.end <= end:
            pos = place.end
    return pos == end > start


_COMMITTEE = re.compile(r"^(?P<place>.+?)(?P<body>党委|党工委)$")


def _post_and_person(text: str, pos: int, end: int, persons: dict):
    for p_start in range(pos + 1, min(end, pos + 16)):
        person = persons.get(p_start)
        post = text[pos:p_start]
        if post.startswith("的"):
            post = post[1:]  # 第五人民医院的退休护士沈敏
        if post[-1:] not in _TITLE_ENDS or not _POST.match(post) or _NOT_POST.search(post):
            continue  # (the last character first: most candidates end in no title, and the regex is slow)
        if person is not None:
            return post, (person.start, person.end)
        m = _NAME_AFTER.match(text, p_start, end)
        if m and not _POST.match(post + m.group("name")) and _looks_like_name(m.group("name")):
            return post, m.span("name")
    return None


def _appointed(text: str, pos: int, end: int, orgs: list[Mention]) -> tuple[Mention, str] | None:
    """The organization and post of a person named at ``pos`` who takes or holds it (任, 现任,
    担任, 当选为…; 为 after 选举/任命 X): the longest organization right after the verb, and
    the post that follows it up to a clause break."""
    verb = _TAKES_POST.match(text, pos, end)
    if verb is None:
        return None
    org = max((o for o in orgs if o.start == verb.end()), key=lambda o: o.end, default=None)
    if org is None:
        return None
    post = _POST_RUN.match(text, org.end, end)
    if post is None or not _POST.match(post.group(0)) or _NOT_POST.search(post.group(0)):
        return None
    return org, post.group(0)


_TAKES_POST = re.compile(alternation(POST_VERBS + ("为",)))  # (为 after 选举 X, 任命 X)
#: a post after its organization: up to a clause break or 一职/职务
_POST_RUN = re.compile(r"[^，,。；;：:“”\s]{1,16}?(?=[，,。；;]|一职|职务|$)")
_IS_A = re.compile(r"是")
_ROLE_AFTER_DE = re.compile(
    r"[^，,。；;]{0,16}?的(?:一名|一位|一个)?(?:普通)?(?P<post>" + alternation(POST_TITLES) + r")(?=[，,。；;]|$)"
)
_NOT_POST = re.compile(r"^[、，,]|的|在|还|已经|成了|一批|负责人$")


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    path = Path(__file__).resolve().parent.parent / "data" / "names" / "surnames.txt"
    rows = (line.split("\t")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(r for r in rows if r and not r.startswith("#"))


def _looks_like_name(name: str) -> bool:
    """A Chinese name starts with a surname; a transliterated one has a middle dot."""
    return "·" in name or name[:1] in _surnames() or name[:2] in _surnames()
