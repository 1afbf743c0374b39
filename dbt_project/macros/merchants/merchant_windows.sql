{#-
    Building blocks of the merchant tiers and warnings (models/*/merchants/).

    total_over: the sum of a daily count over the `days` days ending with the row's day, as the difference of two
    running totals of int_merchant_days_measured (cum_<column> and cum_<column>_back_<days>, the total `days` days
    earlier) - so a day is measured without the days before it.
-#}
{% macro total_over(column, days, relation='looked_back') -%}
    ({{ relation }}.cum_{{ column }} - {{ relation }}.cum_{{ column }}_back_{{ days }})
{%- endmacro %}

{#- The same sum over the `days` days BEFORE the row's day (the row's own day left out): a baseline to compare with. -#}
{% macro total_before(column, days, relation='looked_back') -%}
    ({{ relation }}.cum_{{ column }}_back_1 - {{ relation }}.cum_{{ column }}_back_{{ days + 1 }})
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
