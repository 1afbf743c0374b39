with

source as (

    select * from {{ source('core_lending', 'instalment_schedules') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by loan_id, instalment_no
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        loan_id || '|' || cast(instalment_no as varchar) as instalment_key,
        loan_id,
        instalment_no,

        -- numerics
        principal_due,
        interest_due,
        total_due,

        -- dates
        due_on,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
