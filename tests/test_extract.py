"""Extraction on sentences written for the tests (not from the corpus): one family of patterns each."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.build import analyse
from kg.extract import ArticleContext, extract
from kg.model import Article, Document
from kg.nlp.pipeline import load


def facts_of(text: str, date: str | None = None):
    article = Article(id="t-00", source="t.txt", index=0, headline="", text=text,
                      offsets=tuple(range(len(text) + 1)), date=date)
    return extract(ArticleContext(article, load()(text)))


def page_facts(text: str):
    """Facts of a whole page: segmented into articles (headlines, datelines) as `kg build` does."""
    return [f for _, found in analyse(Document(source="page.txt", text=text)) for f in found]


def only(facts, kind):
    return [f for f in facts if f.kind == kind]


def test_launch_with_partners_beneficiaries_and_place():
    text = ("日前,广西壮族自治区柳州市总工会联合市人社局、中国农业银行柳州分行举办“春暖农民工”专场招聘活动,"
            "为2000余名农民工提供岗位。")
    [launch] = only(facts_of(text), "Launch")
    assert launch.subject.name == "柳州市总工会" and launch.subject.kind == "TradeUnion"
    assert launch.object.name == "春暖农民工"
    assert [p.name for p in launch.qualifier("partners")] == ["柳州市人社局", "中国农业银行柳州分行"]
    assert launch.qualifier("beneficiaries") == ["农民工"]
    assert launch.qualifier("place").code == "450200"
    assert launch.provenance.sentence.startswith("日前") and launch.provenance.start == 0


def test_short_form_resolves_to_the_federation_named_before():
    text = "四川省绵阳市总工会近日召开会议。会上,市总宣布启动“匠心绵阳”职工技能提升计划。"
    [launch] = only(facts_of(text), "Launch")
    assert launch.subject.name == "绵阳市总工会"
    assert "市总" in launch.subject.aliases
    assert launch.object.name.startswith("匠心绵阳")


def test_policy_issuance_with_title_and_year():
    text = "2023年,湖南省常德市鼎城区总工会印发《关于加强新就业形态劳动者权益保障的实施意见》。"
    [policy] = only(facts_of(text), "PolicyIssuance")
    assert policy.subject.name == "常德市鼎城区总工会"
    assert policy.object.name == "关于加强新就业形态劳动者权益保障的实施意见"
    assert policy.qualifier("date").year == 2023
    assert policy.qualifier("place").name == "鼎城区"


def test_several_titles_are_several_policies():
    text = "去年以来,安徽省肥西县总工会先后出台了《职工互助保障实施办法》《困难职工帮扶细则》等文件。"
    names = sorted(f.object.name for f in only(facts_of(text), "PolicyIssuance"))
    assert names == ["困难职工帮扶细则", "职工互助保障实施办法"]


def test_facility_with_count_and_passive_agent():
    facts = facts_of("江西省赣州市章贡区总工会今年在各街道建成12个户外劳动者服务站。")
    [station] = only(facts, "FacilityEstablishment")
    assert station.object.name == "户外劳动者服务站" and station.qualifier("count") == (12, "exact")
    [center] = only(facts_of("爱心驿站由赣州市章贡区总工会联合区城管局共同建成。"), "FacilityEstablishment")
    assert center.subject.name == "赣州市章贡区总工会" and center.object.name == "爱心驿站"


def test_money_amount_is_decimal_cny():
    text = "安徽省合肥市总工会今年实施“职工暖心”帮扶计划,投入资金3111万元。"
    [launch] = only(facts_of(text), "Launch")
    amount = launch.qualifier("amount")
    assert amount.value == Decimal("31110000") and amount.qualifier == "exact"


def test_post_organization_then_title_then_name():
    text = "福建省泉州市总工会党组书记、常务副主席陈志强介绍,今年全市工会将加大投入。"
    [post] = only(facts_of(text), "Membership")
    assert post.subject.name == "陈志强"
    assert post.object.name == "泉州市总工会"
    assert post.qualifier("role").name == "党组书记、常务副主席"


@pytest.mark.parametrize("text", [
    "记者王小明报道,会议在北京召开。",  # a byline is no post
    "工会干部走访了困难职工。",  # no named organization, no event
    "",
])
def test_no_fact_where_none_is_stated(text):
    assert only(facts_of(text), "Membership") == [] and only(facts_of(text), "Launch") == []


def test_pronoun_subject_takes_the_body_named_before():
    text = "河南省郑州市总工会成立职工心理服务团。她们将开展“心灵驿站”关爱活动。"
    launches = only(facts_of(text), "Launch")
    assert [(f.subject.name, f.object.name) for f in launches] == [("职工心理服务团", "心灵驿站")]


def test_this_city_is_the_city_named_last():
    text = "甘肃省天水市地处西北。近年来,该市建立职工技能提升制度。"
    [launch] = only(facts_of(text), "Launch")
    assert launch.subject.name == "天水市" and launch.object.name == "职工技能提升制度"


def test_organizer_is_the_agent_and_held_at_resolves_a_bare_county():
    text = "浙江省丽水市总工会召开会议。日前,在丽水市总工会组织下,全市职工发起爱心捐款活动。首届职工运动会在缙云举行。"
    facts = only(facts_of(text), "Launch")
    by_object = {f.object.name: f for f in facts}
    assert by_object["爱心捐款活动"].subject.name == "丽水市总工会"
    assert by_object["职工运动会"].qualifier("place").name == "缙云县"


def test_quoted_program_owned_by_the_organization_before_it():
    text = "近日,贵州省遵义市总工会“职工夜校”平台上线,为职工提供课程。"
    [launch] = only(facts_of(text), "Launch")
    assert launch.subject.name == "遵义市总工会" and launch.object.name == "职工夜校"


def test_counted_facilities_of_the_article_union():
    text = "黑龙江省总工会持续推进服务阵地建设。全省已有120家职工服务中心、860个“职工驿站”。"
    names = {f.object.name: f.qualifier("count") for f in only(facts_of(text), "FacilityEstablishment")}
    assert names == {"职工服务中心": (120, "exact"), "职工驿站": (860, "exact")}


def test_place_is_not_guessed_for_an_ambiguous_name():
    # 朝阳区 exists in Beijing and in Changchun: resolved only inside a place named before
    assert only(facts_of("朝阳区总工会启动“暖心行动”。"), "Launch")[0].qualifier("place") is None
    [launch] = only(facts_of("吉林省长春市朝阳区总工会启动“暖心行动”。"), "Launch")
    assert launch.qualifier("place").code == "220104"


def test_short_title_resolves_to_the_full_title():
    text = "陕西省总工会出台《陕西省职工互助保障管理办法(试行)》。省总工会还将制定《办法》配套细则。"
    titles = {f.object.name for f in only(facts_of(text), "PolicyIssuance")}
    assert "办法" not in titles and "陕西省职工互助保障管理办法(试行)" in titles


def test_person_is_a_post_of_an_organization():
    text = "今年45岁的张丽华是宁夏银川市恒信纺织有限公司下属车间的一名普通职工。"
    [post] = only(facts_of(text), "Membership")
    assert post.subject.name == "张丽华" and post.qualifier("role").name == "职工"
    assert post.object.name.endswith("纺织有限公司")


def test_two_posts_in_two_organizations():
    text = "湖北省宜昌市夷陵区小溪塔街道党工委副书记、街道总工会主席王明说,活动很成功。"
    posts = {(f.qualifier("role").name, f.subject.name, f.object.name) for f in only(facts_of(text), "Membership")}
    assert ("主席", "王明", "宜昌市夷陵区小溪塔街道总工会") in posts
    # a place's party committee: the post is the place's 党工委副书记
    assert ("党工委副书记", "王明", "宜昌市夷陵区小溪塔街道") in posts


@pytest.mark.parametrize("text, person, role, org", [
    ("全委会选举赵立民任安徽省芜湖市总工会主席，选举工作顺利完成。", "赵立民", "主席", "芜湖市总工会"),
    ("陈海燕现任甘肃省天水市总工会党组书记。", "陈海燕", "党组书记", "天水市总工会"),
    ("大会选举孙志强为江苏省盐城市总工会副主席。", "孙志强", "副主席", "盐城市总工会"),
])
def test_person_takes_a_post_in_an_organization(text, person, role, org):
    """Person, verb of taking a post (任, 现任, 为 after 选举), organization, post: the person is
    not read as part of the organization (赵立新任… is no union) nor the verb as part of the name."""
    posts = {(f.subject.name, f.qualifier("role").name, f.object.name) for f in only(facts_of(text), "Membership")}
    assert (person, role, org) in posts


def test_abbreviation_of_a_body_named_before():
    text = ("外出务工人员向江西省上饶市驻浙江省农民工权益服务站求助。"
            "权益站站长孙立群与工作人员赶到现场协调。")
    [post] = only(facts_of(text), "Membership")
    assert (post.subject.name, post.qualifier("role").name) == ("孙立群", "站长")
    assert post.object.name == "江西省上饶市驻浙江省农民工权益服务站"


def test_declared_short_name():
    text = ("李红梅是福建省晋江恒安纸业股份有限公司(以下简称“恒安公司”)的一名普通员工。"
            "恒安公司工会为全体女职工定制了重大疾病互助保险。")
    [launch] = only(facts_of(text), "Launch")
    assert launch.subject.name == "福建省晋江恒安纸业股份有限公司工会"
    assert "恒安公司工会" in launch.subject.aliases


def test_later_predicates_share_the_subject_and_policies_are_issued():
    text = "近年来,湖南省郴州市实施“家门口就业”工程,出台技能培训、创业补贴等政策,吸引企业落户。"
    facts = facts_of(text)
    [launch] = only(facts, "Launch")
    [policy] = only(facts, "PolicyIssuance")
    assert launch.object.name == "家门口就业" and policy.object.name == "技能培训、创业补贴等政策"
    assert launch.subject.name == policy.subject.name == "郴州市"


def test_the_unions_of_a_place_act_together_but_are_not_the_topic():
    text = ("山东省德州市总工会召开会议。据悉,德州市11个县市区工会全部建立职工法律服务站。"
            "同时,制定律师值班制度。")
    facts = facts_of(text)
    [station] = only(facts, "FacilityEstablishment")
    assert station.subject.name == "德州市11个县市区工会" and station.subject.kind == "TradeUnion"
    [rule] = only(facts, "Launch")
    assert rule.subject.name == "德州市总工会"


def test_kicker_facts_belong_to_the_union_of_the_headline():
    text = ("\n为环卫工人发放防暑用品;成立职工互助会——\n\n江苏省宿迁市总工会 情暖一线职工\n\n"
            "本报讯 记者李明报道 宿迁市总工会今年持续关爱一线职工。\n")
    [mutual] = only(page_facts(text), "FacilityEstablishment")
    assert mutual.object.name == "职工互助会" and mutual.subject.name == "宿迁市总工会"


def test_adverbs_and_light_verbs_before_the_verb_keep_the_topic():
    text = ("福建省泉州市总工会召开会议。会议要求,普遍推行“1+3”协商模式;"
            "同时,推动建立区域性职工服务驿站,为职工提供服务。")
    facts = facts_of(text)
    assert {f.object.name for f in only(facts, "Launch")} >= {"1+3协商模式"}
    [station] = only(facts, "FacilityEstablishment")
    assert station.object.name == "区域性职工服务驿站" and station.subject.name == "泉州市总工会"


def test_verb_and_bare_document_in_one_word():
    [notice] = only(facts_of("日前,甘肃省总工会发出通知,要求做好职工疗休养工作。"), "PolicyIssuance")
    assert notice.object.name == "通知" and notice.subject.name == "甘肃省总工会"


def test_a_named_program_keeps_its_agent_when_restated_without_one():
    text = ("河南省洛阳市总工会与银行联合推出“河洛工贷”项目。洛阳钼业集团工会开展职工座谈活动。"
            "据悉,今年“河洛工贷”项目共为30户企业提供贷款500万元。")
    [loan] = [f for f in only(facts_of(text), "Launch") if f.object.name == "河洛工贷"]
    assert loan.subject.name == "洛阳市总工会" and loan.qualifier("amount").value == Decimal(5_000_000)


@pytest.mark.parametrize("text", [
    "四川省总工会表示,这项工作有利于深化改革,建立职工民主管理长效机制。",
    "通知强调,各级工会要建立困难职工帮扶长效机制。",
    "下一步,四川省总工会将继续深化改革,推进职工之家建设。",
])
def test_purposes_duties_and_plans_are_not_events(text):
    assert only(facts_of(text), "Launch") == []


def test_a_headline_shortening_a_program_is_the_same_event():
    text = ("\n青海省海东市总工会举办职工篮球比赛\n\n本报讯 近日,青海省海东市总工会举办职工系列篮球比赛,"
            "20支队伍参赛。\n")
    [match] = only(page_facts(text), "Launch")
    assert match.object.name in ("职工篮球比赛", "职工系列篮球比赛")


def test_an_organization_right_before_the_verb_is_its_subject():
    text = "“政策查询”栏目是成都市总工会开发的职工政策大数据,已上线运行。"
    [data] = only(facts_of(text), "Launch")
    assert data.subject.name == "成都市总工会" and data.object.name == "职工政策大数据"


def test_a_partner_before_the_verb_is_not_the_subject():
    text = "黑龙江省总工会召开会议。联合哈尔滨工业大学创建“龙江劳动关系研究院”,培养高端人才。"
    [institute] = only(facts_of(text), "FacilityEstablishment")
    assert institute.subject.name == "黑龙江省总工会"
    assert [p.name for p in institute.qualifier("partners")] == ["哈尔滨工业大学"]


def test_classes_and_education_are_programs():
    text = "新中国成立初期,辽宁省总工会开办职工识字班,积极开展职工安全教育。"
    names = {f.object.name for f in only(facts_of(text), "Launch")}
    assert names == {"职工识字班", "职工安全教育"}


def test_a_description_is_not_a_program():
    text = "推行厂务公开,是近年来山西省总工会着力打造的一项工会特色品牌。"
    assert only(facts_of(text), "Launch") == []


def test_a_union_modifying_a_congress_is_not_the_topic_and_plans_are_not_programs():
    text = ("中国工会十八大召开后,该市开展“十百千”行动。"
            "接下来,四川工会将继续组织职工,聚焦“产业工人队伍建设”专项行动。")
    facts = only(facts_of(text), "Launch")
    assert all(f.subject.name != "中国工会" for f in facts)
    assert all("产业工人" not in f.object.name for f in facts)


def test_a_quoted_name_with_a_list_inside_is_one_object_and_a_slogan_is_none():
    facts = only(facts_of("贵州省总工会在全省推行“以学促干、以干促学”工作模式。"), "Launch")
    assert [f.object.name for f in facts] == ["以学促干、以干促学"]
    text = "贵州省总工会探索形成了“重服务、轻形式”的建会新模式,建立起“上下联动、左右协同”格局。"
    assert only(facts_of(text), "Launch") == []


def test_a_facility_as_subject_of_built():
    text = "湖南省株洲市总工会召开会议。近日,位于株洲市荷塘区的环卫工人爱心驿站建成并投入使用。"
    [station] = only(facts_of(text), "FacilityEstablishment")
    assert station.object.name == "环卫工人爱心驿站" and station.subject.name == "株洲市总工会"
    assert station.qualifier("place").name == "荷塘区"


def test_a_workshop_before_a_second_post_is_no_post():
    text = "大连纺织集团二分厂织部车间、郝建秀小组第九任组长李娟的发言很精彩。"
    posts = [(f.subject.name, f.qualifier("role").name) for f in only(facts_of(text), "Membership")]
    assert posts == [("李娟", "第九任组长")]


def test_the_founding_of_a_facility_stated_as_a_noun():
    text = "安徽省蚌埠市总工会召开会议。通过职工法律服务志愿者服务队的组建,蚌埠市总工会建立起维权格局。"
    [team] = only(facts_of(text), "FacilityEstablishment")
    assert team.object.name == "职工法律服务志愿者服务队" and team.subject.name == "蚌埠市总工会"
