{#-
    Validity periods for "as of a day" look-ups. A row valid from `valid_from` (a day) holds until the day before the
    next row of the same partition starts; the last row is open-ended (null). Join a day to it with
    `{{ is_in_force('day', 'valid_from_on', 'valid_to_on') }}` instead of a per-day expansion.
-#}
{% macro day_before_next(valid_from, partition_by) -%}
    cast({{ dbt.dateadd(
        'day', -1, 'lead(' ~ valid_from ~ ') over (partition by ' ~ partition_by ~ ' order by ' ~ valid_from ~ ')'
    ) }} as date)
{%- endmacro %}

{% macro is_in_force(day, valid_from, valid_to) -%}
    ({{ day }} >= {{ valid_from }} and ({{ valid_to }} is null or {{ day }} <= {{ valid_to }}))
{%- endmacro %}
