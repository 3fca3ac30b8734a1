"""Scale benchmark (issue 17): ``python -m tests.bench.scale_bench --scale N [--sqlite] [--runs R]``.

Population: ONE disclosure request is registered, answered and archived by the real services
(:func:`tests.bench.annual_report_bench.template_case`); its ``case_file`` row is cloned N−1 times in bulk
(one ``INSERT … SELECT … generate_series`` per chunk on PostgreSQL), each clone with its own id, tracking
number, applicant (1,000 different two-character names), department (the demo departments in turn), legal
receipt date spread over three years, 90 % closed 0–39 days later (one in ten late), search text and grams,
and its ``case_fact`` row; open clones get a running reply clock, due within the next 20 days or up to 39 days past (two in three). Then ``ANALYZE``.
The clones carry an empty engine state (never read by these endpoints).

Timed through the Flask test client as the demo administrator (every department), after one warm-up each:
department statistics this month / this year / three years (HTML page and CSV), ``/cases?q=<2-character
name>``, the head's overdue list. p50/p95/p99 per endpoint with the issue's targets (at 1,000,000 cases on
PostgreSQL) beside them, and the SQL of the slowest statement of each. Not measured here (say so): the inbox
sorts and deep pages (the clones have no open human tasks).

Database: the benchmarks' PostgreSQL database ``bench`` (``BENCH_PG_DB`` to change it; created when missing, its
public schema dropped and recreated); ``--sqlite`` a temporary SQLite file.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time

from sqlalchemy import event, func, select, text

from app.extensions import db
from app.models import Case, CaseFact, Department
from app.services import search_grams

from . import setup
from .annual_report_bench import template_case

CHUNK = 100_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉春梅宇浩凯峰晨阳欣怡佳琪雪婷"
TARGETS_MS = {"statistics month": 300, "statistics month CSV": 300, "statistics year": 300,
              "statistics 3 years": 1000, "cases ?q=2 characters": 100, "overdue (page 1)": 50}


def name_sql(g: str) -> str:
    return (f"substr('{SURNAMES}', 1 + ({g} % {len(SURNAMES)})::int, 1) || "
            f"substr('{GIVEN}', 1 + (({g} / {len(SURNAMES)}) % {len(GIVEN)})::int, 1)")


def populate_postgres(app, template: dict, n: int) -> None:
    prefix, year, _ = template["tracking_number"].rsplit("-", 2)
    with app.app_context():
        departments = [d for d in db.session.execute(select(Department.id).order_by(Department.id)).scalars()]
        dept_array = "ARRAY[" + ",".join(str(d) for d in departments) + "]"
        first = db.session.execute(select(func.max(Case.id))).scalar() + 1
        for start in range(0, n - 1, CHUNK):
            stop = min(start + CHUNK, n - 1)
            db.session.execute(text(f"""
                INSERT INTO case_file (id, process_key, process_version_id, tracking_number, status, department_id,
                    data, engine_state, version, next_wakeup, history_head, history_seq, search_text, search_grams,
                    created_by_id, created_at, updated_at, completed_at)
                SELECT :first + g, process_key, process_version_id,
                       '{prefix}-{year}-' || lpad((1000000 + g)::text, 8, '0'),
                       CASE WHEN g % 10 < 9 THEN 'archived' ELSE 'active' END, ({dept_array})[1 + g % {len(departments)}],
                       jsonb_set(data, '{{applicant_name}}', to_jsonb({name_sql('g')})), '{{}}'::jsonb, version, NULL,
                       history_head, 0, {name_sql('g')} || ' 申请公开老旧小区改造计划',
                       ARRAY[{name_sql('g')}, substr({name_sql('g')}, 1, 1), substr({name_sql('g')}, 2, 1)]
                           || (SELECT array_agg(x) FROM unnest(ARRAY['申','请','公','开','老','旧','小','区','改','造',
                               '计','划','申请','请公','公开','开老','老旧','旧小','小区','区改','改造','造计','计划']) x),
                       created_by_id, created_at, updated_at, CASE WHEN g % 10 < 9 THEN completed_at END
                FROM case_file, generate_series(:start, :stop - 1) AS g WHERE case_file.id = :template"""),
                {"first": first, "start": start, "stop": stop, "template": template["id"]})
            db.session.execute(text("""
                INSERT INTO case_fact (case_id, process_key, department_id, status, received_on, counted_on, closed_on,
                                       days_to_close, on_time)
                SELECT c.id, c.process_key, c.department_id, c.status, r.day, r.day,
                       CASE WHEN c.status = 'archived' THEN r.day + (c.id % 40)::int END,
                       CASE WHEN c.status = 'archived' THEN (c.id % 40)::int END,
                       CASE WHEN c.status = 'archived' THEN c.id % 10 <> 3 END
                FROM case_file c, LATERAL (SELECT CURRENT_DATE - ((c.id::bigint * 7919) % 1096)::int AS day) r
                WHERE c.id >= :first + :start AND c.id < :first + :stop"""), {"first": first, "start": start, "stop": stop})
            db.session.execute(text("""
                INSERT INTO case_clock (case_id, name, kind, entries, due_date, provisional, state, depends_on_years,
                                        updated_at)
                SELECT c.id, 'reply', 'gio_reply', '[]'::jsonb, CURRENT_DATE + (20 - c.id % 60)::int, false,
                       'running', '[]'::jsonb, now()
                FROM case_file c WHERE c.status = 'active' AND c.id >= :first + :start AND c.id < :first + :stop"""),
                {"first": first, "start": start, "stop": stop})
            db.session.commit()
            print(f"    {stop + 1:>9,} cases", flush=True)
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('case_file', 'id'), (SELECT max(id) FROM case_file))"))
        db.session.commit()
        db.session.remove()
    with app.app_context():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE case_file, case_fact, case_clock"))


def populate_sqlite(app, template: dict, n: int) -> None:
    """Row by row through executemany (SQLite has no generate_series by default); the same shapes."""
    from datetime import date, timedelta
    prefix, year, _ = template["tracking_number"].rsplit("-", 2)
    with app.app_context():
        departments = list(db.session.execute(select(Department.id).order_by(Department.id)).scalars())
        first = db.session.execute(select(func.max(Case.id))).scalar() + 1
        today = date.today()
        base = {k: v for k, v in template.items()}
        for start in range(0, n - 1, CHUNK // 10):
            stop = min(start + CHUNK // 10, n - 1)
            cases, facts_rows, clocks = [], [], []
            for g in range(start, stop):
                case_id, name = first + g, SURNAMES[g % len(SURNAMES)] + GIVEN[(g // len(SURNAMES)) % len(GIVEN)]
                closed = g % 10 < 9
                words = f"{name} 申请公开老旧小区改造计划"
                day = today - timedelta(days=(case_id * 7919) % 1096)
                cases.append({**base, "id": case_id, "tracking_number": f"{prefix}-{year}-{1000000 + g:08d}",
                              "status": "archived" if closed else "active",
                              "department_id": departments[g % len(departments)],
                              "data": {**template["data"], "applicant_name": name}, "engine_state": {},
                              "search_text": words, "search_grams": search_grams.grams(words),
                              "completed_at": template["completed_at"] if closed else None})
                facts_rows.append({"case_id": case_id, "process_key": base["process_key"], "status": cases[-1]["status"],
                                   "department_id": cases[-1]["department_id"], "received_on": day, "counted_on": day,
                                   "closed_on": day + timedelta(days=case_id % 40) if closed else None,
                                   "days_to_close": case_id % 40 if closed else None,
                                   "on_time": (case_id % 10 != 3) if closed else None})
                if not closed:
                    clocks.append({"case_id": case_id, "name": "reply", "kind": "gio_reply", "entries": [],
                                   "due_date": today + timedelta(days=20 - case_id % 60), "provisional": False,
                                   "state": "running", "depends_on_years": []})
            db.session.execute(Case.__table__.insert(), cases)
            db.session.execute(CaseFact.__table__.insert(), facts_rows)
            if clocks:
                from app.models import CaseClock
                db.session.execute(CaseClock.__table__.insert(), clocks)
            db.session.commit()
            print(f"    {stop + 1:>9,} cases", flush=True)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.session.remove()


def endpoints() -> dict[str, str]:
    from datetime import date, timedelta
    today = date.today()
    return {"statistics month": "/statistics?preset=month",
            "statistics month CSV": "/statistics.csv?preset=month",
            "statistics year": "/statistics?preset=year",
            "statistics 3 years": f"/statistics?from={(today - timedelta(days=1095)).isoformat()}&to={today.isoformat()}",
            "cases ?q=2 characters": "/cases?q=" + SURNAMES[3] + GIVEN[7],
            "overdue (page 1)": "/overdue"}


def measure(app, runs: int) -> dict:
    from tests.test_web import login
    client = app.test_client()
    with app.app_context():
        login(client, "admin")
    statements: list = []
    engine_events = {}
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            engine_events["start"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, context, executemany):
            statements.append((time.perf_counter() - engine_events["start"], statement))

    results = {}
    for label, path in endpoints().items():
        response = client.get(path)  # warm-up
        assert response.status_code == 200, (path, response.status_code)
        samples, slowest = [], (0.0, "")
        for _ in range(runs):
            statements.clear()
            began = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - began)
            assert response.status_code == 200
            slowest = max([slowest] + statements, key=lambda s: s[0])
        results[label] = (samples, slowest)
    return results


def percentile(samples, p) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000, help="number of cases (default 10,000)")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per endpoint (default 30)")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="banjian-scale-") as tmp:
        app = setup.cloned_app(tmp, sqlite=args.sqlite, n=args.scale, title="Scale benchmark",
                               template_case=template_case, populate_sqlite=populate_sqlite,
                               populate_postgres=populate_postgres)
        results = measure(app, args.runs)
        with app.app_context():
            db.engine.dispose()
    print(f"\n{'endpoint':<24} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}   target p95 (PG, 1M cases)")
    for name, (samples, _) in results.items():
        print(f"{name:<24} {percentile(samples, 50):>8.1f} {percentile(samples, 95):>8.1f} "
              f"{percentile(samples, 99):>8.1f}   ≤ {TARGETS_MS[name]} ms")
    print("\nslowest SQL statement per endpoint (one run):")
    for name, (_, (seconds, statement)) in results.items():
        print(f"-- {name}: {seconds * 1000:.1f} ms\n{' '.join(statement.split())[:600]}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
