"""kgo:PolicyIssuance — an organization issues a policy document."""
from kg.extract.events import event_extractor
from kg.extract.registry import register

register("policy")(event_extractor("PolicyIssuance", "policy"))
