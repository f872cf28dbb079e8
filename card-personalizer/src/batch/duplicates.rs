//! Likely duplicates, found before any card is made: the same person under two SSNs — in one
//! list, or a row and a card of the register (the server's `POST /v1/cards/matches`). Two
//! records are alike when their names fold to the same text ([`fold_name`], as the server's
//! search folds), their birth dates agree as far as both are known (`1946` agrees with
//! `19/08/1946`) and their residence area is the same.
//!
//! The batch refuses to start on a likely duplicate until a clerk decides it: the rows are
//! written to a file with an empty "decision" column; the clerk writes `cấp` (issue) or `bỏ`
//! (skip) against each row and passes the file back with `--accept-duplicates`. A row decided
//! "skip" is rejected with its reason; a decision file is read like any list (XLSX or CSV in any
//! encoding), its rows matched by SSN.

use std::collections::HashMap;
use std::path::Path;

use asxh_api::{CardMatch, CardStatus};
use asxh_core::holder::fold_name;
use asxh_core::{PartialDate, Ssn};
use asxh_sheet::OutTable;
use asxh_text::usage::Usage;
use asxh_text::{Lang, Msg};

use crate::error::{PersonalizerError, Result};
use crate::request::CardRequest;

/// Who a row may be the same person as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SameAs {
    /// Another row of the list.
    Line { line: u64, ssn: String },
    /// A card of the register.
    Card {
        serial: String,
        ssn: String,
        status: CardStatus,
    },
}

impl SameAs {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SameAs::Line { line, ssn } => format!("{} {line} ({ssn})", lang.text(Msg::SameAsLine)),
            SameAs::Card {
                serial,
                ssn,
                status,
            } => format!(
                "{} {serial} ({ssn}, {})",
                lang.text(Msg::SameAsCard),
                lang.status(status.as_str())
            ),
        }
    }
}

/// A row that may be a duplicate, with whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub line: u64,
    pub ssn: String,
    pub full_name: String,
    pub date_of_birth: PartialDate,
    pub area_code: String,
    pub same_as: Vec<SameAs>,
}

impl Duplicate {
    fn new(line: u64, request: &CardRequest) -> Duplicate {
        let h = request.holder();
        Duplicate {
            line,
            ssn: h.ssn().to_string(),
            full_name: h.name().as_str().to_owned(),
            date_of_birth: h.date_of_birth(),
            area_code: h.area().as_str().to_owned(),
            same_as: Vec::new(),
        }
    }

    /// `line N (SSN, name): same person as …; …` for the screen.
    pub fn text(&self, lang: Lang) -> String {
        format!(
            "{} {} ({}, {}, {}, {}): {}",
            lang.text(Msg::LineWord),
            self.line,
            self.ssn,
            self.full_name,
            self.date_of_birth.vi(),
            self.area_code,
            self.same_as
                .iter()
                .map(|s| s.text(lang))
                .collect::<Vec<_>>()
                .join("; ")
        )
    }
}

/// Whether two birth dates agree as far as both are known.
fn dates_agree(a: PartialDate, b: PartialDate) -> bool {
    use PartialDate::*;
    match (a, b) {
        (Full(..), Full(..)) => a == b,
        (Full(y, m, _) | YearMonth(y, m), Full(y2, m2, _) | YearMonth(y2, m2)) => {
            (y, m) == (y2, m2)
        }
        _ => a.year() == b.year(),
    }
}

/// The key two alike records share: folded name and area (the birth date is compared apart,
/// as partial dates agree with more than one full date).
fn key(request: &CardRequest) -> (String, String) {
    let h = request.holder();
    (h.name().folded(), h.area().as_str().to_owned())
}

/// Rows of one list that are alike under different SSNs (a list never holds an SSN twice).
pub fn in_list<'a>(rows: impl IntoIterator<Item = (u64, &'a CardRequest)>) -> Vec<Duplicate> {
    let mut groups: HashMap<(String, String), Vec<(u64, &CardRequest)>> = HashMap::new();
    for (line, request) in rows {
        groups
            .entry(key(request))
            .or_default()
            .push((line, request));
    }
    let mut out: Vec<Duplicate> = Vec::new();
    for group in groups.values().filter(|g| g.len() > 1) {
        for (line, request) in group {
            let dob = request.holder().date_of_birth();
            let same_as: Vec<SameAs> = group
                .iter()
                .filter(|(other, r)| other != line && dates_agree(dob, r.holder().date_of_birth()))
                .map(|(other, r)| SameAs::Line {
                    line: *other,
                    ssn: r.holder().ssn().to_string(),
                })
                .collect();
            if !same_as.is_empty() {
                out.push(Duplicate {
                    same_as,
                    ..Duplicate::new(*line, request)
                });
            }
        }
    }
    out.sort_by_key(|d| d.line);
    out
}

/// The register's cards (as the server matched them by folded name and birth year) that are
/// alike `request` under another SSN: same birth date as far as known, same area.
pub fn in_register(request: &CardRequest, matches: &[&CardMatch]) -> Vec<SameAs> {
    let h = request.holder();
    let (name, area) = key(request);
    matches
        .iter()
        .filter(|m| !m.same_ssn && m.ssn != h.ssn().to_string())
        .filter(|m| fold_name(&m.full_name) == name && m.area_code == area)
        .filter(|m| {
            PartialDate::parse("date_of_birth", &m.date_of_birth)
                .is_ok_and(|d| dates_agree(d, h.date_of_birth()))
        })
        .map(|m| SameAs::Card {
            serial: m.serial.clone(),
            ssn: m.ssn.clone(),
            status: m.status,
        })
        .collect()
}

/// What a clerk decided about a likely duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Issue,
    Skip,
}

impl Decision {
    fn parse(text: &str) -> Option<Option<Decision>> {
        match fold_name(text).as_str() {
            "" => Some(None),
            "cap" | "issue" | "cap the" | "yes" | "co" => Some(Some(Decision::Issue)),
            "bo" | "bo qua" | "khong cap" | "skip" | "no" | "khong" => Some(Some(Decision::Skip)),
            _ => None,
        }
    }
}

/// The decisions of a file written by [`write_file`] and filled in by a clerk, by SSN.
pub fn read_decisions(path: &Path) -> Result<HashMap<Ssn, Decision>> {
    let shown = path.display().to_string();
    let unreadable = |detail: String| {
        PersonalizerError::Usage(Usage::DecisionsUnreadable {
            path: shown.clone(),
            detail,
        })
    };
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let is = |h: &str, names: &[Msg]| {
        let h = fold_name(h);
        names.iter().any(|m| {
            Lang::ALL
                .iter()
                .any(|l| h == fold_name(l.text(*m)) || h.starts_with(&fold_name(l.text(*m))))
        })
    };
    let table = asxh_sheet::read(&bytes)
        .map_err(|e| unreadable(e.to_string()))?
        .table(|h| is(h, &[Msg::ColumnDecision, Msg::ColumnSsn]));
    let column = |m: Msg| table.headers.iter().position(|h| is(h, &[m]));
    let (Some(decision), Some(ssn)) = (column(Msg::ColumnDecision), column(Msg::ColumnSsn)) else {
        return Err(PersonalizerError::Usage(Usage::DecisionsColumns {
            path: shown,
            decision: Msg::ColumnDecision.vi().unwrap_or_default(),
            ssn: Msg::ColumnSsn.vi().unwrap_or_default(),
        }));
    };
    let mut out = HashMap::new();
    for r in &table.records {
        let text = r.get(decision).text;
        let Some(d) = Decision::parse(&text) else {
            return Err(PersonalizerError::Usage(Usage::DecisionUnknown {
                path: shown,
                row: r.number,
                text,
            }));
        };
        // Excel drops the leading 0 when it opens the CSV version of the file.
        let mut digits = r.get(ssn).text;
        if digits.len() == 11 {
            digits.insert(0, '0');
        }
        let ssn = Ssn::parse(&digits).map_err(|e| {
            PersonalizerError::Usage(Usage::DecisionSsn {
                path: shown.clone(),
                row: r.number,
                problem: e.into_problem(),
            })
        })?;
        if let Some(d) = d {
            out.insert(ssn, d);
        }
    }
    Ok(out)
}

/// The duplicates as a table for the clerk: a decision column (filled with what was decided
/// before), then who the row is and whom it may duplicate.
pub fn table(duplicates: &[Duplicate], decided: &HashMap<Ssn, Decision>, lang: Lang) -> OutTable {
    OutTable {
        headers: [
            Msg::ColumnDecision,
            Msg::ColumnLine,
            Msg::ColumnSsn,
            Msg::ColumnName,
            Msg::ColumnDateOfBirth,
            Msg::ColumnArea,
            Msg::ColumnSameAs,
        ]
        .iter()
        .map(|m| lang.text(*m).to_owned())
        .collect(),
        rows: duplicates
            .iter()
            .map(|d| {
                let decision = Ssn::parse(&d.ssn)
                    .ok()
                    .and_then(|s| decided.get(&s))
                    .map(|d| match d {
                        Decision::Issue => lang.text(Msg::DecisionIssue),
                        Decision::Skip => lang.text(Msg::DecisionSkip),
                    })
                    .unwrap_or_default();
                vec![
                    decision.to_owned(),
                    d.line.to_string(),
                    d.ssn.clone(),
                    d.full_name.clone(),
                    d.date_of_birth.vi(),
                    d.area_code.clone(),
                    d.same_as
                        .iter()
                        .map(|s| s.text(lang))
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::RawRequest;
    use asxh_core::Date;

    fn request(ssn: &str, name: &str, dob: &str, area: &str) -> CardRequest {
        CardRequest::parse(
            &RawRequest {
                ssn: ssn.into(),
                full_name: name.into(),
                date_of_birth: dob.into(),
                sex: "F".into(),
                area_code: area.into(),
                ..RawRequest::default()
            },
            Date::today(),
            asxh_text::Lang::En,
        )
        .unwrap()
    }

    #[test]
    fn the_same_person_under_two_ssns_in_one_list_is_flagged_on_both_rows() {
        let rows = [
            (
                2,
                request("051146000001", "Trần Thị Lan", "1946-08-19", "51.22903"),
            ),
            (3, request("051146000002", "Lê Thị Tư", "1946", "51.22903")),
            (
                4,
                request("051146000003", "TRAN THI LAN", "1946", "51.22903"),
            ),
            // Another commune, another birth date: other people.
            (
                5,
                request("051146000004", "Trần Thị Lan", "1946", "51.22904"),
            ),
            (
                6,
                request("051146000005", "Tran Thi Lan", "1946-08-20", "51.22903"),
            ),
        ];
        let dups = in_list(rows.iter().map(|(l, r)| (*l, r)));
        let got: Vec<(u64, Vec<u64>)> = dups
            .iter()
            .map(|d| {
                (
                    d.line,
                    d.same_as
                        .iter()
                        .map(|s| match s {
                            SameAs::Line { line, .. } => *line,
                            SameAs::Card { .. } => 0,
                        })
                        .collect(),
                )
            })
            .collect();
        assert_eq!(got, [(2, vec![4]), (4, vec![2, 6]), (6, vec![4])]);
        assert!(dups[0]
            .text(Lang::En)
            .contains("same person as line 4 (051146000003)"));
    }

    #[test]
    fn a_card_of_the_register_under_another_ssn_is_flagged_and_the_rows_own_ssn_is_not() {
        let row = request("051146000001", "Trần Thị Lan", "08/1946", "51.22903");
        let card = |ssn: &str, dob: &str, area: &str, same_ssn: bool| CardMatch {
            person: 0,
            same_ssn,
            serial: "0000-0001-7".into(),
            status: CardStatus::Active,
            ssn: ssn.into(),
            full_name: "Tran Thi Lan".into(),
            date_of_birth: dob.into(),
            area_code: area.into(),
        };
        let cards = [
            card("051146000099", "1946-08-19", "51.22903", false),
            card("051146000098", "1946-09-19", "51.22903", false),
            card("051146000097", "1946-08-19", "51.22999", false),
            card("051146000001", "1946-08-19", "51.22903", true),
        ];
        let same = in_register(&row, &cards.iter().collect::<Vec<_>>());
        assert_eq!(
            same,
            [SameAs::Card {
                serial: "0000-0001-7".into(),
                ssn: "051146000099".into(),
                status: CardStatus::Active
            }]
        );
    }

    #[test]
    fn decisions_are_read_back_from_the_file_a_clerk_filled_in_even_after_excel_mangled_it() {
        let dup = Duplicate {
            same_as: vec![SameAs::Line {
                line: 3,
                ssn: "051146000002".into(),
            }],
            ..Duplicate::new(2, &request("051146000001", "Lan", "1946", "51"))
        };
        let other = Duplicate {
            line: 3,
            ssn: "051146000002".into(),
            ..dup.clone()
        };
        let mut t = table(&[dup, other], &HashMap::new(), Lang::Vi);
        assert_eq!(t.headers[0], "Quyết định (cấp / bỏ)");
        t.rows[0][0] = "Cấp".into();
        t.rows[1][0] = "bỏ".into();
        // Excel opened the CSV and saved the SSNs as numbers.
        t.rows[1][2] = "51146000002".into();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        t.save_csv(&path).unwrap();
        let decided = read_decisions(&path).unwrap();
        assert_eq!(
            decided[&Ssn::parse("051146000001").unwrap()],
            Decision::Issue
        );
        assert_eq!(
            decided[&Ssn::parse("051146000002").unwrap()],
            Decision::Skip
        );
        t.rows[0][0] = "có lẽ".into();
        t.save_csv(&path).unwrap();
        let e = read_decisions(&path).unwrap_err();
        assert!(e.to_string().contains("row 2"), "{e}");
    }
}
