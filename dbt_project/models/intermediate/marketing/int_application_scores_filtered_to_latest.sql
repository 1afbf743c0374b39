-- The credit scorecard's view of each customer: the score of their latest application decided by the data date.
-- application_scores is written by the credit_scoring job and may not exist yet (then no customer has a score).
with

scores as (

    {{ optional_source('model_outputs', 'application_scores', [
        ['application_id', 'varchar'],
        ['customer_id', 'varchar'],
        ['applied_at', 'timestamp'],
        ['pd', 'double'],
        ['grade', 'varchar'],
        ['recommended_limit', 'decimal(18,2)'],
        ['model_version', 'integer'],
    ]) }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

)

select
    scores.customer_id,
    scores.application_id,
    scores.grade,
    scores.pd,
    scores.recommended_limit,
    scores.model_version,
    cast(scores.applied_at as date) as scored_application_on

from scores
cross join data_date
where cast(scores.applied_at as date) <= data_date.data_date
qualify row_number() over (
    partition by scores.customer_id
    order by scores.applied_at desc, scores.application_id desc
) = 1
