//! What a roll carries: for every beneficiary residing within an area, the lines due to them in
//! a month, computed from the register and the amount rules ([`crate::amounts`]), never typed.
//!
//! - A monthly line per program: the decision's rule on the base level in force that month
//!   (a province's own where higher); of several categories of one program only the highest
//!   (a due one before a suspended one).
//! - A decision recorded after its first month is first paid in the month it was recorded;
//!   that month's roll also carries the months before as one arrears line (truy lĩnh), less
//!   what other decisions of the program already paid for them.
//! - A suspended decision's line says so from the month of its suspension; a stopped one's
//!   says so for [`STOPPED_SHOWN_MONTHS`] months after the last month paid, so a payment point
//!   sees why, and then it leaves the roll. An ended or not yet started decision is not in it.
//! - The line names who may collect, while the authorisation holds that month.
//! - A decision paid into an account ([`super::accounts`]) has its lines `paid_by_account`
//!   instead of due: the payment points do not pay them, the transfer list does.

use std::collections::BTreeMap;

use asxh_core::lists::roll::{ItemKind, LineStatus, RecipientRole};
use asxh_core::lists::{Month, RollEntry, RollItem, RollLine, RollRecipient};
use asxh_core::{AreaCode, CategoryCode, Date, IdNumber, PersonName, ProgramCode, Ssn};
use rusqlite::Connection;

use super::base_levels::base_levels;
use super::types::Status;
use crate::amounts::{self, BaseLevel, Coefficient, Rule};
use crate::error::{Result, ServerError};
use crate::scope::Scope;

/// How many months after its last paid month a stopped decision still shows, as stopped.
pub const STOPPED_SHOWN_MONTHS: u16 = 3;

/// One decision as the roll needs it.
struct DecisionRow {
    id: i64,
    program: ProgramCode,
    category: CategoryCode,
    rule: Rule,
    paid_from: Month,
    paid_until: Option<Month>,
    first_paid: Month,
    settled_until: Option<Month>,
    status: Status,
    /// Paid into an account, not at the counter.
    by_account: bool,
}

impl DecisionRow {
    /// Whether the decision pays `m` at all (within its months).
    fn covers(&self, m: Month) -> bool {
        self.paid_from <= m && self.paid_until.is_none_or(|u| m <= u)
    }

    /// The first month of its arrears: after the months settled before it was recorded.
    fn arrears_from(&self) -> Month {
        match self.settled_until {
            Some(s) if s >= self.paid_from => {
                Month::from_index("month", u64::from(s.index()) + 1).unwrap_or(Month::MAX)
            }
            _ => self.paid_from,
        }
    }
}

fn month(field: &'static str, text: &str) -> Result<Month> {
    Ok(Month::parse(field, text)?)
}

/// The decision columns, from index `at`: id, program, category, coefficient, fixed_vnd,
/// paid_from, paid_until, first_paid, status, reason, status_on, settled_until.
fn decision(r: &rusqlite::Row<'_>, at: usize) -> Result<DecisionRow> {
    let coefficient: Option<u32> = r.get(at + 3)?;
    let fixed: Option<i64> = r.get(at + 4)?;
    let rule = match (coefficient, fixed) {
        (Some(c), _) => Rule::Coefficient(Coefficient(c)),
        (None, Some(a)) => Rule::Fixed(a as u64),
        (None, None) => {
            return Err(ServerError::Storage(
                "an entitlement without an amount rule".into(),
            ))
        }
    };
    let until: Option<String> = r.get(at + 6)?;
    Ok(DecisionRow {
        id: r.get(at)?,
        program: ProgramCode::parse(&r.get::<_, String>(at + 1)?)?,
        category: CategoryCode::parse(&r.get::<_, String>(at + 2)?)?,
        rule,
        paid_from: month("paid_from", &r.get::<_, String>(at + 5)?)?,
        paid_until: until.map(|u| month("paid_until", &u)).transpose()?,
        first_paid: month("first_paid", &r.get::<_, String>(at + 7)?)?,
        settled_until: r
            .get::<_, Option<String>>(at + 11)?
            .map(|s| month("settled_until", &s))
            .transpose()?,
        status: Status::from_columns(
            &r.get::<_, String>(at + 8)?,
            r.get::<_, Option<String>>(at + 9)?.as_deref(),
            r.get::<_, Option<String>>(at + 10)?.as_deref(),
        )?,
        by_account: false,
    })
}

const DECISION_COLUMNS: &str = "e.id, e.program, e.category, e.coefficient, e.fixed_vnd, e.paid_from, e.paid_until, e.first_paid, e.status, e.reason, e.status_on, e.settled_until";

/// The amount rules in force: the base levels and the residence they are looked up for.
struct Amounts<'a> {
    levels: &'a [BaseLevel],
    area: &'a AreaCode,
}

impl Amounts<'_> {
    /// What `d` pays for month `m`: an error names a coefficient rule without a base level.
    fn of(&self, d: &DecisionRow, m: Month) -> Result<u64> {
        let base = amounts::base_level(self.levels, &d.program, self.area, m);
        amounts::amount(d.rule, base).filter(|a| *a > 0).ok_or_else(|| {
            ServerError::Conflict(format!(
                "no base level of {} is in force in {m} for area {}: set one before the roll is made",
                d.program, self.area
            ))
        })
    }
}

/// The lines of `month` due to every beneficiary residing within `area`, in increasing SSN
/// order, ready for [`asxh_core::lists::Roll::new`].
pub fn due(conn: &Connection, area: &AreaCode, month: Month) -> Result<Vec<RollEntry>> {
    let levels: Vec<BaseLevel> = base_levels(conn)?.into_iter().map(|r| r.level).collect();
    let ranges = Scope::Within(area.clone()).ranges();
    let mut entries = Vec::new();
    for (low, high) in &ranges {
        due_in(conn, &levels, low, high, month, &mut entries)?;
    }
    if ranges.len() > 1 {
        // The pre-merger provinces' beneficiaries come after today's province's.
        entries.sort_by_cached_key(|e| e.ssn.to_string());
    }
    Ok(entries)
}

/// The entries of the beneficiaries whose area code is in `[low, high)`, in SSN order.
fn due_in(
    conn: &Connection,
    levels: &[BaseLevel],
    low: &str,
    high: &str,
    month: Month,
    entries: &mut Vec<RollEntry>,
) -> Result<()> {
    let shown_from = Month::from_index(
        "month",
        u64::from(month.index().saturating_sub(STOPPED_SHOWN_MONTHS)),
    )?;
    let filter = "b.area >= ?1 AND b.area < ?2 AND e.paid_from <= ?3 \
         AND (e.paid_until IS NULL OR e.paid_until >= ?4 OR e.first_paid = ?3)";
    // The beneficiaries of the area's range of codes are the outer loop, by their index
    // (`INDEXED BY`: to spare the sort by SSN, SQLite would rather scan every beneficiary;
    // `CROSS JOIN`: driven from the households' decisions, it would probe every household).
    let sql = format!(
        "SELECT b.ssn, b.area, {DECISION_COLUMNS}, r.role, r.full_name, r.id_number, r.valid_from, r.valid_until, a.id IS NOT NULL
         FROM beneficiaries b INDEXED BY beneficiaries_by_area CROSS JOIN entitlements e ON e.ssn = b.ssn
         LEFT JOIN entitlement_recipients r ON r.entitlement = e.id AND r.replaced_at IS NULL
         LEFT JOIN entitlement_accounts a ON a.entitlement = e.id AND a.replaced_at IS NULL
         WHERE {filter}
         UNION ALL
         SELECT b.ssn, b.area, {DECISION_COLUMNS}, NULL, NULL, NULL, NULL, NULL, 0
         FROM beneficiaries b INDEXED BY beneficiaries_by_area CROSS JOIN household_members m ON m.ssn = b.ssn
         CROSS JOIN entitlements e ON e.household = m.household
         WHERE {filter}
         ORDER BY 1, 3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params![
        low,
        high,
        month.to_string(),
        shown_from.to_string()
    ])?;
    let mut current: Option<Holder> = None;
    while let Some(r) = rows.next()? {
        let ssn = Ssn::parse(&r.get::<_, String>(0)?)?;
        let mut d = decision(r, 2)?;
        d.by_account = r.get(19)?;
        let recipient = recipient(r, 14, month)?;
        match &mut current {
            Some(h) if h.ssn == ssn => h.decisions.push((d, recipient)),
            _ => {
                if let Some(h) = current.take() {
                    push_entry(conn, entries, levels, h, month)?;
                }
                current = Some(Holder {
                    ssn,
                    area: AreaCode::parse(&r.get::<_, String>(1)?)?,
                    decisions: vec![(d, recipient)],
                });
            }
        }
    }
    if let Some(h) = current.take() {
        push_entry(conn, entries, levels, h, month)?;
    }
    Ok(())
}

/// The current recipient of the row from column `at` (role, name, ID number, valid from, valid
/// until), if their authorisation holds in `month`.
fn recipient(r: &rusqlite::Row<'_>, at: usize, month: Month) -> Result<Option<RollRecipient>> {
    let Some(role) = r.get::<_, Option<String>>(at)? else {
        return Ok(None);
    };
    let from = Date::parse("valid_from", &r.get::<_, String>(at + 3)?)?;
    let until = r
        .get::<_, Option<String>>(at + 4)?
        .map(|u| Date::parse("valid_until", &u))
        .transpose()?;
    if Month::of(from) > month || until.is_some_and(|u| Month::of(u) < month) {
        return Ok(None);
    }
    Ok(Some(RollRecipient {
        role: RecipientRole::parse(&role)?,
        name: PersonName::parse("recipient", &r.get::<_, String>(at + 1)?)?,
        id_number: IdNumber::parse(&r.get::<_, String>(at + 2)?)?,
        valid_until: until,
    }))
}

/// Rank of a line's status when one program has several: a due line before a suspended one
/// before a stopped one.
fn rank(status: LineStatus) -> u8 {
    match status {
        LineStatus::Due | LineStatus::Paid | LineStatus::PaidByAccount => 2,
        LineStatus::Suspended => 1,
        LineStatus::Stopped => 0,
    }
}

/// The status of `d`'s line in `m`, or `None` when it has none.
fn line_status(d: &DecisionRow, m: Month) -> Option<LineStatus> {
    if d.covers(m) && d.first_paid <= m {
        return Some(payable(d, m));
    }
    let stopped_until = d.paid_until.map(|u| u.index() + STOPPED_SHOWN_MONTHS);
    match (d.status, d.paid_until, stopped_until) {
        (Status::Stopped { .. }, Some(u), Some(shown)) if u < m && m.index() <= shown => {
            Some(LineStatus::Stopped)
        }
        _ => None,
    }
}

/// The status of a line `d` pays in `m`: suspended from the month of its suspension, else due
/// at the counter or paid into its account.
fn payable(d: &DecisionRow, m: Month) -> LineStatus {
    match d.status {
        Status::Suspended { on, .. } if Month::of(on) <= m => LineStatus::Suspended,
        _ if d.by_account => LineStatus::PaidByAccount,
        _ => LineStatus::Due,
    }
}

/// One beneficiary's decisions in force around the month, each with its current recipient.
struct Holder {
    ssn: Ssn,
    area: AreaCode,
    decisions: Vec<(DecisionRow, Option<RollRecipient>)>,
}

fn push_entry(
    conn: &Connection,
    entries: &mut Vec<RollEntry>,
    levels: &[BaseLevel],
    holder: Holder,
    month: Month,
) -> Result<()> {
    let Holder {
        ssn,
        area,
        decisions,
    } = holder;
    let amounts = Amounts {
        levels,
        area: &area,
    };
    // The best monthly line of each program: (rank, amount, line).
    let mut monthly: BTreeMap<ProgramCode, (u8, u64, RollLine)> = BTreeMap::new();
    let mut arrears = Vec::new();
    for (d, recipient) in &decisions {
        if let Some(status) = line_status(d, month) {
            // A stopped line shows the last amount paid.
            let paid_month = if status == LineStatus::Stopped {
                d.paid_until.unwrap_or(month)
            } else {
                month
            };
            let amount = amounts.of(d, paid_month)?;
            let line = RollLine {
                item: RollItem::new(
                    d.program.clone(),
                    Some(d.category.clone()),
                    ItemKind::Monthly,
                    amount,
                    month,
                    month,
                )?,
                recipient: recipient.clone(),
                status,
            };
            let better = monthly
                .get(&d.program)
                .is_none_or(|(r, a, _)| (rank(status), amount) > (*r, *a));
            if better {
                monthly.insert(d.program.clone(), (rank(status), amount, line));
            }
        }
        if d.first_paid == month && d.arrears_from() < month {
            if let Some(line) = arrears_line(conn, &amounts, ssn, d, recipient, month)? {
                arrears.push(line);
            }
        }
    }
    let mut lines: Vec<RollLine> = monthly.into_values().map(|(_, _, line)| line).collect();
    lines.extend(arrears);
    if !lines.is_empty() {
        entries.push(RollEntry { ssn, lines });
    }
    Ok(())
}

/// The arrears of `d`, first paid in `month`: each month from its first to the one before
/// `month` (or its last), its amount less the highest another decision of the program paid
/// for that month (one first paid earlier, or in the same roll and recorded before it).
fn arrears_line(
    conn: &Connection,
    amounts: &Amounts<'_>,
    ssn: Ssn,
    d: &DecisionRow,
    recipient: &Option<RollRecipient>,
    month: Month,
) -> Result<Option<RollLine>> {
    let before = Month::from_index("month", u64::from(month.index() - 1))?;
    let last = d.paid_until.map_or(before, |u| u.min(before));
    let from = d.arrears_from();
    if last < from {
        return Ok(None);
    }
    let sql = format!(
        "SELECT {DECISION_COLUMNS} FROM entitlements e
         WHERE (e.ssn = ?1 OR e.household IN (SELECT household FROM household_members WHERE ssn = ?1))
           AND e.program = ?2 AND e.id != ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params![ssn.to_string(), d.program.as_str(), d.id])?;
    let mut others = Vec::new();
    while let Some(r) = rows.next()? {
        let o = decision(r, 0)?;
        if o.first_paid < d.first_paid || (o.first_paid == d.first_paid && o.id < d.id) {
            others.push(o);
        }
    }
    let mut total = 0;
    for index in from.index()..=last.index() {
        let m = Month::from_index("month", u64::from(index))?;
        let paid = others
            .iter()
            .filter(|o| o.covers(m))
            .map(|o| amounts.of(o, m))
            .try_fold(0, |best, a| a.map(|a| best.max(a)))?;
        total += amounts.of(d, m)?.saturating_sub(paid);
    }
    if total == 0 {
        return Ok(None);
    }
    let status = payable(d, month);
    Ok(Some(RollLine {
        item: RollItem::new(
            d.program.clone(),
            Some(d.category.clone()),
            ItemKind::Arrears,
            total,
            from,
            last,
        )?,
        recipient: recipient.clone(),
        status,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{act, authorize, Principal};
    use crate::register::{
        add_household, add_member, change_recipient, change_status, put_beneficiary, record,
        set_base_level, BaseLevelChange, Beneficiary, Decision, DecisionFor, DecisionNumber,
        HouseholdCode, Recipient, StatusChange, StopReason, SuspendReason,
    };
    use crate::store::Store;

    fn m(text: &str) -> Month {
        Month::parse("month", text).unwrap()
    }

    fn day(text: &str) -> Date {
        Date::parse("day", text).unwrap()
    }

    struct Register {
        _dir: tempfile::TempDir,
        store: Store,
        grant: crate::policy::Authorized<act::RecordEntitlements>,
    }

    impl Register {
        fn new() -> Register {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::init(dir.path()).unwrap();
            let levels = authorize::<act::SetBaseLevels>(&Principal::Operator).unwrap();
            for (province, from, amount) in [
                (None, "2021-07", 360_000),
                (None, "2024-07", 500_000),
                (Some("79"), "2024-07", 600_000),
            ] {
                let change =
                    BaseLevelChange::new("TGXH", province, from, amount, "76/2024/NĐ-CP").unwrap();
                set_base_level(&store, &levels, change).unwrap();
            }
            let grant = authorize::<act::RecordEntitlements>(&Principal::Operator).unwrap();
            Register {
                _dir: dir,
                store,
                grant,
            }
        }

        fn person(&self, ssn: &str, area: &str) -> Ssn {
            let ssn = Ssn::parse(ssn).unwrap();
            let b = Beneficiary {
                ssn,
                name: PersonName::parse("name", "Nguyễn Thị Lan").unwrap(),
                area: AreaCode::parse(area).unwrap(),
            };
            put_beneficiary(&self.store, &self.grant, b).unwrap();
            ssn
        }

        /// Records a TGXH decision (coefficient in hundredths) on `today`.
        #[allow(clippy::too_many_arguments)]
        fn decide(
            &self,
            holder: DecisionFor,
            program: &str,
            category: &str,
            rule: Rule,
            from: &str,
            until: Option<&str>,
            today: &str,
            recipient: Option<Recipient>,
        ) -> i64 {
            let decision = Decision {
                holder,
                program: ProgramCode::parse(program).unwrap(),
                category: CategoryCode::parse(category).unwrap(),
                rule,
                decision_no: DecisionNumber::parse(&format!("{}/QĐ-UBND", from.replace('-', "")))
                    .unwrap(),
                decision_date: day(&format!("{from}-01")).min(day(today)),
                paid_from: m(from),
                paid_until: until.map(m),
                settled_until: None,
                recipient,
            };
            record(&self.store, &self.grant, decision, day(today)).unwrap()
        }

        fn due(&self, area: &str, month: &str) -> Vec<RollEntry> {
            self.store
                .read(|c| due(c, &AreaCode::parse(area).unwrap(), m(month)))
                .unwrap()
        }
    }

    fn tgxh(c: u32) -> Rule {
        Rule::Coefficient(Coefficient(c))
    }

    fn guardian(name: &str, id: &str, role: &str) -> Recipient {
        Recipient::new(role, name, id, "12/GUQ", "2024-01-01", None).unwrap()
    }

    /// The lines of `ssn` as (program, kind, amount, status, recipient's name).
    fn lines(
        entries: &[RollEntry],
        ssn: Ssn,
    ) -> Vec<(String, ItemKind, u64, LineStatus, Option<String>)> {
        entries
            .iter()
            .find(|e| e.ssn == ssn)
            .map(|e| {
                e.lines
                    .iter()
                    .map(|l| {
                        (
                            l.item.program.as_str().to_owned(),
                            l.item.kind,
                            l.item.amount_vnd,
                            l.status,
                            l.recipient.as_ref().map(|r| r.name.as_str().to_owned()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn line(
        program: &str,
        kind: ItemKind,
        amount: u64,
        status: LineStatus,
    ) -> (String, ItemKind, u64, LineStatus, Option<String>) {
        (program.to_owned(), kind, amount, status, None)
    }

    #[test]
    fn a_months_roll_follows_base_levels_suspensions_deaths_recipients_and_the_months_decided() {
        use ItemKind::{Arrears, Monthly};
        use LineStatus::{Due, Stopped, Suspended};
        let reg = Register::new();
        let commune = "51.22903";
        let person = |ssn| DecisionFor::Person(ssn);
        // Paid since 2021: the base level change reaches the amount from 2024-07.
        let lan = reg.person("051146000001", commune);
        reg.decide(
            person(lan),
            "TGXH",
            "NCT80",
            tgxh(100),
            "2021-07",
            None,
            "2021-07-10",
            None,
        );
        // Two categories of one program: the highest only.
        let hung = reg.person("051046000002", commune);
        reg.decide(
            person(hung),
            "TGXH",
            "NKT-NANG",
            tgxh(150),
            "2022-01",
            None,
            "2022-01-10",
            None,
        );
        reg.decide(
            person(hung),
            "TGXH",
            "NKT-DB-NANG",
            tgxh(200),
            "2022-03",
            None,
            "2022-03-10",
            None,
        );
        // Suspended from 2024-07 (not collected for three months).
        let mai = reg.person("051146000003", commune);
        let mai_e = reg.decide(
            person(mai),
            "TGXH",
            "NCT80",
            tgxh(150),
            "2022-01",
            None,
            "2022-01-10",
            None,
        );
        change_status(
            &reg.store,
            &reg.grant,
            mai_e,
            StatusChange::Suspend(SuspendReason::NotCollected),
            day("2024-07-05"),
            None,
        )
        .unwrap();
        // Deceased on 2024-07-20: July is paid, then stopped, then out of the roll.
        let tuan = reg.person("051046000004", commune);
        let tuan_e = reg.decide(
            person(tuan),
            "TGXH",
            "NCT80",
            tgxh(100),
            "2021-07",
            None,
            "2021-07-10",
            None,
        );
        change_status(
            &reg.store,
            &reg.grant,
            tuan_e,
            StatusChange::Stop(StopReason::Deceased),
            day("2024-07-20"),
            None,
        )
        .unwrap();
        // A guardian replaced by an authorised person.
        let hoa = reg.person("051146000005", commune);
        let hoa_e = reg.decide(
            person(hoa),
            "TGXH",
            "TRE-MC",
            tgxh(250),
            "2023-01",
            None,
            "2023-01-10",
            Some(guardian("Trần Văn Bình", "051080000111", "guardian")),
        );
        change_recipient(
            &reg.store,
            &reg.grant,
            hoa_e,
            Some(guardian("Lê Thị Cúc", "051085000222", "authorised")),
        )
        .unwrap();
        // Ended in 2024-05; not yet started (from 2024-09).
        let ended = reg.person("051146000006", commune);
        reg.decide(
            person(ended),
            "TGXH",
            "NCT80",
            tgxh(100),
            "2022-01",
            Some("2024-05"),
            "2022-01-10",
            None,
        );
        let later = reg.person("051146000007", commune);
        reg.decide(
            person(later),
            "TGXH",
            "NCT80",
            tgxh(100),
            "2024-09",
            None,
            "2024-07-01",
            None,
        );
        // Decided in 2024-08 from 2024-05: May to July are arrears in August's roll.
        let late = reg.person("051146000008", commune);
        reg.decide(
            person(late),
            "TGXH",
            "NCT80",
            tgxh(100),
            "2024-05",
            None,
            "2024-08-15",
            None,
        );
        // A poor household's decision pays its members; another province's resident is not
        // in this commune's roll.
        let code = HouseholdCode::parse("5122903000123").unwrap();
        add_household(
            &reg.store,
            &reg.grant,
            code.clone(),
            AreaCode::parse(commune).unwrap(),
        )
        .unwrap();
        add_member(&reg.store, &reg.grant, code.clone(), lan).unwrap();
        reg.decide(
            DecisionFor::Household(code),
            "HN",
            "HN",
            Rule::Fixed(46_000),
            "2024-01",
            Some("2024-12"),
            "2024-01-05",
            None,
        );
        let elsewhere = reg.person("079146000009", "79.26734");
        reg.decide(
            person(elsewhere),
            "TGXH",
            "NCT80",
            tgxh(100),
            "2021-07",
            None,
            "2021-07-10",
            None,
        );

        let june = reg.due(commune, "2024-06");
        let july = reg.due(commune, "2024-07");
        let august = reg.due(commune, "2024-08");

        assert_eq!(
            lines(&june, lan),
            [
                line("HN", Monthly, 46_000, Due),
                line("TGXH", Monthly, 360_000, Due)
            ]
        );
        assert_eq!(
            lines(&july, lan),
            [
                line("HN", Monthly, 46_000, Due),
                line("TGXH", Monthly, 500_000, Due)
            ],
            "the new base level"
        );
        assert_eq!(
            lines(&july, hung),
            [line("TGXH", Monthly, 1_000_000, Due)],
            "the highest category only"
        );
        assert_eq!(lines(&june, mai), [line("TGXH", Monthly, 540_000, Due)]);
        assert_eq!(
            lines(&july, mai),
            [line("TGXH", Monthly, 750_000, Suspended)]
        );
        assert_eq!(
            lines(&july, tuan),
            [line("TGXH", Monthly, 500_000, Due)],
            "the month of the death is paid"
        );
        assert_eq!(
            lines(&august, tuan),
            [line("TGXH", Monthly, 500_000, Stopped)]
        );
        assert!(
            lines(&reg.due(commune, "2024-11"), tuan).is_empty(),
            "out of the roll after three months"
        );
        let hoa_lines = lines(&july, hoa);
        assert_eq!(hoa_lines.len(), 1);
        assert_eq!(
            hoa_lines[0].4.as_deref(),
            Some("Lê Thị Cúc"),
            "the new recipient"
        );
        let recipient = july.iter().find(|e| e.ssn == hoa).unwrap().lines[0]
            .recipient
            .clone()
            .unwrap();
        assert_eq!(recipient.role, RecipientRole::Authorised);
        assert_eq!(lines(&june, ended), []);
        assert_eq!(
            lines(&reg.due(commune, "2024-05"), ended),
            [line("TGXH", Monthly, 360_000, Due)]
        );
        assert_eq!(lines(&july, later), [], "not yet started");
        assert_eq!(
            lines(&reg.due(commune, "2024-09"), later),
            [line("TGXH", Monthly, 500_000, Due)]
        );
        assert_eq!(
            lines(&july, late),
            [],
            "recorded in August, first paid in August"
        );
        assert_eq!(
            lines(&august, late),
            [
                line("TGXH", Monthly, 500_000, Due),
                line("TGXH", Arrears, 360_000 * 2 + 500_000, Due)
            ],
        );
        let arrears = &august.iter().find(|e| e.ssn == late).unwrap().lines[1].item;
        assert_eq!((arrears.first, arrears.last), (m("2024-05"), m("2024-07")));
        assert!(lines(&july, elsewhere).is_empty());
        assert_eq!(
            lines(&reg.due("79", "2024-07"), elsewhere),
            [line("TGXH", Monthly, 600_000, Due)],
            "the province's own level"
        );

        let ssns: Vec<Ssn> = july.iter().map(|e| e.ssn).collect();
        let mut sorted = ssns.clone();
        sorted.sort_by_key(|s| s.to_string());
        assert_eq!(ssns, sorted, "in increasing SSN order");
        let header = asxh_core::lists::RollHeader {
            version: 1,
            issued_at: 1,
            next_update: 2,
            base_version: None,
            area: AreaCode::parse(commune).unwrap(),
            month: m("2024-07"),
        };
        asxh_core::lists::Roll::new(header, july).expect("ready for Roll::new");
    }

    #[test]
    fn a_decision_raised_to_a_higher_category_is_owed_only_the_difference_in_arrears() {
        let reg = Register::new();
        let ssn = reg.person("051146000011", "51.22903");
        reg.decide(
            DecisionFor::Person(ssn),
            "TGXH",
            "NCT80",
            tgxh(100),
            "2024-01",
            None,
            "2024-01-10",
            None,
        );
        reg.decide(
            DecisionFor::Person(ssn),
            "TGXH",
            "NKT-NANG",
            tgxh(150),
            "2024-06",
            None,
            "2024-08-02",
            None,
        );
        let august = reg.due("51", "2024-08");
        // June: 540,000 − 360,000; July: 750,000 − 500,000.
        assert_eq!(
            lines(&august, ssn),
            [
                line("TGXH", ItemKind::Monthly, 750_000, LineStatus::Due),
                line(
                    "TGXH",
                    ItemKind::Arrears,
                    180_000 + 250_000,
                    LineStatus::Due
                )
            ]
        );
    }

    #[test]
    fn months_settled_before_the_register_are_no_arrears() {
        let reg = Register::new();
        let ssn = reg.person("051146000013", "51.22903");
        let decision = Decision {
            holder: DecisionFor::Person(ssn),
            program: ProgramCode::parse("TGXH").unwrap(),
            category: CategoryCode::parse("NCT80").unwrap(),
            rule: tgxh(100),
            decision_no: DecisionNumber::parse("7/QĐ-UBND").unwrap(),
            decision_date: day("2021-06-01"),
            paid_from: m("2021-07"),
            paid_until: None,
            settled_until: Some(m("2024-06")),
            recipient: None,
        };
        record(&reg.store, &reg.grant, decision, day("2024-08-03")).unwrap();
        assert_eq!(
            lines(&reg.due("51", "2024-08"), ssn),
            [
                line("TGXH", ItemKind::Monthly, 500_000, LineStatus::Due),
                line("TGXH", ItemKind::Arrears, 500_000, LineStatus::Due)
            ],
            "July only: the old system paid until June"
        );
    }

    #[test]
    fn a_coefficient_without_a_base_level_in_force_is_an_error_naming_the_program() {
        let reg = Register::new();
        let ssn = reg.person("051146000012", "51.22903");
        reg.decide(
            DecisionFor::Person(ssn),
            "BTXH",
            "X",
            tgxh(100),
            "2024-01",
            None,
            "2024-01-10",
            None,
        );
        let err = reg
            .store
            .read(|c| due(c, &AreaCode::parse("51").unwrap(), m("2024-02")))
            .unwrap_err();
        assert!(err.to_string().contains("no base level of BTXH"), "{err}");
    }
}
