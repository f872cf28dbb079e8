//! Writes the seed inputs of every fuzz target into `DIR/<target>/` (default `fuzz/seeds`):
//! the credentials, QR texts, lists and APDU sequences of `firmware-spec/vectors`, a real
//! card's answers, sample CSV lists and JSON bodies. `scripts/fuzz` runs it before fuzzing;
//! the committed corpus in `fuzz/corpus` grew from these.
//!
//! `cargo run -p asxh-fuzz-targets --example write_seeds -- [DIR]`

use std::path::{Path, PathBuf};

use asxh_core::card::{CardClient, CardIoError, Pin, Transport};
use asxh_core::lists::Revocation;
use asxh_core::{golomb, CardSerial};
use asxh_fuzz_targets::fixtures;
use asxh_fuzz_targets::steps::{join, Step};
use asxh_testkit::lists::{self, XlsxCell};
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../firmware-spec/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("vector JSON")
}

fn hex_of(v: &Value, field: &str) -> Option<Vec<u8>> {
    v.get(field)
        .and_then(Value::as_str)
        .map(|h| hex::decode(h).expect("vector hex"))
}

/// Collects the seeds of one target and writes them.
struct Seeds {
    dir: PathBuf,
    count: usize,
}

impl Seeds {
    fn new(root: &Path, target: &str) -> Self {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).expect("seed directory");
        Seeds { dir, count: 0 }
    }

    fn add(&mut self, name: &str, bytes: &[u8]) {
        self.count += 1;
        let file = self.dir.join(format!("{:03}-{name}", self.count));
        std::fs::write(&file, bytes).expect("seed file");
    }
}

fn credentials(root: &Path) {
    let mut seeds = Seeds::new(root, "card_credential");
    for v in vectors("credentials.json").as_array().expect("array") {
        if let Some(bytes) = hex_of(v, "credential_hex") {
            seeds.add("vector", &bytes);
        }
    }
    let mut seeds = Seeds::new(root, "qr_text");
    for v in vectors("qr.json").as_array().expect("array") {
        if let Some(text) = v.get("qr_text").and_then(Value::as_str) {
            seeds.add("text", text.as_bytes());
            if let Some(bytes) = text
                .strip_prefix(asxh_core::qr::QR_PREFIX)
                .and_then(|p| base45::decode(p).ok())
            {
                seeds.add("envelope", &bytes);
            }
        }
    }
}

fn lists(root: &Path) {
    let all = vectors("lists.json");
    let mut trust = Seeds::new(root, "trust_list");
    let mut revocation = Seeds::new(root, "revocation_list");
    for v in all["vectors"].as_array().expect("array") {
        let bytes = hex_of(v, "list_hex").expect("list_hex");
        match v["kind"].as_str() {
            Some("trust_list") => trust.add("vector", &bytes),
            _ => revocation.add("vector", &bytes),
        }
    }
    for field in ["full_hex", "delta_hex"] {
        revocation.add("apply", &hex_of(&all["apply"], field).expect("apply list"));
    }
    let rolls = vectors("rolls.json");
    let mut roll_seeds = Seeds::new(root, "payment_roll");
    for v in rolls["vectors"].as_array().expect("array") {
        roll_seeds.add("vector", &hex_of(v, "roll_hex").expect("roll_hex"));
    }
    let receipts = vectors("receipts.json");
    let mut receipt_seeds = Seeds::new(root, "payment_receipt");
    for v in receipts["vectors"].as_array().expect("array") {
        receipt_seeds.add("vector", &hex_of(v, "receipt_hex").expect("receipt_hex"));
    }
    let mut golomb_seeds = Seeds::new(root, "golomb_rice");
    for (count, range) in [
        (0, 10),
        (1, 10),
        (5, 100),
        (40, 1_000_000),
        (200, CardSerial::MAX),
    ] {
        let set: Vec<u64> = asxh_testkit::random_revocations(count, range, 7)
            .iter()
            .map(|r: &Revocation| r.serial.number())
            .collect();
        let k = golomb::best_parameter(&set);
        let mut input = vec![k];
        input.extend_from_slice(&(count as u16).to_be_bytes());
        input.extend_from_slice(&golomb::encode(&set, k));
        golomb_seeds.add("set", &input);
    }
}

/// Records every answer a card gives.
struct Recorder<T: Transport> {
    inner: T,
    answers: Vec<Vec<u8>>,
}

impl<T: Transport> Transport for Recorder<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CardIoError> {
        let answer = self.inner.transmit(command)?;
        self.answers.push(answer.clone());
        Ok(answer)
    }
    fn supports_extended_length(&self) -> bool {
        self.inner.supports_extended_length()
    }
}

fn card(root: &Path) {
    let all = vectors("apdu.json");
    let mut apdus = Seeds::new(root, "card_apdus");
    for sequence in all["sequences"].as_array().expect("array") {
        let commands: Vec<Vec<u8>> = sequence["exchanges"]
            .as_array()
            .expect("array")
            .iter()
            .map(|e| hex_of(e, "command_hex").expect("command"))
            .collect();
        let steps: Vec<Step<'_>> = commands.iter().map(|c| Step::Message(c)).collect();
        apdus.add(
            sequence["name"].as_str().unwrap_or("sequence"),
            &join(&steps),
        );
    }
    let mut responses = Seeds::new(root, "card_responses");
    for fixture in fixtures::cards() {
        let mut app = fixture.open();
        let atr = asxh_core::card::CardApplication::atr(&app);
        let mut client = CardClient::new(Recorder {
            inner: asxh_core::card::InProcessTransport::new(&mut app),
            answers: Vec::new(),
        });
        let _ = client.select();
        let _ = client.read_credential();
        let _ = client.read_public_key();
        let _ = client.pin_status();
        let _ = client.verify_pin(&Pin::parse(fixtures::PIN).expect("pin"));
        let _ = client.internal_authenticate(&[0xA5; 32]);
        let answers = client.into_transport().answers;
        let mut steps = vec![Step::Message(&atr)];
        steps.extend(answers.iter().map(|a| Step::Message(a)));
        responses.add(&fixture.name.replace([' ', ','], "-"), &join(&steps));
    }
}

fn office(root: &Path) {
    let mut csv = Seeds::new(root, "batch_csv");
    csv.add("vietnamese", "\u{feff}Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã địa bàn,Chế độ,Người nhận thay\n051146000123,Trần Thị Lan,1946-08-19,Nữ,51.22903,TGXH:BTXH-80:540000;BHYT:BT,\n".as_bytes());
    csv.add(
        "english",
        b"ssn,full_name,date_of_birth,sex,area_code,entitlements,recipient\n\
          051146000123,Tran Thi Lan,1946-08-19,F,51.22903,TGXH:NCT80:500000,\n\
          001090000456,\"Nguyen, Van An\",1990,M,01,HN:HN-2026,Le Thi Hoa:001190000789\n",
    );
    csv.add(
        "problems",
        b"ssn,full_name,date_of_birth,sex,area_code,entitlements\n\
          051146000123,Tran Thi Lan,1946-08-19,F,51,TGXH:A\n\
          05114600012,Lan,1946,F,51,\n\
          051146000124,Lan 2,1946,F,51\n\
          051146000123,Tran Thi Lan,1946-08-19,F,51,\n",
    );
    // The same list as offices save it: semicolons, Excel's "Unicode Text", Windows-1258, XLSX.
    let list = "Số định danh;Họ và tên;Ngày sinh;Giới tính;Mã địa bàn;Chế độ\n051146000123;Trần Thị Lan;19/08/1946;Nữ;51.22903;\"TGXH:BTXH-80:540000;BHYT:BT\"\n51146000301;Lê Thị Tư;08/1946;Nữ;51.22903;\n";
    csv.add("semicolons", list.as_bytes());
    csv.add("utf16", &lists::utf16le_bom(&list.replace(';', "\t")));
    csv.add("windows-1258", &lists::windows_1258(list));
    let t = |s: &str| XlsxCell::Text(s.into());
    csv.add(
        "xlsx",
        &lists::xlsx(
            "Danh sách",
            &[
                vec![
                    t("Số định danh"),
                    t("Họ và tên"),
                    t("Ngày sinh"),
                    t("Giới tính"),
                    t("Mã địa bàn"),
                ],
                vec![
                    t("051146000123"),
                    t("Trần Thị Lan"),
                    XlsxCell::Date(1946, 8, 19),
                    t("Nữ"),
                    t("51.22903"),
                ],
                vec![
                    XlsxCell::Number(51146000301.0),
                    t("Lê Thị Tư"),
                    XlsxCell::Number(1946.0),
                    t("Nữ"),
                    XlsxCell::Number(51.229),
                ],
            ],
        ),
    );
    let mut json = Seeds::new(root, "server_request_bodies");
    let serial = CardSerial::new(4242).expect("serial").to_string();
    let card_key = hex::encode(asxh_core::signature::public_key_bytes(
        fixtures::keys().issuer.verifying_key(),
    ));
    json.add("issue", serde_json::json!({
        "ssn": "051146000123", "full_name": "Trần Thị Lan", "date_of_birth": "1946-08-19",
        "sex": "F", "area_code": "51.22903", "card_public_key_hex": card_key,
        "entitlements": [
            {"program": "TGXH", "category": "NCT80", "monthly_amount_vnd": 500000, "valid_from": "2026-01-01", "valid_until": "2030-12-31"},
            {"program": "BHYT", "category": "DT-BTXH", "valid_from": "2026-01-01",
             "authorized_recipient": {"name": "Lê Thị Hoa", "id_number": "001190000789"}}
        ],
        "replaces": {"serial": serial, "reason": "lost"}
    }).to_string().as_bytes());
    json.add(
        "issue-minimal",
        serde_json::json!({
            "ssn": "001090000456", "full_name": "Nguyen Van An", "date_of_birth": "1990",
            "sex": "M", "area_code": "01", "card_public_key_hex": card_key
        })
        .to_string()
        .as_bytes(),
    );
    json.add(
        "revoke-serial",
        serde_json::json!({"serial": serial, "reason": "stolen"})
            .to_string()
            .as_bytes(),
    );
    json.add(
        "revoke-ssn",
        br#"{"ssn":"051146000123","reason":"deceased"}"#,
    );
}

fn main() {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds"));
    credentials(&root);
    lists(&root);
    card(&root);
    office(&root);
    println!("seeds written to {}", root.display());
}
