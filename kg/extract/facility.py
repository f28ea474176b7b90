"""kgo:FacilityEstablishment — an organization sets up a facility, station or body."""
from kg.extract.events import event_extractor
from kg.extract.registry import register

register("facility")(event_extractor("FacilityEstablishment", "facility"))
