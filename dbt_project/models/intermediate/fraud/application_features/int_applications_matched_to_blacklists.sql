-- One row per application: its hits on the lender's own blacklist and on the external providers' feed - entries
-- listing the applicant's ID number or mobile, or the application's device, listed on or before the application's
-- features_as_of day (the lists carry a listing day, not a time: an entry listed that day counts). Each list is
-- joined once, on (entry type, value) equality: a hash join that reads the list once, never a scan per
-- application (measured: 5 million internal entries against 23,764 applications in 0.2 s).
-- A table, incremental by features_as_of_date like fraud_features (application_features_affected_by()): a daily
-- run matches the applications decided since the first day its newly loaded rows can change.
with

applications as (

    select * from {{ ref('int_applications_joined_to_identifiers') }}
    {{ where_rebuilt() }}

),

internal_blacklist as (

    select
        entry_type,
        case when entry_type = 'id_number' then upper(entry_value) else entry_value end as entry_value,
        listed_on

    from {{ ref('stg_fraud_data__internal_blacklist') }}

),

external_blacklist as (

    select
        provider,
        entry_type,
        case when entry_type = 'id_number' then upper(entry_value) else entry_value end as entry_value,
        risk_level,
        case risk_level when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end as risk_rank,
        listed_on

    from {{ ref('stg_fraud_data__external_blacklist') }}

),

-- the three values each application is checked on, one row each
checked_values as (

    select application_id, features_as_of_date, 'id_number' as entry_type, id_number as entry_value
    from applications
    union all
    select application_id, features_as_of_date, 'mobile' as entry_type, mobile as entry_value
    from applications
    where mobile is not null
    union all
    select application_id, features_as_of_date, 'device_id' as entry_type, device_id as entry_value
    from applications
    where device_id is not null

),

internal_hits as (

    select
        checked_values.application_id,
        count(case when checked_values.entry_type = 'id_number' then 1 end) as internal_id_number_hits,
        count(case when checked_values.entry_type = 'mobile' then 1 end) as internal_mobile_hits,
        count(case when checked_values.entry_type = 'device_id' then 1 end) as internal_device_hits

    from checked_values
    inner join internal_blacklist
        on
            checked_values.entry_type = internal_blacklist.entry_type
            and checked_values.entry_value = internal_blacklist.entry_value
    where internal_blacklist.listed_on <= checked_values.features_as_of_date
    group by checked_values.application_id

),

external_hits as (

    select
        checked_values.application_id,
        count(case when checked_values.entry_type = 'id_number' then 1 end) as external_id_number_hits,
        count(case when checked_values.entry_type = 'mobile' then 1 end) as external_mobile_hits,
        count(case when checked_values.entry_type = 'device_id' then 1 end) as external_device_hits,
        count(distinct external_blacklist.provider) as external_providers,
        max(external_blacklist.risk_rank) as external_max_risk_rank

    from checked_values
    inner join external_blacklist
        on
            checked_values.entry_type = external_blacklist.entry_type
            and checked_values.entry_value = external_blacklist.entry_value
    where external_blacklist.listed_on <= checked_values.features_as_of_date
    group by checked_values.application_id

)

select
    applications.application_id,
    applications.features_as_of_date,
    coalesce(internal_hits.internal_id_number_hits, 0) as internal_id_number_hits,
    coalesce(internal_hits.internal_mobile_hits, 0) as internal_mobile_hits,
    coalesce(internal_hits.internal_device_hits, 0) as internal_device_hits,
    coalesce(external_hits.external_id_number_hits, 0) as external_id_number_hits,
    coalesce(external_hits.external_mobile_hits, 0) as external_mobile_hits,
    coalesce(external_hits.external_device_hits, 0) as external_device_hits,
    coalesce(external_hits.external_providers, 0) as external_providers,
    coalesce(external_hits.external_max_risk_rank, 0) as external_max_risk_rank,
    case external_hits.external_max_risk_rank when 3 then 'high' when 2 then 'medium' when 1 then 'low' end
        as external_max_risk_level,
    {{ lake_loaded_at() }} as _loaded_at

from applications
left join internal_hits
    on applications.application_id = internal_hits.application_id
left join external_hits
    on applications.application_id = external_hits.application_id
