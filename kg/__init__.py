"""kg: knowledge graphs from Chinese trade-union news.

The library is usable without the command line::

    from kg.build import build
    report = build(["data/samples"], "output")
"""
from __future__ import annotations

import hashlib
from pathlib import Path

__version__ = "0.1.0"


def _code_digest() -> str:
    """A digest of the code and data that shape extraction output.

    Part of the build cache key: an article already processed is skipped only
    if the same pipeline processed it, so editing a rule re-extracts, and an
    unchanged checkout reuses everything.
    """
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    files = sorted(root.rglob("*")) + sorted((root.parent / "ontology").glob("*.ttl"))  # schemes.ttl shapes groups
    for path in files:
        if path.is_file() and path.suffix in (".py", ".txt", ".tsv", ".json", ".csv", ".ttl") \
                and "__pycache__" not in path.parts:
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


#: the build cache key's pipeline part: release plus a digest of the extraction code
PIPELINE_VERSION = f"{__version__}+{_code_digest()}"
