"""Suites of the marts models and business staff consume, one module per table."""
