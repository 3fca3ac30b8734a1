"""Annual report over many cases: ``python -m tests.bench.annual_report_bench [--cases N] [--sqlite]``.

Target (issue 11): the report over 1,000,000 cases on PostgreSQL in at most 2 s. Run the full size with
``--cases 1000000`` (about 10 minutes to populate on 2 cores; the default is 20,000 cases).

Population: ONE disclosure request is registered, answered and archived by the real services; its
``case_file`` row is cloned N−1 times in bulk (on PostgreSQL one ``INSERT … SELECT … generate_series``), each
clone with its own id and tracking number and its own facts in ``case_fact``: applicant types in turn,
legal receipt dates spread over 2024–2026, 85 % closed 0–39 days later in one of the 23 result rows, the
rest still open, and one remedy per 50 cases. The clones carry the template's case data but an empty engine
state: a closed case's engine state is never read by the report, and a million copies would only fill the
disk. Then ``ANALYZE``.

Timed: :func:`app.reports.annual.current` for 2025 (sections 三, 四, 六, the office's texts and the checks),
the way the page and the API compute it, after one untimed warm-up; five runs, the median and the worst
are printed with every SQL statement of one run and its time.

Database: the benchmarks' PostgreSQL database ``bench`` (``BENCH_PG_DB`` to change it; created when missing, its
public schema dropped and recreated); ``--sqlite`` runs on a temporary SQLite file instead (a smoke run, not the
target).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from sqlalchemy import event, func, insert, select, text

from app.extensions import db
from app.models import Case, CaseFact, User
from app.reports import annual
from app.services import cases as case_service
from app.services.history import GENESIS
from tests.helpers import REGISTRATION

from . import setup

YEAR = 2025
RUNS = 5
TARGET_SECONDS = 2.0
APPLICANTS = annual.APPLICANT_COLUMNS
RESULTS = [row for row in annual.ROWS if row.startswith("3.") and row != "3.7"]
CHUNK = 20_000


def template_case(app) -> dict:
    """One request through the real services: registered, answered, delivered, archived."""
    with app.app_context():
        def user(name):
            return db.session.execute(select(User).where(User.username == name)).scalar_one()

        officer = user("officer")
        case = case_service.start_case(officer, "disclosure_request", {**REGISTRATION, "received_on": "2025-03-02"})
        steps = [("officer", {"needs_correction": False}),
                 ("officer", {"handling_action": "draft_reply", "reply_type": "disclosed"}),
                 ("reviewer", {"review_result": "cleared"}), ("head", {"approval": "approve"}),
                 ("officer", {"delivered_by": "email", "delivered_on": "2025-03-20"})]
        for username, data in steps:
            task = case_service.case_tasks(case, open_only=True)[0]
            case = case_service.complete_task(user(username), task.id, data, case.version)
        assert case.status == "archived"
        row = {c.name: getattr(case, c.key) for c in Case.__table__.columns}
        db.session.remove()
        return row


def populate_postgres(app, template: dict, n: int) -> None:
    """Clones by set-based SQL: ``case_file``, then ``case_fact`` and ``remedy`` computed from the clone number."""
    prefix, year, _ = template["tracking_number"].rsplit("-", 2)
    applicants = "ARRAY[" + ",".join(f"'{a}'" for a in APPLICANTS) + "]"
    results = "ARRAY[" + ",".join(f"'{r}'" for r in RESULTS) + "]"
    with app.app_context():
        first = db.session.execute(select(func.max(Case.id))).scalar() + 1
        for start in range(0, n - 1, CHUNK * 10):
            stop = min(start + CHUNK * 10, n - 1)
            db.session.execute(text(f"""
                INSERT INTO case_file (id, process_key, process_version_id, tracking_number, status, department_id,
                    data, engine_state, version, next_wakeup, history_head, history_seq, search_text,
                    created_by_id, created_at, updated_at, completed_at)
                SELECT :first + g, process_key, process_version_id,
                       '{prefix}-{year}-' || lpad((1000000 + g)::text, 7, '0'),
                       CASE WHEN g % 20 < 17 THEN 'archived' ELSE 'active' END, department_id,
                       data, '{{}}'::jsonb, version, NULL, :genesis, 0, '', created_by_id, created_at, updated_at,
                       CASE WHEN g % 20 < 17 THEN completed_at END
                FROM case_file, generate_series(:start, :stop - 1) AS g WHERE case_file.id = :template"""),
                {"first": first, "start": start, "stop": stop, "template": template["id"], "genesis": GENESIS})
            db.session.execute(text(f"""
                INSERT INTO case_fact (case_id, process_key, department_id, status, received_on, closed_on,
                                       result_row, applicant_type, on_time)
                SELECT c.id, c.process_key, c.department_id, c.status, r.received_on,
                       CASE WHEN c.status = 'archived' THEN r.received_on + ((c.id % 40)::int) END,
                       CASE WHEN c.status = 'archived' THEN ({results})[1 + c.id % {len(RESULTS)}] END,
                       ({applicants})[1 + c.id % {len(APPLICANTS)}],
                       CASE WHEN c.status = 'archived' THEN c.id % 10 <> 0 END
                FROM case_file c, LATERAL (SELECT DATE '2024-01-01' + ((c.id::bigint * 7919) % 1096)::int AS received_on) r
                WHERE c.id >= :first + :start AND c.id < :first + :stop"""),
                {"first": first, "start": start, "stop": stop})
            db.session.execute(text("""
                INSERT INTO remedy (case_id, kind, filed_on, body, outcome, decided_on, documents, created_by_id,
                                    created_at, updated_at)
                SELECT f.case_id, (ARRAY['reconsideration','litigation_direct','litigation_after_reconsideration'])
                           [1 + (f.case_id / 50) % 3], f.closed_on + 10, '示范市人民政府',
                       (ARRAY['upheld','corrected','other','pending'])[1 + (f.case_id / 150) % 4],
                       CASE WHEN (f.case_id / 150) % 4 <> 3 THEN f.closed_on + 60 END, '', :officer, now(), now()
                FROM case_fact f WHERE f.closed_on IS NOT NULL AND f.case_id % 50 = 0
                  AND f.case_id >= :first + :start AND f.case_id < :first + :stop"""),
                {"first": first, "start": start, "stop": stop, "officer": template["created_by_id"]})
            db.session.commit()
            print(f"    {stop + 1:>9,} cases", flush=True)
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('case_file', 'id'), (SELECT max(id) FROM case_file))"))
        db.session.commit()
        db.session.remove()
    with app.app_context():  # ANALYZE outside a transaction block
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE case_file, case_fact, remedy"))


def populate_sqlite(app, template: dict, n: int) -> None:
    """The same population with executemany (small sizes: a smoke run)."""
    prefix, year, _ = template["tracking_number"].rsplit("-", 2)
    from datetime import date, timedelta
    with app.app_context():
        first = db.session.execute(select(func.max(Case.id))).scalar() + 1
        base = {k: v for k, v in template.items() if k != "id"}
        for start in range(0, n - 1, CHUNK):
            case_rows, fact_rows = [], []
            for g in range(start, min(start + CHUNK, n - 1)):
                case_id, closed = first + g, g % 20 < 17
                received = date(2024, 1, 1) + timedelta(days=(case_id * 7919) % 1096)
                case_rows.append({**base, "id": case_id, "tracking_number": f"{prefix}-{year}-{1000000 + g:07d}",
                                  "status": "archived" if closed else "active", "engine_state": {},
                                  "history_head": GENESIS, "history_seq": 0, "search_text": "",
                                  "completed_at": template["completed_at"] if closed else None})
                fact_rows.append({"case_id": case_id, "process_key": template["process_key"],
                                  "department_id": template["department_id"],
                                  "status": "archived" if closed else "active", "received_on": received,
                                  "closed_on": received + timedelta(days=case_id % 40) if closed else None,
                                  "result_row": RESULTS[case_id % len(RESULTS)] if closed else None,
                                  "applicant_type": APPLICANTS[case_id % len(APPLICANTS)],
                                  "on_time": case_id % 10 != 0 if closed else None})
            db.session.execute(insert(Case.__table__), case_rows)
            db.session.execute(insert(CaseFact.__table__), fact_rows)
            db.session.commit()
        db.session.remove()


def measure(app) -> dict:
    """Median and worst of :data:`RUNS` timed reports, and the SQL of the last run with each statement's time."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        statements.append((time.perf_counter() - conn.info["started"], statement, parameters))

    with app.app_context():
        annual.current(YEAR)  # warm-up: connection, statement caches
        samples = []
        for _ in range(RUNS):
            statements.clear()
            db.session.remove()
            event.listen(db.engine, "before_cursor_execute", before)
            event.listen(db.engine, "after_cursor_execute", after)
            began = time.perf_counter()
            report = annual.current(YEAR)
            samples.append(time.perf_counter() - began)
            event.remove(db.engine, "before_cursor_execute", before)
            event.remove(db.engine, "after_cursor_execute", after)
        cases = db.session.execute(select(func.count()).select_from(CaseFact)).scalar()
        db.session.remove()
    return {"samples": samples, "statements": list(statements), "report": report, "cases": cases}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.annual_report_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="number of cases (default 20,000; target 1,000,000)")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="banjian-annual-") as tmp:
        app = setup.cloned_app(tmp, sqlite=args.sqlite, n=args.cases, title="Annual report benchmark",
                               template_case=template_case, populate_sqlite=populate_sqlite,
                               populate_postgres=populate_postgres)
        result = measure(app)
        with app.app_context():
            db.engine.dispose()
    samples = result["samples"]
    rows = result["report"].section3
    print(f"\nreport {YEAR} over {result['cases']:,} cases: median {statistics.median(samples) * 1000:.0f} ms, "
          f"worst {max(samples) * 1000:.0f} ms over {RUNS} runs (target ≤ {TARGET_SECONDS:.0f} s on PostgreSQL "
          f"with 1,000,000 cases)")
    print(f"    一 {rows['1']['total']:,}  二 {rows['2']['total']:,}  三（七） {rows['3.7']['total']:,}  "
          f"四 {rows['4']['total']:,}  checks: {', '.join('ok' if c['ok'] else 'FAILED' for c in result['report'].checks)}")
    print("\nSQL of one run:")
    for seconds, statement, parameters in result["statements"]:
        print(f"-- {seconds * 1000:.1f} ms  parameters: {parameters}\n{statement.strip()}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
