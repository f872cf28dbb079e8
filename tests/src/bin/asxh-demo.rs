//! asxh-demo: the whole system in one command, on the embedded defaults — a server with a fresh
//! SQLite file on a free loopback port, an issuing office personalizing three cards (in-process
//! reference cards by default, or through pcscd and the vpcd virtual reader with `--pcsc`) and
//! printing their faces, a payment point verifying each card and a QR read from a printed face,
//! a holder's decision in the register and the month's payment roll drafted from it, approved and
//! paid from, a base-level change reaching the point after one sync, a card revoked as lost, the
//! point syncing and refusing it, and the journal. One line per step;
//! everything is left in `demo-out/`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};
use asxh_card::{CardApp, FileStorage};
use asxh_core::card::{AdminCode, CardApplication, CardClient, InProcessTransport, Transport};
use asxh_core::lists::{Month, OfficeCode};
use asxh_core::{AreaCode, Date, SignedCredential};
use asxh_personalizer::face::Face;
use asxh_personalizer::flow::{self, NoCheckpoints, Office};
use asxh_personalizer::request::{CardRequest, RawRequest};
use asxh_server::auth::{self, Role};
use asxh_server::policy::{act, authorize, Principal};
use asxh_verdict::{Checker, Policy, Verdict};
use clap::Parser;

#[derive(Parser)]
#[command(about = "The whole flow: issue, print, verify card and QR, revoke, verify again")]
struct Args {
    /// Use the real PC/SC stack: pcscd, the vpcd virtual reader and the card application.
    #[arg(long)]
    pcsc: bool,
    /// Where to leave the outputs (overwritten).
    #[arg(long, default_value = "demo-out")]
    out: PathBuf,
}

type Client<'a> = CardClient<Box<dyn Transport + 'a>>;

/// Runs `f` against `app`, in process or inserted in the first vpcd reader, and gives the card
/// back.
fn on_card<A, R>(
    mut app: A,
    pcsc: bool,
    f: impl FnOnce(&mut Client<'_>) -> anyhow::Result<R>,
) -> anyhow::Result<(A, R)>
where
    A: CardApplication + Send + 'static,
{
    if !pcsc {
        let mut client: Client<'_> = CardClient::new(Box::new(InProcessTransport::new(&mut app)));
        let r = f(&mut client)?;
        drop(client);
        return Ok((app, r));
    }
    let reader = asxh_e2e::VirtualReader::First;
    let card = asxh_e2e::insert(app, reader);
    let mut client: Client<'_> =
        CardClient::new(Box::new(asxh_e2e::connect(reader).into_transport()));
    let r = f(&mut client);
    drop(client);
    let (app, _) = card.remove();
    Ok((app, r?))
}

struct Holder {
    ssn: &'static str,
    name: &'static str,
    dob: &'static str,
    sex: &'static str,
    area: &'static str,
    entitlements: &'static [&'static str],
    recipient: Option<&'static str>,
}

const HOLDERS: [Holder; 3] = [
    Holder {
        ssn: "051146000123",
        name: "Trần Thị Lan",
        dob: "1946-08-19",
        sex: "F",
        area: "51.22903",
        entitlements: &[
            "TGXH:BTXH-80:540000:2026-01-01",
            "BHYT:BT::2026-01-01:2030-12-31",
        ],
        recipient: None,
    },
    Holder {
        ssn: "051038000999",
        name: "Hồ Văn Tư",
        dob: "1938",
        sex: "M",
        area: "51.22903",
        entitlements: &["NCC:TB-81:2789000:2026-01-01", "BHYT:CC"],
        recipient: Some("Hồ Thị Mai:051175000222"),
    },
    Holder {
        ssn: "051204000017",
        name: "Phạm Văn Minh",
        dob: "2004-03",
        sex: "M",
        area: "51.22906",
        entitlements: &["TGXH:NKT-NANG:1080000:2026-01-01"],
        recipient: None,
    },
];

fn step(text: impl AsRef<str>) {
    println!("{}", text.as_ref());
}

fn write_json(path: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    std::fs::write(path, serde_json::to_string_pretty(value)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))
}

fn verdict_line(v: &Verdict) -> String {
    let mut line = v.outcome.as_str().replace('_', " ");
    if let Some(r) = &v.revocation {
        line += &format!(" ({})", r.reason);
    }
    if let Some(w) = v.wire {
        line += &format!(", {} APDUs, {} bytes", w.commands, w.bytes);
    }
    line
}

/// An admin's API call; the answer's JSON.
fn admin_call(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    token: &str,
    body: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let answer = agent
        .request(method, url)
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(body)
        .with_context(|| format!("{method} {url}"))?;
    if answer.status() == 204 {
        return Ok(serde_json::Value::Null);
    }
    Ok(answer.into_json()?)
}

/// Payments at the counter (SPEC.md §18): holder 1 is paid and the card signs the receipt; a
/// second payment of the same line is refused; a neighbour's authorised person collects with an
/// identity document (the beneficiary is bedridden, no card at the counter), on a receipt the
/// point signs; then the day's list (bảng kê chi trả). Gives the card back.
fn pay_at_counter(
    agent: &ureq::Agent,
    url: &str,
    admin_token: &str,
    point_store: &mut asxh_verifier::store::Store,
    app: CardApp<FileStorage>,
    pcsc: bool,
    out: &Path,
) -> anyhow::Result<CardApp<FileStorage>> {
    use asxh_text::message::Catalogued;
    use asxh_verifier::pay::{
        self, CollectorChoice, FallbackEvidence, LineChoice, PayOutcome, PayRequest,
    };
    let holder = &HOLDERS[0];
    let request = |collector| PayRequest {
        lines: LineChoice::All,
        collector,
        journal_holder: false,
    };
    let pay_card = |point_store: &mut asxh_verifier::store::Store, app| {
        let snapshot = point_store.snapshot()?;
        on_card(app, pcsc, |c| {
            Ok(pay::pay_card(
                point_store,
                &snapshot,
                Policy::default(),
                c,
                None,
                &request(CollectorChoice::Holder),
                asxh_text::Lang::En,
            ))
        })
    };
    let (app, paid) = pay_card(point_store, app)?;
    match paid? {
        PayOutcome::Paid { payment, .. } => {
            write_json(&out.join("payment-1.json"), &payment)?;
            step(format!(
                "payment point: {} paid {}; the card signed receipt {} ({} bytes, {} card commands)",
                holder.name,
                asxh_text::Lang::En.money(payment.total_vnd),
                payment.receipt_number,
                payment.receipt_hex.len() / 2,
                payment.wire.map_or(0, |w| w.commands),
            ))
        }
        PayOutcome::NotVerified(v) => bail!("holder 1's card did not verify: {:?}", v.outcome),
    }
    let (app, again) = pay_card(point_store, app)?;
    match again {
        Err(asxh_verifier::error::VerifierError::Pay(refusal)) => step(format!(
            "payment point: the same card again: refused — {}",
            refusal.text(asxh_text::Lang::En)
        )),
        other => bail!(
            "a second payment of the same line was not refused: {:?}",
            other.map(|_| ())
        ),
    }

    // A neighbour on the register, bedridden: his authorised person collects.
    let neighbour = &HOLDERS[1];
    let month = Month::of(Date::today()).to_string();
    admin_call(
        agent,
        "PUT",
        &format!("{url}/v1/beneficiaries/{}", neighbour.ssn),
        admin_token,
        serde_json::json!({"full_name": neighbour.name, "area": holder.area}),
    )?;
    let decision = admin_call(
        agent,
        "POST",
        &format!("{url}/v1/entitlements"),
        admin_token,
        serde_json::json!({"ssn": neighbour.ssn, "program": "TGXH", "category": "NCT80",
            "coefficient": 150, "decision_no": "126/QĐ-UBND", "decision_date": Date::today().to_string(),
            "paid_from": month}),
    )?;
    admin_call(
        agent,
        "PUT",
        &format!("{url}/v1/entitlements/{}/recipient", decision["id"]),
        admin_token,
        serde_json::json!({"recipient": {"role": "authorised", "name": "Hồ Thị Sen",
            "id_number": "051190004567", "document": "Giấy ủy quyền 12/UQ",
            "valid_from": format!("{month}-01")}}),
    )?;
    let drafts = format!("{url}/v1/rolls/{}/{month}/drafts", holder.area);
    let until = std::time::Instant::now() + Duration::from_secs(10);
    let draft = loop {
        let list: serde_json::Value = agent
            .get(&drafts)
            .set("Authorization", &format!("Bearer {admin_token}"))
            .call()?
            .into_json()?;
        let newest = list["drafts"][0].clone();
        if newest["status"] == "draft" && newest["summary"]["changes"]["added"].as_u64() >= Some(1)
        {
            break newest;
        }
        if std::time::Instant::now() > until {
            bail!("the server did not draft the roll again after the new decision");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    admin_call(
        agent,
        "POST",
        &format!("{url}/v1/roll-drafts/{}/approve", draft["id"]),
        admin_token,
        serde_json::json!({}),
    )?;
    asxh_verifier::sync::sync(point_store)?;
    step(format!(
        "admin: {}'s decision (TGXH × 1.5) with his authorised person Hồ Thị Sen; the new roll approved; the point synced",
        neighbour.name
    ));
    let snapshot = point_store.snapshot()?;
    let proxy = pay::pay_fallback(
        point_store,
        &snapshot,
        Policy::default(),
        asxh_core::Ssn::parse(neighbour.ssn)?,
        &FallbackEvidence::CardNotPresented,
        &request(CollectorChoice::Recipient(asxh_core::IdNumber::parse(
            "051190004567",
        )?)),
        asxh_text::Lang::En,
    )?;
    match proxy {
        PayOutcome::Paid { payment, .. } => step(format!(
            "payment point: {} paid to his authorised person (identity number checked, no card at the counter): receipt {} signed by the point's own key",
            asxh_text::Lang::En.money(payment.total_vnd),
            payment.receipt_number
        )),
        PayOutcome::NotVerified(v) => bail!("the fallback payment did not go through: {:?}", v.outcome),
    }

    // The day's list.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let rows = point_store.receipts(now - 86_400, now + 60)?;
    point_store.export_receipts(&out.join("receipts.csv"), &rows)?;
    for r in &rows {
        step(format!(
            "payment point: day's list: {} · {} · {} · {}",
            r.number,
            r.holder.as_deref().unwrap_or(&r.ssn),
            asxh_text::Lang::En.money(r.total_vnd),
            r.collector
        ));
    }
    Ok(app)
}

/// The payment roll of the commune of holder 1 for this month: the register's decision, the
/// draft and its approval, the point's verdict from the roll; then the province's new base level,
/// the server's new draft, its approval, one sync and the new amount. Gives the card back.
#[allow(clippy::too_many_arguments)]
fn pay_from_roll(
    agent: &ureq::Agent,
    url: &str,
    admin_token: &str,
    point_store: &mut asxh_verifier::store::Store,
    app: CardApp<FileStorage>,
    serial: &str,
    pcsc: bool,
    out: &Path,
) -> anyhow::Result<CardApp<FileStorage>> {
    let holder = &HOLDERS[0];
    let month = Month::of(Date::today()).to_string();
    let commune = holder.area;
    admin_call(
        agent,
        "PUT",
        &format!("{url}/v1/beneficiaries/{}", holder.ssn),
        admin_token,
        serde_json::json!({"full_name": holder.name, "area": commune}),
    )?;
    admin_call(
        agent,
        "POST",
        &format!("{url}/v1/entitlements"),
        admin_token,
        serde_json::json!({"ssn": holder.ssn, "program": "TGXH", "category": "BTXH-80",
            "coefficient": 100, "decision_no": "125/QĐ-UBND", "decision_date": Date::today().to_string(),
            "paid_from": month}),
    )?;
    let drafts = format!("{url}/v1/rolls/{commune}/{month}/drafts");
    let draft = admin_call(agent, "POST", &drafts, admin_token, serde_json::json!({}))?;
    let approve = |draft: &serde_json::Value| {
        admin_call(
            agent,
            "POST",
            &format!("{url}/v1/roll-drafts/{}/approve", draft["id"]),
            admin_token,
            serde_json::json!({}),
        )
    };
    approve(&draft)?;
    step(format!(
        "admin: recorded {}'s decision (TGXH × 1.0 of the base level) in the register; the roll of {commune} for {month} drafted from it ({} in all) and approved",
        holder.name,
        asxh_text::Lang::En.money(draft["summary"]["total_vnd"].as_u64().unwrap_or(0))
    ));
    point_store.set_area(&AreaCode::parse(commune)?)?;
    let amount_paid = |point_store: &mut asxh_verifier::store::Store,
                       app: CardApp<FileStorage>,
                       file: &str|
     -> anyhow::Result<(CardApp<FileStorage>, String)> {
        let report = asxh_verifier::sync::sync(point_store)?;
        step(format!(
            "payment point: {}",
            report.text(asxh_text::Lang::En)
        ));
        let snapshot = point_store.snapshot()?;
        let checker = snapshot.checker(Policy::default());
        let (app, v) = on_card(app, pcsc, |c| Ok(checker.card(c, None)))?;
        asxh_verifier::journal(point_store, "BD-NGHIA-HANH", &v, false)?;
        write_json(&out.join(file), &v)?;
        let line = v
            .lines
            .first()
            .context("the roll has a line for holder 1")?;
        if !line.payable {
            bail!("holder 1's line should be payable");
        }
        Ok((app, asxh_text::Lang::En.money(line.line.amount_vnd)))
    };
    let (app, before) = amount_paid(point_store, app, "verify-card-1-roll.json")?;
    step(format!(
        "payment point: card {serial}: pay {before} this month, from the roll"
    ));
    admin_call(
        agent,
        "POST",
        &format!("{url}/v1/base-levels"),
        admin_token,
        serde_json::json!({"program": "TGXH", "province": "51", "from": month,
            "amount_vnd": 750_000, "decree": "45/2026/NQ-HĐND"}),
    )?;
    let until = std::time::Instant::now() + Duration::from_secs(10);
    let raise = loop {
        let list: serde_json::Value = agent
            .get(&drafts)
            .set("Authorization", &format!("Bearer {admin_token}"))
            .call()?
            .into_json()?;
        let newest = list["drafts"][0].clone();
        if newest["id"].as_i64() > draft["id"].as_i64() {
            break newest;
        }
        if std::time::Instant::now() > until {
            bail!("the server did not draft the roll again after the base-level change");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    approve(&raise)?;
    step(format!(
        "admin: province 51's base level set to 750,000 VND from {month}; the server drafted the roll again ({} in all) and the admin approved it",
        asxh_text::Lang::En.money(raise["summary"]["total_vnd"].as_u64().unwrap_or(0))
    ));
    let (app, after) = amount_paid(point_store, app, "verify-card-1-new-base-level.json")?;
    step(format!(
        "payment point: card {serial}: pay {after} this month after one sync — the same card, not reissued"
    ));
    Ok(app)
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let out = &args.out;
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    std::fs::create_dir_all(out.join("cards"))?;

    // The server: database, keys, an office, accounts, and the API on a free loopback port.
    let store = asxh_server::Store::init(&out.join("server"))?;
    let fingerprint = asxh_core::signature::fingerprint(store.root_key()?.verifying_key());
    step(format!(
        "server: initialised {}/server; root key fingerprint {}…",
        out.display(),
        &fingerprint[..16]
    ));
    let office_code = OfficeCode::parse("QNG-01")?;
    asxh_server::registry::add_office(
        &store,
        &authorize::<act::AddOffices>(&Principal::Operator)?,
        &office_code,
        "Phòng LĐ-TB&XH huyện Nghĩa Hành",
        &AreaCode::parse("51")?,
    )?;
    let accounts = authorize::<act::CreateAccounts>(&Principal::Operator)?;
    let (_, office_token) = store.write(|tx| {
        auth::add_account(tx, &accounts, Role::Office, Some(&office_code), None, None)
    })?;
    let (_, admin_token) = store.write(|tx| {
        auth::add_account(
            tx,
            &accounts,
            Role::Admin,
            None,
            Some(&AreaCode::parse("51")?),
            None,
        )
    })?;
    step("server: office QNG-01 (area 51) with its issuer key; an office account and an admin account");
    asxh_server::register::set_base_level(
        &store,
        &authorize::<act::SetBaseLevels>(&Principal::Operator)?,
        asxh_server::register::BaseLevelChange {
            program: asxh_core::ProgramCode::parse("TGXH")?,
            province: None,
            from: Month::parse("from", "2024-07")?,
            amount_vnd: 500_000,
            decree: "76/2024/NĐ-CP".into(),
        },
    )?;
    step("server: national base level of social assistance 500,000 VND since 2024-07 (Decree 76/2024)");
    let server = asxh_server::serve::serve_in_background(store, "127.0.0.1:0".parse()?)?;
    step(format!("server: listening on {}", server.url()));

    // The payment point pins the root and syncs.
    let point = out.join("point");
    let mut point_store =
        asxh_verifier::store::Store::init(&point, &server.url(), &fingerprint, "BD-NGHIA-HANH")?;
    let report = asxh_verifier::sync::sync(&mut point_store)?;
    step(format!(
        "payment point: pinned the root, synced trust list v{} and revocation list v{}",
        report.trust_list_version, report.revocation_list_version
    ));

    // The office issues and prints three cards.
    let office_server = asxh_personalizer::server::Server::new(&server.url(), &office_token, None)?;
    let trust = office_server.trust_list()?;
    let office = Office {
        server: &office_server,
        trust: &trust,
        admin_code: AdminCode::factory_default(),
    };
    let mut cards = Vec::new();
    for (i, h) in HOLDERS.iter().enumerate() {
        let n = i + 1;
        let raw = RawRequest {
            ssn: h.ssn.into(),
            full_name: h.name.into(),
            date_of_birth: h.dob.into(),
            sex: h.sex.into(),
            area_code: h.area.into(),
            entitlements: h.entitlements.iter().map(|e| e.to_string()).collect(),
            recipient: h.recipient.map(str::to_owned),
            replaces: None,
        };
        let request = CardRequest::parse(&raw, Date::today(), asxh_text::Lang::En)
            .map_err(|p| anyhow::anyhow!("holder {n}: {p:?}"))?;
        let state = out.join("cards").join(format!("card-{n}.state"));
        let app = CardApp::open(FileStorage::new(&state))?;
        let (app, done) = on_card(app, args.pcsc, |c| {
            Ok(flow::personalize(
                c,
                &office,
                &request,
                None,
                &mut NoCheckpoints,
            )?)
        })?;
        let credential = SignedCredential::parse(&hex::decode(&done.issued.credential_hex)?)?
            .verify(&trust.issuers[0].public_key)?;
        let face_path = out.join(format!("card-{n}.png"));
        Face::new(
            credential.body(),
            &done.issued.qr_text,
            &trust.issuers[0].office_name,
        )
        .save(&face_path)?;
        step(format!(
            "office: issued card {} to {} ({} APDUs), face {}",
            done.issued.serial,
            h.name,
            done.commands,
            face_path.display()
        ));
        cards.push((app, done.issued.serial.clone()));
    }

    // The payment point verifies each card and a QR read from a printed face.
    let lists = point_store.lists()?;
    let checker = Checker::new(lists.as_ref(), Policy::default());
    let mut verified = Vec::new();
    for (n, (app, serial)) in cards.into_iter().enumerate() {
        let (app, v) = on_card(app, args.pcsc, |c| Ok(checker.card(c, None)))?;
        asxh_verifier::journal(&point_store, "BD-NGHIA-HANH", &v, false)?;
        write_json(&out.join(format!("verify-card-{}.json", n + 1)), &v)?;
        step(format!(
            "payment point: card {serial}: {}",
            verdict_line(&v)
        ));
        if v.exit_code != 0 {
            bail!("card {serial} should verify");
        }
        verified.push((app, serial));
    }
    let qr_text = asxh_verifier::scan::qr_text_from_image(&out.join("card-1.png"))?;
    let v = checker.qr(&qr_text);
    asxh_verifier::journal(&point_store, "BD-NGHIA-HANH", &v, false)?;
    write_json(&out.join("verify-qr-1.json"), &v)?;
    step(format!(
        "payment point: QR read from {}/card-1.png: {} (data authentic; check an ID)",
        out.display(),
        verdict_line(&v)
    ));

    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();

    // The register and the month's payment roll: holder 1's decision, the roll drafted from it
    // and approved; the point pays from the roll; then a base-level change reaches it after one
    // sync, with no card reissued.
    let (app, serial) = verified.remove(0);
    let app = pay_from_roll(
        &agent,
        &server.url(),
        &admin_token,
        &mut point_store,
        app,
        &serial,
        args.pcsc,
        out,
    )?;
    let app = pay_at_counter(
        &agent,
        &server.url(),
        &admin_token,
        &mut point_store,
        app,
        args.pcsc,
        out,
    )?;
    verified.insert(0, (app, serial));

    // An administrator revokes card 2 as lost; the point syncs and refuses it.
    let lost = verified[1].1.clone();
    let reply: serde_json::Value = agent
        .post(&format!("{}/v1/revocations", server.url()))
        .set("Authorization", &format!("Bearer {admin_token}"))
        .send_json(serde_json::json!({"serial": lost, "reason": "lost"}))?
        .into_json()?;
    step(format!(
        "admin: revoked card {lost} as lost (revocation list v{})",
        reply["list_version"]
    ));
    let report = asxh_verifier::sync::sync(&mut point_store)?;
    step(format!(
        "payment point: {}",
        report.text(asxh_text::Lang::En)
    ));
    let lists = point_store.lists()?;
    let checker = Checker::new(lists.as_ref(), Policy::default());
    let (app, serial) = verified.swap_remove(1);
    let (_, v) = on_card(app, args.pcsc, |c| Ok(checker.card(c, None)))?;
    asxh_verifier::journal(&point_store, "BD-NGHIA-HANH", &v, false)?;
    write_json(&out.join("verify-card-2-after-revocation.json"), &v)?;
    step(format!(
        "payment point: card {serial} again: {} — do not pay",
        verdict_line(&v)
    ));
    if v.exit_code != 20 {
        bail!("the revoked card must be refused");
    }

    // What is left behind.
    let journal = point_store.journal()?;
    let mut w = csv::Writer::from_path(out.join("journal.csv"))?;
    for row in &journal {
        w.serialize(row)?;
    }
    w.flush()?;
    step(format!(
        "payment point: journal of {} verifications in {}/journal.csv (no names or SSNs)",
        journal.len(),
        out.display()
    ));
    let trust_json: serde_json::Value = agent
        .get(&format!("{}/v1/trust-list", server.url()))
        .set("Accept", "application/json")
        .call()?
        .into_json()?;
    write_json(&out.join("trust-list.json"), &trust_json)?;
    server.stop();
    step(format!(
        "server stopped; everything is in {}/ (card faces, trust list, verdicts, server data)",
        out.display()
    ));
    Ok(())
}
