"""The latent truth behind the extracts, written as Parquet for measuring models against (never landed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from simulator.applications import Applications
from simulator.config import SimConfig
from simulator.merchants import LATENT_STATES, MerchantBook
from simulator.population import Population


def _write(table: pa.Table, path: Path) -> None:
    # No pandas metadata and fixed writer settings: identical inputs give byte-identical files.
    pq.write_table(table, path, compression="snappy", write_statistics=True)


def write_truth(cfg: SimConfig, out_dir: Path, pop: Population, apps: Applications, book: MerchantBook) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    c = pop.customers
    ring = c["ring"].to_numpy()
    ring_ids = pop.rings["ring_id"].to_numpy(dtype=object) if len(pop.rings) else np.empty(0, dtype=object)
    fraud_ring_id = np.where(ring >= 0, ring_ids[np.maximum(ring, 0)] if len(ring_ids) else None, None)
    customers = pa.table(
        {
            "customer_id": pa.array(c["customer_id"].to_numpy(dtype=object), pa.string()),
            "latent_risk": pa.array(c["latent_risk"].to_numpy(), pa.float64()),
            "fraud_ring_id": pa.array(fraud_ring_id.tolist(), pa.string()),
        }
    )
    applications = pa.table(
        {
            "application_id": pa.array(apps.frame["application_id"].to_numpy(dtype=object), pa.string()),
            "is_fraud": pa.array(apps.frame["is_fraud"].to_numpy(), pa.bool_()),
        }
    )
    m = book.merchants
    det = m["deteriorates_day"].to_numpy()
    merchants = pa.table(
        {
            "merchant_id": pa.array(m["merchant_id"].to_numpy(dtype=object), pa.string()),
            "latent_state": pa.array(np.array(LATENT_STATES, dtype=object)[m["state"].to_numpy()], pa.string()),
            "deteriorates_on": pa.array((det + cfg.start_day).astype(np.int32), pa.int32(), mask=det < 0).cast(
                pa.date32()
            ),
        }
    )
    tables = {"customers": customers, "applications": applications, "merchants": merchants}
    for name, table in tables.items():
        _write(table, out_dir / f"{name}.parquet")
    return {f"truth.{name}": table.num_rows for name, table in tables.items()}
