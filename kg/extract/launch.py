"""kgo:Launch — an organization launches, holds, runs or develops a program."""
from kg.extract.events import event_extractor
from kg.extract.registry import register

register("launch")(event_extractor("Launch", "launch"))
