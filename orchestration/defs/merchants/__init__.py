"""Merchant risk: the daily ABC grading and early warnings, and the immediate re-evaluation of a merchant."""
