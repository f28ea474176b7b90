"""The spaCy pipeline: jieba segmentation plus kg's registered entity component.

``kg_entities`` runs the finders (regions, names, organization and facility
phrases, titled terms, quantities), keeps every candidate in
``doc.user_data["kg_mentions"]`` for the extractors (they need a region
inside an organization name, for instance), and sets ``doc.ents`` to the best
non-overlapping choice.  Tokens are split where an entity boundary falls
inside a jieba word, so entity offsets are exact characters.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Mention
from kg.nlp.names import find_names
from kg.nlp.phrases import find_phrases, is_generic
from kg.nlp.quantities import find_quantities
from kg.nlp.terms import find_terms
from kg.regions import RegionTable

LABELS = ("ORG", "REGION", "PROGRAM", "POLICY", "FACILITY", "PERSON", "POST", "GROUP", "MONEY", "DATE", "QUANTITY")
#: when two candidates overlap, the longer wins; on equal length, the earlier label here
PRIORITY = {label: n for n, label in enumerate(("POLICY", "PROGRAM", "ORG", "FACILITY", "PERSON", "REGION",
                                                  "MONEY", "DATE", "QUANTITY", "POST", "GROUP"))}
MENTIONS = "kg_mentions"


def find_mentions(text: str, tokens: list[tuple[int, int]]) -> list[Mention]:
    """Every candidate mention in ``text`` (whose jieba words are ``tokens``), overlapping ones included.

    Organizations come from the suffix-phrase finder, which knows the domain's
    institutions; the general name recognizer adds persons, places outside the
    admin table, and organizations the phrase finder has no overlapping guess for.
    """
    regions = [
        Mention(m.start, m.end, "REGION", m.text) for m in RegionTable.default().find(text)
    ]
    words, pos = [], 0
    for s, e in tokens:  # spaCy keeps whitespace outside its tokens: the words must cover the text
        if s > pos:
            words.append(text[pos:s])
        words.append(text[s:e])
        pos = e
    if pos < len(text):
        words.append(text[pos:])
    names = [Mention(s, e, label, text[s:e]) for s, e, label in find_names(text, words)]
    regions_all = regions + [m for m in names if m.label == "REGION"]
    phrases = find_phrases(text, tokens, regions_all)
    covered = bytearray(len(text) + 1)
    for m in phrases:
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    extra_orgs = [m for m in names if m.label == "ORG" and not any(covered[m.start:m.end])
                  and not is_generic(m.text)]
    known = {(m.start, m.end) for m in regions}
    regions_all = regions + [m for m in names if m.label == "REGION" and (m.start, m.end) not in known]
    mentions = regions_all + [m for m in names if m.label == "PERSON"] + extra_orgs + phrases
    mentions += find_terms(text)
    mentions += find_quantities(text)
    return mentions


def choose(mentions: list[Mention]) -> list[Mention]:
    """The longest non-overlapping mentions, ties broken by ``PRIORITY``."""
    ranked = sorted(mentions, key=lambda m: (-(m.end - m.start), PRIORITY[m.label], m.start))
    taken: list[Mention] = []
    used = bytearray(max((m.end for m in mentions), default=0))
    for m in ranked:
        if any(used[m.start:m.end]):
            continue
        used[m.start:m.end] = b"\x01" * (m.end - m.start)
        taken.append(m)
    return sorted(taken, key=lambda m: m.start)


@Language.component("kg_entities")
def kg_entities(doc: Doc) -> Doc:
    mentions = find_mentions(doc.text, token_spans(doc))
    doc.user_data[MENTIONS] = [(m.start, m.end, m.label) for m in mentions]
    chosen = choose(mentions)
    _align(doc, {b for m in chosen for b in (m.start, m.end)})
    spans = [doc.char_span(m.start, m.end, label=m.label) for m in chosen]
    doc.ents = [s for s in spans if s is not None]
    return doc


def token_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of the tokens, read in bulk (no Token objects made)."""
    return [(idx, idx + length) for idx, length in doc.to_array([IDX, LENGTH]).tolist()]


def _align(doc: Doc, boundaries: set[int]) -> None:
    """Split tokens so that every boundary falls between tokens."""
    ordered = sorted(boundaries)  # (bisected per token: linear, not tokens × boundaries)
    with doc.retokenize() as retokenizer:
        for i, (start, end) in enumerate(token_spans(doc)):
            cuts = [b - start for b in ordered[bisect_right(ordered, start):bisect_left(ordered, end)]]
            if not cuts:
                continue
            token = doc[i]
            pieces = [token.text[i:j] for i, j in zip([0] + cuts, cuts + [len(token.text)])]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))


class _DictionaryWords:
    """jieba cutting by its dictionary only (no HMM guesses at unknown words).

    The name recognizer was written for these words, and unknown names are
    better left in characters for it than glued by the HMM; sharing one cut
    also saves segmenting every text twice.
    """

    def cut(self, text: str, cut_all: bool = False):
        import jieba

        return jieba.cut(text, cut_all=cut_all, HMM=False)


@lru_cache(maxsize=1)
def load() -> Language:
    """The kg pipeline (built once per process: jieba's dictionary loads in ~1 s)."""
    import jieba

    jieba.setLogLevel(60)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer.jieba_seg = _DictionaryWords()
    nlp.add_pipe("sentencizer", config={"punct_chars": ["。", "！", "？", "!", "?", "；", ";", "\n"]})
    nlp.add_pipe("kg_entities")
    make_doc = nlp.make_doc
    # spaCy cannot hash lone surrogates; U+FFFD has the same length, so offsets hold
    nlp.make_doc = lambda text: make_doc(_SURROGATE.sub("\ufffd", text) if isinstance(text, str) else text)
    return nlp


_SURROGATE = re.compile("[\ud800-\udfff]")


def mentions_of(doc: Doc) -> list[Mention]:
    """All candidate mentions the pipeline found, as ``Mention`` values."""
    text = doc.text  # built from the tokens on each access: take it once
    return [Mention(s, e, label, text[s:e]) for s, e, label in doc.user_data.get(MENTIONS, [])]
