//! The content of each console page (inside the frame of [`super::page::layout`]): log-in,
//! dashboard, search, a card, the revocation and replacement forms with their confirmation step,
//! offices and accounts, and the one-time token page. Pure functions from data to markup; the
//! handlers in [`super`] load the data and check who may see it.

use std::collections::BTreeMap;

use asxh_api::{CardRecord, CardStatus};
use asxh_core::lists::RevocationReason;
use asxh_core::view::EntitlementView;
use maud::{html, Markup};

use super::page::{bar_chart, csrf_field, when, Lang};
use crate::auth::{Account, AccountSummary, Role};
use crate::policy::{self, Action};
use crate::registry::lifecycle::{self, CardChange};
use crate::registry::replacement::{self, Replacement};
use crate::registry::CardSummary;
use crate::stats::{Counts, Dashboard};

fn status_badge(l: Lang, status: CardStatus) -> Markup {
    html! { span class={ "status status-" (status.as_str()) } { (l.status(status.as_str())) } }
}

fn card_link(serial: &str) -> Markup {
    html! { a href={ "/console/cards/" (serial) } { (serial) } }
}

pub fn login(l: Lang, login_csrf: &str) -> Markup {
    html! {
        section class="panel" {
            p { (l.t("Đăng nhập bằng mã truy cập (token) của tài khoản do quản trị viên cấp.",
                     "Log in with the account token your administrator gave you.")) }
            form method="post" action="/console/login" {
                (csrf_field(login_csrf))
                label for="token" { (l.t("Mã truy cập", "Account token")) }
                input type="password" id="token" name="token" required autocomplete="off" autofocus spellcheck="false";
                div { button type="submit" { (l.t("Đăng nhập", "Log in")) } }
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
            th scope="col" class="num" { (l.t("Đã cấp", "Issued")) }
            th scope="col" class="num" { (l.t("Đang hiệu lực", "Active")) }
            th scope="col" class="num" { (l.t("Ngừng sử dụng", "Revoked")) }
            th scope="col" class="num" { (l.t("Chờ ghi thẻ", "Pending")) }
        } }
    }
}

fn replacements_table(l: Lang, rows: &[Replacement]) -> Markup {
    html! {
        @if rows.is_empty() {
            p { (l.t("Không có yêu cầu nào đang chờ.", "No request is waiting.")) }
        } @else {
            table {
                thead { tr {
                    th scope="col" { (l.t("Thẻ cũ", "Old card")) }
                    th scope="col" { (l.t("Người hưởng", "Beneficiary")) }
                    th scope="col" { (l.t("Lý do", "Reason")) }
                    th scope="col" { (l.t("Yêu cầu lúc", "Requested")) }
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
            div class="tile" { span class="n" { (l.count(d.total.issued())) } (l.t("thẻ đã cấp", "cards issued")) }
            div class="tile" { span class="n" { (l.count(d.total.active)) } (l.t("đang hiệu lực", "active")) }
            div class="tile" { span class="n" { (l.count(d.total.revoked)) } (l.t("ngừng sử dụng", "revoked")) }
            div class="tile" { span class="n" { (l.count(waiting.len() as u64)) } (l.t("yêu cầu cấp lại đang chờ", "replacements waiting")) }
        }
        section {
            h2 { (l.t("Thẻ ngừng sử dụng theo tuần", "Revocations per week")) }
            (bar_chart(l.t("Số thẻ ngừng sử dụng mỗi tuần, 12 tuần gần nhất", "Cards revoked each week, last 12 weeks"), &weeks, l))
        }
        div class="grid" {
            section {
                h2 { (l.t("Theo địa bàn", "By area")) }
                table {
                    (counts_head(l, l.t("Địa bàn", "Area")))
                    tbody { @for (area, c) in &d.by_area { (counts_row(l, &area_label(area, names), c)) } }
                }
            }
            section {
                h2 { (l.t("Theo chính sách", "By program")) }
                table {
                    (counts_head(l, l.t("Chính sách", "Program")))
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
            h2 { (l.t("Yêu cầu cấp lại thẻ đang chờ", "Replacements waiting for a new card")) }
            @if policy::allows(account, Action::IssueCards) {
                p class="hint" { (l.t("In thẻ mới bằng asxh-personalizer issue --replaces <số thẻ cũ> khi thẻ cũ còn hiệu lực (thẻ hỏng).",
                    "Print the new card with asxh-personalizer issue --replaces <old serial> when the old card is still active (damaged card).")) }
            }
            (replacements_table(l, waiting))
        }
    }
}

pub fn search(l: Lang, query: &str, results: Option<&[CardSummary]>) -> Markup {
    html! {
        form method="get" action="/console/cards" role="search" class="inline panel" {
            div {
                label for="q" { (l.t("Số thẻ, số an sinh xã hội hoặc họ tên", "Card serial, SSN or name")) }
                input type="search" id="q" name="q" value=(query) required autofocus;
            }
            button type="submit" { (l.t("Tìm", "Search")) }
        }
        @if let Some(results) = results {
            section aria-live="polite" {
                h2 { (l.t("Kết quả", "Results")) " (" (results.len()) ")" }
                @if results.is_empty() {
                    p { (l.t("Không có thẻ nào trong địa bàn của bạn khớp với tìm kiếm.", "No card in your area matches.")) }
                } @else {
                    table {
                        thead { tr {
                            th scope="col" { (l.t("Số thẻ", "Serial")) }
                            th scope="col" { (l.t("Họ tên", "Name")) }
                            th scope="col" { (l.t("Số ASXH", "SSN")) }
                            th scope="col" { (l.t("Địa bàn", "Area")) }
                            th scope="col" { (l.t("Trạng thái", "Status")) }
                            th scope="col" { (l.t("Ngày cấp", "Issued")) }
                        } }
                        tbody {
                            @for c in results {
                                tr {
                                    td { (card_link(&c.serial)) }
                                    td { (c.full_name) }
                                    td { (c.ssn) }
                                    td { (c.area_code) }
                                    td { (status_badge(l, c.status)) }
                                    td { (c.issued) }
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
            Some(office) => format!("{} {office}", l.t("Đơn vị", "Office")),
            None => detail.to_owned(),
        },
        _ => detail.to_owned(),
    }
}

fn amount(vnd: Option<u64>, l: Lang) -> String {
    match vnd {
        Some(v) => format!("{}{}", l.money(v), l.t("/tháng", "/month")),
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
                h2 { (l.t("Người hưởng", "Beneficiary")) }
                dl {
                    dt { (l.t("Họ tên", "Name")) } dd { (c.full_name) }
                    dt { (l.t("Số ASXH", "SSN")) } dd { (c.ssn) }
                    dt { (l.t("Ngày sinh", "Date of birth")) } dd { (c.date_of_birth) }
                    dt { (l.t("Giới tính", "Sex")) } dd { (l.sex(&c.sex)) }
                    dt { (l.t("Địa bàn", "Area")) } dd { (c.area_code) @if let Some(n) = x.area_name { " — " (n) } }
                }
            }
            section {
                h2 { (l.t("Thẻ", "Card")) }
                dl {
                    dt { (l.t("Số thẻ", "Serial")) } dd { (c.serial) }
                    dt { (l.t("Trạng thái", "Status")) } dd { (status_badge(l, c.status)) }
                    dt { (l.t("Đơn vị cấp", "Issued by")) } dd { (c.office) }
                    dt { (l.t("Ngày cấp", "Issued")) } dd { (c.issued) }
                    dt { (l.t("Hết hạn", "Expires")) } dd { (c.expires) }
                    @if let Some(old) = &c.replaces {
                        dt { (l.t("Thay cho thẻ", "Replaces card")) } dd { (card_link(old)) }
                    }
                    @for new in x.replaced_by {
                        dt { (l.t("Được thay bằng thẻ", "Replaced by card")) } dd { (card_link(new)) }
                    }
                    @if let Some(r) = &c.revocation {
                        dt { (l.t("Lý do ngừng sử dụng", "Revocation reason")) } dd { (l.reason(&r.reason)) }
                        dt { (l.t("Ngày ngừng sử dụng", "Revoked on")) } dd { (r.revoked_on) }
                        dt { (l.t("Danh sách thu hồi", "Revocation list")) } dd { (l.t("phiên bản ", "version ")) (r.list_version) }
                    }
                }
            }
        }
        section {
            h2 { (l.t("Chính sách được hưởng", "Entitlements")) }
            @if x.entitlements.is_empty() {
                p { (l.t("Thẻ không ghi chế độ nào.", "The card carries no entitlement.")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (l.t("Chính sách", "Program")) }
                        th scope="col" { (l.t("Đối tượng", "Category")) }
                        th scope="col" class="num" { (l.t("Mức hưởng", "Amount")) }
                        th scope="col" { (l.t("Từ", "From")) }
                        th scope="col" { (l.t("Đến", "Until")) }
                        th scope="col" { (l.t("Người giám hộ / người được ủy quyền", "Guardian or authorised person")) }
                    } }
                    tbody {
                        @for e in x.entitlements {
                            tr {
                                td { (e.program) @if let Some(title) = l.program(&e.program) { " — " (title) } }
                                td { (e.category.as_deref().unwrap_or("—")) }
                                td class="num" { (amount(e.monthly_amount_vnd, l)) }
                                td { (e.valid_from.as_deref().unwrap_or("—")) }
                                td { (e.valid_until.as_deref().unwrap_or("—")) }
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
                h2 { (l.t("Thao tác", "Actions")) }
                p {
                    @if policy::allows(account, Action::RevokeCards) {
                        a class="button danger" href={ "/console/cards/" (c.serial) "/revoke" } { (l.t("Ngừng sử dụng thẻ…", "Revoke card…")) }
                        " "
                    }
                    @if policy::allows(account, Action::StartReplacements) && lifecycle::allows(c.status, CardChange::Replace) && !open_replacement {
                        a class="button secondary" href={ "/console/cards/" (c.serial) "/replace" } { (l.t("Cấp lại thẻ…", "Replace card…")) }
                    }
                }
            }
        }
        @if !x.replacements.is_empty() {
            section {
                h2 { (l.t("Yêu cầu cấp lại", "Replacement requests")) }
                ul {
                    @for r in x.replacements {
                        li {
                            (when(r.requested_at)) " · " (l.reason(&r.reason)) " · " (r.requested_by) " · "
                            @match &r.new_serial {
                                Some(new) => { (l.t("đã cấp thẻ mới ", "new card ")) (card_link(new)) }
                                None => { (l.t("đang chờ điểm cấp thẻ in thẻ mới", "waiting for an office to print the new card")) }
                            }
                        }
                    }
                }
            }
        }
        section {
            h2 { (l.t("Lịch sử", "History")) }
            table {
                thead { tr {
                    th scope="col" { (l.t("Thời điểm", "When")) }
                    th scope="col" { (l.t("Sự kiện", "Event")) }
                    th scope="col" { (l.t("Người thực hiện", "By")) }
                    th scope="col" { (l.t("Chi tiết", "Detail")) }
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
            CardAction::Revoke => l.t("Ngừng sử dụng thẻ", "Revoke card"),
            CardAction::Replace => l.t("Cấp lại thẻ", "Replace card"),
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
            dt { (l.t("Số thẻ", "Serial")) } dd { (card_link(&c.serial)) }
            dt { (l.t("Họ tên", "Name")) } dd { (c.full_name) }
            dt { (l.t("Số ASXH", "SSN")) } dd { (c.ssn) }
            dt { (l.t("Trạng thái", "Status")) } dd { (status_badge(l, c.status)) }
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
            label for="reason" { (l.t("Lý do", "Reason")) }
            select id="reason" name="reason" required {
                option value="" { (l.t("— Chọn lý do —", "— Choose a reason —")) }
                @for r in action.reasons(account) {
                    option value=(r.as_str()) { (l.reason(r.as_str())) }
                }
            }
            @if action == CardAction::Replace {
                p class="hint" { (l.t("Thẻ mất hoặc bị lấy cắp ngừng sử dụng ngay. Thẻ bị hỏng vẫn dùng được cho đến khi thẻ cấp đổi được in.",
                    "A lost or stolen card is revoked at once. A damaged card keeps working until the new card is printed.")) }
            }
            div {
                button type="submit" { (l.t("Tiếp tục", "Continue")) }
                " "
                a class="button secondary" href={ "/console/cards/" (c.serial) } { (l.t("Hủy", "Cancel")) }
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
                strong { (l.t("Lý do: ", "Reason: ")) } (l.reason(reason.as_str()))
            }
            @if revokes_now {
                p { (l.t("Thẻ sẽ ngừng sử dụng ngay và không thể khôi phục. Các điểm chi trả từ chối thẻ này sau lần đồng bộ tiếp theo.",
                    "The card will be revoked now, for good. Payment points refuse it after their next sync.")) }
            } @else {
                p { (l.t("Thẻ vẫn dùng được cho đến khi điểm cấp thẻ in thẻ mới thay thế.",
                    "The card keeps working until an issuing office prints the replacement.")) }
            }
            div {
                button type="submit" class="danger" { (l.t("Xác nhận: ", "Confirm: ")) (action.title(l).to_lowercase()) }
                " "
                a class="button secondary" href={ "/console/cards/" (c.serial) } { (l.t("Không, quay lại", "No, go back")) }
            }
        }
    }
}

/// An issuer key's status in the clerk's language.
fn key_status(l: Lang, status: &str) -> &'static str {
    match status {
        "active" => l.t("đang dùng", "active"),
        "retired" => l.t(
            "đã thôi dùng (thẻ đã cấp vẫn hợp lệ)",
            "retired (its cards stay valid)",
        ),
        _ => l.t(
            "đã thu hồi (không tin thẻ nào nó ký)",
            "revoked (none of its cards is trusted)",
        ),
    }
}

/// The form that retires or revokes an issuer key, behind a confirmation box.
fn key_form(l: Lang, csrf: &str, key_id: &str, action: &str) -> Markup {
    let (label, class) = match action {
        "retire" => (l.t("Thôi dùng khóa", "Retire key"), "secondary"),
        _ => (
            l.t("Thu hồi khóa (bị lộ)", "Revoke key (compromised)"),
            "danger",
        ),
    };
    html! {
        form method="post" action={ "/console/issuer-keys/" (key_id) "/" (action) } class="inline" {
            (csrf_field(csrf))
            label { input type="checkbox" name="confirm" value="yes" required; " " (l.t("Tôi chắc chắn: ", "I am sure: ")) (label.to_lowercase()) " " (key_id) }
            button type="submit" class=(class) { (label) " " (key_id) }
        }
    }
}

pub fn offices(
    l: Lang,
    me: &Account,
    offices: &[asxh_api::Office],
    accounts: &[AccountSummary],
    csrf: &str,
) -> Markup {
    let manage_keys = crate::policy::allows(me, crate::policy::Action::ManageIssuerKeys);
    html! {
        section {
            h2 { (l.t("Đơn vị cấp thẻ", "Issuing offices")) }
            table {
                thead { tr {
                    th scope="col" { (l.t("Mã", "Code")) }
                    th scope="col" { (l.t("Tên", "Name")) }
                    th scope="col" { (l.t("Địa bàn", "Area")) }
                    th scope="col" { (l.t("Khóa cấp thẻ", "Issuer keys")) }
                    th scope="col" { (l.t("Hiệu lực", "Valid")) }
                    th scope="col" class="num" { (l.t("Số thẻ", "Cards")) }
                } }
                tbody {
                    @for o in offices {
                        tr {
                            td { (o.code) }
                            td { (o.name) }
                            td { (o.area_code) }
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
                                        button type="submit" class="secondary" { (l.t("Tạo khóa mới (thay khóa) cho ", "New key (rotate) for ")) (o.code) }
                                    }
                                }
                            }
                            td {
                                @for k in &o.keys {
                                    div { (k.valid_from) " – " (k.valid_until) }
                                }
                            }
                            td class="num" { (l.count(o.cards)) }
                        }
                    }
                }
            }
            details {
                summary { (l.t("Thêm điểm cấp thẻ", "Add an issuing office")) }
                form method="post" action="/console/offices" {
                    (csrf_field(csrf))
                    label for="office-code" { (l.t("Mã đơn vị", "Office code")) }
                    input type="text" id="office-code" name="code" required;
                    label for="office-name" { (l.t("Tên đơn vị", "Office name")) }
                    input type="text" id="office-name" name="name" required;
                    label for="office-area" { (l.t("Địa bàn", "Area")) }
                    input type="text" id="office-area" name="area" required value=(me.area);
                    div { button type="submit" { (l.t("Thêm đơn vị và tạo khóa", "Add office and create its key")) } }
                }
            }
        }
        section {
            h2 { (l.t("Tài khoản", "Accounts")) }
            table {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (l.t("Vai trò", "Role")) }
                    th scope="col" { (l.t("Ghi chú", "Label")) }
                    th scope="col" { (l.t("Đơn vị", "Office")) }
                    th scope="col" { (l.t("Địa bàn", "Area")) }
                    th scope="col" { (l.t("Tạo lúc", "Created")) }
                    th scope="col" { (l.t("Trạng thái", "Status")) }
                } }
                tbody {
                    @for a in accounts {
                        tr {
                            td { (a.id) }
                            td { (l.role(&a.role)) }
                            td { (a.label.as_deref().unwrap_or("—")) }
                            td { (a.office.as_deref().unwrap_or("—")) }
                            td { (a.area_code) }
                            td { (when(a.created_at)) }
                            td {
                                @match a.revoked_at {
                                    Some(at) => { (l.t("Đã khóa ", "Revoked ")) (when(at)) }
                                    None if a.id == me.id => { (l.t("Đang dùng (bạn)", "Active (you)")) }
                                    None => {
                                        form method="post" action={ "/console/accounts/" (a.id) "/revoke" } class="inline" {
                                            (csrf_field(csrf))
                                            label { input type="checkbox" name="confirm" value="yes" required; " " (l.t("Tôi chắc chắn khóa tài khoản #", "I am sure: revoke account #")) (a.id) }
                                            button type="submit" class="danger" { (l.t("Khóa tài khoản #", "Revoke account #")) (a.id) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            details {
                summary { (l.t("Tạo tài khoản", "Create an account")) }
                form method="post" action="/console/accounts" {
                    (csrf_field(csrf))
                    label for="role" { (l.t("Vai trò", "Role")) }
                    select id="role" name="role" required {
                        @for r in Role::ALL {
                            option value=(r.as_str()) { (l.role(r.as_str())) }
                        }
                    }
                    label for="office" { (l.t("Đơn vị (chỉ cho điểm cấp thẻ)", "Office (issuing office accounts only)")) }
                    select id="office" name="office" {
                        option value="" { "—" }
                        @for o in offices { option value=(o.code) { (o.code) " — " (o.name) } }
                    }
                    label for="area" { (l.t("Địa bàn", "Area")) }
                    input type="text" id="area" name="area" value=(me.area);
                    label for="account-label" { (l.t("Ghi chú (người hoặc quầy dùng tài khoản)", "Label (who or which counter uses it)")) }
                    input type="text" id="account-label" name="label" maxlength="100";
                    div { button type="submit" { (l.t("Tạo tài khoản", "Create account")) } }
                }
            }
        }
    }
}

pub fn new_token(l: Lang, id: i64, token: &str) -> Markup {
    html! {
        section class="panel" {
            p { (l.t("Tài khoản #", "Account #")) (id) (l.t(" đã được tạo. Sao chép mã truy cập dưới đây và trao cho người dùng: mã chỉ hiển thị một lần.",
                " was created. Copy the token below and hand it to its user: it is shown only once.")) }
            p class="token" { (token) }
            a class="button" href="/console/offices" { (l.t("Xong", "Done")) }
        }
    }
}
