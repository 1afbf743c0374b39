-- Contacts each customer has had on each capped channel (SMS, outbound call): in total, in the cap window that ends
-- on the lists' contact day (contact_on, the day after the data date - so a 7-day window holds the 6 days up to the
-- data date and the contact day), the responses, and the latest contact. Only contact history up to the data date.
with

contacts as (

    select * from {{ ref('stg_marketing__contact_history') }}

),

caps as (

    select * from {{ ref('marketing_contact_caps') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

windows as (

    select
        caps.channel,
        caps.window_days,
        caps.max_contacts,
        data_date.data_date,
        {{ contact_on('data_date.data_date') }} as contact_on,
        cast({{ dbt.dateadd('day', '1 - caps.window_days', contact_on('data_date.data_date')) }} as date)
            as window_start_on

    from caps
    cross join data_date

)

select
    contacts.customer_id,
    windows.channel,
    windows.window_days,
    windows.max_contacts,
    windows.window_start_on,
    windows.contact_on,
    count(*) as contact_count,
    count(
        case when cast(contacts.contacted_at as date) >= windows.window_start_on then 1 end
    ) as contacts_in_cap_window,
    count(
        case
            when contacts.channel = 'sms' and contacts.outcome = 'clicked' then 1
            when contacts.channel = 'outbound_call' and contacts.outcome in ('interested', 'applied') then 1
        end
    ) as response_count,
    max(contacts.contacted_at) as last_contacted_at

from contacts
inner join windows
    on contacts.channel = windows.channel
    and cast(contacts.contacted_at as date) <= windows.data_date
group by
    contacts.customer_id,
    windows.channel,
    windows.window_days,
    windows.max_contacts,
    windows.window_start_on,
    windows.contact_on
