"""A fuzz campaign: the properties of tests/test_fuzz.py on many more generated inputs (not run in CI).

    python bench/fuzz.py                      # 10,000 inputs through the whole pipeline, more through the fast stages
    python bench/fuzz.py --examples 2000 --only pipeline,annotate
    python bench/fuzz.py --seed 7            # another part of the input space (default: random)

Prints, per property, how many inputs were generated and checked, how long it
took, and the first failure (hypothesis shrinks it to a small example) if any;
exits 1 if a property failed.  The same campaign through pytest:
``KG_FUZZ_EXAMPLES=10000 pytest tests/test_fuzz.py``.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import given, seed as hseed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import test_fuzz as tf  # noqa: E402
from kg.model import Document  # noqa: E402


def properties(n: int):
    """name → (strategy, check, examples)."""
    return {
        "normalize": (tf.texts, tf.check_normalize, 3 * n),
        "segment": (st.tuples(tf.texts, st.booleans()),
                    lambda a: tf.check_segment(Document(source="f.txt", text=a[0], record_id="r" if a[1] else None)),
                    2 * n),
        "decode": (st.one_of(st.binary(max_size=600), tf.texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
                             tf.texts.map(lambda t: t.encode("gb18030", "replace"))),
                   _decode, 2 * n),
        "annotate": (tf.texts, tf.check_annotate, n),
        "pipeline": (st.tuples(tf.real_texts, st.sampled_from([None, "2021-03-01"]), st.sampled_from([0, 123_457])),
                     lambda a: tf.check_pipeline(Document(source="fuzz.txt", text=a[0], date=a[1], offset=a[2])), n),
        "pages": (st.lists(tf.spliced, min_size=1, max_size=4), _pages, max(n // 20, 10)),
    }


def _decode(data: bytes) -> None:
    from kg.ingest.decode import UndecodableError, decode

    try:
        decode(data).encode("utf-8")
    except UndecodableError as err:
        assert str(err) and "\n" not in str(err)


def _pages(pages: list[str]) -> None:
    rows = []
    for n, page in enumerate(pages):
        rows += tf.check_pipeline(Document(source=f"p{n}.txt", text=page))
    tf.check_rdf("".join(rows))


def run(name: str, strategy, check, examples: int, seed: int) -> tuple[int, float, str | None]:
    count = 0

    @hseed(seed)
    @settings(tf.FUZZ, max_examples=examples, derandomize=False, database=None, print_blob=True)
    @given(strategy)
    def prop(value):
        nonlocal count
        count += 1
        check(value)

    start = time.monotonic()
    try:
        prop()
        failure = None
    except Exception:  # noqa: BLE001 - report it and go on with the other properties
        failure = traceback.format_exc(limit=-6)
    return count, time.monotonic() - start, failure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="inputs through the whole pipeline")
    parser.add_argument("--only", help="comma-separated properties: " + ", ".join(properties(1)))
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    chosen = properties(args.examples)
    if args.only:
        chosen = {k: v for k, v in chosen.items() if k in args.only.split(",")}
    print(f"fuzz campaign, seed {args.seed}", flush=True)
    total, failed = 0, 0
    for name, (strategy, check, examples) in chosen.items():
        count, seconds, failure = run(name, strategy, check, examples, args.seed)
        total += count
        failed += failure is not None
        print(f"{name:10} {count:7d} inputs  {seconds:7.1f} s  {'FAILED' if failure else 'ok'}", flush=True)
        if failure:
            print(failure, flush=True)
    print(f"total      {total:7d} inputs, {failed} propert{'y' if failed == 1 else 'ies'} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
