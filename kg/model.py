"""The values that flow between pipeline stages.

Data flows one way: ``Document`` (what was read) → ``Article`` (one story of a
page, normalized, with a map back to the input) → spaCy ``Doc`` (annotation) →
``Fact`` (what an extractor found, with its ``Provenance``) → RDF.  Every stage
takes and returns these plain, immutable-by-convention values, so a stage can be
tested, cached or shipped to another process on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One input unit as read from disk: a page (``.txt``) or one JSONL record.

    ``text`` is the decoded input; provenance offsets point into it.  A large
    page is read in chunks, each a ``Document`` whose ``offset`` is where its
    ``text`` starts in the whole file; the build adds it to provenance offsets.
    """

    source: str  # the input file's name, e.g. "000_bc2e3fc0e41da68b.txt"
    text: str
    record_id: str | None = None  # JSONL "id"; None for pages
    title: str | None = None  # JSONL "title"
    date: str | None = None  # publication date if the input states it (ISO)
    line: int | None = None  # JSONL line number, for error messages
    offset: int = 0  # characters of the file before ``text`` (chunks of a large page)


@dataclass(frozen=True)
class Article:
    """One article of a page, in normalized text, with its way back to the input.

    ``offsets[i]`` is the index in ``Document.text`` of normalized character
    ``i`` (one extra entry at the end maps the end position), so any span of
    the article maps back to the input without loss.
    """

    id: str
    source: str
    index: int  # position of the article on its page
    headline: str
    text: str  # normalized body: dateline, byline and captions removed or kept as stated
    offsets: tuple[int, ...]
    date: str | None = None
    bylines: tuple[str, ...] = ()
    kind: str = "article"  # "article" or "caption"

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``text`` to the input document."""
        if end <= start:
            pos = self.offsets[min(start, len(self.offsets) - 1)]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Mention:
    """An entity mention in an article: character offsets, end exclusive."""

    start: int
    end: int
    label: str  # ORG, REGION, PERSON, POST, PROGRAM, POLICY, FACILITY, GROUP, MONEY, DATE, QUANTITY
    text: str


@dataclass(frozen=True)
class Entity:
    """A thing a fact talks about, as named in the text and as resolved.

    ``name`` is the canonical name (after alias resolution); ``key`` is what
    makes two entities the same across articles (the resolver fills it);
    ``aliases`` are other surface forms seen in the article.
    """

    kind: str  # Organization, TradeUnion, Region, Program, Policy, Facility, Person, BeneficiaryGroup, Role
    name: str
    key: str = ""
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, Any], ...] = ()  # e.g. (("adminCode", "650500"),)

    def attr(self, name: str, default: Any = None) -> Any:
        for k, v in self.attrs:
            if k == name:
                return v
        return default


@dataclass(frozen=True)
class Provenance:
    """Where a fact was stated: enough to find the sentence in the input again."""

    source: str
    article_id: str
    sentence: str
    start: int  # offset of the sentence in the input document
    end: int
    extractor: str


@dataclass(frozen=True)
class Fact:
    """One fact: an event (Launch, PolicyIssuance, FacilityEstablishment) or a post.

    ``kind`` names the event class (``Launch`` …) or ``Membership``.  For
    events ``subject`` is the agent and ``object`` the program, policy or
    facility; for posts ``subject`` is the person, ``object`` the organization
    and the post is in ``qualifiers["role"]``.  Qualifiers carry place,
    partners, beneficiaries, date, amount and count.
    """

    kind: str
    subject: Entity
    object: Entity
    provenance: Provenance
    confidence: float
    qualifiers: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: the agent is not stated in the sentence but taken from the article's topic
    agent_inferred: bool = field(default=False, compare=False)

    def qualifier(self, name: str, default: Any = None) -> Any:
        return self.qualifiers.get(name, default)
