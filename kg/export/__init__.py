"""Graph exports: one module per format, each with ``write_<format>(graph, path)``."""
