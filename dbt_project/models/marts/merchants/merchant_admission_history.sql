-- Every version of a merchant's terms as a period: valid from the moment it took effect until the next version
-- replaced it (valid_to null = in force now; int_merchant_versions_dated), compared with the version before it to
-- say what changed.
with

merchant_versions as (

    select * from {{ ref('int_merchant_versions_dated') }}

),

sequenced as (

    select
        merchant_versions.*,
        lag(merchant_versions.merchant_name) over previous_versions as previous_merchant_name,
        lag(merchant_versions.scenario) over previous_versions as previous_scenario,
        lag(merchant_versions.province) over previous_versions as previous_province,
        lag(merchant_versions.city) over previous_versions as previous_city,
        lag(merchant_versions.admitted_on) over previous_versions as previous_admitted_on,
        lag(merchant_versions.admission_status) over previous_versions as previous_admission_status,
        lag(merchant_versions.deposit_ratio) over previous_versions as previous_deposit_ratio,
        lag(merchant_versions.credit_quota) over previous_versions as previous_credit_quota

    from merchant_versions
    window previous_versions as (partition by merchant_versions.merchant_id order by merchant_versions.version_no)

),

compared as (

    select
        sequenced.*,
        sequenced.version_no > 1
        and sequenced.admission_status is distinct from sequenced.previous_admission_status as is_status_changed,
        sequenced.version_no > 1
        and sequenced.credit_quota is distinct from sequenced.previous_credit_quota as is_credit_quota_changed,
        sequenced.version_no > 1
        and sequenced.deposit_ratio is distinct from sequenced.previous_deposit_ratio as is_deposit_ratio_changed,
        sequenced.version_no > 1
        and (
            sequenced.merchant_name is distinct from sequenced.previous_merchant_name
            or sequenced.scenario is distinct from sequenced.previous_scenario
            or sequenced.province is distinct from sequenced.previous_province
            or sequenced.city is distinct from sequenced.previous_city
            or sequenced.admitted_on is distinct from sequenced.previous_admitted_on
        ) as is_details_changed

    from sequenced

)

select
    -- ids
    compared.merchant_version_key,
    compared.merchant_id,
    cast(compared.version_no as bigint) as version_no,

    -- the version's state and terms
    compared.merchant_name,
    compared.scenario,
    compared.province,
    compared.city,
    compared.admission_status,
    compared.deposit_ratio,
    cast(compared.credit_quota as decimal(18, 2)) as credit_quota,
    compared.admitted_on,

    -- what changed against the previous version
    case
        when compared.version_no = 1 and compared.admission_status = 'pending' then 'applied'
        when compared.version_no = 1 and compared.admission_status = 'admitted' then 'admitted'
        when compared.version_no = 1 then compared.admission_status
        when compared.is_status_changed and compared.admission_status = 'admitted'
            and compared.previous_admission_status in ('suspended', 'terminated') then 'reinstated'
        when compared.is_status_changed and compared.admission_status = 'admitted' then 'admitted'
        when compared.is_status_changed and compared.admission_status in ('suspended', 'terminated', 'pending')
            then compared.admission_status
        when compared.is_status_changed then 'status_changed'
        when compared.is_credit_quota_changed or compared.is_deposit_ratio_changed then 'terms_changed'
        when compared.is_details_changed then 'details_changed'
        else 'unchanged'
    end as change_type,
    nullif(
        concat_ws(
            ', ',
            case when compared.is_status_changed then 'admission_status' end,
            case when compared.is_credit_quota_changed then 'credit_quota' end,
            case when compared.is_deposit_ratio_changed then 'deposit_ratio' end,
            case
                when compared.version_no > 1 and compared.admitted_on is distinct from compared.previous_admitted_on
                    then 'admitted_on'
            end,
            case
                when compared.version_no > 1 and compared.merchant_name is distinct from compared.previous_merchant_name
                    then 'merchant_name'
            end,
            case
                when compared.version_no > 1 and compared.scenario is distinct from compared.previous_scenario
                    then 'scenario'
            end,
            case
                when compared.version_no > 1 and compared.province is distinct from compared.previous_province
                    then 'province'
            end,
            case
                when compared.version_no > 1 and compared.city is distinct from compared.previous_city
                    then 'city'
            end
        ),
        ''
    ) as changed_fields,
    compared.is_status_changed,
    compared.is_credit_quota_changed,
    compared.is_deposit_ratio_changed,
    compared.previous_admission_status,
    compared.previous_deposit_ratio,
    cast(compared.previous_credit_quota as decimal(18, 2)) as previous_credit_quota,
    cast(compared.credit_quota - compared.previous_credit_quota as decimal(18, 2)) as credit_quota_change,

    -- validity
    compared.valid_to is null as is_current,
    compared.valid_from,
    compared.valid_to

from compared
