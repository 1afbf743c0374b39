with

source as (

    select * from {{ source('merchant_cosharing', 'store_statements') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by statement_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        statement_id,
        store_id,
        merchant_id,

        -- numerics
        loans_disbursed,
        disbursed_amount,
        returns_amount,
        refunds_amount,
        net_payable,

        -- dates
        statement_date,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
