"""The networkx view of the RDF graph, for analysis and graph exports."""
