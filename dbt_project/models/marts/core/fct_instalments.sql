{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='instalment_key',
        on_schema_change='fail',
    )
}}
-- Incremental: a run rewrites the instalments whose schedule, loan, payments or loan return were loaded since the
-- last run, plus every instalment overdue as of the new data date (its days past due grow every day). Everything
-- else (paid, cancelled, not yet overdue) cannot have changed.
with

instalments as (

    select * from {{ ref('int_instalments_joined_to_payments') }}

)

select
    -- ids
    instalments.instalment_key,
    instalments.loan_id,
    instalments.instalment_no,
    instalments.customer_id,
    instalments.merchant_id,
    instalments.store_id,

    -- strings
    instalments.scenario,
    instalments.instalment_status,
    instalments.dpd_bucket,

    -- amounts
    cast(instalments.principal_due as decimal(18, 2)) as principal_due,
    cast(instalments.interest_due as decimal(18, 2)) as interest_due,
    cast(instalments.total_due as decimal(18, 2)) as total_due,
    cast(instalments.paid_amount as decimal(18, 2)) as paid_amount,
    cast(instalments.principal_repaid as decimal(18, 2)) as principal_repaid,
    cast(instalments.principal_outstanding as decimal(18, 2)) as principal_outstanding,
    cast(instalments.interest_waived as decimal(18, 2)) as interest_waived,

    -- numerics
    instalments.payment_count,
    instalments.days_past_due,

    -- dates
    instalments.due_on,
    instalments.paid_on,
    instalments.last_payment_on,

    -- lineage
    instalments._loaded_at

from instalments
{% if is_incremental() %}
where
    instalments._loaded_at > {{ loaded_at_watermark() }}
    or instalments.instalment_status = 'overdue'
{% endif %}
