"""The source contracts: what each source system's daily extract must look like (source_contracts.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONTRACTS_FILE = Path(__file__).with_name("source_contracts.yml")

# Contract type -> DuckDB type the raw table stores.
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DECIMAL(18,2)",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}
FORMATS = ("csv", "jsonl")
LINEAGE_COLUMNS = {
    "_source_file": "VARCHAR",
    "_source_row": "BIGINT",
    "_landing_date": "DATE",
    "_loaded_at": "TIMESTAMP",
}


NUMERIC_TYPES = ("integer", "decimal", "double")
DATED_TYPES = ("date", "timestamp")
VALUE_FORMATS = ("id_number", "mobile")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    pii: bool = False
    min: float | None = None  # lowest value allowed
    past: bool = False  # an event already happened: not dated after the file's landing day
    format: str | None = None  # one of VALUE_FORMATS

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class EntityContract:
    source_system: str
    entity: str
    format: str
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def table(self) -> str:
        """Raw table name inside the `raw` schema."""
        return f"{self.source_system}__{self.entity}"

    @property
    def file_name(self) -> str:
        return f"{self.entity}.{self.format}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


class ContractError(ValueError):
    pass


# Systems, entities and columns become table and column names in SQL: only plain lower-case names are allowed.
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_name(kind: str, name: object) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ContractError(f"{kind} name {name!r} is not a plain lower-case identifier")


def _parse_column(system: str, entity: str, name: str, spec: object) -> Column:
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, dict) or spec.get("type") not in DUCKDB_TYPES:
        raise ContractError(f"{system}.{entity}.{name}: type must be one of {sorted(DUCKDB_TYPES)}, got {spec!r}")
    where = f"{system}.{entity}.{name}"
    unknown = set(spec) - {"type", "pii", "min", "past", "format"}
    if unknown:
        raise ContractError(f"{where}: unknown option(s) {sorted(unknown)}")
    if "min" in spec and spec["type"] not in NUMERIC_TYPES:
        raise ContractError(f"{where}: `min` needs a numeric type")
    if spec.get("past") and spec["type"] not in DATED_TYPES:
        raise ContractError(f"{where}: `past` needs a date or timestamp")
    if "format" in spec and (spec["type"] != "string" or spec["format"] not in VALUE_FORMATS):
        raise ContractError(f"{where}: `format` must be one of {VALUE_FORMATS} on a string")
    return Column(
        name=name, type=spec["type"], pii=bool(spec.get("pii", False)),
        min=float(spec["min"]) if "min" in spec else None, past=bool(spec.get("past", False)),
        format=spec.get("format"),
    )


def parse_contracts(document: dict) -> tuple[EntityContract, ...]:
    contracts = []
    for system, entities in sorted(document.items()):
        _check_name("source system", system)
        for entity, spec in sorted(entities.items()):
            _check_name("entity", entity)
            for column in spec["columns"]:
                _check_name("column", column)
            columns = tuple(_parse_column(system, entity, n, s) for n, s in spec["columns"].items())
            names = {c.name for c in columns}
            pk = tuple(spec["primary_key"])
            if not set(pk) <= names:
                raise ContractError(f"{system}.{entity}: primary key {pk} not among its columns")
            if spec.get("format") not in FORMATS:
                raise ContractError(f"{system}.{entity}: format must be one of {FORMATS}")
            contracts.append(
                EntityContract(system, entity, spec["format"], spec.get("description", ""), pk, columns)
            )
    return tuple(contracts)


@cache
def load_contracts(path: Path = CONTRACTS_FILE) -> tuple[EntityContract, ...]:
    """All entity contracts, validated at start-up."""
    return parse_contracts(yaml.safe_load(path.read_text(encoding="utf-8")))


def contract_for(source_system: str, entity: str) -> EntityContract:
    for contract in load_contracts():
        if (contract.source_system, contract.entity) == (source_system, entity):
            return contract
    raise KeyError(f"no contract for {source_system}/{entity}")
