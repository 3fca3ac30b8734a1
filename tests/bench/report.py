"""Printing the benchmark figures: medians with quartiles, ratios, targets."""
from __future__ import annotations

import os
import platform
from importlib import metadata

from .setup import median_ms, quartiles_ms


def header(quick: bool) -> str:
    import os
    versions = ", ".join(f"{name} {metadata.version(name)}"
                         for name in ("SpiffWorkflow", "SQLAlchemy", "Flask", "weasyprint", "psycopg"))
    return (f"Banjian benchmarks{' (--quick)' if quick else ''}: Python {platform.python_version()}, {versions}; "
            f"{os.cpu_count()} CPUs")


def verdict(value: float, limit: float) -> str:
    return "ok" if value <= limit else "OVER TARGET"


def spread(samples) -> str:
    q1, q3 = quartiles_ms(samples)
    return f"{q1:7.2f} – {q3:7.2f}"


def engine_table(result: dict, rounds: int, steps: list, target_ratio: float) -> list[str]:
    samples = result["samples"]
    bare = median_ms(samples["bare"])
    lines = [f"(a) Task completion: {len(steps)} steps × {rounds} cases per variant, interleaved step by step",
             f"    {'variant':<28}{'median ms':>10}   {'IQR ms':^17}{'app/bare':>10}   target ≤ {target_ratio:g}×"]
    for label, values in samples.items():
        name = "bare SpiffWorkflow (memory)" if label == "bare" else f"app complete_task, {label}"
        ratio = median_ms(values) / bare
        mark = "" if label == "bare" else verdict(ratio, target_ratio)
        lines.append(f"    {name:<28}{median_ms(values):>10.2f}   {spread(values)}{ratio:>9.2f}×   {mark}")
    lines.append(f"    {'per step, median ms':<43}" + "".join(f"{label:>12}" for label in samples))
    for i, (_user, spec_name, data) in enumerate(steps):
        choice = next(iter(data.values()))
        cells = "".join(f"{median_ms(result['per_step'][label][i]):>12.2f}" for label in samples)
        lines.append(f"      {i + 1}. {spec_name + ' (' + str(choice) + ')':<38}{cells}")
    return lines


def split_table(splits: dict, unit: str = "task", what: str = "the app's") -> list[str]:
    """``splits``: {target label: split.run(...) result} (or timer_bench.breakdown(...), unit "timer")."""
    labels = list(splits)
    parts = []
    for result in splits.values():
        parts += [p for p in result["ms"] if p not in parts]
    lines = [f"    where {what} time goes (separate instrumented pass; exclusive ms per {unit}):",
             f"      {'part':<44}" + "".join(f"{label:>18}" for label in labels)]
    for part in parts:
        cells = ""
        for label in labels:
            ms = splits[label]["ms"].get(part, 0.0)
            total = sum(splits[label]["ms"].values())
            cells += f"{ms:>10.2f} ({ms / total * 100:4.1f}%)"
        lines.append(f"      {part:<44}{cells}")
    for key, title in (("total", "total (instrumented)"), ("engine", "  of which engine (SpiffWorkflow+state)"),
                       ("statements", f"SQL statements per {unit}"), ("flushes", f"ORM flushes per {unit}")):
        cells = ""
        for label in labels:
            ms = splits[label]["ms"]
            value = {"total": sum(ms.values()),
                     "engine": sum(v for p, v in ms.items() if p.startswith("engine:")),
                     }.get(key, splits[label].get(key))
            cells += f"{value:>18.2f}" if key in ("total", "engine") else f"{value:>18.1f}"
        lines.append(f"      {title:<44}{cells}")
    return lines


def sql_table(splits: dict, top: int = 8, unit: str = "task") -> list[str]:
    lines = []
    for label, result in splits.items():
        lines.append(f"    costliest SQL on {label} (per {unit}: ms, statements; 'caller: statement'):")
        for key, (count, ms) in sorted(result["sql"].items(), key=lambda kv: -kv[1][1])[:top]:
            lines.append(f"      {ms:6.2f} ms {count:4.1f}×  {key}")
    return lines


def letters_table(samples: dict, max_ratio: float, max_ms: float) -> list[str]:
    app, bare = median_ms(samples["app"]), median_ms(samples["bare"])
    ratio = app / bare
    return [f"(b) Reply letter PDF: {len(samples['app'])} renders each, alternated, after warm-up",
            f"    {'variant':<40}{'median ms':>10}   {'IQR ms':^17}",
            f"    {'app render_letter(reply)':<40}{app:>10.1f}   {spread(samples['app'])}",
            f"    {'  of which context + Jinja (letter_html)':<40}{median_ms(samples['html']):>10.2f}",
            f"    {'bare weasyprint.HTML(string).write_pdf()':<40}{bare:>10.1f}   {spread(samples['bare'])}",
            f"    app/bare {ratio:.2f}× (target ≤ {max_ratio:g}×: {verdict(ratio, max_ratio)}); "
            f"app {app:.0f} ms (target ≤ {max_ms:g} ms: {verdict(app, max_ms)})"]


def api_table(result: dict) -> list[str]:
    per_case = result["per_case"]
    return [f"(c) HTTP API on SQLite, register → … → record_delivery (6 POSTs, reply letter included): "
            f"{result['cases']} cases",
            f"    {result['cases'] / result['seconds']:.2f} cases/s; {result['seconds'] * 1000 / result['cases']:.0f} "
            f"ms per case on average, median {median_ms(per_case):.0f} ms (IQR {spread(per_case).strip()})"]


def timers_table(results: list, max_ratio: float) -> list[str]:
    """``results``: timer_bench.run(...) per target.  Bare figures are pooled over the targets' runs."""
    first = results[0]
    bare_fired = sum(r["bare"]["fired"] for r in results)
    bare_ms = sum(r["bare"]["steps_seconds"] for r in results) * 1000 / bare_fired
    state_ms = sum(r["bare"]["load_dump_seconds"] for r in results) * 1000 / bare_fired
    lines = [f"(d) Due timers: {first['cases']:,} cases waiting in 检索并拟办答复 on boundary timers, "
             f"{first['due']:,} due (the reminder) per batch; each batch checked fired exactly once",
             f"    {'variant':<44}{'fired':>6}{'seconds':>9}{'fired/s':>9}{'ms/timer':>10}{'÷ bare':>9}"
             f"{'÷ bare+state':>14}{'CPU ms':>8}{'DB CPU':>8}{'load':>6}   target ≤ {max_ratio:g}×"]
    for result in results:
        label = result["label"]
        for key, name in (("one", "one worker"), ("two", "two workers")):
            run = result.get(key)
            if run is None:
                continue
            ms = run["seconds"] * 1000 / run["fired"]
            split = "+".join(str(w[0]) for w in run["per_worker"])
            cpu_ms = sum(w[2] for w in run["per_worker"]) * 1000 / run["fired"]
            title = f"{label}, {name}" + (f" ({split})" if key == "two" else "")
            db_cpu = "–" if run.get("server_cpu") is None else f"{run['server_cpu'] * 1000 / run['fired']:.2f}"
            mark = verdict(ms / bare_ms, max_ratio) if key == "one" else ""
            lines.append(f"    {title:<44}{run['fired']:>6}{run['seconds']:>9.2f}{run['fired'] / run['seconds']:>9.1f}"
                         f"{ms:>10.2f}{ms / bare_ms:>8.1f}×{ms / state_ms:>13.1f}×{cpu_ms:>8.2f}{db_cpu:>8}"
                         f"{run['load']:>6.1f}"
                         f"   {mark}")
    lines += [f"    {'bare refresh_timers() + do_engine_steps()':<44}{bare_fired:>6}"
              f"{bare_ms * bare_fired / 1000:>9.2f}{1000 / bare_ms:>9.1f}{bare_ms:>10.2f}",
              f"    {'bare, with state load + dump':<44}{bare_fired:>6}"
              f"{state_ms * bare_fired / 1000:>9.2f}{1000 / state_ms:>9.1f}{state_ms:>10.2f}"]
    for result in results:
        one, two = result["one"], result.get("two")
        if two is None:
            continue
        speedup = (two["fired"] / two["seconds"]) / (one["fired"] / one["seconds"])
        goal = ("target > 1×: " + ("ok" if speedup > 1 else "NOT FASTER")) if result["label"] == "PostgreSQL" else \
            "no target: SQLite runs one writer at a time (BEGIN IMMEDIATE)"
        lines.append(f"    {result['label']}: two workers vs one {speedup:.2f}× ({goal})")
    lines.append("    population (1 case via the services, the rest cloned in bulk): " + ", ".join(
        f"{r['label']} {r['populate_seconds']:.1f} s" for r in results))
    lines.append(f"    CPU ms: the worker processes' own CPU per timer; DB CPU: their PostgreSQL backends' (local "
                 f"server); load: 1-min load average before the run, on {os.cpu_count()} CPUs")
    return lines
