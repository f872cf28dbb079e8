//! The content of the register's console pages: finding a beneficiary, registering one,
//! recording a decision, a beneficiary's decisions with their forms (suspend, resume, stop,
//! change the recipient) and history, and the base levels. Pure functions from data to markup.

use asxh_api::{BaseLevelJson, BeneficiaryRecord, EntitlementRecord};
use asxh_text::Msg;
use maud::{html, Markup};

use super::page::{csrf_field, when, Lang};
use crate::register::{StopReason, SuspendReason};

fn day(d: &str) -> String {
    asxh_text::format::date(d)
}

fn status_label(status: &str) -> Msg {
    match status {
        "suspended" => Msg::RegisterStatusSuspended,
        "stopped" => Msg::RegisterStatusStopped,
        _ => Msg::RegisterStatusActive,
    }
}

fn suspend_reason(r: SuspendReason) -> Msg {
    match r {
        SuspendReason::NotCollected => Msg::RegisterReasonNotCollected,
        SuspendReason::UnderReview => Msg::RegisterReasonUnderReview,
        SuspendReason::Other => Msg::RegisterReasonOther,
    }
}

fn stop_reason(r: StopReason) -> Msg {
    match r {
        StopReason::Deceased => Msg::RegisterReasonDeceased,
        StopReason::MovedAway => Msg::RegisterReasonMovedAway,
        StopReason::NoLongerEligible => Msg::RegisterReasonNotEligible,
    }
}

/// A reason code of either kind, as people read it.
fn reason_text(l: Lang, code: &str) -> String {
    SuspendReason::parse(code)
        .map(suspend_reason)
        .or_else(|_| StopReason::parse(code).map(stop_reason))
        .map_or_else(|_| code.to_owned(), |m| l.text(m).to_owned())
}

fn role_text(l: Lang, role: &str) -> &'static str {
    match role {
        "guardian" => l.text(Msg::RegisterRoleGuardian),
        _ => l.text(Msg::RegisterRoleAuthorised),
    }
}

fn change_text(change: &str) -> Msg {
    match change {
        "suspended" => Msg::RegisterChangeSuspended,
        "resumed" => Msg::RegisterChangeResumed,
        "stopped" => Msg::RegisterChangeStopped,
        "recipient" => Msg::RegisterChangeRecipientDone,
        "account" => Msg::RegisterChangeAccount,
        _ => Msg::RegisterChangeRecorded,
    }
}

/// What a history row said, in a few words: the reason and day, the note, the recipient.
fn change_detail(l: Lang, detail: &str) -> String {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(detail) else {
        return String::new();
    };
    let text = |k: &str| v.get(k).and_then(|x| x.as_str());
    let mut parts = Vec::new();
    if let Some(r) = text("reason") {
        parts.push(reason_text(l, r));
    }
    if let Some(on) = text("on") {
        parts.push(format!(
            "{} {}",
            l.text(Msg::RegisterOnDay).to_lowercase(),
            day(on)
        ));
    }
    if let (Some(role), Some(name)) = (text("role"), text("name")) {
        parts.push(format!("{}: {name}", role_text(l, role)));
    }
    if v.get("role").is_some_and(|r| r.is_null()) {
        parts.push(l.text(Msg::RegisterOnlyHolder).to_owned());
    }
    if let Some(no) = text("decision_no") {
        parts.push(format!("{} {no}", l.text(Msg::RegisterDecisionNo)));
    }
    if let Some(note) = text("note") {
        parts.push(note.to_owned());
    }
    parts.join(" · ")
}

fn rule_text(l: Lang, e: &EntitlementRecord) -> String {
    match (e.coefficient, e.fixed_vnd) {
        (Some(c), _) => format!(
            "{} {}",
            match l {
                Lang::Vi => format!("{},{:02}", c / 100, c % 100),
                Lang::En => format!("{}.{:02}", c / 100, c % 100),
            },
            l.text(Msg::RegisterTimesBase)
        ),
        (None, Some(a)) => l.money(a),
        (None, None) => String::new(),
    }
}

/// A labelled input named `name`, its id prefixed with its form's `prefix` (one page holds
/// several forms with the same fields).
fn field(prefix: &str, name: &str, label: Msg, l: Lang, kind: &str, required: bool) -> Markup {
    let id = format!("{prefix}-{name}");
    html! {
        label for=(id) { (l.text(label)) }
        input id=(id) name=(name) type=(kind) required[required];
    }
}

/// The register's first page: find a beneficiary; and, for those who record, register one and
/// record a decision.
pub fn start(l: Lang, csrf: &str, may_record: bool) -> Markup {
    html! {
        form method="get" action="/console/register" class="panel" role="search" {
            h2 { (l.text(Msg::RegisterFindBeneficiary)) }
            (field("f", "ssn", Msg::ConsoleSSN, l, "text", true))
            button type="submit" { (l.text(Msg::RegisterOpen)) }
        }
        p { a href="/console/register/base-levels" { (l.text(Msg::RegisterBaseLevels)) } }
        @if may_record {
            form method="post" action="/console/register/beneficiaries" class="panel" {
                h2 { (l.text(Msg::RegisterPutBeneficiary)) }
                (csrf_field(csrf))
                (field("b", "ssn", Msg::ConsoleSSN, l, "text", true))
                (field("b", "full_name", Msg::ConsoleName, l, "text", true))
                (field("b", "area", Msg::RegisterResidence, l, "text", true))
                button type="submit" { (l.text(Msg::RegisterSave)) }
            }
            (decision_form(l, csrf, None))
        }
    }
}

/// The form recording a decision (for `ssn` when given).
fn decision_form(l: Lang, csrf: &str, ssn: Option<&str>) -> Markup {
    html! {
        form method="post" action="/console/register/decisions" class="panel" {
            h2 { (l.text(Msg::RegisterRecordDecision)) }
            (csrf_field(csrf))
            p class="hint" { (l.text(Msg::RegisterDecisionFor)) }
            label for="d-ssn" { (l.text(Msg::ConsoleSSN)) }
            input id="d-ssn" name="ssn" type="text" value=[ssn];
            (field("d", "household", Msg::RegisterHousehold, l, "text", false))
            (field("d", "program", Msg::RegisterProgram, l, "text", true))
            (field("d", "category", Msg::RegisterCategory, l, "text", true))
            (field("d", "coefficient", Msg::RegisterCoefficient, l, "number", false))
            (field("d", "fixed_vnd", Msg::RegisterFixedAmount, l, "number", false))
            (field("d", "decision_no", Msg::RegisterDecisionNo, l, "text", true))
            (field("d", "decision_date", Msg::RegisterDecisionDate, l, "date", true))
            (field("d", "paid_from", Msg::RegisterPaidFrom, l, "month", true))
            (field("d", "paid_until", Msg::RegisterPaidUntil, l, "month", false))
            (field("d", "settled_until", Msg::RegisterSettledUntil, l, "month", false))
            (recipient_fields(l, "d"))
            button type="submit" { (l.text(Msg::RegisterSave)) }
        }
    }
}

fn recipient_fields(l: Lang, prefix: &str) -> Markup {
    html! {
        fieldset {
            legend { (l.text(Msg::RegisterWhoCollects)) }
            label for={ (prefix) "-role" } { (l.text(Msg::RegisterWhoCollects)) }
            select id={ (prefix) "-role" } name="role" {
                option value="" { (l.text(Msg::RegisterOnlyHolder)) }
                option value="guardian" { (l.text(Msg::RegisterRoleGuardian)) }
                option value="authorised" { (l.text(Msg::RegisterRoleAuthorised)) }
            }
            (field(prefix, "name", Msg::RegisterRecipientName, l, "text", false))
            (field(prefix, "id_number", Msg::RegisterIdNumber, l, "text", false))
            (field(prefix, "document", Msg::RegisterDocument, l, "text", false))
            (field(prefix, "valid_from", Msg::RegisterValidFrom, l, "date", false))
            (field(prefix, "valid_until", Msg::RegisterValidUntil, l, "date", false))
        }
    }
}

/// A status form of an entitlement: `change` is `suspend`, `resume` or `stop`.
fn status_form(l: Lang, csrf: &str, ssn: &str, id: i64, change: &str) -> Markup {
    let (title, reasons): (Msg, Vec<(&str, Msg)>) = match change {
        "suspend" => (
            Msg::RegisterSuspend,
            SuspendReason::ALL
                .iter()
                .map(|r| (r.as_str(), suspend_reason(*r)))
                .collect(),
        ),
        "stop" => (
            Msg::RegisterStop,
            StopReason::ALL
                .iter()
                .map(|r| (r.as_str(), stop_reason(*r)))
                .collect(),
        ),
        _ => (Msg::RegisterResume, Vec::new()),
    };
    let prefix = format!("{change}-{id}");
    html! {
        form method="post" action={ "/console/register/entitlements/" (id) "/" (change) } class="panel" {
            h3 { (l.text(title)) }
            (csrf_field(csrf))
            input type="hidden" name="ssn" value=(ssn);
            @if !reasons.is_empty() {
                label for={ (prefix) "-reason" } { (l.text(Msg::ConsoleReason)) }
                select id={ (prefix) "-reason" } name="reason" required {
                    @for (code, text) in &reasons {
                        option value=(code) { (l.text(*text)) }
                    }
                }
            }
            label for={ (prefix) "-on" } { (l.text(Msg::RegisterOnDay)) }
            input id={ (prefix) "-on" } name="on" type="date" required;
            label for={ (prefix) "-note" } { (l.text(Msg::RegisterNote)) }
            input id={ (prefix) "-note" } name="note" type="text";
            button type="submit" class=[(change == "stop").then_some("danger")] { (l.text(title)) }
        }
    }
}

fn recipient_form(l: Lang, csrf: &str, ssn: &str, e: &EntitlementRecord) -> Markup {
    html! {
        form method="post" action={ "/console/register/entitlements/" (e.id) "/recipient" } class="panel" {
            h3 { (l.text(Msg::RegisterChangeRecipient)) }
            (csrf_field(csrf))
            input type="hidden" name="ssn" value=(ssn);
            (recipient_fields(l, &format!("r-{}", e.id)))
            button type="submit" { (l.text(Msg::RegisterSave)) }
        }
    }
}

/// How an entitlement is paid: at the counter, or into the account given.
fn account_form(l: Lang, csrf: &str, ssn: &str, id: i64) -> Markup {
    let prefix = format!("a-{id}");
    html! {
        form method="post" action={ "/console/register/entitlements/" (id) "/account" } class="panel" {
            h3 { (l.text(Msg::RegisterAccountTitle)) }
            (csrf_field(csrf))
            input type="hidden" name="ssn" value=(ssn);
            label for={ (prefix) "-method" } { (l.text(Msg::RegisterAccountTitle)) }
            select id={ (prefix) "-method" } name="method" {
                option value="counter" { (l.text(Msg::RegisterAccountCounter)) }
                option value="account" { (l.text(Msg::RegisterAccountInto)) }
            }
            label for={ (prefix) "-kind" } { (l.text(Msg::RegisterAccountKind)) }
            select id={ (prefix) "-kind" } name="kind" {
                option value="bank" { (l.text(Msg::RegisterAccountBank)) }
                option value="ewallet" { (l.text(Msg::RegisterAccountEwallet)) }
            }
            (field(&prefix, "provider", Msg::RegisterAccountProvider, l, "text", false))
            (field(&prefix, "account_no", Msg::RegisterAccountNumber, l, "text", false))
            (field(&prefix, "holder_name", Msg::RegisterAccountHolderName, l, "text", false))
            label for={ (prefix) "-owner" } { (l.text(Msg::RegisterAccountOwner)) }
            select id={ (prefix) "-owner" } name="owner" {
                option value="holder" { (l.text(Msg::RegisterAccountOwnerHolder)) }
                option value="recipient" { (l.text(Msg::RegisterAccountOwnerRecipient)) }
            }
            button type="submit" { (l.text(Msg::RegisterAccountSet)) }
        }
    }
}

/// A beneficiary with every decision; the forms for those who may change them.
pub fn beneficiary(l: Lang, csrf: &str, b: &BeneficiaryRecord, may_record: bool) -> Markup {
    html! {
        dl class="panel" {
            dt { (l.text(Msg::ConsoleName)) } dd { (b.full_name) }
            dt { (l.text(Msg::ConsoleSSN)) } dd { (b.ssn) }
            dt { (l.text(Msg::ConsoleArea)) } dd { (b.area) }
        }
        h2 { (l.text(Msg::RegisterEntitlements)) }
        @if b.entitlements.is_empty() {
            p { (l.text(Msg::RegisterNoEntitlements)) }
        }
        @for e in &b.entitlements {
            section class="panel" {
                h3 {
                    (l.program(&e.program).unwrap_or(&e.program)) " — " (e.category)
                    @if let Some(h) = &e.household { " (" (l.text(Msg::RegisterHouseholdDecision)) " " (h) ")" }
                }
                dl {
                    dt { (l.text(Msg::ConsoleStatus)) }
                    dd {
                        span class={ "status status-" (e.status) } { (l.text(status_label(&e.status))) }
                        @if let (Some(r), Some(on)) = (&e.reason, &e.status_on) { " · " (reason_text(l, r)) " · " (day(on)) }
                    }
                    dt { (l.text(Msg::RegisterRule)) } dd { (rule_text(l, e)) }
                    dt { (l.text(Msg::RegisterDecisionNo)) } dd { (e.decision_no) " · " (day(&e.decision_date)) }
                    dt { (l.text(Msg::RegisterMonths)) }
                    dd { (day(&e.paid_from)) " – " @if let Some(u) = &e.paid_until { (day(u)) } }
                    dt { (l.text(Msg::RegisterFirstPaid)) } dd { (day(&e.first_paid)) }
                    dt { (l.text(Msg::RegisterWhoCollects)) }
                    dd {
                        @match &e.recipient {
                            Some(r) => { (role_text(l, &r.role)) ": " (r.name) " · " (r.id_number) " · " (r.document) " · " (day(&r.valid_from)) " – " @if let Some(u) = &r.valid_until { (day(u)) } },
                            None => { (l.text(Msg::RegisterOnlyHolder)) },
                        }
                    }
                }
                @if may_record && e.status != "stopped" {
                    div class="forms" {
                        @if e.status == "active" { (status_form(l, csrf, &b.ssn, e.id, "suspend")) }
                        @if e.status == "suspended" { (status_form(l, csrf, &b.ssn, e.id, "resume")) }
                        (status_form(l, csrf, &b.ssn, e.id, "stop"))
                        @if e.household.is_none() {
                            (recipient_form(l, csrf, &b.ssn, e))
                            (account_form(l, csrf, &b.ssn, e.id))
                        }
                    }
                }
                table {
                    caption { (l.text(Msg::RegisterHistory)) }
                    tbody {
                        @for ev in &e.history {
                            tr {
                                td { (when(ev.at)) }
                                td { (l.actor(&ev.actor)) }
                                td { (l.text(change_text(&ev.change))) }
                                td { (change_detail(l, &ev.detail)) }
                            }
                        }
                    }
                }
            }
        }
        @if may_record { (decision_form(l, csrf, Some(&b.ssn))) }
    }
}

/// The base levels, and the form setting a province's own for an administrator.
pub fn base_levels(l: Lang, csrf: &str, levels: &[BaseLevelJson], may_set: bool) -> Markup {
    html! {
        p class="hint" { (l.text(Msg::RegisterBaseLevelHint)) }
        div class="panel" { table {
            thead {
                tr {
                    th { (l.text(Msg::RegisterProgram)) }
                    th { (l.text(Msg::ConsoleArea)) }
                    th { (l.text(Msg::RegisterFromMonth)) }
                    th class="num" { (l.text(Msg::RegisterAmount)) }
                    th { (l.text(Msg::RegisterDecree)) }
                }
            }
            tbody {
                @for b in levels {
                    tr {
                        td { (l.program(&b.program).unwrap_or(&b.program)) }
                        td { (b.province.as_deref().unwrap_or(l.text(Msg::RegisterNational))) }
                        td { (day(&b.from)) }
                        td class="num" { (l.money(b.amount_vnd)) }
                        td { (b.decree) }
                    }
                }
            }
        } }
        @if may_set {
            form method="post" action="/console/register/base-levels" class="panel" {
                h2 { (l.text(Msg::RegisterSetBaseLevel)) }
                (csrf_field(csrf))
                (field("l", "program", Msg::RegisterProgram, l, "text", true))
                (field("l", "province", Msg::RegisterProvince, l, "text", true))
                (field("l", "from", Msg::RegisterFromMonth, l, "month", true))
                (field("l", "amount_vnd", Msg::RegisterAmount, l, "number", true))
                (field("l", "decree", Msg::RegisterDecree, l, "text", true))
                button type="submit" { (l.text(Msg::RegisterSave)) }
            }
        }
    }
}
