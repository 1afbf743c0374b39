-- Customers the fraud model sent to review or rejected, once marts.fraud_scores exists (the model is being built;
-- until then this is empty and the internal blacklist alone marks suspected fraud).
with

fraud_scores as (

    {{ optional_source('model_outputs', 'fraud_scores', [
        ['application_id', 'varchar'],
        ['customer_id', 'varchar'],
        ['decision', 'varchar'],
    ]) }}

),

applications as (

    select * from {{ ref('fct_applications') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

)

select
    fraud_scores.customer_id,
    min(applications.application_date) as first_flagged_on,
    count(*) as flagged_applications,
    max(fraud_scores.decision) as worst_decision

from fraud_scores
inner join applications
    on fraud_scores.application_id = applications.application_id
cross join data_date
where fraud_scores.decision in ('review', 'reject')
    and applications.application_date <= data_date.data_date
group by fraud_scores.customer_id
