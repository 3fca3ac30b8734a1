"""Printing the benchmark figures: medians with quartiles, ratios, targets."""
from __future__ import annotations

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


def split_table(splits: dict) -> list[str]:
    """``splits``: {target label: split.run(...) result}."""
    labels = list(splits)
    parts = []
    for result in splits.values():
        parts += [p for p in result["ms"] if p not in parts]
    lines = ["    where the app's time goes (separate instrumented pass; exclusive ms per task):",
             f"      {'part':<44}" + "".join(f"{label:>18}" for label in labels)]
    for part in parts:
        cells = ""
        for label in labels:
            ms = splits[label]["ms"].get(part, 0.0)
            total = sum(splits[label]["ms"].values())
            cells += f"{ms:>10.2f} ({ms / total * 100:4.1f}%)"
        lines.append(f"      {part:<44}{cells}")
    for key, title in (("total", "total (instrumented)"), ("engine", "  of which engine (SpiffWorkflow+state)"),
                       ("statements", "SQL statements per task"), ("flushes", "ORM flushes per task")):
        cells = ""
        for label in labels:
            ms = splits[label]["ms"]
            value = {"total": sum(ms.values()),
                     "engine": sum(v for p, v in ms.items() if p.startswith("engine:")),
                     }.get(key, splits[label].get(key))
            cells += f"{value:>18.2f}" if key in ("total", "engine") else f"{value:>18.1f}"
        lines.append(f"      {title:<44}{cells}")
    return lines


def sql_table(splits: dict, top: int = 8) -> list[str]:
    lines = []
    for label, result in splits.items():
        lines.append(f"    costliest SQL on {label} (per task: ms, statements; 'caller: statement'):")
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
