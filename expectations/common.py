"""Building blocks the suites share: formats, keys, schema, allowed values, relationships as flag columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import great_expectations as gx
import great_expectations.expectations as gxe

# Formats. An 18-character resident ID number (GB 11643): area code, birth date 19xx/20xx, sequence, check character.
ID_NUMBER_REGEX = r"^[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]$"
MOBILE_REGEX = r"^1[3-9][0-9]{9}$"
TOKEN_REGEX = r"^tk_[0-9a-f]{32}$"
MASKED_ID_NUMBER_REGEX = r"^[0-9]{3}\*{11}[0-9]{3}[0-9X]$"
MASKED_MOBILE_REGEX = r"^1[3-9][0-9]\*{4}[0-9]{4}$"
DEVICE_ID_REGEX = r"^DV[0-9a-f]{14}$"

# Lineage columns every raw row carries (orchestration's loader adds them).
RAW_LINEAGE_COLUMNS = ("_source_file", "_source_row", "_landing_date", "_loaded_at")

SCENARIOS = ("appliance", "education", "furniture", "medical_aesthetics")
WARNING = "warning"


def suite(name: str, expectations: Iterable[gxe.Expectation]) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name=name, expectations=list(expectations))


def columns_exactly(columns: Sequence[str]) -> gxe.Expectation:
    """The frame has these columns and no other (schema drift fails)."""
    return gxe.ExpectTableColumnsToMatchSet(column_set=list(columns), exact_match=True)


def columns_include(columns: Sequence[str]) -> gxe.Expectation:
    """The frame has at least these columns (the ones its consumers read)."""
    return gxe.ExpectTableColumnsToMatchSet(column_set=list(columns), exact_match=False)


def primary_key(*columns: str) -> list[gxe.Expectation]:
    """Every key column filled, and the key unique."""
    checks: list[gxe.Expectation] = [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in columns]
    if len(columns) == 1:
        checks.append(gxe.ExpectColumnValuesToBeUnique(column=columns[0]))
    else:
        checks.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns)))
    return checks


def not_null(*columns: str) -> list[gxe.Expectation]:
    return [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in columns]


def one_of(column: str, values: Iterable[object]) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values))


def between(column: str, low: float | None = None, high: float | None = None, mostly: float = 1.0) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, mostly=mostly)


def non_negative(*columns: str) -> list[gxe.Expectation]:
    return [between(c, 0) for c in columns]


def positive(*columns: str) -> list[gxe.Expectation]:
    return [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, strict_min=True) for c in columns]


def share(*columns: str) -> list[gxe.Expectation]:
    """Ratios between 0 and 1."""
    return [between(c, 0, 1) for c in columns]


def matches(column: str, regex: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=regex)


def at_least(column_a: str, column_b: str) -> gxe.Expectation:
    """column_a >= column_b wherever both are filled."""
    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=column_a, column_B=column_b, or_equal=True, ignore_row_if="either_value_is_missing"
    )


def flag_holds(column: str) -> gxe.Expectation:
    """A boolean column the data set's query derives (a relationship, a cross-column rule) is true on every row."""
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True])


def single_value(column: str) -> gxe.Expectation:
    """Every row has the same value (e.g. the one data date a table is computed as of); an empty frame passes."""
    return gxe.ExpectColumnUniqueValueCountToBeBetween(column=column, min_value=0, max_value=1)


def unique_where_filled(column: str) -> gxe.Expectation:
    """The filled values are unique (nulls skipped): with a query column `case when <rule> then <key> end`, a key
    that is unique only among the rows of the rule (one is_latest row per merchant)."""
    return gxe.ExpectColumnValuesToBeUnique(column=column)


# SQL fragments for the data sets' queries. Table names are constants of the modules, never user input.
def known_in(column: str, parent_table: str, parent_column: str | None = None) -> str:
    """`<column>_is_known`: the value exists in the parent table (null values count as known)."""
    parent_column = parent_column or column
    return (f"({column} is null or {column} in (select {parent_column} from {parent_table} "
            f"where {parent_column} is not null)) as {column.split('.')[-1]}_is_known")


def rule(sql: str, name: str) -> str:
    """A cross-column rule as a query flag `<name>`: true where `sql` holds; a null result counts as broken (a flag
    that is null would pass `flag_holds`, which skips nulls)."""
    return f"coalesce({sql}, false) as {name}"


def key_joins(key: str, *parts: str) -> str:
    """`<key>_joins_its_parts`: a surrogate key is its grain's columns joined by pipes (M000001|2025-06-30)."""
    return f"coalesce({key} = concat_ws('|', {', '.join(parts)}), false) as {key}_joins_its_parts"


# An 18-character ID number or an 11-digit mobile number anywhere in a text (what the dbt test
# no_raw_id_or_mobile_numbers and the marketing lists' audit look for).
RAW_ID_OR_MOBILE_SQL_REGEX = r"[0-9]{17}[0-9Xx]|(^|[^0-9])1[3-9][0-9]{9}($|[^0-9])"


def no_raw_id_or_mobile(*columns: str) -> str:
    """`has_no_raw_id_or_mobile`: none of these text columns holds a raw ID number or mobile number."""
    return (f"not coalesce(regexp_matches(concat_ws('|', {', '.join(columns)}), '{RAW_ID_OR_MOBILE_SQL_REGEX}'), false)"
            " as has_no_raw_id_or_mobile")


def not_after_landing(*columns: str) -> str:
    """`dated_by_landing_day`: no event of the row is dated after the day the file landed (no future dates)."""
    conditions = " and ".join(f"coalesce(cast({c} as date) <= _landing_date, true)" for c in columns)
    return f"({conditions}) as dated_by_landing_day"


def id_number_check_character(column: str) -> str:
    """`<column>_check_ok`: the 18th character is the GB 11643 check character of the first 17 digits."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = " + ".join(f"try_cast(substr({column}, {i + 1}, 1) as integer) * {w}" for i, w in enumerate(weights))
    return (f"coalesce(length({column}) = 18 and substr('10X98765432', cast(({total}) % 11 as integer) + 1, 1) "
            f"= substr({column}, 18, 1), false) as {column}_check_ok")


# Identifier formats of the source systems (a swapped column shows up here).
CUSTOMER_ID_REGEX = r"^C[0-9]{7}$"
APPLICATION_ID_REGEX = r"^A[0-9]{8}$"
LOAN_ID_REGEX = r"^L[0-9]{8}$"
MERCHANT_ID_REGEX = r"^M[0-9]{6}$"
STORE_ID_REGEX = r"^S[0-9]{7}$"
SALES_REP_ID_REGEX = r"^R[0-9]{7}$"


def select_with(table: str, *derived: str) -> str:
    """The data set's query: every column of `table` plus derived flag columns (SQL fragments ending `as <name>`)."""
    return f"select *{''.join(', ' + d for d in derived)} from {table}"


def derived_names(*derived: str) -> tuple[str, ...]:
    return tuple(d.rsplit(" as ", 1)[1].strip() for d in derived)
