"""Turn the bytes of an input file into text, or say why not.

Union newspapers come from many systems: UTF-8 (with or without a BOM) and
GB18030/GBK are common.  A file that is none of these, or that is binary, is
rejected with a reason instead of being turned into mojibake.
"""
from __future__ import annotations

import codecs

#: tried in order; GB18030 is a superset of GBK and GB2312
ENCODINGS = ("utf-8", "gb18030")


class UndecodableError(ValueError):
    """The bytes are binary or in no supported encoding."""


def decode(data: bytes) -> str:
    """Decode ``data`` as UTF-8 (BOM stripped) or GB18030, refusing binary data."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\x00" in data[:8192]:
        raise UndecodableError("binary file (contains NUL bytes)")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise UndecodableError("binary file (mostly control characters)")
        return text
    raise UndecodableError("not UTF-8 or GB18030 text")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / len(sample) > 0.05
