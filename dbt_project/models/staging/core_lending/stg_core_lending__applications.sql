with

source as (

    select * from {{ source('core_lending', 'applications') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by application_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        application_id,
        customer_id,
        merchant_id,
        store_id,
        sales_rep_id,
        device_id,

        -- strings
        lower(trim(scenario)) as scenario,
        lower(trim(channel)) as channel,
        trim(ip_address) as ip_address,
        lower(trim(liveness_result)) as liveness_result,
        lower(trim(decision)) as decision,
        trim(decision_reason) as decision_reason,

        -- numerics
        requested_amount,
        requested_term_months,
        gps_lat,
        gps_lon,
        liveness_retries,

        -- timestamps
        applied_at,
        decided_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
