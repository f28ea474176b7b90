"""SHACL validation of a built graph against the ontology contract.

``validate(graph)`` runs pyshacl with the shapes of ``ontology/shapes.ttl`` and
the ontology (``kg.ttl`` + ``schemes.ttl``), with ``inference="rdfs"`` so that
``sh:class`` follows ``rdfs:subClassOf`` (an event whose agent is a
``kgo:TradeUnion`` has a ``kgo:Organization`` agent). Two details of how the
ontology reaches pyshacl matter:

* ``rdfs:domain`` and ``rdfs:range`` axioms are left out of the inference.
  Under RDFS they would *make* every ``kgo:agent`` value a ``kgo:Organization``,
  and ``sh:class kgo:Organization`` could then never fail; the shapes are meant
  to check the types the build states, not to infer them.
* pyshacl copies only class and property axioms from an ``ont_graph``, not
  instances, so the SKOS concepts of ``schemes.ttl`` (``kgr:orgtype/bank``,
  ``kgr:group/…``) are added to the graph under validation here. The caller's
  graph is never modified.

Results come back as plain values with short, prefixed names::

    >>> result = validate(graph)
    >>> print(format_violations(result))
    Violation  kgr:event/abc       kgo:agent       Less than 1 values  [kgsh:EventShape]
    Violation  kgr:region/360200   kgo:adminCode   Value does not match pattern '^[1-9][0-9]{5}$' (value "12AB")  [kgsh:RegionShape]

The shapes use only ``rdfs:subClassOf``, which SHACL follows by itself once the
axioms are in the data graph, so ``validate(graph, inference="none")`` gives
the same report about twice as fast (pyshacl's RDFS closure is the slow part).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from kg.errors import InputError, StoreError
from kg.rdf.vocab import PREFIXES

__all__ = [
    "ONTOLOGY_DIR",
    "ValidationResult",
    "Violation",
    "format_violations",
    "load_ontology",
    "load_shapes",
    "load_target",
    "validate",
    "validate_target",
]

_PACKAGE_DIR = Path(__file__).resolve().parent


def _find_ontology_dir() -> Path:
    """The ontology folder: ``ontology/`` at the repository root (editable
    installs and checkouts), else a copy shipped as package data."""
    candidates = (_PACKAGE_DIR.parent / "ontology", _PACKAGE_DIR / "data" / "ontology")
    for candidate in candidates:
        if (candidate / "kg.ttl").is_file():
            return candidate
    return candidates[0]


ONTOLOGY_DIR: Path = _find_ontology_dir()
ONTOLOGY_FILES = ("kg.ttl", "schemes.ttl")
SHAPES_FILE = "shapes.ttl"

#: prefixes used to shorten names in reports (kg's own first, then SHACL's and NIF's)
_REPORT_PREFIXES: dict[str, str] = {
    **{prefix: str(ns) for prefix, ns in PREFIXES.items()},
    "kgsh": "https://w3id.org/union-kg/shapes#",
    "sh": str(SH),
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, as short readable strings with prefixed names."""

    focus: str  # the node that fails, e.g. "kgr:event/abc"
    path: str  # the property, e.g. "kgo:agent" ("" for node-level results)
    message: str  # e.g. "Less than 1 values"
    severity: str  # "Violation", "Warning" or "Info"
    shape: str  # the node shape that failed, e.g. "kgsh:EventShape"
    value: str = ""  # the offending value, e.g. '"1.5"^^xsd:decimal' ("" if none)

    def __str__(self) -> str:
        return "  ".join(part for part in (self.severity, self.focus, self.path, self.message) if part)


@dataclass(frozen=True)
class ValidationResult:
    """What ``validate`` found. ``conforms`` is False only for ``sh:Violation``
    results; warnings are reported in ``violations`` but do not break it."""

    conforms: bool
    violations: list[Violation]
    report: Graph | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "Violation"]


# --------------------------------------------------------------------------- #
# Loading


def _new_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _parse(names: tuple[str, ...]) -> Graph:
    graph = _new_graph()
    for name in names:
        path = ONTOLOGY_DIR / name
        if not path.is_file():
            raise FileNotFoundError(f"ontology file not found: {path}")
        graph.parse(path, format="turtle")
    return graph


def load_ontology() -> Graph:
    """The ontology: ``kg.ttl`` + ``schemes.ttl``, as a new graph."""
    return _parse(ONTOLOGY_FILES)


def load_shapes() -> Graph:
    """The SHACL shapes of ``shapes.ttl``, as a new graph."""
    return _parse((SHAPES_FILE,))


@lru_cache(maxsize=1)
def _validation_inputs() -> tuple[Graph, Graph, Graph]:
    """(class and property axioms without domain/range, scheme instances, shapes),
    parsed once; treated as read-only."""
    axioms = _parse(("kg.ttl",))
    axioms.remove((None, RDFS.domain, None))
    axioms.remove((None, RDFS.range, None))
    schemes = _parse(("schemes.ttl",))
    return axioms, schemes, load_shapes()


# --------------------------------------------------------------------------- #
# Validating


def _as_graph(data: Graph | Dataset | str | Path) -> Graph:
    """A fresh graph with the triples of ``data`` (every named graph of a dataset)."""
    working = _new_graph()
    if isinstance(data, (str, Path)):
        working.parse(str(data))
    elif isinstance(data, Dataset) or hasattr(data, "quads"):  # a dataset: merge its graphs
        for s, p, o, *_ in data.quads((None, None, None, None)):
            working.add((s, p, o))
    else:
        for triple in data:
            working.add(triple)
    return working


def validate(
    data: Graph,
    *,
    inference: str = "rdfs",
    abort_on_first: bool = False,
) -> ValidationResult:
    """Check ``data`` against the shapes; the graph itself is not modified.

    ``data`` may also be an rdflib ``Dataset`` (all its graphs are checked as
    one) or the path of an RDF file. ``inference`` is passed to pyshacl
    ("rdfs" by default; "none" is faster and, for these shapes, equivalent).
    """
    axioms, schemes, shapes = _validation_inputs()
    working = _as_graph(data)
    working += schemes
    conforms, report, _text = pyshacl.validate(
        working,
        shacl_graph=shapes,
        ont_graph=axioms,
        inference=inference,
        abort_on_first=abort_on_first,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,  # `working` is our own copy
    )
    violations = _read_report(report, shapes)
    return ValidationResult(conforms=bool(conforms), violations=violations, report=report)


# --------------------------------------------------------------------------- #
# Reading the report


def _short(term: URIRef | str) -> str:
    iri = str(term)
    best = ""
    for prefix, namespace in _REPORT_PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(_REPORT_PREFIXES.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{iri[len(_REPORT_PREFIXES[best]):]}"
    return f"<{iri}>"


def _term(graph: Graph, node) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        lexical = '"' + str(node).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if node.language:
            return f"{lexical}@{node.language}"
        if node.datatype is not None:
            return f"{lexical}^^{_short(node.datatype)}"
        return lexical
    if isinstance(node, URIRef):
        return _short(node)
    return _path(graph, node)


def _path(graph: Graph, node) -> str:
    """A SHACL property path in SPARQL-like syntax (kgo:a/kgo:b, ^kgo:a, …)."""
    if isinstance(node, URIRef):
        return _short(node)
    if (node, RDF.first, None) in graph:
        return "/".join(_path(graph, item) for item in Collection(graph, node))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(node, predicate)
        if inner is not None:
            return template.format(_path(graph, inner))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(graph, item) for item in Collection(graph, alternatives)) + ")"
    return "_:" + str(node)[:8]


def _shape(shape, shapes: Graph) -> str:
    """A named node shape for a result: the shape itself or the one owning it."""
    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        owner = shapes.value(predicate=SH.property, object=shape) or shapes.value(
            predicate=SH.sparql, object=shape
        )
        if owner is None:
            break
        shape = owner
    return _short(shape) if isinstance(shape, URIRef) else "_:anonymous"


_ON_SUFFIX = re.compile(r" on (?:<[^>]*>|\S+)->\S+$")
_LITERAL_REPR = re.compile(r'Literal\("((?:[^"\\]|\\.)*)"(?:, (?:datatype|lang)=[^)]*)?\)')
_IRI_IN_TEXT = re.compile(r"<(https?://[^>\s]+)>")


def _message(text: str) -> str:
    text = _ON_SUFFIX.sub("", text.strip())
    text = _LITERAL_REPR.sub(r"\1", text)
    return _IRI_IN_TEXT.sub(lambda m: _short(m.group(1)), text)


_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


def _read_report(report: Graph, shapes: Graph) -> list[Violation]:
    found: set[Violation] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        component = report.value(result, SH.sourceConstraintComponent)
        message = _message(messages[0]) if messages else (_short(component) if component else "")
        found.add(
            Violation(
                focus=_term(report, report.value(result, SH.focusNode)),
                path=_path(report, report.value(result, SH.resultPath))
                if report.value(result, SH.resultPath) is not None
                else "",
                message=message,
                severity=_short(severity).removeprefix("sh:") if severity is not None else "Violation",
                shape=_shape(report.value(result, SH.sourceShape), shapes),
                value=_term(report, report.value(result, SH.value)),
            )
        )
    return sorted(
        found,
        key=lambda v: (_SEVERITY_ORDER.get(v.severity, 9), v.focus, v.path, v.message, v.value),
    )


def format_violations(result: ValidationResult, *, warnings: bool = True) -> str:
    """One line per result: severity, focus node, path, message (and value).
    ``warnings=False`` leaves warnings and infos out."""
    shown = result.violations if warnings else result.errors
    if not shown:
        return ""
    width_severity = max(len(v.severity) for v in shown)
    width_focus = min(60, max(len(v.focus) for v in shown))
    width_path = min(40, max(len(v.path) for v in shown))
    lines = []
    for v in shown:
        message = v.message
        if v.value and v.value not in message and v.value != v.focus:
            message = f"{message} (value {v.value})"
        lines.append(
            f"{v.severity:<{width_severity}}  {v.focus:<{width_focus}}  {v.path or '-':<{width_path}}  {message}"
            f"  [{v.shape}]".rstrip()
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- #
# Builds and files (``kg validate``)

#: the graph a build folder holds, as written by ``kg build``
BUILD_GRAPH = "graph.ttl"
_DATASET_FORMATS = {"nquads", "trig", "trix"}


def load_target(target: str | Path) -> Graph | Dataset:
    """The graph of a build folder (its ``graph.ttl``) or of an RDF file.

    Raises :class:`kg.errors.InputError` for a missing or unreadable path and
    a file that is not RDF, :class:`kg.errors.StoreError` for a folder that
    holds no build: one-line messages a user can act on.
    """
    from rdflib.util import guess_format

    path = Path(target)
    if path.is_dir():
        graph_file = path / BUILD_GRAPH
        if not graph_file.is_file():
            raise StoreError(f"{path}: no kg build here ({BUILD_GRAPH} not found); run `kg build … -o {path}` first")
        path = graph_file
    elif not path.exists():
        raise InputError(f"{path}: no such file or folder")
    fmt = guess_format(str(path)) or "turtle"
    data: Graph | Dataset = Dataset() if fmt in _DATASET_FORMATS else _new_graph()
    try:
        data.parse(path, format=fmt)
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from err
    except Exception as err:  # noqa: BLE001 - rdflib's parsers raise many kinds of errors
        why = getattr(err, "_why", None)  # notation3.BadSyntax: the reason and the line
        if why is not None and getattr(err, "lines", None) is not None:
            reason = f"line {err.lines + 1}: {why}"
        else:
            reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise InputError(f"{path}: not readable as {fmt} ({reason[:200]})") from err
    return data


def validate_target(target: str | Path, *, inference: str = "none") -> tuple[ValidationResult, int]:
    """Validate a build folder or an RDF file: (result, number of triples checked).

    ``inference="none"`` by default: for these shapes it gives the report of
    "rdfs" in about half the time (see :func:`validate`).
    """
    data = load_target(target)
    checked = len(data) if not isinstance(data, Dataset) else sum(1 for _ in data.quads((None, None, None, None)))
    return validate(data, inference=inference), checked
