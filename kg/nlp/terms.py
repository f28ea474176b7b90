"""Titled things and closed-class terms: programs, policies, posts, groups.

Newspapers mark the names of campaigns with quotes (“春风行动”) and documents
with title marks (《…办法》); posts and beneficiary groups come from small
closed vocabularies of the domain with productive modifiers (困难职工,
户外劳动者).
"""
from __future__ import annotations

import re

from kg.model import Mention
from kg.nlp.lexicon import GROUP_HEADS, GROUP_MODIFIERS, POST_TITLES, PROGRAM_HEADS, alternation

_QUOTED = re.compile(r"[“\"「]([^“”\"「」\n]{2,40})[”\"」]")
_TITLED = re.compile(r"《([^《》\n]{2,80})》")
_PROGRAM_TAIL = re.compile(f"(?:{alternation(PROGRAM_HEADS)})")
_POST = re.compile(f"(?:{alternation(POST_TITLES)})")
# (the lookahead of the characters a group can start with spares trying every word at every position)
_GROUP = re.compile(
    f"(?=[{''.join(sorted({re.escape(w[0]) for w in (*GROUP_MODIFIERS, *GROUP_HEADS)}))}])"
    f"(?:(?:{alternation(GROUP_MODIFIERS)})(?:和?(?:{alternation(GROUP_MODIFIERS)}))*)?"
    f"(?:{alternation(GROUP_HEADS)})"
)
#: heads that name a beneficiary group only with a modifier (小微企业, 困难职工子女)
BARE_NOT_GROUPS = frozenset(("企业", "家庭", "子女", "家属", "青年", "女性", "司机"))
#: a quoted word is a program name when a head noun follows or it is long enough to be a name
_MIN_PROGRAM = 3


def find_terms(text: str) -> list[Mention]:
    found: list[Mention] = []
    for m in _TITLED.finditer(text):
        found.append(Mention(m.start(), m.end(), "POLICY", m.group(0)))
    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        tail = _PROGRAM_TAIL.match(text, m.end())
        if tail or (len(inner) >= _MIN_PROGRAM and not re.search(r"[，,。！？!?]", inner)):
            end = m.end() + (tail.end() - tail.start() if tail else 0)
            found.append(Mention(m.start(), end, "PROGRAM", text[m.start():end]))
    for m in _GROUP.finditer(text):
        if m.group(0) not in BARE_NOT_GROUPS:
            found.append(Mention(m.start(), m.end(), "GROUP", m.group(0)))
    for m in _POST.finditer(text):
        found.append(Mention(m.start(), m.end(), "POST", m.group(0)))
    return found


def unquote(name: str) -> str:
    """The name inside quotes or title marks: “春风行动”专场招聘活动 → 春风行动."""
    m = _QUOTED.match(name) or _TITLED.match(name)
    return m.group(1) if m else name
