-- One row per merchant: its latest version of terms (admission status, deposit ratio, credit quota) - the one still
-- in force in int_merchant_versions_dated - with the day it was first admitted and when it first appeared in
-- merchant management.
with

merchant_versions as (

    select * from {{ ref('int_merchant_versions_dated') }}

),

summarised as (

    select
        merchant_versions.*,
        count(*) over (partition by merchant_versions.merchant_id) as version_count,
        min(merchant_versions.valid_from) over (partition by merchant_versions.merchant_id) as first_seen_at,
        min(merchant_versions.admitted_on) over (partition by merchant_versions.merchant_id) as first_admitted_on

    from merchant_versions

)

select
    summarised.merchant_id,
    summarised.merchant_name,
    summarised.scenario,
    summarised.province,
    summarised.city,
    summarised.admission_status,
    summarised.admitted_on,
    summarised.first_admitted_on,
    summarised.deposit_ratio,
    summarised.credit_quota,
    summarised.valid_from as terms_updated_at,
    summarised.first_seen_at,
    summarised.version_count

from summarised
where summarised.valid_to is null
