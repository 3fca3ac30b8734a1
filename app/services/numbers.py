"""Gapless sequence numbers, allocated inside the caller's transaction.

The counter row is locked (``FOR UPDATE`` on PostgreSQL; SQLite transactions
are already exclusive, see ``app.db_setup``), so two concurrent cases never
get the same number, and a rolled-back command gives its number back.
"""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Counter


def next_number(scope: str, year: int) -> int:
    stmt = select(Counter).where(Counter.scope == scope, Counter.year == year).with_for_update()
    counter = db.session.execute(stmt).scalar_one_or_none()
    if counter is None:
        # First number of the year: another transaction may create the row at
        # the same moment; the savepoint lets us lose that race and re-read.
        try:
            with db.session.begin_nested():
                counter = Counter(scope=scope, year=year, value=0)
                db.session.add(counter)
        except IntegrityError:
            counter = db.session.execute(stmt).scalar_one()
    counter.value += 1
    db.session.flush()
    return counter.value
