"""(d) Due timers fired per second: the worker (one process, two processes) vs bare SpiffWorkflow in memory.

Population: ONE disclosure request is registered and passed through the completeness check by the real
services, so it waits in 检索并拟办答复 with its boundary timers armed (reminder, overdue).  Its rows —
``case_file``, ``human_task``, ``case_clock`` and the hash-chained ``case_event`` history — are then
cloned in bulk (executemany) to reach N cases: every engine task id is renamed per clone (the inbox row's
key is the engine's task id), the tracking numbers continue the real counter, and each clone's history
chain is rehashed for its own case id, so ``verify_history`` accepts every clone.

Two disjoint batches of the clones are made due the way ``tests/test_worker.py::age_timers`` does it, in
bulk: the reminder timer's fire time and the case's next wake-up move into the past.  The first batch is
fired by one worker process, the second by two worker processes started together on the same database.
The worker processes run ``timers.run_once()`` (what ``flask --app app worker --once`` runs), after an
untimed warm-up (app, connection, parsed process definition — what a long-running worker already has).
Afterwards every due case must have exactly one ``timer_fired`` event and one reminder per member of the
handler lane, still be waiting in its open task, and every other case must be untouched.

Bare: the same stored states of the second batch, deserialized (untimed) into ``BpmnWorkflow`` objects with
the app's serializer, spec and restricted script engine (the BPMN's expressions need its functions), a
service dispatcher that does nothing; timed: ``refresh_timers()`` + ``do_engine_steps()`` per workflow.
A second bare figure adds loading and dumping the state, the engine's whole share of the worker's job.
"""
from __future__ import annotations

import copy
import gc
import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import Text, bindparam, cast, func, insert, select, type_coerce, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Case, CaseClock, CaseEvent, Counter, Department, HumanTask, Notification, User, UserRole
from app.services import cases, clocks, engine_runner, history, notifications, processes, timers
from app.services.history import GENESIS
from tests.helpers import REGISTRATION, office_today
from workflows.engine import Engine
from workflows.serialization import StateSerializer
from workflows.services import make_dispatcher

from . import setup, split

PROCESS = "disclosure_request"
TIMER = "remind_handle"  # the handler's reminder: a non-interrupting boundary timer on 检索并拟办答复
LONG_AGO = "2020-01-01T00:00:00+00:00"
WAITING = 8  # SpiffWorkflow TaskState.WAITING
UUID = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
CHUNK = 500
ROOT = Path(__file__).resolve().parents[2]


# -- population ---------------------------------------------------------------
def _template(officer: User) -> int:
    """One real case through the services, waiting in the handling task with its timers armed."""
    case = cases.start_case(officer, PROCESS, {**REGISTRATION, "received_on": office_today()})
    task_id = db.session.execute(select(HumanTask.id).where(
        HumanTask.case_id == case.id, HumanTask.state == "ready")).scalar_one()
    case = cases.complete_task(officer, task_id, {"needs_correction": False}, case.version)
    waiting = [t for t in case.engine_state["tasks"].values() if t["task_spec"] == TIMER and t["state"] == WAITING]
    assert len(waiting) == 1 and case.next_wakeup is not None, "template case does not wait on its reminder"
    return case.id


class Renamer:
    """A JSON text whose UUIDs (engine task ids) and tracking number get per-clone values."""

    def __init__(self, value, tracking_number: str):
        self.parts = UUID.split(json.dumps(value, ensure_ascii=False))  # odd indexes: the UUIDs
        self.tracking_number = tracking_number

    def text(self, clone: int, tracking_number: str) -> str:
        # A UUID's last 12 hex digits become the clone's number: the first 20 digits, random per task,
        # keep tasks of one case apart, the suffix keeps clones apart.
        suffix = f"{clone:012x}"
        text = "".join(p if i % 2 == 0 else p[:24] + suffix for i, p in enumerate(self.parts))
        return text.replace(self.tracking_number, tracking_number)

    def __call__(self, clone: int, tracking_number: str):
        return json.loads(self.text(clone, tracking_number))


def json_text_param(name: str, dialect: str):
    """A bound parameter carrying ready-made JSON text into a JSON (SQLite) / JSONB (PostgreSQL) column.

    The engine states are the bulk of the bytes: decoding each clone's text only for the column type to
    encode it again would double the population time.
    """
    param = type_coerce(bindparam(name), Text)
    return cast(param, JSONB) if dialect == "postgresql" else param


def rename_uuid(value: str | None, clone: int) -> str | None:
    return value[:24] + f"{clone:012x}" if value else value


def _rows(table, where) -> list[dict]:
    return [dict(r._mapping) for r in db.session.execute(select(table).where(where))]


def populate(app, n_cases: int) -> dict:
    """The template case plus ``n_cases - 1`` clones.

    {"ids": ascending case ids, "version" and "history_seq": every case's, "lane_size": reminders per timer}."""
    with app.app_context():
        officer = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
        template_id = _template(officer)
        tables = {"case": Case.__table__, "task": HumanTask.__table__, "clock": CaseClock.__table__,
                  "event": CaseEvent.__table__}
        case_row = _rows(tables["case"], tables["case"].c.id == template_id)[0]
        tasks = _rows(tables["task"], tables["task"].c.case_id == template_id)
        ledger = _rows(tables["clock"], tables["clock"].c.case_id == template_id)
        events = sorted(_rows(tables["event"], tables["event"].c.case_id == template_id), key=lambda e: e["seq"])
        template_tn = case_row["tracking_number"]
        prefix, year, seq = template_tn.rsplit("-", 2)
        first_seq = int(seq) + 1
        renamers = {key: Renamer(case_row[key], template_tn) for key in ("engine_state", "data")}
        event_renamers = [Renamer(e["payload"], template_tn) for e in events]
        first_id = db.session.execute(select(func.max(Case.id))).scalar() + 1
        ids = [template_id]
        for start in range(0, n_cases - 1, CHUNK):
            case_rows, task_rows, clock_rows, event_rows = [], [], [], []
            for clone in range(start + 1, min(start + CHUNK, n_cases - 1) + 1):
                case_id = first_id + clone - 1
                tn = f"{prefix}-{year}-{first_seq + clone - 1:06d}"
                data = renamers["data"](clone, tn)
                row = {**case_row, "id": case_id, "tracking_number": tn, "data": data,
                       "engine_state_text": renamers["engine_state"].text(clone, tn)}
                del row["engine_state"]
                row["search_text"] = engine_runner.search_text(SimpleNamespace(tracking_number=tn, data=data))
                prev = GENESIS
                for event, renamer in zip(events, event_renamers):
                    clone_event = {**event, "case_id": case_id, "task_id": rename_uuid(event["task_id"], clone),
                                   "summary": event["summary"].replace(template_tn, tn),
                                   "payload": renamer(clone, tn), "prev_hash": prev}
                    clone_event.pop("id")
                    clone_event["hash"] = prev = history._digest(SimpleNamespace(**clone_event))
                    event_rows.append(clone_event)
                row["history_head"] = prev
                row["seal"] = history.case_seal(SimpleNamespace(id=case_id, status=row["status"],
                                                                history_head=prev, data=data))
                case_rows.append(row)
                task_rows += [{**t, "id": rename_uuid(t["id"], clone), "case_id": case_id} for t in tasks]
                clock_rows += [{k: v for k, v in {**c, "case_id": case_id}.items() if k != "id"} for c in ledger]
                ids.append(case_id)
            db.session.execute(insert(tables["case"]).values(
                engine_state=json_text_param("engine_state_text", db.engine.dialect.name)), case_rows)
            db.session.execute(insert(tables["task"]), task_rows)
            db.session.execute(insert(tables["clock"]), clock_rows)
            db.session.execute(insert(tables["event"]), event_rows)
            db.session.commit()
        # The real counter continues after the clones; PostgreSQL's id sequence too (ids were given).
        counter = db.session.execute(select(Counter).where(Counter.scope == prefix, Counter.year == int(year))
                                     ).scalar_one_or_none()
        if counter is not None:
            counter.value = first_seq + n_cases - 2
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('case_file', 'id'), "
                                       "(SELECT max(id) FROM case_file))"))
        db.session.commit()
        # Who the reminder must reach, counted independently of the notification code it checks: the seed's
        # grant of the handling lane (a role in one department), applied to the users directly.
        from app.seed import LANES
        ((role, department),) = LANES[PROCESS]["承办"]
        lane_size = len(db.session.execute(
            select(User.id).join(UserRole, UserRole.user_id == User.id).join(Department)
            .where(User.active.is_(True), UserRole.role == role, Department.code == department)).all())
        assert lane_size > 0
        db.session.remove()
    return {"ids": ids, "version": case_row["version"], "history_seq": case_row["history_seq"],
            "lane_size": lane_size}


def aged(state: dict) -> dict:
    """``state`` with the reminder's fire time in the past (as ``age_timers`` in tests/test_worker.py)."""
    state = copy.deepcopy(state)
    count = 0
    for task in state["tasks"].values():
        if task["task_spec"] == TIMER and task["state"] == WAITING and "event_value" in task["internal_data"]:
            task["internal_data"]["event_value"] = LONG_AGO
            count += 1
    assert count == 1, f"expected one waiting {TIMER}, found {count}"
    return state


def make_due(app, ids: list[int]) -> list[dict]:
    """Move the batch's reminders and wake-ups into the past; returns the aged states (for the bare run)."""
    table = Case.__table__
    states = []
    with app.app_context():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            rows = db.session.execute(select(table.c.id, table.c.engine_state).where(table.c.id.in_(chunk))).all()
            params = [{"b_id": row.id, "b_state": aged(row.engine_state),
                       "b_wakeup": datetime.fromisoformat(LONG_AGO)} for row in rows]
            db.session.execute(update(table).where(table.c.id == bindparam("b_id")).values(
                engine_state=bindparam("b_state"), next_wakeup=bindparam("b_wakeup")), params)
            db.session.commit()
            states += [p["b_state"] for p in params]
        db.session.remove()
    return states


# -- the worker, in its own processes --------------------------------------------
def worker_main(url: str) -> None:
    """Subprocess: warm up, say ``ready``, wait for ``go`` on stdin, run ``timers.run_once()``, report."""
    from app import create_app
    app = create_app({**setup.CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        processes.definition(processes.latest(PROCESS))  # parse the BPMN once, as a running worker has
        backend = (db.session.execute(db.text("SELECT pg_backend_pid()")).scalar()
                   if db.engine.dialect.name == "postgresql" else "")
        db.session.rollback()
        print(f"ready {backend}", flush=True)
        sys.stdin.readline()
        began, cpu = time.perf_counter(), time.process_time()
        fired = timers.run_once()
        print(f"fired {fired} in {time.perf_counter() - began:.6f} cpu {time.process_time() - cpu:.6f}", flush=True)


def run_workers(url: str, count: int, timeout: float = 600) -> dict:
    """Start ``count`` worker processes, release them together.

    {"fired", "seconds" (wall, until the last one reported), "per_worker": [(fired, seconds, cpu seconds)],
    "load": the 1-minute load average before (the machine may be shared), "server_cpu": CPU seconds of the
    workers' PostgreSQL backends when they run on this machine, else None}."""
    load = os.getloadavg()[0]
    cmd = [sys.executable, "-m", "tests.bench.timer_bench", "--worker", url]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(count)]
    try:
        backends = []
        for proc in procs:
            line = proc.stdout.readline()
            if not line.startswith("ready"):
                raise RuntimeError(f"worker did not start: {line!r} {proc.stderr.read()[-2000:]}")
            backends.append(line.split()[1] if len(line.split()) > 1 else None)
        server_cpu = [_cpu_seconds(pid) for pid in backends]
        began = time.perf_counter()
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        # Wall time until the last worker reported (its interpreter's shutdown is not the worker's job).
        reports = [proc.stdout.readline() for proc in procs]
        seconds = time.perf_counter() - began
        server_cpu = [_cpu_seconds(pid) - before if before is not None else None
                      for pid, before in zip(backends, server_cpu)]
        outputs = [proc.communicate(timeout=timeout) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    per_worker = []
    for proc, report, (_out, err) in zip(procs, reports, outputs):
        if proc.returncode != 0 or not report.startswith("fired "):
            raise RuntimeError(f"worker failed ({proc.returncode}): {report!r} {err[-2000:]}")
        words = report.split()[1:]
        per_worker.append((int(words[0]), float(words[2]), float(words[4])))
    server = None if None in server_cpu else sum(server_cpu)
    return {"fired": sum(w[0] for w in per_worker), "seconds": seconds, "per_worker": per_worker, "load": load,
            "server_cpu": server}


def _cpu_seconds(pid: str | None) -> float | None:
    """CPU seconds used so far by a local process (a PostgreSQL backend); None when it cannot be read."""
    try:
        fields = Path(f"/proc/{int(pid)}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (TypeError, ValueError, OSError, IndexError):
        return None


# -- checks -----------------------------------------------------------------------
def verify(app, population: dict, fired_ids: set) -> None:
    """Each due timer fired exactly once (history, reminders), the rest untouched; a few chains verified."""
    ids = population["ids"]  # ascending: the template, then its clones (other benchmarks' cases come before)
    with app.app_context():
        timer_events = dict(db.session.execute(select(CaseEvent.case_id, func.count()).where(
            CaseEvent.type == "timer_fired", CaseEvent.case_id.between(ids[0], ids[-1]))
            .group_by(CaseEvent.case_id)).all())
        reminders = dict(db.session.execute(select(Notification.case_id, func.count()).where(
            Notification.kind == "reminder", Notification.case_id.between(ids[0], ids[-1]))
            .group_by(Notification.case_id)).all())
        open_tasks = dict(db.session.execute(select(HumanTask.case_id, func.count()).where(
            HumanTask.state == "ready", HumanTask.spec_name == "handle", HumanTask.case_id.between(ids[0], ids[-1]))
            .group_by(HumanTask.case_id)).all())
        rows = {r.id: r for r in db.session.execute(select(Case.id, Case.version, Case.history_seq, Case.next_wakeup)
                                                    .where(Case.id.between(ids[0], ids[-1])))}
        now = datetime.now(timezone.utc)
        assert set(timer_events) == fired_ids, "timer_fired events on other cases than the due ones"
        assert set(timer_events.values()) <= {1}, "a due timer fired more than once"
        assert set(reminders) == fired_ids and set(reminders.values()) <= {population["lane_size"]}, \
            "reminders missing, duplicated, or sent for cases that were not due"
        for case_id in ids:
            row = rows[case_id]
            assert open_tasks.get(case_id) == 1, f"case {case_id} lost its open handling task"
            if case_id in fired_ids:
                assert row.version == population["version"] + 1 and row.next_wakeup > now, case_id
            else:
                assert row.version == population["version"], f"case {case_id} was touched"
                assert row.history_seq == population["history_seq"], f"case {case_id} has new history"
        sample = sorted(fired_ids)[:3] + [i for i in ids if i not in fired_ids][-3:]
        for case_id in sample:
            assert not history.verify_case(db.session.get(Case, case_id)), f"history chain of case {case_id}"
        db.session.remove()


# -- bare SpiffWorkflow -------------------------------------------------------------
def bare(app, states: list[dict]) -> dict:
    """Fire the same due timers on the same states in memory; seconds for steps only, and with load + dump."""
    with app.app_context():
        definition = processes.definition(processes.latest(PROCESS))
    engine = engine_runner.ENGINE
    calls: list = []
    noop = {"notify": lambda call: {"notified": 0}}

    def load(state):
        workflow = engine.load(definition, state)
        workflow.script_engine.service_dispatcher = make_dispatcher(noop, calls)
        return workflow

    for state in states[:20]:  # untimed warm-up: first-use code paths, compiled expressions
        workflow = load(state)
        workflow.refresh_timers()
        workflow.do_engine_steps()
        engine.serializer.dump(workflow)
    calls.clear()
    workflows = [load(state) for state in states]
    gc.collect()
    began = time.perf_counter()
    for workflow in workflows:
        workflow.refresh_timers()
        workflow.do_engine_steps()
    steps = time.perf_counter() - began
    assert len(calls) == len(states) and {c.task_name for c in calls} == {"notify_reminder"}, \
        "bare: the due reminders did not fire exactly once each"
    calls.clear()
    began = time.perf_counter()
    for state in states:
        workflow = load(state)
        workflow.refresh_timers()
        workflow.do_engine_steps()
        engine.serializer.dump(workflow)
    with_state = time.perf_counter() - began
    assert len(calls) == len(states)
    return {"fired": len(states), "steps_seconds": steps, "load_dump_seconds": with_state}


# (owner, attribute, part): what split.instrumented times, exclusively, inside ``timers.run_once``.
PATCHES = [
    (timers, "fire_batch", "worker: batch transaction (commit)"),
    (timers, "claim_due", "worker: claim (SELECT … FOR UPDATE SKIP LOCKED)"),
    (timers, "fire_case", "worker: fire_case itself"),
    (engine_runner, "apply", "apply the report (state, data, search text)"),
    (Engine, "load", "engine: load state"),
    (Engine, "fire_timers", "engine: refresh_timers"),
    (Engine, "_advance", "engine: do_engine_steps + report"),
    (Engine, "_view", "engine: task views"),
    (Engine, "_case_data", "engine: case data"),
    (StateSerializer, "dump", "engine: dump state"),
    (notifications, "notify_lane", "notify handler: lane members, notifications"),
    (history, "record", "history.record (hash chain)"),
    (engine_runner, "_sync_inbox", "inbox sync (_sync_inbox)"),
    (clocks, "sync_task_due_dates", "task due dates (clocks)"),
    (Session, "_flush", "ORM flush (unit of work)"),
    (Session, "commit", "ORM commit"),
]


def breakdown(target, ids: list[int]) -> dict:
    """Where the worker's time goes: ``timers.run_once()`` in this process over a due batch, instrumented
    like (a)'s split; same shape as ``split.run`` per timer fired."""
    make_due(target.app, ids)
    with target.app.app_context():
        processes.definition(processes.latest(PROCESS))
        db.session.rollback()
        with split.instrumented(target.app, PATCHES) as parts:
            fired = timers.run_once()
        db.session.remove()
    assert fired == len(ids), (fired, len(ids))
    return {"ms": {part: parts.totals[part] * 1000.0 / fired for *_, part in PATCHES + [(split.DRIVER,)]
                   if part in parts.totals},
            "statements": parts.calls[split.DRIVER] / fired,
            "flushes": parts.calls["ORM flush (unit of work)"] / fired,
            "sql": {key: (count / fired, seconds * 1000.0 / fired) for key, (count, seconds) in parts.sql.items()}}


# -- the section ----------------------------------------------------------------------
def run(target, n_cases: int, n_due: int, two_workers: bool = True, split_cases: int = 0) -> dict:
    """Populate, fire a due batch with one worker and another with two, run bare; all checked.

    With ``split_cases``, a third batch of that many is fired in this process, instrumented (``breakdown``).
    """
    assert 2 * n_due <= n_cases, "two disjoint due batches must fit among the cases"
    began = time.perf_counter()
    population = populate(target.app, n_cases)
    populate_seconds = time.perf_counter() - began
    ids = population["ids"]
    step = len(ids) // (2 * n_due) if n_due else 1  # spread the due cases over the id range
    one_batch = ids[0::step][:n_due]
    two_batch = ids[step // 2::step][:n_due] if step > 1 else ids[n_due:2 * n_due]
    assert not set(one_batch) & set(two_batch)
    result = {"label": target.label, "cases": n_cases, "due": n_due, "populate_seconds": populate_seconds}

    make_due(target.app, one_batch)
    result["one"] = run_workers(target.url, 1)
    assert result["one"]["fired"] == n_due, result["one"]
    verify(target.app, population, set(one_batch))

    states = make_due(target.app, two_batch)
    if two_workers:
        result["two"] = run_workers(target.url, 2)
        assert result["two"]["fired"] == n_due, result["two"]
        verify(target.app, population, set(one_batch) | set(two_batch))
    result["bare"] = bare(target.app, states)
    if split_cases:
        used = set(one_batch) | set(two_batch)
        rest = [i for i in ids if i not in used]
        third = rest[::max(1, len(rest) // split_cases)][:split_cases]
        result["split"] = breakdown(target, third)
        verify(target.app, population, used | set(third))
    return result


def main(argv) -> int:
    if argv[:1] == ["--worker"]:
        worker_main(argv[1])
        return 0
    print("usage: run by tests.bench.run (section d); --worker URL is its worker process", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
