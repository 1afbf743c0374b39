with

source as (

    select * from {{ source('merchant_management', 'sales_reps') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by sales_rep_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        sales_rep_id,
        merchant_id,
        store_id,

        -- strings
        trim(rep_name) as rep_name,
        trim(mobile) as mobile,

        -- dates
        hired_on,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
