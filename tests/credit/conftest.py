"""The small lake the credit tests share lives in tests/small_lake.py (fixtures registered in tests/conftest.py)."""

from tests.small_lake import build_lake  # noqa: F401  (re-exported for the tests that import it from here)
