"""Extraction: registered extractors turn an annotated article into facts."""
from __future__ import annotations

from kg.extract import facility, launch, policy, posts  # noqa: F401  (register on import)
from kg.extract.context import ArticleContext
from kg.extract.registry import EXTRACTORS, register
from kg.model import Fact

__all__ = ["EXTRACTORS", "ArticleContext", "extract", "register"]


def extract(ctx: ArticleContext, names: list[str] | None = None, seen: dict[tuple, Fact] | None = None) -> list[Fact]:
    """Run the named extractors (all by default) over one article; drop duplicates.

    Pass the same ``seen`` dict for all articles of a page: a fact a page states
    twice (in a headline and in the story) is kept once, where first stated, and
    takes the qualifiers only the later statement gives (a date, a partner).
    """
    facts: list[Fact] = []
    seen = {} if seen is None else seen
    for name in names or sorted(EXTRACTORS):
        for fact in EXTRACTORS[name](ctx):
            key = (fact.kind, fact.subject.key, fact.object.name, str(fact.qualifier("role", "")))
            # a named program the page attributed before, mentioned again without its agent
            # (据悉,“瓷都工贷”项目共为25户企业…), is the same event, not the topic's own
            named = ("named", fact.kind, fact.object.key, "")
            first = (seen.get(key) or (seen.get(named) if fact.agent_inferred else None)
                     or _restated(key, seen, fact, ctx.article.headline))
            if first is None:
                seen[key] = fact
                if fact.object.key == fact.object.name and not fact.agent_inferred:
                    seen.setdefault(named, fact)
                facts.append(fact)
            else:
                _merge(first, fact)
    return facts


def _merge(kept: Fact, again: Fact) -> None:
    """Give the fact kept the qualifiers that a second statement of it adds."""
    for name, value in again.qualifiers.items():
        if name not in kept.qualifiers:
            kept.qualifiers[name] = value
        elif isinstance(value, list):
            known = kept.qualifiers[name]
            kept.qualifiers[name] = known + [v for v in value if v not in known]


def _restated(key: tuple, seen: dict[tuple, Fact], fact: Fact, headline: str) -> Fact | None:
    """The same program named twice a little differently (…女职工品牌选树 / …女职工工作品牌选树),
    or shortened by a headline (职工体育比赛 over a story about 职工系列体育比赛)."""
    kind, subject, name, role = key
    if kind == "Membership" or len(name) < 4:
        return None
    grams = _bigrams(name)
    in_headline = headline and fact.provenance.sentence in headline
    for (other_kind, other_subject, other, _), first in seen.items():
        if other_kind != kind or other_subject != subject:
            continue
        if len(name) >= 6 and len(other) >= 6:
            theirs = _bigrams(other)
            if 2 * len(grams & theirs) / (len(grams) + len(theirs)) >= 0.85:
                return first
        same_article = first.provenance.article_id == fact.provenance.article_id
        if same_article and (in_headline or (headline and first.provenance.sentence in headline)) \
                and _shortens(*sorted((name, other), key=len)):
            return first
    return None


def _shortens(short: str, long: str) -> bool:
    """Whether ``short`` keeps ``long``'s head and picks the rest of its characters in order."""
    if len(short) < 4 or len(short) * 10 < len(long) * 6 or short[-2:] != long[-2:]:
        return False
    rest = iter(long)
    return all(char in rest for char in short)


def _bigrams(text: str) -> set[str]:
    text = "".join(text.split())  # a headline spaces out what the story runs together
    return {text[i:i + 2] for i in range(len(text) - 1)}
