with

source as (

    select * from {{ source('marketing', 'opt_outs') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by opt_out_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        opt_out_id,
        customer_id,

        -- strings
        lower(trim(channel)) as channel,

        -- timestamps
        opted_out_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
