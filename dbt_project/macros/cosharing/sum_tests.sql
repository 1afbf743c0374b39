{#-
    Generic column test: the column's total over the model equals another model's column total (a reconciliation,
    e.g. disbursed principal per store-day summed equals fct_loans' principal). Narrow the model's rows with the
    standard `config: where:` and the compared rows with `to_where`. `column_name` and `field` may be expressions.
-#}
{% test sum_equals(model, column_name, to, field, to_where='1 = 1', tolerance=0) %}
with

model_total as (

    select coalesce(sum({{ column_name }}), 0) as total from {{ model }}

),

compared_total as (

    select coalesce(sum({{ field }}), 0) as total from {{ to }} where {{ to_where }}

)

select
    model_total.total as model_total,
    compared_total.total as compared_total
from model_total
cross join compared_total
where abs(model_total.total - compared_total.total) > {{ tolerance }}
{% endtest %}
