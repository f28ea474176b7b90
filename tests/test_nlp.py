"""The spaCy pipeline's entities on sentences written for the tests."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kg.annotate import annotate_text
from kg.nlp.pipeline import load
from kg.nlp.quantities import parse_amount, parse_count, parse_date


def ents(text: str) -> set[tuple[str, str]]:
    return {(e["text"], e["label"]) for e in annotate_text(text)["entities"]}


def test_pipeline_is_spacy_with_jieba_and_registered_component():
    nlp = load()
    assert nlp.lang == "zh" and nlp.tokenizer.segmenter == "jieba"
    assert "kg_entities" in nlp.pipe_names


def test_union_bodies_government_banks_and_companies():
    found = ents("浙江省温州市鹿城区总工会联合区人社局、中国建设银行温州分行和温州正泰电器股份有限公司工会举办招聘会。")
    assert ("浙江省温州市鹿城区总工会", "ORG") in found
    assert ("区人社局", "ORG") in found
    assert ("中国建设银行温州分行", "ORG") in found
    assert ("温州正泰电器股份有限公司工会", "ORG") in found


def test_titles_quotes_groups_money_dates():
    found = ents("2022年3月,该县总工会出台《困难职工帮扶办法》,启动“金秋助学”活动,为户外劳动者和女职工发放2万余元。")
    assert ("《困难职工帮扶办法》", "POLICY") in found
    assert ("“金秋助学”活动", "PROGRAM") in found
    assert ("户外劳动者", "GROUP") in found and ("女职工", "GROUP") in found
    assert ("2万余元", "MONEY") in found
    assert ("2022年3月", "DATE") in found


def test_entity_offsets_are_exact_characters():
    text = "近日，河北省邯郸市武安市总工会成立职工服务中心。"
    for e in annotate_text(text)["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]


def test_amounts_counts_and_dates_keep_their_precision():
    assert parse_amount("投入3111万元").value == 31110000
    a = parse_amount("发放2万余元")
    assert a.value == 20000 and a.qualifier == "atLeast"
    assert parse_amount("3.57亿元").value == 357000000
    assert parse_count("1000余名") == (1000, "atLeast")
    assert parse_count("74个") == (74, "exact")
    d = parse_date("3月11日上午")
    assert (d.year, d.month, d.day) == (None, 3, 11)
    assert parse_date("今年").relative == "今年"


def test_annotate_command_reads_jsonl_from_stdin():
    lines = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in ["山东省青岛市总工会开展培训。", "无实体"])
    out = subprocess.run([sys.executable, "-m", "kg", "annotate", "-"], input=lines, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    first = json.loads(out[0])
    assert first["text"] == "山东省青岛市总工会开展培训。"
    assert {"start": 0, "end": 9, "label": "ORG", "text": "山东省青岛市总工会"} in first["entities"]
    assert json.loads(out[1])["entities"] == []


def test_amount_bounds_come_from_the_words_around_them():
    from kg.nlp.quantities import qualify

    assert qualify(parse_amount("1亿元"), "额度突破", "").qualifier == "atLeast"
    assert qualify(parse_amount("200万元"), "额度最高", "。").qualifier == "atMost"
    assert qualify(parse_amount("500万元"), "投入近", "").qualifier == "approximately"
    assert qualify(parse_amount("5000元"), "每人", "以上").qualifier == "atLeast"
    assert qualify(parse_amount("300元"), "每月", "工作").qualifier == "exact"


def test_a_dictionary_organization_is_a_name_not_a_description():
    found = ents("全国人大常委会副委员长、全国妇联主席出席会议。")
    assert ("全国妇联", "ORG") in found


def test_a_meeting_verb_ends_an_organization_name():
    found = ents("国务院总理会见中国科学技术协会代表。")
    assert ("中国科学技术协会", "ORG") in found
    assert not any(label == "ORG" and text.startswith("会见") for text, label in found)


@pytest.mark.parametrize("text, junk", [
    ("中央对这项工作作出战略部署。", "战略部署"),
    ("各级党委要高度重视职工工作。", "各级党委"),
    ("新华社北京１２月２日电中共中央办公厅发出通知。", "日电中共中央办公厅"),
])
def test_descriptions_and_datelines_are_not_organizations(text, junk):
    assert (junk, "ORG") not in ents(text)


def test_a_one_character_suffix_in_a_dictionary_organization_counts():
    assert ("河北省邮政局", "ORG") in ents("河北省邮政局发出通知。")


def test_dictionary_words_are_jiebas_words():
    """The pipeline's dictionary-only cut (jieba-rs, through rjieba) gives jieba's words."""
    from pathlib import Path

    import jieba

    from kg.nlp.pipeline import dictionary_words

    load()
    samples = Path(__file__).resolve().parent.parent / "data" / "samples"
    texts = [p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt"))]
    texts += ["", " ", "\r\n\r\n", "a b  c\t\td", "ABC123 x.y-z 3.5% #1 & C++", "北京 上海\u3000广州",
              "ｆｕｌｌ　ｗｉｄｔｈ１２３", "😀表情符号", "1999年12月31日，¥500元"]
    for text in texts:
        assert list(dictionary_words(text)) == list(jieba.cut(text, HMM=False))


def test_split_words_are_those_retokenizing_gives():
    """The entity component re-makes the doc with words split at entity boundaries: the same
    tokens and sentence starts as splitting with doc.retokenize(), where spaCy gives the pieces
    of a split word the sentence starts of the words after it (here 近日's, inside 中华全国总工会)."""
    from spacy.attrs import SENT_START

    from kg.nlp.pipeline import _split, token_spans

    nlp = load()
    text = "中华全国总工会。近日，北京市总工会开展培训。"
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    spans = token_spans(doc)
    split = _split(doc, text, spans, set(range(len(text))))  # every word cut into its characters
    with doc.retokenize() as retokenizer:
        for token in doc:
            if len(token) > 1:
                retokenizer.split(token, list(token.text), heads=[(token, 0)] * len(token))
    assert [t.text for t in split] == [t.text for t in doc] == list(text)
    assert split.to_array([SENT_START]).tolist() == doc.to_array([SENT_START]).tolist()
    assert [s.text for s in split.sents] == [s.text for s in doc.sents]


def test_entities_read_in_bulk_are_the_docs_ents():
    """The extractors read ``doc.ents`` from the IOB arrays: the same spans spaCy's Span objects give."""
    from pathlib import Path

    from kg.nlp.pipeline import entity_spans, token_spans

    nlp = load()
    samples = Path(__file__).resolve().parent.parent / "data" / "samples"
    for path in sorted(samples.glob("*.txt"))[:2]:
        doc = nlp(path.read_text(encoding="utf-8")[:3000])
        assert len(doc.ents) > 20
        assert entity_spans(doc, token_spans(doc)) == [(e.start_char, e.end_char, e.label_) for e in doc.ents]
