with

source as (

    select * from {{ source('merchant_cosharing', 'loan_returns') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by return_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        return_id,
        loan_id,
        merchant_id,
        store_id,

        -- strings
        trim(reason) as reason,
        lower(trim(state)) as state,

        -- numerics
        return_amount,

        -- timestamps
        requested_at,
        completed_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
