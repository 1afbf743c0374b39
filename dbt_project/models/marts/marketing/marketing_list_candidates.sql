-- Every campaign candidate of the list day and whether it makes its list: the staged rows the publishing assets
-- audit (no restricted customer, contact caps hold) and copy into marketing_sms_list, marketing_call_list and
-- cross_sell_list. Contact caps: per customer and channel, the contacts in contact history inside the cap window
-- that ends on the contact day, plus this day's rows on that channel across all lists, may not exceed the cap; when
-- they would, the customer's campaigns are taken in priority order and the rest are left out (contact_cap).
with

candidates as (

    select * from {{ ref('int_campaign_candidates_matched') }}

),

caps as (

    select * from {{ ref('marketing_contact_caps') }}

),

history as (

    select * from {{ ref('int_contact_history_counted_in_cap_windows') }}

),

ranked as (

    select
        candidates.*,
        caps.window_days as cap_window_days,
        caps.max_contacts as contact_cap,
        coalesce(history.contacts_in_cap_window, 0) as contacts_in_cap_window,
        -- position among the customer's still-eligible candidates on this channel (null for one already left out)
        case
            when candidates.exclusion_reason is null
                then row_number() over (
                    partition by candidates.customer_id, candidates.channel, candidates.exclusion_reason is null
                    order by candidates.priority, candidates.campaign
                )
        end as channel_rank

    from candidates
    inner join caps
        on candidates.channel = caps.channel
    left join history
        on candidates.customer_id = history.customer_id
        and candidates.channel = history.channel

),

capped as (

    select
        ranked.*,
        case
            when ranked.exclusion_reason is not null then ranked.exclusion_reason
            when ranked.contacts_in_cap_window + ranked.channel_rank > ranked.contact_cap then 'contact_cap'
        end as final_exclusion_reason

    from ranked

)

select
    list_day,
    contact_on,
    list_name,
    campaign,
    channel,
    customer_id,
    customer_token,
    mobile_token,
    mobile_masked,
    trigger_event,
    trigger_event_on,
    trigger_loan_id,
    reason,
    priority,
    valid_until,
    pre_approved_limit,
    contacts_in_cap_window,
    channel_rank,
    contact_cap,
    cap_window_days,
    final_exclusion_reason is null as is_selected,
    final_exclusion_reason as exclusion_reason,
    marketing_restriction

from capped
