-- One row per loan: the credit model's target. Bad = some instalment due within the first six months on book
-- (due date + 30 days on or before disbursement + 6 months) was not paid in full 30 days after its due date.
-- Observable = the six months have passed by the data date and the loan was not returned; cancelled instalments
-- (returns, course withdrawals) never count.
with

loans as (

    select * from {{ ref('fct_loans') }}

),

instalments as (

    select * from {{ ref('fct_instalments') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

horizons as (

    select
        loans.loan_id,
        loans.application_id,
        loans.disbursed_on,
        loans.loan_status,
        cast({{ dbt.dateadd('month', 6, 'loans.disbursed_on') }} as date) as horizon_on

    from loans

),

bad_instalments as (

    select distinct horizons.loan_id

    from horizons
    inner join instalments
        on horizons.loan_id = instalments.loan_id
    where
        instalments.instalment_status <> 'cancelled'
        and {{ dbt.dateadd('day', 30, 'instalments.due_on') }} <= horizons.horizon_on
        and (
            instalments.paid_on is null
            or instalments.paid_on >= {{ dbt.dateadd('day', 30, 'instalments.due_on') }}
        )

)

select
    horizons.loan_id,
    horizons.application_id,
    horizons.horizon_on,
    horizons.horizon_on <= data_date.data_date and horizons.loan_status <> 'returned' as is_target_observable,
    case
        when horizons.horizon_on <= data_date.data_date and horizons.loan_status <> 'returned'
            then bad_instalments.loan_id is not null
    end as is_bad_30dpd_6mob

from horizons
left join bad_instalments
    on horizons.loan_id = bad_instalments.loan_id
cross join data_date
