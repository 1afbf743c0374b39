"""Loads landing files into raw tables exactly once, quarantining what does not fit the contract.

A file is identified by its landing path and its content hash (`raw._ingested_files`): the same file delivered again
loads nothing; a file re-delivered with different content replaces the rows it loaded before. Faults never stop the
rest of the batch:
- a file that cannot be read as a whole (not UTF-8, missing or unexpected header columns, empty) is quarantined
  whole, with the line and column at fault, and any rows an earlier good version of it loaded are kept;
- a row with the wrong number of fields, invalid JSON, a value that does not parse as its contracted type, an empty
  key column, a key already on an earlier line of the file, or a value breaking a row rule of the contract (a negative
  amount, an event dated after the landing day, a malformed ID number or mobile) is quarantined alone, and the file's
  good rows load.
Every quarantined row is a row of `raw._quarantine` naming file, line, column and reason; the file on disk is never
touched. Reasons quote the offending value only for columns the contract does not mark as personal data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from orchestration.defs.ingestion.contracts import LINEAGE_COLUMNS, EntityContract
from orchestration.defs.ingestion.landing import LandingFile

QUARANTINE_TABLE = "raw._quarantine"
MANIFEST_TABLE = "raw._ingested_files"
STAGING_CHUNK_ROWS = 200_000  # parsed rows held as Python objects before they become an Arrow chunk

QUARANTINE_COLUMNS = (
    ("source_system", pa.string()), ("entity", pa.string()), ("source_file", pa.string()),
    ("landing_date", pa.date32()), ("line_number", pa.int64()), ("column_name", pa.string()),
    ("reason", pa.string()), ("scope", pa.string()), ("quarantined_at", pa.timestamp("us")),
)
MANIFEST_COLUMNS = (
    ("source_file", pa.string()), ("source_system", pa.string()), ("entity", pa.string()),
    ("landing_date", pa.date32()), ("sha256", pa.string()), ("size_bytes", pa.int64()),
    ("rows_loaded", pa.int64()), ("rows_quarantined", pa.int64()), ("status", pa.string()),
    ("loaded_at", pa.timestamp("us")),
)
_SQL_TYPES = {pa.string(): "varchar", pa.date32(): "date", pa.int64(): "bigint", pa.timestamp("us"): "timestamp"}


def _ddl(table: str, columns) -> str:
    return f"create table if not exists {table} ({', '.join(f'{n} {_SQL_TYPES[t]}' for n, t in columns)})"


def _rows_table(rows: list[tuple], columns) -> pa.Table:
    return pa.table({name: pa.array([r[i] for r in rows], kind) for i, (name, kind) in enumerate(columns)})


QUARANTINE_DDL = _ddl(QUARANTINE_TABLE, QUARANTINE_COLUMNS)
MANIFEST_DDL = _ddl(MANIFEST_TABLE, MANIFEST_COLUMNS)


@dataclass
class Fault:
    line: int | None
    column: str | None
    reason: str


@dataclass
class ParsedFile:
    """String values of the rows whose structure fits the contract, and the faults found on the way."""

    columns: dict[str, list[str | None]]
    row_numbers: list[int] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    file_fault: Fault | None = None


@dataclass
class FileOutcome:
    source_file: str
    status: str  # loaded | unchanged | quarantined
    rows_loaded: int = 0
    rows_quarantined: int = 0
    first_fault: str | None = None


def _empty(contract: EntityContract) -> dict[str, list[str | None]]:
    return {name: [] for name in contract.column_names}


def _decode(data: bytes) -> tuple[str | None, Fault | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Fault(line, None, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line})")


def parse_csv(contract: EntityContract, text: str) -> ParsedFile:
    parsed = ParsedFile(_empty(contract))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        parsed.file_fault = Fault(1, None, "empty file: no header row")
        return parsed
    header = [h.strip() for h in header]
    expected = contract.column_names
    missing = [c for c in expected if c not in header]
    unexpected = [h for h in header if h not in expected]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if missing or unexpected or duplicated:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unexpected:
            problems.append(f"unexpected column(s) {', '.join(unexpected)}")
        if duplicated:
            problems.append(f"duplicated column(s) {', '.join(duplicated)}")
        column = (missing or unexpected or duplicated)[0]
        parsed.file_fault = Fault(1, column, "header: " + "; ".join(problems))
        return parsed
    positions = [header.index(name) for name in expected]
    width = len(header)
    values = [parsed.columns[name] for name in expected]
    try:
        for row in reader:
            if not row:
                continue
            if len(row) != width:
                parsed.faults.append(
                    Fault(reader.line_num, None, f"expected {width} fields, found {len(row)}")
                )
                continue
            for target, position in zip(values, positions, strict=True):
                value = row[position]
                target.append(value if value != "" else None)
            parsed.row_numbers.append(reader.line_num)
    except csv.Error as exc:  # e.g. a quote left open by a truncated file
        parsed.faults.append(Fault(reader.line_num, None, f"unreadable CSV: {exc}"))
    return parsed


def _scalar(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_jsonl(contract: EntityContract, text: str) -> ParsedFile:
    parsed = ParsedFile(_empty(contract))
    expected = contract.column_names
    expected_set = set(expected)
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            parsed.faults.append(Fault(line_number, None, f"invalid JSON: {exc.msg} at character {exc.pos}"))
            continue
        if not isinstance(record, dict):
            parsed.faults.append(Fault(line_number, None, "not a JSON object"))
            continue
        missing = [k for k in expected if k not in record]
        unexpected = sorted(k for k in record if k not in expected_set)
        nested = [k for k in expected if isinstance(record.get(k), dict | list)]
        if missing or unexpected or nested:
            column = (missing or unexpected or nested)[0]
            kind = "missing key" if missing else "unexpected key" if unexpected else "not a scalar"
            parsed.faults.append(Fault(line_number, column, kind))
            continue
        for name in expected:
            parsed.columns[name].append(_scalar(record[name]))
        parsed.row_numbers.append(line_number)
    return parsed


def parse_file(contract: EntityContract, data: bytes) -> ParsedFile:
    text, fault = _decode(data)
    if fault is not None:
        parsed = ParsedFile(_empty(contract))
        parsed.file_fault = fault
        return parsed
    return parse_csv(contract, text) if contract.format == "csv" else parse_jsonl(contract, text)


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def raw_table_ddl(contract: EntityContract) -> str:
    columns = [f"{_q(c.name)} {c.duckdb_type}" for c in contract.columns]
    columns += [f"{name} {kind}" for name, kind in LINEAGE_COLUMNS.items()]
    return f"create table if not exists raw.{contract.table} ({', '.join(columns)})"


# Resident ID number (GB 11643): area code, birth date 19xx/20xx, sequence, check character over the first 17 digits.
ID_NUMBER_REGEX = r"^[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]$"
MOBILE_REGEX = r"^1[3-9][0-9]{9}$"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _valid_id_number(value: str) -> str:
    digits = " + ".join(f"try_cast(substr({value}, {i + 1}, 1) as integer) * {w}" for i, w in enumerate(_ID_WEIGHTS))
    return (f"(regexp_matches({value}, '{ID_NUMBER_REGEX}') "
            f"and substr('10X98765432', cast(({digits}) % 11 as integer) + 1, 1) = substr({value}, 18, 1))")


def _row_rules(column, name: str, cast: str) -> list[tuple[str, str]]:
    """(condition, reason) of the contract's row rules on one column; the condition is true when the row breaks it."""
    rules = []
    if column.min is not None:
        low = f"{column.min:g}"
        rules.append((f"{cast} < {low}", "negative" if column.min == 0 else f"below {low}"))
    if column.past:
        rules.append((f"cast({cast} as date) > _landing_date", "dated after the landing day"))
    if column.format == "id_number":
        rules.append((f"{name} is not null and not {_valid_id_number(name)}",
                      "not a valid resident ID number (format, birth date or check character)"))
    elif column.format == "mobile":
        rules.append((f"{name} is not null and not regexp_matches({name}, '{MOBILE_REGEX}')",
                      "not an 11-digit mainland mobile number"))
    return rules


def _typed_select(contract: EntityContract) -> str:
    """SQL turning the staged strings into typed columns plus the reasons a row cannot load (empty if it can)."""
    casts, errors, error_columns = [], [], []
    for column in contract.columns:
        name = _q(column.name)
        cast = f"try_cast({name} as {column.duckdb_type})" if column.type != "string" else name
        casts.append(f"{cast} as {name}")
        shown = "" if column.pii else f" || ' ''' || {name} || ''''"
        if column.type != "string":
            condition = f"{name} is not null and {cast} is null"
            errors.append(
                f"case when {condition} then '{column.name}: not a {column.type}'{shown} end"
            )
            error_columns.append(f"case when {condition} then '{column.name}' end")
        if column.name in contract.primary_key:
            errors.append(f"case when {name} is null then '{column.name}: empty key column' end")
            error_columns.append(f"case when {name} is null then '{column.name}' end")
        for condition, reason in _row_rules(column, name, cast):
            errors.append(f"case when {condition} then '{column.name}: {reason}'{shown} end")
            error_columns.append(f"case when {condition} then '{column.name}' end")
    # A key repeated within one file: its first row loads, the later ones are quarantined.
    keys = [_q(k) for k in contract.primary_key]
    key_is_personal = any(c.pii for c in contract.columns if c.name in contract.primary_key)
    key_shown = "" if key_is_personal else " || ' ' || concat_ws(', ', " + ", ".join(keys) + ")"
    repeated = "_key_occurrence > 1 and " + " and ".join(f"{k} is not null" for k in keys)
    errors.append(f"case when {repeated} then '{contract.primary_key[0]}: duplicate key'{key_shown} "
                  "|| ' (first at line ' || _key_first_line || ')' end")
    error_columns.append(f"case when {repeated} then '{contract.primary_key[0]}' end")
    window = f"partition by _source_file, {', '.join(keys)}"
    return f"""
        select {', '.join(casts)},
               _source_file, _source_row, _landing_date,
               concat_ws('; ', {', '.join(errors)}) as _errors,
               coalesce({', '.join(error_columns)}) as _error_column
        from (
            select *,
                   row_number() over ({window} order by _source_row) as _key_occurrence,
                   min(_source_row) over ({window}) as _key_first_line
            from _staged
        )"""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def already_ingested(conn: duckdb.DuckDBPyConnection, files: list[LandingFile]) -> set[str]:
    """Landing paths among `files` whose current content is the content already loaded (nothing to do for them)."""
    tables = {r[0] for r in conn.execute("select table_name from information_schema.tables where table_schema = 'raw'")
              .fetchall()}
    if "_ingested_files" not in tables:
        return set()
    known = dict(conn.execute(f"select source_file, sha256 from {MANIFEST_TABLE}").fetchall())
    return {
        f.relative for f in files if f.relative in known and known[f.relative] == _sha256(f.path.read_bytes())
    }


class _Staging:
    """The parsed rows of one load, as Arrow chunks: the parser's Python strings are turned into Arrow every
    STAGING_CHUNK_ROWS rows, so a load of many files (a 730-day backfill of 1M customers: ~10M rows a table) never
    holds them all as Python objects - which took 9 GB and stayed in the process after the load."""

    def __init__(self, columns: tuple[str, ...] | list[str]) -> None:
        self.columns = list(columns)
        self.chunks: list[pa.Table] = []
        self._reset()

    def _reset(self) -> None:
        self.values: dict[str, list] = {name: [] for name in self.columns}
        self.lineage: dict[str, list] = {"_source_file": [], "_source_row": [], "_landing_date": []}

    def add(self, parsed: ParsedFile, landing_file: LandingFile) -> None:
        for name, values in parsed.columns.items():
            self.values[name].extend(values)
        n = len(parsed.row_numbers)
        self.lineage["_source_file"].extend([landing_file.relative] * n)
        self.lineage["_source_row"].extend(parsed.row_numbers)
        self.lineage["_landing_date"].extend([landing_file.landing_date] * n)
        if len(self.lineage["_source_row"]) >= STAGING_CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        self.chunks.append(pa.table({
            **{name: pa.array(values, pa.string()) for name, values in self.values.items()},
            "_source_file": pa.array(self.lineage["_source_file"], pa.string()),
            "_source_row": pa.array(self.lineage["_source_row"], pa.int64()),
            "_landing_date": pa.array(self.lineage["_landing_date"], pa.date32()),
        }))
        self._reset()

    def table(self) -> pa.Table:
        self._flush()
        return pa.concat_tables(self.chunks)


def load_entity(
    conn: duckdb.DuckDBPyConnection, contract: EntityContract, files: list[LandingFile]
) -> list[FileOutcome]:
    """Load one entity's landing files into raw.<system>__<entity> in a single lake commit."""
    conn.execute("create schema if not exists raw")
    conn.execute(QUARANTINE_DDL)
    conn.execute(MANIFEST_DDL)
    conn.execute(raw_table_ddl(contract))
    known = dict(
        conn.execute(
            f"select source_file, sha256 from {MANIFEST_TABLE} where source_system = ? and entity = ?",
            [contract.source_system, contract.entity],
        ).fetchall()
    )

    outcomes: list[FileOutcome] = []
    staged = _Staging(contract.column_names)
    structural: list[tuple] = []  # quarantine rows found while parsing
    manifest: list[tuple] = []
    replace_rows_of: list[str] = []  # files whose earlier rows this load replaces
    for landing_file in files:
        data = landing_file.path.read_bytes()
        digest = _sha256(data)
        if known.get(landing_file.relative) == digest:
            outcomes.append(FileOutcome(landing_file.relative, "unchanged"))
            continue
        parsed = parse_file(contract, data)
        faults = [parsed.file_fault] if parsed.file_fault else parsed.faults
        scope = "file" if parsed.file_fault else "row"
        for fault in faults:
            structural.append(
                (
                    contract.source_system, contract.entity, landing_file.relative, landing_file.landing_date,
                    fault.line, fault.column, fault.reason, scope,
                )
            )
        if parsed.file_fault is None:
            replace_rows_of.append(landing_file.relative)
            staged.add(parsed, landing_file)
        outcome = FileOutcome(
            landing_file.relative,
            "quarantined" if parsed.file_fault else "loaded",
            rows_quarantined=len(faults) if not parsed.file_fault else 0,
            first_fault=_describe(landing_file.relative, faults[0]) if faults else None,
        )
        outcomes.append(outcome)
        manifest.append(
            (
                landing_file.relative, contract.source_system, contract.entity, landing_file.landing_date,
                digest, landing_file.size, outcome.status,
            )
        )
    if not manifest:
        return outcomes

    conn.register("_staged", staged.table())
    conn.register("_changed", pa.table({"source_file": pa.array([m[0] for m in manifest], pa.string())}))
    conn.register("_replaced", pa.table({"source_file": pa.array(replace_rows_of, pa.string())}))
    try:
        conn.execute(f"create or replace temp table _typed as {_typed_select(contract)}")
        columns = ", ".join(_q(n) for n in contract.column_names)
        raw_table = f"raw.{contract.table}"
        conn.execute("begin")
        try:
            conn.execute(f"delete from {raw_table} where _source_file in (select source_file from _replaced)")
            conn.execute(f"delete from {QUARANTINE_TABLE} where source_file in (select source_file from _changed)")
            conn.execute(
                f"insert into {raw_table} select {columns}, _source_file, _source_row, _landing_date, now()::timestamp "
                "from _typed where _errors = ''"
            )
            conn.execute(
                f"insert into {QUARANTINE_TABLE} "
                "select ?, ?, _source_file, _landing_date, _source_row, _error_column, _errors, 'row', "
                "now()::timestamp "
                "from _typed where _errors <> ''",
                [contract.source_system, contract.entity],
            )
            if structural:
                conn.register("_structural", _rows_table(structural, QUARANTINE_COLUMNS[:-1]))
                conn.execute(f"insert into {QUARANTINE_TABLE} select *, now()::timestamp from _structural")
                conn.unregister("_structural")
            counts = dict(
                (row[0], (row[1], row[2]))
                for row in conn.execute(
                    "select _source_file, count(*) filter (where _errors = ''), count(*) filter (where _errors <> '') "
                    "from _typed group by all"
                ).fetchall()
            )
            conn.execute(f"delete from {MANIFEST_TABLE} where source_file in (select source_file from _changed)")
            manifest_rows = [
                (*m[:6], counts.get(m[0], (0, 0))[0], _quarantined(outcomes, m[0], counts), m[6]) for m in manifest
            ]
            conn.register("_manifest", _rows_table(manifest_rows, MANIFEST_COLUMNS[:-1]))
            conn.execute(f"insert into {MANIFEST_TABLE} select *, now()::timestamp from _manifest")
            conn.unregister("_manifest")
            conn.execute("commit")
        except Exception:
            conn.execute("rollback")
            raise
        typed_faults = conn.execute(
            "select _source_file, min(_source_row), arg_min(_error_column, _source_row), arg_min(_errors, _source_row) "
            "from _typed where _errors <> '' group by all"
        ).fetchall()
    finally:
        for name in ("_staged", "_changed", "_replaced"):
            conn.unregister(name)
        conn.execute("drop table if exists _typed")
    first_typed = {f: _describe(f, Fault(line, col, reason)) for f, line, col, reason in typed_faults}
    for outcome in outcomes:
        loaded, bad = counts.get(outcome.source_file, (0, 0))
        if outcome.status == "loaded":
            outcome.rows_loaded = loaded
            outcome.rows_quarantined += bad
            outcome.first_fault = outcome.first_fault or first_typed.get(outcome.source_file)
    return outcomes


def _quarantined(outcomes: list[FileOutcome], source_file: str, counts: dict) -> int:
    structural = next(o.rows_quarantined for o in outcomes if o.source_file == source_file)
    return structural + counts.get(source_file, (0, 0))[1]


def _describe(source_file: str, fault: Fault) -> str:
    where = f"{source_file}, line {fault.line}" if fault.line else source_file
    if fault.column:
        where += f", column {fault.column}"
    return f"{where}: {fault.reason}"
