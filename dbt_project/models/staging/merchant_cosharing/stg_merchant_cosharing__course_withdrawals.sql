with

source as (

    select * from {{ source('merchant_cosharing', 'course_withdrawals') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by withdrawal_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        withdrawal_id,
        loan_id,
        customer_id,
        merchant_id,

        -- numerics
        course_fee,
        lessons_total,
        lessons_used,
        unused_tuition,

        -- dates
        agreed_on,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
