"""How node types look: one colour and one display name per type.

Shared by every picture of the graph (GraphML/GEXF colours for Gephi, the
Cytoscape export, ``kg viz`` and the ``kg stats --plot`` charts) so a type has
the same colour everywhere.
"""
from __future__ import annotations

#: node type → (r, g, b); colour-blind-friendly where it matters (Okabe–Ito + extras)
COLOURS: dict[str, tuple[int, int, int]] = {
    "TradeUnion": (213, 94, 0),
    "Organization": (230, 159, 0),
    "Region": (0, 158, 115),
    "Program": (0, 114, 178),
    "Policy": (204, 121, 167),
    "Facility": (86, 180, 233),
    "Person": (120, 94, 240),
    "BeneficiaryGroup": (240, 228, 66),
    "Role": (160, 160, 160),
    "Article": (110, 110, 110),
    "Launch": (60, 60, 60),
    "PolicyIssuance": (60, 60, 60),
    "FacilityEstablishment": (60, 60, 60),
    "Membership": (60, 60, 60),
}
OTHER = (150, 150, 150)

#: node type → Chinese display name (legends, filters)
NAMES_ZH: dict[str, str] = {
    "TradeUnion": "工会",
    "Organization": "组织",
    "Region": "地区",
    "Program": "项目",
    "Policy": "政策",
    "Facility": "设施",
    "Person": "人物",
    "BeneficiaryGroup": "受益群体",
    "Role": "职务",
    "Article": "文章",
    "Launch": "启动",
    "PolicyIssuance": "发布",
    "FacilityEstablishment": "设立",
    "Membership": "任职",
}


def colour(kind: str) -> tuple[int, int, int]:
    return COLOURS.get(kind, OTHER)


def hex_colour(kind: str) -> str:
    return "#%02x%02x%02x" % colour(kind)
