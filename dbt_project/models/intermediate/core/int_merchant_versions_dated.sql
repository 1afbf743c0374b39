-- One row per version of a merchant's terms (admission status, deposit ratio, credit quota and details), numbered
-- in the order they took effect, with two validities:
--   valid_from / valid_to (timestamps)       the moment the version took effect and the moment the next one
--                                            replaced it (null while in force) - the version's own history;
--   in_force_from / in_force_to (dates)      the days whose CLOSE it governs, in_force_from <= day < in_force_to
--                                            (null: still in force) - the terms "in force on a day" every daily or
--                                            month-end position uses, with is_in_force(). Of several versions that
--                                            take effect on one day only the day's last one governs it; the others
--                                            have in_force_from = in_force_to and govern no day.
with

merchant_versions as (

    select * from {{ ref('stg_merchant_management__merchants') }}

),

sequenced as (

    select
        merchant_versions.*,
        row_number() over (
            partition by merchant_versions.merchant_id
            order by merchant_versions.updated_at
        ) as version_no,
        lead(merchant_versions.updated_at) over (
            partition by merchant_versions.merchant_id
            order by merchant_versions.updated_at
        ) as replaced_at

    from merchant_versions

)

select
    -- ids
    sequenced.merchant_version_key,
    sequenced.merchant_id,
    sequenced.version_no,

    -- the version's terms and details
    sequenced.merchant_name,
    sequenced.scenario,
    sequenced.province,
    sequenced.city,
    sequenced.admission_status,
    sequenced.deposit_ratio,
    sequenced.credit_quota,
    sequenced.admitted_on,

    -- validity
    sequenced.updated_at as valid_from,
    sequenced.replaced_at as valid_to,
    cast(sequenced.updated_at as date) as in_force_from,
    cast(sequenced.replaced_at as date) as in_force_to

from sequenced
