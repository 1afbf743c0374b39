"""Command line: python -m simulator --customers N --start YYYY-MM-DD --end YYYY-MM-DD --seed S --out DIR."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from simulator.config import SimConfig


def parse_args(argv: list[str] | None = None) -> SimConfig:
    defaults = SimConfig()
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Simulate the lender's source systems: daily landing extracts plus the latent truth. "
        "Replaces DIR/landing and DIR/truth.",
    )
    parser.add_argument("--customers", type=int, default=defaults.customers, help="number of customers (20000)")
    parser.add_argument("--start", type=date.fromisoformat, default=defaults.start, help="first day (2024-11-01)")
    parser.add_argument("--end", type=date.fromisoformat, default=defaults.end, help="last day (2026-10-31)")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed (42)")
    parser.add_argument("--out", type=Path, default=defaults.out, help="output directory (data)")
    args = parser.parse_args(argv)
    try:
        return SimConfig(customers=args.customers, start=args.start, end=args.end, seed=args.seed, out=args.out)
    except ValueError as exc:
        parser.error(str(exc))
        raise  # unreachable: parser.error exits


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    from simulator.engine import run

    summary = run(config)
    print(summary.format())
    return 0


if __name__ == "__main__":
    sys.exit(main())
