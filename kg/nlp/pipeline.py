"""The spaCy pipeline: jieba segmentation plus kg's registered entity component.

``kg_entities`` runs the finders (regions, names, organization and facility
phrases, titled terms, quantities), keeps every candidate in
``doc.user_data["kg_mentions"]`` for the extractors (they need a region
inside an organization name, for instance), and sets ``doc.ents`` to the best
non-overlapping choice.  Tokens are split where an entity boundary falls
inside a jieba word, so entity offsets are exact characters: the component
returns the doc re-made with the split words (see ``_split``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import groupby

import numpy
import rjieba
import spacy
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, IS_PUNCT, LENGTH, ORTH, SENT_START, SPACY
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.model import Mention
from kg.nlp.names import find_names, load_jieba
from kg.nlp.phrases import find_phrases, is_generic
from kg.nlp.quantities import find_quantities
from kg.nlp.terms import find_terms
from kg.regions import RegionMatch, RegionTable

LABELS = ("ORG", "REGION", "PROGRAM", "POLICY", "FACILITY", "PERSON", "POST", "GROUP", "MONEY", "DATE", "QUANTITY")
#: when two candidates overlap, the longer wins; on equal length, the earlier label here
PRIORITY = {label: n for n, label in enumerate(("POLICY", "PROGRAM", "ORG", "FACILITY", "PERSON", "REGION",
                                                  "MONEY", "DATE", "QUANTITY", "POST", "GROUP"))}
MENTIONS = "kg_mentions"
#: the region names of the doc's text (``RegionTable.find``), in ``doc.user_data``: found once for
#: the mentions, and read again by the extractors' context and the organization resolver
REGIONS = "kg_regions"
#: the text a doc was made from, in ``doc.user_data`` (``Doc.text`` makes a Token per word to join them)
TEXT = "kg_text"


def find_mentions(text: str, tokens: list[tuple[int, int]], places: list[RegionMatch] | None = None) -> list[Mention]:
    """Every candidate mention in ``text`` (whose jieba words are ``tokens``), overlapping ones included.

    Organizations come from the suffix-phrase finder, which knows the domain's
    institutions; the general name recognizer adds persons, places outside the
    admin table, and organizations the phrase finder has no overlapping guess for.
    ``places`` are the region names of ``text`` if they have been found already.
    """
    if places is None:
        places = RegionTable.default().find(text)
    regions = [Mention(m.start, m.end, "REGION", m.text) for m in places]
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
    """Find the mentions; return the doc with its words split at the chosen ones' boundaries,
    the chosen ones as ``doc.ents`` and all of them in ``doc.user_data``."""
    text = doc_text(doc)
    spans = token_spans(doc)
    places = RegionTable.default().find(text)
    mentions = find_mentions(text, spans, places)
    chosen = choose(mentions)
    doc = _split(doc, text, spans, {b for m in chosen for b in (m.start, m.end)})
    doc.user_data[TEXT] = text
    doc.user_data[REGIONS] = places
    doc.user_data[MENTIONS] = [(m.start, m.end, m.label, text[m.start:m.end]) for m in mentions]
    _set_entities(doc, chosen)
    return doc


def _set_entities(doc: Doc, chosen: list[Mention]) -> None:
    """``doc.ents = [doc.char_span(m.start, m.end, label=m.label) for m in chosen]`` (the spans
    that fall on token boundaries), written as IOB arrays: no Span object per entity."""
    spans = token_spans(doc)
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    iob = numpy.full(len(spans), 2, dtype=numpy.uint64)  # O: outside every entity
    types = numpy.zeros(len(spans), dtype=numpy.uint64)
    for m in chosen:
        i, j = bisect_left(starts, m.start), bisect_left(ends, m.end)
        if i < len(spans) and j < len(spans) and starts[i] == m.start and ends[j] == m.end and i <= j:
            iob[i], iob[i + 1:j + 1] = 3, 1  # B, then I
            types[i:j + 1] = doc.vocab.strings.add(m.label)
    doc.from_array([ENT_IOB, ENT_TYPE], numpy.stack([iob, types], axis=1))


def entity_spans(doc: Doc, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, label) character offsets of ``doc.ents``, read in bulk from the IOB arrays
    (``spans`` are the doc's ``token_spans``)."""
    if not spans:
        return []
    array = doc.to_array([ENT_IOB, ENT_TYPE])
    iob = array[:, 0]
    begins = numpy.flatnonzero(iob == 3)
    after = numpy.append(numpy.flatnonzero(iob != 1), len(spans))  # where an entity may stop
    stops = after[numpy.searchsorted(after, begins, side="right")]
    strings = doc.vocab.strings
    return [(spans[b][0], spans[e - 1][1], strings[t])
            for b, e, t in zip(begins.tolist(), stops.tolist(), array[begins, 1].tolist())]


def doc_text(doc: Doc) -> str:
    """``doc.text``, as the tokenizer or the entity component kept it when they made the doc."""
    text = doc.user_data.get(TEXT)
    return doc.text if text is None else text


def token_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of the tokens, read in bulk (no Token objects made)."""
    array = doc.to_array([IDX, LENGTH])
    starts = array[:, 0]
    return list(zip(starts.tolist(), (starts + array[:, 1]).tolist()))


def sentence_spans(doc: Doc, spans: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """(start, end) character offsets of ``doc.sents``, read in bulk (no Span or Token objects
    made); ``spans`` are the doc's ``token_spans`` if known."""
    if "sents" in doc.user_hooks or not doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents]  # (a hook's sentences, or spaCy's error)
    spans = token_spans(doc) if spans is None else spans
    if not spans:
        return []
    bounds = [0, *(numpy.flatnonzero(doc.to_array(SENT_START)[1:] == 1) + 1).tolist(), len(spans)]
    return [(spans[a][0], spans[b - 1][1]) for a, b in zip(bounds, bounds[1:])]


def _split(doc: Doc, text: str, spans: list[tuple[int, int]], boundaries: set[int]) -> Doc:
    """``doc`` with its tokens split wherever a boundary falls inside one.

    The result is the doc ``doc.retokenize()`` splits would leave, made at once
    as a new ``Doc`` (retokenizing costs more than the whole entity search).
    That includes a quirk of spaCy's split, kept so that sentences stay where
    they were: the n-th piece of a split token takes the sentence start of the
    n-th token after it (the memory a split moves tokens away from is not
    cleared), or none past the end of the doc.
    """
    starts = [s for s, _ in spans]
    cuts: dict[int, list[int]] = {}
    for b in sorted(boundaries):
        i = bisect_right(starts, b) - 1
        if i >= 0 and spans[i][0] < b < spans[i][1]:
            cuts.setdefault(i, []).append(b)
    if not cuts:
        return doc
    array = doc.to_array([SPACY, SENT_START]).astype(numpy.int64)  # (-1: not a sentence start)
    space, sent = array[:, 0].astype(bool).tolist(), array[:, 1].tolist()
    n = len(spans)
    words = [text[s:e] for s, e in spans]
    new_words: list[str] = []
    new_space: list[bool] = []
    new_sent: list[int] = []
    done = 0
    for i in sorted(cuts):
        new_words += words[done:i]
        new_space += space[done:i]
        new_sent += sent[done:i]
        points = [spans[i][0], *cuts[i], spans[i][1]]
        new_words += [text[a:b] for a, b in zip(points, points[1:])]
        pieces = len(points) - 1
        new_space += [False] * (pieces - 1) + [space[i]]
        new_sent += [sent[i]] + [sent[i + k] if i + k < n else 0 for k in range(1, pieces)]
        done = i + 1
    new_words += words[done:]
    new_space += space[done:]
    new_sent += sent[done:]
    out = Doc(doc.vocab, words=new_words, spaces=new_space)
    out.from_array([SENT_START], numpy.array(new_sent, dtype=numpy.int64).astype(numpy.uint64))
    return out


def dictionary_words(text: str) -> list[str]:
    """The words of ``jieba.cut(text, HMM=False)``, cut by jieba-rs (the ``rjieba`` binding).

    jieba-rs is jieba's algorithm (the most probable path through the words
    of the dictionary, other characters on their own) over jieba's own
    dictionary, in Rust: the same words, seven times as fast as jieba's
    Python, which took a sixth of a build.  kg never adds words to jieba's
    dictionary, so the two agree; tests/test_nlp.py checks the words
    against jieba's.
    """
    return rjieba.cut(text, False)


class _DictionaryWordTokenizer(ChineseTokenizer):
    """spaCy's jieba tokenizer, cutting by jieba's dictionary only (no HMM guesses at unknown words).

    The name recognizer was written for these words, and unknown names are
    better left in characters for it than glued by the HMM; sharing one cut
    also saves segmenting every text twice.  Lone surrogates (which spaCy
    cannot hash) become U+FFFD, of the same length, so offsets hold.  Words
    and spaces are aligned with the text as ``spacy.util.get_words_and_spaces``
    aligns them, in linear time (it copies the rest of the text per word).
    """

    def __init__(self, vocab: Vocab) -> None:
        super().__init__(vocab, segmenter="jieba")

    def __call__(self, text: str) -> Doc:
        text = _SURROGATE.sub("\ufffd", text)
        words: list[str] = []
        spaces: list[bool] = []
        # jieba yields whitespace a character at a time: a run of it is one token, less the
        # space that follows a word (spaCy's ``whitespace_``)
        for is_space, group in groupby(dictionary_words(text), str.isspace):
            if not is_space:
                run = list(group)
                words += run
                spaces += [False] * len(run)
                continue
            gap = "".join(group)
            if words and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT] = text
        return doc


class _Sentencizer(Sentencizer):
    """spaCy's sentencizer, reading the words' text and punctuation flags in bulk (spaCy's own
    makes a Token object per word, which took a tenth of the pipeline's time).

    Its rule: a sentence starts at the first word that is neither punctuation nor one
    of ``punct_chars`` after one of ``punct_chars`` (the punctuation in between, a
    closing quote, stays with the sentence that ends).  So a word starts a sentence
    when the last token before it that is not other punctuation is a sentence end.
    """

    def predict(self, docs: list[Doc]) -> list[list[bool]]:
        guesses = []
        for doc in docs:
            if not len(doc):
                guesses.append([])
                continue
            array = doc.to_array([ORTH, IS_PUNCT])
            ends = numpy.isin(array[:, 0], numpy.array([doc.vocab.strings[c] for c in self.punct_chars],
                                                         dtype=array.dtype))
            kind = numpy.where(ends, 2, numpy.where(array[:, 1] != 0, 1, 0))  # 2 end, 1 other punctuation, 0 word
            at = numpy.flatnonzero(kind != 1)  # the words and sentence ends, and their kinds
            kinds = kind[at]
            starts = numpy.zeros(len(doc), dtype=bool)
            starts[0] = True
            starts[at[1:][(kinds[1:] == 0) & (kinds[:-1] == 2)]] = True
            guesses.append(starts.tolist())
        return guesses


@Language.factory("kg_sentencizer", default_config={"punct_chars": None})
def _make_sentencizer(nlp: Language, name: str, punct_chars: list[str] | None) -> _Sentencizer:
    return _Sentencizer(name, punct_chars=punct_chars)


@lru_cache(maxsize=1)
def load() -> Language:
    """The kg pipeline (built once per process: jieba's dictionary loads in ~0.3 s)."""
    import jieba

    jieba.setLogLevel(60)
    load_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer = _DictionaryWordTokenizer(nlp.vocab)
    nlp.add_pipe("kg_sentencizer", name="sentencizer",
                 config={"punct_chars": ["。", "！", "？", "!", "?", "；", ";", "\n"]})
    nlp.add_pipe("kg_entities")
    return nlp


_SURROGATE = re.compile("[\ud800-\udfff]")


def mentions_of(doc: Doc) -> list[Mention]:
    """All candidate mentions the pipeline found, as ``Mention`` values."""
    return [Mention(*m) for m in doc.user_data.get(MENTIONS, [])]


def regions_of(doc: Doc, text: str) -> list[RegionMatch]:
    """The region names of ``text``, the doc's text: those the pipeline found, or found now."""
    found = doc.user_data.get(REGIONS)
    return RegionTable.default().find(text) if found is None else found
