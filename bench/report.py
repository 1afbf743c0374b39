"""Benchmark results: the JSON document, its markdown summary, and the README table (latest run per scale)."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path

import psutil

from bench.measure import StageResult
from orchestration.config import REPO_ROOT

# The targets, and how each ratio is judged.
TARGETS = {
    "dbt_overhead": ("<=", 1.3, "dbt run / the same SQL run raw"),
    "orchestration_overhead": (None, None, "Dagster jobs / the same stages as plain Python"),
    "incremental_day_share": ("<=", 0.05, "one more day / full build (daily jobs)"),
    "mlflow_scoring_share": (">=", 0.8, "MLflow pyfunc rows/s / estimator rows/s (worst model)"),
    "full_build_peak_gb": ("<=", 24.0, "peak memory of any full-build stage, GiB"),
}
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "duckdb": version("duckdb"), "dagster": version("dagster"), "dbt-core": version("dbt-core"),
        "mlflow": version("mlflow"), "commit": _commit(),
    }


def _commit() -> str | None:
    """The code the figures belong to: the checked-out commit, with "+dirty" if the working tree has changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.strip()
    try:
        head = git("rev-parse", "--short", "HEAD")
        return head + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def _sum(results: list[StageResult], path: str, kinds: tuple[str, ...] | None = None) -> float:
    return sum(r.wall_s for r in results if r.path == path and (kinds is None or r.extra.get("kind") in kinds))


def _ratio(numerator: float, denominator: float, digits: int, *stages: StageResult) -> float | None:
    """numerator / denominator, or None when a stage behind either failed (a part of a run is not a figure)."""
    if not denominator or not all(r.ok for r in stages):
        return None
    return round(numerator / denominator, digits)


def different_work(results: list[StageResult]) -> list[str]:
    """The jobs whose rows written differ between the Dagster and the plain path: where the two did not do the same
    work, their times are not an overhead to compare."""
    plain = {r.name: r.rows_out for r in results if r.path == "plain"}
    return [r.name for r in results if r.path == "dagster" and r.name in plain and r.rows_out != plain[r.name]]


def ratios(results: list[StageResult], scoring: dict) -> dict:
    by_name = {(r.path, r.name): r for r in results}
    on = lambda *paths: [r for r in results if r.path in paths]  # noqa: E731
    dbt_run = next(r for r in results if r.path == "floor" and r.name.startswith("dbt run"))
    raw = next(r for r in results if r.path == "floor" and r.name.startswith("the same"))
    full_daily = _sum(results, "dagster", ("daily",))
    shares = [m["mlflow_share_of_estimator"] for m in scoring.values()]
    peak = max((r.peak_rss_mb for r in results if r.path == "dagster"), default=0)
    return {
        "dbt_overhead": _ratio(dbt_run.wall_s, raw.wall_s, 2, dbt_run, raw),
        "orchestration_overhead": None if different_work(results) else _ratio(
            _sum(results, "dagster"), _sum(results, "plain"), 2, *on("dagster", "plain")),
        "incremental_day_share": _ratio(_sum(results, "t+1"), full_daily, 3, *on("dagster", "t+1")),
        "mlflow_scoring_share": min(shares) if shares else None,
        "mlflow_own_share": min((m["mlflow_share_of_python_model"] for m in scoring.values()), default=None),
        "full_build_peak_gb": round(peak / 1024, 2),
        "simulator_rows_per_s": by_name[("simulator", "simulator")].extra.get("rows_per_s"),
        "full_build_s": round(_sum(results, "dagster"), 1),
        # None, not 0, when the plain path did not run (--no-plain)
        "plain_build_s": round(_sum(results, "plain"), 1) if any(r.path == "plain" for r in results) else None,
        "incremental_day_s": round(_sum(results, "t+1"), 1),
    }


def verdicts(figures: dict) -> dict:
    out = {}
    for name, (op, target, _) in TARGETS.items():
        value = figures.get(name)
        if op is None or value is None:
            out[name] = None
        else:
            out[name] = value <= target if op == "<=" else value >= target
    return out


def document(args, results: list[StageResult], models: int, scoring: dict, first: date, last: date,
             day: date, plans: list[dict]) -> dict:
    figures = ratios(results, scoring)
    return {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": {"customers": args.scale, "start": args.start, "end": args.end, "seed": args.seed,
                  "history": [first.isoformat(), last.isoformat()], "incremental_day": day.isoformat()},
        "machine": machine(),
        "figures": figures,
        "targets": {k: {"op": op, "target": t, "meaning": m} for k, (op, t, m) in TARGETS.items()},
        "met": verdicts(figures),
        "dbt_models": models,
        "nested_loop_equi_joins": plans,
        "scoring": scoring,
        "different_work": different_work(results),
        "stages": [r.as_dict() for r in results],
        "ok": all(r.ok for r in results),
    }


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown(doc: dict) -> str:
    scale, m, f = doc["scale"], doc["machine"], doc["figures"]
    lines = [
        f"# Benchmark: {scale['customers']:,} customers, {scale['start']} .. {scale['end']}",
        "",
        f"Run {doc['started']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GiB ({m['os']}; Python "
        f"{m['python']}, DuckDB {m['duckdb']}, Dagster {m['dagster']}, dbt {m['dbt-core']}, MLflow {m['mlflow']}; "
        f"commit {m.get('commit') or 'unknown'}).",
        f"History {scale['history'][0]} .. {scale['history'][1]}, incremental day {scale['incremental_day']}.",
        "",
        "| figure | value | target | met |",
        "|---|---|---|---|",
    ]
    for name, (op, target, meaning) in TARGETS.items():
        met = doc["met"].get(name)
        lines.append(f"| {meaning} | {_fmt(f.get(name))} | {f'{op} {target}' if op else '-'} | "
                     f"{'-' if met is None else ('yes' if met else 'NO')} |")
    lines += [
        f"| MLflow pyfunc rows/s / our PythonModel without MLflow (worst model) | {_fmt(f.get('mlflow_own_share'))} "
        "| - | - |",
        f"| simulator source rows per second | {_fmt(f['simulator_rows_per_s'])} | - | - |",
        f"| full build through Dagster, s | {_fmt(f['full_build_s'])} | - | - |",
        f"| same stages as plain Python, s | {_fmt(f['plain_build_s'])} | - | - |",
        f"| one more day through Dagster, s | {_fmt(f['incremental_day_s'])} | - | - |",
        "",
        "Disk: `+GB at peak` is how far the data filesystem's used space rose above its level at the stage's start "
        "(spill files, replaced tables not yet deleted); `data GB` is the bench's data dir after the stage.",
        "",
        "| path | stage | wall s | CPU s | peak MB | disk +GB at peak | data GB | rows in | rows out | ok |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in doc["stages"]:
        lines.append(f"| {s['path']} | {s['name']} | {s['wall_s']:,.1f} | {s['cpu_s']:,.1f} | {s['peak_rss_mb']:,.0f} "
                     f"| {_fmt(s.get('disk_peak_growth_gb'))} | {_fmt(s.get('data_gb'))} "
                     f"| {_fmt(s['rows_in'])} | {_fmt(s['rows_out'])} | {'yes' if s['ok'] else 'FAILED'} |")
    lines += ["", "| model | MLflow pyfunc rows/s | our PythonModel without MLflow | estimator rows/s | MLflow / "
              "estimator | MLflow / PythonModel | estimator |", "|---|---:|---:|---:|---:|---:|---|"]
    for name, s in doc["scoring"].items():
        lines.append(f"| {name} | {s['mlflow_rows_per_s']:,} | {s['python_model_rows_per_s']:,} | "
                     f"{s['estimator_rows_per_s']:,} | {s['mlflow_share_of_estimator']:.2f} | "
                     f"{s['mlflow_share_of_python_model']:.2f} | {s['estimator']} |")
    if not doc["scoring"]:
        lines.append("| no champion yet: nothing to score | - | - | - | - | - | - |")
    if doc.get("different_work"):
        lines += ["", f"The Dagster and the plain path wrote different rows in {', '.join(doc['different_work'])}: "
                  "they did not do the same work, so there is no orchestration overhead to report."]
    equality = doc.get("incremental_equals_full")
    if equality:
        differ = equality["differ"]
        verdict = ("not compared (the floor failed)." if differ is None else
                   "all identical." if not differ else f"DIFFERENT: {', '.join(differ)}.")
        lines += ["", f"After the incremental day, {equality['tables']} marts against a full rebuild of the same lake "
                  f"(`dbt run --full-refresh`): {verdict}"]
    lines += _where_time_went(doc["stages"])
    plans = doc.get("nested_loop_equi_joins", [])
    lines += ["", f"Query plans of the {doc['dbt_models']} models: {len(plans) or 'no'} join(s) on an equality done "
              "by a nested loop instead of a hash" + (":" if plans else ".")]
    lines += [f"- {p['model']}: {p['operator']} {p['join']} on {p['condition']}" for p in plans]
    failed = [s for s in doc["stages"] if not s["ok"]]
    for s in failed:
        lines += ["", f"FAILED {s['path']} {s['name']}: {s['error'][:1500]}"]
    return "\n".join(lines) + "\n"


def _where_time_went(stages: list[dict]) -> list[str]:
    """Per stage that ran dbt: seconds in models and in tests (dbt's own run_results), the slowest models and tests,
    and the slowest Dagster steps; the whole lists are in the JSON."""
    lines = ["", "Where the time went (dbt's run_results.json per node, Dagster's event log per step):", "",
             "| path | stage | dbt nodes | building s | tests s | slowest models (s) | slowest tests (s) "
             "| slowest Dagster steps (s) |",
             "|---|---|---:|---:|---:|---|---|---|"]
    for s in stages:
        dbt, steps = s["extra"].get("dbt") or {}, s["extra"].get("dagster_steps") or {}
        if not dbt and not steps:
            continue
        slowest, tests = (", ".join(f"{_node_name(n['node'])} {n['seconds']:.1f}" for n in dbt.get(key, [])[:count])
                          for key, count in (("slowest", 5), ("slowest_tests", 3)))
        top_steps = ", ".join(f"{k} {v:.1f}" for k, v in sorted(steps.items(), key=lambda kv: -kv[1])[:3])
        lines.append(f"| {s['path']} | {s['name']} | {_fmt(dbt.get('nodes'))} | {_fmt(dbt.get('build_s'))} | "
                     f"{_fmt(dbt.get('test_s'))} | {slowest or '-'} | {tests or '-'} | {top_steps or '-'} |")
    return lines


def _node_name(unique_id: str) -> str:
    """A node's name: `model.<project>.<name>`; a test's id ends in a hash after its (long) name, cut to 60."""
    parts = unique_id.split(".")
    return parts[2][:60] if parts[0] == "test" and len(parts) > 3 else parts[-1]


def write(doc: dict, results_dir: Path) -> tuple[Path, Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromisoformat(doc["started"]).strftime("%Y%m%dT%H%M%SZ")
    json_path = results_dir / f"{stamp}.json"
    json_path.write_text(json.dumps(doc, indent=2) + "\n")
    md_path = json_path.with_suffix(".md")
    md_path.write_text(markdown(doc))
    return json_path, md_path


def latest_per_scale(results_dir: Path) -> list[dict]:
    latest: dict[int, dict] = {}
    for path in sorted(results_dir.glob("*.json")):
        doc = json.loads(path.read_text())
        doc["file"] = path.name
        latest[doc["scale"]["customers"]] = doc  # sorted by timestamp: the last one wins
    return [latest[k] for k in sorted(latest)]


def readme_table(docs: list[dict]) -> str:
    if not docs:
        return "No benchmark has been run yet: `make bench SCALE=20000`."
    lines = [
        "| customers | full build (Dagster) | peak memory | dbt / raw SQL | Dagster / plain Python | one day / full "
        "build | scoring: MLflow / estimator (MLflow / our model) | simulator rows/s | all stages ok | run |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for doc in docs:
        f = doc["figures"]
        lines.append(
            f"| {doc['scale']['customers']:,} | {f['full_build_s'] / 60:,.1f} min | {f['full_build_peak_gb']:.1f} GiB "
            f"| {_fmt(f['dbt_overhead'])} | {_fmt(f['orchestration_overhead'])} | {_fmt(f['incremental_day_share'])} "
            f"| {_fmt(f['mlflow_scoring_share'])} ({_fmt(f.get('mlflow_own_share'))}) | "
            f"{_fmt(f['simulator_rows_per_s'])} | "
            f"{'yes' if doc['ok'] else 'NO'} | [{doc['file'][:-5]}](bench/results/{doc['file'][:-5]}.md) |")
    machines = {f"{d['machine']['cpu']}, {d['machine']['cores']} cores, {d['machine']['memory_gb']} GiB"
                for d in docs}
    lines += ["", f"Machine: {'; '.join(sorted(machines))}. Targets: dbt / raw SQL <= 1.3, one day <= 5% of a full "
              "build, MLflow scoring >= 80% of the estimator, a full build at 1M customers within 24 GiB."]
    return "\n".join(lines)


def refresh_readme(results_dir: Path, readme: Path) -> None:
    text = readme.read_text()
    if README_START not in text:
        return
    block = f"{README_START}\n{readme_table(latest_per_scale(results_dir))}\n{README_END}"
    readme.write_text(re.sub(re.escape(README_START) + ".*?" + re.escape(README_END), lambda _: block, text,
                             flags=re.S))
