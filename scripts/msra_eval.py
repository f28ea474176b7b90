"""Score ``kg.nlp.names.find_names`` on the MSRA NER test set (exact spans).

Usage (from the repository root)::

    python scripts/msra_eval.py                       # ../shared/benchmarks/msra_test_bio.txt
    python scripts/msra_eval.py PATH --split held     # second half only (never looked at)
    python scripts/msra_eval.py --baseline            # jieba.posseg nr/ns/nt alone

The input is one character and its BIO tag per line (``中\tB-ORG``), a blank
line between sentences.  ``find_names`` runs on each sentence; its REGION spans
are scored as LOC.  Output: precision, recall and F1 per type (PER, LOC, ORG)
and micro-averaged over the three, then characters per second of the recogniser
against bare ``jieba.lcut`` on the same sentences.

``--split dev`` is the first half of the sentences (the part used for error
analysis while the rules were written), ``--split held`` the second half (used
only for reporting).  The test set is never used to build dictionaries or rules.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "benchmarks" / "msra_test_bio.txt"
TYPES = ("PER", "LOC", "ORG")
LABEL_TO_TYPE = {"PERSON": "PER", "REGION": "LOC", "ORG": "ORG", "PER": "PER", "LOC": "LOC"}

Span = tuple[int, int, str]


def read_bio(path: Path) -> list[tuple[str, set[Span]]]:
    """Sentences as (text, gold spans); a span is (start, end, PER|LOC|ORG)."""
    sentences: list[tuple[str, set[Span]]] = []
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if chars:
            sentences.append(("".join(chars), bio_spans(tags)))
            chars.clear()
            tags.clear()

    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            if "\t" in line:
                ch, tag = line.split("\t", 1)
            else:
                parts = line.split()
                if len(parts) != 2:
                    raise ValueError(f"{path}:{lineno}: expected 'CHAR TAG', got {line!r}")
                ch, tag = parts
            chars.append(ch[:1] or " ")
            tags.append(tag.strip())
    flush()
    return sentences


def bio_spans(tags: list[str]) -> set[Span]:
    spans: set[Span] = set()
    start, kind = None, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, t = tag.partition("-")
        if kind is not None and (prefix != "I" or t != kind):
            spans.add((start, i, kind))
            start, kind = None, None
        if prefix in ("B", "I") and kind is None:
            start, kind = i, t
    return spans


def score(gold: Iterable[set[Span]], pred: Iterable[set[Span]]) -> dict[str, tuple[int, int, int]]:
    """Per type: (true positives, predicted, gold)."""
    tp, np_, ng = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        for s in g:
            ng[s[2]] += 1
        for s in p:
            np_[s[2]] += 1
            if s in g:
                tp[s[2]] += 1
    return {t: (tp[t], np_[t], ng[t]) for t in TYPES}


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def format_table(counts: dict[str, tuple[int, int, int]]) -> str:
    lines = [f"{'type':<6}{'P':>8}{'R':>8}{'F1':>8}{'tp':>8}{'pred':>8}{'gold':>8}"]
    total = [0, 0, 0]
    for t in TYPES:
        c = counts[t]
        total = [a + b for a, b in zip(total, c)]
        p, r, f = prf(*c)
        lines.append(f"{t:<6}{p:>8.4f}{r:>8.4f}{f:>8.4f}{c[0]:>8}{c[1]:>8}{c[2]:>8}")
    p, r, f = prf(*total)
    lines.append(f"{'micro':<6}{p:>8.4f}{r:>8.4f}{f:>8.4f}{total[0]:>8}{total[1]:>8}{total[2]:>8}")
    return "\n".join(lines)


def baseline_find_names(text: str) -> list[tuple[int, int, str]]:
    """jieba.posseg alone: words tagged nr* → PERSON, ns* → REGION, nt* → ORG."""
    import jieba.posseg as pseg

    out, pos = [], 0
    for pair in pseg.cut(text):
        w, flag = pair.word, pair.flag
        end = pos + len(w)
        if flag.startswith("nr"):
            out.append((pos, end, "PERSON"))
        elif flag.startswith("ns"):
            out.append((pos, end, "REGION"))
        elif flag.startswith("nt"):
            out.append((pos, end, "ORG"))
        pos = end
    return out


def measure_speed(find: Callable[[str], list], texts: list[str], rounds: int = 3) -> tuple[float, float]:
    """Characters per second of ``find`` and of bare ``jieba.lcut`` on the same texts.

    The two are timed in alternating rounds and the best round of each is kept, so
    that a busy machine penalises both alike."""
    import jieba

    jieba.initialize()
    n_chars = sum(map(len, texts)) or 1
    best_find = best_jieba = float("inf")
    for _ in range(max(1, rounds)):
        t0 = time.perf_counter()
        for t in texts:
            jieba.lcut(t)
        best_jieba = min(best_jieba, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in texts:
            find(t)
        best_find = min(best_find, time.perf_counter() - t0)
    return n_chars / best_find, n_chars / best_jieba


def annotate_find_names(text: str) -> list[tuple[int, int, str]]:
    """What ``kg annotate`` reports: the whole spaCy pipeline's PERSON, ORG and REGION entities."""
    from kg.annotate import annotate_text

    return [(e["start"], e["end"], e["label"]) for e in annotate_text(text)["entities"]
            if e["label"] in ("PERSON", "ORG", "REGION")]


def load_recogniser(baseline: bool, annotate: bool = False) -> Callable[[str], list[tuple[int, int, str]]]:
    if baseline:
        return baseline_find_names
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    if annotate:
        return annotate_find_names
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from kg.nlp.names import find_names

    return find_names


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="msra_eval", description=__doc__.split("\n\n")[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT), help="BIO file (default: %(default)s)")
    ap.add_argument("--split", choices=("all", "dev", "held"), default="all",
                    help="all sentences, the first half (dev) or the second half (held)")
    ap.add_argument("--baseline", action="store_true", help="score jieba.posseg nr/ns/nt instead")
    ap.add_argument("--annotate", action="store_true",
                    help="score the whole pipeline, as `kg annotate` reports it (default: kg.nlp.names alone)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences of the split")
    ap.add_argument("--no-speed", action="store_true", help="skip the jieba speed comparison")
    ap.add_argument("--rounds", type=int, default=3, help="timing rounds for the speed comparison (best is kept)")
    ap.add_argument("--errors", default="", metavar="TYPES",
                    help="print missed/spurious spans of these types (e.g. PER,ORG) to stdout")
    args = ap.parse_args(argv)

    path = Path(args.path)
    if not path.is_file():
        print(f"msra_eval: MSRA test file not found: {path}\n"
              "  (expected ../shared/benchmarks/msra_test_bio.txt next to the repository; "
              "pass its path as the first argument)", file=sys.stderr)
        return 2
    try:
        sentences = read_bio(path)
    except (ValueError, UnicodeDecodeError) as exc:
        print(f"msra_eval: cannot read {path}: {exc}", file=sys.stderr)
        return 2
    half = len(sentences) // 2
    if args.split == "dev":
        sentences = sentences[:half]
    elif args.split == "held":
        sentences = sentences[half:]
    if args.limit:
        sentences = sentences[: args.limit]

    find = load_recogniser(args.baseline, args.annotate)
    find("")  # load resources before timing
    find("北京")
    texts = [s for s, _ in sentences]
    n_chars = sum(map(len, texts))

    raw = [find(t) for t in texts]
    preds: list[set[Span]] = []
    for spans in raw:
        preds.append({(s, e, LABEL_TO_TYPE.get(lab, lab)) for s, e, lab in spans})

    golds = [g for _, g in sentences]
    name = ("baseline (jieba.posseg nr/ns/nt)" if args.baseline else
            "the kg pipeline (as kg annotate)" if args.annotate else "kg.nlp.names.find_names")
    print(f"{name} on {path.name} [{args.split}]: {len(texts)} sentences, {n_chars} characters")
    print(format_table(score(golds, preds)))

    if args.errors:
        want = {t.strip().upper() for t in args.errors.split(",")}
        for text, g, p in zip(texts, golds, preds):
            miss = sorted(s for s in g - p if s[2] in want)
            spur = sorted(s for s in p - g if s[2] in want)
            if miss or spur:
                print("#", text)
                for s, e, t in miss:
                    print(f"  - {t} {text[s:e]}")
                for s, e, t in spur:
                    print(f"  + {t} {text[s:e]}")

    if not args.no_speed:
        ours, bare = measure_speed(find, texts, rounds=args.rounds)
        print(f"speed: {ours:,.0f} chars/s (jieba.lcut on the same text: {bare:,.0f} chars/s; "
              f"ratio {bare / ours if ours else float('inf'):.2f}x slower; best of {args.rounds} interleaved rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
