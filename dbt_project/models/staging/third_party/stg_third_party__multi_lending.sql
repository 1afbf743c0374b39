with

source as (

    select * from {{ source('third_party', 'multi_lending') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by record_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        record_id,
        customer_id,

        -- strings
        lower(trim(institution_type)) as institution_type,
        lower(trim(event_type)) as event_type,

        -- numerics
        amount,

        -- dates
        event_on,

        -- timestamps
        reported_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
