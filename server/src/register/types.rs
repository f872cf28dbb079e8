//! The register's values, each parsed once where it enters (a request, the command line or a
//! row) into a type that can only hold a valid one: decision numbers, household codes, who a
//! decision is for, the amount rule, statuses and their reasons, recipients.

use std::fmt;

use asxh_core::lists::roll::RecipientRole;
use asxh_core::lists::Month;
use asxh_core::{AreaCode, CategoryCode, Date, IdNumber, PersonName, ProgramCode, Ssn};

use crate::amounts::{Coefficient, Rule};
use crate::error::{Result, ServerError};

/// Largest coefficient (hundredths): 10.00 × the base level.
pub const MAX_COEFFICIENT: u32 = 1_000;

/// Checked free text: trimmed, 1 to `max` characters, no control characters.
fn text(field: &'static str, value: &str, max: usize, what: &str) -> Result<String> {
    let t = value.trim();
    if t.is_empty() || t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(ServerError::invalid(
            field,
            format!("{value:?} is not {what} (1 to {max} characters, no control characters)"),
        ));
    }
    Ok(t.to_owned())
}

/// A decision number (số quyết định), as the decision writes it: `125/QĐ-UBND`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionNumber(String);

impl DecisionNumber {
    pub fn parse(value: &str) -> Result<Self> {
        text(
            "decision_no",
            value,
            60,
            "a decision number such as 125/QĐ-UBND",
        )
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A household code (mã hộ): one code from the province to the commune, 4 to 32 of
/// `A-Z 0-9 . - /`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HouseholdCode(String);

impl HouseholdCode {
    pub fn parse(value: &str) -> Result<Self> {
        let t = value.trim().to_ascii_uppercase();
        if !(4..=32).contains(&t.len())
            || !t
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-./".contains(&b))
        {
            return Err(ServerError::invalid(
                "household",
                format!("{value:?} is not a household code (4 to 32 of A-Z 0-9 . - /)"),
            ));
        }
        Ok(Self(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HouseholdCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whom a decision is for: one beneficiary, or a household (poor and near-poor status), whose
/// members it then applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionFor {
    Person(Ssn),
    Household(HouseholdCode),
}

/// The amount rule of a decision, from its two optional request fields.
pub fn rule(coefficient: Option<u32>, fixed_vnd: Option<u64>) -> Result<Rule> {
    match (coefficient, fixed_vnd) {
        (Some(c), None) if (1..=MAX_COEFFICIENT).contains(&c) => {
            Ok(Rule::Coefficient(Coefficient(c)))
        }
        (Some(c), None) => Err(ServerError::invalid(
            "coefficient",
            format!(
                "{c} is not a coefficient in hundredths from 1 to {MAX_COEFFICIENT} (1.5 is 150)"
            ),
        )),
        (None, Some(a)) if (1..=asxh_core::entitlement::MAX_AMOUNT_VND).contains(&a) => {
            Ok(Rule::Fixed(a))
        }
        (None, Some(a)) => Err(ServerError::invalid(
            "fixed_vnd",
            format!(
                "{a} is not an amount from 1 to {} VND",
                asxh_core::entitlement::MAX_AMOUNT_VND
            ),
        )),
        _ => Err(ServerError::invalid(
            "coefficient",
            "give exactly one of coefficient (hundredths of the base level) or fixed_vnd",
        )),
    }
}

/// Why an entitlement is suspended (tạm dừng).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspendReason {
    /// Not collected for three months in a row.
    NotCollected,
    /// Under review (a check of eligibility is under way).
    UnderReview,
    Other,
}

/// Why an entitlement is stopped (thôi hưởng).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    Deceased,
    MovedAway,
    NoLongerEligible,
}

/// Declares `as_str`, `parse` and `ALL` of a reason enum from its codes.
macro_rules! codes {
    ($ty:ident, $field:literal, $($variant:ident = $code:literal,)*) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $code,)*
                }
            }

            pub fn parse(text: &str) -> Result<Self> {
                Self::ALL.iter().copied().find(|r| r.as_str() == text).ok_or_else(|| {
                    ServerError::invalid(
                        $field,
                        format!(
                            "{text:?} is not one of {}",
                            Self::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    )
                })
            }
        }
    };
}

codes!(
    SuspendReason,
    "reason",
    NotCollected = "not_collected",
    UnderReview = "under_review",
    Other = "other",
);
codes!(
    StopReason,
    "reason",
    Deceased = "deceased",
    MovedAway = "moved_away",
    NoLongerEligible = "not_eligible",
);

/// Where an entitlement stands, with the reason and day of a suspension or stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Suspended { reason: SuspendReason, on: Date },
    Stopped { reason: StopReason, on: Date },
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Suspended { .. } => "suspended",
            Status::Stopped { .. } => "stopped",
        }
    }

    /// The status of a row's `status`, `reason` and `status_on` columns.
    pub fn from_columns(status: &str, reason: Option<&str>, on: Option<&str>) -> Result<Self> {
        let on = || -> Result<Date> {
            Date::parse("status_on", on.unwrap_or_default()).map_err(ServerError::from)
        };
        let reason = reason.unwrap_or_default();
        match status {
            "active" => Ok(Status::Active),
            "suspended" => Ok(Status::Suspended {
                reason: SuspendReason::parse(reason)?,
                on: on()?,
            }),
            "stopped" => Ok(Status::Stopped {
                reason: StopReason::parse(reason)?,
                on: on()?,
            }),
            other => Err(ServerError::Storage(format!(
                "entitlement status {other:?} in the database"
            ))),
        }
    }

    /// The `reason` and `status_on` columns.
    pub fn columns(self) -> (Option<&'static str>, Option<String>) {
        match self {
            Status::Active => (None, None),
            Status::Suspended { reason, on } => (Some(reason.as_str()), Some(on.to_string())),
            Status::Stopped { reason, on } => (Some(reason.as_str()), Some(on.to_string())),
        }
    }
}

/// A guardian (người giám hộ) or an authorised person (người được ủy quyền) who may collect
/// an entitlement: their 12-digit identity number, the document that makes them so and the
/// days it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub role: RecipientRole,
    pub name: PersonName,
    pub id_number: IdNumber,
    /// The guardianship decision or the letter of authorisation (giấy ủy quyền), by its number.
    pub document: String,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
}

impl Recipient {
    pub fn new(
        role: &str,
        name: &str,
        id_number: &str,
        document: &str,
        valid_from: &str,
        valid_until: Option<&str>,
    ) -> Result<Self> {
        let role = RecipientRole::parse(role)?;
        let name = PersonName::parse("recipient.name", name)?;
        let id_number = IdNumber::parse(id_number)?;
        if id_number.as_str().len() != 12 {
            return Err(ServerError::invalid(
                "recipient.id_number",
                format!("{:?} is not a 12-digit identity number", id_number.as_str()),
            ));
        }
        let document = text(
            "recipient.document",
            document,
            120,
            "the authorisation document's number",
        )?;
        let valid_from = Date::parse("recipient.valid_from", valid_from)?;
        let valid_until = valid_until
            .map(|d| Date::parse("recipient.valid_until", d))
            .transpose()?;
        if valid_until.is_some_and(|u| u < valid_from) {
            return Err(ServerError::invalid(
                "recipient.valid_until",
                "the authorisation ends before it begins",
            ));
        }
        Ok(Recipient {
            role,
            name,
            id_number,
            document,
            valid_from,
            valid_until,
        })
    }
}

/// A recorded decision, as a request or the command line gives it.
#[derive(Debug, Clone)]
pub struct Decision {
    pub holder: DecisionFor,
    pub program: ProgramCode,
    pub category: CategoryCode,
    pub rule: Rule,
    pub decision_no: DecisionNumber,
    pub decision_date: Date,
    pub paid_from: Month,
    /// The last month paid; `None`: until a change ends it.
    pub paid_until: Option<Month>,
    /// The last month already paid before the decision is recorded here (by the system the
    /// register replaces): no arrears for it or the months before.
    pub settled_until: Option<Month>,
    pub recipient: Option<Recipient>,
}

impl Decision {
    /// Checks that the decision pays at least one month and was not signed after `today`.
    pub fn check(self, today: Date) -> Result<Self> {
        if self.paid_until.is_some_and(|u| u < self.paid_from) {
            return Err(ServerError::invalid(
                "paid_until",
                format!(
                    "the last month paid is before the first, {}",
                    self.paid_from
                ),
            ));
        }
        if self.settled_until.is_some_and(|s| s >= Month::of(today)) {
            return Err(ServerError::invalid(
                "settled_until",
                format!("months from {} on are not paid yet", Month::of(today)),
            ));
        }
        if self.decision_date > today {
            return Err(ServerError::invalid(
                "decision_date",
                format!("{} is after today", self.decision_date),
            ));
        }
        Ok(self)
    }
}

/// A base level of a program from a month, as an administrator sets it.
#[derive(Debug, Clone)]
pub struct BaseLevelChange {
    pub program: ProgramCode,
    /// The province whose own level this is; `None`: the national level.
    pub province: Option<AreaCode>,
    pub from: Month,
    pub amount_vnd: u64,
    /// The decree or decision that sets it (Nghị định 76/2024/NĐ-CP).
    pub decree: String,
}

impl BaseLevelChange {
    pub fn new(
        program: &str,
        province: Option<&str>,
        from: &str,
        amount_vnd: u64,
        decree: &str,
    ) -> Result<Self> {
        let province = province.map(AreaCode::parse).transpose()?;
        if let Some(p) = &province {
            if p.components().count() != 1 {
                return Err(ServerError::invalid(
                    "province",
                    format!("{p} is not a province's two-digit area code"),
                ));
            }
        }
        if !(1..=asxh_core::entitlement::MAX_AMOUNT_VND).contains(&amount_vnd) {
            return Err(ServerError::invalid(
                "amount_vnd",
                format!("{amount_vnd} is not an amount of 1 VND or more"),
            ));
        }
        Ok(BaseLevelChange {
            program: ProgramCode::parse(program)?,
            province,
            from: Month::parse("from", from)?,
            amount_vnd,
            decree: text(
                "decree",
                decree,
                120,
                "the decree's number such as 76/2024/NĐ-CP",
            )?,
        })
    }
}
