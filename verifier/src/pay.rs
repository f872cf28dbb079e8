//! Paying at the counter (SPEC.md §18): verify the card as `card` does, pick the lines due this
//! month from the roll held for the point's area and who collects them, refuse a line this point
//! or the roll already paid, have the card sign the receipt in the same session (SELECT, GET
//! DATA, INTERNAL AUTHENTICATE, PERFORM SECURITY OPERATION), verify it with the card key and
//! store it durably before the clerk is told to hand over the money. A card that cannot sign
//! (6D00), a damaged chip or a card left at home is paid on a receipt the payment point signs
//! with its own key, with the reason.

use asxh_core::card::{AuthFlags, CardClient, CardIoError, Pin, Transport};
use asxh_core::entitlement::IdNumber;
use asxh_core::lists::roll::{LineStatus, RecipientRole};
use asxh_core::lists::{Month, OfficeCode, RollItem};
use asxh_core::receipt::{
    Collector, FallbackReason, ReceiptBody, ReceiptId, SignedReceipt, MAX_LINES,
};
use asxh_core::signature::PublicKey;
use asxh_core::{apdu::StatusWord, CardSerial, Date, Ssn};
use asxh_text::message::Args;
use asxh_text::{local_time, Catalogued, Lang, Msg};
use asxh_verdict::standing::EntitlementStanding;
use asxh_verdict::{Policy, Verdict};
use serde::Serialize;

use crate::error::{Result, VerifierError};
use crate::render;
use crate::store::{ReceiptLine, Snapshot, Store};

/// Which of the holder's lines are paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineChoice {
    /// Every line payable now.
    All,
    /// These line numbers, as the verdict showed them (from 1).
    Numbers(Vec<usize>),
}

impl LineChoice {
    /// `all`, or line numbers separated by commas (`1,3`).
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(LineChoice::All);
        }
        let bad = || {
            VerifierError::Pay(PayRefusal::BadLines {
                text: text.to_owned(),
            })
        };
        let mut numbers = Vec::new();
        for part in text.split(',') {
            let n: usize = part.trim().parse().map_err(|_| bad())?;
            if n == 0 {
                return Err(bad());
            }
            if !numbers.contains(&n) {
                numbers.push(n);
            }
        }
        Ok(LineChoice::Numbers(numbers))
    }
}

/// Who takes the money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CollectorChoice {
    Holder,
    /// The guardian or authorised person of the roll, by the identity number the clerk checked.
    Recipient(IdNumber),
}

/// What the clerk asked to pay.
#[derive(Debug, Clone)]
pub struct PayRequest {
    pub lines: LineChoice,
    pub collector: CollectorChoice,
    /// Keep the holder's name and SSN in the verification journal.
    pub journal_holder: bool,
}

/// Why a payment was not made. Nothing is stored for any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayRefusal {
    /// This point already paid the line (`at` Unix time, receipt number).
    AlreadyPaid {
        line: usize,
        what: String,
        at: i64,
        point: String,
        receipt: String,
    },
    /// The roll marks the line paid (paid at another point).
    MarkedPaid {
        line: usize,
        what: String,
        version: u64,
    },
    NotPayable {
        line: usize,
        what: String,
        why: Msg,
    },
    NoSuchLine {
        line: usize,
        count: usize,
    },
    BadLines {
        text: String,
    },
    TooManyLines {
        count: usize,
    },
    NothingDue {
        month: String,
    },
    NotInRoll {
        ssn: String,
        area: String,
        month: String,
    },
    NoRoll {
        area: String,
        month: String,
    },
    NoArea,
    NoRecipient {
        line: usize,
    },
    WrongRecipient {
        line: usize,
        id: String,
        role: RecipientRole,
    },
    RecipientExpired {
        line: usize,
        role: RecipientRole,
        until: Date,
    },
    /// The QR shown for a damaged chip is another person's.
    QrOtherSsn {
        qr: String,
        ssn: String,
    },
    CardRemoved {
        detail: String,
    },
    SigningFailed {
        detail: String,
    },
    ReceiptDoesNotVerify {
        detail: String,
    },
    BadPointCode {
        code: String,
        detail: String,
    },
}

fn role_msg(role: RecipientRole) -> Msg {
    match role {
        RecipientRole::Guardian => Msg::PayCollectorGuardian,
        RecipientRole::Authorised => Msg::PayCollectorAuthorised,
    }
}

impl Catalogued for PayRefusal {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        let date = |m: &str| asxh_text::format::date(m);
        match self {
            PayRefusal::AlreadyPaid {
                line,
                what,
                at,
                point,
                receipt,
            } => (
                Msg::PayAlreadyPaid,
                vec![
                    ("line", line.to_string()),
                    ("what", what.clone()),
                    ("at", local_time(*at)),
                    ("point", point.clone()),
                    ("receipt", receipt.clone()),
                ],
            ),
            PayRefusal::MarkedPaid {
                line,
                what,
                version,
            } => (
                Msg::PayMarkedPaid,
                vec![
                    ("line", line.to_string()),
                    ("what", what.clone()),
                    ("version", version.to_string()),
                ],
            ),
            PayRefusal::NotPayable { line, what, why } => (
                Msg::PayLineNotPayable,
                vec![
                    ("line", line.to_string()),
                    ("what", what.clone()),
                    ("why", lang.text(*why).to_owned()),
                ],
            ),
            PayRefusal::NoSuchLine { line, count } => (
                Msg::PayNoSuchLine,
                vec![("line", line.to_string()), ("count", count.to_string())],
            ),
            PayRefusal::BadLines { text } => (Msg::PayBadLines, vec![("text", text.clone())]),
            PayRefusal::TooManyLines { count } => (
                Msg::PayTooManyLines,
                vec![("count", count.to_string()), ("max", MAX_LINES.to_string())],
            ),
            PayRefusal::NothingDue { month } => (Msg::PayNothingDue, vec![("month", date(month))]),
            PayRefusal::NotInRoll { ssn, area, month } => (
                Msg::PayNotInRoll,
                vec![
                    ("ssn", ssn.clone()),
                    ("area", area.clone()),
                    ("month", date(month)),
                ],
            ),
            PayRefusal::NoRoll { area, month } => (
                Msg::PayNoRoll,
                vec![("area", area.clone()), ("month", date(month))],
            ),
            PayRefusal::NoArea => (Msg::PayNoArea, vec![]),
            PayRefusal::NoRecipient { line } => {
                (Msg::PayNoRecipient, vec![("line", line.to_string())])
            }
            PayRefusal::WrongRecipient { line, id, role } => (
                Msg::PayWrongRecipient,
                vec![
                    ("line", line.to_string()),
                    ("id", id.clone()),
                    ("role", lang.text(role_msg(*role)).to_owned()),
                ],
            ),
            PayRefusal::RecipientExpired { line, role, until } => (
                Msg::PayRecipientExpired,
                vec![
                    ("line", line.to_string()),
                    ("role", lang.text(role_msg(*role)).to_owned()),
                    ("until", until.vi()),
                ],
            ),
            PayRefusal::QrOtherSsn { qr, ssn } => (
                Msg::PayQrOtherSsn,
                vec![("qr", qr.clone()), ("ssn", ssn.clone())],
            ),
            PayRefusal::CardRemoved { detail } => {
                (Msg::PayCardRemoved, vec![("detail", detail.clone())])
            }
            PayRefusal::SigningFailed { detail } => {
                (Msg::PaySigningFailed, vec![("detail", detail.clone())])
            }
            PayRefusal::ReceiptDoesNotVerify { detail } => (
                Msg::PayReceiptDoesNotVerify,
                vec![("detail", detail.clone())],
            ),
            PayRefusal::BadPointCode { code, detail } => (
                Msg::PayBadPointCode,
                vec![("code", code.clone()), ("detail", detail.clone())],
            ),
        }
    }

    fn examples() -> Vec<Self> {
        let what = || "Trợ giúp xã hội (TGXH), trợ cấp hằng tháng 12/2026".to_owned();
        vec![
            PayRefusal::AlreadyPaid {
                line: 1,
                what: what(),
                at: 1_795_615_380,
                point: "POINT-1".into(),
                receipt: "ABAB-ABAB-ABAB-ABAB-ABAB-ABAB".into(),
            },
            PayRefusal::MarkedPaid {
                line: 1,
                what: what(),
                version: 4,
            },
            PayRefusal::NotPayable {
                line: 2,
                what: what(),
                why: Msg::RollLineSuspended,
            },
            PayRefusal::NoSuchLine { line: 3, count: 2 },
            PayRefusal::BadLines { text: "1,x".into() },
            PayRefusal::TooManyLines { count: 6 },
            PayRefusal::NothingDue {
                month: "2026-12".into(),
            },
            PayRefusal::NotInRoll {
                ssn: "051146000123".into(),
                area: "51.429.22903".into(),
                month: "2026-12".into(),
            },
            PayRefusal::NoRoll {
                area: "51.429.22903".into(),
                month: "2026-12".into(),
            },
            PayRefusal::NoArea,
            PayRefusal::NoRecipient { line: 1 },
            PayRefusal::WrongRecipient {
                line: 1,
                id: "051190001235".into(),
                role: RecipientRole::Guardian,
            },
            PayRefusal::RecipientExpired {
                line: 1,
                role: RecipientRole::Authorised,
                until: Date::parse("until", "2026-11-30").expect("date"),
            },
            PayRefusal::QrOtherSsn {
                qr: "051146000123".into(),
                ssn: "051146000124".into(),
            },
            PayRefusal::CardRemoved {
                detail: "card removed".into(),
            },
            PayRefusal::SigningFailed {
                detail: "6F00".into(),
            },
            PayRefusal::ReceiptDoesNotVerify {
                detail: "bad signature".into(),
            },
            PayRefusal::BadPointCode {
                code: "point 1".into(),
                detail: "a space".into(),
            },
        ]
    }
}

impl PayRefusal {
    /// The exit code (see the binary's help).
    pub fn exit_code(&self) -> u8 {
        match self {
            PayRefusal::AlreadyPaid { .. } | PayRefusal::MarkedPaid { .. } => 50,
            PayRefusal::BadLines { .. } | PayRefusal::BadPointCode { .. } => 2,
            PayRefusal::NotPayable { .. }
            | PayRefusal::NoSuchLine { .. }
            | PayRefusal::TooManyLines { .. }
            | PayRefusal::NothingDue { .. }
            | PayRefusal::NotInRoll { .. }
            | PayRefusal::NoRoll { .. }
            | PayRefusal::NoArea => 51,
            PayRefusal::NoRecipient { .. }
            | PayRefusal::WrongRecipient { .. }
            | PayRefusal::RecipientExpired { .. }
            | PayRefusal::QrOtherSsn { .. } => 52,
            PayRefusal::CardRemoved { .. }
            | PayRefusal::SigningFailed { .. }
            | PayRefusal::ReceiptDoesNotVerify { .. } => 53,
        }
    }
}

fn refuse<T>(r: PayRefusal) -> Result<T> {
    Err(VerifierError::Pay(r))
}

/// The card's PIN state when it signed.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PinState {
    pub set: bool,
    pub verified: bool,
    pub blocked: bool,
}

impl From<AuthFlags> for PinState {
    fn from(f: AuthFlags) -> Self {
        PinState {
            set: f.pin_set(),
            verified: f.pin_verified(),
            blocked: f.pin_blocked(),
        }
    }
}

/// Commands and bytes exchanged with the card from insertion to the signed receipt.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Wire {
    pub commands: u32,
    pub bytes: u64,
}

/// A payment made: the receipt is stored; the clerk hands over `total_vnd`.
#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub receipt_number: String,
    pub receipt_id: String,
    /// The receipt's bytes, lower-case hex (as uploaded).
    pub receipt_hex: String,
    /// `card` (profile 0B) or `point` (0C).
    pub signed_by: &'static str,
    /// Why the point signed: chip_unreadable, card_not_presented, card_cannot_sign.
    pub fallback: Option<&'static str>,
    pub point: String,
    pub paid_at: u64,
    pub ssn: String,
    pub holder: Option<String>,
    pub serial: Option<String>,
    pub area: String,
    pub month: String,
    pub roll_version: u64,
    pub lines: Vec<ReceiptLine>,
    pub total_vnd: u64,
    /// `holder`, `guardian` or `authorised`.
    pub collector: &'static str,
    /// The card's PIN state as it signed (card-signed receipts).
    pub pin: Option<PinState>,
    pub wire: Option<Wire>,
}

impl Payment {
    /// What the clerk reads: the amount to hand over and to whom, the receipt number, each line,
    /// who signed.
    pub fn text(&self, lang: Lang) -> String {
        let collector = match self.collector {
            "guardian" => Msg::PayCollectorGuardian,
            "authorised" => Msg::PayCollectorAuthorised,
            _ => Msg::PayCollectorHolder,
        };
        let mut out = asxh_text::message::fill(
            lang.text(Msg::PayDone),
            &[
                ("total", lang.money(self.total_vnd)),
                ("collector", lang.text(collector).to_owned()),
                ("receipt", self.receipt_number.clone()),
            ],
        );
        for l in &self.lines {
            out.push('\n');
            out.push_str(&asxh_text::message::fill(
                lang.text(Msg::PayLine),
                &[
                    ("number", l.number.to_string()),
                    ("what", render::paid_line(l, lang)),
                    ("amount", lang.money(l.amount_vnd)),
                ],
            ));
        }
        out.push('\n');
        match self.fallback {
            None => out.push_str(lang.text(Msg::PaySignedByCard)),
            Some(reason) => out.push_str(&asxh_text::message::fill(
                lang.text(Msg::PaySignedByPoint),
                &[("reason", lang.text(fallback_msg(reason)).to_owned())],
            )),
        }
        if self.pin.is_some_and(|p| p.blocked) {
            out.push('\n');
            out.push_str(lang.text(Msg::PayPinBlocked));
        }
        out
    }
}

fn fallback_msg(reason: &str) -> Msg {
    match reason {
        "chip_unreadable" => Msg::FallbackChipUnreadable,
        "card_not_presented" => Msg::FallbackCardNotPresented,
        _ => Msg::FallbackCardCannotSign,
    }
}

/// What a pay attempt came to when no error stopped it.
#[derive(Debug)]
pub enum PayOutcome {
    /// The card (or QR) did not pass verification: nothing paid; the verdict says why.
    NotVerified(Box<Verdict>),
    Paid {
        verdict: Option<Box<Verdict>>,
        payment: Box<Payment>,
    },
}

/// The lines picked for a receipt, from the roll.
struct Chosen {
    lines: Vec<(usize, RollItem)>,
    collector: Collector,
    roll_version: u64,
    area: asxh_core::AreaCode,
    month: Month,
}

fn now() -> u64 {
    time::OffsetDateTime::now_utc().unix_timestamp().max(0) as u64
}

fn line_what(number: usize, item: &RollItem, lang: Lang) -> String {
    render::paid_line(&ReceiptLine::of(number, item), lang)
}

/// Picks the lines of `ssn` on the held roll as `request` asks, checking each is payable now
/// (due on the roll, its program's entitlement in force on the card when the card names it),
/// not already paid here, and that the collector may take it.
fn choose(
    store: &Store,
    snapshot: &Snapshot,
    ssn: Ssn,
    standings: &[EntitlementStanding],
    request: &PayRequest,
    lang: Lang,
) -> Result<Chosen> {
    let Some(area) = snapshot.area.clone() else {
        return refuse(PayRefusal::NoArea);
    };
    let month = snapshot.month;
    let Some(roll) = snapshot
        .roll
        .as_ref()
        .filter(|r| r.header.area == area && r.header.month == month)
    else {
        return refuse(PayRefusal::NoRoll {
            area: area.to_string(),
            month: month.to_string(),
        });
    };
    let (Some(views), Some(judged)) = (
        roll.lookup(ssn),
        asxh_verdict::roll::lines_of(roll, ssn, standings),
    ) else {
        return refuse(PayRefusal::NotInRoll {
            ssn: ssn.to_string(),
            area: area.to_string(),
            month: month.to_string(),
        });
    };
    let version = roll.header.version;
    let numbers: Vec<usize> = match &request.lines {
        LineChoice::All => {
            let due: Vec<usize> = (1..=views.len())
                .filter(|n| judged[n - 1].payable)
                .collect();
            if due.is_empty() {
                if let Some(n) = (1..=views.len()).find(|n| views[n - 1].status == LineStatus::Paid)
                {
                    return refuse(PayRefusal::MarkedPaid {
                        line: n,
                        what: line_what(n, views[n - 1].item, lang),
                        version,
                    });
                }
                return refuse(PayRefusal::NothingDue {
                    month: month.to_string(),
                });
            }
            due
        }
        LineChoice::Numbers(ns) => ns.clone(),
    };
    if numbers.len() > MAX_LINES {
        return refuse(PayRefusal::TooManyLines {
            count: numbers.len(),
        });
    }
    let today = Date::today();
    let mut lines = Vec::with_capacity(numbers.len());
    let mut role = None;
    for &n in &numbers {
        let Some(view) = views.get(n.wrapping_sub(1)) else {
            return refuse(PayRefusal::NoSuchLine {
                line: n,
                count: views.len(),
            });
        };
        let what = || line_what(n, view.item, lang);
        if let Some(paid) = store.paid_here(&ssn.to_string(), month, view.item)? {
            return refuse(PayRefusal::AlreadyPaid {
                line: n,
                what: what(),
                at: paid.paid_at,
                point: paid.point,
                receipt: ReceiptId::parse_hex(&paid.receipt)
                    .map(|id| id.to_string())
                    .unwrap_or(paid.receipt),
            });
        }
        if !judged[n - 1].payable {
            let why = match view.status {
                LineStatus::Paid => {
                    return refuse(PayRefusal::MarkedPaid {
                        line: n,
                        what: what(),
                        version,
                    })
                }
                LineStatus::Suspended => Msg::RollLineSuspended,
                LineStatus::Stopped => Msg::RollLineStopped,
                LineStatus::PaidByAccount => Msg::RollLinePaidByAccount,
                LineStatus::Due => Msg::RollLineOutsideDates,
            };
            return refuse(PayRefusal::NotPayable {
                line: n,
                what: what(),
                why,
            });
        }
        if let CollectorChoice::Recipient(id) = &request.collector {
            let Some(r) = view.recipient else {
                return refuse(PayRefusal::NoRecipient { line: n });
            };
            if r.id_number != *id {
                return refuse(PayRefusal::WrongRecipient {
                    line: n,
                    id: id.as_str().to_owned(),
                    role: r.role,
                });
            }
            if let Some(until) = r.valid_until.filter(|u| *u < today) {
                return refuse(PayRefusal::RecipientExpired {
                    line: n,
                    role: r.role,
                    until,
                });
            }
            role = Some(r.role);
        }
        lines.push((n, view.item.clone()));
    }
    let collector = match (&request.collector, role) {
        (CollectorChoice::Recipient(id), Some(role)) => Collector::recipient(role, id),
        _ => Collector::Holder,
    };
    Ok(Chosen {
        lines,
        collector,
        roll_version: version,
        area,
        month,
    })
}

fn point_code(store: &Store) -> Result<OfficeCode> {
    let code = store.config()?.point_id;
    OfficeCode::parse(&code).map_err(|e| {
        VerifierError::Pay(PayRefusal::BadPointCode {
            code: code.clone(),
            detail: e.to_string(),
        })
    })
}

fn body_of(
    chosen: &Chosen,
    point: OfficeCode,
    serial: Option<CardSerial>,
    ssn: Ssn,
    fallback: Option<FallbackReason>,
) -> Result<ReceiptBody> {
    ReceiptBody::new(ReceiptBody {
        id: ReceiptId::random(),
        point,
        paid_at: now(),
        serial,
        ssn,
        area: chosen.area.clone(),
        month: chosen.month,
        roll_version: chosen.roll_version,
        collector: chosen.collector,
        fallback,
        lines: chosen.lines.iter().map(|(_, i)| i.clone()).collect(),
    })
    .map_err(|e| VerifierError::Storage(format!("the receipt cannot be built: {e}")))
}

/// Signs `body` with the point's key (a fallback receipt) and checks it.
fn point_signed(store: &Store, body: ReceiptBody) -> Result<SignedReceipt> {
    let key = store.point_key()?;
    let receipt = SignedReceipt::sign_by_point(body, &key)
        .map_err(|e| VerifierError::Storage(format!("the receipt cannot be signed: {e}")))?;
    receipt.verify(key.verifying_key()).map_err(|e| {
        VerifierError::Pay(PayRefusal::ReceiptDoesNotVerify {
            detail: e.to_string(),
        })
    })?;
    Ok(receipt)
}

fn keep(
    store: &mut Store,
    receipt: SignedReceipt,
    chosen: &Chosen,
    holder: Option<String>,
    pin: Option<PinState>,
    wire: Option<Wire>,
) -> Result<Payment> {
    let lines: Vec<ReceiptLine> = chosen
        .lines
        .iter()
        .map(|(n, item)| ReceiptLine::of(*n, item))
        .collect();
    store.save_receipt(&receipt, &lines, holder.as_deref())?;
    let body = receipt.body();
    Ok(Payment {
        receipt_number: body.id.to_string(),
        receipt_id: body.id.to_hex(),
        receipt_hex: hex::encode(receipt.to_bytes()),
        signed_by: if body.fallback.is_some() {
            "point"
        } else {
            "card"
        },
        fallback: body.fallback.map(FallbackReason::as_str),
        point: body.point.as_str().to_owned(),
        paid_at: body.paid_at,
        ssn: body.ssn.to_string(),
        holder,
        serial: body.serial.map(|s| s.to_string()),
        area: body.area.to_string(),
        month: body.month.to_string(),
        roll_version: body.roll_version,
        total_vnd: body.total_vnd(),
        lines,
        collector: match body.collector {
            Collector::Holder => "holder",
            Collector::Recipient { role, .. } => role.as_str(),
        },
        pin,
        wire,
    })
}

/// Verifies the card behind `client` and pays it as `request` asks, in one card session: the
/// receipt the card signs (or, for a card answering 6D00, the point) is stored before this
/// returns. The verification is journalled whatever follows.
pub fn pay_card<T: Transport>(
    store: &mut Store,
    snapshot: &Snapshot,
    policy: Policy,
    client: &mut CardClient<T>,
    pin: Option<&Pin>,
    request: &PayRequest,
    lang: Lang,
) -> Result<PayOutcome> {
    let checker = snapshot.checker(policy);
    let (verdict, card_key) = checker.card_session(client, pin);
    let point_id = store.config()?.point_id;
    crate::journal(store, &point_id, &verdict, request.journal_holder)?;
    let (Some(card_key), true) = (card_key, may_try(&verdict)) else {
        return Ok(PayOutcome::NotVerified(Box::new(verdict)));
    };
    let holder = verdict
        .holder
        .as_ref()
        .expect("a verified card has a holder");
    let ssn = Ssn::parse(&holder.ssn)
        .map_err(|e| VerifierError::Storage(format!("the card's SSN: {e}")))?;
    let serial = CardSerial::parse(&holder.serial)
        .map_err(|e| VerifierError::Storage(format!("the card's serial: {e}")))?;
    let chosen = choose(store, snapshot, ssn, &verdict.entitlements, request, lang)?;
    let point = point_code(store)?;
    let body = body_of(&chosen, point.clone(), Some(serial), ssn, None)?;
    let (receipt, pin_state) = match client.sign_receipt(&body.to_bytes()) {
        Ok(answer) => {
            let receipt = card_signed(body, &answer, &card_key)?;
            let flags = receipt.flags();
            (receipt, Some(PinState::from(flags)))
        }
        Err(CardIoError::Status { sw, .. }) if sw == StatusWord::INS_NOT_SUPPORTED => {
            let body = body_of(
                &chosen,
                point,
                Some(serial),
                ssn,
                Some(FallbackReason::CardCannotSign),
            )?;
            (point_signed(store, body)?, None)
        }
        Err(e @ CardIoError::CardRemoved { .. }) => {
            return refuse(PayRefusal::CardRemoved {
                detail: e.to_string(),
            })
        }
        Err(e) => {
            return refuse(PayRefusal::SigningFailed {
                detail: e.to_string(),
            })
        }
    };
    let stats = client.stats();
    let wire = Wire {
        commands: stats.commands,
        bytes: (stats.bytes_sent + stats.bytes_received) as u64,
    };
    let payment = keep(
        store,
        receipt,
        &chosen,
        Some(holder.full_name.clone()),
        pin_state,
        Some(wire),
    )?;
    Ok(PayOutcome::Paid {
        verdict: Some(Box::new(verdict)),
        payment: Box::new(payment),
    })
}

/// Whether to go on to the lines: a verdict that may pay, or a genuine card with nothing
/// payable (its lines then say why each is refused: paid, here or on the roll, suspended, …).
fn may_try(verdict: &Verdict) -> bool {
    verdict.outcome.may_pay() || verdict.outcome == asxh_verdict::Outcome::NothingPayable
}

/// The card's answer and the body together, verified with the card key of the credential.
fn card_signed(body: ReceiptBody, answer: &[u8], card_key: &PublicKey) -> Result<SignedReceipt> {
    let does_not_verify =
        |detail: String| VerifierError::Pay(PayRefusal::ReceiptDoesNotVerify { detail });
    let receipt =
        SignedReceipt::from_card(body, answer).map_err(|e| does_not_verify(e.to_string()))?;
    receipt
        .verify(card_key)
        .map_err(|e| does_not_verify(e.to_string()))?;
    Ok(receipt)
}

/// How the beneficiary was identified without the card signing.
#[derive(Debug, Clone)]
pub enum FallbackEvidence {
    /// A damaged chip: the card's printed QR (verified as `qr` does) and an identity document.
    ChipUnreadable { qr_text: String },
    /// No card: an identity document and the roll alone.
    CardNotPresented,
}

/// Pays `ssn` on a receipt the payment point signs (profile 0C), the lines from the roll by SSN.
pub fn pay_fallback(
    store: &mut Store,
    snapshot: &Snapshot,
    policy: Policy,
    ssn: Ssn,
    evidence: &FallbackEvidence,
    request: &PayRequest,
    lang: Lang,
) -> Result<PayOutcome> {
    let (verdict, reason, serial, holder, standings) = match evidence {
        FallbackEvidence::ChipUnreadable { qr_text } => {
            let verdict = snapshot.checker(policy).qr(qr_text);
            let point_id = store.config()?.point_id;
            crate::journal(store, &point_id, &verdict, request.journal_holder)?;
            if let Some(h) = verdict.holder.as_ref().filter(|h| h.ssn != ssn.to_string()) {
                return refuse(PayRefusal::QrOtherSsn {
                    qr: h.ssn.clone(),
                    ssn: ssn.to_string(),
                });
            }
            let (true, Some(h)) = (may_try(&verdict), verdict.holder.as_ref()) else {
                return Ok(PayOutcome::NotVerified(Box::new(verdict)));
            };
            let serial = CardSerial::parse(&h.serial).ok();
            let holder = Some(h.full_name.clone());
            let standings = verdict.entitlements.clone();
            (
                Some(Box::new(verdict)),
                FallbackReason::ChipUnreadable,
                serial,
                holder,
                standings,
            )
        }
        FallbackEvidence::CardNotPresented => (
            None,
            FallbackReason::CardNotPresented,
            None,
            None,
            Vec::new(),
        ),
    };
    let chosen = choose(store, snapshot, ssn, &standings, request, lang)?;
    let body = body_of(&chosen, point_code(store)?, serial, ssn, Some(reason))?;
    let receipt = point_signed(store, body)?;
    let payment = keep(store, receipt, &chosen, holder, None, None)?;
    Ok(PayOutcome::Paid {
        verdict,
        payment: Box::new(payment),
    })
}
