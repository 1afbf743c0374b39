"""Great Expectations suites for the lakehouse, written in code: one module per data set under `raw/` and `marts/`.

Each module names the table it guards (`TABLE`), the query whose result is validated (`QUERY`: the table, plus flag
columns for relationships and cross-column rules), its personal-data columns (`PII_COLUMNS`: never sampled),
whether a failure must stop what is downstream (`BLOCKING`) and `build_suite() -> gx.ExpectationSuite`.
`expectations.runner.validate()` runs a suite on a DataFrame. Nothing here imports the orchestration.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType

import great_expectations as gx

LAYERS = ("raw", "marts")


@dataclass(frozen=True)
class DataSet:
    table: str  # <schema>.<table>
    query: str
    build_suite: Callable[[], gx.ExpectationSuite]
    description: str
    pii_columns: tuple[str, ...] = ()
    blocking: bool = False

    @property
    def schema(self) -> str:
        return self.table.split(".")[0]

    @property
    def name(self) -> str:
        return self.table.split(".")[1]

    def query_since(self, snapshot: int) -> str:
        """The query on the table's rows written after lake snapshot `snapshot` (every DuckLake row carries the
        snapshot that inserted it, `snapshot_id`); tables the flags look up stay whole. A query that does not end
        reading the table itself is run whole."""
        head, found, tail = self.query.rpartition(f"from {self.table}")
        if not found or tail.strip():
            return self.query
        return f"{head}from (select * from {self.table} where snapshot_id > {int(snapshot)}) as {self.name}"


def data_set(module: ModuleType) -> DataSet:
    return DataSet(
        table=module.TABLE,
        query=getattr(module, "QUERY", f"select * from {module.TABLE}"),
        build_suite=module.build_suite,
        description=(module.__doc__ or "").strip(),
        pii_columns=tuple(getattr(module, "PII_COLUMNS", ())),
        blocking=bool(getattr(module, "BLOCKING", False)),
    )


@cache
def data_sets() -> tuple[DataSet, ...]:
    """Every data set with a suite, found by walking the layer packages (a new module is picked up by itself)."""
    found = []
    for layer in LAYERS:
        package = importlib.import_module(f"{__name__}.{layer}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            found.append(data_set(importlib.import_module(f"{package.__name__}.{info.name}")))
    return tuple(found)
