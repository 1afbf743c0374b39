"""Synthetic source systems of a B2B2C instalment lender: daily landing extracts plus the latent truth behind them.

Run `python -m simulator --help`. The package stands for external systems: it never imports the orchestration code.
"""

from simulator.config import SimConfig

__all__ = ["SimConfig", "run"]


def run(config: SimConfig):
    """Generate every extract and the truth files for `config`; returns the run summary."""
    from simulator.engine import run as _run

    return _run(config)
