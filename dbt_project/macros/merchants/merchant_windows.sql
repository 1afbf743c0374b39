{#-
    Building blocks of the merchant tiers and warnings (models/*/merchants/).

    trailing_sum: the sum of a daily count over the `days` days ending with the row's day, on a DENSE merchant x day
    spine (one row per merchant and calendar day, no gaps) - so a row frame is a day frame, and the same SQL runs on
    engines without range frames over dates.
-#}
{% macro trailing_sum(expression, days, partition_by='merchant_days.merchant_id', order_by='merchant_days.date_day') -%}
    sum({{ expression }}) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between {{ days - 1 }} preceding and current row
    )
{%- endmacro %}

{#- The same sum over the `days` days BEFORE the row's day (the row's own day left out): a baseline to compare with. -#}
{% macro preceding_sum(expression, days, partition_by='merchant_days.merchant_id', order_by='merchant_days.date_day') -%}
    coalesce(sum({{ expression }}) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between {{ days }} preceding and 1 preceding
    ), 0)
{%- endmacro %}

{#-
    Points of a tier metric, 0 (at or beyond `bad`) to 100 (at or beyond `good`), linear in between; works both ways
    (good above bad for "more is better", good below bad for rates of bad outcomes). Null stays null (not scored).
-#}
{% macro tier_points(value, bad, good) -%}
    case
        when {{ value }} is null or {{ good }} = {{ bad }} then null
        else 100.0 * least(greatest(({{ value }} - {{ bad }}) / ({{ good }} - {{ bad }}), 0.0), 1.0)
    end
{%- endmacro %}

{#- Hour of day 23:00-05:59, the small hours in which genuine instalment sales are rare. -#}
{% macro is_odd_hour(timestamp) -%}
    (extract(hour from {{ timestamp }}) >= 23 or extract(hour from {{ timestamp }}) < 6)
{%- endmacro %}
