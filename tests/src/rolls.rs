//! The payment roll in the end-to-end tests: entries written as the server's `roll draft` reads
//! them (the roll view's JSON), drafted from the command line, and rolls signed by hand for a
//! relay to serve.

use asxh_core::lists::{Month, Roll, RollEntry, RollHeader};
use asxh_core::view::RollEntryView;
use asxh_core::{AreaCode, Date};
use serde_json::{json, Value};

use crate::server::ServerDir;

/// This month, as the server and the point name it (`YYYY-MM`).
pub fn this_month() -> String {
    Month::of(Date::today()).to_string()
}

/// One monthly line of `program` for this month: `amount_vnd` with `status` (`due`, `stopped`,
/// …), collected by the holder or by the guardian `guardian` (name, 12-digit ID number).
pub fn monthly_line(
    program: &str,
    amount_vnd: u64,
    status: &str,
    guardian: Option<(&str, &str)>,
) -> Value {
    let month = this_month();
    let mut line = json!({
        "program": program,
        "kind": "monthly",
        "amount_vnd": amount_vnd,
        "first_month": month,
        "last_month": month,
        "status": status,
    });
    if let Some((name, id)) = guardian {
        line["recipient"] = json!({"role": "guardian", "name": name, "id_number": id});
    }
    line
}

impl ServerDir {
    /// `asxh-server roll draft` of `area` for this month with `entries` (`[{"ssn", "lines"}]`);
    /// returns the draft (its `id`, `status`, `summary`, …).
    pub fn draft_roll(&self, area: &str, entries: &Value) -> Value {
        let file = self.data().with_file_name(format!(
            "roll-entries-{}.json",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("after 1970")
                .as_nanos()
        ));
        std::fs::write(&file, entries.to_string()).expect("entries file");
        let month = this_month();
        let out = self.cli_ok(&[
            "roll",
            "draft",
            "--area",
            area,
            "--month",
            &month,
            "--entries",
            file.to_str().expect("UTF-8 path"),
        ]);
        serde_json::from_str(&out).expect("the draft is JSON")
    }
}

/// The roll of `area` for this month with `entries` (JSON as [`ServerDir::draft_roll`] takes
/// them) at `version`, signed now by `key`: what a relay serves in place of the server's.
pub fn signed_roll(
    key: &asxh_core::signature::SigningKey,
    area: &str,
    version: u64,
    base: Option<u64>,
    entries: &Value,
) -> Vec<u8> {
    let views: Vec<RollEntryView> = serde_json::from_value(entries.clone()).expect("entries");
    let entries: Vec<RollEntry> = views
        .iter()
        .map(|v| RollEntry::try_from(v).expect("a valid entry"))
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    Roll::new(
        RollHeader {
            version,
            issued_at: now,
            next_update: now + 3600,
            base_version: base,
            area: AreaCode::parse(area).expect("an area code"),
            month: Month::of(Date::today()),
        },
        entries,
    )
    .expect("a valid roll")
    .sign(key)
}
