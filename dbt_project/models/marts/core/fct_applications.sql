{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='application_id',
        on_schema_change='fail',
    )
}}
-- Incremental: a run takes the applications loaded since the last one, and those whose loan was loaded since
-- (a loan can be disbursed the day after its application).
with

applications as (

    select * from {{ ref('stg_core_lending__applications') }}

),

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

),

joined as (

    select
        -- ids
        applications.application_id,
        applications.customer_id,
        applications.merchant_id,
        applications.store_id,
        applications.sales_rep_id,
        loans.loan_id,
        applications.device_id,
        applications.ip_address,

        -- strings
        applications.scenario,
        applications.channel,
        applications.liveness_result,
        applications.decision,
        applications.decision_reason,

        -- numerics
        cast(applications.requested_amount as decimal(18, 2)) as requested_amount,
        applications.requested_term_months,
        applications.liveness_retries,
        {{ dbt.datediff('applications.applied_at', 'applications.decided_at', 'second') }} as decision_seconds,

        -- booleans
        applications.liveness_result = 'pass' as is_liveness_passed,
        applications.decision = 'approved' as is_approved,
        loans.loan_id is not null as is_disbursed,

        -- dates
        cast(applications.applied_at as date) as application_date,

        -- timestamps
        applications.applied_at,
        applications.decided_at,

        -- lineage
        greatest(applications._loaded_at, coalesce(loans._loaded_at, applications._loaded_at)) as _loaded_at

    from applications
    left join loans
        on applications.application_id = loans.application_id
    {% if is_incremental() %}
    where
        applications._loaded_at > {{ loaded_at_watermark() }}
        or loans._loaded_at > {{ loaded_at_watermark() }}
    {% endif %}

)

select * from joined
