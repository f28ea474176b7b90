"""Within an article, turn the short forms of organizations into full names.

Union newspapers name a federation in full once (新疆维吾尔自治区哈密市总工会)
and then shorten it (哈密市总, 市总, 该市总工会, 哈密工会).  The resolver keeps
the organizations stated in the article, in order, and expands a short form to
the latest full name it fits.  Full names are made canonical, so the same
federation gets the same name in every article: the most specific region plus
what follows it (河北省邯郸武安市总工会 → 武安市总工会), keeping the city before
a district or a township (武汉市江汉区总工会), whose names repeat across cities.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import Article, Entity, Mention
from kg.regions import Region, RegionMatch, RegionTable

_ABBREV = re.compile(r"^(?:该)?(?P<region>.*?)(?P<level>[省市县区镇乡旗州]|街道)总(?:工会)?$")
_REGION_UNION = re.compile(r"^(?P<region>.+?)(?:各级)?工会$")
NATIONAL = "中华全国总工会"
#: names that are short forms or generic descriptions when no place resolves them
_UNRESOLVED = re.compile(r"^(?:该|本)?(?:[省市县区镇乡]|街道|公司|企业|单位|集团|厂|项目部)?(?:总工会|工会|总)$")
def fits(region: Region, char: str) -> bool:
    """Whether the short form's level character names this region: 市总 fits 天津市 and 乐平市,
    not 沙依巴克区; 省总 fits 吉林省 and 新疆维吾尔自治区."""
    if char == "省":
        return region.level == "province" and not region.name.endswith("市")
    return region.name.endswith(char)


LEVEL_CHARS = "省市县区旗州镇"


def org_kind(name: str) -> str:
    """TradeUnion for union bodies, Organization otherwise."""
    return "TradeUnion" if re.search(r"(工会|工联会|总工委|工会工委|女职工委员会)", name) else "Organization"


def canonical_org(name: str, regions: RegionTable | None = None) -> tuple[str, Region | None]:
    """The canonical name of an organization and the region its name states."""
    return _canonical_org(name, regions or RegionTable.default())


@lru_cache(maxsize=16384)
def _canonical_org(name: str, table: RegionTable) -> tuple[str, Region | None]:
    """``canonical_org``, remembered: every article names its federations again, and the same
    ones recur across articles."""
    if name == "全总":
        return NATIONAL, None
    if re.search(r"(总工会|工会)(党组|党委|机关)$", name):
        name = re.sub(r"(党组|党委|机关)$", "", name)  # the union's party group acts for the union
    matches = [m for m in table.find(name) if m.region is not None]
    # only regions at the start of the name, one after another, form its prefix
    chain, pos = [], 0
    for m in matches:
        if m.start != pos:
            break
        chain.append(m)
        pos = m.end
    if not chain:
        return name, None
    region = chain[-1].region
    rest = name[pos:]
    if rest and not re.match(r"^(?:各级)?(?:总工会|工会|总$|总工委|[县市区]?(?:人社局|人力资源和社会保障局|民政局|财政局|教育局|妇联|团委|人民政府|政府)|工人文化宫|人民医院|人民法院|人民检察院)", rest):
        return name, region  # a company or school keeps its registered name: 上海华宇药业有限公司
    if rest in ("工会", "各级工会"):
        return name, region  # 上海工会, 哈密市各级工会: collective names keep their wording
    if region.level in ("county", "township") and region.name.endswith(("区", "镇", "乡", "街道")):
        parents = [r for r in table.ancestors(region) if r.level == "city"] + (
            [table.get(region.parent)] if region.level == "township" and table.get(region.parent) else [])
        prefix = "".join(r.name for r in parents if r is not None) + region.name
    else:
        prefix = region.name
    if rest.startswith("总") and not rest.startswith("总工会"):
        rest = "总工会"  # 武安市总 → 武安市总工会
    return prefix + rest, region


class Aliases:
    """Resolves organization mentions of one article to canonical entities."""

    def __init__(self, article: Article, mentions: list[Mention], regions: list[RegionMatch] | None = None) -> None:
        """``regions``: the region names of the article's text, if they have been found already."""
        self.regions = RegionTable.default()
        self.full: list[tuple[int, str, Region | None]] = []  # (position, canonical name, region)
        self.surface: dict[str, set[str]] = {}
        self.article_id = article.id
        if regions is None:
            regions = self.regions.find(article.text)
        self.places = [m for m in regions if m.region is not None]
        self.declared: dict[str, str] = {}  # 东磁公司 → 横店集团东磁股份有限公司, as the text declares
        for m in mentions:
            if m.label in ("ORG", "FACILITY") and not _is_short(m.text):
                name, region = canonical_org(m.text, self.regions)
                self.full.append((m.start, name, region))
                declared = _DECLARED.match(article.text, m.end)
                if declared and declared.group("short") != m.text:
                    self.declared.setdefault(declared.group("short"), m.text)

    def resolve(self, mention: Mention) -> Entity:
        """The organization a mention refers to, by its canonical name."""
        text = mention.text
        name, region = None, None
        short = next((d for d in self.declared if text.startswith(d)), None)
        if short is not None:
            text = self.declared[short] + text[len(short):]  # 东磁公司工会 → 横店集团东磁股份有限公司工会
        if _is_short(text):
            name, region = self._expand(text, mention.start)
        if name is None and text[:1] in LEVEL_CHARS and not org_kind(text) == "TradeUnion":
            name, region = self._local_body(text, mention.start)
        if name is None:
            name, region = self._longer(text, mention.start) or canonical_org(text, self.regions)
        self.surface.setdefault(name, set()).add(mention.text)
        attrs = (("region", region),) if region is not None else ()
        # 区总工会 or 公司工会 that the article never names in full is some body, not one
        # body shared by every article: its identity stays inside the article
        key = name if region is not None or not _UNRESOLVED.match(name) else f"{self.article_id}/{name}"
        return Entity(org_kind(name), name, key=key, attrs=attrs)

    def resolve_region(self, mention: Mention) -> Entity:
        """A place acting as an agent (聊城市还积极推进…): its federation if the article names one."""
        region = self.regions.lookup(mention.text)
        for _, name, r in self.full:
            if region is not None and r == region and name.endswith("总工会"):
                self.surface.setdefault(name, set()).add(mention.text)
                return Entity("TradeUnion", name, key=name, attrs=(("region", r),))
        attrs = (("region", region),) if region is not None else ()
        name = region.name if region is not None else mention.text
        return Entity("Organization", name, key=name, attrs=attrs)

    def aliases(self, name: str) -> tuple[str, ...]:
        return tuple(sorted(s for s in self.surface.get(name, ()) if s != name))

    def _expand(self, text: str, pos: int) -> tuple[str | None, Region | None]:
        if text == "全总":
            return NATIONAL, None
        m = _ABBREV.match(text)
        if m:
            prefix = m.group("region")
            for _, name, region in reversed(self._before(pos)):
                if region is None or not name.endswith("总工会") or not fits(region, m.group("level")):
                    continue
                if not prefix or region.short in prefix or prefix in region.name:
                    return name, region
            if not prefix:
                # 镇总工会 in an article about 大洲镇: the federation of the place last named at that level
                for match in reversed([r for r in self.places if r.start < pos] or self.places):
                    if fits(match.region, m.group("level")):
                        return self._federation(match.region), match.region
            return None, None
        m = _REGION_UNION.match(text)
        if m:
            region = self.regions.lookup(m.group("region"))
            for _, name, r in self._before(pos) + self.full:
                if region is not None and r == region and name.endswith("总工会"):
                    return name, r
        return None, None

    def _longer(self, text: str, pos: int) -> tuple[str, Region | None] | None:
        """A later, shorter mention of a body named in full before: its tail (小镇联合会 after
        1986云创青年小镇联合会) or its abbreviation (维权站 after …农民工维权服务站)."""
        if len(text) < 3:
            return None
        # a name that starts with a place (衢江区总工会) is a name of its own, not an abbreviation
        placed = any(m.start == 0 for m in self.regions.find(text))
        for start, name, region in reversed(self.full):
            if start < pos and name != text and (
                    (len(text) >= 4 and name.endswith(text)) or (not placed and abbreviates(text, name))):
                return name, region
        return None

    def _local_body(self, text: str, pos: int) -> tuple[str | None, Region | None]:
        """县人社局 in an article about 阳谷县 is 阳谷县人社局."""
        if self.regions.lookup(text[:2]) is not None:
            return None, None
        for match in reversed([r for r in self.places if r.start < pos] or self.places):
            if fits(match.region, text[0]):
                return canonical_org(match.region.name + text[1:], self.regions)[0], match.region
        return None, None

    def _federation(self, region: Region) -> str:
        return canonical_org(region.name + "总工会", self.regions)[0] if region.level != "township" else (
            "".join(r.name for r in self.regions.ancestors(region) if r.level != "province") + region.name + "总工会")

    def _before(self, pos: int) -> list[tuple[int, str, Region | None]]:
        before = [f for f in self.full if f[0] < pos]
        return before or self.full


#: a short name declared right after the full one: …有限公司(以下简称“东磁公司”)
_DECLARED = re.compile(r"[（(](?:以下|下文)?(?:简称|称)[为:：]?[“\"]?(?P<short>[^“”\"（()）,，。]{2,12}?)[”\"]?[）)]")


def abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` is the usual Chinese abbreviation of ``name``: the same last character
    (the kind of body: 站, 中心, 会), a two-character stem found in the name as it is, before
    the name's last ``len(short)`` characters (so a bare head, 研究院 or 总工会, abbreviates
    nothing), and the remaining characters picked in order from the rest: 维权站 ←
    农民工维权服务站, 职工服务中心 ← 职工之家综合服务中心.  Three characters at least."""
    if len(short) < 3 or len(name) < len(short) + 2 or short[-1] != name[-1]:
        return False
    at = name.find(short[:2])
    if at < 0 or at + 2 > len(name) - len(short):
        return False
    rest = iter(name[at + 2:])
    return all(char in rest for char in short[2:])


def _is_short(text: str) -> bool:
    """Short forms: 市总, 该市总工会, 哈密市总, 聊城工会, 全总."""
    m = _ABBREV.match(text)
    if m and (not m.group("region") or text.startswith("该") or not text.endswith("总工会")):
        return True
    return text == "全总" or (bool(_REGION_UNION.match(text)) and len(text) <= 6 and not text.endswith("总工会"))
