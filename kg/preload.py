"""Imported by the fork server of parallel builds (``kg.distributed.PRELOAD``): one small
document through the whole pipeline loads spaCy, jieba-rs's dictionary and the name and
region tables, so that every worker is forked with them in memory (shared, copy-on-write)
instead of loading them itself (0.7 s each, and their memory once per worker)."""
from kg.build import warm_up

warm_up()
