-- One row per customer with a loan: the first day any of their instalments reached 30 days past due (the due date
-- + 30 of an instalment not paid in full by then; cancelled instalments never count), null if none has so far.
-- "Reached 30 DPD on day d" is known on day d, whatever happens later, so features may compare it with an
-- application time without looking ahead.
with

instalments as (

    select * from {{ ref('fct_instalments') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

reached as (

    select
        instalments.customer_id,
        cast({{ dbt.dateadd('day', 30, 'instalments.due_on') }} as date) as reached_30dpd_on,
        instalments.paid_on

    from instalments
    where instalments.instalment_status <> 'cancelled'

)

select
    reached.customer_id,
    min(
        case
            when
                (reached.paid_on is null or reached.paid_on >= reached.reached_30dpd_on)
                and reached.reached_30dpd_on <= data_date.data_date
                then reached.reached_30dpd_on
        end
    ) as first_30dpd_on

from reached
cross join data_date
group by reached.customer_id
