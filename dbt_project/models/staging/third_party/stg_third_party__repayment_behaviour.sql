with

source as (

    select * from {{ source('third_party', 'repayment_behaviour') }}
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

        -- numerics
        accounts_elsewhere,
        on_time_ratio_12m,
        overdue_count_12m,
        max_dpd_12m,

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
