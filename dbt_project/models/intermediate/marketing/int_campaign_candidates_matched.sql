-- Who each campaign would contact on the list day: customers with a campaign's trigger event in its trigger window
-- (the latest such event per customer and campaign), routed to a channel and a list, with the first reason - if any -
-- they must be left out before contact caps are counted: restricted, no mobile to contact, no pre-approved limit,
-- or already contacted
-- for the campaign since the event. Cross-sell triggers do not fire when the customer has already borrowed or
-- applied in the offered scenario since the purchase.
with

events as (

    select * from {{ ref('int_lifecycle_events_detected') }}

),

campaigns as (

    select * from {{ ref('marketing_campaigns') }}

),

profile as (

    select * from {{ ref('customer_profile') }}

),

applications as (

    select * from {{ ref('fct_applications') }}

),

contacts as (

    select * from {{ ref('stg_marketing__contact_history') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

triggered as (

    select
        events.event_key,
        events.customer_id,
        events.trigger_event,
        events.event_on,
        events.loan_id,
        campaigns.campaign,
        campaigns.list_kind,
        campaigns.target_scenario,
        campaigns.channel_rule,
        campaigns.priority,
        campaigns.offer_valid_days,
        data_date.data_date

    from events
    inner join campaigns
        on events.trigger_event = campaigns.trigger_event
    cross join data_date
    where events.event_on
        > cast({{ dbt.dateadd('day', '-campaigns.trigger_window_days', 'data_date.data_date') }} as date)
    qualify row_number() over (
        partition by events.customer_id, campaigns.campaign
        order by events.event_on desc, events.event_key desc
    ) = 1

),

target_taken as (

    select distinct
        triggered.customer_id,
        triggered.campaign

    from triggered
    inner join applications
        on triggered.customer_id = applications.customer_id
        and triggered.target_scenario = applications.scenario
        and applications.application_date >= triggered.event_on
        and applications.application_date <= triggered.data_date

),

contacted_since_event as (

    select distinct
        triggered.customer_id,
        triggered.campaign

    from triggered
    inner join contacts
        on triggered.customer_id = contacts.customer_id
        and triggered.campaign = contacts.campaign
        and cast(contacts.contacted_at as date) >= triggered.event_on
        and cast(contacts.contacted_at as date) <= triggered.data_date

),

routed as (

    select
        triggered.*,
        case triggered.channel_rule
            when 'preferred' then profile.channel_preference
            else triggered.channel_rule
        end as channel,
        profile.id_number_token,
        profile.mobile_token,
        profile.mobile_masked,
        profile.pre_approved_limit,
        profile.is_restricted,
        profile.marketing_restriction,
        contacted_since_event.customer_id is not null as is_contacted_since_event

    from triggered
    inner join profile
        on triggered.customer_id = profile.customer_id
    left join target_taken
        on triggered.customer_id = target_taken.customer_id
        and triggered.campaign = target_taken.campaign
    left join contacted_since_event
        on triggered.customer_id = contacted_since_event.customer_id
        and triggered.campaign = contacted_since_event.campaign
    where target_taken.customer_id is null

)

select
    data_date as list_day,
    {{ contact_on('data_date') }} as contact_on,
    case
        when list_kind = 'cross_sell' then 'cross_sell_list'
        when channel = 'sms' then 'marketing_sms_list'
        else 'marketing_call_list'
    end as list_name,
    campaign,
    channel,
    customer_id,
    id_number_token as customer_token,
    mobile_token,
    mobile_masked,
    trigger_event,
    event_on as trigger_event_on,
    loan_id as trigger_loan_id,
    trigger_event || ' on ' || cast(event_on as varchar)
    || coalesce(' (loan ' || loan_id || ')', '') as reason,
    priority,
    cast({{ dbt.dateadd('day', 'offer_valid_days', 'event_on') }} as date) as valid_until,
    pre_approved_limit,
    marketing_restriction,
    case
        when is_restricted then 'restricted'
        when mobile_token is null then 'no_mobile'
        when pre_approved_limit <= 0 then 'no_pre_approved_limit'
        when is_contacted_since_event then 'already_contacted'
    end as exclusion_reason

from routed
