"""Raw ingestion: each contracted extract in the landing zone becomes rows of raw.<source_system>__<entity>."""

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.config import load_settings
from orchestration.defs.ingestion.contracts import EntityContract, load_contracts
from orchestration.defs.ingestion.landing import files_by_table, landing_window
from orchestration.defs.ingestion.loader import FileOutcome, load_entity
from orchestration.partitions import days_in_window
from orchestration.progress import Progress
from orchestration.resources import LakehouseResource

WRITER_POOL = "lakehouse_writer"
OWNER = "team:data-engineering"
QUARANTINE_CHECK = "no_quarantined_rows"

def raw_asset_key(contract: EntityContract) -> dg.AssetKey:
    return dg.AssetKey(["raw", contract.table])

def _spec(contract: EntityContract) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=raw_asset_key(contract),
        description=f"{contract.description} Loaded from landing/{contract.source_system}/<day>/{contract.file_name}.",
        group_name="ingestion",
        owners=[OWNER],
        kinds={"duckdb", contract.format},
        tags={"source_system": contract.source_system},
        metadata={
            "primary_key": ", ".join(contract.primary_key),
            "dagster/column_schema": dg.TableSchema(
                columns=[
                    dg.TableColumn(c.name, c.duckdb_type, description="personal data" if c.pii else None)
                    for c in contract.columns
                ]
            ),
        },
    )

def summarize(outcomes: list[FileOutcome]) -> dict[str, object]:
    counts = defaultdict(int)
    for outcome in outcomes:
        counts[f"files_{outcome.status}"] += 1
        counts["rows_loaded"] += outcome.rows_loaded
        counts["rows_quarantined"] += outcome.rows_quarantined
    faults = [o.first_fault for o in outcomes if o.first_fault]
    return {
        "files_loaded": counts["files_loaded"],
        "files_unchanged": counts["files_unchanged"],
        "files_quarantined": counts["files_quarantined"],
        "rows_loaded": counts["rows_loaded"],
        "rows_quarantined": counts["rows_quarantined"],
        "faults": faults,
    }

class LandingDays(dg.Config):
    """The landing days a run loads, inclusive ISO dates. An empty bound means the first (last) landing day present:
    the schedule names one day, the landing sensor the span of the new files, the first build nothing at all."""

    first_day: str = ""
    last_day: str = ""

    def window(self, landing_dir: Path) -> tuple[date, date] | None:
        return landing_window(landing_dir, self.first_day or None, self.last_day or None)


INGESTION_OP = "raw_landing_files"


def landing_run_config(first: date | None = None, last: date | None = None) -> dict[str, Any]:
    """The run config of a run that loads landing days first..last (None: from the first / to the last present)."""
    days = {"first_day": first.isoformat() if first else "", "last_day": last.isoformat() if last else ""}
    return {"ops": {INGESTION_OP: {"config": days}}}


def landing_days_of_run(run_config: Mapping[str, Any], landing_dir: Path) -> tuple[date, date] | None:
    """The landing days a run of the ingestion op covered (None if the run did not ingest or found no day)."""
    op = (run_config.get("ops") or {}).get(INGESTION_OP)
    if op is None:
        return None
    return LandingDays(**(op.get("config") or {})).window(landing_dir)


CONTRACTS = load_contracts()
CONTRACT_BY_KEY = {raw_asset_key(c): c for c in CONTRACTS}

# Not partitioned by landing day: a first build over two years would record one materialization and one check per
# raw table per day (~18,000 events at 730 days, minutes of bookkeeping). Each load is one materialization per table
# whose metadata says which landing days it covered; the files themselves are tracked in raw._ingested_files.
@dg.multi_asset(
    name=INGESTION_OP,
    specs=[_spec(c) for c in CONTRACTS],
    check_specs=[
        dg.AssetCheckSpec(
            QUARANTINE_CHECK,
            asset=raw_asset_key(c),
            description="Every row of the files loaded in this run fits the contract (faults are in raw._quarantine).",
        )
        for c in CONTRACTS
    ],
    can_subset=True,
    pool=WRITER_POOL,
)
def raw_landing_files(context: dg.AssetExecutionContext, config: LandingDays, lakehouse: LakehouseResource):
    """Load the landing files of the run's landing days, once each, into the raw tables."""
    landing_dir = load_settings().landing_dir
    selected = [CONTRACT_BY_KEY[key] for key in sorted(context.selected_asset_keys, key=str)]
    window = config.window(landing_dir)
    if window is None:
        context.log.warning(f"no landing files for days {config.first_day or '*'} .. {config.last_day or '*'} "
                            f"under {landing_dir}")
        window_days: set[date] = set()
    else:
        window_days = set(days_in_window(window[0], window[1] + timedelta(days=1)))
    files = files_by_table(landing_dir, days=window_days, tables={c.table for c in selected})
    total_files = sum(map(len, files.values()))
    covered = f"{window[0]} .. {window[1]}" if window else "none"
    context.log.info(f"landing days {covered}: {total_files} files for {len(selected)} raw tables")
    progress = Progress(context.log, total_files, "files")
    with lakehouse.connect() as conn:
        for number, contract in enumerate(selected, start=1):
            table_files = files.get(contract.table, [])
            outcomes = load_entity(conn, contract, table_files)
            progress.advance(len(table_files))
            summary = summarize(outcomes)
            total = _row_count(conn, contract)
            context.log.info(
                f"[{number}/{len(selected)}] raw.{contract.table}: {summary['rows_loaded']} rows from "
                f"{summary['files_loaded']} files, {summary['files_unchanged']} unchanged, "
                f"{summary['rows_quarantined']} rows quarantined"
            )
            faults = summary.pop("faults")
            for fault in faults[:20]:
                context.log.warning(f"quarantined: {fault}")
            yield dg.MaterializeResult(
                asset_key=raw_asset_key(contract),
                metadata={**summary, "dagster/row_count": total, "table": f"raw.{contract.table}",
                          "landing_days": covered, "landing_day_count": len(window_days)},
            )
            yield dg.AssetCheckResult(
                asset_key=raw_asset_key(contract),
                check_name=QUARANTINE_CHECK,
                passed=summary["rows_quarantined"] == 0 and summary["files_quarantined"] == 0,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={
                    "rows_quarantined": summary["rows_quarantined"],
                    "files_quarantined": summary["files_quarantined"],
                    "first_faults": dg.MetadataValue.md(
                        "\n".join(f"- {f}" for f in faults[:20]) or "none"
                    ),
                },
            )

def _row_count(conn, contract: EntityContract) -> int:
    return int(conn.execute(f"select count(*) from raw.{contract.table}").fetchone()[0])
