with

source as (

    select * from {{ source('core_lending', 'repayments') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by repayment_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        repayment_id,
        loan_id,

        -- strings
        lower(trim(payment_channel)) as payment_channel,

        -- numerics
        instalment_no,
        amount,

        -- timestamps
        paid_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
