//! The content of each console page (inside the frame of [`super::page::layout`]): log-in,
//! dashboard, search, a card, the revocation and replacement forms with their confirmation step,
//! offices and accounts, and the one-time token page. Pure functions from data to markup; the
//! handlers in [`super`] load the data and check who may see it.

use std::collections::BTreeMap;

use asxh_api::{CardRecord, CardStatus};
use asxh_core::lists::RevocationReason;
use asxh_core::view::EntitlementView;
use asxh_text::Msg;
use maud::{html, Markup};

use super::page::{bar_chart, csrf_field, when, Lang};
use crate::auth::{Account, AccountSummary, Role};
use crate::policy::{self, Action};
use crate::registry::lifecycle::{self, CardChange};
use crate::registry::replacement::{self, Replacement};
use crate::registry::CardSummary;
use crate::stats::{Counts, Dashboard};

/// A date as people read it, day first (`19/08/1946`, `08/1946`, `1946`).
fn day(d: &impl ToString) -> String {
    asxh_text::format::date(&d.to_string())
}

fn status_badge(l: Lang, status: CardStatus) -> Markup {
    html! { span class={ "status status-" (status.as_str()) } { (l.status(status.as_str())) } }
}

fn card_link(serial: &str) -> Markup {
    html! { a href={ "/console/cards/" (serial) } { (serial) } }
}

pub fn login(l: Lang, login_csrf: &str) -> Markup {
    html! {
        section class="panel" {
            p { (l.text(Msg::ConsoleLogInWithTheAccount)) }
            form method="post" action="/console/login" {
                (csrf_field(login_csrf))
                label for="token" { (l.text(Msg::ConsoleAccountToken)) }
                input type="password" id="token" name="token" required autocomplete="off" autofocus spellcheck="false";
                div { button type="submit" { (l.text(Msg::ConsoleLogIn)) } }
            }
        }
    }
}

fn counts_row(l: Lang, label: &str, c: &Counts) -> Markup {
    html! {
        tr {
            th scope="row" { (label) }
            td class="num" { (l.count(c.issued())) }
            td class="num" { (l.count(c.active)) }
            td class="num" { (l.count(c.revoked)) }
            td class="num" { (l.count(c.pending)) }
        }
    }
}

fn counts_head(l: Lang, first: &str) -> Markup {
    html! {
        thead { tr {
            th scope="col" { (first) }
            th scope="col" class="num" { (l.text(Msg::ConsoleIssued)) }
            th scope="col" class="num" { (l.text(Msg::ConsoleActive)) }
            th scope="col" class="num" { (l.text(Msg::ConsoleRevoked)) }
            th scope="col" class="num" { (l.text(Msg::ConsolePending)) }
        } }
    }
}

fn replacements_table(l: Lang, rows: &[Replacement]) -> Markup {
    html! {
        @if rows.is_empty() {
            p { (l.text(Msg::ConsoleNoRequestIsWaiting)) }
        } @else {
            table {
                thead { tr {
                    th scope="col" { (l.text(Msg::ConsoleOldCard)) }
                    th scope="col" { (l.text(Msg::ConsoleBeneficiary)) }
                    th scope="col" { (l.text(Msg::ConsoleReason)) }
                    th scope="col" { (l.text(Msg::ConsoleRequested)) }
                } }
                tbody {
                    @for r in rows {
                        tr {
                            td { (card_link(&r.serial)) }
                            td { (r.full_name) " · " (r.ssn) }
                            td { (l.reason(&r.reason)) }
                            td { (when(r.requested_at)) " · " (r.requested_by) }
                        }
                    }
                }
            }
        }
    }
}

/// An area code with its name when the catalogue knows it: `51.22903 — Xã Nghĩa Hành, Quảng Ngãi`.
pub fn area_label(area: &str, names: &BTreeMap<String, String>) -> String {
    match names.get(area) {
        Some(n) => format!("{area} — {n}"),
        None => area.to_owned(),
    }
}

pub fn dashboard(
    l: Lang,
    account: &Account,
    d: &Dashboard,
    waiting: &[Replacement],
    names: &BTreeMap<String, String>,
) -> Markup {
    let weeks: Vec<(String, u64)> = d
        .weekly_revocations
        .iter()
        .map(|w| {
            (
                w.monday.get(5..).unwrap_or(&w.monday).to_owned(),
                w.revocations,
            )
        })
        .collect();
    html! {
        div class="tiles" {
            div class="tile" { span class="n" { (l.count(d.total.issued())) } (l.text(Msg::ConsoleCardsIssued)) }
            div class="tile" { span class="n" { (l.count(d.total.active)) } (l.text(Msg::ConsoleActiveLower)) }
            div class="tile" { span class="n" { (l.count(d.total.revoked)) } (l.text(Msg::ConsoleRevokedLower)) }
            div class="tile" { span class="n" { (l.count(waiting.len() as u64)) } (l.text(Msg::ConsoleReplacementsWaiting)) }
        }
        section {
            h2 { (l.text(Msg::ConsoleRevocationsPerWeek)) }
            (bar_chart(l.text(Msg::ConsoleCardsRevokedEachWeekLast), &weeks, l))
        }
        div class="grid" {
            section {
                h2 { (l.text(Msg::ConsoleByArea)) }
                table {
                    (counts_head(l, l.text(Msg::ConsoleArea)))
                    tbody { @for (area, c) in &d.by_area { (counts_row(l, &area_label(area, names), c)) } }
                }
            }
            section {
                h2 { (l.text(Msg::ConsoleByProgram)) }
                table {
                    (counts_head(l, l.text(Msg::ConsoleProgram)))
                    tbody {
                        @for (program, c) in &d.by_program {
                            @let label = match l.program(program) { Some(title) => format!("{program} — {title}"), None => program.clone() };
                            (counts_row(l, &label, c))
                        }
                    }
                }
            }
        }
        section {
            h2 { (l.text(Msg::ConsoleReplacementsWaitingForANew)) }
            @if policy::allows(account, Action::IssueCards) {
                p class="hint" { (l.text(Msg::ConsolePrintTheNewCardWith)) }
            }
            (replacements_table(l, waiting))
        }
    }
}

/// The search form and, after a search, its results (area names from `names`).
pub fn search(
    l: Lang,
    query: &str,
    results: Option<&[CardSummary]>,
    names: &BTreeMap<String, String>,
) -> Markup {
    html! {
        form method="get" action="/console/cards" role="search" class="inline panel" {
            div {
                label for="q" { (l.text(Msg::ConsoleCardSerialSSNOrName)) }
                input type="search" id="q" name="q" value=(query) required autofocus;
            }
            button type="submit" { (l.text(Msg::ConsoleSearch)) }
        }
        @if let Some(results) = results {
            section aria-live="polite" {
                h2 { (l.text(Msg::ConsoleResults)) " (" (results.len()) ")" }
                @if results.is_empty() {
                    p { (l.text(Msg::ConsoleNoCardInYourArea)) }
                } @else {
                    table {
                        thead { tr {
                            th scope="col" { (l.text(Msg::ConsoleSerial)) }
                            th scope="col" { (l.text(Msg::ConsoleName)) }
                            th scope="col" { (l.text(Msg::ConsoleSSN)) }
                            th scope="col" { (l.text(Msg::ConsoleArea)) }
                            th scope="col" { (l.text(Msg::ConsoleStatus)) }
                            th scope="col" { (l.text(Msg::ConsoleIssuedOn)) }
                        } }
                        tbody {
                            @for c in results {
                                tr {
                                    td { (card_link(&c.serial)) }
                                    td { (c.full_name) }
                                    td { (c.ssn) }
                                    td { (area_label(&c.area_code, names)) }
                                    td { (status_badge(l, c.status)) }
                                    td { (day(&c.issued)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The detail of a history event in words: a reason's label, the office a credential was signed
/// for; anything else as recorded.
fn history_detail(l: Lang, event: &str, detail: &str) -> String {
    match event {
        "revoked" | "replacement requested" if !detail.is_empty() => l.reason(detail),
        "issued" => match detail.strip_prefix("pending; office ") {
            Some(office) => format!("{} {office}", l.text(Msg::ConsoleOffice)),
            None => detail.to_owned(),
        },
        _ => detail.to_owned(),
    }
}

fn amount(vnd: Option<u64>, l: Lang) -> String {
    match vnd {
        Some(v) => format!("{}{}", l.money(v), l.text(Msg::ConsoleMonth)),
        None => "—".into(),
    }
}

/// What the card page shows beside the card record.
pub struct CardExtras<'a> {
    pub entitlements: &'a [EntitlementView],
    pub replacements: &'a [Replacement],
    pub replaced_by: &'a [String],
    /// The residence area's name, when the catalogue knows it.
    pub area_name: Option<&'a str>,
}

pub fn card(l: Lang, account: &Account, c: &CardRecord, x: &CardExtras<'_>) -> Markup {
    let open_replacement = x.replacements.iter().any(|r| r.new_serial.is_none());
    html! {
        div class="grid" {
            section {
                h2 { (l.text(Msg::ConsoleBeneficiary)) }
                dl {
                    dt { (l.text(Msg::ConsoleName)) } dd { (c.full_name) }
                    dt { (l.text(Msg::ConsoleSSN)) } dd { (c.ssn) }
                    dt { (l.text(Msg::ConsoleDateOfBirth)) } dd { (day(&c.date_of_birth)) }
                    dt { (l.text(Msg::ConsoleSex)) } dd { (l.sex(&c.sex)) }
                    dt { (l.text(Msg::ConsoleArea)) } dd { (c.area_code) @if let Some(n) = x.area_name { " — " (n) } }
                }
            }
            section {
                h2 { (l.text(Msg::ConsoleCard)) }
                dl {
                    dt { (l.text(Msg::ConsoleSerial)) } dd { (c.serial) }
                    dt { (l.text(Msg::ConsoleStatus)) } dd { (status_badge(l, c.status)) }
                    dt { (l.text(Msg::ConsoleIssuedBy)) } dd { (c.office) }
                    dt { (l.text(Msg::ConsoleIssuedOn)) } dd { (day(&c.issued)) }
                    dt { (l.text(Msg::ConsoleExpires)) } dd { (day(&c.expires)) }
                    @if let Some(old) = &c.replaces {
                        dt { (l.text(Msg::ConsoleReplacesCard)) } dd { (card_link(old)) }
                    }
                    @for new in x.replaced_by {
                        dt { (l.text(Msg::ConsoleReplacedByCard)) } dd { (card_link(new)) }
                    }
                    @if let Some(r) = &c.revocation {
                        dt { (l.text(Msg::ConsoleRevocationReason)) } dd { (l.reason(&r.reason)) }
                        dt { (l.text(Msg::ConsoleRevokedOn)) } dd { (r.revoked_on) }
                        dt { (l.text(Msg::ConsoleRevocationList)) } dd { (l.text(Msg::ConsoleVersion)) (r.list_version) }
                    }
                }
            }
        }
        section {
            h2 { (l.text(Msg::ConsoleEntitlements)) }
            @if x.entitlements.is_empty() {
                p { (l.text(Msg::ConsoleTheCardCarriesNoEntitlement)) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (l.text(Msg::ConsoleProgram)) }
                        th scope="col" { (l.text(Msg::ConsoleCategory)) }
                        th scope="col" class="num" { (l.text(Msg::ConsoleAmount)) }
                        th scope="col" { (l.text(Msg::ConsoleFrom)) }
                        th scope="col" { (l.text(Msg::ConsoleUntil)) }
                        th scope="col" { (l.text(Msg::ConsoleGuardianOrAuthorisedPerson)) }
                    } }
                    tbody {
                        @for e in x.entitlements {
                            tr {
                                td { (e.program) @if let Some(title) = l.program(&e.program) { " — " (title) } }
                                td { (e.category.as_deref().unwrap_or("—")) }
                                td class="num" { (amount(e.monthly_amount_vnd, l)) }
                                td { (e.valid_from.as_ref().map_or("—".into(), day)) }
                                td { (e.valid_until.as_ref().map_or("—".into(), day)) }
                                td { @if let Some(r) = &e.authorized_recipient { (r.name) } @else { "—" } }
                            }
                        }
                    }
                }
            }
        }
        @if (policy::allows(account, Action::RevokeCards) && lifecycle::allows(c.status, CardChange::Revoke))
            || (policy::allows(account, Action::StartReplacements) && lifecycle::allows(c.status, CardChange::Replace) && !open_replacement) {
            section {
                h2 { (l.text(Msg::ConsoleActions)) }
                p {
                    @if policy::allows(account, Action::RevokeCards) {
                        a class="button danger" href={ "/console/cards/" (c.serial) "/revoke" } { (l.text(Msg::ConsoleRevokeCardButton)) }
                        " "
                    }
                    @if policy::allows(account, Action::StartReplacements) && lifecycle::allows(c.status, CardChange::Replace) && !open_replacement {
                        a class="button secondary" href={ "/console/cards/" (c.serial) "/replace" } { (l.text(Msg::ConsoleReplaceCardButton)) }
                    }
                }
            }
        }
        @if !x.replacements.is_empty() {
            section {
                h2 { (l.text(Msg::ConsoleReplacementRequests)) }
                ul {
                    @for r in x.replacements {
                        li {
                            (when(r.requested_at)) " · " (l.reason(&r.reason)) " · " (r.requested_by) " · "
                            @match &r.new_serial {
                                Some(new) => { (l.text(Msg::ConsoleNewCard)) (card_link(new)) }
                                None => { (l.text(Msg::ConsoleWaitingForAnOfficeTo)) }
                            }
                        }
                    }
                }
            }
        }
        section {
            h2 { (l.text(Msg::ConsoleHistory)) }
            table {
                thead { tr {
                    th scope="col" { (l.text(Msg::ConsoleWhen)) }
                    th scope="col" { (l.text(Msg::ConsoleEvent)) }
                    th scope="col" { (l.text(Msg::ConsoleBy)) }
                    th scope="col" { (l.text(Msg::ConsoleDetail)) }
                } }
                tbody {
                    @for h in &c.history {
                        tr {
                            td { (when(h.at)) }
                            td { (l.card_event(&h.event)) }
                            td { (l.actor(&h.actor)) }
                            td { (history_detail(l, &h.event, &h.detail)) }
                        }
                    }
                }
            }
        }
    }
}

/// The two actions that change a card through a reason and a confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAction {
    Revoke,
    Replace,
}

impl CardAction {
    pub fn path(self) -> &'static str {
        match self {
            CardAction::Revoke => "revoke",
            CardAction::Replace => "replace",
        }
    }

    pub fn title(self, l: Lang) -> &'static str {
        match self {
            CardAction::Revoke => l.text(Msg::ConsoleRevokeCardTitle),
            CardAction::Replace => l.text(Msg::ConsoleReplaceCardTitle),
        }
    }

    /// The reasons `account` may give: a replacement that revokes at once (lost, stolen) only
    /// for an account that may revoke.
    pub fn reasons(self, account: &Account) -> Vec<RevocationReason> {
        match self {
            CardAction::Revoke => RevocationReason::ALL.to_vec(),
            CardAction::Replace => replacement::REASONS
                .into_iter()
                .filter(|r| {
                    !replacement::revokes_at_once(*r)
                        || policy::allows(account, Action::RevokeCards)
                })
                .collect(),
        }
    }
}

fn card_summary(l: Lang, c: &CardRecord) -> Markup {
    html! {
        dl class="panel" {
            dt { (l.text(Msg::ConsoleSerial)) } dd { (card_link(&c.serial)) }
            dt { (l.text(Msg::ConsoleName)) } dd { (c.full_name) }
            dt { (l.text(Msg::ConsoleSSN)) } dd { (c.ssn) }
            dt { (l.text(Msg::ConsoleStatus)) } dd { (status_badge(l, c.status)) }
        }
    }
}

/// Step 1: choose the reason.
pub fn action_form(
    l: Lang,
    account: &Account,
    action: CardAction,
    c: &CardRecord,
    csrf: &str,
) -> Markup {
    html! {
        (card_summary(l, c))
        form method="post" action={ "/console/cards/" (c.serial) "/" (action.path()) } class="panel" {
            (csrf_field(csrf))
            input type="hidden" name="step" value="review";
            label for="reason" { (l.text(Msg::ConsoleReason)) }
            select id="reason" name="reason" required {
                option value="" { (l.text(Msg::ConsoleReasonPlaceholder)) }
                @for r in action.reasons(account) {
                    option value=(r.as_str()) { (l.reason(r.as_str())) }
                }
            }
            @if action == CardAction::Replace {
                p class="hint" { (l.text(Msg::ConsoleALostOrStolenCard)) }
            }
            div {
                button type="submit" { (l.text(Msg::ConsoleContinue)) }
                " "
                a class="button secondary" href={ "/console/cards/" (c.serial) } { (l.text(Msg::ConsoleCancel)) }
            }
        }
    }
}

/// Step 2: confirm.
pub fn action_confirm(
    l: Lang,
    action: CardAction,
    c: &CardRecord,
    reason: RevocationReason,
    csrf: &str,
) -> Markup {
    let revokes_now = action == CardAction::Revoke || replacement::revokes_at_once(reason);
    html! {
        (card_summary(l, c))
        form method="post" action={ "/console/cards/" (c.serial) "/" (action.path()) } class="panel" {
            (csrf_field(csrf))
            input type="hidden" name="step" value="confirm";
            input type="hidden" name="reason" value=(reason.as_str());
            p {
                strong { (l.text(Msg::ConsoleReasonLabel)) } (l.reason(reason.as_str()))
            }
            @if revokes_now {
                p { (l.text(Msg::ConsoleTheCardWillBeRevoked)) }
            } @else {
                p { (l.text(Msg::ConsoleTheCardKeepsWorkingUntil)) }
            }
            div {
                button type="submit" class="danger" { (l.text(Msg::ConsoleConfirm)) (action.title(l).to_lowercase()) }
                " "
                a class="button secondary" href={ "/console/cards/" (c.serial) } { (l.text(Msg::ConsoleNoGoBack)) }
            }
        }
    }
}

/// An issuer key's status in the clerk's language.
fn key_status(l: Lang, status: &str) -> &'static str {
    match status {
        "active" => l.text(Msg::ConsoleKeyActive),
        "retired" => l.text(Msg::ConsoleRetiredItsCardsStayValid),
        _ => l.text(Msg::ConsoleRevokedNoneOfItsCards),
    }
}

/// The form that retires or revokes an issuer key, behind a confirmation box.
fn key_form(l: Lang, csrf: &str, key_id: &str, action: &str) -> Markup {
    let (label, class) = match action {
        "retire" => (l.text(Msg::ConsoleRetireKey), "secondary"),
        _ => (l.text(Msg::ConsoleRevokeKeyCompromised), "danger"),
    };
    html! {
        form method="post" action={ "/console/issuer-keys/" (key_id) "/" (action) } class="inline" {
            (csrf_field(csrf))
            label { input type="checkbox" name="confirm" value="yes" required; " " (l.text(Msg::ConsoleIAmSure)) (label.to_lowercase()) " " (key_id) }
            button type="submit" class=(class) { (label) " " (key_id) }
        }
    }
}

/// The offices and accounts within the reader's area (area names from `names`), with the forms
/// the reader may use.
pub fn offices(
    l: Lang,
    me: &Account,
    offices: &[asxh_api::Office],
    accounts: &[AccountSummary],
    names: &BTreeMap<String, String>,
    csrf: &str,
) -> Markup {
    let manage_keys = crate::policy::allows(me, crate::policy::Action::ManageIssuerKeys);
    html! {
        section {
            h2 { (l.text(Msg::ConsoleIssuingOffices)) }
            table {
                thead { tr {
                    th scope="col" { (l.text(Msg::ConsoleCode)) }
                    th scope="col" { (l.text(Msg::ConsoleOfficeNameShort)) }
                    th scope="col" { (l.text(Msg::ConsoleArea)) }
                    th scope="col" { (l.text(Msg::ConsoleIssuerKeys)) }
                    th scope="col" { (l.text(Msg::ConsoleValid)) }
                    th scope="col" class="num" { (l.text(Msg::ConsoleCards)) }
                } }
                tbody {
                    @for o in offices {
                        tr {
                            td { (o.code) }
                            td { (o.name) }
                            td { (area_label(&o.area_code, names)) }
                            td {
                                @for k in &o.keys {
                                    div {
                                        code { (k.key_id_hex) } " · " (key_status(l, &k.status))
                                        @if manage_keys && k.status != "revoked" {
                                            " "
                                            @if k.status == "active" {
                                                (key_form(l, csrf, &k.key_id_hex, "retire"))
                                            }
                                            (key_form(l, csrf, &k.key_id_hex, "revoke"))
                                        }
                                    }
                                }
                                @if manage_keys {
                                    form method="post" action={ "/console/offices/" (o.code) "/rotate-key" } class="inline" {
                                        (csrf_field(csrf))
                                        button type="submit" class="secondary" { (l.text(Msg::ConsoleNewKeyRotateFor)) (o.code) }
                                    }
                                }
                            }
                            td {
                                @for k in &o.keys {
                                    div { (day(&k.valid_from)) " – " (day(&k.valid_until)) }
                                }
                            }
                            td class="num" { (l.count(o.cards)) }
                        }
                    }
                }
            }
            details {
                summary { (l.text(Msg::ConsoleAddAnIssuingOffice)) }
                form method="post" action="/console/offices" {
                    (csrf_field(csrf))
                    label for="office-code" { (l.text(Msg::ConsoleOfficeCode)) }
                    input type="text" id="office-code" name="code" required;
                    label for="office-name" { (l.text(Msg::ConsoleOfficeName)) }
                    input type="text" id="office-name" name="name" required;
                    label for="office-area" { (l.text(Msg::ConsoleArea)) }
                    input type="text" id="office-area" name="area" required value=(me.area);
                    div { button type="submit" { (l.text(Msg::ConsoleAddOfficeAndCreateIts)) } }
                }
            }
        }
        section {
            h2 { (l.text(Msg::ConsoleAccounts)) }
            table {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (l.text(Msg::ConsoleRole)) }
                    th scope="col" { (l.text(Msg::ConsoleLabel)) }
                    th scope="col" { (l.text(Msg::ConsoleOffice)) }
                    th scope="col" { (l.text(Msg::ConsoleArea)) }
                    th scope="col" { (l.text(Msg::ConsoleCreated)) }
                    th scope="col" { (l.text(Msg::ConsoleStatus)) }
                } }
                tbody {
                    @for a in accounts {
                        tr {
                            td { (a.id) }
                            td { (l.role(&a.role)) }
                            td { (a.label.as_deref().unwrap_or("—")) }
                            td { (a.office.as_deref().unwrap_or("—")) }
                            td { (area_label(&a.area_code, names)) }
                            td { (when(a.created_at)) }
                            td {
                                @match a.revoked_at {
                                    Some(at) => { (l.text(Msg::ConsoleAccountRevoked)) (when(at)) }
                                    None if a.id == me.id => { (l.text(Msg::ConsoleActiveYou)) }
                                    None => {
                                        form method="post" action={ "/console/accounts/" (a.id) "/revoke" } class="inline" {
                                            (csrf_field(csrf))
                                            label { input type="checkbox" name="confirm" value="yes" required; " " (l.text(Msg::ConsoleIAmSureRevokeAccount)) (a.id) }
                                            button type="submit" class="danger" { (l.text(Msg::ConsoleRevokeAccount)) (a.id) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            details {
                summary { (l.text(Msg::ConsoleCreateAnAccount)) }
                form method="post" action="/console/accounts" {
                    (csrf_field(csrf))
                    label for="role" { (l.text(Msg::ConsoleRole)) }
                    select id="role" name="role" required {
                        @for r in Role::ALL {
                            option value=(r.as_str()) { (l.role(r.as_str())) }
                        }
                    }
                    label for="office" { (l.text(Msg::ConsoleOfficeIssuingOfficeAccountsOnly)) }
                    select id="office" name="office" {
                        option value="" { "—" }
                        @for o in offices { option value=(o.code) { (o.code) " — " (o.name) } }
                    }
                    label for="area" { (l.text(Msg::ConsoleArea)) }
                    input type="text" id="area" name="area" value=(me.area);
                    label for="account-label" { (l.text(Msg::ConsoleLabelWhoOrWhichCounter)) }
                    input type="text" id="account-label" name="label" maxlength="100";
                    div { button type="submit" { (l.text(Msg::ConsoleCreateAccount)) } }
                }
            }
        }
    }
}

pub fn new_token(l: Lang, id: i64, token: &str) -> Markup {
    html! {
        section class="panel" {
            p { (l.text(Msg::ConsoleAccount)) (id) (l.text(Msg::ConsoleWasCreatedCopyTheToken)) }
            p class="token" { (token) }
            a class="button" href="/console/offices" { (l.text(Msg::ConsoleDone)) }
        }
    }
}
