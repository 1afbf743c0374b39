with

source as (

    select * from {{ source('fraud_data', 'external_blacklist') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by entry_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        entry_id,

        -- strings
        lower(trim(provider)) as provider,
        lower(trim(entry_type)) as entry_type,
        trim(entry_value) as entry_value,
        lower(trim(risk_level)) as risk_level,

        -- dates
        listed_on,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
