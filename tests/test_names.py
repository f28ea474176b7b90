"""kg.nlp.names.find_names on sentences written for these tests (not from MSRA, not from the corpus)."""
from __future__ import annotations

import random

import pytest

from kg.nlp.names import LABELS, find_names


def names(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], label) for s, e, label in find_names(text)]


def assert_well_formed(text: str, spans) -> None:
    assert isinstance(spans, list)
    last_end = 0
    for span in spans:
        assert isinstance(span, tuple) and len(span) == 3
        s, e, label = span
        assert isinstance(s, int) and isinstance(e, int)
        assert 0 <= s < e <= len(text), (text, span)
        assert s >= last_end, f"overlapping or unsorted spans in {spans}"
        assert label in LABELS
        last_end = e


# ---------------------------------------------------------------- persons
@pytest.mark.parametrize(
    "text, person",
    [
        ("公司董事长王建国表示，今年将加大研发投入。", "王建国"),
        ("县人社局局长李红梅介绍，该县已帮助三千名农民工返乡就业。", "李红梅"),
        ("农民工张海涛在工地上受伤后，获得了工会的帮助。", "张海涛"),
        ("市总工会党组书记、常务副主席高建民主持会议。", "高建民"),
        ("王芳是一名护士。", "王芳"),
        ("这部电影的导演是陈凯歌。", "陈凯歌"),
        # a verb of taking a post after the name is not its last character (李明 + 任, not 李明任)
        ("会议选举李明任市总工会主席。", "李明"),
        # a surname before a word that is also a name on its own (陈 + 海燕)
        ("陈海燕现任市妇联主席。", "陈海燕"),
    ],
)
def test_person_with_and_without_post(text, person):
    assert (person, "PERSON") in names(text)


def test_three_character_name_split_into_single_characters():
    # jieba's dictionary cuts 郑/沁/心 apart; its HMM joins them, as a name reader does
    assert ("郑沁心", "PERSON") in names("县人民医院医生郑沁心格外高兴。")
    assert ("王明", "PERSON") in names("王明说,活动很成功。")


def test_post_is_not_part_of_the_name():
    found = names("公司董事长王建国表示")
    assert ("王建国", "PERSON") in found
    assert not any(label == "PERSON" and "董事长" in t for t, label in found)


def test_two_persons_in_a_list():
    found = names("陈晓东和李娜参加了比赛。")
    assert ("陈晓东", "PERSON") in found
    assert ("李娜", "PERSON") in found


def test_compound_surnames():
    found = names("欧阳晓明和司马南在会上发言。")
    assert ("欧阳晓明", "PERSON") in found
    assert ("司马南", "PERSON") in found
    assert ("上官婉儿", "PERSON") in names("上官婉儿在会上发言。")


def test_surname_before_a_title_is_a_person():
    assert ("刘", "PERSON") in names("这家餐厅的老板姓刘，大家都叫他刘老板。")


@pytest.mark.parametrize(
    "text, person",
    [
        ("热合曼·阿不都拉是新疆维吾尔自治区的劳动模范。", "热合曼·阿不都拉"),
        ("阿依古丽·买买提在会上发言。", "阿依古丽·买买提"),
        ("买买提·艾力获得了全国五一劳动奖章。", "买买提·艾力"),
    ],
)
def test_ethnic_names_with_a_dot(text, person):
    assert (person, "PERSON") in names(text)


def test_foreign_names():
    found = names("据报道，法国总统马克龙当天会见了来访的客人。")
    assert ("马克龙", "PERSON") in found
    assert ("法国", "REGION") in found


def test_ordinary_words_are_not_persons():
    for text in ("方向明确之后，大家干劲十足。", "和平发展是时代主题。", "白天气温较高，晚上比较凉快。",
                 "高温天气持续，户外劳动者的防暑降温工作引起关注。", "明年春节期间，铁路部门将加开临时列车。"):
        assert not [n for n in names(text) if n[1] == "PERSON"], text


# ---------------------------------------------------------------- organizations
@pytest.mark.parametrize(
    "text, org",
    [
        ("中国农业银行哈密分行与当地企业签署合作协议。", "中国农业银行哈密分行"),
        ("中国农业银行景德镇分行行长张卫东说", "中国农业银行景德镇分行"),
        ("招商银行深圳分行推出了新的服务。", "招商银行深圳分行"),
        ("中国工商银行股份有限公司北京分行营业部开展了金融知识宣传。", "中国工商银行股份有限公司北京分行营业部"),
        ("深圳市腾讯计算机系统有限公司的员工参加了志愿服务。", "深圳市腾讯计算机系统有限公司"),
        ("贵州茅台酒股份有限公司发布了年度报告。", "贵州茅台酒股份有限公司"),
        ("马云创办了阿里巴巴集团。", "阿里巴巴集团"),
    ],
)
def test_banks_branches_and_companies(text, org):
    assert (org, "ORG") in names(text)


@pytest.mark.parametrize(
    "text, org",
    [
        ("县人社局局长李红梅介绍", "县人社局"),
        ("国家市场监督管理总局近日发布通知，要求加强食品安全监管。", "国家市场监督管理总局"),
        ("记者从江西省人力资源和社会保障厅获悉，全省将开展春风行动。", "江西省人力资源和社会保障厅"),
        ("金华市委书记主持召开专题会议。", "金华市委"),
        ("国家税务总局上海市税务局发布公告。", "国家税务总局上海市税务局"),
    ],
)
def test_government_bodies(text, org):
    assert (org, "ORG") in names(text)


@pytest.mark.parametrize(
    "text, org",
    [
        ("北京市第二中级人民法院审理了一起劳动争议案件。", "北京市第二中级人民法院"),
        ("江西省南昌市青山湖区人民法院近日作出判决。", "江西省南昌市青山湖区人民法院"),
        ("杭州市西湖区人民检察院依法提起公诉。", "杭州市西湖区人民检察院"),
        ("江苏省高级人民法院发布了典型案例。", "江苏省高级人民法院"),
    ],
)
def test_courts(text, org):
    assert (org, "ORG") in names(text)


@pytest.mark.parametrize(
    "text, org",
    [
        ("清华大学和北京协和医院的专家参加了研讨会。", "清华大学"),
        ("清华大学和北京协和医院的专家参加了研讨会。", "北京协和医院"),
        ("武汉大学中南医院的医护人员奔赴一线。", "武汉大学中南医院"),
        ("河北省唐山市丰南区人民医院开展义诊。", "河北省唐山市丰南区人民医院"),
        ("浙江大学医学院附属第一医院的医生说", "浙江大学医学院附属第一医院"),
    ],
)
def test_universities_and_hospitals(text, org):
    assert (org, "ORG") in names(text)


@pytest.mark.parametrize(
    "text, org",
    [
        ("景德镇市总工会联合银行推出小额贷款。", "景德镇市总工会"),
        ("石家庄市桥西区总工会为环卫工人送去清凉。", "石家庄市桥西区总工会"),
        ("全国总工会副主席出席会议并讲话。", "全国总工会"),
        ("市总工会为困难职工送去慰问金。", "市总工会"),
    ],
)
def test_trade_unions(text, org):
    assert (org, "ORG") in names(text)


def test_region_inside_an_organization_is_not_reported_apart():
    found = names("石家庄市桥西区总工会为环卫工人送去清凉。")
    assert found == [("石家庄市桥西区总工会", "ORG")]


# ---------------------------------------------------------------- places
def test_regions():
    found = names("江西省南昌市青山湖区的职工参加了培训。")
    assert ("江西省", "REGION") in found
    assert ("南昌市", "REGION") in found
    assert ("青山湖区", "REGION") in found
    found = names("他们从上海出发，经过东京，最后到达纽约。")
    for place in ("上海", "东京", "纽约"):
        assert (place, "REGION") in found


def test_country_abbreviations():
    found = names("中美双方就经贸问题举行会谈。")
    assert ("中", "REGION") in found and ("美", "REGION") in found


# ---------------------------------------------------------------- odd input
@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\t", "😀😀😀", "hello world 123", "abc王建国表示😀", "王", "·", "··王·", "（女）", "ＡＢＣ公司",
     "王建国\u200b表示", "中\ud800国", "１２３４５", "王" * 500, "北京" * 300],
)
def test_odd_input_gives_well_formed_spans(text):
    spans = find_names(text)
    assert_well_formed(text, spans)


def test_offsets_are_characters_next_to_emoji_and_ascii():
    text = "😀abc王建国表示"
    spans = find_names(text)
    assert_well_formed(text, spans)
    assert (4, 7, "PERSON") in spans


def test_random_text_gives_well_formed_spans():
    rng = random.Random(7)
    pieces = list("王李张欧阳司马·、，。的了在和是中国美北京市总工会银行分行公司局厅院大学医院阿克斯尔 abc😀１２")
    pieces += ["总工会", "人民法院", "有限公司", "董事长", "先生", "·"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert_well_formed(text, find_names(text))


def test_deterministic():
    text = "公司董事长王建国表示，中国农业银行景德镇分行和县人社局将合作。"
    assert find_names(text) == find_names(text)


def test_xin_before_a_verb_is_newly_not_singapore():
    assert not any(label == "REGION" for _, label in names("大会对新当选的理事表示祝贺。"))
