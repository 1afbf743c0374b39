-- One row per merchant: its latest version of terms (admission status, deposit ratio, credit quota), with the day
-- it was first admitted and when it first appeared in merchant management.
with

merchant_versions as (

    select * from {{ ref('stg_merchant_management__merchants') }}

),

ranked as (

    select
        merchant_versions.*,
        row_number() over (
            partition by merchant_versions.merchant_id
            order by merchant_versions.updated_at desc
        ) as version_rank,
        count(*) over (partition by merchant_versions.merchant_id) as version_count,
        min(merchant_versions.updated_at) over (partition by merchant_versions.merchant_id) as first_seen_at,
        min(merchant_versions.admitted_on) over (partition by merchant_versions.merchant_id) as first_admitted_on

    from merchant_versions

)

select
    ranked.merchant_id,
    ranked.merchant_name,
    ranked.scenario,
    ranked.province,
    ranked.city,
    ranked.admission_status,
    ranked.admitted_on,
    ranked.first_admitted_on,
    ranked.deposit_ratio,
    ranked.credit_quota,
    ranked.updated_at as terms_updated_at,
    ranked.first_seen_at,
    ranked.version_count

from ranked
where ranked.version_rank = 1
