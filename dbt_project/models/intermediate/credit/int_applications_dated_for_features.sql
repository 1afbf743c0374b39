-- One row per application with the moment its features are taken at (`features_as_of`): the decision time. The
-- bureau and third-party reports are pulled while the application is being decided, seconds after it is submitted;
-- whatever arrived after the decision could not have been used, and no feature may look past this moment.
with

applications as (

    select * from {{ ref('stg_core_lending__applications') }}

)

select
    applications.application_id,
    applications.customer_id,
    applications.merchant_id,
    applications.store_id,
    applications.scenario,
    applications.channel,
    applications.requested_amount,
    applications.requested_term_months,
    applications.applied_at,
    applications.decision,
    coalesce(applications.decided_at, applications.applied_at) as features_as_of,
    cast(coalesce(applications.decided_at, applications.applied_at) as date) as features_as_of_date

from applications
