"""Find input files and read them into ``Document`` values, skipping bad ones.

Inputs are ``.txt`` pages (one newspaper page each) and ``.jsonl`` files (one
article per line: ``{"id", "title", "text", "date", "source"}``).  A bad file
must not stop a build over a whole archive: it is reported by name (and line,
for JSONL), with the reason, and the build goes on.

Reading streams, so memory stays bounded whatever the size of a file:

- a ``.jsonl`` file is read line by line (a record longer than
  ``MAX_RECORD_BYTES`` is skipped without being held in memory);
- a ``.txt`` file up to ``WHOLE_BYTES`` is one page, read at once; a larger
  one is decoded block by block and cut, at blank lines, into successive
  documents of about ``CHUNK_CHARS`` characters whose ``offset`` says where
  each starts in the whole file, so provenance still points into the file.

Folders are walked recursively, following symbolic links to folders but never
around a loop; hidden files and folders are left out.  FIFOs, sockets and
devices are never opened for reading (a FIFO would block the build forever).
"""
from __future__ import annotations

import codecs
import datetime as _dt
import errno
import glob
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from kg.ingest.decode import ENCODINGS, UndecodableError, decode, encoding_name, looks_binary, sniff
from kg.model import Document

SUFFIXES = (".txt", ".jsonl")
#: a .txt file up to this size is one page; a larger one is read in chunks
WHOLE_BYTES = 1 << 20
#: bytes read from a large file at a time
BLOCK_BYTES = 256 << 10
#: a large .txt file is cut into documents of about this many characters (at blank lines)
CHUNK_CHARS = 64_000
#: a JSONL line longer than this is skipped (without reading it into memory)
MAX_RECORD_BYTES = 16 << 20


@dataclass(frozen=True)
class Skipped:
    """An input that was not used (or a field of it that was ignored), and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{_printable(self.path)}:{self.line}" if self.line else _printable(self.path)
        reason = _printable(" ".join(self.reason.split()))
        if len(reason) > 300:
            reason = reason[:297] + "..."
        return f"{where}: {reason}"


def _printable(text: str) -> str:
    """``text`` safe to print on one line: control characters and undecodable bytes escaped."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(ascii(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


def display_name(path: Path) -> str:
    """A file's name as text that can be encoded (bytes that are not UTF-8 become U+FFFD)."""
    return os.fsencode(path.name).decode("utf-8", "replace")


# -- finding files ---------------------------------------------------------------


def find_files(paths: Iterable[str], skipped: list[Skipped]) -> list[Path]:
    """Expand files, folders (recursively) and globs into a sorted list of regular input files.

    A file named explicitly is taken whatever its suffix; in folders only
    ``.txt`` and ``.jsonl`` files are.  A file reached by two paths (links) is
    taken once.
    """
    found: dict[tuple[int, int], Path] = {}
    for raw in paths:
        if glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                skipped.append(Skipped(raw, "no file or folder matches this pattern"))
        else:
            matches = [raw]
        for match in matches:
            _collect(Path(match), found, skipped)
    return sorted(found.values())


def _stat(path: Path, skipped: list[Skipped]) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError as err:
        skipped.append(Skipped(str(path), _stat_error(path, err)))
        return None


def _stat_error(path: Path, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    if err.errno == errno.ENOENT:
        return "broken symbolic link" if os.path.islink(path) else "no such file or folder"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "cannot read: permission denied"
    return f"cannot read: {err.strerror or err}"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _collect(path: Path, found: dict[tuple[int, int], Path], skipped: list[Skipped]) -> None:
    st = _stat(path, skipped)
    if st is None:
        return
    if stat.S_ISDIR(st.st_mode):
        _walk(path, st, found, skipped)
    elif stat.S_ISREG(st.st_mode):
        _add(found, (st.st_dev, st.st_ino), path)
    else:
        skipped.append(Skipped(str(path), f"not a regular file ({_kind(st.st_mode)})"))


def _add(found: dict[tuple[int, int], Path], ident: tuple[int, int], path: Path) -> None:
    """One path per file; the file's own name rather than a symbolic link's."""
    if ident not in found or (found[ident].is_symlink() and not path.is_symlink()):
        found[ident] = path


def _walk(top: Path, top_st: os.stat_result, found: dict[tuple[int, int], Path], skipped: list[Skipped]) -> None:
    """Depth-first, in name order; symbolic links to folders are followed unless they loop."""
    visited = {(top_st.st_dev, top_st.st_ino)}
    # each item: a folder and the identities of the folders above it (to tell a loop from a second path)
    stack: list[tuple[Path, frozenset[tuple[int, int]]]] = [(top, frozenset(visited))]
    while stack:
        folder, ancestors = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            skipped.append(Skipped(str(folder), f"cannot list folder: {err.strerror or err}"))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                st = entry.stat()  # follows symbolic links
            except OSError as err:
                skipped.append(Skipped(str(path), _stat_error(path, err)))
                continue
            ident = (st.st_dev, st.st_ino)
            if stat.S_ISDIR(st.st_mode):
                if ident in ancestors:
                    skipped.append(Skipped(str(path), "symbolic link loop (links to a folder above it); not followed"))
                elif ident not in visited:  # else: the same folder reached by another path
                    visited.add(ident)
                    subfolders.append((path, ancestors | {ident}))
            elif entry.name.lower().endswith(SUFFIXES):
                if stat.S_ISREG(st.st_mode):
                    _add(found, ident, path)
                else:
                    skipped.append(Skipped(str(path), f"not a regular file ({_kind(st.st_mode)})"))
        stack.extend(reversed(subfolders))


# -- reading ----------------------------------------------------------------------


def read_documents(paths: Iterable[str], skipped: list[Skipped]) -> Iterator[Document]:
    """Yield every document under ``paths``; append what could not be read to ``skipped``."""
    for path in find_files(paths, skipped):
        yield from read_file(path, skipped)


def read_file(path: Path, skipped: list[Skipped]) -> Iterator[Document]:
    """The documents of one file (a page, the chunks of a large page, or JSONL records)."""
    try:
        # O_NONBLOCK: opening a FIFO that replaced the file since it was listed must not block
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        skipped.append(Skipped(str(path), _stat_error(path, err)))
        return
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            skipped.append(Skipped(str(path), f"not a regular file ({_kind(st.st_mode)})"))
            return
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # (a regular file: read it the ordinary way)
        fh = os.fdopen(fd, "rb")
    except OSError as err:
        os.close(fd)
        skipped.append(Skipped(str(path), f"cannot read: {err.strerror or err}"))
        return
    count = 0
    with fh:
        try:
            if path.suffix.lower() == ".jsonl":
                reader = _records(path, fh, skipped)
            elif st.st_size <= WHOLE_BYTES:
                reader = _page(path, fh, skipped)
            else:
                reader = _chunks(path, fh, skipped)
            for doc in reader:
                count += 1
                yield doc
        except OSError as err:
            after = f" after {count} document(s); the rest of the file was skipped" if count else ""
            skipped.append(Skipped(str(path), f"cannot read: {err.strerror or err}{after}"))


def _page(path: Path, fh: BinaryIO, skipped: list[Skipped]) -> Iterator[Document]:
    data = fh.read(WHOLE_BYTES + 1)
    if len(data) > WHOLE_BYTES:  # the file grew since it was listed: read it as a large one
        yield from _chunks(path, fh, skipped, head=data)
        return
    try:
        text = decode(data)
    except UndecodableError as err:
        skipped.append(Skipped(str(path), str(err)))
        return
    if not text.strip():
        skipped.append(Skipped(str(path), "empty file" if not text else "empty file (only white space)"))
        return
    yield Document(source=display_name(path), text=text)


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u3000\u00a0]*\n")


def _chunks(path: Path, fh: BinaryIO, skipped: list[Skipped], head: bytes = b"") -> Iterator[Document]:
    """A large page as successive documents, each cut at a blank line, with its offset in the file."""
    first = head or fh.read(BLOCK_BYTES)
    try:
        encoding = sniff(first)
    except UndecodableError as err:
        skipped.append(Skipped(str(path), str(err)))
        return
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    source = display_name(path)
    buffer, base, consumed, block, emitted = "", 0, 0, first, False
    while True:
        final = not block
        try:
            buffer += decoder.decode(block, final=final)
        except UnicodeDecodeError as err:
            # keep the text before the bad byte (err.object is the decoder's pending bytes + block)
            pending = len(err.object) - len(block)
            try:
                buffer += bytes(err.object[:err.start]).decode(encoding)
            except UnicodeDecodeError:
                pass
            where = consumed - pending + err.start
            skipped.append(Skipped(str(path), f"not valid {encoding_name(encoding)} text at byte {where}; "
                                              f"the file from character {base + len(buffer)} on was skipped"))
            final = True
        consumed += len(block)
        if not emitted and looks_binary(buffer):
            skipped.append(Skipped(str(path), "binary file (mostly control characters)"))
            return
        while len(buffer) >= CHUNK_CHARS or (final and buffer):
            cut = len(buffer) if final and len(buffer) <= CHUNK_CHARS else _cut(buffer)
            piece, buffer = buffer[:cut], buffer[cut:]
            if piece.strip():
                emitted = True
                yield Document(source=source, text=piece, offset=base)
            base += cut
        if final:
            break
        block = fh.read(BLOCK_BYTES)
    if not emitted:
        skipped.append(Skipped(str(path), "empty file (only white space)"))


def _cut(text: str) -> int:
    """Where to end the next chunk: after the last blank line before ``CHUNK_CHARS``, else a line end."""
    window = text[:CHUNK_CHARS]
    lower = CHUNK_CHARS // 2
    last = None
    for m in _BLANK_LINE.finditer(window, lower):
        last = m.end()
    if last is not None:
        return last
    newline = window.rfind("\n", lower)
    return newline + 1 if newline >= 0 else CHUNK_CHARS


# -- JSONL ------------------------------------------------------------------------


def _records(path: Path, fh: BinaryIO, skipped: list[Skipped]) -> Iterator[Document]:
    peek = fh.peek(8192)[:8192] if hasattr(fh, "peek") else b""
    if b"\x00" in peek:
        skipped.append(Skipped(str(path), "binary file (contains NUL bytes)"))
        return
    source = display_name(path)
    seen_any = False
    number = 0
    while True:
        raw = fh.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            break
        number += 1
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line, block by block
                raw = fh.readline(BLOCK_BYTES)
            skipped.append(Skipped(str(path), f"record longer than {MAX_RECORD_BYTES >> 20} MiB", number))
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if not raw.strip():
            continue
        seen_any = True
        doc = _record(path, source, raw, number, skipped)
        if doc is not None:
            yield doc
    if not seen_any:
        skipped.append(Skipped(str(path), "empty file" if number == 0 else "empty file (only white space)"))


def _record(path: Path, source: str, raw: bytes, number: int, skipped: list[Skipped]) -> Document | None:
    for encoding in ENCODINGS:
        try:
            line = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        skipped.append(Skipped(str(path), "line is not UTF-8 or GB18030 text", number))
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        skipped.append(Skipped(str(path), f"not valid JSON ({err.msg} at column {err.colno})", number))
        return None
    except RecursionError:
        skipped.append(Skipped(str(path), "not valid JSON (nested too deeply)", number))
        return None
    if not isinstance(record, dict):
        skipped.append(Skipped(str(path), f"not a JSON object (a {type(record).__name__})", number))
        return None
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        skipped.append(Skipped(str(path), 'no "text" string in this record', number))
        return None

    def field(name: str) -> str | None:
        value = record.get(name)
        if value is None or value == "" or isinstance(value, (dict, list)):
            return None
        return _clean(str(value)).strip() or None

    date = field("date")
    if date is not None:
        iso = iso_date(date)
        if iso is None:
            skipped.append(Skipped(str(path), f'"date" ignored: {date[:40]!r} is not a date (YYYY-MM-DD)', number))
        date = iso
    return Document(
        source=source,
        text=_clean(body),
        record_id=field("id") or f"{Path(source).stem}-{number}",
        title=field("title"),
        date=date,
        line=number,
    )


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _clean(text: str) -> str:
    """Lone surrogates (from JSON escapes such as "\\ud800") become U+FFFD; the length is unchanged."""
    return _SURROGATE.sub("\ufffd", text)


_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:$|[\sT])")


def iso_date(text: str) -> str | None:
    """``2021-03-01``, ``2021/3/1``, ``2021年3月1日`` (a time after it is ignored) as ISO; else None."""
    m = _DATE.match(text + " ")
    if m is None:
        return None
    try:
        return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None
