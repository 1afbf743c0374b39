{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='repayment_id',
        on_schema_change='fail',
    )
}}
-- Incremental: a run takes the payments loaded since the last one (and any whose loan or schedule row was
-- reloaded since).
with

repayments as (

    select * from {{ ref('stg_core_lending__repayments') }}

),

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

),

schedules as (

    select * from {{ ref('stg_core_lending__instalment_schedules') }}

),

joined as (

    select
        -- ids
        repayments.repayment_id,
        repayments.loan_id,
        repayments.loan_id || '|' || cast(repayments.instalment_no as {{ dbt.type_string() }}) as instalment_key,
        loans.customer_id,
        loans.merchant_id,
        loans.store_id,

        -- strings
        loans.scenario,
        repayments.payment_channel,

        -- numerics
        repayments.instalment_no,
        cast(repayments.amount as decimal(18, 2)) as amount,
        {{ dbt.datediff('schedules.due_on', 'cast(repayments.paid_at as date)', 'day') }} as days_after_due,

        -- dates
        schedules.due_on,
        cast(repayments.paid_at as date) as paid_on,

        -- timestamps
        repayments.paid_at,

        -- lineage
        greatest(
            repayments._loaded_at,
            coalesce(loans._loaded_at, repayments._loaded_at),
            coalesce(schedules._loaded_at, repayments._loaded_at)
        ) as _loaded_at

    from repayments
    left join loans
        on repayments.loan_id = loans.loan_id
    left join schedules
        on
            repayments.loan_id = schedules.loan_id
            and repayments.instalment_no = schedules.instalment_no
    {% if is_incremental() %}
    where
        repayments._loaded_at > {{ loaded_at_watermark() }}
        or loans._loaded_at > {{ loaded_at_watermark() }}
        or schedules._loaded_at > {{ loaded_at_watermark() }}
    {% endif %}

)

select * from joined
