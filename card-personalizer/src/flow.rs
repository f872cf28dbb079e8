//! Personalizing one card (SPEC.md §11.1): the card must be BLANK (or an interrupted
//! PERSONALIZING one, which restarts from scratch) → administrative code → key generated on the
//! card → the server signs a credential for that key (the card is PENDING there) → PUT DATA →
//! optional PIN → ACTIVATE (locked) → read back and verified exactly as a payment point would,
//! active authentication included → the server activates the card. Any failure between the
//! server's signature and the lock voids the server's card, so no PENDING card is left behind.

use asxh_core::card::{AdminCode, CardClient, LifeCycle, Pin, PinStatus, Transport};
use asxh_core::lists::TrustList;
use asxh_core::signature;
use asxh_core::SignedCredential;
use asxh_text::message::fill;
use asxh_text::{Catalogued, Lang, Msg};
use asxh_verdict::finding;
use asxh_verdict::{Checker, Policy};
use asxh_verdict::{Lists, Outcome};

use crate::error::{PersonalizerError, Result};
use crate::request::CardRequest;
use crate::server::{Issued, Server};

/// Where a batch job records progress durably, at the two moments a crash must be able to
/// resume from.
pub trait Checkpoints {
    /// The server has a PENDING card `serial` for this row.
    fn server_pending(&mut self, serial: &str) -> Result<()>;
    /// The physical card is locked with `serial`'s credential.
    fn card_locked(&mut self, serial: &str) -> Result<()>;
}

/// For single cards: nothing to record.
pub struct NoCheckpoints;

impl Checkpoints for NoCheckpoints {
    fn server_pending(&mut self, _: &str) -> Result<()> {
        Ok(())
    }
    fn card_locked(&mut self, _: &str) -> Result<()> {
        Ok(())
    }
}

/// A card issued and verified.
#[derive(Debug, Clone)]
pub struct Personalized {
    pub issued: Issued,
    /// Command APDUs and bytes both ways for the whole personalization, read-back included.
    pub commands: u32,
    pub bytes: u64,
}

/// What the office needs besides the request.
pub struct Office<'a> {
    pub server: &'a Server,
    /// The trust list, to check the written card with the issuer key a verifier would use.
    pub trust: &'a TrustList,
    /// The administrative code of blank cards (the factory default unless the cards were
    /// delivered with another).
    pub admin_code: AdminCode,
}

/// Personalizes the card behind `client` for `request`.
pub fn personalize<T: Transport>(
    client: &mut CardClient<T>,
    office: &Office<'_>,
    request: &CardRequest,
    pin: Option<&Pin>,
    checkpoints: &mut dyn Checkpoints,
) -> Result<Personalized> {
    client.reset_stats();
    let info = client.select()?;
    match info.life_cycle {
        LifeCycle::Blank | LifeCycle::Personalizing => {}
        other => {
            return Err(PersonalizerError::CardNotBlank {
                life_cycle: other,
                serial: info.serial.map(|s| s.to_string()),
            })
        }
    }
    client.verify_admin(&office.admin_code)?;
    let card_key = client.generate_key()?;
    let issued = office
        .server
        .issue(&request.to_issue_request(&hex::encode(signature::public_key_bytes(&card_key))))?;
    checkpoints.server_pending(&issued.serial)?;

    let written =
        write_and_lock(client, &issued, pin).and_then(|()| checkpoints.card_locked(&issued.serial));
    if let Err(e) = written {
        // The card is not locked with this credential: the server's card must not stay PENDING.
        let _ = office.server.void(&issued.serial);
        return Err(e);
    }
    let writing = client.stats();
    if let Err(e) = read_back(client, office.trust, &issued) {
        let _ = office.server.void(&issued.serial);
        return Err(e);
    }
    office.server.activate(&issued.serial)?;
    // The read-back counts its own APDUs from zero; the total is both parts.
    let reading = client.stats();
    Ok(Personalized {
        issued,
        commands: writing.commands + reading.commands,
        bytes: (writing.bytes_sent
            + writing.bytes_received
            + reading.bytes_sent
            + reading.bytes_received) as u64,
    })
}

fn write_and_lock<T: Transport>(
    client: &mut CardClient<T>,
    issued: &Issued,
    pin: Option<&Pin>,
) -> Result<()> {
    let credential = hex::decode(&issued.credential_hex).map_err(|_| {
        PersonalizerError::Network("the server sent a credential that is not hex".into())
    })?;
    client.put_credential(&credential)?;
    if let Some(p) = pin {
        client.set_pin(p)?;
    }
    client.activate()?;
    Ok(())
}

/// Reads the locked card back and verifies it as a payment point does.
fn read_back<T: Transport>(
    client: &mut CardClient<T>,
    trust: &TrustList,
    issued: &Issued,
) -> Result<()> {
    let lists = Lists {
        trust: trust.clone(),
        revocations: None,
    };
    let verdict = Checker::new(Some(&lists), Policy::default()).card(client, None);
    // The office holds no revocation list (a card just issued is on none), so the verdict is
    // the amber one for missing revocation data: the card itself verified. A card issued ahead
    // of its entitlements' start (or after their end) verified just as well.
    if !matches!(
        verdict.outcome,
        Outcome::Valid | Outcome::ValidStaleData | Outcome::NothingPayable
    ) {
        return Err(PersonalizerError::ReadBack(format!(
            "{}: {}",
            verdict.outcome.as_str(),
            verdict
                .reasons
                .iter()
                .map(|r| r.text(Lang::En))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    if verdict.serial.as_deref() != Some(issued.serial.as_str()) {
        return Err(PersonalizerError::ReadBack(format!(
            "the card holds serial {:?}, not {}",
            verdict.serial, issued.serial
        )));
    }
    Ok(())
}

/// What `asxh-personalizer inspect` shows of the card behind `client`: life cycle, serial, PIN,
/// key and credential, and the holder as the credential names them (its signature is a
/// verifier's business), in the texts of the catalogue.
pub fn inspect<T: Transport>(client: &mut CardClient<T>, lang: Lang) -> Result<String> {
    let t = |m| lang.text(m);
    let yes_no = |b: bool| t(if b { Msg::Yes } else { Msg::No });
    let info = client.select()?;
    let mut out = format!(
        "{} {}\n",
        t(Msg::InspectLifeCycle),
        t(finding::life_cycle(info.life_cycle))
    );
    if let Some(s) = info.serial {
        out += &format!("{} {s}\n", t(Msg::InspectSerial));
    }
    let pin = match info.holder_pin {
        PinStatus::NotSet => t(Msg::InspectPinNotSet).to_owned(),
        PinStatus::TriesLeft(n) => fill(t(Msg::InspectPinTriesLeft), &[("tries", n.to_string())]),
    };
    out += &format!(
        "{} {pin}; {} {}; {} {}\n",
        t(Msg::InspectPin),
        t(Msg::InspectKey),
        yes_no(info.has_key),
        t(Msg::InspectCredential),
        yes_no(info.has_credential)
    );
    if info.has_credential {
        let bytes = client.read_credential()?;
        let line = match SignedCredential::parse(&bytes).and_then(|c| c.unverified_body()) {
            Ok(body) => fill(
                t(Msg::InspectHolder),
                &[
                    ("name", body.holder.name().to_string()),
                    ("ssn", body.holder.ssn().to_string()),
                    ("expires", body.expires.vi()),
                ],
            ),
            Err(e) => fill(t(Msg::InspectUnreadable), &[("detail", e.to_string())]),
        };
        out += &line;
        out.push('\n');
    }
    Ok(out)
}
