"""SPARQL over a build's store, and the canned competency queries."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.rdf.vocab import OX_PREFIXES, PREFIXES

QUERIES = Path(__file__).resolve().parent.parent / "ontology" / "queries"
PREAMBLE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def canned(name: str) -> str:
    path = QUERIES / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUERIES.glob("*.rq"))) or "none"
        raise QueryError(f"no canned query named {name!r} (known: {known})")
    return path.read_text(encoding="utf-8")


def run(store: ox.Store, sparql: str):
    """Run a query; the standard prefixes are declared for the user."""
    try:
        return store.query(PREAMBLE + sparql)
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {str(err).splitlines()[0]}") from err
    except OSError as err:
        raise QueryError(f"query failed: {err}") from err


def term_text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        from kg.graph.view import local_name

        return local_name(term.value)
    return term.value


def format_results(results, fmt: str) -> str:
    """Render SELECT results as table, csv or json; graphs (CONSTRUCT) as Turtle."""
    if isinstance(results, ox.QueryTriples):
        return ox.serialize(results, format=ox.RdfFormat.TURTLE,
                            prefixes=OX_PREFIXES).decode()
    if isinstance(results, ox.QueryBoolean):
        return "true" if bool(results) else "false"
    names = [v.value for v in results.variables]
    rows = [[term_text(row[n]) for n in names] for row in results]
    if fmt == "json":
        return json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    return table(names, rows)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
