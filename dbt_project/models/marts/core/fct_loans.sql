with

loans as (

    select * from {{ ref('int_loans_aggregated_from_instalments') }}

)

select
    -- ids
    loans.loan_id,
    loans.application_id,
    loans.customer_id,
    loans.merchant_id,
    loans.store_id,
    loans.sales_rep_id,

    -- strings
    loans.scenario,
    loans.loan_status,
    {{ dpd_bucket('loans.current_dpd') }} as current_dpd_bucket,

    -- terms
    cast(loans.principal as decimal(18, 2)) as principal,
    loans.term_months,
    loans.annual_rate,

    -- repayment position as of the data date
    cast(loans.instalment_count as bigint) as instalment_count,
    cast(loans.instalments_paid as bigint) as instalments_paid,
    cast(loans.instalments_overdue as bigint) as instalments_overdue,
    cast(loans.instalments_cancelled as bigint) as instalments_cancelled,
    cast(loans.amount_repaid as decimal(18, 2)) as amount_repaid,
    cast(loans.principal_repaid as decimal(18, 2)) as principal_repaid,
    cast(loans.outstanding_principal as decimal(18, 2)) as outstanding_principal,
    cast(loans.principal_cancelled as decimal(18, 2)) as principal_cancelled,
    cast(loans.overdue_amount as decimal(18, 2)) as overdue_amount,
    cast(loans.interest_waived as decimal(18, 2)) as interest_waived,
    cast(loans.refunded_amount as decimal(18, 2)) as refunded_amount,

    -- delinquency
    loans.current_dpd,
    loans.max_dpd_to_date,
    loans.first_instalment_dpd,
    loans.max_dpd_to_date >= 30 as ever_30dpd,
    loans.max_dpd_to_date >= 60 as ever_60dpd,
    loans.max_dpd_to_date >= 90 as ever_90dpd,
    coalesce(loans.first_instalment_dpd >= 30, false) as is_fpd30,
    loans.is_fpd_observable,

    -- dates
    loans.disbursed_on,
    cast({{ dbt.date_trunc('month', 'loans.disbursed_on') }} as date) as origination_month,
    loans.first_due_on,
    loans.maturity_on,
    loans.oldest_overdue_due_on,
    loans.returned_on,
    loans.withdrawn_on,
    loans.written_off_on,
    loans.paid_off_on,
    loans.data_date as as_of_date

from loans
