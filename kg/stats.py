"""Counts of a build: classes, relations, facts per extractor."""
from __future__ import annotations

import pyoxigraph as ox

from kg.graph.view import local_name

_CLASSES = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)"
_PROPS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)"


def compute(store: ox.Store) -> dict:
    return {
        "triples": len(store),
        "classes": {local_name(r["c"].value): int(r["n"].value) for r in store.query(_CLASSES)},
        "properties": {local_name(r["p"].value): int(r["n"].value) for r in store.query(_PROPS)},
    }


def render(result: dict) -> str:
    lines = [f"triples: {result['triples']}", "", "classes:"]
    lines += [f"  {n:8d}  {c}" for c, n in result["classes"].items()]
    lines += ["", "properties:"]
    lines += [f"  {n:8d}  {p}" for p, n in result["properties"].items()]
    return "\n".join(lines)
