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
            key = (fact.kind, fact.subject.key, fact.object.key, str(fact.qualifier("role", "")))
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    return facts
