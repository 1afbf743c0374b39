-- One row per application: where it was made from, compared with where it should be - great-circle distances (km)
-- from its GPS position to the store it names and to the centre of the applicant's home city (seed
-- city_centres), and the travel it implies since the same person's previous application with a position: distance,
-- hours between the two submissions, speed, and whether that speed is impossible (above impossible_travel_kmh()).
-- Only applications submitted before it are read. Distances are rounded to the metre, speeds to 0.1 km/h.
-- A table, incremental by features_as_of_date like fraud_features (application_features_affected_by()): a daily
-- run locates the applications decided since the first day its newly loaded rows can change, reading the earlier
-- applications of the same people only.
with

applications as (

    select * from {{ ref('int_applications_joined_to_identifiers') }}

),

-- the applications located: all of them, or those the run rebuilds
scoped as (

    select * from applications
    {{ where_rebuilt() }}

),

stores as (

    select * from {{ ref('stg_merchant_management__stores') }}

),

city_centres as (

    select * from {{ ref('city_centres') }}

),

-- applications with a position, each with the same person's previous one (ties on the second broken by id)
positioned as (

    select
        application_id,
        applied_at,
        gps_lat,
        gps_lon,
        lag(applied_at) over (partition by id_number order by applied_at, application_id) as previous_applied_at,
        lag(gps_lat) over (partition by id_number order by applied_at, application_id) as previous_gps_lat,
        lag(gps_lon) over (partition by id_number order by applied_at, application_id) as previous_gps_lon

    from applications
    where
        gps_lat is not null and gps_lon is not null
        {%- if is_incremental() %}
        and id_number in (select scoped.id_number from scoped)
        {%- endif %}

),

travel as (

    select
        application_id,
        {{ haversine_km('previous_gps_lat', 'previous_gps_lon', 'gps_lat', 'gps_lon') }} as km_from_previous,
        {{ dbt.datediff('previous_applied_at', 'applied_at', 'second') }} as seconds_since_previous

    from positioned
    where previous_applied_at is not null

)

select
    scoped.application_id,
    scoped.features_as_of_date,
    round({{ haversine_km('scoped.gps_lat', 'scoped.gps_lon', 'stores.gps_lat', 'stores.gps_lon') }}, 3)
        as km_to_store,
    round({{ haversine_km('scoped.gps_lat', 'scoped.gps_lon',
                          'city_centres.centre_lat', 'city_centres.centre_lon') }}, 3) as km_to_home_city,
    round(travel.km_from_previous, 3) as km_from_previous_application,
    round(travel.seconds_since_previous / 3600.0, 4) as hours_since_previous_application,
    -- two submissions in the same second count as one second apart
    round(travel.km_from_previous * 3600.0 / greatest(travel.seconds_since_previous, 1), 1)
        as kmh_since_previous_application,
    travel.km_from_previous * 3600.0 / greatest(travel.seconds_since_previous, 1) > {{ impossible_travel_kmh() }}
        as is_impossible_travel,
    {{ lake_loaded_at() }} as _loaded_at

from scoped
left join stores
    on scoped.store_id = stores.store_id
left join city_centres
    on scoped.home_city = city_centres.city_name
left join travel
    on scoped.application_id = travel.application_id
