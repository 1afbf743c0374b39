-- One row per application: the fraud assessment's features in six groups (column prefixes blacklist_, liveness_,
-- device_, gps_, velocity_, graph_), each computed only from data known at the application's features_as_of
-- moment (its decision time). Ids, counts, flags and distances only: no ID number, mobile, address or position.
-- Incremental by the day of features_as_of, as are the four intermediates it joins (application_features_affected_by()
-- says which day each source's newly loaded rows change the features from): a daily run rebuilds the applications
-- decided since that day - the new ones, more when a blacklist entry or a fingerprint lands late.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ replace_affected_application_days('cast(features_as_of as date)') }}",
    )
}}
with

applications as (

    select * from {{ ref('int_applications_joined_to_identifiers') }}
    {{ where_rebuilt() }}

),

blacklists as (

    select * from {{ ref('int_applications_matched_to_blacklists') }}
    {{ where_rebuilt() }}

),

velocity as (

    select * from {{ ref('int_applications_aggregated_from_velocity') }}
    {{ where_rebuilt() }}

),

located as (

    select * from {{ ref('int_applications_located') }}
    {{ where_rebuilt() }}

),

graph as (

    select * from {{ ref('int_applications_joined_to_knowledge_graph') }}
    {{ where_rebuilt() }}

),

fingerprints as (

    select
        application_id,
        min(os) as os,
        bool_or(coalesce(is_emulator, false)) as is_emulator,
        bool_or(coalesce(is_rooted, false)) as is_rooted

    from {{ ref('stg_fraud_data__device_fingerprints') }}
    {%- if is_incremental() %}
    where application_id in (select applications.application_id from applications)
    {%- endif %}
    group by application_id

)

select
    -- ids
    applications.application_id,
    applications.customer_id,
    applications.merchant_id,
    applications.store_id,

    -- the application
    applications.scenario,
    applications.channel,
    applications.decision,
    applications.applied_at,
    applications.features_as_of,
    cast({{ dbt.date_trunc('month', 'applications.applied_at') }} as date) as application_month,

    -- blacklists: the lender's own list and the external feed, on ID number, mobile and device
    cast(blacklists.internal_id_number_hits as integer) as blacklist_internal_id_number_hits,
    cast(blacklists.internal_mobile_hits as integer) as blacklist_internal_mobile_hits,
    cast(blacklists.internal_device_hits as integer) as blacklist_internal_device_hits,
    cast(
        blacklists.internal_id_number_hits + blacklists.internal_mobile_hits + blacklists.internal_device_hits
        as integer
    ) as blacklist_internal_hits,
    cast(blacklists.external_id_number_hits as integer) as blacklist_external_id_number_hits,
    cast(blacklists.external_mobile_hits as integer) as blacklist_external_mobile_hits,
    cast(blacklists.external_device_hits as integer) as blacklist_external_device_hits,
    cast(
        blacklists.external_id_number_hits + blacklists.external_mobile_hits + blacklists.external_device_hits
        as integer
    ) as blacklist_external_hits,
    cast(blacklists.external_providers as integer) as blacklist_external_providers,
    blacklists.external_max_risk_level as blacklist_external_max_risk_level,
    cast(blacklists.external_max_risk_rank as integer) as blacklist_external_max_risk_rank,
    (
        blacklists.internal_id_number_hits + blacklists.internal_mobile_hits + blacklists.internal_device_hits
        + blacklists.external_id_number_hits + blacklists.external_mobile_hits + blacklists.external_device_hits
    ) > 0 as blacklist_any_hit,

    -- liveness (face) check
    applications.liveness_result,
    cast(applications.liveness_retries as integer) as liveness_retries,
    applications.liveness_result = 'pass' as liveness_is_passed,

    -- device
    fingerprints.application_id is not null as device_has_fingerprint,
    fingerprints.os as device_os,
    coalesce(fingerprints.is_emulator, false) as device_is_emulator,
    coalesce(fingerprints.is_rooted, false) as device_is_rooted,
    cast(velocity.device_customers_1d as integer) as device_customers_1d,
    cast(velocity.device_customers_7d as integer) as device_customers_7d,
    cast(velocity.device_customers_30d as integer) as device_customers_30d,
    cast(velocity.id_number_devices_30d as integer) as device_devices_of_applicant_30d,

    -- GPS position
    cast(located.km_to_store as double) as gps_km_to_store,
    cast(located.km_to_home_city as double) as gps_km_to_home_city,
    cast(located.km_from_previous_application as double) as gps_km_from_previous_application,
    cast(located.hours_since_previous_application as double) as gps_hours_since_previous_application,
    cast(located.kmh_since_previous_application as double) as gps_kmh_since_previous_application,
    coalesce(located.is_impossible_travel, false) as gps_is_impossible_travel,

    -- velocity: applications by the same ID number, mobile and device, across merchants
    {%- for key_type in ['id_number', 'mobile', 'device'] %}
    {%- for window in ['1h', '1d', '7d', '30d'] %}
    cast(velocity.{{ key_type }}_applications_{{ window }} as integer) as velocity_{{ key_type }}_applications_{{ window }},
    {%- endfor %}
    {%- endfor %}
    cast(velocity.id_number_merchants_7d as integer) as velocity_id_number_merchants_7d,

    -- knowledge graph, as it stood at features_as_of
    graph.component_id as graph_component_id,
    cast(graph.component_size as integer) as graph_component_size,
    cast(graph.neighbours as integer) as graph_neighbours,
    cast(graph.device_neighbours as integer) as graph_device_neighbours,
    cast(graph.address_neighbours as integer) as graph_address_neighbours,
    cast(graph.ip_neighbours as integer) as graph_ip_neighbours,
    cast(graph.contact_neighbours as integer) as graph_contact_neighbours,
    cast(graph.blacklisted_within_2_hops as integer) as graph_blacklisted_within_2_hops,

    -- the load time of the newest landed file when the row was built: the incremental watermark
    {{ lake_loaded_at() }} as _loaded_at

from applications
left join blacklists
    on applications.application_id = blacklists.application_id
left join velocity
    on applications.application_id = velocity.application_id
left join located
    on applications.application_id = located.application_id
left join graph
    on applications.application_id = graph.application_id
left join fingerprints
    on applications.application_id = fingerprints.application_id
