"""Where an app task completion spends its time: exclusive wall-clock time per part, on a separate pass.

Chosen functions are wrapped (in memory, for the duration of the pass) with a stack-based timer: each part's
time excludes the parts nested in it, so the parts add up to the whole ``cases.complete_task``.  Database
driver time (``cursor.execute``, which for both drivers also fetches the rows) comes from SQLAlchemy engine
events; the DBAPI COMMIT is inside "ORM commit".
"""
from __future__ import annotations

import contextlib
import time
from collections import defaultdict

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.services import cases, engine_runner, history
from workflows.engine import Engine
from workflows.serialization import StateSerializer

from . import engine_bench

# (owner, attribute, part)
PATCHES = [
    (cases, "complete_task", "service code (complete_task itself)"),
    (cases, "_lock_task", "lock + reload task/case, access check"),
    (cases, "validate_submission", "form validation"),
    (Engine, "load", "engine: load state"),
    (Engine, "complete", "engine: run task + engine steps"),
    (Engine, "_view", "engine: task views"),
    (Engine, "_case_data", "engine: case data"),
    (StateSerializer, "dump", "engine: dump state"),
    (history, "record", "history.record (hash chain)"),
    (engine_runner, "_sync_inbox", "inbox sync (_sync_inbox)"),
    (Session, "_flush", "ORM flush (unit of work)"),  # only flushes with work to do
    (Session, "commit", "ORM commit"),
]
DRIVER = "DB driver (execute/fetch)"
ORDER = [p for *_, p in PATCHES] + [DRIVER]


class Split:
    def __init__(self):
        self.totals = defaultdict(float)
        self.calls = defaultdict(int)
        self.sql = defaultdict(lambda: [0, 0.0])  # "caller: statement" -> [count, seconds]
        self.stack: list = []  # [part, started, child_seconds]

    def enter(self, part):
        self.calls[part] += 1
        self.stack.append([part, time.perf_counter(), 0.0])

    def leave(self):
        part, started, children = self.stack.pop()[:3]
        spent = time.perf_counter() - started
        self.totals[part] += spent - children
        if self.stack:
            self.stack[-1][2] += spent

    def wrap(self, part, fn):
        def timed(*args, **kwargs):
            self.enter(part)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()
        return timed


def statement_key(statement: str) -> str:
    """A short name for a SQL statement: verb, table, joins, FOR UPDATE."""
    words = statement.split()
    verb = words[0].upper()
    if verb == "SELECT":
        upper = [w.upper() for w in words]
        table = words[upper.index("FROM") + 1] if "FROM" in upper else ""
        joins = statement.upper().count(" JOIN ")
        return (f"SELECT {table}" + (f" +{joins} joins" if joins else "")
                + (" FOR UPDATE" if "FOR UPDATE" in statement.upper() else ""))
    return f"{verb} {words[2] if verb in ('INSERT', 'DELETE') else words[1]}" if len(words) > 2 else verb


@contextlib.contextmanager
def instrumented(app, patches=PATCHES):
    """Yield a :class:`Split` collecting times while the block runs (only inside the outermost patch)."""
    split = Split()
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in patches]
    for owner, name, part in patches:
        original = owner.__dict__[name]
        if isinstance(original, staticmethod):
            setattr(owner, name, staticmethod(split.wrap(part, original.__func__)))
        else:
            setattr(owner, name, split.wrap(part, original))
    with app.app_context():
        engine = db.engine

    def before(_conn, _cursor, statement, *_a):
        if split.stack:
            callers = [frame[0] for frame in split.stack]
            caller = next(p for p in reversed(callers) if not p.startswith("ORM flush"))
            flushing = " (flush)" if callers[-1].startswith("ORM flush") else ""
            split.enter(DRIVER)
            split.stack[-1].append(f"{caller}{flushing}: {statement_key(statement)}")

    def after(*_a):
        if split.stack and split.stack[-1][0] == DRIVER:
            key, started = split.stack[-1][3], split.stack[-1][1]
            split.sql[key][0] += 1
            split.sql[key][1] += time.perf_counter() - started
            split.leave()

    listeners = [("before_cursor_execute", before), ("after_cursor_execute", after)]
    for name, fn in listeners:
        event.listen(engine, name, fn)
    try:
        yield split
    finally:
        for name, fn in listeners:
            event.remove(engine, name, fn)
        for owner, name, fn in saved:
            setattr(owner, name, fn)


def run(target, rounds: int) -> dict:
    """For ``rounds`` cases of the engine bench's steps on ``target``, per task completion:
    {"ms": {part: ms}, "statements": SQL statements, "flushes": ORM flushes,
    "sql": {"caller: statement": (count, ms)}}."""
    runners = [engine_bench.AppCase(target.app) for _ in range(rounds)]  # created outside the pass
    with instrumented(target.app) as split:
        for username, spec_name, data in engine_bench.STEPS:
            for runner in runners:
                runner.step(username, spec_name, data)
    tasks = rounds * len(engine_bench.STEPS)
    return {"ms": {part: split.totals[part] * 1000.0 / tasks for part in ORDER if part in split.totals},
            "statements": split.calls[DRIVER] / tasks,
            "flushes": split.calls["ORM flush (unit of work)"] / tasks,
            "sql": {key: (count / tasks, seconds * 1000.0 / tasks) for key, (count, seconds) in split.sql.items()}}
