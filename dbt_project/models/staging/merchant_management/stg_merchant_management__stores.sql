with

source as (

    select * from {{ source('merchant_management', 'stores') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by store_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        store_id,
        merchant_id,

        -- strings
        trim(store_name) as store_name,
        trim(city) as city,
        trim(address) as address,

        -- numerics
        gps_lat,
        gps_lon,

        -- dates
        opened_on,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
