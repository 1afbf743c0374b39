"""Export files of the published lists: per list and list day, the CSV the SMS gateway or the call centre takes and a
manifest (rows, SHA-256, campaigns) it checks the file against.

    <exports>/<list_name>/<YYYY-MM-DD>.csv
    <exports>/<list_name>/<YYYY-MM-DD>.manifest.json

Rows are written in one fixed order, so the same list gives the same bytes; a re-run of a day whose file comes out
identical leaves the manifest as it was (its generated_at is when the file was first produced), a changed list
replaces both. Files are written to a temporary name and renamed, so a reader never sees half a file. They carry
tokens and masked mobiles only: the gateway resolves mobile_token to the number in the token vault.
"""

import csv
import hashlib
import io
import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

EXPORT_COLUMNS = (
    "list_day", "contact_on", "campaign", "channel", "customer_token", "mobile_token", "mobile_masked", "reason",
    "priority", "valid_until",
)
SORT_KEY = ("priority", "campaign", "customer_token")


def export_paths(directory: Path, list_name: str, list_day: date) -> tuple[Path, Path]:
    folder = directory / list_name
    return folder / f"{list_day.isoformat()}.csv", folder / f"{list_day.isoformat()}.manifest.json"


def render_csv(rows: Sequence[Mapping]) -> bytes:
    """The file's bytes: UTF-8, a header, one line per row in (priority, campaign, customer_token) order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in sorted(rows, key=lambda r: tuple(_sortable(r[k]) for k in SORT_KEY)):
        writer.writerow([_text(row[column]) for column in EXPORT_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def write_export(
    rows: Sequence[Mapping], directory: Path, list_name: str, list_day: date, now: datetime | None = None
) -> dict:
    """Write the day's file and manifest for a list (idempotent) and return the manifest."""
    csv_path, manifest_path = export_paths(directory, list_name, list_day)
    content = render_csv(rows)
    digest = hashlib.sha256(content).hexdigest()
    previous = _read_json(manifest_path)
    unchanged = (
        previous is not None and previous.get("sha256") == digest and csv_path.exists()
        and hashlib.sha256(csv_path.read_bytes()).hexdigest() == digest
    )
    generated_at = previous["generated_at"] if unchanged else (now or datetime.now(UTC)).isoformat(timespec="seconds")
    manifest = {
        "list": list_name,
        "list_day": list_day.isoformat(),
        "file": csv_path.name,
        "rows": len(rows),
        "sha256": digest,
        "campaigns": dict(sorted(Counter(str(r["campaign"]) for r in rows).items())),
        "channels": dict(sorted(Counter(str(r["channel"]) for r in rows).items())),
        "columns": list(EXPORT_COLUMNS),
        "generated_at": generated_at,
    }
    _atomic_write(csv_path, content)
    _atomic_write(manifest_path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return manifest


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sortable(value):
    return (value is None, _text(value) if not isinstance(value, int) else value)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _atomic_write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)
