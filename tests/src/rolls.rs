//! The payment roll in the end-to-end tests: the register's beneficiaries and decisions through
//! the API, the rolls drafted from it, and rolls signed by hand (entries as the roll view's JSON)
//! for a relay to serve.

use asxh_core::lists::{Month, Roll, RollEntry, RollHeader};
use asxh_core::view::RollEntryView;
use asxh_core::{AreaCode, Date};
use serde_json::{json, Value};

use crate::server::{Req, RunningServer, ServerDir};

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

/// The month before this one (`YYYY-MM`).
pub fn last_month() -> String {
    months_ago(1)
}

/// The month `back` months before this one (`YYYY-MM`).
pub fn months_ago(back: u16) -> String {
    let this = Month::of(Date::today());
    Month::from_index("month", u64::from(this.index() - back))
        .expect("a month after 2000-01")
        .to_string()
}

/// The `faketime` clock (`@YYYY-MM-15 12:00:00`) of a server running in the middle of `month`.
pub fn mid_month(month: &str) -> String {
    format!("@{month}-15 12:00:00")
}

impl ServerDir {
    /// The national base level of social assistance (TGXH) since July 2024: 500.000 đ (Decree
    /// 76/2024/NĐ-CP), set from the command line as the national level is.
    pub fn national_base_level(&self) {
        self.cli_ok(&[
            "register",
            "base-level",
            "--program",
            "TGXH",
            "--from",
            "2024-07",
            "--amount-vnd",
            "500000",
            "--decree",
            "76/2024/NĐ-CP",
        ]);
    }
}

impl RunningServer {
    /// Registers `ssn` as `name` residing in `area` (`PUT /v1/beneficiaries/{ssn}`).
    pub fn register_beneficiary(&self, token: &str, ssn: &str, name: &str, area: &str) {
        let r = self.call(
            "PUT",
            &format!("/v1/beneficiaries/{ssn}"),
            Req {
                token: Some(token),
                json: Some(json!({"full_name": name, "area": area})),
                ..Req::default()
            },
        );
        assert_eq!(r.status, 200, "{}", r.json());
    }

    /// Records a social assistance decision (TGXH, elderly over 80) for `ssn` at `coefficient`
    /// hundredths of the base level, paid from this month; returns the entitlement's id.
    pub fn record_tgxh(&self, token: &str, ssn: &str, coefficient: u32, number: &str) -> i64 {
        self.record_tgxh_signed(
            token,
            ssn,
            coefficient,
            number,
            &last_month(),
            &this_month(),
        )
    }

    /// [`Self::record_tgxh`] paid from `paid_from`, decided on the first of `decided` (a server
    /// whose clock is in `paid_from` records it in that month).
    pub fn record_tgxh_signed(
        &self,
        token: &str,
        ssn: &str,
        coefficient: u32,
        number: &str,
        decided: &str,
        paid_from: &str,
    ) -> i64 {
        let r = self.post(
            "/v1/entitlements",
            Some(token),
            json!({
                "ssn": ssn, "program": "TGXH", "category": "NCT80", "coefficient": coefficient,
                "decision_no": number, "decision_date": format!("{decided}-01"),
                "paid_from": paid_from,
            }),
        );
        assert_eq!(r.status, 201, "{}", r.json());
        r.json()["id"].as_i64().expect("the entitlement's id")
    }

    /// `POST /v1/rolls/{area}/{this month}/drafts`: the month's roll drafted from the register.
    pub fn draft_roll(&self, token: &str, area: &str) -> Value {
        self.draft_roll_of(token, area, &this_month())
    }

    /// `POST /v1/rolls/{area}/{month}/drafts`.
    pub fn draft_roll_of(&self, token: &str, area: &str, month: &str) -> Value {
        let r = self.post(
            &format!("/v1/rolls/{area}/{month}/drafts"),
            Some(token),
            json!({}),
        );
        assert_eq!(r.status, 201, "{}", r.json());
        r.json()
    }

    /// `POST /v1/roll-drafts/{id}/approve`, which publishes the draft.
    pub fn approve_draft(&self, token: &str, draft: &Value) -> Value {
        let r = self.post(
            &format!("/v1/roll-drafts/{}/approve", draft["id"]),
            Some(token),
            json!({}),
        );
        assert_eq!(r.status, 200, "{}", r.json());
        r.json()
    }

    /// The roll of `area` for `month` as a payment point gets it (`GET /v1/rolls/…`), verified
    /// with the roll key of the trust list under the root key of `fingerprint`, once its
    /// version is above `above` (waited for up to 10 s: the server drafts again each second).
    pub fn roll_above(&self, fingerprint: &str, area: &str, month: &str, above: u64) -> Roll {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let trust = crate::server::verified_trust_list(self, fingerprint);
        loop {
            let r = self.get(&format!("/v1/rolls/{area}/{month}"), None);
            assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
            let roll = Roll::parse_verified(&r.body, &trust.roll_key).expect("the roll verifies");
            if roll.header.version > above {
                return roll;
            }
            assert!(
                std::time::Instant::now() < until,
                "the roll of {area} for {month} never passed version {above}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// The draft the server made of `area`'s roll for this month after a change in the register:
    /// the newest draft above `after`, waited for up to 10 s (the server drafts again each second).
    pub fn redrafted(&self, token: &str, area: &str, after: i64) -> Value {
        self.redrafted_of(token, area, &this_month(), after)
    }

    /// [`Self::redrafted`] for the roll of `month`.
    pub fn redrafted_of(&self, token: &str, area: &str, month: &str, after: i64) -> Value {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let r = self.get(&format!("/v1/rolls/{area}/{month}/drafts"), Some(token));
            assert_eq!(r.status, 200, "{}", r.json());
            let newest = r.json()["drafts"][0].clone();
            if newest["id"].as_i64().unwrap_or(0) > after {
                return newest;
            }
            assert!(
                std::time::Instant::now() < until,
                "no new draft of {area} after draft {after}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

/// The roll of `area` for this month with `entries` (the roll view's JSON: `[{"ssn",
/// "lines"}]`) at `version`, signed now by `key`: what a relay serves in place of the server's.
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
