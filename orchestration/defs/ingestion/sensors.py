"""A sensor over the landing zone: every new or re-delivered extract triggers one ingestion run.

The cursor is the newest modification time already handed to a run (plus the paths at exactly that time), so each
file is requested once per delivery; a file re-delivered later has a newer mtime and is requested again, and the
loader's content hash makes that load a no-op unless the content changed.
"""


import json
import os
from dataclasses import dataclass, field

import dagster as dg

from orchestration.config import load_settings
from orchestration.defs.ingestion.assets import landing_run_config, raw_landing_files
from orchestration.defs.ingestion.landing import LandingFile, discover
from orchestration.defs.ingestion.loader import already_ingested
from orchestration.resources import LakehouseResource

MAX_FILES_PER_RUN = 100_000


@dataclass
class LandingCursor:
    mtime_ns: int = 0
    paths_at_mtime: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, raw: str | None) -> "LandingCursor":
        return cls(**json.loads(raw)) if raw else cls()

    def serialize(self) -> str:
        return json.dumps({"mtime_ns": self.mtime_ns, "paths_at_mtime": sorted(self.paths_at_mtime)})

    def is_new(self, landing_file: LandingFile) -> bool:
        return landing_file.mtime_ns > self.mtime_ns or (
            landing_file.mtime_ns == self.mtime_ns and landing_file.relative not in self.paths_at_mtime
        )

    def advanced_past(self, files: list[LandingFile]) -> "LandingCursor":
        newest = max(f.mtime_ns for f in files)
        if newest < self.mtime_ns:
            return self
        at_newest = [f.relative for f in files if f.mtime_ns == newest]
        kept = self.paths_at_mtime if newest == self.mtime_ns else []
        return LandingCursor(newest, sorted(set(kept) | set(at_newest)))


def plan_ingestion(files: list[LandingFile]) -> dg.RunRequest | None:
    """One run for the new files: their raw tables over the span of their landing days."""
    if not files:
        return None
    first = min(f.landing_date for f in files)
    last = max(f.landing_date for f in files)
    tables = sorted({f.table for f in files})
    return dg.RunRequest(
        run_key=f"landing-{first}-{last}-{max(f.mtime_ns for f in files)}",
        asset_selection=[dg.AssetKey(["raw", t]) for t in tables],
        run_config=landing_run_config(first, last),
        tags={"trigger": "landing_zone_sensor", "files": str(len(files)), "landing_days": f"{first} .. {last}"},
    )


@dg.sensor(
    name="landing_zone_sensor",
    description="Launches raw ingestion for every new or re-delivered file in the landing zone.",
    target=[raw_landing_files],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def landing_zone_sensor(context: dg.SensorEvaluationContext,
                        lakehouse: LakehouseResource) -> dg.SensorResult | dg.SkipReason:
    cursor = LandingCursor.parse(context.cursor)
    new_files = sorted(
        (f for f in discover(load_settings().landing_dir) if cursor.is_new(f)),
        key=lambda f: (f.mtime_ns, f.relative),
    )[:MAX_FILES_PER_RUN]  # oldest deliveries first, so the cursor never skips a file left for the next tick
    if not new_files:
        return dg.SkipReason("no new landing files")
    catalog_file = lakehouse.catalog_url.removeprefix("ducklake:sqlite:")
    if not lakehouse.catalog_url.startswith("ducklake:sqlite:") or os.path.exists(catalog_file):
        # Files a build already loaded (e.g. `make run` before the daemon started) need no run.
        with lakehouse.connect(read_only=True) as conn:
            loaded = already_ingested(conn, new_files)
        if len(loaded) == len(new_files):
            return dg.SensorResult(
                run_requests=[], cursor=cursor.advanced_past(new_files).serialize(),
                skip_reason=f"{len(new_files)} new landing files, all already loaded with the same content",
            )
        to_load = [f for f in new_files if f.relative not in loaded]
    else:
        to_load = new_files
    request = plan_ingestion(to_load)
    return dg.SensorResult(
        run_requests=[request] if request else [],
        cursor=cursor.advanced_past(new_files).serialize(),
    )
