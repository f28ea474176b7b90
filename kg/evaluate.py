"""Score a built graph against gold facts, by the rules of the gold README.

Predicted facts are read from the store through the ontology contract only
(events with kgo:agent / kgo:object / kgo:place and an article whose
dcterms:source is the page's file name; posts as org:Membership), so the
score measures what a researcher querying the graph would get.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError

TYPES = {"launch": "Launch", "issue_policy": "PolicyIssuance", "build_facility": "FacilityEstablishment"}
GENERIC = {"市总工会", "总工会", "工会", "市总", "县总", "区总", "省总", "县总工会", "区总工会", "省总工会", "镇总工会"}
_PUNCT = re.compile(r"[\s\"'“”‘’《》〈〉()（）\[\]【】「」『』,，.。、;；:：!！?？·…—\-~～/]")
_ADMIN_SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|特别行政区|省|市|县|区|旗|盟|地区|镇|乡|街道)$")

_EVENTS = """
PREFIX kgo: <https://w3id.org/union-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?type ?source ?agentLabel ?objectLabel ?place WHERE {
  ?e a ?type ; kgo:agent ?agent ; kgo:object ?object ; prov:wasDerivedFrom ?article .
  FILTER(?type IN (kgo:Launch, kgo:PolicyIssuance, kgo:FacilityEstablishment))
  ?article dcterms:source ?source .
  { ?agent rdfs:label ?agentLabel } UNION { ?agent skos:altLabel ?agentLabel }
  { ?object rdfs:label ?objectLabel } UNION { ?object skos:altLabel ?objectLabel }
  OPTIONAL { ?e kgo:place ?place }
}
"""
_PLACES = """
PREFIX kgo: <https://w3id.org/union-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?place ?label WHERE { ?place kgo:partOf* ?r . ?r rdfs:label ?label FILTER(lang(?label) = "zh") }
"""
_POSTS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?m ?source ?person ?orgLabel WHERE {
  ?m a org:Membership ; org:member ?p ; org:organization ?o ; prov:wasDerivedFrom ?article .
  ?article dcterms:source ?source .
  ?p rdfs:label ?person FILTER(lang(?person) = "zh")
  { ?o rdfs:label ?orgLabel } UNION { ?o skos:altLabel ?orgLabel }
}
"""


def norm(text: str | None) -> str:
    if not text:
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text)).lower()


def agent_match(predicted: set[str], gold: list[str]) -> bool:
    for g in filter(None, map(norm, gold)):
        for p in predicted:
            if p == g:
                return True
            short, long_ = sorted((p, g), key=len)
            if long_.endswith(short) and len(short) >= 4 and short not in GENERIC:
                return True
    return False


def _bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)]


def object_match(predicted: set[str], gold: list[str]) -> bool:
    for g in filter(None, map(norm, gold)):
        for p in predicted:
            if p == g:
                return True
            short, long_ = sorted((p, g), key=len)
            if short and short in long_ and len(short) * 2 >= len(long_):
                return True
            a, b = _bigrams(p), _bigrams(g)
            if a and b:
                common = sum(min(a.count(x), b.count(x)) for x in set(a))
                if 2 * common / (len(a) + len(b)) >= 0.6:
                    return True
    return False


def region_name(text: str) -> str:
    return _ADMIN_SUFFIX.sub("", norm(text))


@dataclass
class Score:
    predicted: int = 0
    gold: int = 0
    matched_predicted: int = 0
    matched_gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "predicted": self.predicted, "gold": self.gold, "matched": self.matched_gold}


@dataclass
class Evaluation:
    by_type: dict[str, Score] = field(default_factory=dict)
    events: Score = field(default_factory=Score)
    posts: Score = field(default_factory=Score)
    region_total: int = 0
    region_correct: int = 0
    misses: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)  # predicted events no gold fact matched
    spurious_posts: list[dict] = field(default_factory=list)  # predicted posts no gold fact matched
    wrong_places: list[tuple[dict, str | None]] = field(default_factory=list)  # matched, wrong region

    @property
    def region_accuracy(self) -> float:
        return self.region_correct / self.region_total if self.region_total else 0.0

    def as_dict(self) -> dict:
        return {
            "events": self.events.as_dict(),
            **{t: s.as_dict() for t, s in self.by_type.items()},
            "hold_post": self.posts.as_dict(),
            "region_accuracy": round(self.region_accuracy, 4),
            "region_checked": self.region_total,
        }


def read_gold(path: str | Path) -> list[dict]:
    facts = []
    try:
        handle = Path(path).open(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot read the gold file ({err.strerror})") from err
    with handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    facts.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise InputError(f"{path}:{number}: not valid JSON ({err.msg})") from err
    return facts


def evaluate(store: ox.Store, gold: list[dict]) -> Evaluation:
    pages = {g["doc"] for g in gold}
    events: dict[str, dict] = {}
    for row in store.query(_EVENTS):
        doc = row["source"].value.rsplit(".", 1)[0]
        if doc not in pages:
            continue
        e = events.setdefault(row["e"].value, {"doc": doc, "type": row["type"].value.rsplit("#", 1)[1],
                                               "agent": set(), "object": set(), "place": None})
        e["agent"].add(norm(row["agentLabel"].value))
        e["object"].add(norm(row["objectLabel"].value))
        if row["place"] is not None:
            e["place"] = row["place"].value
    place_labels: dict[str, set[str]] = defaultdict(set)
    for row in store.query(_PLACES):
        place_labels[row["place"].value].add(region_name(row["label"].value))
    posts: dict[str, dict] = {}
    for row in store.query(_POSTS):
        doc = row["source"].value.rsplit(".", 1)[0]
        if doc in pages:
            p = posts.setdefault(row["m"].value, {"doc": doc, "person": norm(row["person"].value), "org": set()})
            p["org"].add(norm(row["orgLabel"].value))

    result = Evaluation(by_type={t: Score() for t in TYPES})
    used: set[str] = set()
    for g in gold:
        if g["type"] == "hold_post":
            continue
        score = result.by_type[g["type"]]
        score.gold += 1
        for key, e in events.items():
            if key in used or e["doc"] != g["doc"] or e["type"] != TYPES[g["type"]]:
                continue
            if agent_match(e["agent"], [g["agent"], *g.get("agent_aliases", [])]) and object_match(
                    e["object"], [g["object"], *(g.get("object_aliases") or [])]):
                used.add(key)
                score.matched_gold += 1
                if g.get("region"):
                    result.region_total += 1
                    if e["place"] and region_name(g["region"]) in place_labels.get(e["place"], set()):
                        result.region_correct += 1
                    else:
                        result.wrong_places.append((g, e["place"]))
                break
        else:
            result.misses.append(g)
    for e in events.values():
        result.by_type[{v: k for k, v in TYPES.items()}[e["type"]]].predicted += 1
    for key, e in events.items():
        if key in used:
            result.by_type[{v: k for k, v in TYPES.items()}[e["type"]]].matched_predicted += 1
        else:
            result.spurious.append(e)
    for s in result.by_type.values():
        for attr in ("predicted", "gold", "matched_predicted", "matched_gold"):
            setattr(result.events, attr, getattr(result.events, attr) + getattr(s, attr))
    used_posts: set[str] = set()
    for g in gold:
        if g["type"] != "hold_post":
            continue
        result.posts.gold += 1
        for key, p in posts.items():
            if key in used_posts or p["doc"] != g["doc"] or p["person"] != norm(g["person"]):
                continue
            if agent_match(p["org"], [g["org"]]):
                used_posts.add(key)
                result.posts.matched_gold += 1
                result.posts.matched_predicted += 1
                break
        else:
            result.misses.append(g)
    result.posts.predicted = len(posts)
    result.spurious_posts = [p for key, p in posts.items() if key not in used_posts]
    return result
