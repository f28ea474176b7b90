"""Money, counts and dates, with their values parsed.

Amounts keep how they were stated: 3111万元 is 31,110,000 CNY exactly, 2万余元
is at least 20,000.  Dates keep their precision (2019年 is a year, 3月11日 has
no year until the article's date anchors it); vague forms (近日, 日前) are
dates without a value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.model import Mention

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
# the characters a number, and a date, can start with: the patterns below look ahead for one first,
# which spares the regex engine trying every alternative at every position of the text
_NUM_START = r"(?=[\d零〇一二两三四五六七八九十百千])"
_DATE_START = r"(?=[\d今去明前近日目当此])"
_UNIT = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1000), "百": Decimal(100)}
_MONEY = re.compile(rf"{_NUM_START}(?P<num>{_NUM})(?P<mult>万|亿|千|百)?(?P<approx>余|多)?(?P<mult2>万|亿)?(?P<cur>元|美元)")
_CLASSIFIERS = "个|家|名|人次|人|件|所|处|支|场|项|次|户|万人|万名|余名|座|间|批|期|类|届|条|台|辆|套|本|份|站|室"
_QUANTITY = re.compile(rf"{_NUM_START}(?P<num>{_NUM})(?P<mult>万|千|百)?(?P<approx>余|多)?(?P<cls>{_CLASSIFIERS})")
_DATE = re.compile(
    _DATE_START + r"(?:(?P<y>(?:19|20)\d{2})年(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>3[01]|[12]\d|0?[1-9])日)?)?"
    r"|(?P<m2>1[0-2]|0?[1-9])月(?:(?P<d2>3[01]|[12]\d|0?[1-9])日)?"
    r"|今年|去年|明年|前年|近日|日前|近期|目前|当天|当日|此前|近年来|近\d+年来)"
)


@dataclass(frozen=True)
class Amount:
    value: Decimal
    qualifier: str  # "exact", "atLeast"
    text: str


@dataclass(frozen=True)
class StatedDate:
    """A date as stated and as far as it can be resolved (None parts are unknown)."""

    text: str
    year: int | None
    month: int | None
    day: int | None
    relative: str | None  # 今年/去年/明年 when the year is relative to publication


def cn_number(token: str) -> Decimal | None:
    """Parse 3111, 2.23 or Chinese numerals up to the thousands (一千二百)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return Decimal(token)
    total, current = 0, 0
    for ch in token:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in "十百千":
            factor = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * factor
            current = 0
        else:
            return None
    return Decimal(total + current) if token else None


def parse_amount(text: str) -> Amount | None:
    m = _MONEY.search(text)
    if not m or m.group("cur") != "元":
        return None
    value = cn_number(m.group("num"))
    if value is None:
        return None
    for key in ("mult", "mult2"):
        if m.group(key):
            value *= _UNIT[m.group(key)]
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return Amount(value, "atLeast" if m.group("approx") else "exact", m.group(0))


_AT_LEAST_BEFORE = re.compile(r"(?:突破|超过|超|逾|不低于|不少于)$")
_AT_MOST_BEFORE = re.compile(r"(?:不超过|不高于|最高|最多|至多|以内)$")
_ABOUT_BEFORE = re.compile(r"(?:近|约|将近|接近|大约)$")


def qualify(amount: Amount | None, before: str, after: str) -> Amount | None:
    """Read how an amount is bounded from the words around it: 突破1亿元 is at least,
    最高200万元 at most, 近500万元 approximately, 5000元以上 at least."""
    if amount is None or amount.qualifier != "exact":
        return amount
    if _AT_MOST_BEFORE.search(before) or after.startswith(("以内", "以下")):
        return Amount(amount.value, "atMost", amount.text)
    if _AT_LEAST_BEFORE.search(before) or after.startswith("以上"):
        return Amount(amount.value, "atLeast", amount.text)
    if _ABOUT_BEFORE.search(before) or after.startswith("左右"):
        return Amount(amount.value, "approximately", amount.text)
    return amount


def parse_count(text: str) -> tuple[int, str] | None:
    """The number in a quantity (74个 → 74, 1000余名 → 1000), with the qualifier."""
    m = _QUANTITY.search(text)
    if not m:
        return None
    value = cn_number(m.group("num"))
    if value is None or value != value.to_integral():
        return None
    if m.group("mult"):
        value *= _UNIT[m.group("mult")]
    return int(value), "atLeast" if m.group("approx") or "余" in m.group("cls") else "exact"


def parse_date(text: str) -> StatedDate | None:
    m = _DATE.search(text)
    if not m:
        return None
    g = m.groupdict()
    if g["y"]:
        return StatedDate(m.group(0), int(g["y"]), _int(g["m"]), _int(g["d"]), None)
    if g["m2"]:
        return StatedDate(m.group(0), None, _int(g["m2"]), _int(g["d2"]), None)
    word = m.group(0)
    return StatedDate(word, None, None, None, word if word in ("今年", "去年", "明年", "前年") else None)


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def find_quantities(text: str) -> list[Mention]:
    """MONEY, QUANTITY and DATE mentions."""
    found = [Mention(m.start(), m.end(), "MONEY", m.group(0)) for m in _MONEY.finditer(text)]
    found += [Mention(m.start(), m.end(), "DATE", m.group(0)) for m in _DATE.finditer(text)]
    found += [Mention(m.start(), m.end(), "QUANTITY", m.group(0)) for m in _QUANTITY.finditer(text)]
    return found
