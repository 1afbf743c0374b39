"""Data quality: the Great Expectations suites of expectations/ as asset checks."""
