with

source as (

    select * from {{ source('merchant_cosharing', 'deposit_movements') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by movement_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        movement_id,
        merchant_id,

        -- strings
        lower(trim(movement_type)) as movement_type,

        -- numerics
        amount,

        -- timestamps
        moved_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
