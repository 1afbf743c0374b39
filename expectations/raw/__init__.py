"""Suites of the raw tables, one module per `raw.<source_system>__<entity>`."""
