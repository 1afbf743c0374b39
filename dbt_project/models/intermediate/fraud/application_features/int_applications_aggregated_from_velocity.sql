-- One row per application: how often its identity keys - the applicant's ID number and mobile, the application's
-- device - were seen in the 1 hour, 1 day, 7 and 30 days up to its submission (applied_at), across merchants:
-- applications (the application itself included, so at least 1), distinct customers and merchants behind them,
-- and the devices the same person used. An application is seen at its submission and, through its device
-- fingerprint, at the capture seconds before; a window runs from applied_at minus its length (inclusive) to
-- applied_at (inclusive). Everything counted is dated at or before applied_at, so before features_as_of.
-- A table, incremental by features_as_of_date like fraud_features (application_features_affected_by()): a daily
-- run counts for the applications decided since the first day its newly loaded rows can change, reading the
-- sightings of the 30 days before them.
with

applications as (

    select * from {{ ref('int_applications_joined_to_identifiers') }}

),

-- the applications counted for: all of them, or those the run rebuilds
scoped as (

    select * from applications
    {{ where_rebuilt() }}

),

sightings as (

    select * from {{ ref('int_device_sightings_unioned') }}

),

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

-- every moment an application was seen: its submission, and its fingerprint capture
events as (

    select
        applications.application_id,
        applications.customer_id,
        applications.merchant_id,
        applications.id_number,
        applications.mobile,
        applications.device_id,
        applications.applied_at as event_at

    from applications

    union all

    select
        sightings.application_id,
        sightings.customer_id,
        sightings.merchant_id,
        coalesce(customers.id_number, sightings.customer_id) as id_number,
        customers.mobile,
        sightings.device_id,
        sightings.seen_at as event_at

    from sightings
    left join customers
        on sightings.customer_id = customers.customer_id
    where sightings.sighting_source = 'fingerprint'

),

-- a window reaches 30 days back from its application
events_in_reach as (

    select * from events
    {%- if is_incremental() %}
    where event_at >= (select {{ dbt.dateadd('day', -30, 'min(applied_at)') }} from scoped)
    {%- endif %}

),

keyed_events as (

    select 'id_number' as key_type, id_number as key_value, events.* from events_in_reach as events
    union all
    select 'mobile' as key_type, mobile as key_value, events.* from events_in_reach as events
    where mobile is not null
    union all
    select 'device' as key_type, device_id as key_value, events.* from events_in_reach as events
    where device_id is not null

),

application_keys as (

    select application_id, applied_at, 'id_number' as key_type, id_number as key_value from scoped
    union all
    select application_id, applied_at, 'mobile' as key_type, mobile as key_value from scoped
    where mobile is not null
    union all
    select application_id, applied_at, 'device' as key_type, device_id as key_value from scoped
    where device_id is not null

),

windowed as (

    select
        application_keys.application_id,
        application_keys.key_type,
        {%- for label, part, length in [('1h', 'hour', 1), ('1d', 'day', 1), ('7d', 'day', 7), ('30d', 'day', 30)] %}
        count(distinct case
            when keyed_events.event_at >= {{ dbt.dateadd(part, -length, 'application_keys.applied_at') }}
                then keyed_events.application_id
        end) as applications_{{ label }},
        count(distinct case
            when keyed_events.event_at >= {{ dbt.dateadd(part, -length, 'application_keys.applied_at') }}
                then keyed_events.customer_id
        end) as customers_{{ label }},
        {%- endfor %}
        count(distinct case
            when keyed_events.event_at >= {{ dbt.dateadd('day', -7, 'application_keys.applied_at') }}
                then keyed_events.merchant_id
        end) as merchants_7d,
        count(distinct keyed_events.device_id) as devices_30d

    from application_keys
    inner join keyed_events
        on
            application_keys.key_type = keyed_events.key_type
            and application_keys.key_value = keyed_events.key_value
    where
        keyed_events.event_at <= application_keys.applied_at
        and keyed_events.event_at >= {{ dbt.dateadd('day', -30, 'application_keys.applied_at') }}
    group by application_keys.application_id, application_keys.key_type

)

select
    scoped.application_id,
    scoped.features_as_of_date,
    {%- for key_type in ['id_number', 'mobile', 'device'] %}
    {%- for label in ['1h', '1d', '7d', '30d'] %}
    coalesce(max(case when windowed.key_type = '{{ key_type }}' then windowed.applications_{{ label }} end), 0)
        as {{ key_type }}_applications_{{ label }},
    {%- endfor %}
    {%- endfor %}
    coalesce(max(case when windowed.key_type = 'id_number' then windowed.merchants_7d end), 0)
        as id_number_merchants_7d,
    coalesce(max(case when windowed.key_type = 'id_number' then windowed.devices_30d end), 0)
        as id_number_devices_30d,
    {%- for label in ['1d', '7d', '30d'] %}
    coalesce(max(case when windowed.key_type = 'device' then windowed.customers_{{ label }} end), 0)
        as device_customers_{{ label }},
    {%- endfor %}
    {{ lake_loaded_at() }} as _loaded_at

from scoped
left join windowed
    on scoped.application_id = windowed.application_id
group by scoped.application_id, scoped.features_as_of_date
