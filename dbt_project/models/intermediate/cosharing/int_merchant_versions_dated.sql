-- One row per merchant and day its terms changed: the terms in force at the end of that day (the day's last
-- version), in force until the day before the next change (valid_to_on null: still in force).
with

merchant_versions as (

    select * from {{ ref('stg_merchant_management__merchants') }}

),

last_of_day as (

    select
        merchant_versions.merchant_id,
        merchant_versions.admission_status,
        merchant_versions.deposit_ratio,
        merchant_versions.credit_quota,
        cast(merchant_versions.updated_at as date) as updated_on,
        row_number() over (
            partition by merchant_versions.merchant_id, cast(merchant_versions.updated_at as date)
            order by merchant_versions.updated_at desc
        ) as rank_in_day

    from merchant_versions

)

select
    last_of_day.merchant_id,
    last_of_day.admission_status,
    last_of_day.deposit_ratio,
    last_of_day.credit_quota,
    last_of_day.updated_on as valid_from_on,
    {{ day_before_next('last_of_day.updated_on', 'last_of_day.merchant_id') }} as valid_to_on

from last_of_day
where last_of_day.rank_in_day = 1
