"""Undo what PDF extraction did to the text, keeping a map back to the input.

Pages extracted from PDF carry stray spaces where a column line ended
("社会化工 会工作者"), paragraphs cut by a blank line in mid-sentence, and
continuation markers ("(上接第1版)").  Normalization only deletes characters or
replaces one character by one, so every normalized character knows the input
offset it came from and provenance can point into the original file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: characters that may stand on either side of a stray space and be glued
_GLUE = rf"[{CJK}0-9A-Za-z“”‘’《》()（）、,，.。:：;；!！?？%]"
_STRAY_SPACE = re.compile(rf"(?<={_GLUE})[ \t\u3000\u00a0]+(?={_GLUE})")
_CONTINUATION = re.compile(
    r"[（(]\s*[上下]?[接转]\s*第?\s*[0-9０-９一二三四五六七八九十]+\s*版\s*[）)]"
)
#: a line that ends like this is complete; one that does not may continue below
_SENTENCE_END = "。！？!?”’\"」』…：:；;）)】"
#: body lines are long; headlines and bylines are short and must not be joined
BODY_LINE = 40


@dataclass(frozen=True)
class Normalized:
    """Normalized text and, for each of its characters, the input offset."""

    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; the last maps the end


def normalize(text: str) -> Normalized:
    """Normalize a page or article: see the module docstring for what changes."""
    drop = bytearray(len(text))  # 1 = delete this input character

    def mark(start: int, end: int) -> None:
        drop[start:end] = b"\x01" * (end - start)

    for m in _CR.finditer(text):
        drop[m.start()] = 1
    for m in _CONTINUATION.finditer(text):
        mark(*m.span())
    lines = _line_spans(text)
    for start, end in lines:
        line = text[start:end]
        if len(line.strip()) >= BODY_LINE or _is_spaced_body(line):
            for m in _STRAY_SPACE.finditer(line):
                mark(start + m.start(), start + m.end())
    _join_broken_paragraphs(text, lines, drop)

    kept = [m.span() for m in _KEPT.finditer(drop)]  # the runs of characters kept, copied whole
    normalized = "".join([text[start:end] for start, end in kept])
    offsets = (*chain.from_iterable(range(start, end) for start, end in kept), len(text))
    return Normalized(_WIDE.sub(_narrow, normalized), offsets)


_CR = re.compile("\r")
_KEPT = re.compile(b"\x00+")
# full-width ASCII letters and digits → half-width, one character for one
_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF5B) if chr(c - 0xFEE0).isalnum()}
_WIDTH["\u3000"] = " "
# lone surrogates (possible in a Python str, never in decoded input) cannot be encoded or hashed downstream
_WIDTH.update({chr(c): "\ufffd" for c in range(0xD800, 0xE000)})
_WIDE = re.compile("[%s]" % "".join(sorted(_WIDTH)))


def _narrow(m: re.Match[str]) -> str:
    return _WIDTH[m.group()]


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _is_body(line: str) -> bool:
    """Body text is long or punctuated inside; headlines and bylines are neither."""
    return len(line) >= BODY_LINE or (len(line) >= 20 and any(p in line[:-1] for p in ",，。；;"))


def _is_spaced_body(line: str) -> bool:
    """A medium line whose spaces fall inside words, as in columns cut by PDF extraction."""
    stripped = line.strip()
    return len(stripped) >= 25 and stripped.count(" ") >= 2 and stripped[-1] in "。,，、"


def _join_broken_paragraphs(text: str, lines: list[tuple[int, int]], drop: bytearray) -> None:
    """Delete the line breaks after a long line that stops in mid-sentence."""
    for n, (start, end) in enumerate(lines[:-1]):
        line = text[start:end].rstrip(" \r\t")
        if not _is_body(line) or line[-1] in _SENTENCE_END:
            continue
        # find the next non-empty line; it must look like a continuation
        k = n + 1
        while k < len(lines) and not text[lines[k][0]:lines[k][1]].strip():
            k += 1
        if k == len(lines) or k - n > 3:
            continue
        nxt = text[lines[k][0]:lines[k][1]].strip()
        if not _is_body(nxt) or _starts_new_block(nxt) or re.search(r"(摄|摄影|供图)$", line):
            continue
        gap_start = start + len(line)
        drop[gap_start:lines[k][0]] = b"\x01" * (lines[k][0] - gap_start)


def _starts_new_block(line: str) -> bool:
    """A dateline, byline or box, or a kicker: the short line ending in a dash that leads
    into the next headline (为女职工定制医疗保险;成立爱心互助会——)."""
    return bool(re.match(r"(本报讯|本报记者|记者|通讯员|阅读提示|编者按|■|●|◆|【)", line)) or (
        len(line) < BODY_LINE and line.endswith(("——", "—")))
