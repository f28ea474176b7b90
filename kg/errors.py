"""Errors a user can cause and fix, kept apart from bugs.

The command line turns a ``KgError`` into one line on stderr and a non-zero
exit; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations


class KgError(Exception):
    """A problem with the user's input or set-up, stated so they can act on it."""

    exit_code = 2


class InputError(KgError):
    """An input path or file cannot be used (missing, unreadable, undecodable)."""


class StoreError(KgError):
    """An output folder does not hold a build, or cannot be written."""

    exit_code = 3


class QueryError(KgError):
    """A SPARQL query is malformed or names an unknown canned query."""

    exit_code = 4
