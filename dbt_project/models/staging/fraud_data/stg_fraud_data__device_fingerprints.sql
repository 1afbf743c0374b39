with

source as (

    select * from {{ source('fraud_data', 'device_fingerprints') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by fingerprint_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        fingerprint_id,
        application_id,
        customer_id,
        device_id,

        -- strings
        lower(trim(os)) as os,
        trim(device_model) as device_model,

        -- booleans
        is_emulator,
        is_rooted,

        -- timestamps
        captured_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
