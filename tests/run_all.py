"""`make test`: the whole suite on SQLite, then on PostgreSQL.

PostgreSQL is the production database, so its run is not optional in CI: when
CI=true and the server does not answer, this fails instead of skipping.
Outside CI a missing server is reported and skipped.
"""
import os
import subprocess
import sys

PG_URL = os.environ.get("TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_answers(url: str) -> bool:
    from sqlalchemy import create_engine, text
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception as exc:  # any failure to connect means "not available"
        print(f"PostgreSQL at {url} does not answer: {exc.__class__.__name__}: {exc}".splitlines()[0])
        return False


def pytest(label: str, env: dict) -> int:
    print(f"\n=== test suite on {label} ===", flush=True)
    args = [sys.executable, "-m", "pytest", "-q", "tests", *sys.argv[1:]]
    return subprocess.call(args, env={**os.environ, **env})


def main() -> int:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    os.environ.clear()
    os.environ.update(env)
    status = pytest("SQLite", {})
    if postgres_answers(PG_URL):
        status = pytest("PostgreSQL", {"TEST_DATABASE_URL": PG_URL}) or status
    elif os.environ.get("CI") == "true":
        print("CI=true: the PostgreSQL run is required; failing.")
        return 1
    else:
        print("PostgreSQL run skipped (not in CI).")
    return status


if __name__ == "__main__":
    sys.exit(main())
