"""Banjian benchmarks: ``python -m tests.bench.run [--quick] [--no-postgres]`` (also ``make bench``).

(a) task completion through the service layer (SQLite and PostgreSQL) vs bare SpiffWorkflow, with a
    breakdown of the app's time; (b) reply letter through the app vs bare WeasyPrint; (c) whole cases per
    second through the HTTP API on SQLite; (d) due timers fired per second by one and by two worker
    processes (SQLite and PostgreSQL) among many waiting cases vs bare SpiffWorkflow ``refresh_timers()`` +
    ``do_engine_steps()`` on the same states.  ``--only d`` (or ``--only a --only c``, …) runs some sections.
    Figures only: the exit status does not depend on the targets.
"""
from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time

from . import api_bench, engine_bench, letters_bench, report, setup, split, timer_bench

TASK_RATIO_TARGET = 3.0
LETTER_RATIO_TARGET = 1.2
LETTER_MS_TARGET = 150.0
TIMER_RATIO_TARGET = 3.0
SECTIONS = "abcd"

SIZES = {  # full run: well under 3 minutes on 2 cores (plus about as much for (d)); --quick: seconds of measuring
    False: {"engine_rounds": 50, "split_rounds": 10, "letters": 30, "api_cases": 30,
            "timer_cases": 10_000, "timer_due": 1_000, "timer_split": 200},  # issue 3 §5: 10,000 waiting, 1,000 due
    True: {"engine_rounds": 4, "split_rounds": 2, "letters": 4, "api_cases": 4,
           "timer_cases": 200, "timer_due": 20, "timer_split": 10},
}


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke run, not figures")
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL (SQLite and bare only)")
    parser.add_argument("--only", action="append", choices=list(SECTIONS), default=None,
                        help="run only this section (repeatable): a engine, b letters, c API, d timers")
    return parser.parse_args(argv)


def say(lines) -> None:
    print("\n".join(lines) if isinstance(lines, list) else lines, flush=True)


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    size = SIZES[args.quick]
    sections = "".join(args.only) if args.only else SECTIONS
    began = time.perf_counter()
    say(report.header(args.quick))
    with tempfile.TemporaryDirectory(prefix="banjian-bench-") as tmp:
        targets = setup.targets(tmp, postgres=not args.no_postgres)
        if len(targets) == 1 and not args.no_postgres:
            say("    PostgreSQL part skipped: the server does not answer (see above)")
        try:
            if "a" in sections:
                gc.collect()
                result = engine_bench.run(targets, size["engine_rounds"])
                say([""] + report.engine_table(result, size["engine_rounds"], engine_bench.STEPS,
                                               TASK_RATIO_TARGET))
                splits = {t.label: split.run(t, size["split_rounds"]) for t in targets}
                say(report.split_table(splits) + report.sql_table(splits))

            if "b" in sections:
                say([""] + report.letters_table(letters_bench.run(size["letters"]),
                                                LETTER_RATIO_TARGET, LETTER_MS_TARGET))

            if "c" in sections:
                sqlite = next(t for t in targets if t.label == "SQLite")
                say([""] + report.api_table(api_bench.run(sqlite.app, size["api_cases"])))

            if "d" in sections:
                gc.collect()
                timer_results = [timer_bench.run(t, size["timer_cases"], size["timer_due"],
                                                 split_cases=size["timer_split"]) for t in targets]
                say([""] + report.timers_table(timer_results, TIMER_RATIO_TARGET))
                splits = {r["label"]: r["split"] for r in timer_results}
                say(report.split_table(splits, unit="timer", what="the worker's")
                    + report.sql_table(splits, unit="timer"))
        finally:
            setup.dispose(targets)
    say(f"\nwhole run {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
