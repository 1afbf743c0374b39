{#- Generic column test: every non-null value is a rate or share between 0 and 1 (a null - no denominator -
    passes; add not_null where a null is not allowed). -#}
{% test is_rate(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 1
{% endtest %}

{#- Generic column test: within each group of `group_by` columns the column sums to 1 (shares of a whole); groups
    whose values are all null are skipped. -#}
{% test sums_to_one_within(model, column_name, group_by, tolerance=0.000001) %}
select
    {{ group_by | join(', ') }},
    sum({{ column_name }}) as total
from {{ model }}
group by {{ group_by | join(', ') }}
having count({{ column_name }}) > 0 and abs(sum({{ column_name }}) - 1) > {{ tolerance }}
{% endtest %}
