"""Reading, normalizing and segmenting real pages (the seed corpus) and odd inputs."""
from __future__ import annotations

import json

import pytest

from kg.ingest.decode import UndecodableError, decode
from kg.ingest.normalize import normalize
from kg.ingest.read import Skipped, read_documents
from kg.ingest.segment import segment
from kg.model import Document

from conftest import SAMPLES


def page(name: str) -> Document:
    path = next(SAMPLES.glob(f"{name}_*.txt"))
    return Document(source=path.name, text=path.read_text(encoding="utf-8"))


def test_decode_utf8_bom_and_gb18030():
    text = "哈密市总工会出台《办法》"
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("gb18030")) == text
    assert decode(text.encode("gbk")) == text


@pytest.mark.parametrize("data", [b"\x00\x01\x02PK\x03\x04" * 50, bytes(range(256)) * 4])
def test_decode_rejects_binary(data):
    with pytest.raises(UndecodableError):
        decode(data)


def test_read_folder_glob_jsonl_and_bad_inputs(tmp_path):
    (tmp_path / "a.txt").write_text("本报讯 某市总工会举办活动。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("工会开展送温暖活动。".encode("gb18030"))
    (tmp_path / "c.txt").write_bytes(b"\x00\xff\x00binary")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    lines = [json.dumps({"id": "r1", "title": "标题", "text": "正文一", "date": "2021-03-01"}, ensure_ascii=False),
             "{not json", json.dumps({"id": "r3"})]
    (tmp_path / "d.jsonl").write_text("\n".join(lines), encoding="utf-8")
    skipped: list[Skipped] = []
    docs = list(read_documents([str(tmp_path), str(tmp_path / "missing.txt")], skipped))
    assert [d.source for d in docs] == ["a.txt", "b.txt", "d.jsonl"]
    assert docs[1].text == "工会开展送温暖活动。"
    assert docs[2].record_id == "r1" and docs[2].date == "2021-03-01" and docs[2].title == "标题"
    reasons = {(s.path.rsplit("/", 1)[-1], s.line): s.reason for s in skipped}
    assert "binary" in reasons[("c.txt", None)]
    assert reasons[("empty.txt", None)] == "empty file"
    assert "not valid JSON" in reasons[("d.jsonl", 2)]
    assert "text" in reasons[("d.jsonl", 3)]
    assert "no such file" in reasons[("missing.txt", None)]


def test_normalize_removes_stray_spaces_and_maps_back():
    doc = page("003")
    assert "社会化工会工 作者王小印" in doc.text
    norm = normalize(doc.text)
    assert "社会化工会工作者王小印当选区新就业形态行业工会联合会主席" in norm.text
    assert len(norm.offsets) == len(norm.text) + 1
    for i, ch in enumerate(norm.text):
        assert doc.text[norm.offsets[i]] == ch or ch == " "


def test_normalize_drops_continuation_marker_and_joins_broken_lines():
    doc = page("000")
    assert "(上接第1版)" in doc.text
    norm = normalize(doc.text)
    assert "上接第1版" not in norm.text
    # "…配备专用活动器材得2\n\n分,建有职工书屋…" is one sentence cut by the PDF
    assert "配备专用活动器材得2分,建有职工书屋得1分" in norm.text


def test_segment_page_into_articles_with_datelines_bylines_and_captions():
    doc = page("000")
    articles = segment(doc, normalize(doc.text))
    assert len(articles) >= 7
    assert len({a.id for a in articles}) == len(articles)
    first = articles[0]
    assert "新疆哈密畅通社会化工会工作者发展渠道" in first.headline
    assert "记者吴锋思" in first.bylines
    assert "本报讯" not in first.text
    caption = next(a for a in articles if "春风行动" in a.text and a.kind == "caption")
    assert any("李长林" in b for b in caption.bylines)
    assert "摄" not in caption.text.splitlines()[-1][-3:]
    # the same input gives the same ids
    assert [a.id for a in segment(doc, normalize(doc.text))] == [a.id for a in articles]


def test_article_offsets_point_into_the_input():
    doc = page("001")
    for article in segment(doc, normalize(doc.text)):
        for i, ch in enumerate(article.text):
            if ch != "\n":  # paragraph separators are not in the input
                assert doc.text[article.offsets[i]] == ch
        s, e = article.source_span(0, 2)
        assert doc.text[s:e] == article.text[:2]


def test_jsonl_record_is_one_article():
    doc = Document(source="x.jsonl", text="阳谷县总工会联合县人社局建成劳动者权益保障中心。", record_id="r9", title="标题")
    [article] = segment(doc, normalize(doc.text))
    assert article.id == "r9" and article.headline == "标题"
    assert article.text == doc.text


def test_kicker_above_a_headline_opens_the_next_story():
    body = "甲县总工会近日走访了辖区内的多家企业,了解职工的实际需求,工会干部们表示这样能够有效"
    text = ("\n仙游县总工会开展送清凉活动\n\n本报讯 " + body + "\n\n"
            "为环卫工人发放防暑用品;成立职工互助会——\n\n"
            "乙市总工会 情暖一线职工\n\n本报讯 记者李明报道 乙市总工会今年持续关爱一线职工。\n")
    doc = Document(source="k.txt", text=text)
    first, second = segment(doc, normalize(text))
    assert "互助会" not in first.text
    assert second.headline.startswith("为环卫工人发放防暑用品") and "乙市总工会" in second.headline
