"""Split a normalized newspaper page into articles.

A page holds several stories, each a group of short headline lines, then a
dateline (本报讯…) or a byline (本报记者…), then body paragraphs; photo
captions (…摄, …供图) are stories of their own.  A single short line that is
followed by ordinary body text is a section heading inside the current story,
so a long feature stays one article and its short forms (省总, 市总) can still
be resolved against the full name stated at its start.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.ingest.normalize import BODY_LINE, Normalized
from kg.model import Article, Document
from kg.regions import RegionTable

_DATELINE = re.compile(
    r"^(?:本报讯|本报.{1,8}电|新华社.{1,10}电|据.{1,12}报道)\s*"
    r"(?:[（(]([^（()）]{0,40})[）)]|((?:本报)?(?:特约)?(?:记者|通讯员)[^，,。；;]{1,30}?报道))?\s*"
)
_BYLINE = re.compile(r"^(?:本报)?(?:特约)?(?:记者|通讯员|实习生)\s*[\u4e00-\u9fff·]{2,}")
_CREDIT = re.compile(
    r"[。.!！]?\s*(?:(?:本报)?(?:特约)?(?:记者|通讯员)?\s*[\u4e00-\u9fff·]{2,5}(?:\s+[\u4e00-\u9fff·]{2,5})*\s*(?:摄影?|供图)|新华社发)\s*$"
)
#: what a line with a credit ends in (before spaces): searching only those lines for one
#: spares trying ``_CREDIT`` at every position of every paragraph
_CREDIT_ENDS = ("摄", "摄影", "供图", "新华社发")
_READING_TIP = re.compile(r"^(?:阅读提示|编者按|核心提示)[:：]?\s*")
_FINAL = "。！？!?”\"…"


def _credit(line: str) -> re.Match[str] | None:
    """``_CREDIT.search(line)``: a photo credit at the end of the line."""
    return _CREDIT.search(line) if line.rstrip().endswith(_CREDIT_ENDS) else None


@dataclass
class _Line:
    start: int  # offset in the normalized page
    text: str


@dataclass
class _Draft:
    headline: list[str] = field(default_factory=list)
    paras: list[tuple[int, int]] = field(default_factory=list)  # normalized page spans
    bylines: list[str] = field(default_factory=list)
    kind: str = "article"


def segment(doc: Document, page: Normalized) -> list[Article]:
    """Articles of ``doc`` (whose normalized text is ``page``), in page order.

    A JSONL record is one article already: it is not split, only cleaned.
    """
    drafts = [_whole(doc, page)] if doc.record_id else _split(page.text)
    articles = []
    for draft in drafts:
        if not draft.paras:
            continue
        text, offsets = _compose(page, draft.paras)
        if not text.strip():
            continue
        index = len(articles)
        stem = doc.record_id or f"{doc.source.rsplit('.', 1)[0]}-{index:02d}"
        articles.append(
            Article(
                id=stem,
                source=doc.source,
                index=index,
                headline=" ".join(draft.headline) or (doc.title or ""),
                text=text,
                offsets=offsets,
                date=doc.date,
                bylines=tuple(draft.bylines),
                kind=draft.kind,
            )
        )
    return articles


def _whole(doc: Document, page: Normalized) -> _Draft:
    draft = _Draft(headline=[doc.title] if doc.title else [])
    for line in _lines(page.text):
        _add_paragraph(draft, line)
    return draft


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            out.append(_Line(pos + raw.index(stripped), stripped))
        pos += len(raw) + 1
    return out


def _is_heading(line: str) -> bool:
    return (
        len(line) < BODY_LINE
        and (not any(p in line for p in ",，。；;") or line.endswith("——"))
        and line[-1] not in "。！？!?…,，、;；:："
        and not _BYLINE.match(line)
        and not _DATELINE.match(line)
        and not _credit(line)
    )


def _split(text: str) -> list[_Draft]:
    lines = _lines(text)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    heads: list[_Line] = []  # the headline group being collected
    last_heads: list[str] = []
    for n, line in enumerate(lines):
        t = line.text
        if _is_heading(t) and not _READING_TIP.match(t):
            heads.append(line)
            continue
        starts_story = bool(_DATELINE.match(t) or _BYLINE.match(t) or _READING_TIP.match(t))
        caption = bool(_credit(t)) and len(t) >= 20
        if heads:
            # a lone heading before ordinary body text is a section of the current story
            if (
                current is not None
                and len(heads) == 1
                and not starts_story
                and not caption
                and not _caption_follows(lines, n)
                and _same_place(text, current, lines, n)
            ):
                current.paras.append((heads[0].start, heads[0].start + len(heads[0].text)))  # a section heading
            else:
                # headlines state facts too (北京市总开展线上就业服务系列活动): they open the text
                current = _Draft(headline=[h.text for h in heads],
                                 paras=[(h.start, h.start + len(h.text)) for h in heads])
                drafts.append(current)
                last_heads = current.headline
            heads = []
        elif current is None or (_DATELINE.match(t) and current.paras) or caption:
            current = _Draft(headline=list(last_heads) if not caption else [])
            drafts.append(current)
        if caption:
            current.kind = "caption"
        _add_paragraph(current, line)
        if caption or current.kind == "caption":
            current, last_heads = None, []  # a caption stands alone
    return drafts


def _same_place(text: str, current: _Draft, lines: list[_Line], n: int) -> bool:
    """Whether the body after a lone heading is about the places of the story before it.

    A page may print a story's headline far from its body, so a lone heading can
    start a story as well as a section; a section goes on about the same places
    (吉林 … 吉林省总), another story names other ones (白朗县 … 广州市总).
    """
    table = RegionTable.default()

    def places(chunk: str) -> set[str]:
        found = set()
        for m in table.find(chunk):
            if m.region is None:
                continue
            chain = table.ancestors(m.region) + [m.region]
            found.update(r.code for r in chain if r.code and r.level in ("province", "city"))
        return found

    before = places("".join(text[a:b] for a, b in current.paras if a >= 0))
    after = places("".join(line.text for line in lines[n:n + 3]))
    if not before or not after:
        return True
    cities_before = {c for c in before if not c.endswith("0000")}
    cities_after = {c for c in after if not c.endswith("0000")}
    if cities_before and cities_after:
        return bool(cities_before & cities_after)
    return bool(before & after)


def _caption_follows(lines: list[_Line], n: int) -> bool:
    """Whether the body starting at line ``n`` ends, before the next heading, in a photo credit."""
    for line in lines[n:]:
        if _is_heading(line.text):
            return False
        if _credit(line.text):
            return True
    return False


def _add_paragraph(draft: _Draft, line: _Line) -> None:
    """Strip datelines, bylines, credits and reading-tip markers; keep the rest as body."""
    start, end, t = line.start, line.start + len(line.text), line.text
    if _BYLINE.match(t) and len(t) < BODY_LINE and t[-1] not in _FINAL:
        draft.bylines.append(t)
        return
    m = _DATELINE.match(t) or _READING_TIP.match(t)
    if m:
        credit = next((g for g in m.groups() if g), None) if m.groups() else None
        if credit:
            draft.bylines.append(credit)
        start += m.end()
    m = _credit(t)
    if m and m.start() == 0:
        draft.bylines.append(t)
        draft.kind = "caption"
        return
    if m and len(t) >= 20:
        draft.bylines.append(t[m.start():].strip(" 。.!！"))
        end = line.start + m.start() + (1 if t[m.start()] in "。.!！" else 0)
    if end > start:
        draft.paras.append((start, end))


def _compose(page: Normalized, paras: list[tuple[int, int]]) -> tuple[str, tuple[int, ...]]:
    """Join paragraph spans with newlines, carrying the offset map along."""
    parts: list[str] = []
    offsets: list[int] = []
    for start, end in paras:
        if start < 0:
            continue
        if parts:
            parts.append("\n")
            offsets.append(offsets[-1])
        parts.append(page.text[start:end])
        offsets.extend(page.offsets[start:end])
    offsets.append(offsets[-1] + 1 if offsets else 0)
    return "".join(parts), tuple(offsets)
