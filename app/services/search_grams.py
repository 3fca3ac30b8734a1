"""Short Chinese search terms served by an index: the one- and two-character grams of a case's search text.

Most Chinese names and many search words are two characters; pg_trgm's trigrams cannot serve them and SQLite's
``LIKE`` scans every row. So each case keeps the distinct unigrams and bigrams of its search text
(``case_file.search_grams``): a text array with a GIN index on PostgreSQL, an FTS5 table kept by triggers on
SQLite (migration 0018). A term of one or two characters must be one of them; the substring match stays as
the exact check, so results are the same as a plain scan. Terms never contain whitespace, so grams are taken
within whitespace-separated words only.
"""
from __future__ import annotations

from sqlalchemy import Integer, Text, bindparam, column, text, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY

from ..models import Case

MAX_GRAM = 2  # longer terms are served by pg_trgm on PostgreSQL


def grams(search_text: str) -> list[str]:
    """The distinct, lower-cased unigrams and bigrams of ``search_text``, in a stable order."""
    found = set()
    for word in (search_text or "").lower().split():
        found.update(word)
        found.update(word[i:i + 2] for i in range(len(word) - 1))
    return sorted(found)


def gram_clause(term: str, dialect: str):
    """A clause that the index can serve and that every case containing ``term`` satisfies; None when the
    term is too long for the grams (or has nothing FTS5 would index: punctuation only)."""
    term = term.lower()
    if not term or len(term) > MAX_GRAM:
        return None
    if dialect == "postgresql":
        return type_coerce(Case.search_grams, ARRAY(Text())).contains([term])  # @>, served by the GIN index
    if dialect == "sqlite" and any(ch.isalnum() for ch in term):
        phrase = '"' + term.replace('"', '""') + '"'
        return Case.id.in_(text("SELECT rowid FROM case_search WHERE case_search MATCH :phrase")
                           .bindparams(bindparam("phrase", phrase, unique=True)).columns(column("rowid", Integer)))
    return None
