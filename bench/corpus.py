"""The benchmark's corpus: the sample pages, then new articles made of their sentences.

Why names vary.  The five sample pages hold about 450 sentences.  Recombined
as they are into 50 MB, every organization, person, place and program of the
five pages recurs in every 1/50th of the corpus: in a million triples the
program 瓷都工贷 has two thousand statements and 浙江省 four thousand events,
so a query that picks one of them reads as much as a query over everything.
A real archive names tens of thousands of distinct unions, people, places and
programs, each a few to a few hundred times; query latency on such a graph is
what the benchmark is for.

How.  kg's own pipeline reads each pool sentence (and headline) once and marks
its names (``Slot``): places (``RegionTable.find``, resolved to a region),
persons and quoted program and policy names (``doc.ents``).  Each generated
article then renames them consistently (``Renaming``: the same original name
gets the same variant throughout the article, so its stories stay coherent and
extraction still links them), drawing variants from corpus-wide pools with
Zipf-like frequencies (``zipf``: a few names frequent, a long tail):

- places by other real divisions of the same level from kg's region table,
  inside the variant of their parent when that is known (浙江省衢州市 becomes
  山东省德州市, never 山东省衢州市), and an organization named after a place
  changes with it (聊城市总工会 → 德州市总工会); townships get another stem
  under the new county (大洲镇 → 龙泉镇);
- persons by names made of kg's common surnames and the given-name characters
  of the sample persons; the pool grows with the corpus size;
- quoted program and policy names of 4–8 characters by a new two-character
  head before their original tail (“瓷都工贷” → “梦桃工贷”); the pool of heads
  grows with the corpus size too.

The sample pages come first, unchanged and under their own names: the
competency queries' constants (瓷都工贷, 浙江省, 聊城市总工会) come from them.
Generated articles never use a sample's persons or programs, so those
constants are as selective as a real archive's names; places are real and
recur as real places do.  Everything is drawn from one seeded generator: the
same size and seed give the same corpus.
"""
from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from kg.regions import Region, RegionTable

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SURNAMES = ROOT / "kg" / "data" / "names" / "surnames.txt"
T = TypeVar("T")

#: Zipf–Mandelbrot offset: rank k is drawn with probability ∝ 1/(k + 1 + OFFSET), so the most frequent
#: name is a few percent of its kind's mentions (with no offset the first of 34 provinces would get a fifth)
OFFSET = 10.0
#: pool sizes per MB of corpus: a 50 MB corpus draws from 25,000 persons and 5,000 program heads
PERSONS_PER_MB = 500
HEADS_PER_MB = 100
#: draws before a name already used for another original name of the same article is accepted
RETRIES = 8

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?][”’」』]?")
_DATELINE = re.compile(r"本报讯\s*[(（][^()（）\n]{1,24}[)）]")
#: a quoted name whose head can change: 4–8 Han characters between quotes (“ ”, ‘ ’, " ") or 《 》
_OPEN, _CLOSE = r"(?<=[“‘\"《])", r"(?=[”’\"》])"
_QUOTED = re.compile(_OPEN + r"[\u4e00-\u9fff]{4,8}" + _CLOSE)


# -- the pools of the sample pages ---------------------------------------------------------


def pools(texts: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Headlines, body sentences and datelines of the sample pages."""
    headlines, sentences, datelines = [], [], []
    for text in texts:
        datelines += _DATELINE.findall(text)
        for line in text.splitlines():
            line = line.strip()
            if 6 <= len(line) <= 28 and not re.search(r"[。！？,，:：]$", line) and re.search(r"[\u4e00-\u9fff]{4}", line):
                headlines.append(line)
        body = re.sub(r"\n(?!\n)", "", text)  # join broken lines, keep paragraph breaks
        sentences += [s.strip() for s in _SENTENCE.findall(_DATELINE.sub("", body)) if len(s.strip()) >= 10]
    return headlines, sentences, datelines or ["本报讯"]


# -- the names in them ------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A name in a pool sentence, ``text[start:end]``, renamed in every generated article."""

    start: int
    end: int
    kind: str  # "place", "person" or "program" (for a program, the quoted text only)
    name: str  # the name as the sentence writes it
    region: Region | None = None  # a place's division


@dataclass(frozen=True)
class Template:
    """A pool sentence or headline with its names."""

    text: str
    slots: tuple[Slot, ...]


def find_templates(texts: list[str]) -> list[Template]:
    """``texts`` with their names, as kg's pipeline finds them.

    A person or program found in one sentence is marked wherever it is written
    (the pipeline, reading a sentence alone, may miss it where the context is
    thin), and so is a township found after its county (大洲镇 alone is not
    read as a place).
    """
    from kg.nlp.pipeline import load

    nlp, table = load(), RegionTable.default()
    persons: set[str] = set()
    programs: set[str] = set()
    places = [[m for m in table.find(text) if m.region is not None] for text in texts]
    for doc in nlp.pipe(texts):
        for ent in doc.ents:
            if ent.label_ == "PERSON" and _is_person(ent.text):
                persons.add(ent.text)
            elif ent.label_ in ("PROGRAM", "POLICY"):
                programs.update(_QUOTED.findall(ent.text))
    townships = {m.text: m.region for found in places for m in found if m.region.level == "township"}
    return [Template(text, _slots(text, found, persons, programs, townships))
            for text, found in zip(texts, places, strict=True)]


def _is_person(name: str) -> bool:
    """A Han name that is neither a word of jieba's dictionary nor a place's: read alone, a sentence's
    温馨 or 金秋 (words) or 汤旺县 (a county newer than the region table) may look like one."""
    import jieba

    han = re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name)
    return bool(han) and not jieba.dt.FREQ.get(name) and name[-1] not in "省市县区镇乡村"


def _alternation(names: set[str], before: str = "", after: str = "") -> re.Pattern | None:
    """A pattern for any of ``names``, longest first; None for no names."""
    if not names:
        return None
    return re.compile(before + "(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + ")" + after)


def _slots(text: str, places: list, persons: set[str], programs: set[str],
           townships: dict[str, Region]) -> tuple[Slot, ...]:
    """The non-overlapping names of ``text``: places first, then persons, then programs."""
    candidates = [Slot(m.start, m.end, "place", m.text, m.region) for m in places]
    searches = [("place", _alternation(set(townships))), ("person", _alternation(persons)),
                ("program", _alternation(programs, _OPEN, _CLOSE))]
    for kind, pattern in searches:
        for m in pattern.finditer(text) if pattern else ():
            region = townships[m.group()] if kind == "place" else None
            candidates.append(Slot(m.start(), m.end(), kind, m.group(), region))
    used = bytearray(len(text))
    slots = []
    for slot in candidates:
        if not any(used[slot.start:slot.end]):
            used[slot.start:slot.end] = b"\x01" * (slot.end - slot.start)
            slots.append(slot)
    return tuple(sorted(slots, key=lambda s: s.start))


# -- the pools variants are drawn from --------------------------------------------------------


def zipf(n: int, rng: random.Random) -> int:
    """A rank in ``range(n)``, rank k with probability ≈ ∝ 1/(k + 1.5 + OFFSET): a few frequent, a long tail.

    The inverse of the continuous distribution's CDF: one random number per draw, whatever ``n``.
    """
    x = (1 + OFFSET) * ((n + 1 + OFFSET) / (1 + OFFSET)) ** rng.random() - OFFSET
    return min(max(int(x) - 1, 0), n - 1)


@dataclass
class Names:
    """The corpus-wide pools, each in rank order (the first the most frequent)."""

    table: RegionTable
    ranked: dict[str, list[Region]]  # level → the divisions a scan finds by their full name
    children: dict[tuple[str, str], list[Region]]  # (parent code, level) → its divisions of that level
    short_ok: set[str]  # codes of the divisions a scan finds by their short name alone
    stems: list[str]  # township stems
    persons: list[str]
    heads: list[str]  # heads of program names

    @classmethod
    def for_corpus(cls, size: int, templates: list[Template], rng: random.Random) -> "Names":
        """Pools for a corpus of ``size`` bytes: places from the region table, persons and program heads
        made from the templates' names, as many as the size calls for."""
        table = RegionTable.default()
        parents = {r.parent for r in table}
        # provinces without divisions in the table (台湾省, 香港, 澳门) are outside the unions' news
        found = [r for r in table if _alone(table, r.name, r) and (r.level != "province" or r.code in parents)]
        rng.shuffle(found)  # the rank of a division: arbitrary, but the same for every run
        ranked: dict[str, list[Region]] = {}
        children: dict[tuple[str, str], list[Region]] = {}
        for r in found:
            ranked.setdefault(r.level, []).append(r)
            children.setdefault((r.parent or "", r.level), []).append(r)
        names = {kind: {s.name for t in templates for s in t.slots if s.kind == kind} for kind in ("person", "program")}
        mb = max(size / 1e6, 1.0)
        return cls(
            table=table, ranked=ranked, children=children,
            short_ok={r.code for r in table if r.code and _alone(table, r.short, r)},
            stems=[r.short for r in ranked["county"] if len(r.short) == 2],
            persons=_persons(int(PERSONS_PER_MB * mb), names["person"], rng),
            heads=_heads(int(HEADS_PER_MB * mb), names["program"], table, rng),
        )


def _alone(table: RegionTable, text: str, region: Region) -> bool:
    """Does a scan of ``text`` alone read it as ``region``?  Then a variant written so stays that place."""
    found = table.find(text)
    return len(found) == 1 and found[0].region == region and found[0].text == text


def _surnames() -> list[str]:
    """kg's common surnames (class A), most frequent first, as the file lists them."""
    rows = (line.split("\t") for line in SURNAMES.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    return [row[0].strip() for row in rows if len(row) == 2 and row[1].strip() == "A"]


def _persons(n: int, originals: set[str], rng: random.Random) -> list[str]:
    """``n`` distinct person names: a common surname (itself Zipf-drawn) and one or two given-name
    characters of the sample persons; none of them a sample person or a dictionary word."""
    surnames = _surnames()
    compound = {s for s in surnames if len(s) == 2}
    given = sorted({c for name in originals for c in (name[2:] if name[:2] in compound else name[1:])})
    out: dict[str, None] = {}
    for _ in range(50 * n):  # ample: names are many more than n, a repeat only costs a draw
        if len(out) >= n:
            break
        name = surnames[zipf(len(surnames), rng)] + "".join(rng.sample(given, 2 if rng.random() < 0.7 else 1))
        if name not in originals and _is_person(name):
            out.setdefault(name)
    return list(out)


def _heads(n: int, originals: set[str], table: RegionTable, rng: random.Random) -> list[str]:
    """``n`` distinct two-character heads for program names, made of the characters of the sample
    programs; none of them a sample program's head (so no variant is a sample's name) or a place (a
    program's new head must not add a place to its sentence)."""
    chars = sorted({c for name in originals for c in name})
    theirs = {name[:2] for name in originals}
    out: dict[str, None] = {}
    for _ in range(50 * n):
        if len(out) >= n:
            break
        head = "".join(rng.sample(chars, 2))
        if head not in theirs and not table.find(head):
            out.setdefault(head)
    return list(out)


# -- one article's names --------------------------------------------------------------------------


@dataclass
class Renaming:
    """The variants of one generated article: each original name keeps its variant for the whole article."""

    names: Names
    rng: random.Random
    places: dict[str, Region] = field(default_factory=dict)  # original key → variant
    persons: dict[str, str] = field(default_factory=dict)
    programs: dict[str, str] = field(default_factory=dict)

    def render(self, template: Template) -> str:
        """The template's text with every name replaced by its variant."""
        pieces, pos = [], 0
        for slot in template.slots:
            pieces += [template.text[pos:slot.start], self._variant(slot)]
            pos = slot.end
        return "".join(pieces) + template.text[pos:]

    def _variant(self, slot: Slot) -> str:
        """The text that replaces ``slot`` in this article."""
        if slot.region is not None:
            variant = self.place(slot.region)
            short = slot.name == slot.region.short and variant.code in self.names.short_ok
            return variant.short if short else variant.name
        if slot.kind == "person":
            if slot.name not in self.persons:
                self.persons[slot.name] = self._draw(self.names.persons, set(self.persons.values()))
            return self.persons[slot.name]
        if slot.name not in self.programs:
            tail = slot.name[2:]
            taken = {v[:2] for v in self.programs.values() if v[2:] == tail}
            self.programs[slot.name] = self._draw(self.names.heads, taken) + tail
        return self.programs[slot.name]

    def _draw(self, pool: list[T], taken: set[T]) -> T:
        """An entry of ``pool``, Zipf-drawn; drawn again (up to ``RETRIES`` times) while another
        original name of the article has it."""
        choice = pool[zipf(len(pool), self.rng)]
        for _ in range(RETRIES):
            if choice not in taken:
                break
            choice = pool[zipf(len(pool), self.rng)]
        return choice

    def place(self, region: Region) -> Region:
        """The variant of an original division: one of the same level, inside its parent's variant
        when the article has one; its ancestors then map to the variant's."""
        if region.key in self.places:
            return self.places[region.key]
        table = self.names.table
        parent = table.get(region.parent or "")
        if region.level == "township":
            variant = self._township(region, self.place(parent)) if parent else region
        else:
            inside = self.places.get(parent.key) if parent else None
            pool = self.names.children.get((inside.code or "", region.level)) if inside else None
            variant = self._draw(pool or self.names.ranked[region.level], set(self.places.values()))
        self.places[region.key] = variant
        if variant.code is not None and region.code is not None:
            mine = {a.level: a for a in table.ancestors(region)}
            for a in table.ancestors(variant):
                if a.level in mine:
                    self.places.setdefault(mine[a.level].key, a)
        return variant

    def _township(self, region: Region, county: Region) -> Region:
        """A township of ``county``: a new stem, the original's 镇/乡/街道, and read so after the county."""
        suffix = region.name[len(region.short):]
        stems = self.names.stems
        for _ in range(RETRIES):
            name = stems[zipf(len(stems), self.rng)] + suffix
            found = self.names.table.find(county.name + name)
            if found and found[-1].text == name and found[-1].region and found[-1].region.level == "township":
                return found[-1].region
        return region


# -- the corpus ----------------------------------------------------------------------------------


def generate(folder: Path, size: int, seed: int = 7) -> list[Path]:
    """The sample pages, then generated pages, until ``size`` bytes; the files in order."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    headlines, sentences, datelines = pools(texts)
    templates = find_templates(headlines + sentences)
    heads, bodies = templates[: len(headlines)], templates[len(headlines):]
    rng = random.Random(seed)
    names = Names.for_corpus(size, templates, rng)
    files, total = [], 0
    for path in sorted(SAMPLES.glob("*.txt")):  # under their own names: their article ids stay
        shutil.copy(path, folder / path.name)
        files.append(folder / path.name)
        total += path.stat().st_size
    n = 0
    while total < size:
        page = "\n\n\n".join(_article(heads, bodies, datelines, names, rng) for _ in range(rng.randint(4, 8))) + "\n"
        target = folder / f"gen_{n:06d}.txt"
        target.write_text(page, encoding="utf-8")
        files.append(target)
        total += len(page.encode("utf-8"))
        n += 1
    return files


def _article(heads: list[Template], bodies: list[Template], datelines: list[str], names: Names,
             rng: random.Random) -> str:
    """One new article: one or two headlines, a dateline, two to five paragraphs of pool sentences,
    all renamed together."""
    renaming = Renaming(names, rng)
    paras = [rng.sample(bodies, rng.randint(2, 6)) for _ in range(rng.randint(2, 5))]
    head = "\n".join(renaming.render(t) for t in rng.sample(heads, rng.randint(1, 2)))
    body = "\n\n".join("".join(renaming.render(t) for t in para) for para in paras)
    return f"{head}\n\n{rng.choice(datelines)}{body}"
