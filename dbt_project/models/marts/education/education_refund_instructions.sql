{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        tags=['daily_partitioned'],
        pre_hook="{{ replace_partition_window('refund_on') }}",
    )
}}
-- Built one refund day (T+1) at a time by the partitioned Dagster asset: the window's rows are deleted and
-- rewritten in one transaction, so a re-run of a day gives the same rows and never duplicates.
with

priced as (

    select * from {{ ref('int_course_withdrawals_priced') }}

)

select
    -- ids
    priced.withdrawal_id,
    priced.loan_id,
    priced.customer_id,
    priced.merchant_id,
    priced.store_id,

    -- dates
    priced.refund_on,
    priced.agreed_on,

    -- the course
    cast(priced.course_fee as decimal(18, 2)) as course_fee,
    cast(priced.lessons_total as integer) as lessons_total,
    cast(priced.lessons_used as integer) as lessons_used,
    cast(priced.unused_tuition as decimal(18, 2)) as unused_tuition,

    -- the loan at the end of day T
    cast(priced.instalments_paid as integer) as instalments_paid,
    cast(priced.instalments_owed as integer) as instalments_owed,
    cast(priced.instalments_cancelled as integer) as instalments_cancelled,
    cast(priced.amount_paid_by_customer as decimal(18, 2)) as amount_paid_by_customer,
    cast(priced.principal_paid_by_customer as decimal(18, 2)) as principal_paid_by_customer,
    cast(priced.principal_owed as decimal(18, 2)) as principal_owed,
    cast(priced.principal_cancelled as decimal(18, 2)) as principal_cancelled,
    cast(priced.interest_cancelled as decimal(18, 2)) as interest_cancelled,

    -- the instructions
    cast(priced.merchant_refund_amount as decimal(18, 2)) as merchant_refund_amount,
    cast(priced.customer_refund_amount as decimal(18, 2)) as customer_refund_amount,
    cast(priced.customer_residual_principal as decimal(18, 2)) as customer_residual_principal

from priced
where {{ partition_window_condition('priced.refund_on') }}
