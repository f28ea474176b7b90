"""Extractors, registered by name: adding a relation type is adding a module.

An extractor is a function from an ``ArticleContext`` to facts.  Modules in
``kg.extract`` register themselves on import, as spaCy components do.
"""
from __future__ import annotations

from typing import Callable, Iterable

from kg.model import Fact

Extractor = Callable[["ArticleContext"], Iterable[Fact]]  # noqa: F821
EXTRACTORS: dict[str, Extractor] = {}


def register(name: str) -> Callable[[Extractor], Extractor]:
    def decorate(fn: Extractor) -> Extractor:
        if name in EXTRACTORS:
            raise ValueError(f"extractor {name!r} is registered twice")
        EXTRACTORS[name] = fn
        return fn

    return decorate
