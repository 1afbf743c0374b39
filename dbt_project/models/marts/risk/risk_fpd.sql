-- One row per merchant, scenario and origination month with at least one loan that was not returned: first-payment
-- default. A loan is observable once its first instalment fell due at least 30 days before the data date and still
-- stands (fct_loans.is_fpd_observable), so its FPD30 outcome is final; the rates are over the observable loans.
-- FPD30 / FPD7: the first instalment was 30 / 7 or more days past due - paid that many days late or still unpaid
-- (fct_loans.is_fpd30 and first_instalment_dpd). Returned loans and loans whose first instalment was cancelled (a
-- course withdrawal agreed before it fell due) never had a first payment to make and are left out.
with

loans as (

    select * from {{ ref('fct_loans') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

fpd_loans as (

    select
        loans.merchant_id,
        loans.scenario,
        loans.origination_month,
        loans.principal,
        loans.is_fpd_observable as is_observable,
        coalesce(loans.first_instalment_dpd >= 7, false) as is_fpd7,
        loans.is_fpd30

    from loans
    where loans.loan_status <> 'returned'

),

grouped as (

    select
        fpd_loans.merchant_id,
        fpd_loans.scenario,
        fpd_loans.origination_month,
        count(*) as loan_count,
        sum(fpd_loans.principal) as principal,
        sum(case when fpd_loans.is_observable then 1 else 0 end) as observable_loan_count,
        sum(case when fpd_loans.is_observable then fpd_loans.principal else 0 end) as observable_principal,
        sum(case when fpd_loans.is_observable and fpd_loans.is_fpd7 then 1 else 0 end) as fpd7_loan_count,
        sum(case when fpd_loans.is_observable and fpd_loans.is_fpd7 then fpd_loans.principal else 0 end)
            as fpd7_principal,
        sum(case when fpd_loans.is_observable and fpd_loans.is_fpd30 then 1 else 0 end) as fpd30_loan_count,
        sum(case when fpd_loans.is_observable and fpd_loans.is_fpd30 then fpd_loans.principal else 0 end)
            as fpd30_principal

    from fpd_loans
    group by fpd_loans.merchant_id, fpd_loans.scenario, fpd_loans.origination_month

)

select
    -- keys
    grouped.merchant_id,
    grouped.scenario,
    grouped.origination_month,

    -- loans disbursed (not returned)
    cast(grouped.loan_count as bigint) as loan_count,
    cast(grouped.principal as decimal(18, 2)) as principal,

    -- observable (the denominators)
    cast(grouped.observable_loan_count as bigint) as observable_loan_count,
    cast(grouped.observable_principal as decimal(18, 2)) as observable_principal,

    -- FPD30
    cast(grouped.fpd30_loan_count as bigint) as fpd30_loan_count,
    cast(grouped.fpd30_principal as decimal(18, 2)) as fpd30_principal,
    {{ ratio('grouped.fpd30_loan_count', 'grouped.observable_loan_count') }} as fpd30_rate,
    {{ ratio('grouped.fpd30_principal', 'grouped.observable_principal') }} as fpd30_principal_rate,

    -- FPD7
    cast(grouped.fpd7_loan_count as bigint) as fpd7_loan_count,
    cast(grouped.fpd7_principal as decimal(18, 2)) as fpd7_principal,
    {{ ratio('grouped.fpd7_loan_count', 'grouped.observable_loan_count') }} as fpd7_rate,
    {{ ratio('grouped.fpd7_principal', 'grouped.observable_principal') }} as fpd7_principal_rate,

    -- dates
    data_date.data_date as as_of_date

from grouped
cross join data_date
