//! The counter screen (`asxh-verifier counter`): a page served on this computer's loopback
//! address that follows the reader through the watch loop ([`crate::watch`]) and pays through
//! its [`Till`]. The page polls `GET /state` (JSON, every text already in the page's language
//! from the catalogue) and posts `POST /pay` and `POST /fallback`; the loop takes those requests
//! one at a time between its short waits, so payments are serialized and a second press of the
//! same card is answered from the journal ("đã chi trả").
//!
//! Any web site the clerk opens may send requests to 127.0.0.1: every request must name the
//! listen address as its Host (against DNS rebinding), and every state-changing one must carry
//! the run's random token (embedded in the page) and no foreign Origin; refusals are JSON
//! `{"error", "message"}` with their status.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use asxh_core::card::CardReader;
use asxh_core::entitlement::IdNumber;
use asxh_core::Ssn;
use asxh_text::format::date;
use asxh_text::message::fill;
use asxh_text::{local_time, Catalogued, Lang, Msg};
use asxh_verdict::{Outcome, Verdict};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{Result, VerifierError};
use crate::pay::{CollectorChoice, FallbackEvidence, LineChoice, PayOutcome, PayRefusal, Payment};
use crate::render;
use crate::store::{ReceiptLine, Store};
use crate::till::{LineState, Till};
use crate::watch::{watch, WatchOptions, WatchUi};

/// How long the loop waits for the reader before it looks at the page's requests again.
const POLL: Duration = Duration::from_millis(200);
/// How long a request waits for the loop to answer (a card signing takes about a second).
const ANSWER_WAIT: Duration = Duration::from_secs(60);
/// How often the day's totals and the lists' ages are read again while nothing happens.
const REFRESH: Duration = Duration::from_secs(5);

/// The header carrying the run's token.
pub const TOKEN_HEADER: &str = "x-counter-token";

/// `--listen`, refused unless it is a loopback address.
pub fn loopback(addr: SocketAddr) -> Result<SocketAddr> {
    if !addr.ip().is_loopback() {
        return Err(VerifierError::NotLoopback(addr.to_string()));
    }
    Ok(addr)
}

/// Serves the counter page at `listen` and runs the watch loop on `reader` for it until the
/// loop ends (a failing reader, or `watch.count` cards).
pub fn serve(
    data: &Path,
    reader: &mut dyn CardReader,
    listen: SocketAddr,
    lang: Lang,
    options: &WatchOptions,
) -> Result<u8> {
    let listen = loopback(listen)?;
    let listener =
        std::net::TcpListener::bind(listen).map_err(|e| VerifierError::CannotListen {
            listen: listen.to_string(),
            detail: e.to_string(),
        })?;
    let listen = listener.local_addr().unwrap_or(listen);
    let point = Store::open(data)?.config()?.point_id;
    let (jobs, inbox) = mpsc::channel();
    let shared = Arc::new(Shared {
        listen,
        token: token(),
        lang,
        screen: Mutex::new(Screen::new(point)),
        jobs: Mutex::new(jobs),
    });
    let server = Arc::clone(&shared);
    std::thread::spawn(move || http::run(listener, server));
    eprintln!(
        "{}",
        fill(
            lang.text(Msg::CounterListening),
            &[("url", format!("http://{listen}/"))]
        )
    );
    let mut desk = Desk {
        shared,
        inbox,
        data: data.to_owned(),
        refreshed: None,
    };
    watch(data, reader, options, &mut desk)
}

/// 32 random bytes in hex, new at every run.
fn token() -> String {
    let mut bytes = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
    hex::encode(bytes)
}

/// What the page's server and the loop share.
pub struct Shared {
    pub listen: SocketAddr,
    pub token: String,
    /// The page's language unless the request asks for the other.
    pub lang: Lang,
    screen: Mutex<Screen>,
    jobs: Mutex<mpsc::Sender<Job>>,
}

impl Shared {
    fn screen(&self) -> std::sync::MutexGuard<'_, Screen> {
        self.screen.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A request of the page for the loop, with where to send its answer.
pub struct Job {
    pub ask: Ask,
    pub lang: Lang,
    pub reply: mpsc::Sender<Answer>,
}

/// What the page asks.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ask {
    /// Pay the card shown (`generation` of the screen) the ticked lines.
    Pay {
        generation: u64,
        lines: Vec<usize>,
        #[serde(default)]
        id_number: Option<String>,
    },
    /// Pay on the point's signature: `reason` `chip_unreadable` (with `qr_text`) or
    /// `card_not_presented`.
    Fallback {
        reason: String,
        ssn: String,
        #[serde(default)]
        qr_text: Option<String>,
        #[serde(default)]
        id_number: Option<String>,
        id_checked: bool,
    },
}

/// The loop's answer: an HTTP status and its JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    fn refused(status: u16, code: &str, message: String) -> Answer {
        Answer {
            status,
            body: json!({ "error": code, "message": message }),
        }
    }
}

/// What the page shows.
#[derive(Debug, Clone)]
enum Phase {
    Empty,
    Card {
        verdict: Box<Verdict>,
        lines: Vec<LineState>,
    },
    Paid {
        verdict: Option<Box<Verdict>>,
        lines: Vec<LineState>,
        payment: Box<Payment>,
    },
}

/// A text in both languages, kept until the page asks in one.
#[derive(Debug, Clone)]
struct Said {
    ok: bool,
    vi: String,
    en: String,
}

/// The state the page follows.
#[derive(Debug, Clone)]
struct Screen {
    /// Changes with every card put in or taken out.
    generation: u64,
    phase: Phase,
    point: String,
    said: Option<Said>,
    today: (usize, usize, u64),
    lists: Vec<ListAge>,
}

#[derive(Debug, Clone)]
struct ListAge {
    name: Msg,
    /// Seconds since it was signed; `None` when none is held.
    age: Option<u64>,
    stale: bool,
}

impl Screen {
    fn new(point: String) -> Screen {
        Screen {
            generation: 0,
            phase: Phase::Empty,
            point,
            said: None,
            today: (0, 0, 0),
            lists: Vec::new(),
        }
    }

    /// The state as JSON, every text in `lang`.
    fn view(&self, lang: Lang) -> Value {
        let t = |m| lang.text(m).to_owned();
        let (phase, verdict, lines, payment) = match &self.phase {
            Phase::Empty => ("empty", None, &[][..], None),
            Phase::Card { verdict, lines } => ("card", Some(&**verdict), &lines[..], None),
            Phase::Paid {
                verdict,
                lines,
                payment,
            } => ("paid", verdict.as_deref(), &lines[..], Some(&**payment)),
        };
        let (receipts, count, total) = self.today;
        json!({
            "generation": self.generation,
            "phase": phase,
            "point": fill(&t(Msg::CounterPoint), &[("point", self.point.clone())]),
            "message": self.said.as_ref().map(|s| json!({
                "ok": s.ok,
                "text": if lang == Lang::En { &s.en } else { &s.vi },
            })),
            "today": fill(&t(Msg::CounterToday), &[
                ("receipts", lang.count(receipts as u64)),
                ("lines", lang.count(count as u64)),
                ("total", lang.money(total)),
            ]),
            "lists": self.lists.iter().map(|l| list_view(l, lang)).collect::<Vec<_>>(),
            "verdict": verdict.map(|v| verdict_view(v, lang)),
            "lines": lines.iter().map(|l| line_view(l, lang)).collect::<Vec<_>>(),
            "collectors": collectors(lines, lang),
            "can_pay": phase == "card" && lines.iter().any(LineState::payable)
                && verdict.is_some_and(|v| v.outcome.may_pay() || v.outcome == Outcome::NothingPayable),
            "receipt": payment.map(|p| receipt_view(p, lang)),
        })
    }
}

fn list_view(l: &ListAge, lang: Lang) -> Value {
    let name = lang.text(l.name).to_owned();
    let text = match l.age {
        None => fill(lang.text(Msg::CounterListMissing), &[("list", name)]),
        Some(age) => fill(
            lang.text(if l.stale {
                Msg::CounterListStale
            } else {
                Msg::CounterListAge
            }),
            &[("list", name), ("age", lang.duration(coarse(age)))],
        ),
    };
    json!({ "text": text, "stale": l.stale || l.age.is_none() })
}

/// An age to its largest unit: days, hours or minutes.
fn coarse(seconds: u64) -> u64 {
    [86_400, 3_600, 60]
        .into_iter()
        .find(|u| seconds >= *u)
        .map_or(seconds, |u| seconds / u * u)
}

/// `green` a valid card, `amber` a payable one with something to mind (QR only, old data),
/// `red` one not to pay: a valid card and a QR never share the green mark.
fn mark(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Valid => "green",
        o if o.may_pay() => "amber",
        _ => "red",
    }
}

fn verdict_view(v: &Verdict, lang: Lang) -> Value {
    let t = |m| lang.text(m).to_owned();
    let mut details: Vec<String> = Vec::new();
    if let Some(r) = &v.revocation {
        details.push(format!(
            "{} {}",
            t(Msg::RevokedBecause),
            lang.reason(&r.reason)
        ));
    }
    details.extend(v.reasons.iter().map(|r| r.text(lang)));
    details.extend(v.warnings.iter().map(|w| w.text(lang)));
    json!({
        "mark": mark(v.outcome),
        "text": render::verdict_text(v, lang),
        "details": details,
        "holder": v.holder.as_ref().map(|h| json!({
            "name": h.full_name,
            "ssn": h.ssn,
            "date_of_birth": date(&h.date_of_birth),
        })),
        "month": v.roll.as_ref().map(|r| fill(&t(Msg::CounterLinesHeading), &[("month", date(&r.month))])),
    })
}

fn role_text(role: &str, lang: Lang) -> String {
    lang.text(if role == "guardian" {
        Msg::RollCollectorGuardian
    } else {
        Msg::RollCollectorAuthorised
    })
    .to_owned()
}

fn line_view(l: &LineState, lang: Lang) -> Value {
    let r = &l.line.line;
    let state = match &l.paid_here {
        Some(paid) if l.line.payable => fill(
            lang.text(Msg::CounterPaidHere),
            &[
                ("at", local_time(paid.paid_at)),
                (
                    "receipt",
                    asxh_core::receipt::ReceiptId::parse_hex(&paid.receipt)
                        .map(|id| id.to_string())
                        .unwrap_or_else(|_| paid.receipt.clone()),
                ),
            ],
        ),
        _ => lang.text(render::line_status(&l.line)).to_owned(),
    };
    let collector = match &r.recipient {
        None => lang.text(Msg::RollCollectorHolder).to_owned(),
        Some(p) => format!(
            "{}: {} ({} {})",
            role_text(&p.role, lang),
            p.name,
            lang.text(Msg::IdCard),
            p.id_number
        ),
    };
    json!({
        "number": l.number,
        "what": render::paid_line(&ReceiptLine::of(l.number, &l.item), lang),
        "amount": lang.money(r.amount_vnd),
        "payable": l.payable(),
        "state": state,
        "collector": collector,
    })
}

/// Who may collect: the holder, and each guardian or authorised person the roll names.
fn collectors(lines: &[LineState], lang: Lang) -> Vec<Value> {
    let mut out = vec![json!({
        "value": "holder",
        "label": lang.text(Msg::CounterCollectorHolder),
    })];
    let mut seen = Vec::new();
    for p in lines.iter().filter_map(|l| l.line.line.recipient.as_ref()) {
        if seen.contains(&&p.id_number) {
            continue;
        }
        seen.push(&p.id_number);
        let role = if p.role == "guardian" {
            Msg::PayCollectorGuardian
        } else {
            Msg::PayCollectorAuthorised
        };
        out.push(json!({
            "value": "recipient",
            "label": fill(lang.text(Msg::CounterCollectorRecipient), &[
                ("role", lang.text(role).to_owned()),
                ("name", p.name.clone()),
            ]),
        }));
    }
    out
}

fn receipt_view(p: &Payment, lang: Lang) -> Value {
    let collector = match p.collector {
        "guardian" => Msg::PayCollectorGuardian,
        "authorised" => Msg::PayCollectorAuthorised,
        _ => Msg::PayCollectorHolder,
    };
    let signed = match p.fallback {
        None => lang.text(Msg::PaySignedByCard).to_owned(),
        Some(reason) => fill(
            lang.text(Msg::PaySignedByPoint),
            &[(
                "reason",
                lang.text(match reason {
                    "chip_unreadable" => Msg::FallbackChipUnreadable,
                    "card_not_presented" => Msg::FallbackCardNotPresented,
                    _ => Msg::FallbackCardCannotSign,
                })
                .to_owned(),
            )],
        ),
    };
    json!({
        "number": p.receipt_number,
        "heading": fill(lang.text(Msg::CounterReceiptHeading), &[("number", p.receipt_number.clone())]),
        "holder": p.holder,
        "ssn": p.ssn,
        "time": fill(lang.text(Msg::CounterReceiptTime), &[("time", local_time(p.paid_at as i64))]),
        "lines": p.lines.iter().map(|l| json!({
            "what": render::paid_line(l, lang),
            "amount": lang.money(l.amount_vnd),
        })).collect::<Vec<_>>(),
        "total": fill(lang.text(Msg::CounterReceiptTotal), &[("total", lang.money(p.total_vnd))]),
        "signed_by": signed,
        "hand_over": fill(lang.text(Msg::CounterHandOver), &[
            ("total", lang.money(p.total_vnd)),
            ("collector", lang.text(collector).to_owned()),
        ]),
    })
}

/// The loop's side: it keeps the screen up to date and answers the page's requests.
struct Desk {
    shared: Arc<Shared>,
    inbox: mpsc::Receiver<Job>,
    data: PathBuf,
    refreshed: Option<Instant>,
}

impl Desk {
    /// Reads the day's totals and the lists' ages again.
    fn refresh(&mut self, till: &Till<'_>) {
        let lists = ages(till);
        let today = today(till.store).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogDayTotals));
            self.shared.screen().today
        });
        let mut screen = self.shared.screen();
        screen.lists = lists;
        screen.today = today;
        self.refreshed = Some(Instant::now());
    }

    /// Uploads the receipts waiting, on a thread of its own (the money is handed over already;
    /// the upload is a courtesy to the other points).
    fn upload(&self) {
        let data = self.data.clone();
        std::thread::spawn(move || {
            match Store::open(&data).and_then(|mut s| crate::sync::upload_now(&mut s)) {
                Ok(report) => tracing::info!(
                    recorded = report.recorded,
                    "{}",
                    asxh_text::logs::text(asxh_text::Msg::LogReceiptsUploaded)
                ),
                Err(e) => {
                    tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogUploadLater))
                }
            }
        });
    }
}

impl WatchUi for Desk {
    fn waiting_for_card(&mut self) {
        let mut screen = self.shared.screen();
        screen.generation += 1;
        screen.phase = Phase::Empty;
        screen.said = None;
    }

    fn verdict(&mut self, verdict: &Verdict, till: &mut Till<'_>) {
        let lines = till.lines(verdict).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogLinesPaidHere));
            Vec::new()
        });
        {
            let mut screen = self.shared.screen();
            screen.generation += 1;
            screen.said = None;
            screen.phase = Phase::Card {
                verdict: Box::new(verdict.clone()),
                lines,
            };
        }
        self.refresh(till);
    }

    fn remove_card(&mut self) {}

    fn reader_unavailable(&mut self) {
        let mut screen = self.shared.screen();
        // A receipt paid without the chip stays on the screen until the next card.
        if !matches!(screen.phase, Phase::Empty) {
            return;
        }
        screen.said = Some(Said {
            ok: false,
            vi: Lang::Vi.text(Msg::CounterReaderUnavailable).to_owned(),
            en: Lang::En.text(Msg::CounterReaderUnavailable).to_owned(),
        });
    }

    fn poll(&self) -> Option<Duration> {
        Some(POLL)
    }

    fn idle(&mut self, till: &mut Till<'_>, card_in: bool) {
        if self.refreshed.is_none_or(|at| at.elapsed() >= REFRESH) {
            self.refresh(till);
        }
        while let Ok(job) = self.inbox.try_recv() {
            let answer = handle(&self.shared, till, card_in, &job);
            if answer.status == 200 {
                self.upload();
                self.refresh(till);
            }
            let _ = job.reply.send(answer);
        }
    }
}

/// The day's receipts, lines and amount (Vietnam time).
fn today(store: &Store) -> Result<(usize, usize, u64)> {
    let now = time::OffsetDateTime::now_utc().to_offset(asxh_core::date::VIETNAM);
    let start = now
        .date()
        .midnight()
        .assume_offset(asxh_core::date::VIETNAM)
        .unix_timestamp();
    let rows = store.receipts(start, start + 86_400)?;
    Ok((
        rows.len(),
        rows.iter().map(|r| r.lines.len()).sum(),
        rows.iter().map(|r| r.total_vnd).sum(),
    ))
}

/// How old the trust list, the revocation list and the roll are, and whether each is overdue
/// (the revocation list also when older than the policy accepts).
fn ages(till: &Till<'_>) -> Vec<ListAge> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp().max(0) as u64;
    let age = |issued: u64, next: u64, max: Option<u64>| ListAge {
        name: Msg::ListTrust,
        age: Some(now.saturating_sub(issued)),
        stale: now > next || max.is_some_and(|m| now.saturating_sub(issued) > m),
    };
    let none = |name| ListAge {
        name,
        age: None,
        stale: true,
    };
    let lists = till.snapshot.lists.as_ref();
    let trust = lists.map_or(none(Msg::ListTrust), |l| {
        age(l.trust.issued_at, l.trust.next_update, None)
    });
    let revocation =
        lists
            .and_then(|l| l.revocations.as_ref())
            .map_or(none(Msg::ListRevocation), |r| ListAge {
                name: Msg::ListRevocation,
                ..age(
                    r.issued_at,
                    r.next_update,
                    Some(till.policy.max_list_age.as_secs()),
                )
            });
    let roll = till
        .snapshot
        .roll
        .as_ref()
        .map_or(none(Msg::ListRoll), |r| ListAge {
            name: Msg::ListRoll,
            ..age(r.header.issued_at, r.header.next_update, None)
        });
    vec![trust, revocation, roll]
}

/// Answers one request of the page with the till of the loop; `card_in`: whether the card the
/// screen shows is still in the reader.
fn handle(shared: &Shared, till: &mut Till<'_>, card_in: bool, job: &Job) -> Answer {
    let lang = job.lang;
    let refuse = |status, code, msg: Msg| Answer::refused(status, code, lang.text(msg).to_owned());
    let outcome = match &job.ask {
        Ask::Pay {
            generation,
            lines,
            id_number,
        } => {
            let shown = shared.screen().generation;
            if !card_in {
                return refuse(409, "no_card", Msg::CounterNoCard);
            }
            if *generation != shown {
                return refuse(409, "card_changed", Msg::CounterCardChanged);
            }
            if lines.is_empty() {
                return refuse(422, "nothing_ticked", Msg::CounterNothingTicked);
            }
            let collector = match collector(id_number.as_deref(), lang) {
                Ok(c) => c,
                Err(a) => return a,
            };
            till.pay(LineChoice::Numbers(lines.clone()), collector, lang)
        }
        Ask::Fallback {
            reason,
            ssn,
            qr_text,
            id_number,
            id_checked,
        } => {
            if !id_checked {
                return refuse(422, "id_not_checked", Msg::CounterIdNotChecked);
            }
            let ssn = match Ssn::parse(ssn.trim()) {
                Ok(s) => s,
                Err(e) => return bad_request(&e.into_problem().text(lang), lang),
            };
            let evidence = match (reason.as_str(), qr_text.as_deref().map(str::trim)) {
                ("card_not_presented", _) => FallbackEvidence::CardNotPresented,
                ("chip_unreadable", Some(qr)) if !qr.is_empty() => {
                    FallbackEvidence::ChipUnreadable {
                        qr_text: qr.to_owned(),
                    }
                }
                (other, _) => return bad_request(other, lang),
            };
            let collector = match collector(id_number.as_deref(), lang) {
                Ok(c) => c,
                Err(a) => return a,
            };
            till.pay_fallback(ssn, &evidence, LineChoice::All, collector, lang)
        }
    };
    let said = |ok, text: &dyn Fn(Lang) -> String| Said {
        ok,
        vi: text(Lang::Vi),
        en: text(Lang::En),
    };
    match outcome {
        Ok(PayOutcome::Paid { verdict, payment }) => {
            let lines = verdict
                .as_deref()
                .map(|v| till.lines(v).unwrap_or_default())
                .unwrap_or_default();
            let view = receipt_view(&payment, lang);
            let mut screen = shared.screen();
            screen.said = Some(said(true, &|l| {
                receipt_view(&payment, l)["hand_over"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            }));
            screen.phase = Phase::Paid {
                verdict,
                lines,
                payment,
            };
            Answer {
                status: 200,
                body: json!({ "receipt": view }),
            }
        }
        Ok(PayOutcome::NotVerified(verdict)) => {
            let text = |l| {
                format!(
                    "{} {}",
                    render::verdict_text(&verdict, l),
                    l.text(Msg::PayNotVerified)
                )
            };
            shared.screen().said = Some(said(false, &text));
            Answer::refused(422, "not_verified", text(lang))
        }
        Err(e) => {
            let status = match &e {
                VerifierError::Pay(
                    PayRefusal::AlreadyPaid { .. } | PayRefusal::MarkedPaid { .. },
                ) => 409,
                VerifierError::Pay(_) => 422,
                _ => 500,
            };
            let code = match &e {
                VerifierError::Pay(
                    PayRefusal::AlreadyPaid { .. } | PayRefusal::MarkedPaid { .. },
                ) => "already_paid",
                VerifierError::Pay(_) => "refused",
                _ => "failed",
            };
            shared.screen().said = Some(said(false, &|l| e.text(l)));
            Answer::refused(status, code, e.text(lang))
        }
    }
}

fn bad_request(detail: &str, lang: Lang) -> Answer {
    Answer::refused(
        400,
        "bad_request",
        fill(
            lang.text(Msg::CounterBadRequest),
            &[("detail", detail.to_owned())],
        ),
    )
}

/// The holder without an identity number, the roll's recipient with one.
fn collector(id_number: Option<&str>, lang: Lang) -> Result<CollectorChoice, Answer> {
    match id_number.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(CollectorChoice::Holder),
        Some(id) => IdNumber::parse(id)
            .map(CollectorChoice::Recipient)
            .map_err(|e| bad_request(&e.into_problem().text(lang), lang)),
    }
}

/// Whether a request may be answered: its Host is the listen address and, for one that changes
/// something, it carries the run's token and no Origin but the page's own.
pub fn guard(
    shared: &Shared,
    host: Option<&str>,
    origin: Option<&str>,
    token: Option<&str>,
    changes: bool,
    lang: Lang,
) -> Result<(), Answer> {
    let listen = shared.listen.to_string();
    if host != Some(listen.as_str()) {
        return Err(Answer::refused(
            421,
            "wrong_host",
            fill(
                lang.text(Msg::CounterRefusedHost),
                &[
                    ("listen", listen.clone()),
                    ("host", host.unwrap_or_default().to_owned()),
                ],
            ),
        ));
    }
    if !changes {
        return Ok(());
    }
    if let Some(origin) = origin.filter(|o| *o != format!("http://{listen}")) {
        return Err(Answer::refused(
            403,
            "foreign_origin",
            fill(
                lang.text(Msg::CounterRefusedOrigin),
                &[("origin", origin.to_owned())],
            ),
        ));
    }
    let given = token.unwrap_or_default().as_bytes();
    let wanted = shared.token.as_bytes();
    let same = given.len() == wanted.len()
        && given
            .iter()
            .zip(wanted)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(Answer::refused(
            403,
            "no_token",
            lang.text(Msg::CounterRefusedToken).to_owned(),
        ));
    }
    Ok(())
}

/// Hands `ask` to the loop and waits for its answer.
fn ask_loop(shared: &Shared, ask: Ask, lang: Lang) -> Answer {
    let (reply, answer) = mpsc::channel();
    let sent = shared
        .jobs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .send(Job { ask, lang, reply });
    match sent
        .ok()
        .and_then(|()| answer.recv_timeout(ANSWER_WAIT).ok())
    {
        Some(a) => a,
        None => Answer::refused(
            503,
            "not_answered",
            lang.text(Msg::CounterNotAnswered).to_owned(),
        ),
    }
}

mod http;

#[cfg(test)]
mod tests;
