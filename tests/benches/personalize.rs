//! Personalization figures (issue #5) against the real server on loopback: host CPU per card with
//! the card's and the server's time taken out, APDUs per card, and cards per hour through pcscd
//! and the vpcd virtual reader. Prints the figures with their targets and writes
//! `target/bench-results/personalize.json`. `ASXH_BENCH_QUICK=1` runs fewer cards.

use std::time::{Duration, Instant};

use asxh_core::card::{AdminCode, CardClient, InProcessTransport, PcscTransport};
use asxh_core::Date;
use asxh_e2e::server::{ssn, Province};
use asxh_e2e::{insert, VirtualReader};
use asxh_personalizer::flow::{self, NoCheckpoints, Office};
use asxh_personalizer::request::{CardRequest, RawRequest};
use asxh_personalizer::server::Server;
use asxh_testkit as testkit;
use serde_json::json;

fn request(n: u32) -> CardRequest {
    let raw = RawRequest {
        ssn: ssn(n, "F", 1950),
        full_name: "Nguyễn Thị Hạnh".into(),
        date_of_birth: "1950-03-04".into(),
        sex: "F".into(),
        area_code: "51.22903".into(),
        entitlements: vec![
            "TGXH:BTXH-80:540000".into(),
            "BHYT:BT".into(),
            "HN:HN-2026".into(),
        ],
        recipient: None,
        replaces: None,
    };
    CardRequest::parse(&raw, Date::today(), asxh_text::Lang::En).expect("valid request")
}

fn main() {
    let quick = std::env::var("ASXH_BENCH_QUICK").is_ok_and(|v| v == "1");
    let p = Province::new();
    let running = p.dir.start();
    let server = Server::new(&running.url, &p.office_qng, None).expect("plain HTTP");
    let trust = server.trust_list().unwrap();
    let office = Office {
        server: &server,
        trust: &trust,
        admin_code: AdminCode::factory_default(),
    };

    // 1. Host CPU per card, in process: this process's CPU minus the card application's time;
    //    the server runs in its own process, so its time is not in ours.
    let cards = if quick { 50 } else { 200 };
    let mut card_time = Duration::ZERO;
    let mut commands = 0;
    let mut bytes = 0;
    let cpu_before = asxh_e2e::cpu_time("self");
    let wall = Instant::now();
    for n in 0..cards {
        let mut card = testkit::TimedCard::new(testkit::blank_card());
        let mut client = CardClient::new(InProcessTransport::new(&mut card));
        let done = flow::personalize(
            &mut client,
            &office,
            &request(1000 + n),
            None,
            &mut NoCheckpoints,
        )
        .unwrap();
        commands = commands.max(done.commands);
        bytes = bytes.max(done.bytes);
        card_time += card.spent;
    }
    let wall = wall.elapsed();
    let host_cpu = (asxh_e2e::cpu_time("self") - cpu_before).saturating_sub(card_time) / cards;
    println!(
        "in process: {cards} cards in {:.2} s; host CPU {:.2} ms per card (card time {:.2} ms per card excluded); {commands} APDUs per card",
        wall.as_secs_f64(),
        host_cpu.as_secs_f64() * 1e3,
        (card_time / cards).as_secs_f64() * 1e3
    );

    // 2. Through pcscd + vpcd: the personalization itself once the card is in, and the whole
    //    cycle with the insertion and removal pcscd must notice.
    let reader = VirtualReader::Second;
    let _lock = reader.lock();
    let through = if quick { 10 } else { 30 };
    let mut connected = Duration::ZERO;
    let cycle = Instant::now();
    for n in 0..through {
        let card = insert(testkit::blank_card(), reader);
        let t = Instant::now();
        let mut client = CardClient::new(
            PcscTransport::connect(Some(reader.name()), Duration::from_secs(10)).unwrap(),
        );
        flow::personalize(
            &mut client,
            &office,
            &request(5000 + n),
            None,
            &mut NoCheckpoints,
        )
        .unwrap();
        connected += t.elapsed();
        drop(client);
        drop(card.remove());
    }
    let per_card = connected / through;
    let per_cycle = cycle.elapsed() / through;
    let per_hour = 3600.0 / per_card.as_secs_f64();
    println!(
        "through pcscd + vpcd: {:.0} ms per card once inserted = {per_hour:.0} cards/hour; {:.0} ms per card with insertion and removal = {:.0} cards/hour",
        per_card.as_secs_f64() * 1e3,
        per_cycle.as_secs_f64() * 1e3,
        3600.0 / per_cycle.as_secs_f64()
    );

    let figures = json!([
        {"name": "host CPU per personalized card (card and server time excluded)", "value": host_cpu.as_secs_f64() * 1e3, "unit": "ms", "target": "< 5 ms", "pass": host_cpu < Duration::from_millis(5)},
        {"name": "command APDUs per card (read-back verification included)", "value": commands, "unit": "", "target": "<= 12", "pass": commands <= 12},
        {"name": "bytes on the wire per personalization, both ways", "value": bytes, "unit": "B", "target": "report", "pass": true},
        {"name": "cards per hour through pcscd + vpcd", "value": per_hour, "unit": "/h", "target": ">= 3000/h", "pass": per_hour >= 3000.0},
        {"name": "cards per hour through pcscd + vpcd, insertion and removal included", "value": 3600.0 / per_cycle.as_secs_f64(), "unit": "/h", "target": "report", "pass": true},
    ]);
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("personalize.json"),
        serde_json::to_string_pretty(&figures).unwrap(),
    )
    .unwrap();
    for f in figures.as_array().unwrap() {
        println!(
            "{:<70} {:>10.2} {:<3} target {:<9} {}",
            f["name"].as_str().unwrap(),
            f["value"].as_f64().unwrap(),
            f["unit"].as_str().unwrap(),
            f["target"].as_str().unwrap(),
            if f["pass"].as_bool().unwrap() {
                "PASS"
            } else {
                "FAIL"
            }
        );
    }
}
