"""What extractors see of one article: text, sentences, mentions, resolver."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from spacy.tokens import Doc

from kg.model import Article, Mention, Provenance
from kg.nlp.pipeline import doc_text, entity_spans, mentions_of, regions_of, sentence_spans, token_spans
from kg.regions import RegionMatch, RegionTable
from kg.resolve.aliases import Aliases


@dataclass
class ArticleContext:
    article: Article
    doc: Doc
    aliases: Aliases = field(init=False)
    _pools: dict = field(init=False, default_factory=dict, repr=False)  # (labels, chosen) → ``_labelled``

    def __post_init__(self) -> None:
        self.aliases = Aliases(self.article, self.mentions, self.region_names)

    @property
    def text(self) -> str:
        return self.article.text

    @cached_property
    def mentions(self) -> list[Mention]:
        return sorted(mentions_of(self.doc), key=lambda m: (m.start, -m.end))

    @cached_property
    def entities(self) -> list[Mention]:
        """The chosen, non-overlapping mentions (``doc.ents``)."""
        text = doc_text(self.doc)
        return [Mention(start, end, label, text[start:end]) for start, end, label in entity_spans(self.doc, self.word_spans)]

    @cached_property
    def region_names(self) -> list[RegionMatch]:
        """Every region name of the text (``RegionTable.find``), as the pipeline found them."""
        return regions_of(self.doc, self.text)

    @cached_property
    def places(self) -> list[RegionMatch]:
        """Region mentions, resolved; an ambiguous name (江北区) is resolved inside the places
        the article named before it (宁波), or left unresolved."""
        table = RegionTable.default()
        out: list[RegionMatch] = []
        for m in self.region_names:
            region = m.region
            if region is None:
                for prior in reversed(out):
                    region = table.lookup(m.text, within=prior.region)
                    if region is not None:
                        break
            if region is not None:
                out.append(RegionMatch(m.start, m.end, m.text, region))
        return out

    def place_named(self, name: str, pos: int) -> Region | None:
        """A bare place name (在文成举行) looked up inside the places named before ``pos``."""
        table = RegionTable.default()
        for prior in reversed([p for p in self.places if p.start < pos]):
            region = table.lookup(name, within=prior.region)
            if region is not None and region != prior.region:
                return region
        return None

    @cached_property
    def inside_name(self) -> bytearray:
        """1 where a character is inside (not at the start of) a name other than a place,
        group or post: a verb there (建设 in 建设银行) is part of the name."""
        covered = bytearray(len(self.text) + 1)
        for m in self.entities:
            if m.label not in ("REGION", "GROUP", "POST") and m.end - m.start > 1:
                covered[m.start + 1:m.end] = b"\x01" * (m.end - m.start - 1)
        return covered

    @cached_property
    def word_spans(self) -> list[tuple[int, int]]:
        """(start, end) of the doc's words."""
        return token_spans(self.doc)

    @cached_property
    def word_starts(self) -> frozenset[int]:
        return frozenset(map(itemgetter(0), self.word_spans))

    @cached_property
    def word_ends(self) -> frozenset[int]:
        return frozenset(map(itemgetter(1), self.word_spans))

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        text = doc_text(self.doc)
        return [(s, e) for s, e in sentence_spans(self.doc, self.word_spans) if text[s:e].strip()]

    def within(self, start: int, end: int, labels: tuple[str, ...], chosen: bool = True) -> list[Mention]:
        """The mentions inside start..end with one of ``labels``, in order (the chosen ones only,
        by default)."""
        pool, starts = self._labelled(labels, chosen)
        return [m for m in pool[bisect_left(starts, start):bisect_right(starts, end)] if m.end <= end]

    def _labelled(self, labels: tuple[str, ...], chosen: bool) -> tuple[list[Mention], list[int]]:
        """The entities (or mentions) with one of ``labels``, and where they start: ``within``
        bisects them.  Extractors ask for a few sets of labels, sentence after sentence."""
        found = self._pools.get((labels, chosen))
        if found is None:
            pool = [m for m in (self.entities if chosen else self.mentions) if m.label in labels]
            found = self._pools[(labels, chosen)] = (pool, [m.start for m in pool])
        return found

    def provenance(self, sentence: tuple[int, int], extractor: str) -> Provenance:
        start, end = sentence
        raw = self.text[start:end]
        # quotes and opening brackets the sentencizer left on the wrong side of a sentence end
        text = raw.strip().lstrip("”’\"》）)").rstrip("“‘《（([【").strip()
        # a sentence ends at a line break; punctuation of the next paragraph ("\n)") is not part of it,
        # and the input between the two may hold what segmentation removed (a dateline)
        text = text.partition("\n")[0].rstrip()
        lead = raw.index(text) if text else 0
        src_start, src_end = self.article.source_span(start + lead, start + lead + len(text))
        return Provenance(self.article.source, self.article.id, text, src_start, src_end, extractor)
