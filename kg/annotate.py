"""``kg annotate``: entities of texts as JSON lines, for inspection and benchmarks."""
from __future__ import annotations

import json
from typing import IO, Iterator

from kg.errors import InputError
from kg.nlp.pipeline import load


def annotate_text(text: str) -> dict:
    doc = load()(text)
    return {"text": doc.text, "entities": [  # (doc.text: lone surrogates replaced, same offsets)
        {"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text} for e in doc.ents]}


def annotate_lines(handle: IO[str], name: str) -> Iterator[str]:
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{name}:{number}: not valid JSON ({err.msg}); expected {{\"text\": ...}}") from err
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{name}:{number}: expected an object with a "text" string')
        yield json.dumps(annotate_text(record["text"]), ensure_ascii=False)
