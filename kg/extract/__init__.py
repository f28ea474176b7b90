"""Extraction: registered extractors turn an annotated article into facts."""
from __future__ import annotations

from kg.extract import facility, launch, policy, posts  # noqa: F401  (register on import)
from kg.extract.context import ArticleContext
from kg.extract.registry import EXTRACTORS, register
from kg.model import Fact

__all__ = ["EXTRACTORS", "ArticleContext", "extract", "register"]


def extract(ctx: ArticleContext, names: list[str] | None = None, seen: set[tuple] | None = None) -> list[Fact]:
    """Run the named extractors (all by default) over one article; drop duplicates.

    Pass the same ``seen`` set for all articles of a page: a fact a page states
    twice (in a headline story and its follow-up) is kept once, where first stated.
    """
    facts: list[Fact] = []
    seen = set() if seen is None else seen
    for name in names or sorted(EXTRACTORS):
        for fact in EXTRACTORS[name](ctx):
            key = (fact.kind, fact.subject.key, fact.object.name, str(fact.qualifier("role", "")))
            if key not in seen and not _restated(key, seen):
                seen.add(key)
                facts.append(fact)
    return facts


def _restated(key: tuple, seen: set[tuple]) -> bool:
    """The same program named twice a little differently (…女职工品牌选树 / …女职工工作品牌选树)."""
    kind, subject, name, role = key
    if kind == "Membership" or len(name) < 6:
        return False
    grams = _bigrams(name)
    for other_kind, other_subject, other, other_role in seen:
        if other_kind == kind and other_subject == subject and len(other) >= 6:
            theirs = _bigrams(other)
            if 2 * len(grams & theirs) / (len(grams) + len(theirs)) >= 0.85:
                return True
    return False


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}
