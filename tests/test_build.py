"""`kg build`: real runs over the sample pages, through the command line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg.build import batches, build
from kg.cli import main
from kg.model import Document
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


def test_sample_build_outputs_are_complete_and_agree(sample_build):
    store = open_store(sample_build)
    triples = len(store)
    assert triples > 1000
    for name in ("graph.nt", "graph.ttl", "graph.graphml", "store"):
        assert (sample_build / name).exists(), name
    assert not [p.name for p in sample_build.iterdir() if p.name.endswith(".tmp")]  # no temporary left
    ttl = rdflib.Graph().parse(sample_build / "graph.ttl", format="turtle")
    assert len(ttl) == triples
    lines = (sample_build / "graph.nt").read_bytes().splitlines()
    assert lines == sorted(set(lines))  # every triple once, in byte order (LC_ALL=C sort -u)
    # (strictly: the build loads and writes its N-Triples leniently, trusting its IRIs and language tags)
    nt = {q.triple for q in ox.parse(path=str(sample_build / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert len(lines) == len(nt) == triples and nt == {q.triple for q in store}
    sources = {row["s"].value for row in store.query(
        "SELECT DISTINCT ?s WHERE { ?a a <https://w3id.org/union-kg/ontology#Article> ; "
        "<http://purl.org/dc/terms/source> ?s }")}
    assert sources == {p.name for p in SAMPLES.glob("*.txt")}


def test_cli_reports_the_build_and_the_unchanged_rebuild(tmp_path):
    shutil.copy(SAMPLES / "004_50607a4fbbfa0478.txt", tmp_path)
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(tmp_path / "004_50607a4fbbfa0478.txt"), "-o", str(out)])
    assert first.exit_code == 0, first.output
    triples = len(open_store(out))
    assert f"Built {out}: 1 documents (1 processed, 0 from cache)" in first.output
    assert first.output.rstrip().endswith(f"{triples} triples.")
    again = runner.invoke(main, ["build", str(tmp_path / "004_50607a4fbbfa0478.txt"), "-o", str(out)])
    assert "(0 processed, 1 from cache, up to date)" in again.output and f"{triples} triples." in again.output


def test_nothing_to_build_is_a_clear_error_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "missing"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: nothing to build:") and "no such file or folder" in result.output
    assert not (tmp_path / "out").exists()


def test_scheduler_needs_the_dask_executor(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SAMPLES), "-o", str(tmp_path), "--scheduler", "tcp://x:1"])
    assert result.exit_code == 2 and "--scheduler needs --executor dask" in result.output


def test_batches_cut_by_documents_and_characters():
    docs = [(str(n), Document(source=f"{n}.txt", text="字" * size)) for n, size in enumerate([10, 10, 30, 5, 5, 5])]
    sizes = [[d.source for _, d in b] for b in batches(iter(docs), docs=2, chars=25)]
    assert sizes == [["0.txt", "1.txt"], ["2.txt"], ["3.txt", "4.txt"], ["5.txt"]]


def test_build_accepts_jsonl_and_pages_together(tmp_path):
    page = SAMPLES / "004_50607a4fbbfa0478.txt"
    record = '{"id": "r1", "title": "标题", "text": "本报讯 景德镇市总工会启动“瓷都工贷”项目。"}\n'
    (tmp_path / "a.jsonl").write_text(record, encoding="utf-8")
    report = build([str(page), str(tmp_path / "a.jsonl")], tmp_path / "out")
    assert report.documents == 2 and report.processed == 2
    ids = {row["i"].value for row in open_store(tmp_path / "out").query(
        "SELECT ?i WHERE { ?a <http://purl.org/dc/terms/identifier> ?i }")}
    assert "r1" in ids


def test_graphml_is_left_out_of_large_builds(tmp_path, monkeypatch):
    import kg.build

    page = str(SAMPLES / "004_50607a4fbbfa0478.txt")
    out = tmp_path / "out"
    first = build([page], out)
    assert (out / "graph.graphml").exists() and "graph.graphml" in first.outputs
    monkeypatch.setattr(kg.build, "GRAPHML_MAX_TRIPLES", 10)
    result = CliRunner().invoke(main, ["build", page, "-o", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "Note: no graph.graphml" in result.output
    assert not (out / "graph.graphml").exists()  # the stale one went with it
    again = build([page], out)  # the outputs recorded in the cache are missing one: written again
    assert not again.up_to_date and "graph.graphml" not in again.outputs
    assert build([page], out).up_to_date
    forced = build([page], out, graphml=True)
    assert not forced.up_to_date and (out / "graph.graphml").exists()


def test_two_builds_cannot_write_one_folder(tmp_path):
    import fcntl

    from kg.build import LOCK
    from kg.errors import StoreError

    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running build holds it
        with pytest.raises(StoreError, match="another kg build is writing"):
            build([str(SAMPLES / "004_50607a4fbbfa0478.txt")], out)
    assert sorted(p.name for p in out.iterdir()) == [LOCK]
