"""General-purpose Chinese name recognition: persons, organizations, places.

``find_names(text)`` returns ``(start, end, label)`` character spans (end
exclusive, ``str`` indices), label one of ``PERSON``, ``ORG``, ``REGION``; the
spans do not overlap and come sorted.  It is a dictionary-and-rules recogniser
over jieba's segmentation, written for any Chinese news text.  It trains no
model: its statistics come from what ships inside jieba (the dictionary's word
frequencies and part-of-speech tags, and the emission tables of jieba's
part-of-speech HMM), from the table of administrative divisions shipped with
kg (``kg/data/regions/``), and from the small word lists in ``kg/data/names/``
written from general knowledge.

* **Words.** The text is cut by jieba's default tokenizer without its HMM (it is
  not modified here); each word gets the tag jieba's dictionary gives it.  A few
  dictionary words that hide a name are cut again (外交部长 → 外交部 + 长,
  市委书记 → 市委 + 书记, 东亚各国 → 东亚 + 各国), and an organization's head cut
  into pieces is joined (人/社/局 → 人社局).
* **Places** (REGION): the longest run of words found in the place list: the
  GB/T 2260 divisions with and without their suffixes, world geography
  (``world.txt``), and jieba's ``ns`` words whose characters look like a place
  name (jieba's HMM tables) and that are not ordinary words (``not_names.txt``);
  unknown names before 镇/乡/村/县/山/河 …; one-character country abbreviations
  where the context makes them places (中美, 中方, 驻华, 港澳).
* **Persons** (PERSON): a surname (``surnames.txt``, single and compound) and one
  or two given-name characters, scored by how name-like the characters are
  (jieba's HMM emission tables for names against the characters' frequency),
  by whether the given name is an ordinary word, by jieba's dictionary, and by
  the words around (posts and forms of address, ``titles.txt``; verbs of speech,
  ``speech_verbs.txt``; other names next to it; 法国总统 before a foreign name).
  A surname before a title is a person (江主席 → 江, 刘老板 → 刘).  Names joined by a
  dot (热合曼·阿不都拉) and runs of transliteration characters (``translit.txt``)
  are persons.
* **Organizations** (ORG): well-known names (``org_names.txt``), jieba's ``nt``
  words that contain a place or end like an organization, and names built right
  to left: a head (``org_suffixes.txt``: 委员会, 银行, 分行, 大学, 法院, 人社局 …)
  preceded by places, names, ordinals and nouns, with at least one name among
  them (中国农业银行景德镇分行, 北京市第二中级人民法院); 县/市 + head (县人社局) and
  国家/全国 + a specific head (国家市场监督管理总局) too.  A country's government is
  named by its country (美国政府 → 美国).  Longer spans win overlaps, so a place
  inside an organization's name is not reported separately.

Everything is loaded once, on the first call, and shared with jieba's default
tokenizer (its word counts: a word added to jieba elsewhere is seen here too).
The tables derived from the dictionary and the word lists take about a second
to build; they are kept in the user's cache folder (``~/.cache/kg``) and read
back in a fifth of that while their inputs are unchanged.
"""
from __future__ import annotations

import hashlib
import marshal
import math
import os
import pickle
import re
import sys
import tempfile
import threading
from bisect import bisect_left
from dataclasses import dataclass, field, fields
from pathlib import Path

from jieba import finalseg

from kg.regions import DATA as REGION_DATA, RegionTable, ethnic_names, read_former

__all__ = ["find_names", "load_jieba", "word_tags", "LABELS"]

LABELS = ("PERSON", "ORG", "REGION")
DATA = Path(__file__).resolve().parent.parent / "data" / "names"

_HAN = re.compile(r"[\u3400-\u9fff]")
_ALL_HAN = re.compile(r"^[\u3400-\u9fff]+$")
NAME_DOTS = "·•・．‧∙"
#: characters that end a dotted name rather than continue it
DOT_STOP = set("的了在和与是及等被把也就而或但并同副说称")

#: one-character abbreviations of countries, usable as places in fixed contexts
COUNTRY_ABBR = set("中美英法德日俄韩朝印意澳加苏越泰葡荷比奥瑞挪丹芬希匈捷波罗保蒙缅柬老菲印尼马新巴墨古智秘阿伊埃以叙黎沙约土南非欧亚")
#: one-character abbreviations of Chinese provinces and cities
PROVINCE_ABBR = set("京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀黔滇藏陕甘陇青宁新港澳台")
#: words after a one-character place abbreviation (中方, 美军, 华侨)
ABBR_AFTER = {"方", "军", "籍", "裔", "资", "侨", "企", "商", "胞", "人", "币", "元", "语", "文", "国"}
#: what may follow a pair of abbreviations (中美关系, 中俄两国)
PAIR_AFTER = {"关系", "两国", "双方", "之间", "合作", "贸易", "联合", "友好", "边境", "建交", "会谈", "首脑", "峰会",
              "经贸", "元首", "外长", "联合声明", "联合公报", "友谊", "三国", "四国", "两军", "间", "战争"}

#: place-name endings for words the dictionary does not know (…县, …镇)
PLACE_SUFFIXES = ("自治区", "自治州", "自治县", "特别行政区", "省", "市", "县", "区", "州", "镇", "乡", "村", "旗", "盟",
                  "岛", "半岛", "群岛", "湾", "峡", "山", "峰", "岭", "江", "河", "湖", "海", "洋", "港", "街道", "路", "街")
#: tags of words that can stand inside an organization's name before its head
ORG_INNER_TAGS = {"n", "nz", "ns", "nt", "j", "vn", "b", "an", "ng", "nrt", "s", "f"}
ORDINAL = re.compile(r"^第[零〇一二三四五六七八九十百千两\d０-９]+[届次期批个]?$")
CONGRESS = re.compile(r"^(?:中共|党的)?[一二三四五六七八九十]{1,3}大$")
NOT_PLACE = re.compile(r"^(?:第?[一二三四五六七八九十两几多数]+|各|我|贵|本|该|敌|友|邻|大|小|强|弱|穷|富|外|他|全|异|别|祖|其|诸)国$")
#: modifiers that make a kind of organization, not a name (人民军队, 农民协会, 基层工会)
GENERIC_MODIFIERS = ("人民", "农民", "工人", "基层", "各级", "地方", "民间", "国际", "社会", "群众", "妇女", "青年", "学生",
                     "企业", "政府", "经济", "合作", "党", "抗日", "反帝", "民众", "革命", "职工", "行业", "专业")
#: heads too general to make a name with 国家/全国 alone (全国委员会)
GENERIC_HEADS = {"委员会", "协会", "学会", "联合会", "基金会", "促进会", "研究会", "理事会", "董事会", "办公室", "办公厅", "中心",
                 "公司", "集团", "组织", "联盟", "同盟", "代表团", "联谊会", "商会", "工会", "大学", "学院", "学校", "医院"}
#: names of buildings and sites, not organizations (首都国际机场, 人民大会堂)
FACILITY_HEADS = ("机场", "大会堂", "广场", "车站", "码头", "大厦", "公园", "体育场", "纪念碑", "大桥", "港口", "宾馆", "饭店")
#: nt words whose head is not an organization (中美关系, 联合公报)
NOT_ORG_HEAD = ("关系", "公报", "声明", "宣言", "条约", "协定", "协议", "理事国", "院所", "机关", "党派", "团体", "会议",
                "战争", "运动", "事件", "政策", "制度", "社会", "国家", "地区", "人士", "群众", "干部")


def _words(name: str) -> list[str]:
    out: list[str] = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.extend(line.split())
    return out


@dataclass
class _Resources:
    tokenizer: object
    tags: dict
    freq: dict
    surnames: dict  # surname → class A/B/C
    person_lex: set
    place_lex: set
    org_lex: set
    org_heads: tuple
    org_head_set: set
    titles: set
    speech: set
    translit: set
    not_names: set
    name_char: dict  # (char, pos) → log-odds of being that given-name character
    surname_prior_raw: dict
    foreign_places: set
    place_char: dict
    place_prefixes: set
    head_prefixes: set
    gazetteer: set
    # what a word alone says, worked out once per word (the text has many words, the vocabulary few):
    pieces: dict = field(default_factory=dict)  # word → the tokens it becomes (_pieces)
    place_words: dict = field(default_factory=dict)  # (word, tag) → whether a place may start at it (_places)
    org_words: dict = field(default_factory=dict)  # (word, tag) → _org_verdicts
    translit_words: dict = field(default_factory=dict)  # word → all transliteration characters, not a non-name
    person_words: dict = field(default_factory=dict)  # (word, tag) → _person_kind's verdict


_LOCK = threading.Lock()
_RES: _Resources | None = None


def _resources() -> _Resources:
    global _RES
    if _RES is None:
        with _LOCK:
            if _RES is None:
                _RES = _cached_load()
    return _RES


def word_tags() -> dict[str, str]:
    """jieba's dictionary part-of-speech tags (a lookup; no tagging model runs)."""
    return _resources().tags


#: what is not kept: jieba's own tokenizer and word counts (live objects), and the memos
_NOT_CACHED = ("tokenizer", "freq", "cuts", "place_words", "org_words", "translit_words")


def _cached_load() -> _Resources:
    """``_load``, or what it gave the last time it ran on the same inputs.

    Deriving the tables takes about a second at every start (and jieba's
    part-of-speech table, half of it, is only needed for them), while
    unpickling them takes a fifth of that.  The file is named by a digest of
    everything ``_load`` reads: this module's source, the word lists, jieba
    (version, dictionary, word count and total, which a user dictionary
    changes) and the division tables.  It is written atomically, in the user's
    cache folder (not a shared temporary one: a pickle runs code when loaded),
    and skipped silently if that folder cannot be used.
    """
    import jieba

    load_jieba()
    path = _cache_file()
    tables = None
    if path is not None:
        try:
            with open(path, "rb") as fh:
                tables = pickle.load(fh)
        except Exception:  # noqa: BLE001  (none yet, unreadable, or from another Python: derive them again)
            pass
    if isinstance(tables, dict) and set(tables) == {f.name for f in fields(_Resources)} - set(_NOT_CACHED):
        return _Resources(tokenizer=jieba.dt, freq=jieba.dt.FREQ, **tables)
    res = _load()
    if path is not None:
        _save({f.name: getattr(res, f.name) for f in fields(res) if f.name not in _NOT_CACHED}, path)
    return res


def _cache_file() -> Path | None:
    """Where the tables of the current inputs are kept (None without a home folder)."""
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg"
    except RuntimeError:
        return None
    return folder / f"names-{_inputs_digest()}.pickle"


def _save(tables: dict, path: Path) -> None:
    """Pickle ``tables`` to ``path`` atomically, replacing the tables of earlier inputs (6 MB each)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        for stale in path.parent.glob("names-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass


def _inputs_digest() -> str:
    import jieba

    h = hashlib.sha256()
    tables = [p for folder in (DATA, REGION_DATA) for p in sorted(folder.iterdir()) if p.is_file()]
    for data in (Path(__file__).read_bytes(), *(p.read_bytes() for p in tables)):
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    tokenizer = jieba.dt
    h.update(repr((sys.version_info[:2], jieba.__version__, tokenizer.dictionary, len(tokenizer.FREQ),
                   tokenizer.total)).encode())
    return h.hexdigest()[:32]


def load_jieba() -> None:
    """Initialize jieba's default tokenizer, reading its dictionary cache in one piece.

    jieba unmarshals its 9 MB prefix-dictionary cache straight from the open
    file, which reads it a few bytes at a time (0.8 s); unmarshalling the
    file's bytes takes 0.25 s.  So when jieba would load that cache (default
    dictionary, cache file present), it is loaded here, exactly as jieba
    stores it; in any other case (or if the cache cannot be read) jieba
    initializes itself.
    """
    import jieba

    tokenizer = jieba.dt
    if not tokenizer.initialized and tokenizer.dictionary == jieba.DEFAULT_DICT:
        cache = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), tokenizer.cache_file or "jieba.cache")
        with tokenizer.lock:
            if not tokenizer.initialized:
                try:
                    with open(cache, "rb") as fh:
                        tokenizer.FREQ, tokenizer.total = marshal.loads(fh.read())
                    tokenizer.initialized = True
                except Exception:  # noqa: BLE001  (as jieba treats a bad cache: it rebuilds it)
                    pass
    tokenizer.check_initialized()


def _load() -> _Resources:
    import jieba

    load_jieba()
    import jieba.posseg
    from jieba.posseg.prob_emit import P as emit

    tags: dict = jieba.posseg.dt.word_tag_tab
    freq: dict = jieba.dt.FREQ

    not_names = set(_words("not_names.txt"))
    surnames: dict[str, str] = {}
    for line in (DATA / "surnames.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, cls = line.partition("\t")
            surnames[name.strip()] = (cls.strip() or "C")
    titles = set(_words("titles.txt"))
    speech = set(_words("speech_verbs.txt"))
    translit = set("".join(_words("translit.txt")))

    # character statistics: general frequency from the dictionary's word counts
    char_freq: dict[str, float] = {}
    for w, f in freq.items():
        if f:
            for c in w:
                char_freq[c] = char_freq.get(c, 0.0) + f
    total = sum(char_freq.values())
    name_char: dict[tuple[str, str], float] = {}
    for pos in ("B", "M", "E"):
        table = emit.get((pos, "nr"), {})
        for c, lp in table.items():
            g = math.log(char_freq.get(c, 0.5) / total)
            name_char[(c, pos)] = lp - g
    surname_score = {}
    for s, cls in surnames.items():
        if len(s) == 1:
            lp = emit.get(("B", "nr"), {}).get(s, -9.0)
            sc = max(-1.5, min(1.5, (lp + 6.0) * 0.5))
            surname_score[s] = sc if cls != "C" else min(sc, -0.5)

    # places: administrative divisions, world geography, jieba's ns words
    place_char: dict[tuple[str, str], float] = {}
    for pos in ("B", "M", "E"):
        for c, lp in emit.get((pos, "ns"), {}).items():
            place_char[(c, pos)] = max(-4.0, min(4.0, lp - math.log(char_freq.get(c, 0.5) / total)))

    def place_likeness(w: str) -> float:
        """Mean log-odds that w's characters are those of a place name (jieba's HMM tables)."""
        if len(w) < 2:
            return 0.0
        pos = ["B"] + ["M"] * (len(w) - 2) + ["E"]
        sc = 0.0
        for c, p in zip(w, pos):
            e = emit.get((p, "ns"), {}).get(c, -15.0)
            sc += max(-4.0, min(4.0, e - math.log(char_freq.get(c, 0.5) / total)))
        return sc / len(w)

    place_lex: set[str] = set(_words("world.txt"))
    foreign_places: set[str] = set()
    section = ""
    for line in (DATA / "world.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            section = line
        elif section.startswith(("# countries", "# capitals")):
            foreign_places.update(line.split())
    foreign_places -= {"中国", "中华人民共和国", "北京"}
    # the divisions' full names, and their short names where they read as places (a province's or a
    # prefecture's always: 新疆, 哈密; a county's when jieba or the letters say so)
    nations = ethnic_names()  # (longest first)
    place_lex.update(name for name, _ in read_former())  # (full names only: 大同县, 即墨市)
    for region in RegionTable.default():  # (the table the resolve stage places facts with)
        name = region.name
        place_lex.add(name)
        short = name
        for suf in ("特别行政区", "自治区", "自治州", "自治县", "地区", "林区", "新区", "矿区", "省", "市",
                    "县", "区", "盟", "旗"):
            if short.endswith(suf):
                short = short[: -len(suf)]
                break
        for n in nations:
            if short.endswith(n) and len(short) - len(n) >= 2:
                short = short[: -len(n)]
                break
        if len(short) < 2 or short in not_names:
            continue
        upper = region.level in ("province", "city")  # its short name is well known
        tag = tags.get(short, "ns")
        if upper or tag in ("ns", "nr", "nrt") or (tag in ("n", "nz") and place_likeness(short) >= 1.0):
            place_lex.add(short)
    gazetteer = set(place_lex)
    for w, t in tags.items():
        if t != "ns" or len(w) < 2 or w in not_names or NOT_PLACE.match(w) or not _ALL_HAN.match(w):
            continue
        if w.endswith(("城市", "地区", "国家", "各国")):
            continue
        if place_likeness(w) >= 1.5 or (len(w) >= 3 and w.endswith(PLACE_SUFFIXES) and place_likeness(w[:-1]) >= 0.5):
            place_lex.add(w)
    place_lex -= not_names
    place_lex = {w for w in place_lex if len(w) >= 2}
    # pairs of country abbreviations (中美) are two places, not one
    place_lex = {w for w in place_lex if not (len(w) == 2 and _is_pair(w)) or w in gazetteer}

    # persons: jieba's nr words that look like names
    person_lex: set[str] = set()
    for w, t in tags.items():
        if t not in ("nr", "nrfg", "nrt") or w in not_names or w in place_lex or not _ALL_HAN.match(w):
            continue
        if _chinese_name_shape(w, surnames) or (len(w) >= 3 and all(c in translit for c in w)):
            person_lex.add(w)

    org_heads = tuple(sorted(set(_words("org_suffixes.txt")), key=len, reverse=True))
    known_orgs = set(_words("org_names.txt"))
    org_lex: set[str] = set(known_orgs)

    def place_prefix(w: str) -> bool:
        return any(w[:i] in place_lex for i in range(2, len(w) - 1))

    def two_places(w: str) -> bool:
        return any(w[:i] in place_lex and w[i:] in place_lex for i in range(2, len(w) - 1))

    for w, t in tags.items():
        if t == "nt" and len(w) >= 2 and w not in not_names and w not in place_lex and not w.endswith(NOT_ORG_HEAD):
            if w in NOT_HEADS or w.endswith(FACILITY_HEADS) or two_places(w):
                continue
            if w.endswith(("政府", "当局")) and w[:-2] in place_lex:
                continue  # 美国政府: the country names it
            f = freq.get(w, 0)
            if any(w.startswith(m) and w[len(m):] in org_heads + ("军", "军队", "队", "党组织") for m in GENERIC_MODIFIERS):
                continue  # 人民军队, 农民协会: a kind of organization, not one
            if place_prefix(w) or (w.endswith(org_heads + ("军", "队")) and f >= 20) or f >= 200:
                org_lex.add(w)
        elif t == "j" and len(w) >= 2 and (w[-1] in "委部局办联协党社盟" or CONGRESS.match(w)):
            if (not all(c in COUNTRY_ABBR or c in PROVINCE_ABBR for c in w) and w not in titles
                    and w not in org_heads and w not in NOT_HEADS):
                org_lex.add(w)
    org_lex = {w for w in org_lex if w in known_orgs or (
        w not in place_lex and (not w.endswith(("全会", "会议", "大会")) or CONGRESS.match(w) or w.endswith("代表大会")))}
    place_prefixes = {w[:i] for w in place_lex for i in range(1, len(w))}
    head_prefixes = {h[:i] for h in org_heads for i in range(1, len(h) + 1)}
    return _Resources(
        place_prefixes=place_prefixes, head_prefixes=head_prefixes,
        tokenizer=jieba.dt, tags=tags, freq=freq, surnames=surnames, person_lex=person_lex, place_lex=place_lex,
        org_lex=org_lex, org_heads=org_heads, org_head_set=set(org_heads), titles=titles, speech=speech,
        translit=translit, not_names=not_names, name_char=name_char, surname_prior_raw=surname_score,
        foreign_places=foreign_places, gazetteer=gazetteer, place_char=place_char,
    )


def _chinese_name_shape(w: str, surnames: dict) -> bool:
    if len(w) >= 3 and w[:2] in surnames:
        return len(w) <= 4
    return w[:1] in surnames and 2 <= len(w) <= 3


# --------------------------------------------------------------------------------------------
class _Tok:
    """A word of the text: its characters, offsets and jieba's tag ("?" for a word jieba does not know)."""

    __slots__ = ("text", "start", "end", "tag")

    def __init__(self, text: str, start: int, end: int, tag: str) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.tag = tag

    def __repr__(self) -> str:
        return f"{self.text}/{self.tag}@{self.start}"


def _tokens(res: _Resources, text: str, words: list[str] | None = None) -> list[_Tok]:
    """The text's words as tokens, tagged; words that hide a name at their start cut in two
    (``_pieces``) and an organization's head word cut in pieces by the tokenizer joined
    (``_join_heads``).  What a word becomes is worked out once per word."""
    toks: list[_Tok] = []
    pos = 0
    pieces_of = res.pieces
    heads: list[int] = []  # tokens that may start a head word cut in pieces
    for w in words if words is not None else res.tokenizer.cut(text, HMM=False):
        if not w:
            continue
        pieces = pieces_of.get(w)
        if pieces is None:
            pieces = pieces_of[w] = _pieces(res, w)
        for piece, tag, may_head in pieces:
            end = pos + len(piece)
            if may_head:
                heads.append(len(toks))
            toks.append(_Tok(piece, pos, end, tag))
            pos = end
    if pos != len(text):  # never expected (jieba yields the text in order); stay safe
        return _tokens(res, text, list(text))
    return _join_heads(res, toks, heads) if heads else toks


def _pieces(res: _Resources, w: str) -> tuple[tuple[str, str, bool], ...]:
    """(text, tag, may start a head word) of the tokens the word ``w`` becomes: itself, or two
    pieces when a name hides at its start: 外交部长 → 外交部 + 长, 中央政治局常委 → 中央政治局 + 常委,
    东亚各国 → 东亚 + 各国, 东盟国家 → 东盟 + 国家, and two places in one word."""
    tag = res.tags.get(w, "?")
    cut = _cut(res, w, tag) if len(w) >= 3 else 0
    parts = (w[:cut], w[cut:]) if cut else (w,)
    return tuple((part, res.tags.get(part, "?") if cut else tag, part in res.head_prefixes) for part in parts)


def _join_heads(res: _Resources, toks: list[_Tok], heads: list[int]) -> list[_Tok]:
    """An organization's head word cut in pieces by the tokenizer, joined: 人/社/局 → 人社局.
    ``heads`` are the tokens, in order, that may start one."""
    out: list[_Tok] = []
    done = 0  # the tokens before this one are in ``out``
    n = len(toks)
    for k in heads:
        if k < done:
            continue  # (a piece of a head word joined already)
        acc = toks[k].text
        for m in range(k + 1, min(n, k + 5)):
            acc += toks[m].text
            if acc not in res.head_prefixes:
                break
            if len(acc) >= 3 and acc in res.org_head_set:
                out.extend(toks[done:k])
                out.append(_Tok(acc, toks[k].start, toks[m].end, res.tags.get(acc, "n")))
                done = m + 1
                break
    if not done:
        return toks
    out.extend(toks[done:])
    return out


def _cut(res: _Resources, w: str, tag: str) -> int:
    """Where ``_pieces`` cuts the word ``w`` (three characters or more) tagged ``tag``: 0 if it does not."""
    cut = 0
    if len(w) >= 4 and tag not in ("nr", "nrt", "nrfg") and w not in res.place_lex and (
            w not in res.org_lex or tag == "nt"):
        for pl in range(len(w) - 2, 1, -1):
            head, rest = w[:pl], w[pl:]
            if head in res.place_lex or head in res.org_lex:
                if rest in res.place_lex or rest in res.titles:
                    cut = pl
                elif (rest in res.tags and rest not in res.org_head_set and not rest.endswith(res.org_heads)
                      and res.tags[rest] not in ("v", "vn", "nr", "nrt")):
                    cut = pl
                if cut:
                    break
    if not cut and len(w) >= 3 and w.endswith("长") and w[:-1] in res.org_lex:
        cut = len(w) - 1
    if not cut and len(w) >= 3 and tag not in ("nr", "nrt", "nrfg"):
        # an organization and a post in one word: 市委书记 → 市委 + 书记, 局局长 → 局 + 局长
        for tl in (3, 2):
            if len(w) > tl and w[-tl:] in res.titles:
                pre = w[:-tl]
                if (pre in res.org_lex or pre in res.org_head_set or (len(pre) == 1 and pre in SHORT_HEADS)
                        or (len(pre) == 2 and pre[0] in ADMIN_LEVEL and pre[1] in "委政")):
                    cut = len(pre)
                    break
    return cut


def find_names(text: str, words: list[str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, label) character spans, end exclusive, label in {"PERSON", "ORG", "REGION"};
    non-overlapping, sorted.  ``words`` is the text already cut by jieba without its HMM
    (the kg pipeline's tokens), so the text is not cut twice."""
    if not text or not isinstance(text, str) or not _HAN.search(text):
        return []
    res = _resources()
    toks = _tokens(res, text, words)
    cands: list[tuple[int, int, str, float]] = []  # start, end, label, priority
    places = _places(res, text, toks)
    persons = _persons(res, text, toks, places)
    orgs = _orgs(res, text, toks, places, persons)
    cands.extend(orgs)
    cands.extend(persons)
    cands.extend(places)
    return _choose(cands, len(text))


def _choose(cands, n) -> list[tuple[int, int, str]]:
    order = sorted(cands, key=lambda c: (-(c[1] - c[0]), -c[3], c[0]))
    used = bytearray(n)
    out = []
    for s, e, lab, _ in order:
        if s < 0 or e > n or s >= e or any(used[s:e]):
            continue
        used[s:e] = b"\x01" * (e - s)
        out.append((s, e, lab))
    out.sort()
    return out


# ------------------------------------------------------------------------------ places
#: second members of a pair of country abbreviations with 中 (中美, 中俄); 亚/欧/非/东/南/西 make other words
PAIR_OK = set("美英法德日俄韩朝印加澳越泰葡荷比奥瑞挪丹芬希匈捷波罗保蒙缅柬老菲巴墨智秘阿伊埃以叙黎沙约土")
#: country abbreviations that may follow 驻/访/赴 (驻华, 访美) and province ones after 进/赴/抵 (进京)
CITY_ABBR = set("京沪港澳台津渝")
ABBR_BEFORE = {"驻", "访", "赴", "来", "旅", "抵", "离", "返", "援", "侵", "对", "留", "出访", "访问", "在"}
#: generic words that may follow a place inside one dictionary word (东亚各国, 香港回归)
MAX_PLACE_TOKENS = 5


def _places(res: _Resources, text: str, toks: list[_Tok]) -> list[tuple[int, int, str, float]]:
    out = []
    n = len(toks)
    lex = res.place_lex
    words = res.place_words
    k = 0
    while k < n:
        t = toks[k]
        w = t.text
        if not "\u3400" <= w[0] <= "\u9fff":  # (what _HAN matches, without a regex call per word)
            k += 1
            continue
        if len(w) > 1:  # (what one character starts depends on the next words)
            may = words.get((w, t.tag))
            if may is None:
                may = words[(w, t.tag)] = _may_start_place(res, w, t.tag)
            if not may:
                k += 1
                continue
        # the longest run of words that is a place (香港 + 特别行政区)
        best = -1
        acc = w
        if w in lex:
            best = k
        if acc in res.place_prefixes:
            for j in range(k + 1, min(n, k + MAX_PLACE_TOKENS)):
                acc += toks[j].text
                if acc in lex:
                    best = j
                if acc not in res.place_prefixes:
                    break
        if best < 0 and _suffixed_place(res, w, t.tag):
            best = k
        if best < 0:
            j = _unknown_place(res, toks, k)
            if j > k:
                out.append((t.start, toks[j].end, "REGION", 0.8))
                k = j + 1
                continue
        if best >= 0 and best == k and w not in res.gazetteer and k > 0 and toks[k - 1].text in SURNAME_TITLES:
            best = -1  # 总统 + 普京: after a title a dictionary "place" is a person
        if best >= 0:
            end = toks[best].end
            if best + 1 < n and toks[best + 1].text in ("省", "市", "县", "区", "州", "镇", "乡", "村", "旗", "盟"):
                best += 1
                end = toks[best].end
            out.append((t.start, end, "REGION", 1.0))
            k = best + 1
            continue
        # country abbreviations: pairs (中美, 中/俄 两国), 中方, 华侨, 驻华, 访美
        if len(w) > 1:
            for a, b in _abbreviations(res, w, t.tag):
                out.append((t.start + a, t.start + b, "REGION", 0.5))
        elif k + 1 < n and len(toks[k + 1].text) == 1 and _is_pair(w + toks[k + 1].text):
            out.append((t.start, t.end, "REGION", 0.5))
            out.append((toks[k + 1].start, toks[k + 1].end, "REGION", 0.5))
            k += 2
            continue
        elif ((w in COUNTRY_ABBR or w in CITY_ABBR or w == "华") and w != "中" and k > 0
              and toks[k - 1].text in ABBR_BEFORE and toks[k - 1].text != "在"):
            if w == "新" and k + 1 < n and toks[k + 1].tag in ("v", "vn", "a", "d"):
                pass  # 对新当选的…: 新 is "newly", not Singapore
            elif k + 1 >= n or not _HAN.match(toks[k + 1].text) or toks[k + 1].tag in ("v", "n", "vn", "p", "f", "uj", "c", "d"):
                out.append((t.start, t.end, "REGION", 0.5))
        k += 1
    return out


def _may_start_place(res: _Resources, w: str, tag: str) -> bool:
    """Whether ``_places`` can find a place starting at the word ``w`` (two characters or more)
    tagged ``tag``: what the word alone says, so that the others are passed over at once."""
    return bool(w in res.place_lex or w in res.place_prefixes or _suffixed_place(res, w, tag)
                or _unknown_stem(res, w, tag) or _abbreviations(res, w, tag))


def _suffixed_place(res: _Resources, w: str, tag: str) -> bool:
    """A word the dictionary does not know: a listed place and an administrative suffix (哈密市)."""
    return tag == "?" and len(w) >= 3 and w[:-1] in res.place_lex and w[-1] in ADMIN_SUFFIX


def _abbreviations(res: _Resources, w: str, tag: str) -> tuple[tuple[int, int], ...]:
    """The country and city abbreviations inside the word ``w`` (two characters or more) tagged
    ``tag``, as (start, end) in the word: 中美 → 中 + 美, 港澳 → 港 + 澳, 驻华大使 → 华, 华侨 → 华."""
    if len(w) == 2 and _is_pair(w) and w not in res.place_lex:
        return (0, 1), (1, 2)
    if len(w) >= 3 and _is_pair(w[:2]) and w[2:] in PAIR_AFTER:
        return (0, 1), (1, 2)
    if len(w) in (2, 3) and CITY_ABBR.issuperset(w) and tag in ("j", "ns", "n", "?"):
        return tuple((i, i + 1) for i in range(len(w)))
    if len(w) >= 3 and w[0] in ABBR_BEFORE and (w[1] in COUNTRY_ABBR or w[1] in CITY_ABBR or w[1] == "华") and (
            w[2:] in res.titles or w[2:] in ("使馆", "大使馆", "领事馆", "总领事馆", "机构", "部队", "记者", "代表")):
        return ((1, 2),) if w[1] != "中" else ()
    if (len(w) == 2 and w[1] in ABBR_AFTER and (w[0] in COUNTRY_ABBR or w[0] == "华")
            and tag in ("n", "j", "ns", "nz", "?", "b", "q", "f")):
        return ((0, 1),) if w[1] not in ("人", "国", "文", "语", "元", "商", "币") or w[0] == "华" else ()
    if len(w) == 2 and w[0] in ABBR_BEFORE and (w[1] in COUNTRY_ABBR or w[1] in CITY_ABBR or w[1] == "华"):
        return ((1, 2),) if w[1] != "中" else ()
    return ()


#: one-character words that end a place name the dictionary does not know (召忽 + 镇)
ADMIN_SUFFIX = {"省", "市", "县", "区", "镇", "乡", "村", "州", "旗", "盟", "屯", "寨", "庄", "堡"}
NATURAL_SUFFIX = {"山", "峰", "岭", "江", "河", "湖", "岛", "湾", "峡", "川", "溪", "泉", "港"}
#: words that make "X县" a reference, not a name (全县, 该镇, 每个村)
NOT_PLACE_PREFIX = set("全本该各每此其我你他外邻这那某哪任整大小上下前后左右内中新老旧同原")


def _unknown_place(res: _Resources, toks: list[_Tok], k: int) -> int:
    """Index of the suffix word of a place unknown to the dictionaries starting at word k, or -1:
    one to three single characters or one rare word, then 镇/乡/村/县/山/河 … (召忽镇, 郑口镇)."""
    n = len(toks)
    t = toks[k]
    w = t.text
    if not _unknown_stem(res, w, t.tag):
        return -1
    j = k
    if len(w) == 1:
        while j + 1 < n and j - k < 2 and len(toks[j + 1].text) == 1 and toks[j + 1].text not in ADMIN_SUFFIX \
                and toks[j + 1].text not in NATURAL_SUFFIX and toks[j + 1].tag not in FUNCTION_TAGS \
                and _HAN.match(toks[j + 1].text):
            j += 1
        if j == k:
            return -1  # a single character before a suffix is too little (全县, 该镇 are excluded anyway)
    if j + 1 >= n:
        return -1
    suf = toks[j + 1].text
    if suf not in ADMIN_SUFFIX and suf not in NATURAL_SUFFIX:
        return -1
    name = "".join(x.text for x in toks[k:j + 2])
    if _place_likeness(res, name[:-1]) < (0.8 if suf in ADMIN_SUFFIX else 1.5):
        return -1
    return j + 1


def _unknown_stem(res: _Resources, w: str, tag: str) -> bool:
    """Whether an unknown place's name may start with the word ``w`` tagged ``tag``: a character
    (more follow, see ``_unknown_place``) or a rare word of two."""
    if w in NOT_PLACE_PREFIX or tag in FUNCTION_TAGS or tag in ("v", "vn", "a", "ad", "vg", "nr", "nrfg", "t"):
        return False
    return len(w) == 1 or (len(w) == 2 and tag in ("ns", "nz", "n", "?", "j", "nrt") and res.freq.get(w, 0) < 50
                           and _ALL_HAN.match(w) is not None)


def _place_likeness(res: _Resources, w: str) -> float:
    if len(w) < 2:
        return 0.0
    pos = ["B"] + ["M"] * (len(w) - 2) + ["E"]
    return sum(res.place_char.get((c, p), -4.0) for c, p in zip(w, pos)) / len(w)


def _is_pair(w: str) -> bool:
    return len(w) == 2 and ((w[0] == "中" and w[1] in PAIR_OK) or (w[1] == "中" and w[0] in PAIR_OK))


# ------------------------------------------------------------------------------ persons
#: titles short enough to follow a bare surname (江主席, 李先生)
SURNAME_TITLES = {"主席", "副主席", "总统", "总理", "副总理", "首相", "先生", "女士", "小姐", "夫人", "同志", "书记", "部长",
                  "市长", "省长", "县长", "局长", "主任", "经理", "总经理", "董事长", "教授", "老师", "师傅", "大使", "委员",
                  "院长", "校长", "厂长", "行长", "会长", "处长", "科长", "所长", "队长", "总", "博士", "医生", "大夫", "律师",
                  "法官", "警官", "秘书长", "总书记", "委员长", "议长", "外长", "司令", "政委", "将军", "大爷", "大妈", "阿姨",
                  "老板", "老总", "师父", "大叔", "大婶", "奶奶", "爷爷", "老师傅", "书记员", "工程师", "记者"}
#: titles after which even a surname that is also a common word is a person (江主席)
HIGH_TITLES = {"主席", "总理", "总统", "先生", "女士", "同志", "书记", "委员长", "总书记", "副主席", "副总理"}
#: single surname characters too common as words to start a name without strong evidence
WEAK_SURNAMES = set("和于向由时全应都来相国海平明原南强公但区文成安常方高石白江马黄林何许金龙关包尚单路管华解农古车"
                    "连党冷师商查官谈乐劳满闻位门初容敬普母修鲜印战危玉利呼居干信展幸富闭支计那元宿")


def _given_score(res: _Resources, given: str) -> float:
    if not given or not _ALL_HAN.match(given):
        return -99.0
    nc = res.name_char
    if len(given) == 1:
        return max(min(nc.get((given, "E"), -6.0), 3.5), -3.0)
    s = max(min(nc.get((given[0], "M"), -6.0), 3.5), -2.5) + max(min(nc.get((given[1], "E"), -6.0), 3.5), -2.5)
    return s / 1.5


FUNCTION_TAGS = {"u", "uj", "ul", "uz", "ud", "ug", "uv", "p", "c", "r", "rr", "rz", "d", "y", "e", "m", "q", "f", "o"}


def _word_penalty(res: _Resources, word: str) -> float:
    """How strongly ``word`` reads as an ordinary dictionary word rather than part of a name."""
    tag = res.tags.get(word)
    if tag is None or tag in ("nr", "nrfg", "nrt"):
        return 0.0
    f = res.freq.get(word, 0)
    if f <= 0:
        return 0.0
    if len(word) == 1:
        pen = max(0.0, math.log10(f) - 3.5) * 0.4
        if tag in FUNCTION_TAGS and f > 20000:
            pen += 1.0
        return pen
    pen = max(0.0, math.log10(f) - 1.5) * 0.8
    if tag in FUNCTION_TAGS:
        pen += 1.5
    return pen


def _surname_prior(res: _Resources, sn: str, tok_tag: str | None) -> float:
    """How likely ``sn`` starts a name: its frequency as a surname, less if it is a common word."""
    if len(sn) == 2:
        return 1.0
    lp = res.name_char.get((sn, "B"))
    sc = max(-1.5, min(1.5, ((lp if lp is not None else -9.0) + 6.0) * 0.5))
    sc = res.surname_prior_raw.get(sn, sc)
    if sn in WEAK_SURNAMES:
        sc -= 0.7
    if tok_tag in FUNCTION_TAGS or tok_tag in ("v", "vg", "a", "ag"):
        sc -= 0.6
    return sc


#: forms of address after a given name alone (小平同志)
ADDRESS_FORMS = ("同志", "先生", "女士")
#: ``_person_kind``'s verdicts: no name can start at the word; only a given name before a form of
#: address (a single character that is no surname); any of ``_persons``' patterns
_NO_PERSON, _GIVEN_ONLY, _ANY_PERSON = 0, 1, 2


def _person_kind(res: _Resources, w: str, tag: str) -> int:
    """Which of ``_persons``' patterns may start at the word ``w`` tagged ``tag``, from the word
    alone: most words (a tenth start with a surname) are passed over at once."""
    if not "\u3400" <= w[0] <= "\u9fff":
        return _NO_PERSON
    if len(w) >= 3 and w[0] in res.surnames and w[1:] in SURNAME_TITLES:
        return _ANY_PERSON  # 江主席
    if w in res.titles or w in res.not_names:
        return _NO_PERSON
    if w[0] in res.surnames or w[:2] in res.surnames:
        return _ANY_PERSON
    if len(w) == 1:
        return _GIVEN_ONLY
    if (2 <= len(w) <= 4 and tag in ("ns", "nr", "nrt", "nz")) or (len(w) >= 4 and tag in ("nr", "nrfg", "nz", "n", "?")):
        return _ANY_PERSON  # a name after a title (总统 + 普京), a word starting with a name (邓小平理论)
    return _NO_PERSON


def _persons(res: _Resources, text: str, toks: list[_Tok], places) -> list[tuple[int, int, str, float]]:
    n = len(toks)
    place_spans = {(s, e) for s, e, _, _ in places}
    found: list[tuple[float, int, int]] = []
    surnames = res.surnames
    kinds = res.person_words
    for k, t in enumerate(toks):
        w = t.text
        kind = kinds.get((w, t.tag))
        if kind is None:
            kind = kinds[(w, t.tag)] = _person_kind(res, w, t.tag)
        if kind is _NO_PERSON or (kind is _GIVEN_ONLY and not (k + 2 < n and toks[k + 2].text in ADDRESS_FORMS)):
            continue
        c0 = w[0]
        # a surname and a title in one word (江主席) or in two (李/先生)
        if (len(w) >= 3 and w[0] in res.surnames and w[1:] in SURNAME_TITLES
                and (w[0] not in WEAK_SURNAMES or w[1:] in HIGH_TITLES)):
            found.append((2.5, t.start, t.start + 1))
            continue
        if w in res.titles or w in res.not_names:
            continue
        # a dictionary place or name right after a title (总统 + 普京)
        if (k > 0 and toks[k - 1].text in SURNAME_TITLES and 2 <= len(w) <= 4 and t.tag in ("ns", "nr", "nrt", "nz")
                and w not in res.gazetteer and _ALL_HAN.match(w)):
            found.append((2.0 + _context(res, toks, k, k), t.start, t.end))
        if (len(w) == 1 and w in res.surnames and k + 1 < n and toks[k + 1].text in SURNAME_TITLES
                and (k == 0 or not _HAN.match(toks[k - 1].text[-1]) or len(toks[k - 1].text) >= 2)
                and (t.tag in ("nr", "nrfg")
                     or (w not in WEAK_SURNAMES and t.tag not in ("p", "c", "u", "uj", "r", "d", "v", "vg", "a")))):
            found.append((2.0, t.start, t.end))
        # a given name alone before a form of address (小平同志)
        if (len(w) == 1 and k + 2 < n and len(toks[k + 1].text) == 1 and toks[k + 2].text in ADDRESS_FORMS
                and _ALL_HAN.match(w + toks[k + 1].text) and (k == 0 or not _ALL_HAN.match(toks[k - 1].text)
                                                             or len(toks[k - 1].text) >= 2)):
            g = w + toks[k + 1].text
            found.append((_given_score(res, g) - _word_penalty(res, w) * 0.5 + 0.5, t.start, toks[k + 1].end))
        # a dictionary word starting with a known name (邓小平理论 → 邓小平)
        if len(w) >= 4 and t.tag in ("nr", "nrfg", "nz", "n", "?"):
            for pl in (3, 2, 4):
                if w[:pl] in res.person_lex and w[pl:] in res.tags:
                    found.append((2.5 + _context(res, toks, k, k), t.start, t.start + pl))
                    break
        # a surname starting here, the given name in this word or the next ones
        if c0 not in surnames and w[:2] not in surnames:
            continue
        foreign_ctx = any(x.text in res.foreign_places for x in toks[max(0, k - 3):k])
        for sl in (2, 1):
            sn = w[:sl]
            if len(sn) < sl or sn not in res.surnames:
                continue
            if len(w) > sl:
                # the word itself: a dictionary name (李鹏) or the surname glued to its given name
                if len(w) - sl > 2 or w in res.not_names or (t.start, t.end) in place_spans:
                    continue
                in_lex = w in res.person_lex
                other_word = t.tag not in ("nr", "nrfg", "?") and not in_lex
                if other_word and res.freq.get(w, 0) > 1000:
                    continue
                given = w[sl:]
                sc = _surname_prior(res, sn, None) + _given_score(res, given) - _word_penalty(res, given)
                if len(w) - sl == 1:
                    sc -= 0.8
                if in_lex:
                    if len(w) - sl == 2 and (sl == 2 or sn not in WEAK_SURNAMES):
                        sc = max(sc, 2.0)  # a dictionary name with a surname and a two-character given name
                    else:
                        sc += 0.3
                if other_word:
                    sc -= 1.0
                if foreign_ctx:
                    sc -= 1.0
                sc += _context(res, toks, k, k)
                found.append((sc, t.start, t.end))
                continue
            # the surname alone: the given name is the next one or two words
            base = _surname_prior(res, sn, t.tag if sl == 1 else None)
            options = []
            if k + 1 < n and len(toks[k + 1].text) <= 2:
                options.append(k + 1)
                if len(toks[k + 1].text) == 1 and k + 2 < n and len(toks[k + 2].text) == 1:
                    options.append(k + 2)
            scored = []
            for kend in options:
                parts = toks[k + 1:kend + 1]
                given = "".join(x.text for x in parts)
                if not _ALL_HAN.match(given) or given in res.not_names or given in res.titles:
                    continue
                if len(parts) == 1 and len(given) == 2 and (
                        parts[0].tag == "nrt" or (given in res.person_lex and sn in WEAK_SURNAMES)):
                    continue  # the next word is a name of its own (官/亨特), not a given name (陈/海燕)
                e = toks[kend].end
                if (t.start, e) in place_spans:
                    continue
                sc = base + _given_score(res, given)
                sc -= sum(_word_penalty(res, x.text) for x in parts) * (0.7 if len(parts) > 1 else 1.0)
                if len(given) == 1:
                    sc -= 0.8
                else:
                    sc += 0.3
                sc += _context(res, toks, k, kend)
                if foreign_ctx:
                    sc -= 1.0
                scored.append((sc, e))
            # jieba's HMM reads 曹/沁/心 as one unknown word: 曹沁心, not 曹沁 + 心 (but not when a verb
            # it does not know follows the shorter name: 李明 + 任, 王刚 + 说); asked only when its
            # bonus and a neighbour's could lift a reading to the threshold
            if (len(w) == 1 and len(options) == 2 and toks[k + 2].text not in res.speech and scored
                    and max(scored)[0] + HMM_BONUS + NEAR_NAME_BONUS >= THRESHOLD):
                hmm_end = _hmm_word_end(toks, k)
                if hmm_end is not None:
                    scored = [(sc + (HMM_BONUS if hmm_end == e else -0.5), e) for sc, e in scored]
            found.extend((sc, t.start, e) for sc, e in scored)
    found.extend(_foreign(res, text, toks))
    found.extend(_dotted(res, text, toks))
    chosen = _pick(found, len(text))
    if chosen and len(chosen) < len(found):
        # names come in lists (李鹏 乔石 李瑞环, 王建国、李小明): a candidate next to a chosen name gains
        edges = {s for s, _, _ in chosen} | {e for _, e, _ in chosen}
        seps = set("、，, ")
        boosted = []
        for sc, s, e in found:
            near = (s in edges or e in edges or (s > 0 and text[s - 1] in seps and s - 1 in edges)
                    or (e < len(text) and text[e] in seps and e + 1 in edges))
            boosted.append((sc + NEAR_NAME_BONUS if near and sc > THRESHOLD - 1.6 else sc, s, e))
        chosen = _pick(boosted, len(text))
    return [(s, e, "PERSON", 0.8 + min(sc, 5) / 10) for s, e, sc in chosen]


def _hmm_word_end(toks: list[_Tok], k: int) -> int | None:
    """Where the word that jieba's HMM (its guesser of unknown words) starts at token k ends,
    when it joins k with one or two of the next tokens; None otherwise.  The HMM reads the
    run of single characters around k, the run jieba itself would hand it."""
    a, b = k, k
    while a > 0 and k - a < 4 and len(toks[a - 1].text) == 1 and _ALL_HAN.match(toks[a - 1].text):
        a -= 1
    while b + 1 < len(toks) and b - k < 5 and len(toks[b + 1].text) == 1 and _ALL_HAN.match(toks[b + 1].text):
        b += 1
    pos = toks[a].start
    for piece in finalseg.cut("".join(t.text for t in toks[a:b + 1])):
        if pos == toks[k].start:
            return pos + len(piece) if 2 <= len(piece) <= 3 else None
        pos += len(piece)
    return None


def _dotted(res: _Resources, text: str, toks: list[_Tok]) -> list[tuple[float, int, int]]:
    """Names joined by a name dot (阿沛·阿旺晋美, 司马义·艾买提): the dot is the evidence."""
    out: list[tuple[float, int, int]] = []
    if not any(dot in text for dot in NAME_DOTS):
        return out  # (most texts have none: no word needs looking at)
    n = len(toks)

    def piece(t: _Tok) -> bool:
        w = t.text
        return (_ALL_HAN.match(w) is not None and len(w) <= 5 and w not in res.titles and w not in res.not_names
                and not (len(w) == 1 and w in DOT_STOP) and t.tag not in ("p", "c", "u", "uj", "ul", "r", "y"))

    k = 0
    while k < n:
        if toks[k].text in NAME_DOTS and 0 < k < n - 1 and piece(toks[k - 1]) and piece(toks[k + 1]):
            def tr1(x: _Tok) -> bool:  # a one-character piece of a split transliteration
                return len(x.text) == 1 and _HAN.match(x.text) is not None and x.text not in DOT_STOP

            i = k - 1
            if len(toks[i].text) == 1:
                while i > 0 and toks[k].start - toks[i - 1].start <= 4 and (
                        tr1(toks[i - 1]) or (len(toks[i - 1].text) == 2 and piece(toks[i - 1])
                                             and res.freq.get(toks[i - 1].text, 0) < 200)):
                    i -= 1
            j = k + 1
            while True:
                if j + 1 < n and tr1(toks[j + 1]) and toks[j + 1].end - toks[k].end <= 5:
                    j += 1
                elif j + 2 < n and toks[j + 1].text in NAME_DOTS and piece(toks[j + 2]):
                    j += 2
                else:
                    break
            out.append((4.5 + _context(res, toks, i, j), toks[i].start, toks[j].end))
            k = j + 1
            continue
        k += 1
    return out


def _pick(found, n):
    """The best-scoring non-overlapping candidates above the threshold."""
    used = bytearray(n)
    out = []
    for sc, s, e in sorted(found, key=lambda x: (-x[0], -(x[2] - x[1]))):
        if sc < THRESHOLD or any(used[s:e]):
            continue
        used[s:e] = b"\x01" * (e - s)
        out.append((s, e, sc))
    return out


THRESHOLD = 1.5
#: what a reading of a name gains when jieba's HMM reads the same word, and next to a chosen name
HMM_BONUS, NEAR_NAME_BONUS = 1.0, 1.0


def _context(res: _Resources, toks: list[_Tok], k0: int, k1: int) -> float:
    """Evidence from the words around tokens k0..k1 that they are a person's name."""
    sc = 0.0
    prev = toks[k0 - 1].text if k0 > 0 else ""
    nxt = toks[k1 + 1].text if k1 + 1 < len(toks) else ""
    if prev in res.titles or prev.endswith(("主席", "主任", "记者", "书记", "经理", "部长", "局长", "长", "委员", "总统",
                                               "总理", "大使", "教授", "助理", "代表")):
        sc += 1.5
    if nxt in res.titles:
        sc += 1.5
    elif nxt in res.speech:
        sc += 1.0
    if prev == "、" or nxt == "、":
        sc += 0.3
    if nxt in ("（", "("):
        sc += 0.2
        if k1 + 2 < len(toks) and toks[k1 + 2].text in ("女", "左", "右", "中"):
            sc += 1.5
    return sc


def _foreign(res: _Resources, text: str, toks: list[_Tok]) -> list[tuple[float, int, int]]:
    """Runs of transliteration words, joined by name dots (亚历山大·克瓦希涅夫斯基)."""
    out = []
    n = len(toks)
    tr = res.translit
    known = res.translit_words

    def translit_word(t: _Tok) -> bool:
        w = t.text
        plausible = known.get(w)
        if plausible is None:
            plausible = known[w] = (_ALL_HAN.match(w) is not None and all(c in tr for c in w)
                                    and w not in res.not_names)
        if not plausible:
            return False
        return (len(w) == 1 or t.tag in ("nr", "nrt", "nrfg", "?") or w in res.person_lex
                or (len(w) >= 3 and res.freq.get(w, 0) < 1000))

    k = 0
    while k < n:
        if toks[k].text[0] not in tr or not translit_word(toks[k]):  # (the first character rules out most)
            k += 1
            continue
        j = k
        dots = 0
        while j + 1 < n:
            if translit_word(toks[j + 1]):
                j += 1
            elif toks[j + 1].text in NAME_DOTS and j + 2 < n and translit_word(toks[j + 2]):
                j += 2
                dots += 1
            else:
                break
        # trim single characters that are frequent words at the edges
        while j > k and len(toks[j].text) == 1 and _word_penalty(res, toks[j].text) > 1.5:
            j -= 1
        while k < j and len(toks[k].text) == 1 and _word_penalty(res, toks[k].text) > 1.5:
            k += 1
        s, e = toks[k].start, toks[j].end
        name = text[s:e]
        parts = [p for p in toks[k:j + 1] if p.text not in NAME_DOTS]
        if len(name) >= 2 and name not in res.place_lex and not all(p.text in res.place_lex for p in parts):
            sc = 0.0
            if dots:
                sc += 2.5
            longest = max(len(p.text) for p in parts)
            if any(p.tag in ("nrt", "nr") and len(p.text) >= 3 for p in parts):
                sc += 1.5
            elif any(p.tag in ("nrt", "nr") and len(p.text) >= 2 for p in parts):
                sc += 0.8 if longest >= 2 and len(parts) > 1 else 0.3
            singles = [p for p in parts if len(p.text) == 1]
            if len(singles) == len(parts):
                # unknown to the dictionary as a whole: how unlike ordinary words are its characters?
                sc += 0.5 * len(singles) - sum(min(_word_penalty(res, p.text), 2.0) for p in singles) * 0.5
            if len(name) >= 3:
                sc += 0.5
            if any(x.text in res.foreign_places for x in toks[max(0, k - 3):k]):
                sc += 1.0  # 法国总统 + 马克龙: a foreign country just before
            sc += _context(res, toks, k, j)
            out.append((sc, s, e))
        k = j + 1
    return out


# ------------------------------------------------------------------------------ organizations
#: one-character heads: only at the end of a word tagged nt/j or unknown to the dictionary
SHORT_HEADS = set("部局厅署司处委办院所馆站台社党")
#: words that end like an organization but are not one (干部, 全部)
NOT_HEADS = set("""干部 全部 内部 外部 局部 部分 部署 部队 本部 基地 胸部 腹部 头部 东部 西部 南部 北部 中部 大部 底部 顶部
全局 格局 结局 布局 大局 当局 饭局 政局 时局 开局 出局 庭院 寺院 影院 大院 书院 宅院 戏院 大厅 客厅 餐厅 舞厅 门厅
饭馆 旅馆 茶馆 酒馆 公馆 场馆 展馆 公社 旅社 结社 场所 处所 住所 厕所 诊所 寓所 好处 到处 处处 长处 短处 坏处 益处 用处
深处 住处 车站 网站 舞台 平台 讲台 阳台 站台 上台 后台 柜台 官司 上司 政党 该党 本党 全党 入党 我党 两党 各党 建党 执政党
参政党 执政党 在野党 反对党 签署 举办 主办 承办 创办 兴办 开办 申办 协办 督办 代办 包办 置办 筹办 查办 停办
合办 民办 公办 官办 专委 编委 常委
""".split())
ADMIN_LEVEL = set("省市县区镇乡村州盟旗")


#: `_head_kind`'s verdict on a short head (外办, 使馆) that is one only right after a name
_AFTER_NAME = "after a name"


def _head_kind(res: _Resources, w: str, tag: str) -> bool | str:
    """Whether the word ``w`` tagged ``tag`` can head an organization's name: True, False,
    or ``_AFTER_NAME``."""
    if w in NOT_HEADS or w in res.titles:
        return False
    if w in res.org_head_set:
        return True
    if len(w) >= 3 and w.endswith(res.org_heads):
        for h in res.org_heads:
            if w.endswith(h) and len(w) > len(h):
                if len(h) >= 2:
                    return tag in ("n", "nt", "nz", "j", "?", "vn", "l", "ns", "v")
                return tag in ("nt", "j", "?", "n", "nz")
    if len(w) == 2 and w[-1] in SHORT_HEADS:
        if tag in ("nt", "?") or (tag == "j" and w[0] in ADMIN_LEVEL):
            return True
        return _AFTER_NAME if tag in ("n", "j") else False
    return False


def _org_verdicts(res: _Resources, w: str, tag: str) -> tuple[bool, bool | str, int, int]:
    """What the word ``w`` tagged ``tag`` alone says to ``_orgs``: whether it is a known
    organization, ``_head_kind``'s verdict, and the length of the known organization inside it
    (0 if none) when it is a post that contains it (外交部长 → 外交部; a name only if the word
    is no head) or a meeting of it (中共十一届三中全会 → 中共)."""
    known = w in res.org_lex or CONGRESS.match(w) is not None
    in_post = len(w) - 1 if len(w) >= 4 and w.endswith("长") and w[:-1] in res.org_lex else 0
    in_meeting = 0
    if tag == "nt" and w.endswith(("全会", "会议")) and not known:
        in_meeting = next((pl for pl in range(len(w) - 2, 1, -1) if w[:pl] in res.org_lex), 0)
    return known, _head_kind(res, w, tag), in_post, in_meeting


def _spans_by_last_token(toks: list[_Tok], spans) -> dict[int, int]:
    """For the (start, end, …) spans that fall on token boundaries: the index of the last
    token → the index of the first."""
    starts = [t.start for t in toks]
    out = {}
    for s, e, *_ in spans:
        i, j = bisect_left(starts, s), bisect_left(starts, e) - 1
        if i < len(toks) and toks[i].start == s and j >= 0 and toks[j].end == e:
            out[j] = i
    return out


def _orgs(res: _Resources, text: str, toks: list[_Tok], places, persons) -> list[tuple[int, int, str, float]]:
    n = len(toks)
    place_start = _spans_by_last_token(toks, places)  # token index of a place's last word → of its first
    person_start = _spans_by_last_token(toks, persons)
    out = []
    known = [False] * n
    head = [False] * n
    words = res.org_words
    for k, t in enumerate(toks):
        verdicts = words.get((t.text, t.tag))
        if verdicts is None:
            verdicts = words[(t.text, t.tag)] = _org_verdicts(res, t.text, t.tag)
        known[k], kind, in_post, in_meeting = verdicts
        if kind is _AFTER_NAME:
            # 国务院 + 外办, 俄罗斯 + 使馆: a short head right after a name
            kind = k > 0 and (toks[k - 1].text in res.org_lex or toks[k - 1].text in res.place_lex)
        head[k] = known[k] or kind
        if in_post and not head[k] or in_meeting:
            out.append((t.start, t.start + (in_post or in_meeting), "ORG", 0.9))
    for k, t in enumerate(toks):
        if not head[k]:
            continue
        w = t.text
        namelike = known[k]
        j = k
        while j > 0 and k - j < 8:
            p = toks[j - 1]
            pw = p.text
            if j - 1 in person_start and person_start[j - 1] >= 0:
                j = person_start[j - 1]
                namelike = True
                continue
            if j - 1 in place_start:
                j = place_start[j - 1]
                namelike = True
                continue
            if not _ALL_HAN.match(pw):
                if pw in ("—", "－", "-") and j - 2 >= 0 and (j - 2 in place_start):
                    j -= 1
                    continue
                break
            if pw in res.titles and pw not in res.org_head_set:
                break
            if known[j - 1] or head[j - 1] or pw in res.org_lex:
                j -= 1
                namelike = True
                continue
            if ORDINAL.match(pw) or (pw.startswith("第") and p.tag == "m"):
                j -= 1
                continue
            if known[k]:
                break  # before a known name only places, names and ordinals (中国 + 致公党)
            if pw in ("国家", "全国", "中央", "中华全国") and j == k and w not in GENERIC_HEADS:
                j -= 1  # 国家 + 统计局
                namelike = True
                break
            if pw in res.speech or pw in res.not_names:
                break
            if len(pw) == 1 and pw in ADMIN_LEVEL:
                j -= 1  # 县 + 人社局, 市 + 总工会
                namelike = True
                break

            if j == k and p.tag in ("a", "an") and len(pw) == 2 and w.endswith(("协会", "委员会", "联合会", "学会")):
                j -= 1  # 中国 + 友好 + 协会
                continue
            if j == k and p.tag in ("v", "vn") and len(pw) == 2 and w.endswith(("委员会", "小组", "办公室", "指挥部")):
                j -= 1  # 筹备 + 委员会: the purpose of a committee is part of its name
                continue
            if p.tag in ORG_INNER_TAGS and len(pw) >= 2:
                j -= 1
                if p.tag in ("nz", "j", "nt", "ns", "nrt", "?"):
                    namelike = True
                continue
            if p.tag == "?" and len(pw) >= 2:
                j -= 1
                namelike = True
                continue
            break
        if j == k and not known[k]:
            continue  # a bare head word (委员会, 公司) is not a name
        if not namelike:
            continue
        s, e = toks[j].start, t.end
        if k + 1 < n and toks[k + 1].text == "中央" and (known[k] or w.endswith("党")):
            e = toks[k + 1].end  # 致公党 + 中央
        # a country's government is named by its country (美国政府 → 美国)
        if w in ("政府", "当局") and j == k - 1 and toks[j].text in res.place_lex:
            continue
        out.append((s, e, "ORG", 1.0))
    return out
