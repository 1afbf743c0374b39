{#-
    Generic column test: every non-null value is a rate between 0 and 1 (a null - no denominator - passes).
-#}
{% test is_rate(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 1
{% endtest %}

{#-
    Generic column test: the column's total over the model (narrowed with the standard `config: where:`) equals the
    total of `field` over the relation `to`, narrowed by the SQL condition `to_condition`. Reconciles a mart with the
    core fact it aggregates (`field: 1` counts rows).
-#}
{% test totals_match(model, column_name, to, field, to_condition='1 = 1') %}
with

model_total as (

    select coalesce(sum({{ column_name }}), 0) as total from {{ model }}

),

expected_total as (

    select coalesce(sum({{ field }}), 0) as total from {{ to }} where {{ to_condition }}

)

select
    model_total.total as model_total,
    expected_total.total as expected_total

from model_total
cross join expected_total
where model_total.total <> expected_total.total
{% endtest %}
