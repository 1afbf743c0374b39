"""Incremental T+1 equals a full rebuild: the tiny book's history up to a day, then the real daily path (Dagster's
`daily_path` job, as the 02:00 schedule runs it) for the days after it, and at the end every mart of the lake and every
table of the serving lake row for row those of a full rebuild of the same landing files (run timestamps excepted).

The days are chosen to hold what breaks an incremental build: returns and refunds landing days after they were
requested, instalments falling due unpaid, the same day run twice (the catch-up run starts again at the day the
first run did), a corrected re-delivery of an earlier file (rows replaced in raw: what was built from them is rebuilt
in full) and a month end. Each ordinary day writes only a small part of every incremental table, so a regression to
full rebuilds fails here too."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from dagster import DagsterInstance

from bench.equality import differences, fingerprints
from bench.measure import run_command
from bench.pipeline import PlainPipeline, environment, environment_of, full_stages, move_day, prepare_instance
from orchestration import incremental
from orchestration.config import Settings, load_settings
from orchestration.defs.ingestion.assets import raw_landing_files
from orchestration.defs.ingestion.landing import discover, landing_days
from orchestration.defs.ingestion.sensors import plan_ingestion
from orchestration.lakehouse import connect_lake, current_snapshot_id, rows_inserted_since
from orchestration.resources import build_resources
from orchestration.runner import day_plan, run_plan
from tests.quality.lakes import TOKEN_KEY, marts

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIRST, HISTORY_END = date(2024, 11, 1), date(2025, 1, 26)
# The daily path's runs after the history, as (first, last) landing day: a return landing days after its request
# (the 27th); then the 27th again and the days to the month end in one catch-up run - instalments falling due unpaid,
# an earlier day's repayments re-sent corrected just before it. (A run of the daily path is ~1.5 min here, most of it
# fixed costs: the day run twice is inside the catch-up run rather than a run of its own, for the suite's time.)
RUNS = [(date(2025, 1, 27), date(2025, 1, 27)), (date(2025, 1, 27), date(2025, 1, 31))]
CORRECTED_FILE = "core_lending/2025-01-20/repayments.csv"
# A blacklist entry landing on the 29th, listed weeks before, on the device of an application in between: the fraud
# features of every application decided since its listing day are restated.
LATE_BLACKLIST = {"file": "fraud_data/2025-01-29/internal_blacklist.csv", "listed_on": "2025-01-08",
                  "device_of_an_application_on": "2025-01-15"}
# An ordinary run rewrites at most this share of an incremental table: the new days, the days late rows reopen, the
# instalments overdue (a history of three months here: one day is ~1%).
MAX_SHARE_REWRITTEN = 0.25


def _full_build(data_dir: Path, last: date) -> Settings:
    """The history first..last as `make run` builds it, in this process: the bench's plain path, the same work as the
    Dagster jobs without their bookkeeping (the benchmark harness checks they write the same rows), and without the
    data-quality checks, which write nothing (the daily path's own run here, and the harness, run them)."""
    env = environment(data_dir)
    with environment_of(env):
        plain = PlainPipeline(data_dir, lambda command: run_command(command, env, data_dir / "build.log"),
                              checks=False)
        for stage in full_stages(FIRST, last):
            plain.stage(stage, FIRST, last)()
    return load_settings(env)


def _redeliver_corrected(data_dir: Path, settings: Settings, instance) -> None:
    """The source system re-sends an earlier day's repayments with one amount corrected, and the landing zone sensor's
    run loads it (its rows replace the file's earlier ones in raw)."""
    path = data_dir / "landing" / CORRECTED_FILE
    header, first, *rest = path.read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    values = first.split(",")
    amount = columns.index("amount")
    values[amount] = f"{float(values[amount]) + 1:.2f}"
    path.write_text("\n".join([header, ",".join(values), *rest]) + "\n", encoding="utf-8")
    [redelivered] = [f for f in discover(settings.landing_dir) if f.relative == CORRECTED_FILE]
    request = plan_ingestion([redelivered])
    result = dg.materialize([raw_landing_files], instance=instance, resources=build_resources(settings),
                            run_config=request.run_config, selection=request.asset_selection)
    assert result.success


def _land_late_blacklist_entry(landing: Path) -> str:
    """Append LATE_BLACKLIST's entry to its day's file (before any run loads it); returns the device listed."""
    applications = landing / "core_lending" / LATE_BLACKLIST["device_of_an_application_on"] / "applications.csv"
    with applications.open(encoding="utf-8", newline="") as handle:
        device = next(row["device_id"] for row in csv.DictReader(handle) if row["device_id"])
    with (landing / LATE_BLACKLIST["file"]).open("a", encoding="utf-8") as handle:
        handle.write(f"IB999999901,device_id,{device},fraud_confirmed,{LATE_BLACKLIST['listed_on']}\n")
    return device


def _late_rows(settings: Settings, first: date, last: date) -> int:
    """Returns and refunds that landed on first..last, requested days before."""
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        return conn.execute(
            "select count(*) from (select _landing_date, requested_at from raw.merchant_cosharing__loan_returns"
            " union all select _landing_date, requested_at from raw.merchant_cosharing__refunds)"
            " where _landing_date between ? and ? and cast(requested_at as date) < _landing_date",
            [first, last]).fetchone()[0]


def _fell_overdue(settings: Settings, first: date, last: date) -> int:
    """Instalments due on first - 1 .. last - 1 and not paid by the end of last."""
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        return conn.execute("select count(*) from marts.fct_instalments where instalment_status = 'overdue' "
                            "and due_on >= ? - 1 and due_on < ?", [first, last]).fetchone()[0]


def test_the_daily_path_day_after_day_equals_a_full_rebuild_of_the_same_files(tiny_landing, tmp_path, monkeypatch):
    monkeypatch.setenv("PII_TOKEN_KEY", TOKEN_KEY)  # both lakes tokenize alike
    daily_dir, held = tmp_path / "daily", tmp_path / "held"
    shutil.copytree(tiny_landing / "landing", daily_dir / "landing")
    for day in landing_days(daily_dir / "landing"):
        if day > HISTORY_END:
            move_day(daily_dir / "landing", held / "landing", day)
    settings = _full_build(daily_dir, HISTORY_END)
    prepare_instance(daily_dir)
    manifest = incremental.project_manifest()
    tables = {f"{manifest['nodes'][uid]['schema']}.{name}"
              for uid, name in incremental.incremental_models(manifest).items()}

    rewritten: list[dict[str, float]] = []  # per run: the share of each incremental table it rewrote
    late = overdue = 0
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        history_built = current_snapshot_id(conn)
    with environment_of(environment(daily_dir)), DagsterInstance.get() as instance:
        for first, last in RUNS:
            for day in landing_days(held / "landing"):
                if day <= last:
                    move_day(held / "landing", daily_dir / "landing", day)
            if (first, last) == RUNS[1]:
                late_device = _land_late_blacklist_entry(daily_dir / "landing")
                _redeliver_corrected(daily_dir, settings, instance)
            with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
                before = current_snapshot_id(conn)
            out = io.StringIO()
            [outcome] = run_plan(day_plan(first, last), settings, out=out, instance=instance)
            assert outcome.success, out.getvalue()[-3000:]
            with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
                written = rows_inserted_since(conn, before)
                rows = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
            rewritten.append({t: written.get(t, 0) / max(rows[t], 1) for t in tables})
            late += _late_rows(settings, first, last)
            overdue += _fell_overdue(settings, first, last)
    # the runs held what they are meant to test
    assert late > 0 and overdue > 0, (late, overdue)
    # an ordinary day rewrote a small part of every incremental table
    assert max(rewritten[0].values()) <= MAX_SHARE_REWRITTEN, rewritten[0]
    # the late blacklist entry reached the fraud features of the applications decided since its listing day
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        hits_since_listing = conn.execute(
            "select count(*) from marts.fraud_features where blacklist_internal_device_hits > 0"
            " and features_as_of >= cast(? as date) and features_as_of < cast(? as date)",
            [LATE_BLACKLIST["listed_on"], RUNS[1][0]]).fetchone()[0]
    assert hits_since_listing > 0, late_device
    # the corrected file replaced rows in raw.core_lending__repayments: what is built from it was rebuilt in full
    assert rewritten[1]["marts.fct_repayments"] == 1.0, rewritten[1]
    # the views the history created (same code since) served every day: none was created again
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        views = conn.execute("select view_name, begin_snapshot from __ducklake_metadata_lake.ducklake_view"
                             " where end_snapshot is null").fetchall()
    assert len(views) > 20 and [name for name, begun in views if begun > history_built] == [], views

    full_dir = tmp_path / "full"
    shutil.copytree(daily_dir / "landing", full_dir / "landing")
    full = _full_build(full_dir, RUNS[-1][1])
    lake, serving = marts(settings.data_dir)
    full_lake, full_serving = marts(full.data_dir)
    assert len(lake) > 40 and differences(lake, full_lake) == []
    # the shared intermediate tables too (the loans' dated states: the incremental table and the view over it)
    intermediate, full_intermediate = fingerprints(settings, "intermediate"), fingerprints(full, "intermediate")
    assert {"int_loan_states_dated_base", "int_loan_states_dated", "int_merchant_days_measured"} <= intermediate.keys()
    assert differences(intermediate, full_intermediate) == []
    assert differences(serving, full_serving) == [] and serving.keys() == lake.keys()
