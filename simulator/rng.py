"""Independent, named random streams derived from the run seed.

Each generation stage draws from its own stream, so changing how much one stage draws never shifts another stage's
numbers; names are hashed with CRC-32 (stable across processes, unlike Python's salted `hash`).
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])
