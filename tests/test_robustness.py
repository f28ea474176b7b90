"""Bad input: each bad file gets one clear line naming it (and the line, for JSONL), the build goes on.

Also: large files are streamed (memory stays flat on a 200 MB page), offsets of
a page read in chunks still point into the whole file, outputs are replaced
atomically, and the command line never shows a traceback for a user's mistake
and exits with the codes the README documents.
"""
from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.ingest import read as reader
from kg.ingest.read import Skipped, find_files, read_documents
from kg.model import Document

from conftest import ROOT, SAMPLES

PAGE = SAMPLES / "004_50607a4fbbfa0478.txt"
RECORD = {"id": "r1", "title": "标题", "text": "本报讯 景德镇市总工会启动“瓷都工贷”项目。", "date": "2021-03-01"}


def kg(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, **kw)


def read(*paths) -> tuple[list[Document], dict[tuple[str, int | None], str]]:
    skipped: list[Skipped] = []
    docs = list(read_documents([str(p) for p in paths], skipped))
    return docs, {(Path(s.path).name, s.line): s.reason for s in skipped}


@contextmanager
def time_limit(seconds: int):
    """Fail (not hang) if reading blocks, as it would on a FIFO opened for reading."""
    def fail(*_):
        raise TimeoutError(f"blocked for {seconds} s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# -- encodings, binary, empty ------------------------------------------------------------------------

def test_chinese_encodings_are_decoded(tmp_path):
    text = "本报讯 哈密市总工会出台《办法》，为农民工发放2万元。"
    (tmp_path / "gbk.txt").write_bytes(text.encode("gbk"))
    (tmp_path / "gb18030.txt").write_bytes((text + "𠀀").encode("gb18030"))  # (a character outside GBK)
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "gbk.jsonl").write_bytes(json.dumps({"text": text}, ensure_ascii=False).encode("gbk"))
    docs, skipped = read(tmp_path)
    assert not skipped
    assert {d.source: d.text for d in docs} == {"bom.txt": text, "gb18030.txt": text + "𠀀", "gbk.jsonl": text,
                                                 "gbk.txt": text, "utf16.txt": text}


@pytest.mark.parametrize("data, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary file"),
    (b"PK\x03\x04" + bytes(200), "binary file"),
    (bytes(range(1, 32)) * 40, "binary file"),
    (b"\xff\xfe\xfd\xfc" * 100 + "中文".encode(), "UTF-16"),  # (a UTF-16 BOM, then no UTF-16 text)
    ("工会".encode() + b"\xff\x80\xff" * 50, "not UTF-8 or GB18030 text"),
    (b"", "empty file"),
    (" \n\u3000\r\n\t".encode(), "empty file (only white space)"),
], ids=["png", "zip", "controls", "utf16-garbage", "bad-utf8", "empty", "white-space"])
def test_binary_undecodable_and_empty_files_are_skipped_with_a_reason(tmp_path, data, words):
    (tmp_path / "bad.txt").write_bytes(data)
    (tmp_path / "good.txt").write_text("工会开展送温暖活动。", encoding="utf-8")
    docs, skipped = read(tmp_path)
    assert [d.source for d in docs] == ["good.txt"]
    assert words in skipped[("bad.txt", None)]


# -- JSONL -------------------------------------------------------------------------------------------

def test_malformed_jsonl_lines_are_skipped_by_line_number(tmp_path):
    good = json.dumps(RECORD, ensure_ascii=False)
    lines = [
        good,                                             # 1
        "{not json",                                      # 2
        "",                                               # 3 (blank: ignored)
        json.dumps(["a", "list"]),                        # 4
        json.dumps({"id": "x"}),                          # 5 no text
        json.dumps({"text": 42}),                         # 6
        json.dumps({"text": "  "}),                       # 7
        json.dumps({"text": "正文\ud800", "date": "yesterday", "id": {"a": 1}}),  # 8: kept, date ignored
        json.dumps({"text": "正文", "date": "2021年3月1日 10:00"}),  # 9
        "[" * 100_000,                                     # 10 nested too deeply for json
    ]
    path = tmp_path / "a.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\n" + "正文".encode("gbk") + b"\xff\n")  # 11 not text
    docs, skipped = read(path)
    assert [d.line for d in docs] == [1, 8, 9]
    assert docs[0].record_id == "r1" and docs[0].date == "2021-03-01" and docs[0].title == "标题"
    assert docs[1].text == "正文\ufffd" and docs[1].date is None and docs[1].record_id == "a-8"
    assert docs[2].date == "2021-03-01"
    assert "not valid JSON" in skipped[("a.jsonl", 2)] and "column" in skipped[("a.jsonl", 2)]
    assert "not a JSON object (a list)" in skipped[("a.jsonl", 4)]
    for n in (5, 6, 7):
        assert 'no "text" string' in skipped[("a.jsonl", n)]
    assert '"date" ignored' in skipped[("a.jsonl", 8)]
    assert "not valid JSON" in skipped[("a.jsonl", 10)]
    assert "not UTF-8 or GB18030" in skipped[("a.jsonl", 11)]
    assert ("a.jsonl", 3) not in skipped


def test_a_huge_jsonl_record_is_skipped_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_RECORD_BYTES", 1000)
    monkeypatch.setattr(reader, "BLOCK_BYTES", 100)
    big = json.dumps({"text": "字" * 5000}, ensure_ascii=False)
    path = tmp_path / "b.jsonl"
    path.write_text("\n".join([json.dumps(RECORD, ensure_ascii=False), big, json.dumps({"text": "后来的"})]),
                    encoding="utf-8")
    docs, skipped = read(path)
    assert [(d.line, d.text) for d in docs] == [(1, RECORD["text"]), (3, "后来的")]
    assert "longer than" in skipped[("b.jsonl", 2)]


def test_jsonl_is_read_line_by_line(tmp_path):
    """The reader takes the first record after reading about one line, not the file."""
    line = (json.dumps({"text": "工会" * 200}, ensure_ascii=False) + "\n").encode()
    disk = Disk(line * 5000)  # ~6 MB
    docs = reader._records(Path("x.jsonl"), io.BufferedReader(disk), [])
    assert next(docs).line == 1
    assert disk.consumed <= 16 * 1024  # (a buffer or two: nowhere near the 6 MB)
    assert sum(1 for _ in docs) == 4999


# -- large pages ---------------------------------------------------------------------------------------

class Disk(io.RawIOBase):
    """Bytes that count how many of them were read (the reader gets them through a buffer)."""

    def __init__(self, data: bytes):
        self.data, self.pos, self.consumed = memoryview(data), 0, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), len(self.data) - self.pos)
        buffer[:n] = self.data[self.pos:self.pos + n]
        self.pos += n
        self.consumed += n
        return n


def big_page(copies: int) -> str:
    pages = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))
    return "\n\n".join([pages] * copies)


def test_a_large_page_is_read_lazily_in_chunks_cut_at_blank_lines():
    text = big_page(40)  # ~1.2 M characters, ~3.3 MB
    data = text.encode("utf-8")
    disk = Disk(data)
    chunks = reader._chunks(Path("big.txt"), io.BufferedReader(disk), [])
    first = next(chunks)
    assert disk.consumed <= 2 * reader.BLOCK_BYTES < len(data) / 4  # not the whole file
    rest = list(chunks)
    docs = [first, *rest]
    assert len(docs) > 10
    # the chunks tile the file: each offset is where its text is in the whole text
    assert all(text[d.offset:d.offset + len(d.text)] == d.text for d in docs)
    ends = [d.offset + len(d.text) for d in docs]
    assert [d.offset for d in docs[1:]] == ends[:-1] and ends[-1] == len(text)
    # cut after a blank line (the chunks are no longer than CHUNK_CHARS)
    assert all(re.search(r"\n\s*\n$", d.text) for d in docs[:-1])
    assert all(len(d.text) <= reader.CHUNK_CHARS for d in docs)


def test_a_large_page_in_gb18030_with_a_bad_tail_keeps_what_decoded(tmp_path):
    text = big_page(5)
    path = tmp_path / "big.txt"
    data = text.encode("gb18030")
    path.write_bytes(data + b"\xff\xff\xff" + "后面的文字".encode("gb18030"))
    skipped: list[Skipped] = []
    with path.open("rb") as fh:
        docs = list(reader._chunks(path, fh, skipped))
    assert "".join(d.text for d in docs) == text  # all of it, up to the bad bytes
    [s] = skipped
    assert f"at byte {len(data)};" in s.reason and f"from character {len(text)} on" in s.reason
    assert "not valid GB18030 text at byte" in s.reason and "was skipped" in s.reason


def test_reading_a_200_mb_page_keeps_memory_flat(tmp_path):
    """A ~200 MB page through the reader in a fresh process: peak memory stays far below the file's size."""
    path = tmp_path / "huge.txt"
    block = (big_page(1) + "\n\n").encode("utf-8")
    with path.open("wb") as fh:
        for _ in range(200 * 2**20 // len(block) + 1):
            fh.write(block)
    script = (
        "import resource, sys\n"
        "from kg.ingest.read import read_documents\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "skipped = []; n = chars = end = 0\n"
        "for d in read_documents([sys.argv[1]], skipped):\n"
        "    assert d.offset == end, (d.offset, end)\n"
        "    n += 1; chars += len(d.text); end = d.offset + len(d.text)\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(n, chars, base // 1024, peak // 1024, len(skipped))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    docs, chars, base_mb, peak_mb, skipped = map(int, out.stdout.split())
    assert path.stat().st_size > 200 * 2**20 and docs > 1000 and skipped == 0
    assert chars > 70_000_000
    assert peak_mb - base_mb < 60, f"peak {peak_mb} MiB after imports {base_mb} MiB"


def test_offsets_of_a_page_read_in_chunks_point_into_the_whole_file(tmp_path, monkeypatch):
    """Evidence offsets of a page read in pieces are offsets into the file, as for a small page."""
    from kg.build import build
    from kg.store import open_store

    monkeypatch.setattr(reader, "WHOLE_BYTES", 1000)
    monkeypatch.setattr(reader, "CHUNK_CHARS", 3000)
    monkeypatch.setattr(reader, "BLOCK_BYTES", 4096)
    text = PAGE.read_text(encoding="utf-8")
    text = text + "\n\n" + text  # the same page twice: equal chunks must stay distinct documents
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.txt").write_text(text, encoding="utf-8")
    report = build([str(tmp_path / "in")], tmp_path / "out")
    assert report.documents > 2 and not report.skipped
    rows = list(open_store(tmp_path / "out").query(
        "PREFIX kgo: <https://w3id.org/union-kg/ontology#> SELECT ?evidence ?start ?end "
        "WHERE { ?e kgo:evidence ?evidence ; kgo:evidenceStart ?start ; kgo:evidenceEnd ?end }"))
    starts = [int(r["start"].value) for r in rows]
    assert rows and max(starts) > len(text) // 2  # facts from the second copy, at their own offsets
    for r in rows:
        original = text[int(r["start"].value):int(r["end"].value)]
        assert "".join(original.split()) == "".join(r["evidence"].value.split())
    articles = {r["a"].value for r in open_store(tmp_path / "out").query(
        "SELECT ?a WHERE { ?a a <https://w3id.org/union-kg/ontology#Article> }")}
    assert len(articles) == report.articles  # no two chunks' articles share an IRI


# -- paths: missing, unreadable, FIFOs, links, loops ---------------------------------------------------

def test_missing_paths_and_empty_globs_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("工会开展送温暖活动。", encoding="utf-8")
    docs, skipped = read(tmp_path / "a.txt", tmp_path / "nope.txt", tmp_path / "none*.txt")
    assert [d.source for d in docs] == ["a.txt"]
    assert skipped[("nope.txt", None)] == "no such file or folder"
    assert skipped[("none*.txt", None)] == "no file or folder matches this pattern"


def test_fifos_broken_links_and_unreadable_files_do_not_block_or_stop_the_build(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("工会开展送温暖活动。", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (tmp_path / "locked.txt").write_text("工会", encoding="utf-8")
    (tmp_path / "dir.txt").mkdir()  # a folder with a page name is walked, not read
    (tmp_path / "dir.txt" / "b.txt").write_text("职工书屋建成。", encoding="utf-8")
    real_open = os.open

    def deny(path, flags, *args, **kw):  # (tests run as root, where chmod 000 does not stop reading)
        if str(path).endswith("locked.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(reader.os, "open", deny)
    with time_limit(20):
        docs, skipped = read(tmp_path, tmp_path / "pipe.txt")
    assert sorted(d.source for d in docs) == ["a.txt", "b.txt"]
    assert skipped[("pipe.txt", None)] == "not a regular file (a FIFO)"
    assert skipped[("gone.txt", None)] == "broken symbolic link"
    assert skipped[("locked.txt", None)] == "cannot read: permission denied"


def test_a_fifo_swapped_in_after_listing_is_not_opened_blocking(tmp_path):
    os.mkfifo(tmp_path / "late.txt")
    skipped: list[Skipped] = []
    with time_limit(20):
        assert list(reader.read_file(tmp_path / "late.txt", skipped)) == []
    assert skipped[0].reason == "not a regular file (a FIFO)"


def test_symlink_loops_end_and_linked_folders_are_read_once(tmp_path):
    top = tmp_path / "in"
    (top / "sub").mkdir(parents=True)
    (top / "sub" / "a.txt").write_text("工会开展送温暖活动。", encoding="utf-8")
    (top / "sub" / "up").symlink_to(top)  # in/sub/up → in: a loop
    (top / "self").symlink_to(top / "self")  # a link to itself
    (top / "again").symlink_to(top / "sub")  # the same folder by a second path
    (top / "also.txt").symlink_to(top / "sub" / "a.txt")  # the same file by a second path
    with time_limit(20):
        docs, skipped = read(top)
    assert [d.source for d in docs] == ["a.txt"]
    assert skipped[("self", None)] == "symbolic link loop"
    assert "symbolic link loop" in skipped[("up", None)]
    assert len(skipped) == 2


def test_unlistable_folders_are_reported(tmp_path, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("工会开展送温暖活动。", encoding="utf-8")
    (tmp_path / "closed").mkdir()
    real = os.scandir

    def scandir(path):
        if str(path).endswith("closed"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(reader.os, "scandir", scandir)
    docs, skipped = read(tmp_path)
    assert [d.source for d in docs] == ["a.txt"]
    assert skipped[("closed", None)] == "cannot list folder: Permission denied"


def test_a_read_error_in_the_middle_of_a_file_is_reported(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text(big_page(2), encoding="utf-8")
    monkeypatch.setattr(reader, "WHOLE_BYTES", 1000)
    monkeypatch.setattr(reader, "BLOCK_BYTES", 20_000)
    monkeypatch.setattr(reader, "CHUNK_CHARS", 5_000)
    real = reader.os.fdopen

    class Failing:
        def __init__(self, fh):
            self.fh, self.calls = fh, 0

        def read(self, size=-1):
            self.calls += 1
            if self.calls > 2:
                raise OSError(errno.EIO, "Input/output error")
            return self.fh.read(size)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    monkeypatch.setattr(reader.os, "fdopen", lambda fd, mode: Failing(real(fd, mode)))
    docs, skipped = read(path)
    assert docs
    assert re.fullmatch(r"cannot read: Input/output error after \d+ document\(s\); the rest of the file was skipped",
                        skipped[("big.txt", None)])


def test_skipped_lines_are_one_printable_line():
    s = Skipped("in/bad\nname\udcff.txt", "processing failed (ValueError: one\ntwo\r\nthree)", 7)
    assert str(s) == "in/bad\\nname\\xff.txt:7: processing failed (ValueError: one two three)"
    assert len(str(Skipped("x", "y" * 1000))) < 320


def test_file_names_that_are_not_utf8_do_not_break_the_build(tmp_path):
    name = os.fsdecode(b"\xff\xfe-page.txt")
    (tmp_path / name).write_text("工会开展送温暖活动。", encoding="utf-8")
    docs, _ = read(tmp_path)
    assert docs[0].source == "\ufffd\ufffd-page.txt"
    assert len(find_files([str(tmp_path)], [])) == 1


# -- the command line ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-corpus")
    shutil.copy(PAGE, folder)
    (folder / "gbk.txt").write_bytes("本报讯 哈密市总工会出台《办法》。".encode("gbk"))
    (folder / "binary.txt").write_bytes(b"\x00\x01PK" * 100)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "records.jsonl").write_text(
        json.dumps(RECORD, ensure_ascii=False) + "\n{broken\n" + json.dumps({"id": 3}) + "\n", encoding="utf-8")
    (folder / "broken.txt").symlink_to(folder / "missing-target.txt")
    os.mkfifo(folder / "fifo.txt")
    return folder


def test_build_goes_on_and_lists_each_skip_on_one_line(bad_corpus, tmp_path):
    from kg.cli import main

    result = CliRunner().invoke(main, ["build", str(bad_corpus), str(tmp_path / "absent"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    skips = sorted(line for line in lines if line.startswith("Skipped "))
    assert skips == sorted([
        f"Skipped {tmp_path / 'absent'}: no such file or folder",
        f"Skipped {bad_corpus / 'binary.txt'}: binary file (contains NUL bytes)",
        f"Skipped {bad_corpus / 'broken.txt'}: broken symbolic link",
        f"Skipped {bad_corpus / 'empty.txt'}: empty file",
        f"Skipped {bad_corpus / 'fifo.txt'}: not a regular file (a FIFO)",
        f"Skipped {bad_corpus / 'records.jsonl'}:2: not valid JSON (Expecting property name enclosed in double "
        f"quotes at column 2)",
        f"Skipped {bad_corpus / 'records.jsonl'}:3: no \"text\" string in this record",
    ])
    assert any(line.startswith(f"Built {tmp_path / 'o'}: 3 documents") for line in lines)


def test_strict_turns_skips_into_exit_code_5(bad_corpus, tmp_path):
    from kg.cli import main

    strict = CliRunner().invoke(main, ["build", str(bad_corpus), "-o", str(tmp_path / "o"), "--strict"])
    assert strict.exit_code == 5, strict.output
    assert strict.output.splitlines()[-1] == "Error: 6 input(s) skipped (--strict)"
    assert (tmp_path / "o" / "graph.ttl").exists()  # (the build is written all the same)
    clean = CliRunner().invoke(main, ["build", str(PAGE), "-o", str(tmp_path / "o2"), "--strict"])
    assert clean.exit_code == 0, clean.output


def test_nothing_to_build_names_the_bad_files(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x00" * 50)
    out = kg("build", str(tmp_path), "-o", str(tmp_path / "o"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1] == \
        f"Error: nothing to build: {tmp_path / 'binary.txt'}: binary file (contains NUL bytes)"


@pytest.mark.parametrize("target, words", [
    ("{file}", "a file is in the way of the folder"),
    ("{file}/sub", "a file is in the way of the folder"),
    ("/proc/self/kg-out", "cannot write the build"),
])
def test_an_output_folder_that_cannot_be_written_is_a_clear_error(tmp_path, target, words):
    (tmp_path / "afile").write_text("x")
    out = kg("build", str(PAGE), "-o", target.replace("{file}", str(tmp_path / "afile")))
    assert out.returncode == 3, out.stderr
    assert words in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_an_output_folder_without_permission_is_a_clear_error(tmp_path, monkeypatch):
    from kg.cli import main

    def deny(self, *args, **kw):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", deny)
    result = CliRunner().invoke(main, ["build", str(PAGE), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert result.output.strip() == f"Error: {tmp_path / 'o'}: cannot write the build (Permission denied); " \
                                    f"choose another folder with -o"


def test_a_corrupt_cache_and_a_corrupt_store_are_clear_errors(tmp_path):
    (tmp_path / "o" / "cache").mkdir(parents=True)
    (tmp_path / "o" / "cache" / "documents.sqlite3").write_bytes(b"not a database" * 100)
    out = kg("build", str(PAGE), "-o", str(tmp_path / "o"))
    assert out.returncode == 3 and "build cache is unreadable" in out.stderr and "Traceback" not in out.stderr
    (tmp_path / "s" / "store").mkdir(parents=True)
    (tmp_path / "s" / "store" / "CURRENT").write_text("garbage")
    out = kg("query", "--store", str(tmp_path / "s"), "SELECT * WHERE { ?s ?p ?o }")
    assert out.returncode == 3 and "cannot open the store" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("args, code, words", [
    (["query", "--store", "{build}", "SELECT * WHERE { SERVICE <http://invalid.invalid/> { ?s ?p ?o } }"], 4,
     "query failed"),
    (["query", "--store", "{build}", "--file", "{tmp}/missing.rq"], 4, "cannot read"),
    (["query", "--store", "{build}", "--name", "no-such-query"], 4, "no canned query"),
    (["query", "--store", "{build}"], 4, "give exactly one of"),
    (["export", "{build}", "--format", "ttl", "-o", "/proc/self/x/graph.ttl"], 3, "cannot write"),
    (["annotate", "{tmp}/bad.jsonl"], 2, "not valid JSON"),
    (["build", "{tmp}/bad.jsonl", "-o", "{tmp}/o", "--jobs", "0"], 2, "Invalid value"),
])
def test_more_user_errors_end_in_one_clear_line(sample_build, tmp_path, args, code, words):
    (tmp_path / "bad.jsonl").write_text("{nope\n")
    out = kg(*[a.replace("{tmp}", str(tmp_path)).replace("{build}", str(sample_build)) for a in args])
    assert out.returncode == code, out.stderr
    assert words in out.stderr and "Traceback" not in out.stderr
    assert "Error:" in out.stderr.strip().splitlines()[-1]


def test_annotate_survives_lone_surrogates():
    from kg.cli import main

    out = CliRunner().invoke(main, ["annotate", "-"], input='{"text": "\\ud800山东省青岛市总工会开展培训。"}\n')
    assert out.exit_code == 0, out.output
    [line] = out.stdout.splitlines()
    record = json.loads(line)
    assert record["text"].startswith("\ufffd") and record["entities"][0]["start"] == 1


def test_exit_codes_in_the_readme_are_the_ones_the_code_uses():
    from kg.errors import InputError, KgError, QueryError, StoreError

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)}
    assert {0, 2, 3, 4, 5, 130} <= documented
    used = {c.exit_code for c in (KgError, InputError, StoreError, QueryError)}
    cli = (ROOT / "kg" / "cli.py").read_text(encoding="utf-8")
    used |= {int(n) for n in re.findall(r"(?:sys|ctx)\.exit\((\d+)\)", cli)}
    for module in (ROOT / "kg").rglob("*.py"):
        used |= {int(n) for n in re.findall(r"^\s+exit_code = (\d+)", module.read_text(encoding="utf-8"), re.M)}
    assert used <= documented, f"exit codes used but not in the README table: {sorted(used - documented)}"


# -- outputs are replaced, never half-written -----------------------------------------------------------

def test_a_folder_is_swapped_whole_and_a_lost_one_comes_back(tmp_path):
    from kg.atomic import atomic_dir

    target = tmp_path / "store"
    target.mkdir()
    (target / "old").write_text("1")
    with atomic_dir(target) as tmp:
        (tmp / "new").write_text("2")
    assert [p.name for p in target.iterdir()] == ["new"]
    assert [p.name for p in tmp_path.iterdir()] == ["store"]
    # a build killed between "store → .store.old" and ".store.tmp → store" leaves only .store.old
    os.replace(target, tmp_path / ".store.old")
    with pytest.raises(RuntimeError):
        with atomic_dir(target) as tmp:
            assert (target / "new").exists()  # restored before anything else happens
            raise RuntimeError("killed")
    assert [p.name for p in target.iterdir()] == ["new"]
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    from kg.atomic import atomic_file

    target = tmp_path / "graph.ttl"
    target.write_text("old")
    with pytest.raises(OSError):
        with atomic_file(target) as tmp:
            tmp.write_text("half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_temporaries_of_killed_writers_are_swept_and_live_ones_kept(tmp_path):
    from kg.atomic import sweep

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (tmp_path / f".graph.nt.{pid}-0a1b2c.tmp").write_text("half")
    (tmp_path / f".store.{pid}-0a1b2c.tmp").mkdir()
    (tmp_path / f".cache.{pid}-x_y9z.tmp").mkdir()
    live = tmp_path / f".graph.ttl.{os.getpid()}-0a1b2c.tmp"
    live.write_text("being written")
    (tmp_path / "graph.ttl").write_text("kept")
    removed = sweep(tmp_path)
    assert len(removed) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, "graph.ttl"])


def test_writing_through_links_and_to_devices_never_replaces_them(tmp_path):
    from kg.atomic import atomic_file

    (tmp_path / "real.ttl").write_text("old")
    (tmp_path / "link.ttl").symlink_to(tmp_path / "real.ttl")
    (tmp_path / "null").symlink_to("/dev/null")  # as `kg export -o /dev/stdout` would be
    for name in ("link.ttl", "null"):
        with atomic_file(tmp_path / name) as tmp:
            tmp.write_text("new")
    assert (tmp_path / "link.ttl").is_symlink() and (tmp_path / "real.ttl").read_text() == "new"
    assert (tmp_path / "null").is_symlink() and os.readlink(tmp_path / "null") == "/dev/null"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.ttl", "null", "real.ttl"]
