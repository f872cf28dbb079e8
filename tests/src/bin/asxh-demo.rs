//! asxh-demo: the system's flow in one command, on what exists so far — issue a card with a
//! local test issuer key, verify it by signature chain and active authentication, verify its QR
//! payload, and show that a copied credential and a tampered QR are rejected. In-process card by
//! default; `--pcsc` runs the same through pcscd and the vpcd virtual reader.

use std::path::PathBuf;

use anyhow::Context;
use asxh_card::testkit::{self, CloneCard};
use asxh_core::card::{CardApplication, CardClient, InProcessTransport, Pin, Transport};
use asxh_core::{QrBody, QrCredential, SignedQr};
use clap::Parser;

#[derive(Parser)]
#[command(
    about = "Issue and verify a card end to end (in-process card, or --pcsc through pcscd + vpcd)"
)]
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
    let (app, served) = card.remove();
    served.context("virtual card bridge")?;
    Ok((app, r?))
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let issuer = testkit::issuer_key();
    let trusted = *issuer.verifying_key();
    let via = if args.pcsc {
        "pcscd + vpcd reader \"Virtual PCD 00 00\""
    } else {
        "in-process card"
    };

    println!("[1] blank card inserted ({via})");
    let holder = testkit::holder(
        "051146000123",
        "Trần Thị Lan",
        "1946-08-19",
        "F",
        "51.22903",
    );
    let ents = vec![
        testkit::entitlement(
            "TGXH",
            "NCT80",
            Some(500_000),
            Some(("Lê Văn Tám", "051080000111")),
        ),
        testkit::entitlement("BHYT", "DT-BTXH", None, None),
    ];
    let pin = Pin::parse("2468")?;
    let (card, (credential, apdus)) = on_card(testkit::blank_card(), args.pcsc, |c| {
        let cred = testkit::personalize(c, &issuer, 1_000_001, holder, ents, Some(&pin))?;
        Ok((cred, c.stats().commands))
    })?;
    let body = credential.body();
    println!(
        "[2] issued card {} to {} (SSN {}), {} entitlements, {} bytes on the chip, {apdus} APDUs",
        body.serial,
        body.holder.name(),
        body.holder.ssn(),
        body.entitlements().len(),
        credential.to_bytes().len()
    );
    std::fs::write(
        args.out.join("credential.hex"),
        hex::encode(credential.to_bytes()),
    )?;

    let challenge: [u8; 32] = rand_challenge();
    let (card, (read, stats)) = on_card(card, args.pcsc, |c| {
        let r = testkit::authenticate(c, &trusted, &challenge)?;
        Ok((r.0, c.stats()))
    })?;
    println!(
        "[3] card verified: issuer signature valid, active authentication valid ({} APDUs, {} bytes) — {}",
        stats.commands,
        stats.bytes_sent + stats.bytes_received,
        read.body().holder.name()
    );

    let qr = QrCredential::issue(QrBody::for_card(body), &issuer)?;
    std::fs::write(args.out.join("qr.txt"), qr.text())?;
    let scanned = SignedQr::parse(qr.text())?.verify(&trusted)?;
    println!(
        "[4] QR ({} characters) verified: valid — QR only, check the holder's ID document ({})",
        qr.text().len(),
        scanned.body().name
    );

    // The attacker has a genuine card of their own, and makes it answer GET DATA with the
    // credential copied from the holder's card.
    let (attacker, _) = on_card(testkit::blank_card(), false, |c| {
        Ok(testkit::personalize(
            c,
            &issuer,
            1_000_002,
            testkit::sample_holder(),
            vec![],
            None,
        )?)
    })?;
    let clone = CloneCard {
        inner: attacker,
        copied_credential: credential.to_bytes().to_vec(),
    };
    let (_, outcome) = on_card(clone, args.pcsc, |c| {
        Ok(testkit::authenticate(c, &trusted, &rand_challenge()).err())
    })?;
    match outcome {
        Some(e) => {
            println!("[5] credential copied onto another card: rejected — clone suspected ({e})")
        }
        None => anyhow::bail!("a cloned card was accepted"),
    }

    // Change one letter of the name inside the signed payload (Lan → Man).
    let mut payload = base45::decode(&qr.text()["ASXH1:".len()..])?;
    let at = payload
        .windows(3)
        .position(|w| w == b"Lan")
        .context("name in the QR payload")?;
    payload[at] = b'M';
    let tampered = format!("ASXH1:{}", base45::encode(&payload));
    match SignedQr::parse(&tampered).and_then(|q| q.verify(&trusted)) {
        Err(e) => println!("[6] tampered QR: rejected — {e}"),
        Ok(_) => anyhow::bail!("a tampered QR was accepted"),
    }
    drop(card);
    println!("outputs in {}", args.out.display());
    Ok(())
}

fn rand_challenge() -> [u8; 32] {
    let mut c = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut c);
    c
}
