{#-
    Validity periods for "as of a day" look-ups, one convention for every dated model: a row holds from the day
    `valid_from` up to but not including the day `valid_to` (the first day of the next row of the same thing), and
    `valid_to` is null for a row still in force. Join a day to the row in force on it with
    `{{ is_in_force('day', 'rows.valid_from', 'rows.valid_to') }}` instead of expanding rows per day.

    An open end is compared as 'infinity', not with `valid_to is null or day < valid_to`: DuckDB plans a join whose
    condition holds an OR as a nested-loop join even next to an equality (every row against every row), but it hashes
    `id = id and valid_from <= day and day < coalesce(valid_to, 'infinity')` on the id. merchant_deposit_positions at
    1M customers: >15 min with the OR, 18 s without. tests/warehouse/test_query_plans.py keeps every model that way.
-#}
{% macro is_in_force(day, valid_from, valid_to) -%}
    ({{ valid_from }} <= {{ day }} and {{ day }} < coalesce({{ valid_to }}, 'infinity'))
{%- endmacro %}
