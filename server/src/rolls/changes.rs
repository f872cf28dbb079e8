//! The monthly changes report (biến động tăng/giảm) of a payment roll: what the roll published
//! for an area's month pays differently from the same area's roll of the month before, per
//! commune and program — new beneficiaries, payments resumed, suspended and stopped, monthly
//! amounts raised or lowered — with the arrears and one-off payments of the month, the totals,
//! and the list of the people concerned. Both months are read from what was published (the
//! rolls are the record of what was payable), never recomputed from today's register.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use asxh_core::lists::roll::{ItemKind, LineStatus};
use asxh_core::lists::{Month, RollLine};
use asxh_core::{AreaCode, Ssn};
use asxh_sheet::OutTable;
use asxh_text::{Lang, Msg};
use rusqlite::{params, Connection, OptionalExtension};

use super::published;
use crate::error::Result;
use crate::policy::{act, Authorized};

/// What happened to one beneficiary's monthly payment of one program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Paid this month, not on last month's roll (tăng mới).
    New,
    /// Paid this month, suspended or stopped last month (hưởng lại).
    Resumed,
    /// Paid last month, suspended this month (tạm dừng).
    Suspended,
    /// Paid or suspended last month; stopped or gone from the roll this month (thôi hưởng,
    /// chuyển đi).
    Stopped,
    /// Paid both months, more this month.
    Raised,
    /// Paid both months, less this month.
    Lowered,
}

impl Change {
    pub const ALL: [Change; 6] = [
        Change::New,
        Change::Resumed,
        Change::Suspended,
        Change::Stopped,
        Change::Raised,
        Change::Lowered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Resumed => "resumed",
            Change::Suspended => "suspended",
            Change::Stopped => "stopped",
            Change::Raised => "raised",
            Change::Lowered => "lowered",
        }
    }

    /// Whether the change adds to the number paid (tăng) rather than takes from it (giảm).
    pub fn is_increase(self) -> bool {
        matches!(self, Change::New | Change::Resumed | Change::Raised)
    }
}

/// One beneficiary's change in one program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonChange {
    pub commune: String,
    pub ssn: Ssn,
    pub full_name: String,
    pub program: String,
    pub change: Change,
    /// Monthly amount last month and this month (0: not paid).
    pub before_vnd: u64,
    pub after_vnd: u64,
}

/// A count of people and an amount of money.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub people: u64,
    pub vnd: u64,
}

impl Tally {
    fn add(&mut self, vnd: u64) {
        self.people += 1;
        self.vnd += vnd;
    }
}

/// The figures of one commune and program.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeFigures {
    /// Paid monthly last month and this month.
    pub before: Tally,
    pub after: Tally,
    /// By change: the people, and the monthly amount that came (increases) or went
    /// (decreases); for raised and lowered, the difference.
    pub changes: BTreeMap<Change, Tally>,
    /// This month's arrears (truy lĩnh) and one-off payments (chi một lần), payable.
    pub arrears: Tally,
    pub one_off: Tally,
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub commune: String,
    pub program: String,
    pub figures: ChangeFigures,
}

/// The report of an area's month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangesReport {
    pub area: AreaCode,
    pub month: Month,
    pub previous: Month,
    /// Whether a roll of the month was published for the area (if not, nothing is payable yet
    /// and the report is empty).
    pub published: bool,
    /// Whether a roll of the previous month was published for the area (if not, everyone paid
    /// this month is new).
    pub previous_published: bool,
    /// By commune, then program.
    pub rows: Vec<ChangeRow>,
    pub total: ChangeFigures,
    /// The people, by commune, change, program and SSN.
    pub people: Vec<PersonChange>,
}

/// Where a monthly payment stands in one month's roll, in the order a holder would rather
/// have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Stopped,
    Suspended,
    /// Paid at the counter (due or done) or into an account.
    Payable,
}

impl Standing {
    fn of(status: LineStatus) -> Standing {
        match status {
            LineStatus::Due | LineStatus::Paid | LineStatus::PaidByAccount => Standing::Payable,
            LineStatus::Suspended => Standing::Suspended,
            LineStatus::Stopped => Standing::Stopped,
        }
    }
}

/// Each program's monthly line of a beneficiary: its standing and amount (the best when
/// several categories appear: a holder is paid the highest only).
fn monthly_by_program(lines: &[RollLine]) -> HashMap<String, (Standing, u64)> {
    let mut out: HashMap<String, (Standing, u64)> = HashMap::new();
    for l in lines.iter().filter(|l| l.item.kind == ItemKind::Monthly) {
        let entry = (Standing::of(l.status), l.item.amount_vnd);
        out.entry(l.item.program.to_string())
            .and_modify(|held| *held = (*held).max(entry))
            .or_insert(entry);
    }
    out
}

fn classify(before: Option<(Standing, u64)>, after: Option<(Standing, u64)>) -> Option<Change> {
    use Standing::*;
    match (before, after) {
        (None, Some((Payable, _))) => Some(Change::New),
        (Some((Suspended | Stopped, _)), Some((Payable, _))) => Some(Change::Resumed),
        (Some((Payable, _)), Some((Suspended, _))) => Some(Change::Suspended),
        (Some((Payable | Suspended, _)), Some((Stopped, _)) | None) => Some(Change::Stopped),
        (Some((Payable, b)), Some((Payable, a))) if a > b => Some(Change::Raised),
        (Some((Payable, b)), Some((Payable, a))) if a < b => Some(Change::Lowered),
        _ => None,
    }
}

/// The changes of the roll of `area` for `month` against the same area's roll of the month
/// before, within the reader's area.
pub fn monthly_changes(
    conn: &Connection,
    grant: &Authorized<act::ReadRolls>,
    area: &AreaCode,
    month: Month,
) -> Result<ChangesReport> {
    grant.within(area)?;
    let previous = Month::from_index("month", u64::from(month.index().saturating_sub(1)))?;
    let now = published(conn, area, month)?;
    let before = published(conn, area, previous)?;
    let mut was_published =
        conn.prepare_cached("SELECT 1 FROM rolls WHERE area = ?1 AND month = ?2")?;
    let mut published_in = |m: Month| -> Result<bool> {
        Ok(was_published
            .query_row(params![area.as_str(), m.to_string()], |_| Ok(()))
            .optional()?
            .is_some())
    };
    let (published, previous_published) = (published_in(month)?, published_in(previous)?);
    let ssns: BTreeSet<Ssn> = now.keys().chain(before.keys()).copied().collect();
    let mut who =
        conn.prepare_cached("SELECT area, full_name FROM beneficiaries WHERE ssn = ?1")?;
    let mut rows: BTreeMap<(String, String), ChangeFigures> = BTreeMap::new();
    let mut total = ChangeFigures::default();
    let mut people = Vec::new();
    let empty = Vec::new();
    for ssn in ssns {
        let (commune, full_name) = who
            .query_row([ssn.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or_else(|| (area.to_string(), String::new()));
        let lines_now = now.get(&ssn).unwrap_or(&empty);
        let (m_before, m_now) = (
            monthly_by_program(before.get(&ssn).unwrap_or(&empty)),
            monthly_by_program(lines_now),
        );
        let programs: BTreeSet<&String> = m_before.keys().chain(m_now.keys()).collect();
        for program in programs {
            let (b, a) = (m_before.get(program).copied(), m_now.get(program).copied());
            let figures = rows.entry((commune.clone(), program.clone())).or_default();
            let paid = |x: Option<(Standing, u64)>| {
                x.filter(|(s, _)| *s == Standing::Payable)
                    .map_or(0, |(_, v)| v)
            };
            let (before_vnd, after_vnd) = (paid(b), paid(a));
            for f in [&mut *figures, &mut total] {
                if before_vnd > 0 {
                    f.before.add(before_vnd);
                }
                if after_vnd > 0 {
                    f.after.add(after_vnd);
                }
            }
            if let Some(change) = classify(b, a) {
                let moved = before_vnd.abs_diff(after_vnd);
                for f in [&mut *figures, &mut total] {
                    f.changes.entry(change).or_default().add(moved);
                }
                people.push(PersonChange {
                    commune: commune.clone(),
                    ssn,
                    full_name: full_name.clone(),
                    program: program.clone(),
                    change,
                    before_vnd,
                    after_vnd,
                });
            }
        }
        for l in lines_now
            .iter()
            .filter(|l| Standing::of(l.status) == Standing::Payable)
        {
            let kind = l.item.kind;
            if kind == ItemKind::Monthly {
                continue;
            }
            let figures = rows
                .entry((commune.clone(), l.item.program.to_string()))
                .or_default();
            for f in [&mut *figures, &mut total] {
                match kind {
                    ItemKind::Arrears => f.arrears.add(l.item.amount_vnd),
                    _ => f.one_off.add(l.item.amount_vnd),
                }
            }
        }
    }
    people.sort_by(|x, y| {
        (&x.commune, x.change, &x.program, x.ssn).cmp(&(&y.commune, y.change, &y.program, y.ssn))
    });
    Ok(ChangesReport {
        area: area.clone(),
        month,
        previous,
        published,
        previous_published,
        rows: rows
            .into_iter()
            .map(|((commune, program), figures)| ChangeRow {
                commune,
                program,
                figures,
            })
            .collect(),
        total,
        people,
    })
}

impl Change {
    /// The change's name on the page and in the exports.
    pub fn label(self) -> Msg {
        match self {
            Change::New => Msg::ConsoleChangesNew,
            Change::Resumed => Msg::ConsoleChangesResumed,
            Change::Suspended => Msg::ConsoleChangesSuspended,
            Change::Stopped => Msg::ConsoleChangesStopped,
            Change::Raised => Msg::ConsoleChangesRaised,
            Change::Lowered => Msg::ConsoleChangesLowered,
        }
    }
}

/// The summary as a table to export: commune, program, paid last month and this month, each
/// change, arrears and one-off payments (people and amounts), the total last.
pub fn summary_table(
    report: &ChangesReport,
    lang: Lang,
    names: &BTreeMap<String, String>,
) -> OutTable {
    let tally = |t: &Tally| [t.people.to_string(), t.vnd.to_string()];
    let row = |commune: String, program: String, f: &ChangeFigures| {
        let mut row = vec![commune, program];
        row.extend(tally(&f.before));
        row.extend(tally(&f.after));
        for c in Change::ALL {
            row.extend(tally(&f.changes.get(&c).copied().unwrap_or_default()));
        }
        row.extend(tally(&f.arrears));
        row.extend(tally(&f.one_off));
        row
    };
    let mut rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            let commune = names
                .get(&r.commune)
                .cloned()
                .unwrap_or_else(|| r.commune.clone());
            let program = lang.program(&r.program).unwrap_or(&r.program).to_owned();
            row(commune, program, &r.figures)
        })
        .collect();
    rows.push(row(
        lang.text(Msg::ReportTotal).to_owned(),
        String::new(),
        &report.total,
    ));
    let mut headers = vec![
        lang.text(Msg::ConsoleChangesCommune).to_owned(),
        lang.text(Msg::ConsoleProgram).to_owned(),
    ];
    let people = lang.text(Msg::ConsoleChangesPersonCount);
    let money = lang.text(Msg::ConsoleChangesAmount);
    let columns = [Msg::ConsoleChangesBefore, Msg::ConsoleChangesAfter]
        .into_iter()
        .chain(Change::ALL.map(Change::label))
        .chain([Msg::ConsoleChangesArrears, Msg::ConsoleChangesOneOff]);
    for m in columns {
        headers.push(format!("{}: {people}", lang.text(m)));
        headers.push(format!("{}: {money} (đ)", lang.text(m)));
    }
    OutTable { headers, rows }
}

/// The people concerned as a table to export.
pub fn people_table(
    report: &ChangesReport,
    lang: Lang,
    names: &BTreeMap<String, String>,
) -> OutTable {
    OutTable {
        headers: [
            Msg::ConsoleChangesCommune,
            Msg::ConsoleSSN,
            Msg::ColumnName,
            Msg::ConsoleProgram,
            Msg::ConsoleChangesKind,
            Msg::ConsoleChangesAmountBefore,
            Msg::ConsoleChangesAmountAfter,
        ]
        .map(|m| lang.text(m).to_owned())
        .to_vec(),
        rows: report
            .people
            .iter()
            .map(|p| {
                vec![
                    names
                        .get(&p.commune)
                        .cloned()
                        .unwrap_or_else(|| p.commune.clone()),
                    p.ssn.to_string(),
                    p.full_name.clone(),
                    lang.program(&p.program).unwrap_or(&p.program).to_owned(),
                    lang.text(p.change.label()).to_owned(),
                    p.before_vnd.to_string(),
                    p.after_vnd.to_string(),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use Standing::*;

    fn at(standing: Standing, vnd: u64) -> Option<(Standing, u64)> {
        Some((standing, vnd))
    }

    #[test]
    fn each_pair_of_months_gets_the_change_a_commune_official_would_write_down() {
        assert_eq!(classify(None, at(Payable, 500)), Some(Change::New));
        assert_eq!(
            classify(at(Suspended, 500), at(Payable, 500)),
            Some(Change::Resumed)
        );
        assert_eq!(
            classify(at(Payable, 500), at(Suspended, 500)),
            Some(Change::Suspended)
        );
        assert_eq!(
            classify(at(Payable, 500), at(Stopped, 500)),
            Some(Change::Stopped)
        );
        assert_eq!(classify(at(Suspended, 500), None), Some(Change::Stopped));
        assert_eq!(classify(at(Payable, 500), None), Some(Change::Stopped));
        assert_eq!(
            classify(at(Payable, 500), at(Payable, 750)),
            Some(Change::Raised)
        );
        assert_eq!(
            classify(at(Payable, 750), at(Payable, 500)),
            Some(Change::Lowered)
        );
        assert_eq!(classify(at(Payable, 500), at(Payable, 500)), None);
        assert_eq!(classify(at(Suspended, 500), at(Suspended, 500)), None);
        assert_eq!(classify(at(Stopped, 500), None), None);
        assert_eq!(classify(None, at(Suspended, 500)), None);
    }

    #[test]
    fn a_holder_in_two_categories_of_one_program_counts_by_the_payable_one() {
        use asxh_core::lists::RollItem;
        use asxh_core::{CategoryCode, ProgramCode};
        let m = Month::parse("month", "2026-12").unwrap();
        let line = |cat: &str, vnd, status| RollLine {
            item: RollItem::new(
                ProgramCode::parse("TGXH").unwrap(),
                Some(CategoryCode::parse(cat).unwrap()),
                ItemKind::Monthly,
                vnd,
                m,
                m,
            )
            .unwrap(),
            recipient: None,
            status,
        };
        let by = monthly_by_program(&[
            line("NCT80", 900_000, LineStatus::Stopped),
            line("NKT", 750_000, LineStatus::Due),
        ]);
        assert_eq!(by["TGXH"], (Payable, 750_000));
    }
}
