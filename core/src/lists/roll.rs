//! The payment roll (danh sách chi trả, SPEC.md §17): for one area and month, what each
//! beneficiary is due — program, amount, arrears and one-off payments as separate lines, and who
//! may collect — signed by the roll key, full (profile 09) or as a delta since a version (0A).
//! Keyed by SSN, so a replacement card needs no roll change. Compact for weak links: the SSNs
//! as a Golomb–Rice coded set (as the revocation list's serials), the rest as a record stream
//! (tables of the distinct items and recipients, then each entry's lines in LEB128), raw-DEFLATE
//! compressed.

use std::collections::HashMap;
use std::fmt;

use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

use crate::area::AreaCode;
use crate::date::{Date, PartialDate};
use crate::entitlement::{CategoryCode, IdNumber, ProgramCode, MAX_AMOUNT_VND};
use crate::envelope::{Envelope, Profile, BODY_TAG};
use crate::error::{DateForm, FormatError, Problem, Result};
use crate::golomb;
use crate::holder::PersonName;
use crate::signature::{PublicKey, SigningKey};
use crate::ssn::Ssn;
use crate::tlv::{self, Children};

use super::leb128::{push_leb128, read_leb128};
use super::{rice_parameter, uint, Head};

/// Largest encoded roll or delta.
pub const MAX_ROLL_LEN: usize = 16 << 20;
/// Largest record stream a roll may inflate to; a decoder stops inflating beyond it.
pub const MAX_RECORDS_LEN: usize = 16 << 20;
/// Most lines one beneficiary's entry may hold.
pub const MAX_LINES: usize = 32;

/// Tags of the roll body after the common 80–85 (SPEC.md §17.1).
mod body {
    pub const AREA: u32 = 0x86;
    pub const MONTH: u32 = 0x87;
    pub const COUNT: u32 = 0x88;
    pub const FIRST_SSN: u32 = 0x89;
    pub const RICE_PARAMETER: u32 = 0x8A;
    pub const CODED_SSNS: u32 = 0x8B;
    pub const RECORDS: u32 = 0x8C;
}

/// The largest SSN read as an integer.
const MAX_SSN: u64 = 999_999_999_999;

/// A calendar month, counted from 2000-01 (month 0).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(u16);

impl Month {
    /// The last month a roll may name (2179-12).
    pub const MAX: Month = Month(179 * 12 + 11);

    /// The month `index` months after 2000-01.
    pub fn from_index(field: &'static str, index: u64) -> Result<Self> {
        u16::try_from(index)
            .ok()
            .map(Month)
            .filter(|m| *m <= Month::MAX)
            .ok_or_else(|| FormatError::field(field, format!("month {index} is after 2179-12")))
    }

    /// Months since 2000-01: the record stream's form.
    pub fn index(self) -> u16 {
        self.0
    }

    pub fn from_ym(field: &'static str, year: u16, month: u8) -> Result<Self> {
        if !(2000..=2179).contains(&year) || !(1..=12).contains(&month) {
            return Err(FormatError::invalid(
                field,
                Problem::RollMonthOutOfRange {
                    text: format!("{year:04}-{month:02}"),
                },
            ));
        }
        Ok(Month((year - 2000) * 12 + u16::from(month) - 1))
    }

    /// Parses `YYYY-MM`.
    pub fn parse(field: &'static str, text: &str) -> Result<Self> {
        match PartialDate::parse(field, text) {
            Ok(PartialDate::YearMonth(y, m)) => Month::from_ym(field, y, m),
            _ => Err(FormatError::invalid(
                field,
                Problem::DateForm {
                    text: text.to_owned(),
                    expected: DateForm::Month,
                },
            )),
        }
    }

    /// The month of a day.
    pub fn of(day: Date) -> Month {
        Month((day.year() as u16 - 2000) * 12 + u16::from(day.month()) - 1)
    }

    pub fn year(self) -> u16 {
        2000 + self.0 / 12
    }

    pub fn month(self) -> u8 {
        (self.0 % 12) as u8 + 1
    }

    pub(crate) fn to_bcd(self) -> Vec<u8> {
        PartialDate::YearMonth(self.year(), self.month()).to_bcd()
    }

    pub(crate) fn from_bcd(bytes: &[u8]) -> Result<Self> {
        match PartialDate::from_bcd("month", bytes)? {
            PartialDate::YearMonth(y, m) => Month::from_ym("month", y, m),
            _ => Err(FormatError::field("month", "must be YYYY-MM (3 bytes BCD)")),
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl fmt::Debug for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Month({self})")
    }
}

/// What kind of payment a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// This month's allowance (trợ cấp hằng tháng).
    Monthly = 1,
    /// Arrears (truy lĩnh) for the months from first to last.
    Arrears = 2,
    /// A one-off payment (chi trả một lần), e.g. funeral support (hỗ trợ mai táng phí).
    OneOff = 3,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Monthly, ItemKind::Arrears, ItemKind::OneOff];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Monthly => "monthly",
            ItemKind::Arrears => "arrears",
            ItemKind::OneOff => "one_off",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| {
                FormatError::invalid(
                    "kind",
                    Problem::NotOneOf {
                        text: text.to_owned(),
                        choices: "monthly, arrears, one_off",
                    },
                )
            })
    }

    pub(crate) fn from_byte(b: u8) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| *k as u8 == b)
            .ok_or_else(|| FormatError::field("kind", format!("code {b:02X} is not 01 to 03")))
    }
}

/// One payable thing, shared by every line that pays it (the item table).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RollItem {
    pub program: ProgramCode,
    pub category: Option<CategoryCode>,
    pub kind: ItemKind,
    pub amount_vnd: u64,
    /// The months the payment covers, both included (for a monthly line, the roll's month).
    pub first: Month,
    pub last: Month,
}

impl RollItem {
    /// Checks the amount (1 to 999 999 999 999 VND) and that `first` is not after `last`.
    pub fn new(
        program: ProgramCode,
        category: Option<CategoryCode>,
        kind: ItemKind,
        amount_vnd: u64,
        first: Month,
        last: Month,
    ) -> Result<Self> {
        if !(1..=MAX_AMOUNT_VND).contains(&amount_vnd) {
            return Err(FormatError::field(
                "amount_vnd",
                format!("{amount_vnd} is not 1 to {MAX_AMOUNT_VND}"),
            ));
        }
        if first > last {
            return Err(FormatError::field(
                "last_month",
                format!("{last} is before the first month {first}"),
            ));
        }
        Ok(RollItem {
            program,
            category,
            kind,
            amount_vnd,
            first,
            last,
        })
    }
}

/// The legal role of someone who collects for the beneficiary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecipientRole {
    /// Người giám hộ.
    Guardian = 1,
    /// Người được ủy quyền.
    Authorised = 2,
}

impl RecipientRole {
    pub const ALL: [RecipientRole; 2] = [RecipientRole::Guardian, RecipientRole::Authorised];

    pub fn as_str(self) -> &'static str {
        match self {
            RecipientRole::Guardian => "guardian",
            RecipientRole::Authorised => "authorised",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| {
                FormatError::invalid(
                    "role",
                    Problem::NotOneOf {
                        text: text.to_owned(),
                        choices: "guardian, authorised",
                    },
                )
            })
    }

    pub(crate) fn from_byte(b: u8) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| *r as u8 == b)
            .ok_or_else(|| FormatError::field("role", format!("code {b:02X} is not 01 or 02")))
    }
}

/// A guardian or an authorised person who may collect a line (the recipient table).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RollRecipient {
    pub role: RecipientRole,
    pub name: PersonName,
    pub id_number: IdNumber,
    /// The last day the authorisation holds; `None`: open-ended.
    pub valid_until: Option<Date>,
}

/// Where a line stands this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineStatus {
    /// To be paid.
    Due = 0,
    /// Paid already (a paid mark travels in a delta).
    Paid = 1,
    /// Suspended (tạm dừng): not paid this month.
    Suspended = 2,
    /// Stopped (thôi hưởng): never paid again.
    Stopped = 3,
    /// Paid into an account: not at the counter.
    PaidByAccount = 4,
}

impl LineStatus {
    pub const ALL: [LineStatus; 5] = [
        LineStatus::Due,
        LineStatus::Paid,
        LineStatus::Suspended,
        LineStatus::Stopped,
        LineStatus::PaidByAccount,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::Due => "due",
            LineStatus::Paid => "paid",
            LineStatus::Suspended => "suspended",
            LineStatus::Stopped => "stopped",
            LineStatus::PaidByAccount => "paid_by_account",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                FormatError::invalid(
                    "status",
                    Problem::NotOneOf {
                        text: text.to_owned(),
                        choices: "due, paid, suspended, stopped, paid_by_account",
                    },
                )
            })
    }

    fn from_byte(b: u8) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|s| *s as u8 == b)
            .ok_or_else(|| FormatError::field("status", format!("code {b:02X} is not 00 to 04")))
    }
}

/// One line of a beneficiary's entry, with its item and recipient written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollLine {
    pub item: RollItem,
    /// `None`: only the holder collects.
    pub recipient: Option<RollRecipient>,
    pub status: LineStatus,
}

/// A line as [`Roll::lookup`] finds it: its item and recipient borrowed from the roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineView<'a> {
    pub item: &'a RollItem,
    pub recipient: Option<&'a RollRecipient>,
    pub status: LineStatus,
}

impl LineView<'_> {
    pub fn to_line(&self) -> RollLine {
        RollLine {
            item: self.item.clone(),
            recipient: self.recipient.cloned(),
            status: self.status,
        }
    }
}

/// One beneficiary's lines. In a delta, an entry without lines removes the beneficiary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollEntry {
    pub ssn: Ssn,
    pub lines: Vec<RollLine>,
}

/// What a roll is about and which publication it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollHeader {
    pub version: u64,
    pub issued_at: u64,
    pub next_update: u64,
    /// `Some` for a delta: the version it applies to.
    pub base_version: Option<u64>,
    /// The commune (or larger area) the roll pays in.
    pub area: AreaCode,
    pub month: Month,
}

/// A line as the roll stores it: indices into the item and recipient tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineRef {
    item: u32,
    /// Index + 1 into the recipient table; 0: only the holder collects.
    recipient: u32,
    status: LineStatus,
}

/// A signed payment roll or delta, decoded. Entries are in increasing SSN order and looked up
/// by SSN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roll {
    pub header: RollHeader,
    items: Vec<RollItem>,
    recipients: Vec<RollRecipient>,
    /// SSNs as integers, strictly increasing.
    ssns: Vec<u64>,
    /// `lines[starts[i]..starts[i + 1]]` are the lines of `ssns[i]`.
    starts: Vec<u32>,
    lines: Vec<LineRef>,
}

impl Roll {
    /// Builds a roll from entries (any order; each SSN once). A full roll's entries each have
    /// 1 to [`MAX_LINES`] lines; a delta's 0 (removal) to [`MAX_LINES`].
    pub fn new(header: RollHeader, mut entries: Vec<RollEntry>) -> Result<Self> {
        Head {
            version: header.version,
            issued_at: header.issued_at,
            next_update: header.next_update,
            base_version: header.base_version,
        }
        .check()?;
        entries.sort_by_key(|e| e.ssn);
        if let Some(w) = entries.windows(2).find(|w| w[0].ssn == w[1].ssn) {
            return Err(FormatError::field(
                "entries",
                format!("SSN {} appears twice", w[0].ssn),
            ));
        }
        let delta = header.base_version.is_some();
        let mut item_index: HashMap<RollItem, u32> = HashMap::new();
        let mut recipient_index: HashMap<RollRecipient, u32> = HashMap::new();
        let mut roll = Roll {
            header,
            items: Vec::new(),
            recipients: Vec::new(),
            ssns: Vec::with_capacity(entries.len()),
            starts: Vec::with_capacity(entries.len() + 1),
            lines: Vec::new(),
        };
        roll.starts.push(0);
        for entry in entries {
            check_line_count(entry.lines.len(), delta)?;
            for line in entry.lines {
                let item = *item_index.entry(line.item).or_insert_with_key(|i| {
                    roll.items.push(i.clone());
                    (roll.items.len() - 1) as u32
                });
                let recipient = match line.recipient {
                    None => 0,
                    Some(r) => {
                        1 + *recipient_index.entry(r).or_insert_with_key(|r| {
                            roll.recipients.push(r.clone());
                            (roll.recipients.len() - 1) as u32
                        })
                    }
                };
                roll.lines.push(LineRef {
                    item,
                    recipient,
                    status: line.status,
                });
            }
            roll.ssns.push(entry.ssn.number());
            roll.starts.push(roll.lines.len() as u32);
        }
        Ok(roll)
    }

    pub fn is_delta(&self) -> bool {
        self.header.base_version.is_some()
    }

    /// Number of beneficiaries (for a delta: of entries changed or removed).
    pub fn len(&self) -> usize {
        self.ssns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ssns.is_empty()
    }

    /// Number of lines over all entries.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The lines of `ssn`, borrowed from the roll's tables; `None` when the roll has no entry
    /// for it.
    pub fn lookup(&self, ssn: Ssn) -> Option<Vec<LineView<'_>>> {
        let i = self.ssns.binary_search(&ssn.number()).ok()?;
        Some(
            self.lines[self.starts[i] as usize..self.starts[i + 1] as usize]
                .iter()
                .map(|l| LineView {
                    item: &self.items[l.item as usize],
                    recipient: l
                        .recipient
                        .checked_sub(1)
                        .map(|r| &self.recipients[r as usize]),
                    status: l.status,
                })
                .collect(),
        )
    }

    fn lines_of(&self, i: usize) -> Vec<RollLine> {
        self.lines[self.starts[i] as usize..self.starts[i + 1] as usize]
            .iter()
            .map(|l| RollLine {
                item: self.items[l.item as usize].clone(),
                recipient: l
                    .recipient
                    .checked_sub(1)
                    .map(|r| self.recipients[r as usize].clone()),
                status: l.status,
            })
            .collect()
    }

    /// Every entry, in SSN order.
    pub fn entries(&self) -> Vec<RollEntry> {
        (0..self.ssns.len())
            .map(|i| RollEntry {
                ssn: Ssn::from_number(self.ssns[i]).expect("SSNs are checked on entry"),
                lines: self.lines_of(i),
            })
            .collect()
    }

    /// The record stream before compression (SPEC.md §17.2).
    pub fn records(&self) -> Vec<u8> {
        let mut out = Vec::new();
        push_leb128(&mut out, self.items.len() as u64);
        for item in &self.items {
            push_text(&mut out, item.program.as_str());
            push_text(&mut out, item.category.as_ref().map_or("", |c| c.as_str()));
            out.push(item.kind as u8);
            push_leb128(&mut out, item.amount_vnd);
            push_leb128(&mut out, u64::from(item.first.index()));
            push_leb128(&mut out, u64::from(item.last.index()));
        }
        push_leb128(&mut out, self.recipients.len() as u64);
        for r in &self.recipients {
            out.push(r.role as u8);
            push_text(&mut out, r.name.as_str());
            push_text(&mut out, r.id_number.as_str());
            out.extend_from_slice(&r.valid_until.map_or([0, 0], |d| d.to_bytes()));
        }
        // Recipients are in the order of their first use: a line names the next one not used
        // yet (1), or one used before (its index + 2).
        let mut used = 0u32;
        for i in 0..self.ssns.len() {
            let lines = &self.lines[self.starts[i] as usize..self.starts[i + 1] as usize];
            push_leb128(&mut out, lines.len() as u64);
            for l in lines {
                push_leb128(&mut out, u64::from(l.item));
                let code = match l.recipient.checked_sub(1) {
                    None => 0,
                    Some(r) if r == used => {
                        used += 1;
                        1
                    }
                    Some(r) => r + 2,
                };
                push_leb128(&mut out, u64::from(code));
                out.push(l.status as u8);
            }
        }
        out
    }

    /// Signs the roll with the roll key.
    pub fn sign(&self, key: &SigningKey) -> Vec<u8> {
        let h = &self.header;
        let profile = if self.is_delta() {
            Profile::RollDelta
        } else {
            Profile::RollFull
        };
        let mut children = Head {
            version: h.version,
            issued_at: h.issued_at,
            next_update: h.next_update,
            base_version: h.base_version,
        }
        .to_tlvs(profile, key);
        // The SSNs after the first, as offsets from it: a set of positive integers whose gaps
        // are the SSN gaps.
        let rest: Vec<u64> = self.ssns.iter().skip(1).map(|s| s - self.ssns[0]).collect();
        let k = golomb::best_parameter(&rest);
        children.extend([
            tlv::primitive(body::AREA, h.area.as_str().as_bytes()),
            tlv::primitive(body::MONTH, h.month.to_bcd()),
            tlv::primitive(body::COUNT, tlv::encode_uint(self.ssns.len() as u64)),
        ]);
        if let Some(first) = self.ssns.first() {
            let first = Ssn::from_number(*first).expect("SSNs are checked on entry");
            children.push(tlv::primitive(body::FIRST_SSN, first.to_bcd().to_vec()));
        }
        children.extend([
            tlv::primitive(body::RICE_PARAMETER, vec![k]),
            tlv::primitive(body::CODED_SSNS, golomb::encode(&rest, k)),
            tlv::primitive(
                body::RECORDS,
                miniz_oxide::deflate::compress_to_vec(&self.records(), 10),
            ),
        ]);
        Envelope::sign(tlv::constructed(BODY_TAG, children), key).to_bytes()
    }

    /// Parses a full roll or a delta and checks its signature with the roll key.
    pub fn parse_verified(bytes: &[u8], key: &PublicKey) -> Result<Self> {
        Self::parse_profiles(bytes, key, &[Profile::RollFull, Profile::RollDelta])
    }

    /// Parses a full roll (profile 09; a delta is the wrong profile, `invalid_field`).
    pub fn parse_full_verified(bytes: &[u8], key: &PublicKey) -> Result<Self> {
        Self::parse_profiles(bytes, key, &[Profile::RollFull])
    }

    /// Parses a delta (profile 0A; a full roll is the wrong profile, `invalid_field`).
    pub fn parse_delta_verified(bytes: &[u8], key: &PublicKey) -> Result<Self> {
        Self::parse_profiles(bytes, key, &[Profile::RollDelta])
    }

    fn parse_profiles(bytes: &[u8], key: &PublicKey, profiles: &[Profile]) -> Result<Self> {
        let (env, profile) = Envelope::parse_one_of(bytes, profiles, MAX_ROLL_LEN)?;
        let delta = profile == Profile::RollDelta;
        env.verify(key, profile.name())?;
        let mut c = Children::of(profile.name(), env.body())?;
        let head = Head::read(&mut c, delta)?;
        let area = AreaCode::from_bytes(c.required(body::AREA)?)?;
        let month = Month::from_bcd(c.required(body::MONTH)?)?;
        let count = uint("count", &mut c, body::COUNT)?;
        let first = match (c.optional(body::FIRST_SSN)?, count) {
            (None, 0) => None,
            (Some(b), 1..) => Some(Ssn::from_bcd(b)?.number()),
            (None, _) => {
                return Err(FormatError::field(
                    "first_ssn",
                    "missing, but the roll has entries",
                ))
            }
            (Some(_), 0) => {
                return Err(FormatError::field(
                    "first_ssn",
                    "present in a roll without entries",
                ))
            }
        };
        let k = rice_parameter(c.required(body::RICE_PARAMETER)?)?;
        let rest = golomb::decode_field(
            "ssns",
            c.required(body::CODED_SSNS)?,
            k,
            count.saturating_sub(1),
            MAX_SSN - first.unwrap_or(0),
        )?;
        let ssns: Vec<u64> = first
            .into_iter()
            .chain(rest.iter().map(|r| first.unwrap_or(0) + r))
            .collect();
        let records = inflate(c.required(body::RECORDS)?)?;
        c.finish()?;
        head.check()?;
        let header = RollHeader {
            version: head.version,
            issued_at: head.issued_at,
            next_update: head.next_update,
            base_version: head.base_version,
            area,
            month,
        };
        decode_records(header, ssns, &records)
    }

    /// Applies a delta to this full roll: each of its entries replaces the whole entry of that
    /// SSN, an entry without lines removes it. The delta must be of this roll's area and month,
    /// start at this roll's version and not be older.
    pub fn apply(&mut self, delta: &Roll) -> Result<()> {
        let base = delta
            .header
            .base_version
            .ok_or_else(|| FormatError::field("base_version", "not a delta"))?;
        if delta.header.area != self.header.area || delta.header.month != self.header.month {
            return Err(FormatError::field(
                "area",
                format!(
                    "delta is for {} {}, the roll for {} {}",
                    delta.header.area, delta.header.month, self.header.area, self.header.month
                ),
            ));
        }
        if base != self.header.version {
            return Err(FormatError::field(
                "base_version",
                format!(
                    "delta starts at version {base}, the held roll is version {}",
                    self.header.version
                ),
            ));
        }
        if delta.header.version < self.header.version {
            return Err(FormatError::field(
                "version",
                format!(
                    "delta ends at version {}, older than the held roll's {}",
                    delta.header.version, self.header.version
                ),
            ));
        }
        let changes = delta.entries();
        let mut merged: Vec<RollEntry> = self
            .entries()
            .into_iter()
            .filter(|e| changes.binary_search_by_key(&e.ssn, |c| c.ssn).is_err())
            .collect();
        merged.extend(changes.into_iter().filter(|c| !c.lines.is_empty()));
        let header = RollHeader {
            version: delta.header.version,
            issued_at: delta.header.issued_at,
            next_update: delta.header.next_update,
            ..self.header.clone()
        };
        *self = Roll::new(header, merged)?;
        Ok(())
    }
}

fn check_line_count(n: usize, delta: bool) -> Result<()> {
    let least = if delta { 0 } else { 1 };
    if n < least || n > MAX_LINES {
        return Err(FormatError::field(
            "lines",
            format!("an entry has {n} lines, expected {least} to {MAX_LINES}"),
        ));
    }
    Ok(())
}

fn push_text(out: &mut Vec<u8>, text: &str) {
    push_leb128(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Raw DEFLATE (RFC 1951) inflated to at most [`MAX_RECORDS_LEN`] bytes; the compressed data
/// must end where its final block ends.
fn inflate(data: &[u8]) -> Result<Vec<u8>> {
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut out = vec![0u8; data.len().saturating_mul(4).clamp(64, MAX_RECORDS_LEN)];
    let mut state = Box::<DecompressorOxide>::default();
    let (mut read, mut written) = (0, 0);
    loop {
        let (status, consumed, produced) =
            decompress(&mut state, &data[read..], &mut out, written, flags);
        read += consumed;
        written += produced;
        match status {
            TINFLStatus::Done if read == data.len() => {
                out.truncate(written);
                return Ok(out);
            }
            TINFLStatus::Done => {
                return Err(FormatError::field(
                    "records",
                    "bytes after the end of the compressed data",
                ))
            }
            TINFLStatus::HasMoreOutput if out.len() < MAX_RECORDS_LEN => {
                let grown = out.len().saturating_mul(2).min(MAX_RECORDS_LEN);
                out.resize(grown, 0);
            }
            TINFLStatus::HasMoreOutput => {
                return Err(FormatError::field(
                    "records",
                    format!("inflate beyond {MAX_RECORDS_LEN} bytes"),
                ))
            }
            _ => {
                return Err(FormatError::field(
                    "records",
                    "not raw DEFLATE data, or it ends early",
                ))
            }
        }
    }
}

/// A cursor over the record stream.
struct Records<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Records<'_> {
    fn number(&mut self, field: &'static str) -> Result<u64> {
        read_leb128(self.bytes, &mut self.pos, field)
    }

    fn byte(&mut self, field: &'static str) -> Result<u8> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| FormatError::field(field, "the records end before it"))?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64, field: &'static str) -> Result<&[u8]> {
        let end = usize::try_from(n)
            .ok()
            .and_then(|n| self.pos.checked_add(n))
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| FormatError::field(field, "the records end inside it"))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn text(&mut self, field: &'static str) -> Result<&[u8]> {
        let n = self.number(field)?;
        self.take(n, field)
    }

    /// A table size or a line count: no more than there are bytes left (each entry takes at
    /// least one), so a forged count cannot make the decoder reserve memory.
    fn count(&mut self, field: &'static str) -> Result<usize> {
        let n = self.number(field)?;
        usize::try_from(n)
            .ok()
            .filter(|n| *n <= self.bytes.len() - self.pos)
            .ok_or_else(|| FormatError::field(field, format!("{n} is more than the records hold")))
    }

    fn month(&mut self, field: &'static str) -> Result<Month> {
        let n = self.number(field)?;
        Month::from_index(field, n)
    }
}

/// The record stream of a roll whose SSNs (strictly increasing, from the coded set) are
/// `ssns`: the tables, then one entry per SSN, and nothing after the last.
fn decode_records(header: RollHeader, ssns: Vec<u64>, bytes: &[u8]) -> Result<Roll> {
    let delta = header.base_version.is_some();
    for &ssn in &ssns {
        Ssn::from_number(ssn)?;
    }
    let mut r = Records { bytes, pos: 0 };
    let n_items = r.count("items")?;
    let mut items = Vec::with_capacity(n_items);
    for _ in 0..n_items {
        let program = ProgramCode::from_bytes(r.text("program")?)?;
        let category = match r.text("category")? {
            [] => None,
            c => Some(CategoryCode::from_bytes(c)?),
        };
        let kind = ItemKind::from_byte(r.byte("kind")?)?;
        let amount = r.number("amount_vnd")?;
        let first = r.month("first_month")?;
        let last = r.month("last_month")?;
        items.push(RollItem::new(program, category, kind, amount, first, last)?);
    }
    let n_recipients = r.count("recipients")?;
    let mut recipients = Vec::with_capacity(n_recipients);
    for _ in 0..n_recipients {
        let role = RecipientRole::from_byte(r.byte("role")?)?;
        let name = PersonName::from_bytes("recipient.name", r.text("recipient.name")?)?;
        let id_number = IdNumber::from_bytes(r.text("recipient.id_number")?)?;
        let until = r.take(2, "recipient.valid_until")?;
        let valid_until = match until {
            [0, 0] => None,
            b => Some(Date::from_bytes("recipient.valid_until", b)?),
        };
        recipients.push(RollRecipient {
            role,
            name,
            id_number,
            valid_until,
        });
    }
    let mut starts = Vec::with_capacity(ssns.len() + 1);
    starts.push(0u32);
    let mut lines = Vec::new();
    let mut used = 0usize;
    for _ in &ssns {
        let n = r.count("lines")?;
        check_line_count(n, delta)?;
        for _ in 0..n {
            let item = r.number("item")?;
            if item >= items.len() as u64 {
                return Err(FormatError::field(
                    "item",
                    format!("index {item} beyond the {} items", items.len()),
                ));
            }
            let recipient = match r.number("recipient")? {
                0 => 0,
                1 if used < recipients.len() => {
                    used += 1;
                    used as u32
                }
                1 => {
                    return Err(FormatError::field(
                        "recipient",
                        format!(
                            "a line takes a new recipient, all {} are used",
                            recipients.len()
                        ),
                    ))
                }
                code if code - 2 < used as u64 => (code - 1) as u32,
                code => {
                    return Err(FormatError::field(
                        "recipient",
                        format!(
                        "code {code} names recipient {} before its first use ({used} used so far)",
                        code - 2
                    ),
                    ))
                }
            };
            let status = LineStatus::from_byte(r.byte("status")?)?;
            lines.push(LineRef {
                item: item as u32,
                recipient,
                status,
            });
        }
        starts.push(lines.len() as u32);
    }
    if r.pos != bytes.len() {
        return Err(FormatError::field(
            "records",
            format!("{} bytes after the last entry", bytes.len() - r.pos),
        ));
    }
    if used != recipients.len() {
        return Err(FormatError::field(
            "recipients",
            format!(
                "{} of the {} recipients are never used",
                recipients.len() - used,
                recipients.len()
            ),
        ));
    }
    Ok(Roll {
        header,
        items,
        recipients,
        ssns,
        starts,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use asxh_testkit::test_key;

    fn month(text: &str) -> Month {
        Month::parse("m", text).unwrap()
    }

    fn item(program: &str, category: &str, kind: ItemKind, amount: u64, m: &str) -> RollItem {
        RollItem::new(
            ProgramCode::parse(program).unwrap(),
            CategoryCode::parse(category).ok(),
            kind,
            amount,
            month(m),
            month(m),
        )
        .unwrap()
    }

    fn guardian() -> RollRecipient {
        RollRecipient {
            role: RecipientRole::Guardian,
            name: PersonName::parse("n", "Lê Văn Tám").unwrap(),
            id_number: IdNumber::parse("051080000111").unwrap(),
            valid_until: Some(Date::parse("d", "2027-12-31").unwrap()),
        }
    }

    fn line(item: RollItem, recipient: Option<RollRecipient>, status: LineStatus) -> RollLine {
        RollLine {
            item,
            recipient,
            status,
        }
    }

    fn header(version: u64, base: Option<u64>) -> RollHeader {
        RollHeader {
            version,
            issued_at: 1_795_564_800,
            next_update: 1_795_568_400,
            base_version: base,
            area: AreaCode::parse("51.22903").unwrap(),
            month: month("2026-12"),
        }
    }

    fn ssn(text: &str) -> Ssn {
        Ssn::parse(text).unwrap()
    }

    fn sample() -> Roll {
        let monthly = item("TGXH", "BTXH-80", ItemKind::Monthly, 750_000, "2026-12");
        Roll::new(
            header(5, None),
            vec![
                RollEntry {
                    ssn: ssn("051146000002"),
                    lines: vec![
                        line(monthly.clone(), Some(guardian()), LineStatus::Due),
                        line(
                            RollItem::new(
                                ProgramCode::parse("TGXH").unwrap(),
                                CategoryCode::parse("BTXH-80").ok(),
                                ItemKind::Arrears,
                                1_400_000,
                                month("2026-10"),
                                month("2026-11"),
                            )
                            .unwrap(),
                            None,
                            LineStatus::Due,
                        ),
                    ],
                },
                RollEntry {
                    ssn: ssn("051146000001"),
                    lines: vec![line(monthly, None, LineStatus::Suspended)],
                },
            ],
        )
        .unwrap()
    }

    #[test]
    fn a_roll_round_trips_signed_and_is_looked_up_by_ssn() {
        let key = test_key("roll");
        let roll = sample();
        let parsed = Roll::parse_verified(&roll.sign(&key), key.verifying_key()).unwrap();
        assert_eq!(parsed, roll);
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed.line_count(), 3);
        let lines = parsed.lookup(ssn("051146000002")).unwrap();
        assert_eq!(lines[0].item.amount_vnd, 750_000);
        assert_eq!(lines[0].recipient, Some(&guardian()));
        assert_eq!(lines[1].item.kind, ItemKind::Arrears);
        assert_eq!(lines[1].item.first, month("2026-10"));
        assert_eq!(
            parsed.lookup(ssn("051146000001")).unwrap()[0].status,
            LineStatus::Suspended
        );
        assert!(parsed.lookup(ssn("051146000003")).is_none());
        assert_eq!(
            parsed.records()[..2],
            [2, 4],
            "two items, then the first program's length"
        );
        assert_eq!(
            parsed.records()[parsed.records().len() - 11..],
            [1, 0, 0, 2, 2, 0, 1, 0, 1, 0, 0],
            "the first entry's one line (no recipient, suspended), then the second's two: the \
             monthly item with the next recipient (1), the arrears (item 1) without one"
        );
    }

    #[test]
    fn a_delta_replaces_or_removes_whole_entries() {
        let key = test_key("roll");
        let mut roll = sample();
        let raised = item("TGXH", "BTXH-80", ItemKind::Monthly, 1_000_000, "2026-12");
        let delta = Roll::new(
            header(6, Some(5)),
            vec![
                RollEntry {
                    ssn: ssn("051146000001"),
                    lines: vec![],
                },
                RollEntry {
                    ssn: ssn("051146000002"),
                    lines: vec![line(raised.clone(), None, LineStatus::Due)],
                },
            ],
        )
        .unwrap();
        let delta = Roll::parse_delta_verified(&delta.sign(&key), key.verifying_key()).unwrap();
        roll.apply(&delta).unwrap();
        assert_eq!(roll.header.version, 6);
        assert_eq!(roll.len(), 1);
        assert!(roll.lookup(ssn("051146000001")).is_none(), "removed");
        let lines: Vec<RollLine> = roll
            .lookup(ssn("051146000002"))
            .unwrap()
            .iter()
            .map(LineView::to_line)
            .collect();
        assert_eq!(lines, [line(raised, None, LineStatus::Due)]);
        assert!(roll.apply(&delta).is_err(), "the base is now behind");
    }

    #[test]
    fn forged_truncated_and_wrong_profile_rolls_are_refused() {
        let key = test_key("roll");
        let bytes = sample().sign(&key);
        assert_eq!(
            Roll::parse_verified(&bytes, test_key("other").verifying_key())
                .unwrap_err()
                .kind(),
            "bad_signature"
        );
        let mut flipped = bytes.clone();
        let at = flipped.len() - 70;
        flipped[at] ^= 1;
        assert_eq!(
            Roll::parse_verified(&flipped, key.verifying_key())
                .unwrap_err()
                .kind(),
            "bad_signature"
        );
        assert_eq!(
            Roll::parse_delta_verified(&bytes, key.verifying_key())
                .unwrap_err()
                .kind(),
            "invalid_field"
        );
        assert!(Roll::parse_verified(&bytes[..bytes.len() - 1], key.verifying_key()).is_err());
    }

    #[test]
    fn a_full_roll_entry_needs_a_line_and_ssns_must_be_distinct() {
        let e = |n: &str| RollEntry {
            ssn: ssn(n),
            lines: vec![],
        };
        assert_eq!(
            Roll::new(header(1, None), vec![e("051146000001")])
                .unwrap_err()
                .field_name(),
            Some("lines")
        );
        assert_eq!(
            Roll::new(
                header(2, Some(1)),
                vec![e("051146000001"), e("051146000001")]
            )
            .unwrap_err()
            .field_name(),
            Some("entries")
        );
    }

    #[test]
    fn inflating_stops_at_the_limit_and_refuses_trailing_bytes() {
        let big = miniz_oxide::deflate::compress_to_vec(&vec![0u8; MAX_RECORDS_LEN + 1], 6);
        assert_eq!(inflate(&big).unwrap_err().field_name(), Some("records"));
        let mut small = miniz_oxide::deflate::compress_to_vec(b"abc", 6);
        assert_eq!(inflate(&small).unwrap(), b"abc");
        small.push(0);
        assert_eq!(inflate(&small).unwrap_err().field_name(), Some("records"));
    }

    #[test]
    fn months_count_from_2000_and_read_as_yyyy_mm() {
        assert_eq!(month("2000-01").index(), 0);
        assert_eq!(month("2026-12").index(), 26 * 12 + 11);
        assert_eq!(month("2026-12").to_string(), "2026-12");
        assert!(Month::parse("m", "2026").is_err());
        assert!(Month::parse("m", "1999-12").is_err());
        assert_eq!(
            Month::of(Date::parse("d", "2026-07-15").unwrap()),
            month("2026-07")
        );
        assert_eq!(
            Month::from_bcd(&month("2026-07").to_bcd()).unwrap(),
            month("2026-07")
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_a_roll_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let _ = Roll::parse_verified(&bytes, test_key("roll").verifying_key());
        }

        #[test]
        fn decoding_any_record_stream_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            let ssns = vec![51_146_000_001, 51_146_000_002];
            let _ = decode_records(header(1, None), ssns.clone(), &bytes);
            let _ = decode_records(header(2, Some(1)), ssns, &bytes);
        }
    }
}
