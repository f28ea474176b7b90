"""Turn the bytes of an input file into text, or say why not.

Union newspapers come from many systems: UTF-8 (with or without a BOM) and
GB18030/GBK/GB2312 are common, UTF-16 with a BOM turns up from Windows tools.
A file that is none of these, or that is binary, is rejected with a reason
instead of being turned into mojibake.
"""
from __future__ import annotations

import codecs
import re

#: tried in order; GB18030 is a superset of GBK and GB2312
ENCODINGS = ("utf-8", "gb18030")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class UndecodableError(ValueError):
    """The bytes are binary or in no supported encoding."""


def decode(data: bytes) -> str:
    """Decode ``data`` as UTF-8 (BOM stripped), UTF-16 (with a BOM) or GB18030, refusing binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as err:
                raise UndecodableError(f"not valid {encoding_name(encoding)} text (bad byte at {err.start})") from None
            if encoding == "utf-16" and not _plausible(text):  # (almost any bytes decode as UTF-16)
                raise UndecodableError("not UTF-16 text (a UTF-16 byte-order mark, then no readable text)")
            return _checked(text)
    if b"\x00" in data[:8192]:
        raise UndecodableError("binary file (contains NUL bytes)")
    first_error = None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            first_error = first_error if first_error is not None else err.start
            continue
        return _checked(text)
    raise UndecodableError(f"not UTF-8 or GB18030 text (first bad byte at {first_error})")


def sniff(head: bytes) -> str:
    """The encoding of a file whose first bytes are ``head`` (a prefix: a character may be cut at its end)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if encoding == "utf-16":
                text = codecs.getincrementaldecoder(encoding)("replace").decode(head, final=False)
                if not _plausible(text):
                    raise UndecodableError("not UTF-16 text (a UTF-16 byte-order mark, then no readable text)")
            return encoding
    if b"\x00" in head[:8192]:
        raise UndecodableError("binary file (contains NUL bytes)")
    for encoding in ENCODINGS:
        try:
            text = codecs.getincrementaldecoder(encoding)("strict").decode(head, final=False)
        except UnicodeDecodeError:
            continue
        _checked(text)
        return encoding
    raise UndecodableError("not UTF-8 or GB18030 text")


def looks_binary(text: str) -> bool:
    """Whether decoded text is mostly control characters (a binary file that happened to decode)."""
    sample = text[:4096]
    if not sample:
        return False
    return len(_CONTROLS.findall(sample)) / len(sample) > 0.05


#: control characters other than whitespace (\t \n \v \f \r)
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")


def _plausible(text: str) -> bool:
    """Whether most characters are ones Chinese news is written in (ASCII, Latin-1, CJK, their punctuation)."""
    sample = "".join(text[:8192].split())[:4096]
    if not sample:
        return True
    usual = sum(1 for ch in sample if ch < "\u0100" or "\u2000" <= ch <= "\u206f" or "\u3000" <= ch <= "\u9fff"
                or "\uff00" <= ch <= "\uffef")
    return usual / len(sample) >= 0.5


def _checked(text: str) -> str:
    if looks_binary(text):
        raise UndecodableError("binary file (mostly control characters)")
    return text


def encoding_name(encoding: str) -> str:
    """How an encoding is named in messages."""
    return {"utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(encoding, encoding.upper())
