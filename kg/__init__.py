"""kg: knowledge graphs from Chinese trade-union news.

The library is usable without the command line::

    from kg.build import build
    report = build(["data/samples"], "output")
"""
__version__ = "0.1.0"
#: bumped whenever extraction output may change; part of the build cache key
PIPELINE_VERSION = "1"
