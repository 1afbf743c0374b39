"""The landing zone: data/landing/<source_system>/<YYYY-MM-DD>/<entity>.<csv|jsonl>."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from orchestration.defs.ingestion.contracts import EntityContract, load_contracts


@cache
def _contracts_by_file() -> dict[tuple[str, str], EntityContract]:
    return {(c.source_system, c.file_name): c for c in load_contracts()}


@dataclass(frozen=True, order=True)
class LandingFile:
    landing_date: date
    source_system: str
    entity: str
    relative: str  # path under the landing root, the file's identity in raw lineage columns
    path: Path
    mtime_ns: int
    size: int

    @property
    def table(self) -> str:
        return f"{self.source_system}__{self.entity}"


def parse_landing_path(root: Path, path: Path) -> LandingFile | None:
    """The landing file at `path`, or None if it is not a contracted extract (a stray or temporary file)."""
    try:
        system, day, name = path.relative_to(root).parts
        landing_date = date.fromisoformat(day)
    except ValueError:
        return None
    contract = _contracts_by_file().get((system, name))
    if contract is None:
        return None
    stat = path.stat()
    return LandingFile(
        landing_date=landing_date,
        source_system=system,
        entity=contract.entity,
        relative=f"{system}/{day}/{name}",
        path=path,
        mtime_ns=stat.st_mtime_ns,
        size=stat.st_size,
    )


def discover(root: Path, days: set[date] | None = None, tables: set[str] | None = None) -> list[LandingFile]:
    """Every contracted extract in the landing zone, optionally only for some days and raw tables, sorted."""
    found: list[LandingFile] = []
    if not root.exists():
        return found
    for system_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for day_dir in sorted(p for p in system_dir.iterdir() if p.is_dir()):
            try:
                day = date.fromisoformat(day_dir.name)
            except ValueError:
                continue
            if days is not None and day not in days:
                continue
            with os.scandir(day_dir) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    if not entry.is_file():
                        continue
                    landing_file = parse_landing_path(root, Path(entry.path))
                    if landing_file and (tables is None or landing_file.table in tables):
                        found.append(landing_file)
    return sorted(found)


def files_by_table(root: Path, days: set[date] | None = None,
                   tables: set[str] | None = None) -> dict[str, list[LandingFile]]:
    """`discover`'s files grouped by the raw table they load into (each table's files in landing order)."""
    grouped: dict[str, list[LandingFile]] = {}
    for landing_file in discover(root, days=days, tables=tables):
        grouped.setdefault(landing_file.table, []).append(landing_file)
    return grouped


def landing_days(root: Path) -> list[date]:
    """Every landing day that has a folder in the landing zone, sorted."""
    if not root.exists():
        return []
    days = set()
    for system_dir in (p for p in root.iterdir() if p.is_dir()):
        for day_dir in (p for p in system_dir.iterdir() if p.is_dir()):
            try:
                days.add(date.fromisoformat(day_dir.name))
            except ValueError:
                continue
    return sorted(days)


def landing_window(root: Path, first: str | None = None, last: str | None = None) -> tuple[date, date] | None:
    """The landing days first..last (ISO, inclusive) narrowed to the days present; an open bound takes the first or
    last day present. None when no landing day falls inside."""
    days = [d for d in landing_days(root)
            if (first is None or d >= date.fromisoformat(first)) and (last is None or d <= date.fromisoformat(last))]
    return (days[0], days[-1]) if days else None
