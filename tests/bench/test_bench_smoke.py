"""Keep the benchmark code from rotting: every benchmark function once or twice, and its report lines.

No timing is asserted (only that figures are positive).  The app runs on its own SQLite file, even when
TEST_DATABASE_URL points the suite at PostgreSQL; the ``test`` database is never touched.  The PostgreSQL
variants of (a) and (d) reset the separate ``bench`` database, so they run only when asked for (BENCH_SMOKE_PG=1).
"""
import os

import pytest

from app.extensions import db
from app.models import Case

from . import api_bench, engine_bench, letters_bench, report, setup, split, timer_bench


@pytest.fixture(scope="module")
def sqlite_target(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bench")
    target = setup.Target("SQLite", setup.build_app(setup.sqlite_url(directory)), setup.sqlite_url(directory))
    yield target
    setup.dispose([target])


def _positive(samples):
    return bool(samples) and all(seconds > 0 for seconds in samples)


def test_engine_bench_times_app_and_bare_completions(sqlite_target):
    result = engine_bench.run([sqlite_target], rounds=1)
    assert set(result["samples"]) == {"SQLite", "bare"}
    for label, samples in result["samples"].items():
        assert len(samples) == len(engine_bench.STEPS) and _positive(samples), label
    assert report.engine_table(result, 1, engine_bench.STEPS, 3.0)


def test_split_attributes_the_app_time_to_parts(sqlite_target):
    result = split.run(sqlite_target, rounds=1)
    assert sum(result["ms"].values()) > 0 and result["ms"]["engine: load state"] > 0
    assert result["statements"] > 0 and result["flushes"] > 0
    assert any(": SELECT case_file" in key for key in result["sql"])
    assert report.split_table({"SQLite": result}) and report.sql_table({"SQLite": result})
    # The instrumentation is removed afterwards.
    from app.services import cases
    assert cases.complete_task.__module__ == "app.services.cases"
    assert cases.complete_task.__qualname__ == "complete_task"


def test_letters_bench_renders_through_the_app_and_bare_weasyprint(monkeypatch):
    monkeypatch.setattr(letters_bench, "WARMUP", 0)
    samples = letters_bench.run(rounds=1)
    assert all(_positive(samples[key]) for key in ("app", "bare", "html"))
    assert report.letters_table(samples, 1.2, 150.0)


def test_api_bench_runs_a_whole_case(sqlite_target):
    result = api_bench.run(sqlite_target.app, n_cases=1, warmup=0)
    assert result["cases"] == 1 and result["seconds"] > 0 and _positive(result["per_case"])
    assert report.api_table(result)


def _timer_figures(result):
    assert result["one"]["fired"] == result["two"]["fired"] == result["due"]
    assert result["bare"]["fired"] == result["due"]
    assert all(result[key]["seconds"] > 0 for key in ("one", "two"))
    assert result["bare"]["steps_seconds"] > 0 and result["bare"]["load_dump_seconds"] > 0
    assert len(result["two"]["per_worker"]) == 2
    return report.timers_table([result], 3.0)


def test_timer_bench_fires_each_due_timer_once_with_one_and_two_workers(sqlite_target):
    result = timer_bench.run(sqlite_target, n_cases=12, n_due=3)  # checks exactly-once itself
    assert _timer_figures(result)


def test_timer_bench_check_notices_a_touched_case(tmp_path):
    app = setup.build_app(setup.sqlite_url(tmp_path))
    try:
        population = timer_bench.populate(app, 4)
        timer_bench.verify(app, population, set())  # cloned and untouched: passes
        with app.app_context():
            case = db.session.get(Case, population["ids"][-1])
            case.version += 1
            db.session.commit()
        with pytest.raises(AssertionError, match="was touched"):
            timer_bench.verify(app, population, set())
    finally:
        setup.dispose([setup.Target("SQLite", app, "")])


@pytest.mark.skipif(os.environ.get("BENCH_SMOKE_PG") != "1",
                    reason="resets the separate PostgreSQL 'bench' database; set BENCH_SMOKE_PG=1 to run")
def test_timer_bench_on_postgres():
    url = setup.postgres_url()
    if url is None:
        pytest.skip("PostgreSQL does not answer")
    target = setup.Target("PostgreSQL", setup.build_app(url), url)
    try:
        assert _timer_figures(timer_bench.run(target, n_cases=12, n_due=3))
    finally:
        setup.dispose([target])


@pytest.mark.skipif(os.environ.get("BENCH_SMOKE_PG") != "1",
                    reason="resets the separate PostgreSQL 'bench' database; set BENCH_SMOKE_PG=1 to run")
def test_engine_bench_on_postgres():
    url = setup.postgres_url()
    if url is None:
        pytest.skip("PostgreSQL does not answer")
    target = setup.Target("PostgreSQL", setup.build_app(url), url)
    try:
        result = engine_bench.run([target], rounds=1)
        assert _positive(result["samples"]["PostgreSQL"])
    finally:
        setup.dispose([target])


def test_annual_report_bench_populates_and_times_the_report(sqlite_target):
    from . import annual_report_bench
    template = annual_report_bench.template_case(sqlite_target.app)
    annual_report_bench.populate_sqlite(sqlite_target.app, template, 200)
    result = annual_report_bench.measure(sqlite_target.app)
    assert result["cases"] >= 200 and _positive(result["samples"])
    assert any("FROM case_fact" in statement for _, statement, _ in result["statements"])
    assert all(check["ok"] for check in result["report"].checks)
