-- One row per sighting of a device with a customer: every application that names its device (at applied_at) and
-- every device fingerprint captured with an application (at captured_at, seconds before it is submitted). The one
-- source of "who used which device when" for the device features, the velocity counts and the device links of
-- the knowledge graph.
with

applications as (

    select * from {{ ref('stg_core_lending__applications') }}

),

fingerprints as (

    select * from {{ ref('stg_fraud_data__device_fingerprints') }}

)

select
    'application' as sighting_source,
    applications.application_id,
    applications.customer_id,
    applications.merchant_id,
    applications.device_id,
    applications.applied_at as seen_at

from applications
where applications.device_id is not null

union all

select
    'fingerprint' as sighting_source,
    fingerprints.application_id,
    fingerprints.customer_id,
    applications.merchant_id,
    fingerprints.device_id,
    fingerprints.captured_at as seen_at

from fingerprints
left join applications
    on fingerprints.application_id = applications.application_id
where fingerprints.device_id is not null
