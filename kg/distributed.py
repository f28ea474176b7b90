"""Run one function over a stream of work items: in-process, on local processes, or on Dask.

Every executor takes items lazily from an iterator and keeps a bounded number
in flight, so memory stays flat however long the input is: the whole archive
is never listed.  Results come back in completion order (the build sorts its
output by input order afterwards, from the cache).

- ``serial``: in this process, one item after another.
- ``processes``: a ``ProcessPoolExecutor`` of ``jobs`` workers.  Workers are
  started by a fork server that has already imported the pipeline modules, so
  each starts quickly and none inherits the threads of its parent.
- ``dask``: a Dask distributed cluster (``scheduler`` is its address, e.g.
  ``tcp://10.0.0.5:8786``; without one, a ``LocalCluster`` of ``jobs`` worker
  processes on loopback).  The function must be importable on the workers
  (``pip install kg`` there).
"""
from __future__ import annotations

import multiprocessing
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

from kg.errors import KgError

T = TypeVar("T")
R = TypeVar("R")
EXECUTORS = ("processes", "dask")
WORKER_DIED = ("a worker process died (killed, or out of memory?); what was processed before is in the "
               "cache: run the build again to go on")
#: modules the fork server imports once, so that workers start warm (``kg.preload`` loads the pipeline)
PRELOAD = ["kg.preload"]


def run(fn: Callable[[T], R], items: Iterable[T], *, jobs: int = 1, executor: str = "processes",
        scheduler: str | None = None, window: int | None = None) -> Iterator[R]:
    """``fn`` over ``items``, at most ``window`` items in flight (default: 3 per worker)."""
    if executor == "dask":
        yield from _dask(fn, items, jobs, scheduler, window)
    elif executor != "processes":
        raise KgError(f"unknown executor {executor!r} (known: {', '.join(EXECUTORS)})")
    elif jobs <= 1:
        yield from map(fn, items)
    else:
        yield from _processes(fn, items, jobs, window or 3 * jobs)


def _bounded(submit: Callable, wait_first: Callable, items: Iterable, window: int) -> Iterator:
    """Submit items as results are taken, never more than ``window`` pending."""
    it = iter(items)
    pending = {submit(item) for item in islice(it, window)}
    while pending:
        done, pending = wait_first(pending)
        pending = set(pending)
        for future in done:
            pending.update(submit(item) for item in islice(it, 1))
            yield future.result()


def _processes(fn, items, jobs: int, window: int) -> Iterator:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_leave_interrupts_to_parent)

    def submit(item):
        with _interrupts_held():  # a submit may start a worker
            return pool.submit(fn, item)

    try:
        yield from _bounded(submit, lambda fs: wait(fs, return_when=FIRST_COMPLETED), items, window)
    except BrokenProcessPool as err:
        raise KgError(f"{WORKER_DIED} ({err})") from err
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _leave_interrupts_to_parent() -> None:
    """Ctrl-C reaches every process of the terminal's group: workers ignore it and finish the
    document in hand, while the parent stops handing out work and waits for them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C while a worker is being started: interrupted half-way, the parent would exit
    and the new worker fail to attach to the pool's queues, printing a traceback."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _dask(fn, items, jobs: int, scheduler: str | None, window: int | None) -> Iterator:
    try:
        from distributed import Client, KilledWorker, LocalCluster, as_completed
    except ImportError as err:
        raise KgError("the dask executor needs Dask distributed: pip install 'kg[dask]'") from err
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, set_as_default=False)  # waits distributed.comm.timeouts.connect
        else:
            cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None)
            client = Client(cluster, set_as_default=False)
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        raise KgError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from err
    try:
        threads = sum(client.nthreads().values()) or 1
        it = iter(items)
        done = as_completed([client.submit(fn, item, pure=False) for item in islice(it, window or 3 * threads)],
                            loop=client.loop)
        for future in done:  # as_completed takes new futures while it is iterated
            for item in islice(it, 1):
                done.add(client.submit(fn, item, pure=False))
            try:
                result = future.result()
            except KilledWorker as err:
                raise KgError(f"{WORKER_DIED} (Dask: {err})") from err
            future.release()
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
