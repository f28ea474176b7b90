"""Incremental builds: the content-hash cache under DIR/cache.

Inputs are two real sample pages plus a JSONL file of two articles cut from a
third page, so every build here is small; "from scratch" means ``cache=False``.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.build
import kg.cache
from kg.build import build
from kg.cache import Cache, cache_path
from kg.errors import StoreError
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
PAGES = ["004_50607a4fbbfa0478.txt", "000_bc2e3fc0e41da68b.txt"]


def graph(folder: Path) -> tuple[list[str], bytes]:
    """The build's store as sorted N-Triples lines (kg mints no blank nodes), and its graph.nt."""
    return sorted(str(q) for q in open_store(folder)), (folder / "graph.nt").read_bytes()


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in PAGES:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def add_jsonl(folder: Path) -> Path:
    """Two JSONL articles: paragraphs of a real page, so extraction finds real facts."""
    text = (SAMPLES / "002_92dbd9a62b6eb9c1.txt").read_text(encoding="utf-8")
    paras = [p for p in text.split("\n\n") if len(p) > 200][:2]
    path = folder / "extra.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n, para in enumerate(paras):
            fh.write(json.dumps({"id": f"extra-{n}", "title": para[:12], "text": para,
                                 "date": "2023-05-01"}, ensure_ascii=False) + "\n")
    return path


def test_unchanged_rebuild_processes_nothing_and_keeps_outputs(inputs, tmp_path):
    out = tmp_path / "out"
    first = build([str(inputs)], out)
    assert (first.processed, first.cached) == (2, 0)
    stamps = {name: (out / name).stat().st_mtime_ns for name in ("graph.nt", "graph.ttl", "graph.graphml")}
    again = build([str(inputs)], out)
    assert (again.processed, again.cached, again.up_to_date) == (0, 2, True)
    assert (again.documents, again.articles, again.facts, again.triples) == \
        (first.documents, first.articles, first.facts, first.triples)
    assert {name: (out / name).stat().st_mtime_ns for name in stamps} == stamps


def test_added_file_is_the_only_one_processed_and_graph_equals_scratch(inputs, tmp_path):
    out = tmp_path / "out"
    build([str(inputs)], out)
    add_jsonl(inputs)
    report = build([str(inputs)], out)
    assert (report.processed, report.cached, report.up_to_date) == (2, 2, False)  # the two JSONL records
    scratch = build([str(inputs)], tmp_path / "scratch", cache=False)
    assert not (tmp_path / "scratch" / "cache").exists()
    assert graph(out) == graph(tmp_path / "scratch")
    assert report.triples == scratch.triples and report.facts == scratch.facts


def test_removed_and_changed_inputs(inputs, tmp_path):
    out = tmp_path / "out"
    build([str(inputs)], out)
    gone, kept = PAGES
    (inputs / gone).unlink()
    report = build([str(inputs)], out)
    assert (report.processed, report.cached) == (0, 1)
    rows = open_store(out).query("SELECT DISTINCT ?s WHERE { ?a <http://purl.org/dc/terms/source> ?s }")
    assert {row["s"].value for row in rows} == {kept}
    with Cache(cache_path(out)) as cache:
        assert len(cache) == 1  # the entry of the removed page was dropped

    page = inputs / kept
    page.write_text(page.read_text(encoding="utf-8") + "\n本报讯 景德镇市总工会启动“瓷都工贷”项目。\n", encoding="utf-8")
    changed = build([str(inputs)], out)
    assert (changed.processed, changed.cached) == (1, 0)
    assert graph(out) == graph(_scratch(inputs, tmp_path))


def _scratch(inputs: Path, tmp_path: Path) -> Path:
    build([str(inputs)], tmp_path / "scratch", cache=False)
    return tmp_path / "scratch"


def test_pipeline_version_is_part_of_the_key(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([str(inputs)], out)
    monkeypatch.setattr(kg.cache, "PIPELINE_VERSION", "another-pipeline")
    report = build([str(inputs)], out)
    assert (report.processed, report.cached) == (2, 0)


def test_interrupted_build_keeps_what_was_committed(inputs, tmp_path, monkeypatch):
    add_jsonl(inputs)
    out = tmp_path / "out"
    real = kg.build.process_document
    seen = []

    def interrupted(doc):
        seen.append(doc.source)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(doc)

    monkeypatch.setattr(kg.build, "process_document", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([str(inputs)], out)
    # no output was written, nothing half-written or temporary was left
    assert sorted(p.name for p in out.iterdir()) == [".build.lock", "cache"]
    with Cache(cache_path(out)) as cache:
        assert len(cache) == 2

    monkeypatch.setattr(kg.build, "process_document", real)
    report = build([str(inputs)], out)
    assert (report.processed, report.cached) == (2, 2)
    assert graph(out) == graph(_scratch(inputs, tmp_path))


def test_a_document_that_fails_is_skipped_and_retried(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real = kg.build.process_document

    def flaky(doc):
        if doc.source == PAGES[0]:
            raise ValueError("boom")
        return real(doc)

    monkeypatch.setattr(kg.build, "process_document", flaky)
    report = build([str(inputs)], out)
    assert [(s.path, s.reason) for s in report.skipped] == [(PAGES[0], "processing failed (ValueError: boom)")]
    assert report.processed == 1
    monkeypatch.setattr(kg.build, "process_document", real)
    report = build([str(inputs)], out)
    assert (report.processed, report.cached, report.skipped) == (1, 1, [])
    assert graph(out) == graph(_scratch(inputs, tmp_path))


def test_unreadable_cache_is_a_clear_error(inputs, tmp_path):
    out = tmp_path / "out"
    cache_path(out).parent.mkdir(parents=True)
    cache_path(out).write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="build cache is unreadable"):
        build([str(inputs)], out)


NT = '<http://example.org/a> <http://example.org/b> "中" .\n'


def test_cache_entries_round_trip(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:
        entry = kg.cache.Entry(10, 1, kg.cache.Counter(Launch=2), kg.cache.Entry.pack(NT))
        cache.put("k1", entry)
        cache.mark("k1")
        cache.mark("missing")
        assert [(k, e.text(), e.facts) for k, e in cache.current()] == [("k1", NT, {"Launch": 2})]
    with Cache(tmp_path / "c.sqlite3") as cache:  # committed on close
        assert cache.counts("k1").chars == 10 and cache.counts("k2") is None
        assert [] == list(cache.current())  # the list of current inputs belongs to one build
    assert len(list(ox.parse(entry.text().encode(), format=ox.RdfFormat.N_TRIPLES))) == 1
