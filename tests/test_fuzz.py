"""Never crash on text: generated inputs through every stage, from bytes to RDF.

Arbitrary Unicode (control characters, emoji, lone surrogates, mixed scripts,
long lines) and text spliced from the sample pages' own lines, characters,
punctuation and page furniture (datelines, bylines, photo credits,
continuation markers) go through decoding and reading, normalization,
segmentation, annotation and extraction.  Every stage must finish; every
provenance offset must point at its evidence; every triple must serialize to
N-Triples and Turtle that pyoxigraph parses back, with ASCII IRIs.

``KG_FUZZ_EXAMPLES=N`` multiplies the example counts (the CI run is small and
fast; ``bench/fuzz.py`` runs the same checks on 10,000+ inputs).
"""
from __future__ import annotations

import json
import os
import re

import pyoxigraph as ox
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.ingest.decode import UndecodableError, decode
from kg.ingest.normalize import _CONTINUATION, _WIDTH, normalize
from kg.ingest.read import Skipped, read_documents
from kg.ingest.segment import segment
from kg.model import Document

from conftest import SAMPLES

#: CI sizes; KG_FUZZ_EXAMPLES=N runs N examples of the end-to-end property and more of the fast ones
SCALE = int(os.environ.get("KG_FUZZ_EXAMPLES", "0") or 0)


def examples(ci: int, factor: float = 1.0) -> int:
    return max(ci, int(SCALE * factor)) if SCALE else ci


FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                derandomize=not SCALE, database=None)

# -- what inputs look like ---------------------------------------------------------------------------

PAGES = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
LINES = sorted({line for page in PAGES for line in page.splitlines() if line.strip()})
CJK = sorted({ch for page in PAGES for ch in page if "\u3400" <= ch <= "\u9fff"})
PUNCT = list("，。、；：？！“”‘’《》（）()【】—…·%,.;:?!\"'-/")
FURNITURE = ["(上接第1版)", "（下转第3版）", "( 上接第 2 版 )", "本报讯", "本报讯(记者 吴锋思)", "本报记者 张三 通讯员 李四",
             "李长林 摄", "新华社发", "阅读提示:", "编者按：", "■", "●", "【", "\u3000\u3000", "２０２１年３月１１日",
             "今年", "去年3月", "5000万元", "2万余元", "1000余名", "市总", "该市总工会", "《办法》", "“瓷都工贷”",
             "景德镇市总工会", "新疆哈密", "大洲镇", "农民工", "女职工", "户外劳动者", "副主席"]
ODD = ["\x00", "\x0b", "\x1c", "\x85", "\u2028", "\u200b", "\ufeff", "\ufffd", "\ud800", "\udfff", "\U0001f600",
       "\u0301", "\uffff", "\r", "\r\n", "\t", "\u00a0", "<", ">", "&", '"', "\\", "{", "}", "^", "`", "|"]

any_char = st.characters(exclude_categories=())  # every code point Python allows in str, lone surrogates too
any_text = st.text(any_char, max_size=200)
cjk_text = st.text(st.sampled_from(CJK + PUNCT + [" ", "\n", "\u3000"] + ODD[:8]), max_size=300)
piece = st.one_of(
    st.sampled_from(LINES), st.sampled_from(FURNITURE), st.sampled_from(ODD),
    st.text(st.sampled_from(CJK + PUNCT), max_size=30), st.text(any_char, max_size=8),
    st.sampled_from(["\n", "\n\n", "\n \n", " ", "  ", "\r\n"]),
)
spliced = st.lists(piece, max_size=30).map("".join)
long_line = st.builds(lambda line, n, odd: (line * n)[:6000] + odd, st.sampled_from(LINES),
                      st.integers(2, 200), st.sampled_from(ODD + [""]))
texts = st.one_of(any_text, cjk_text, spliced, spliced, long_line)


@st.composite
def mutated_page(draw) -> str:
    """A stretch of a real page (several articles, with their furniture) with a few random edits."""
    page = draw(st.sampled_from(PAGES))
    start = draw(st.integers(0, max(len(page) - 200, 0)))
    text = page[start:start + draw(st.integers(200, 1200))]
    for _ in range(draw(st.integers(0, 8))):
        pos = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        new = draw(st.one_of(st.sampled_from(ODD + FURNITURE + PUNCT + ["\n", "\n\n"]), st.text(any_char, max_size=3)))
        if edit == "insert":
            text = text[:pos] + new + text[pos:]
        elif edit == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)):]
        else:
            text = text[:pos] + new + text[pos + len(new):]
    return text


real_texts = st.one_of(texts, mutated_page())


# -- what must hold ----------------------------------------------------------------------------------

def squeeze(text: str) -> str:
    """The input as normalization keeps it: no white space, no continuation markers, half-width."""
    return "".join(_CONTINUATION.sub("", text).translate(_WIDTH_TABLE).split())


_WIDTH_TABLE = str.maketrans(_WIDTH)


def check_normalize(text: str) -> None:
    norm = normalize(text)
    assert len(norm.offsets) == len(norm.text) + 1
    assert norm.offsets[-1] == len(text)
    assert all(a < b for a, b in zip(norm.offsets, norm.offsets[1:]))  # one input character each, in order
    for i, ch in enumerate(norm.text):
        assert _WIDTH.get(text[norm.offsets[i]], text[norm.offsets[i]]) == ch


def check_segment(doc: Document) -> None:
    articles = segment(doc, normalize(doc.text))
    assert len({a.id for a in articles}) == len(articles)
    for article in articles:
        assert len(article.offsets) == len(article.text) + 1
        for i, ch in enumerate(article.text):
            if ch != "\n":  # (paragraph separators are not in the input)
                assert _WIDTH.get(doc.text[article.offsets[i]], doc.text[article.offsets[i]]) == ch


def check_annotate(text: str) -> None:
    from kg.nlp.pipeline import load, mentions_of

    doc = load()(text)
    assert doc.text == re.sub("[\ud800-\udfff]", "\ufffd", text)  # (lone surrogates replaced, offsets kept)
    end = -1
    for ent in doc.ents:
        assert 0 <= ent.start_char < ent.end_char <= len(text) and ent.start_char >= end
        end = ent.end_char
    for m in mentions_of(doc):
        assert 0 <= m.start <= m.end <= len(text)


def check_pipeline(doc: Document) -> list[str]:
    """Analyse ``doc`` and check provenance and RDF; the N-Triples lines."""
    from kg.build import analyse
    from kg.rdf.emit import article_triples, fact_triples
    from kg.rdf.ntriples import lines

    rows: list[str] = []
    for article, facts in analyse(doc):
        rows.extend(lines(article_triples(article)))
        for fact in facts:
            prov = fact.provenance
            assert 0 <= prov.start - doc.offset <= prov.end - doc.offset <= len(doc.text)
            original = doc.text[prov.start - doc.offset:prov.end - doc.offset]
            assert squeeze(original) == squeeze(prov.sentence), (original, prov.sentence)
            assert 0 < fact.confidence <= 1
            rows.extend(lines(fact_triples(fact, article.date)))
    nt = "".join(rows)
    nt.encode("utf-8")  # (no lone surrogate reaches the output)
    check_rdf(nt)
    return rows


def check_rdf(nt: str) -> ox.Store:
    store = ox.Store()
    store.load(input=nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    for quad in store:
        for t in (quad.subject, quad.predicate, quad.object):
            if isinstance(t, ox.NamedNode):
                assert t.value.isascii(), t.value  # IRIs are ASCII (DESIGN.md)
    from kg.rdf.vocab import PREFIXES

    ttl = store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
                     prefixes={k: str(v) for k, v in PREFIXES.items()})
    back = {q.triple for q in ox.parse(input=ttl, format=ox.RdfFormat.TURTLE)}
    assert back == {q.triple for q in store}
    return store


# -- the properties ----------------------------------------------------------------------------------

@settings(FUZZ, max_examples=examples(1500, 3))
@given(st.one_of(texts, st.text(st.sampled_from("本报讯记者摄 \n\r\t\u3000(上接第1版)，。" + "".join(CJK[:50])), max_size=400)))
def test_normalize_keeps_a_map_to_every_input_character(text):
    check_normalize(text)


@settings(FUZZ, max_examples=examples(800, 2))
@given(texts, st.booleans())
def test_segmented_articles_point_into_the_input(text, record):
    doc = Document(source="f.txt", text=text, record_id="r1" if record else None, title="标题" if record else None)
    check_segment(doc)


@settings(FUZZ, max_examples=examples(300, 1))
@given(texts)
def test_annotation_never_crashes(text):
    check_annotate(text)


@settings(FUZZ, max_examples=examples(200, 1))
@given(real_texts, st.sampled_from([None, "2021-03-01"]), st.sampled_from([0, 0, 123_457]))
# found by the campaign: a headline, then a dateline cut to "本报讯)": the ")" joined the headline's sentence
@example("江西乐平市总积极开展农民工异地维权服务\n\n本报讯)“谢谢工会,谢谢维权站。”近日,江西景德镇市乐平市总工会开展维权服务。",
         None, 0)
def test_extraction_provenance_and_rdf_on_any_text(text, date, offset):
    check_pipeline(Document(source="fuzz-页.txt", text=text, date=date, offset=offset))


@settings(FUZZ, max_examples=examples(8, 0.01))
@given(st.lists(spliced, min_size=1, max_size=3))
def test_graph_exports_of_fuzzed_pages_parse(tmp_path_factory, pages):
    """A few fuzzed pages all the way to GraphML that igraph reads and Turtle that pyoxigraph reads."""
    import igraph

    from kg.export.graphml import write as write_graphml

    rows = []
    for n, page in enumerate(pages):
        rows += check_pipeline(Document(source=f"p{n}.txt", text=page))
    store = check_rdf("".join(rows))
    path = tmp_path_factory.mktemp("gml") / "graph.graphml"
    write_graphml(store, path)
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.vcount() >= 0


# -- bytes and files ---------------------------------------------------------------------------------

@settings(FUZZ, max_examples=examples(1000, 2))
@given(st.one_of(st.binary(max_size=600), texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 texts.map(lambda t: t.encode("gb18030", "replace"))))
def test_decode_returns_text_or_says_why(data):
    try:
        text = decode(data)
    except UndecodableError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert isinstance(text, str)
        text.encode("utf-8")  # (decoding never yields lone surrogates)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | any_text,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
                           max_leaves=8)
records = st.fixed_dictionaries({}, optional={"id": json_values | any_text, "title": json_values, "date": json_values,
                                              "text": texts | json_values})
jsonl_line = st.one_of(records.map(lambda r: json.dumps(r, ensure_ascii=False)), records.map(json.dumps),
                       any_text.map(lambda t: t.replace("\n", " ")), st.just(""))


@settings(FUZZ, max_examples=examples(300, 1))
@given(st.lists(jsonl_line, max_size=6), st.binary(max_size=300), texts)
def test_reading_any_file_yields_documents_or_skips(tmp_path_factory, lines, junk, text):
    folder = tmp_path_factory.mktemp("in")
    (folder / "a.jsonl").write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    (folder / "b.txt").write_bytes(junk)
    (folder / "c.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
    skipped: list[Skipped] = []
    docs = list(read_documents([str(folder)], skipped))
    for doc in docs:
        assert doc.text.strip()
        (doc.source + doc.text + (doc.record_id or "") + (doc.title or "") + (doc.date or "")).encode("utf-8")
        assert doc.date is None or re.fullmatch(r"\d{4}-\d\d-\d\d", doc.date)
    for s in skipped:
        line = str(s)
        assert "\n" not in line and line.startswith(str(folder))
    jsonl = [s for s in skipped if s.path.endswith("a.jsonl") and s.line is not None]
    assert all(1 <= s.line <= max(len(lines), 1) for s in jsonl)


def test_hypothesis_strategies_cover_the_page_furniture():
    # (a guard: the CJK strategy is built from the pages, so an empty sample folder would fuzz nothing)
    assert len(CJK) > 500 and len(LINES) > 100
