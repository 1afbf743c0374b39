"""Raw ingestion: each contracted extract in the landing zone becomes rows of raw.<source_system>__<entity>."""

from collections import defaultdict

import dagster as dg

from orchestration.config import load_settings
from orchestration.defs.ingestion.contracts import EntityContract, load_contracts
from orchestration.defs.ingestion.landing import files_by_table
from orchestration.defs.ingestion.loader import FileOutcome, load_entity
from orchestration.partitions import daily_partitions, days_in_window
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

CONTRACTS = load_contracts()
CONTRACT_BY_KEY = {raw_asset_key(c): c for c in CONTRACTS}

@dg.multi_asset(
    name="raw_landing_files",
    specs=[_spec(c) for c in CONTRACTS],
    check_specs=[
        dg.AssetCheckSpec(
            QUARANTINE_CHECK,
            asset=raw_asset_key(c),
            description="Every row of the files loaded in this run fits the contract (faults are in raw._quarantine).",
        )
        for c in CONTRACTS
    ],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    can_subset=True,
    pool=WRITER_POOL,
)
def raw_landing_files(context: dg.AssetExecutionContext, lakehouse: LakehouseResource):
    """Load the landing files of the run's landing days, once each, into the raw tables."""
    window = context.partition_time_window
    days = set(days_in_window(window.start.date(), window.end.date()))
    selected = [CONTRACT_BY_KEY[key] for key in sorted(context.selected_asset_keys, key=str)]
    files = files_by_table(load_settings().landing_dir, days=days, tables={c.table for c in selected})
    context.log.info(
        f"landing days {min(days)} .. {max(days)}: {sum(map(len, files.values()))} files "
        f"for {len(selected)} raw tables"
    )
    with lakehouse.connect() as conn:
        for number, contract in enumerate(selected, start=1):
            outcomes = load_entity(conn, contract, files.get(contract.table, []))
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
                metadata={**summary, "dagster/row_count": total, "table": f"raw.{contract.table}"},
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
