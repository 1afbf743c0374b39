"""Identifier formatting: prefixed, zero-padded sequence numbers (C0000001) and random hex device ids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_HEX = np.frombuffer(b"0123456789abcdef", dtype="S1")


def sequential(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    """'C0000001'-style ids for the given (1-based) numbers; width is the number of digits."""
    digits = pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string())
    padded = pc.utf8_lpad(digits, width, padding="0")
    return pc.binary_join_element_wise(prefix, padded, "").to_pandas()


def random_hex(rng: np.random.Generator, n: int, prefix: str, n_chars: int = 14) -> pd.Series:
    """Unique random ids of n_chars hex digits (at most 15) after the prefix."""
    bits = 4 * n_chars
    values = np.unique(rng.integers(0, 2**bits, size=int(n * 1.01) + 16, dtype=np.int64))
    while len(values) < n:  # vanishingly rare: top up after collisions
        values = np.unique(np.concatenate([values, rng.integers(0, 2**bits, size=n, dtype=np.int64)]))
    values = rng.permutation(values)[:n]
    shifts = np.arange(bits - 4, -1, -4, dtype=np.int64)
    nibbles = (values[:, None] >> shifts) & 0xF
    raw = np.ascontiguousarray(_HEX[nibbles]).view(f"S{n_chars}").ravel()
    text = pa.array(raw, type=pa.binary()).cast(pa.string())
    return pc.binary_join_element_wise(prefix, text, "").to_pandas()
