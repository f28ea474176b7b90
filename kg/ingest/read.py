"""Find input files and read them into ``Document`` values, skipping bad ones.

Inputs are ``.txt`` pages (one newspaper page each) and ``.jsonl`` files (one
article per line: ``{"id", "title", "text", "date", "source"}``).  A bad file
must not stop a build over a whole archive: it is reported by name, with the
reason, and the build goes on.
"""
from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from kg.ingest.decode import UndecodableError, decode
from kg.model import Document

SUFFIXES = (".txt", ".jsonl")


@dataclass(frozen=True)
class Skipped:
    """An input that was not used, and why (for the build's summary)."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


def find_files(paths: Iterable[str], skipped: list[Skipped]) -> list[Path]:
    """Expand files, folders (recursively) and globs into a sorted list of input files."""
    found: set[Path] = set()
    for raw in paths:
        matches = [Path(p) for p in glob.glob(raw, recursive=True)] if glob.has_magic(raw) else [Path(raw)]
        if not matches:
            skipped.append(Skipped(raw, "no such file or folder"))
        for path in matches:
            if path.is_dir():
                found.update(_walk(path))
            elif path.is_file():
                found.add(path)
            else:
                skipped.append(Skipped(str(path), "no such file or folder"))
    return sorted(found)


def _walk(folder: Path) -> Iterator[Path]:
    # followlinks=False: a symlink loop cannot make the walk run forever
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(SUFFIXES) and not name.startswith("."):
                yield Path(root) / name


def read_documents(paths: Iterable[str], skipped: list[Skipped]) -> Iterator[Document]:
    """Yield every document under ``paths``; append what could not be read to ``skipped``."""
    for path in find_files(paths, skipped):
        try:
            data = path.read_bytes()
        except OSError as err:
            skipped.append(Skipped(str(path), f"cannot read: {err.strerror or err}"))
            continue
        try:
            text = decode(data)
        except UndecodableError as err:
            skipped.append(Skipped(str(path), str(err)))
            continue
        if not text.strip():
            skipped.append(Skipped(str(path), "empty file"))
            continue
        if path.suffix == ".jsonl":
            yield from _records(path, text, skipped)
        else:
            yield Document(source=path.name, text=text)


def _records(path: Path, text: str, skipped: list[Skipped]) -> Iterator[Document]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            skipped.append(Skipped(str(path), f"not valid JSON ({err.msg})", number))
            continue
        body = record.get("text") if isinstance(record, dict) else None
        if not isinstance(body, str) or not body.strip():
            skipped.append(Skipped(str(path), 'no "text" string in this record', number))
            continue
        def field(name: str) -> str | None:
            value = record.get(name)
            return str(value) if value not in (None, "") else None

        yield Document(
            source=path.name,
            text=body,
            record_id=field("id") or f"{path.stem}-{number}",
            title=field("title"),
            date=field("date"),
            line=number,
        )
