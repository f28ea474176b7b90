"""The federation hierarchy: which federation of trade unions a local one answers to.

China's local federations follow the administrative divisions: a township's
federation (镇总工会) belongs to its county's, a county's or district's to its
city's, a city's to its province's, and a province's to the All-China
Federation of Trade Unions (中华全国总工会).  So the parent of a local
federation follows from the region hierarchy alone (``RegionTable.ancestors``),
even when the parent is never named in an article.

Names are the resolver's canonical names (:func:`kg.resolve.aliases.canonical_org`),
so a parent minted here is the same node as the same federation named in an
article: 衢州市衢江区大洲镇总工会 → 衢州市衢江区总工会 → 衢州市总工会 → 浙江省总工会
→ 中华全国总工会.  Nothing here builds RDF; :mod:`kg.rdf.emit` does.
"""
from __future__ import annotations

import functools

from kg.regions import LEVELS, Region, RegionTable

__all__ = ["NATIONAL", "federation_name", "is_federation_of", "parent_by_name", "parent_federations"]

NATIONAL = "中华全国总工会"
SUFFIX = "总工会"


@functools.lru_cache(maxsize=8192)
def federation_name(region: Region) -> str:
    """The canonical name of the federation of trade unions of ``region``.

    Built as the resolver builds it: the region's full address chain plus
    总工会, made canonical (a district or township keeps its city, and a
    township its county, since their names repeat across the country).
    """
    from kg.resolve.aliases import canonical_org

    table = RegionTable.default()
    chain = [*table.ancestors(region), region]
    name, found = canonical_org("".join(r.name for r in chain) + SUFFIX, table)
    if found == region and name.endswith(SUFFIX):
        return name
    # the chain did not scan back to the region (should not happen): the rule itself
    if region.level in ("county", "township") and region.name.endswith(("区", "镇", "乡", "街道")):
        keep = [r for r in chain[:-1] if r.level == "city" or (region.level == "township" and r.level == "county")]
        return "".join(r.name for r in keep) + region.name + SUFFIX
    return region.name + SUFFIX


def is_federation_of(name: str, region: Region | None) -> bool:
    """Is ``name`` the (canonical) federation of ``region``?"""
    return region is not None and name == federation_name(region)


def parent_federations(region: Region) -> list[tuple[str, Region | None]]:
    """The federations above the federation of ``region``, nearest first, ending
    with the national one (whose region is None).  Each of a higher level than the
    one below it: a province-level area inside a province (新疆生产建设兵团) has a
    federation of provincial rank, a member of the national one, so 新星市总工会
    answers to 新疆生产建设兵团总工会 and that one to 中华全国总工会."""
    table = RegionTable.default()
    out: list[tuple[str, Region | None]] = []
    rank = LEVELS.index(region.level)
    for ancestor in reversed(table.ancestors(region)):
        if LEVELS.index(ancestor.level) < rank:
            out.append((federation_name(ancestor), ancestor))
            rank = LEVELS.index(ancestor.level)
    out.append((NATIONAL, None))
    return out


def parent_by_name(name: str) -> tuple[str, Region | None] | None:
    """A body whose name states the federation it belongs to (景德镇市总工会女职工委员会
    → 景德镇市总工会): that federation and its region, else None."""
    if SUFFIX not in name or name.endswith(SUFFIX):
        return None
    head = name[: name.rindex(SUFFIX) + len(SUFFIX)]
    if head == NATIONAL:
        return NATIONAL, None
    from kg.resolve.aliases import canonical_org

    canonical, region = canonical_org(head, RegionTable.default())
    if canonical == head and is_federation_of(head, region):
        return head, region
    return None
