"""Toneless pinyin, each run of Chinese characters converted once per process.

IRIs (``vocab.slug``), English labels (``rdf.english``) and region keys all read
names as pinyin, and the same names recur in every article and inside longer keys
(a person's key holds its organization's name).  pypinyin converts each run of
Chinese characters on its own (its phrase dictionary never spans other characters),
so the runs are converted and remembered one by one: the same syllables as
converting the whole text, at a fraction of the cost.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["syllables"]


@lru_cache(maxsize=1)
def _hans() -> re.Pattern:
    from pypinyin.constants import RE_HANS  # (pypinyin loads its dictionaries on import: ~0.3 s)

    return re.compile(RE_HANS.pattern.lstrip("^").rstrip("$"))


@lru_cache(maxsize=131072)
def _run(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text))


def syllables(text: str, others: bool = True) -> list[str]:
    """The toneless syllables of ``text`` (ü written v), with each other character as itself
    (``others``) or left out: 2024年“职工服务月” → 2 0 2 4 nian “ zhi gong fu wu yue ”."""
    out: list[str] = []
    pos = 0
    for m in _hans().finditer(text):
        if others:
            out += text[pos : m.start()]
        out += _run(m.group())
        pos = m.end()
    if others:
        out += text[pos:]
    return out
