"""Serial, multi-process and Dask builds of the sample corpus give the same graph."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.distributed import run
from kg.errors import KgError
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


def graph(folder: Path) -> list[str]:
    """The store's triples, sorted; graph.nt is compared byte for byte and must hold them."""
    triples = sorted(str(q) for q in open_store(folder))
    assert len((folder / "graph.nt").read_bytes().splitlines()) == len(triples)
    return triples


def test_two_processes_build_the_same_graph_as_one(sample_build, tmp_path):
    report = build([str(SAMPLES)], tmp_path / "par", jobs=2, cache=False)
    assert report.processed == 5
    assert graph(tmp_path / "par") == graph(sample_build)
    assert (tmp_path / "par" / "graph.nt").read_bytes() == (sample_build / "graph.nt").read_bytes()


def test_dask_cluster_builds_the_same_graph_as_one_process(sample_build, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, memory_limit="1GiB") as cluster:
        report = build([str(SAMPLES)], tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address,
                       cache=False)
        prefix = cluster.scheduler.task_prefixes["process_batch"]  # the work ran on the cluster
        assert sum(prefix.state_counts.values()) >= 3 and len(cluster.workers) == 2
    assert report.processed == 5
    assert graph(tmp_path / "dask") == graph(sample_build)
    assert (tmp_path / "dask" / "graph.nt").read_bytes() == (sample_build / "graph.nt").read_bytes()


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
            pytest.raises(KgError, match="cannot reach the Dask scheduler"):
        build([str(SAMPLES / "004_50607a4fbbfa0478.txt")], tmp_path / "x", executor="dask",
              scheduler="tcp://127.0.0.1:9", cache=False)


@pytest.mark.parametrize("jobs", [1, 2])
def test_input_is_pulled_lazily_with_bounded_work_in_flight(jobs):
    pulled = []

    def items():
        for n in range(200):
            pulled.append(n)
            yield "x" * n

    results = run(len, items(), jobs=jobs, window=4)
    first = next(results)
    assert len(pulled) <= 5  # the window, plus one submitted when the first result came in
    assert sorted([first, *results]) == list(range(200))


def test_a_worker_that_dies_is_a_clear_error():
    import os

    with pytest.raises(KgError, match="a worker process died"):
        list(run(os._exit, [3, 3], jobs=2))
