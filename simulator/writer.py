"""Writes each entity's rows into daily landing files with exact, contract-conformant text formatting.

An entity arrives as one DataFrame holding the contract columns in internal form plus `_day`, the landing day:
- string: str (null = missing), integer: int, decimal: int *fen* (1/100 yuan; exact, no float rounding),
  double: float, boolean: bool, date: int days since 1970-01-01, timestamp: int seconds since 1970-01-01;
  numeric nulls are NaN (or pandas NA).
Rows are rendered to text once per chunk with Arrow compute kernels (no per-row Python), then each landing day's
contiguous byte range is written to `<root>/<source_system>/<YYYY-MM-DD>/<entity>.<csv|jsonl>`.
CSV: UTF-8, header row, ',' separator, minimal quoting as Python's csv module does, '\\n' line ends, '' for null.
JSONL: one compact object per line, keys in contract order, null for null, non-ASCII kept as is; decimals are
JSON numbers with exactly two decimals, dates and timestamps are strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simulator.clock import day_strings
from simulator.schema import EntitySpec

LANDING_DAY = "_day"
_TEXT = pa.large_string()
_NULL_TEXT = pa.scalar(None, _TEXT)


def _lit(text: str) -> pa.Scalar:
    return pa.scalar(text, _TEXT)


def _join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    """Element-wise concatenation of arrays and literal strings."""
    args = [_lit(p) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, _lit(sep))


@dataclass(frozen=True)
class WriteResult:
    key: str
    rows: int
    files: int


def _as_arrow(values: pd.Series) -> pa.Array:
    arr = pa.array(values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr


def _numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Float64 values and null mask of a numeric column."""
    floats = pd.to_numeric(values).to_numpy(dtype="float64", na_value=np.nan)
    mask = np.isnan(floats)
    return np.where(mask, 0.0, floats), mask


def _render_integer(values: pd.Series) -> pa.Array:
    floats, mask = _numbers(values)
    return pa.array(np.rint(floats).astype(np.int64), mask=mask).cast(_TEXT)


def _render_decimal(values: pd.Series) -> pa.Array:
    """Integer fen -> 'yuan.ff' with exactly two decimals."""
    floats, mask = _numbers(values)
    fen = np.rint(floats).astype(np.int64)
    magnitude = np.abs(fen)
    whole = pa.array(magnitude // 100).cast(_TEXT)
    cents = pc.utf8_lpad(pa.array(magnitude % 100).cast(_TEXT), 2, padding="0")
    text = _join(whole, cents, sep=".")
    text = pc.if_else(pa.array(fen < 0), _join("-", text), text)
    return pc.if_else(pa.array(mask), _NULL_TEXT, text)


def _render_double(values: pd.Series) -> pa.Array:
    floats, mask = _numbers(values)
    return pa.array(np.round(floats, 6) + 0.0, mask=mask).cast(_TEXT)  # + 0.0 turns -0.0 into 0.0


def _render_boolean(values: pd.Series) -> pa.Array:
    return _as_arrow(values.astype("boolean")).cast(_TEXT)


def _render_date(values: pd.Series) -> pa.Array:
    floats, mask = _numbers(values)
    days = pa.array(np.rint(floats).astype(np.int32), mask=mask, type=pa.int32())
    return days.cast(pa.date32()).cast(_TEXT)


def _render_timestamp(values: pd.Series) -> pa.Array:
    floats, mask = _numbers(values)
    seconds = pa.array(np.rint(floats).astype(np.int64), mask=mask, type=pa.int64())
    return seconds.cast(pa.timestamp("s")).cast(_TEXT)


def _render_string(values: pd.Series) -> pa.Array:
    return _as_arrow(values).cast(_TEXT)


_RENDERERS = {
    "string": _render_string,
    "integer": _render_integer,
    "decimal": _render_decimal,
    "double": _render_double,
    "boolean": _render_boolean,
    "date": _render_date,
    "timestamp": _render_timestamp,
}
_QUOTED_IN_JSON = {"string", "date", "timestamp"}


def _csv_field(kind: str, text: pa.Array) -> pa.Array:
    if kind == "string":
        needs_quotes = pc.match_substring_regex(text, r'[,"\r\n]')
        quoted = _join('"', pc.replace_substring(text, '"', '""'), '"')
        text = pc.if_else(needs_quotes, quoted, text)
    return pc.fill_null(text, _lit(""))


def _json_field(name: str, kind: str, text: pa.Array) -> pa.Array:
    if kind in _QUOTED_IN_JSON:
        escaped = pc.replace_substring(pc.replace_substring(text, "\\", "\\\\"), '"', '\\"')
        text = _join('"', escaped, '"')
    return _join(f'"{name}":', pc.fill_null(text, _lit("null")))


def render_lines(spec: EntitySpec, frame: pd.DataFrame) -> pa.Array:
    """One text line (with its trailing newline) per row, as a large_string array."""
    fields = []
    for name, kind in spec.columns:
        text = _RENDERERS[kind](frame[name])
        fields.append(_csv_field(kind, text) if spec.format == "csv" else _json_field(name, kind, text))
    body = _join(*fields, sep=",")
    if spec.format == "jsonl":
        body = _join("{", body, "}")
    return _join(body, "\n")


class LandingWriter:
    """Writes entities under `<root>/<source_system>/<YYYY-MM-DD>/`."""

    def __init__(self, root: Path, chunk_rows: int = 500_000):
        self.root = Path(root)
        self.chunk_rows = chunk_rows

    def write(self, spec: EntitySpec, frame: pd.DataFrame) -> WriteResult:
        expected = [*spec.column_names, LANDING_DAY]
        if sorted(frame.columns) != sorted(expected):
            raise ValueError(f"{spec.key}: columns {list(frame.columns)} do not match {expected}")
        n = len(frame)
        if n == 0:
            return WriteResult(spec.key, 0, 0)
        days = frame[LANDING_DAY].to_numpy(dtype=np.int64)
        if np.any(np.diff(days) < 0):
            order = np.argsort(days, kind="stable")
            frame, days = frame.iloc[order], days[order]
        names = dict(zip(np.unique(days).tolist(), day_strings(np.unique(days)).tolist(), strict=True))
        header = (",".join(spec.column_names) + "\n").encode("utf-8") if spec.format == "csv" else b""
        opened: set[int] = set()
        for start in range(0, n, self.chunk_rows):
            stop = min(n, start + self.chunk_rows)
            lines = render_lines(spec, frame.iloc[start:stop])
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset : lines.offset + len(lines) + 1]
            data = memoryview(lines.buffers()[2])
            chunk_days = days[start:stop]
            cuts = np.flatnonzero(np.diff(chunk_days)) + 1
            for lo, hi in zip(np.r_[0, cuts].tolist(), np.r_[cuts, len(chunk_days)].tolist(), strict=True):
                day = int(chunk_days[lo])
                path = self.root / spec.source_system / names[day] / spec.file_name
                first = day not in opened
                if first:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    opened.add(day)
                with open(path, "wb" if first else "ab") as handle:
                    if first:
                        handle.write(header)
                    handle.write(data[offsets[lo] : offsets[hi]])
        return WriteResult(spec.key, n, len(opened))
