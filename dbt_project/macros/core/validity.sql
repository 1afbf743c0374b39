{#-
    Validity periods for "as of a day" look-ups, one convention for every dated model: a row holds from the day
    `valid_from` up to but not including the day `valid_to` (the first day of the next row of the same thing), and
    `valid_to` is null for a row still in force. Join a day to the row in force on it with
    `{{ is_in_force('day', 'rows.valid_from', 'rows.valid_to') }}` instead of expanding rows per day.
-#}
{% macro is_in_force(day, valid_from, valid_to) -%}
    ({{ valid_from }} <= {{ day }} and ({{ valid_to }} is null or {{ day }} < {{ valid_to }}))
{%- endmacro %}
