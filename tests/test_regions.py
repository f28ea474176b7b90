"""Tests for kg.regions: the GB/T 2260 table, lookup and chain scanning.

All sentences here are written for the tests (not taken from the corpus).
"""
from __future__ import annotations

import dataclasses
import random

import pytest

from kg.regions import Region, RegionMatch, RegionTable, read_special


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return RegionTable.default()


def pieces(table: RegionTable, text: str) -> list[tuple[str, str | None]]:
    """(matched text, region key) for every match, for compact assertions."""
    return [(m.text, m.region.key if m.region else None) for m in table.find(text)]


# ----------------------------------------------------------------- the table


def test_default_is_a_cached_singleton(table):
    assert RegionTable.default() is table
    assert len(table) > 3000


@pytest.mark.parametrize(
    "code, name, level, parent, short",
    [
        ("430000", "湖南省", "province", None, "湖南"),
        ("430100", "长沙市", "city", "430000", "长沙"),
        ("430104", "岳麓区", "county", "430100", "岳麓"),
        ("650000", "新疆维吾尔自治区", "province", None, "新疆"),
        ("150000", "内蒙古自治区", "province", None, "内蒙古"),
        ("222400", "延边朝鲜族自治州", "city", "220000", "延边"),
        ("500243", "彭水苗族土家族自治县", "county", "500000", "彭水"),
        ("152500", "锡林郭勒盟", "city", "150000", "锡林郭勒"),
        ("441803", "清新区", "county", "441800", "清新"),  # 清新 + 区, not 清 + 新区
        ("140109", "万柏林区", "county", "140100", "万柏林"),  # not a 林区
        ("429021", "神农架林区", "county", "420000", "神农架"),
    ],
)
def test_code_level_parent_short(table, code, name, level, parent, short):
    r = table.get(code)
    assert r is not None
    assert (r.code, r.name, r.level, r.parent, r.short, r.key) == (code, name, level, parent, short, code)


def test_municipal_districts_hang_under_the_municipality(table):
    # 1101xx sit under the 110100 "市辖区" placeholder, 5002xx under "县".
    assert table.get("110105").parent == "110000"
    assert table.get("500243").parent == "500000"
    assert table.get("110100") is None  # placeholders are not regions
    assert table.get("500200") is None


def test_province_administered_county_level_units(table):
    # 省直辖县级行政单位: 4290xx have the province as parent; 6590xx, the Corps' cities, the Corps
    # (special.csv), which lies in the province.
    assert table.get("429004").parent == "420000"  # 仙桃市
    corps = table.lookup("新疆生产建设兵团").key
    assert table.get("659001").parent == corps  # 石河子市
    assert table.get("659010").parent == corps  # 胡杨河市 (2019)
    assert [r.code for r in table.ancestors(table.get("659010"))] == ["650000", None]
    assert table.get("429000") is None
    assert table.get("659000") is None


def test_get_accepts_twelve_digit_codes_and_rejects_junk(table):
    assert table.get("430104000000").name == "岳麓区"
    assert table.get("") is None
    assert table.get("999999") is None


def test_ancestors_province_first(table):
    yuelu = table.get("430104")
    assert [a.code for a in table.ancestors(yuelu)] == ["430000", "430100"]
    assert table.ancestors(table.get("430000")) == []
    assert [a.code for a in table.ancestors(table.get("110105"))] == ["110000"]


def test_regions_are_frozen(table):
    r = table.get("430100")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.name = "x"  # type: ignore[misc]
    assert hash(r) == hash(table.get("430100"))


# ----------------------------------------------------------------- lookup


@pytest.mark.parametrize(
    "name, code",
    [
        ("长沙市", "430100"),
        ("长沙", "430100"),
        ("内蒙古", "150000"),
        ("广西", "450000"),
        ("宁夏", "640000"),
        ("新疆", "650000"),
        ("恩施", "422800"),
        ("恩施州", "422800"),
        ("张家界", "430800"),
        ("锡林郭勒", "152500"),
        ("吉林", "220000"),  # province preferred over the city of the same short name
        ("朝阳", "211300"),  # city preferred over the counties/districts with that stem
        ("大理", "532900"),  # the prefecture, not the county-level city
        (" 长 沙 ", "430100"),  # stray spaces from PDF text
    ],
)
def test_lookup_full_and_short_names(table, name, code):
    r = table.lookup(name)
    assert r is not None and r.code == code


def test_lookup_refuses_bad_short_names(table):
    assert table.lookup("") is None
    assert table.lookup("赵") is None  # a one-character short name is never enough
    assert table.lookup("岳麓") is None  # a county stem alone is too weak ...
    assert table.lookup("岳麓", within=table.get("430100")).code == "430104"  # ... unless in context
    assert table.lookup("岳麓", within=table.get("430000")).code == "430104"
    assert table.lookup("不存在的地方") is None


def test_ambiguous_name_needs_within(table):
    assert table.lookup("鼓楼区") is None  # 南京, 徐州, 福州, 开封
    assert table.lookup("鼓楼区", within=table.get("320100")).code == "320106"
    assert table.lookup("鼓楼区", within=table.get("350000")).code == "350102"
    # 江苏 holds two of them: still ambiguous.
    assert table.lookup("鼓楼区", within=table.get("320000")) is None
    assert table.lookup("普陀区") is None
    assert table.lookup("普陀区", within=table.get("310000")).code == "310107"


def test_within_that_contains_nothing_is_ignored(table):
    # A wrong context must not hide an unambiguous name.
    assert table.lookup("长沙", within=table.get("650000")).code == "430100"


def test_lookup_township_within_county(table):
    wujiang = table.get("320509")
    town = table.lookup("盛泽镇", within=wujiang)
    assert town == Region(code=None, name="盛泽镇", level="township", parent="320509",
                          short="盛泽", key="320509-shengzezhen")
    assert table.lookup("盛泽镇") is None
    assert [a.code for a in table.ancestors(town)] == ["320000", "320500", "320509"]


# ----------------------------------------------------------------- find


def test_find_full_chain(table):
    text = "湖南省长沙市岳麓区总工会近日举行职工运动会。"
    ms = table.find(text)
    assert [(m.start, m.end, m.text) for m in ms] == [(0, 3, "湖南省"), (3, 6, "长沙市"), (6, 9, "岳麓区")]
    assert [m.region.code for m in ms] == ["430000", "430100", "430104"]


def test_find_chain_with_short_city_and_bare_county(table):
    # city in short form, then a county stem right after its parent
    assert pieces(table, "记者从四川成都武侯获悉") == [
        ("四川", "510000"), ("成都", "510100"), ("武侯", "510107")]
    # a county stem alone is not a place
    assert pieces(table, "武侯祠游客很多") == []


def test_find_resolves_ambiguous_district_inside_chain(table):
    assert pieces(table, "广东省深圳市南山区") == [
        ("广东省", "440000"), ("深圳市", "440300"), ("南山区", "440305")]
    assert pieces(table, "黑龙江省鹤岗市南山区") == [
        ("黑龙江省", "230000"), ("鹤岗市", "230400"), ("南山区", "230404")]
    ms = table.find("南山区职工服务中心开放")
    assert len(ms) == 1 and ms[0].text == "南山区" and ms[0].region is None


def test_find_municipality_districts(table):
    assert pieces(table, "上海市普陀区") == [("上海市", "310000"), ("普陀区", "310107")]
    assert pieces(table, "舟山市普陀区") == [("舟山市", "330900"), ("普陀区", "330903")]
    assert pieces(table, "北京朝阳") == [("北京", "110000"), ("朝阳", "110105")]


def test_find_chain_with_township(table):
    text = "江苏省苏州市吴江区盛泽镇的纺织工人"
    ms = table.find(text)
    assert [m.text for m in ms] == ["江苏省", "苏州市", "吴江区", "盛泽镇"]
    town = ms[-1].region
    assert (town.code, town.level, town.parent, town.short, town.key) == (
        None, "township", "320509", "盛泽", "320509-shengzezhen")
    ms = table.find("广东省深圳市南山区粤海街道办事处")
    assert [m.text for m in ms][-1] == "粤海街道"
    assert ms[-1].region.parent == "440305"
    # stray space between pieces (PDF text)
    assert [m.text for m in table.find("苏州市吴江区 盛泽镇")] == ["苏州市", "吴江区", "盛泽镇"]


def test_township_only_after_a_county(table):
    assert pieces(table, "盛泽镇的纺织工人") == []
    assert [m.text for m in table.find("吴江区各乡镇")] == ["吴江区"]
    assert [m.text for m in table.find("吴江区美丽乡村")] == ["吴江区"]


def test_province_administered_units_in_chains(table):
    assert pieces(table, "河北省辛集市") == [("河北省", "130000"), ("辛集市", "130181")]
    assert pieces(table, "新疆维吾尔自治区石河子市") == [("新疆维吾尔自治区", "650000"), ("石河子市", "659001")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # 临安市 until 2017, a district of 杭州 since
        ("浙江省杭州市临安区", [("浙江省", "330000"), ("杭州市", "330100"), ("临安区", "330112")]),
        # 莱芜市 merged into 济南市 in 2019
        ("山东省济南市莱芜区", [("山东省", "370000"), ("济南市", "370100"), ("莱芜区", "370116")]),
        # county-level cities set up in 2019 and 2011
        ("浙江省温州市龙港市", [("浙江省", "330000"), ("温州市", "330300"), ("龙港市", "330383")]),
        ("新疆维吾尔自治区北屯市", [("新疆维吾尔自治区", "650000"), ("北屯市", "659005")]),
    ],
)
def test_divisions_of_today(table, text, expected):
    assert pieces(table, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a former county-level city, a district of the same name today
        ("山东省即墨市", [("山东省", "370000"), ("即墨市", "370215")]),
        # a former county split among districts: the city it lay in
        ("大同县", [("大同县", "140200")]),
        # a former prefecture-level city, a district of 济南 today
        ("莱芜市总工会", [("莱芜市", "370116")]),
    ],
)
def test_former_names_are_placed_where_they_lie_today(table, text, expected):
    assert pieces(table, text) == expected


def test_former_name_in_a_chain_goes_on_to_its_townships(table):
    # 即墨市 reads as 即墨区, a county: a township may follow it
    assert pieces(table, "即墨市环秀街道")[-1] == ("环秀街道", "370215-huanxiujiedao")
    assert table.lookup("许昌县").code == "411000"  # 许昌市


CORPS = "650000-xinjiangshengchanjianshebingtuan"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("新疆生产建设兵团总工会下发通知", [("新疆生产建设兵团", CORPS)]),
        # its everyday short form, taken alone like a province's; the division-city after it is found apart
        ("新疆兵团十三师新星市总", [("新疆兵团", CORPS), ("新星市", "659011")]),
        # inside 新疆 in a chain
        ("新疆维吾尔自治区新疆生产建设兵团", [("新疆维吾尔自治区", "650000"), ("新疆生产建设兵团", CORPS)]),
        # 新疆 alone is still the autonomous region
        ("新疆各地工会", [("新疆", "650000")]),
    ],
)
def test_special_area_outside_the_standard(table, text, expected):
    assert pieces(table, text) == expected


def test_special_area_has_no_code_and_lies_in_its_division(table):
    corps = table.lookup("新疆兵团")
    assert corps is not None and corps.code is None and corps.level == "province"
    assert table.lookup("新疆生产建设兵团") == corps and corps in set(table)
    assert [r.code for r in table.ancestors(corps)] == ["650000"]
    assert table.english(corps) == "Xinjiang Production and Construction Corps"
    assert table.lookup("新疆") == table.get("650000")


def test_special_area_administers_the_divisions_under_its_placeholder(table):
    corps = table.lookup("新疆生产建设兵团")
    shihezi, xinxing, hami = table.get("659001"), table.get("659011"), table.get("650500")
    assert [r.name for r in table.ancestors(xinxing)] == ["新疆维吾尔自治区", "新疆生产建设兵团"]
    assert xinxing.parent == corps.key and hami.parent == "650000"  # 哈密市 is 新疆's, not the Corps'
    # a chain from 新疆 or from the Corps reaches its cities
    assert pieces(table, "新疆石河子市")[-1] == ("石河子市", "659001")
    assert pieces(table, "新疆生产建设兵团第八师石河子市") == [("新疆生产建设兵团", CORPS), ("石河子市", "659001")]
    assert table.lookup("石河子", within=corps) == shihezi


def test_special_area_outside_the_table_is_left_out():
    # an edition of the table without 新疆: no Corps, and its cities hang under nothing
    table = RegionTable.from_csv("code,name\n659000,自治区直辖县级行政区划\n659001,石河子市\n", special=read_special())
    assert len(table) == 1 and table.get("659001").parent is None and table.lookup("新疆兵团") is None


def test_every_special_area_lies_in_a_division_of_the_table(table):
    special = read_special()
    assert special and all(table.get(area.region.parent) is not None for area in special)
    assert all(area.region in set(table) for area in special)
    assert all(table.get(area.administers) is None for area in special)  # a placeholder row, not a region


def test_longest_match_and_suffix_guard(table):
    # 长沙县 is a county of its own, not 长沙 (city) + 县
    assert pieces(table, "长沙县") == [("长沙县", "430121")]
    # a town named like a city is not that city
    assert pieces(table, "在张家界镇") == []
    # but ordinary words after a province short name do not block it
    assert pieces(table, "湖南乡村振兴") == [("湖南", "430000")]
    assert pieces(table, "湖南县域经济") == [("湖南", "430000")]


def test_generic_district_names_only_in_chains(table):
    assert pieces(table, "城区工会") == []
    assert pieces(table, "山西省阳泉市城区") == [("山西省", "140000"), ("阳泉市", "140300"), ("城区", "140302")]


def test_common_words_are_not_places(table):
    assert pieces(table, "祝大家幸福安康") == []
    assert pieces(table, "欢迎各位来宾") == []
    assert pieces(table, "安康市总工会") == [("安康市", "610900")]


def test_autonomous_abbreviations(table):
    assert pieces(table, "恩施州总工会") == [("恩施州", "422800")]
    assert pieces(table, "彭水县") == [("彭水县", "500243")]


@pytest.mark.parametrize(
    "text",
    ["", "🙂", "🙂湖南省🙂长沙🙂", "ABC abc 123", "\x00\n\t\u3000", "省市县区镇乡街道",
     "\ud800湖北", "镇", "湖", "湖南省" * 50, "北京" + " " * 3 + "朝阳", "县镇乡村旗省"],
)
def test_find_never_raises_and_spans_are_exact(table, text):
    ms = table.find(text)
    assert all(isinstance(m, RegionMatch) for m in ms)
    for m in ms:
        assert m.text == text[m.start:m.end]
        assert 0 <= m.start < m.end <= len(text)
    ends = [m.end for m in ms]
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:])), ends  # ordered, no overlap


def test_find_fuzz(table):
    rng = random.Random(2026)
    alphabet = list("湖南省长沙市岳麓区盛泽镇乡街道县旗州北京朝阳吉林内蒙古 A1🙂\n、，")
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for m in table.find(text):
            assert m.text == text[m.start:m.end]


# ----------------------------------------------------------------- English


@pytest.mark.parametrize(
    "code, label",
    [
        ("430100", "Changsha"),
        ("500000", "Chongqing"),
        ("140400", "Changzhi"),
        ("610100", "Xi'an"),
        ("130000", "Hebei"),
        ("610000", "Shaanxi"),
        ("650000", "Xinjiang Uygur Autonomous Region"),
        ("450000", "Guangxi Zhuang Autonomous Region"),
        ("222400", "Yanbian Korean Autonomous Prefecture"),
        ("500243", "Pengshui Miao and Tujia Autonomous County"),
        ("320509", "Wujiang District"),
        ("430121", "Changsha County"),
        ("130181", "Xinji City"),
        ("152500", "Xilinguole League"),
        ("310115", "Pudong New Area"),
        ("441803", "Qingxin District"),
    ],
)
def test_english(table, code, label):
    assert table.english(table.get(code)) == label


def test_english_township(table):
    county = table.get("320509")
    assert table.english(table.lookup("盛泽镇", within=county)) == "Shengze Town"
    assert table.english(table.lookup("粤海街道", within=table.get("440305"))) == "Yuehai Subdistrict"


def test_keys_are_ascii(table):
    for r in table:
        assert r.key.isascii()
    town = table.lookup("绿园镇", within=table.get("320509"))
    assert town.key.isascii() and town.key.startswith("320509-")
