"""``kg viz``: the self-contained HTML page, checked statically and in headless Chromium."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graph.view import graph_view
from kg.store import open_store
from kg.viz import html, payload, write_html



@pytest.fixture(scope="session")
def built(sample_build) -> Path:
    """The session's build of data/samples (``sample_build`` in conftest.py)."""
    return sample_build


@pytest.fixture(scope="module")
def view(built) -> nx.MultiDiGraph:
    return graph_view(open_store(built), events="edges")


@pytest.fixture(scope="module")
def page(built, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("viz") / "graph.html"
    write_html(open_store(built), path, title="samples")
    return path


def embedded(text: str) -> dict:
    blob = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S).group(1)
    return json.loads(blob)


def test_payload_matches_the_view(view):
    data = payload(view)
    assert len(data["nodes"]) == view.number_of_nodes()
    assert len(data["edges"]) == view.number_of_edges()
    assert {t["type"] for t in data["types"]} == {d["type"] for _, d in view.nodes(data=True)}
    assert all(t["colour"].startswith("#") and t["count"] > 0 for t in data["types"])
    assert data["provinces"] and all(isinstance(p, str) for p in data["provinces"])
    evidence = [e for e in data["edges"] if "evidence" in e]
    assert evidence and all(e["headline"] for e in evidence)


def test_payload_keeps_the_best_connected_nodes(view):
    data = payload(view, max_nodes=10)
    assert len(data["nodes"]) == 10 and data["total"]["nodes"] == view.number_of_nodes()
    degrees = sorted((d for _, d in view.degree()), reverse=True)[:10]
    assert sorted((n["degree"] for n in data["nodes"]), reverse=True) == degrees
    assert all(e["s"] < 10 and e["t"] < 10 for e in data["edges"])


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""\b(src|href)\s*=""", text), "no external scripts, styles or links"
    assert "@import" not in text and "url(" not in text
    assert "__KG_" not in text and "/*KG_" not in text, "every placeholder filled"
    assert text.count("</script>") == 2
    data = embedded(text)
    assert data["title"] == "samples" and len(data["nodes"]) > 100


def test_labels_cannot_break_out_of_the_script(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("x", label="</script><script>alert(1)</script><!--", type="Program", degree=1)
    g.add_node("y", label="地区", type="Region", degree=1)
    g.add_edge("x", "y", label="kgo:inRegion")
    text = html(payload(g, title="<b>t</b>"))
    assert text.count("</script>") == 2 and "<b>t</b>" not in text
    assert embedded(text)["nodes"][0]["label"] == "</script><script>alert(1)</script><!--"


def test_cli_viz(built, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["viz", str(built), "-o", str(tmp_path / "v.html"), "--max-nodes", "50"])
    assert result.exit_code == 0, result.output
    assert "50 of" in result.output and len(embedded((tmp_path / "v.html").read_text())["nodes"]) == 50
    copy = shutil.copytree(built, tmp_path / "build")  # the default output goes into the build folder
    result = runner.invoke(main, ["viz", str(copy)])
    assert result.exit_code == 0 and (copy / "graph.html").is_file()
    assert runner.invoke(main, ["viz", str(tmp_path / "none")]).exit_code == 3


# ----------------------------------------------------------------- in a browser


def chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def run_chromium(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    binary = chromium()
    if binary is None:
        pytest.fail("chromium is not installed: `make install-test` installs it (apt-get install chromium)")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
             "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: any network request would fail
             "--virtual-time-budget=10000", "--window-size=1400,900"]
    return subprocess.run([binary, *flags, *args, url], capture_output=True, text=True, timeout=180)


def test_page_runs_in_headless_chromium(page, view, tmp_path):
    top = max((n for n, d in view.nodes(data=True) if d["type"] in ("TradeUnion", "Organization")),
              key=lambda n: (view.degree(n), n))
    province = view.nodes[top]["province"]
    done = run_chromium(f"{page.as_uri()}#province={quote(province)}&node={quote(top)}", tmp_path, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    dom = done.stdout
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-ready="1"' in body and "data-errors" not in body, body
    circles = re.findall(r'<circle [^>]*class="node[^"]*"', dom)
    assert len(circles) == view.number_of_nodes()
    assert len(re.findall(r"<line ", dom)) == view.number_of_edges()
    assert re.search(r'<circle [^>]*cx="-?\d', dom), "laid out"
    # the selected node's panel: its label, facts and evidence sentences
    details = re.search(r'<aside id="details">(.*?)</aside>', dom, re.S).group(1)
    assert f"<h2>{view.nodes[top]['label']}</h2>" in details
    evidence = {d["evidence"] for _, _, d in view.edges(top, data=True) if "evidence" in d}
    evidence |= {d["evidence"] for _, _, d in view.in_edges(top, data=True) if "evidence" in d}
    assert evidence and details.count("<blockquote>") == len(
        [1 for _, _, d in [*view.edges(top, data=True), *view.in_edges(top, data=True)] if "evidence" in d])
    # the province filter: the province's nodes, and those without a province tied to one of them
    def shown(n, d):
        if d.get("province") == province:
            return True
        neighbours = [*view.successors(n), *view.predecessors(n)]
        return "province" not in d and any(view.nodes[o].get("province") == province for o in neighbours)

    expected = sum(1 for n, d in view.nodes(data=True) if shown(n, d))
    status = re.search(r'<span id="status"[^>]*>(.*?)</span>', dom).group(1)
    assert f"{expected} / {view.number_of_nodes()}" in status
    assert len(re.findall(r'<circle [^>]*class="node[^"]*\bhidden\b', dom)) == view.number_of_nodes() - expected
