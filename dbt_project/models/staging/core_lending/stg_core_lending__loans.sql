with

source as (

    select * from {{ source('core_lending', 'loans') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by loan_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        loan_id,
        application_id,
        customer_id,
        merchant_id,
        store_id,

        -- strings
        lower(trim(scenario)) as scenario,

        -- numerics
        principal,
        term_months,
        annual_rate,

        -- dates
        disbursed_on,
        first_due_on,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
