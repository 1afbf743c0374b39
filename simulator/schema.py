"""The simulator's own description of every extract it writes: file format and columns, in order, with types.

It mirrors the ingestion contract on purpose (the simulator stands for the external systems and must not import the
lakehouse code); tests/simulator checks the two agree.
Types: string, integer, decimal (yuan, 2 decimals), double, boolean, date, timestamp.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntitySpec:
    source_system: str
    entity: str
    format: str  # csv | jsonl
    columns: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        return f"{self.source_system}.{self.entity}"

    @property
    def file_name(self) -> str:
        return f"{self.entity}.{self.format}"

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]


def _spec(system: str, entity: str, fmt: str, columns: str) -> EntitySpec:
    """Columns as 'name:type' pairs separated by whitespace."""
    pairs = tuple(tuple(item.split(":")) for item in columns.split())
    return EntitySpec(system, entity, fmt, pairs)  # type: ignore[arg-type]


SPECS: tuple[EntitySpec, ...] = (
    _spec("core_lending", "customers", "csv", """
        customer_id:string full_name:string id_number:string mobile:string home_province:string home_city:string
        home_address:string declared_monthly_income:decimal occupation:string registered_at:timestamp"""),
    _spec("core_lending", "applications", "csv", """
        application_id:string customer_id:string merchant_id:string store_id:string sales_rep_id:string
        scenario:string channel:string requested_amount:decimal requested_term_months:integer applied_at:timestamp
        device_id:string ip_address:string gps_lat:double gps_lon:double liveness_result:string
        liveness_retries:integer decision:string decision_reason:string decided_at:timestamp"""),
    _spec("core_lending", "loans", "csv", """
        loan_id:string application_id:string customer_id:string merchant_id:string store_id:string scenario:string
        principal:decimal term_months:integer annual_rate:double disbursed_on:date first_due_on:date"""),
    _spec("core_lending", "instalment_schedules", "csv", """
        loan_id:string instalment_no:integer due_on:date principal_due:decimal interest_due:decimal
        total_due:decimal"""),
    _spec("core_lending", "repayments", "csv", """
        repayment_id:string loan_id:string instalment_no:integer paid_at:timestamp amount:decimal
        payment_channel:string"""),
    _spec("merchant_management", "merchants", "csv", """
        merchant_id:string merchant_name:string scenario:string province:string city:string admission_status:string
        admitted_on:date deposit_ratio:double credit_quota:decimal updated_at:timestamp"""),
    _spec("merchant_management", "stores", "csv", """
        store_id:string merchant_id:string store_name:string city:string address:string gps_lat:double
        gps_lon:double opened_on:date"""),
    _spec("merchant_management", "sales_reps", "csv", """
        sales_rep_id:string merchant_id:string store_id:string rep_name:string mobile:string hired_on:date"""),
    _spec("merchant_cosharing", "deposit_movements", "csv", """
        movement_id:string merchant_id:string movement_type:string amount:decimal moved_at:timestamp"""),
    _spec("merchant_cosharing", "loan_returns", "csv", """
        return_id:string loan_id:string merchant_id:string store_id:string return_amount:decimal reason:string
        state:string requested_at:timestamp completed_at:timestamp"""),
    _spec("merchant_cosharing", "refunds", "csv", """
        refund_id:string loan_id:string merchant_id:string store_id:string refund_amount:decimal reason:string
        state:string requested_at:timestamp completed_at:timestamp"""),
    _spec("merchant_cosharing", "course_withdrawals", "csv", """
        withdrawal_id:string loan_id:string customer_id:string merchant_id:string agreed_on:date course_fee:decimal
        lessons_total:integer lessons_used:integer unused_tuition:decimal"""),
    _spec("merchant_cosharing", "store_statements", "csv", """
        statement_id:string store_id:string merchant_id:string statement_date:date loans_disbursed:integer
        disbursed_amount:decimal returns_amount:decimal refunds_amount:decimal net_payable:decimal"""),
    _spec("credit_bureau", "reports", "jsonl", """
        report_id:string customer_id:string id_number:string queried_at:timestamp employer_type:string
        employer_name:string provident_fund_status:string provident_fund_base:decimal existing_credit_lines:integer
        total_credit_limit:decimal credit_utilization:double overdue_accounts:integer"""),
    _spec("third_party", "multi_lending", "jsonl", """
        record_id:string customer_id:string institution_type:string event_type:string amount:decimal event_on:date
        reported_at:timestamp"""),
    _spec("third_party", "repayment_behaviour", "jsonl", """
        record_id:string customer_id:string accounts_elsewhere:integer on_time_ratio_12m:double
        overdue_count_12m:integer max_dpd_12m:integer reported_at:timestamp"""),
    _spec("third_party", "collection_contacts", "jsonl", """
        record_id:string customer_id:string contact_type:string counterparty_category:string
        contacted_at:timestamp"""),
    _spec("fraud_data", "internal_blacklist", "csv", """
        entry_id:string entry_type:string entry_value:string reason:string listed_on:date"""),
    _spec("fraud_data", "external_blacklist", "jsonl", """
        entry_id:string provider:string entry_type:string entry_value:string risk_level:string listed_on:date"""),
    _spec("fraud_data", "device_fingerprints", "csv", """
        fingerprint_id:string application_id:string customer_id:string device_id:string os:string
        device_model:string is_emulator:boolean is_rooted:boolean captured_at:timestamp"""),
    _spec("fraud_data", "contact_lists", "csv", """
        customer_id:string contact_mobile:string contact_name:string relation:string uploaded_at:timestamp"""),
    _spec("operations", "complaints", "csv", """
        complaint_id:string merchant_id:string customer_id:string channel:string category:string severity:string
        content:string received_at:timestamp"""),
    _spec("operations", "callbacks", "csv", """
        callback_id:string loan_id:string customer_id:string merchant_id:string called_at:timestamp result:string"""),
    _spec("marketing", "contact_history", "csv", """
        contact_id:string customer_id:string channel:string campaign:string contacted_at:timestamp outcome:string"""),
    _spec("marketing", "opt_outs", "csv", """
        opt_out_id:string customer_id:string channel:string opted_out_at:timestamp"""),
)

SPECS_BY_KEY = {spec.key: spec for spec in SPECS}


def spec(key: str) -> EntitySpec:
    """The spec for 'source_system.entity'."""
    return SPECS_BY_KEY[key]
