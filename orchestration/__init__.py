"""Dagster code location of the consumer-finance risk lakehouse."""
