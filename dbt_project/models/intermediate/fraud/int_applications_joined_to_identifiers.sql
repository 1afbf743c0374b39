-- One row per application: the applicant's identifiers (ID number, mobile, home city) and the application's own
-- (device, IP address, GPS position, liveness check), with its features_as_of moment. Personal data: ephemeral,
-- joined on here and in the fraud intermediates only; nothing of it reaches a mart.
with

applications as (

    select * from {{ ref('int_applications_dated_for_features') }}

),

source_applications as (

    select * from {{ ref('stg_core_lending__applications') }}

),

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

fingerprints as (

    select
        application_id,
        min(device_id) as device_id

    from {{ ref('stg_fraud_data__device_fingerprints') }}
    group by application_id

)

select
    applications.application_id,
    applications.customer_id,
    applications.merchant_id,
    applications.store_id,
    applications.scenario,
    applications.channel,
    applications.decision,
    applications.applied_at,
    applications.features_as_of,
    applications.features_as_of_date,
    -- one person, one identity: the ID number (a customer record without one stands for itself)
    coalesce(customers.id_number, applications.customer_id) as id_number,
    customers.mobile,
    customers.home_city,
    coalesce(source_applications.device_id, fingerprints.device_id) as device_id,
    source_applications.ip_address,
    source_applications.gps_lat,
    source_applications.gps_lon,
    source_applications.liveness_result,
    source_applications.liveness_retries

from applications
inner join source_applications
    on applications.application_id = source_applications.application_id
left join customers
    on applications.customer_id = customers.customer_id
left join fingerprints
    on applications.application_id = fingerprints.application_id
