//! The wire bodies of `asxh-api` read into the register's checked values, and its records
//! written back as wire bodies: one reading for the API, the command line and the console.

use asxh_api as wire;
use asxh_core::lists::Month;
use asxh_core::{AreaCode, CategoryCode, Date, PersonName, ProgramCode, Ssn};

use super::history::{EntitlementRecord, RecipientRow};
use super::status::StatusChange;
use super::types::{
    rule, BaseLevelChange, Decision, DecisionFor, DecisionNumber, HouseholdCode, Recipient,
    StopReason, SuspendReason,
};
use super::{BaseLevelRow, Beneficiary};
use crate::error::{Result, ServerError};

pub fn beneficiary(ssn: &str, req: &wire::BeneficiaryRequest) -> Result<Beneficiary> {
    Ok(Beneficiary {
        ssn: Ssn::parse(ssn)?,
        name: PersonName::parse("full_name", &req.full_name)?,
        area: AreaCode::parse(&req.area)?,
    })
}

pub fn recipient(r: &wire::RecipientJson) -> Result<Recipient> {
    Recipient::new(
        &r.role,
        &r.name,
        &r.id_number,
        &r.document,
        &r.valid_from,
        r.valid_until.as_deref(),
    )
}

pub fn decision(req: &wire::DecisionRequest) -> Result<Decision> {
    let holder = match (&req.ssn, &req.household) {
        (Some(s), None) => DecisionFor::Person(Ssn::parse(s)?),
        (None, Some(h)) => DecisionFor::Household(HouseholdCode::parse(h)?),
        _ => {
            return Err(ServerError::invalid(
                "ssn",
                "give exactly one of ssn (a beneficiary) or household",
            ))
        }
    };
    Ok(Decision {
        holder,
        program: ProgramCode::parse(&req.program)?,
        category: CategoryCode::parse(&req.category)?,
        rule: rule(req.coefficient, req.fixed_vnd)?,
        decision_no: DecisionNumber::parse(&req.decision_no)?,
        decision_date: Date::parse("decision_date", &req.decision_date)?,
        paid_from: Month::parse("paid_from", &req.paid_from)?,
        paid_until: req
            .paid_until
            .as_deref()
            .map(|m| Month::parse("paid_until", m))
            .transpose()?,
        settled_until: req
            .settled_until
            .as_deref()
            .map(|m| Month::parse("settled_until", m))
            .transpose()?,
        recipient: req.recipient.as_ref().map(recipient).transpose()?,
    })
}

/// Which change a status request is: `kind` is the path's `suspend`, `resume` or `stop`.
pub fn status_change(
    kind: &str,
    req: &wire::StatusRequest,
) -> Result<(StatusChange, Date, Option<String>)> {
    let reason = || {
        req.reason
            .as_deref()
            .ok_or_else(|| ServerError::invalid("reason", format!("a {kind} needs a reason")))
    };
    let change = match kind {
        "suspend" => StatusChange::Suspend(SuspendReason::parse(reason()?)?),
        "stop" => StatusChange::Stop(StopReason::parse(reason()?)?),
        "resume" if req.reason.is_none() => StatusChange::Resume,
        "resume" => return Err(ServerError::invalid("reason", "a resumption has no reason")),
        other => {
            return Err(ServerError::invalid(
                "change",
                format!("{other:?} is not suspend, resume or stop"),
            ))
        }
    };
    let note = req
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            if n.chars().count() > 500 || n.chars().any(char::is_control) {
                Err(ServerError::invalid(
                    "note",
                    "a note is at most 500 characters, no control characters",
                ))
            } else {
                Ok(n.to_owned())
            }
        })
        .transpose()?;
    Ok((change, Date::parse("on", &req.on)?, note))
}

pub fn base_level(req: &wire::BaseLevelRequest) -> Result<BaseLevelChange> {
    BaseLevelChange::new(
        &req.program,
        req.province.as_deref(),
        &req.from,
        req.amount_vnd,
        &req.decree,
    )
}

fn recipient_json(r: RecipientRow) -> wire::RecipientJson {
    wire::RecipientJson {
        role: r.role,
        name: r.name,
        id_number: r.id_number,
        document: r.document,
        valid_from: r.valid_from,
        valid_until: r.valid_until,
    }
}

pub fn entitlement_json(e: EntitlementRecord) -> wire::EntitlementRecord {
    let (reason, status_on) = e.status.columns();
    wire::EntitlementRecord {
        id: e.id,
        household: e.household,
        program: e.program,
        category: e.category,
        coefficient: e.coefficient,
        fixed_vnd: e.fixed_vnd,
        decision_no: e.decision_no,
        decision_date: e.decision_date,
        paid_from: e.paid_from,
        paid_until: e.paid_until,
        first_paid: e.first_paid,
        settled_until: e.settled_until,
        status: e.status.as_str().to_owned(),
        reason: reason.map(str::to_owned),
        status_on,
        recipient: e.recipient.map(recipient_json),
        history: e
            .events
            .into_iter()
            .map(|ev| wire::EntitlementEvent {
                at: ev.at,
                actor: ev.actor,
                change: ev.change,
                detail: ev.detail,
            })
            .collect(),
    }
}

pub fn beneficiary_json(
    who: Beneficiary,
    entitlements: Vec<EntitlementRecord>,
) -> wire::BeneficiaryRecord {
    wire::BeneficiaryRecord {
        ssn: who.ssn.to_string(),
        full_name: who.name.as_str().to_owned(),
        area: who.area.as_str().to_owned(),
        entitlements: entitlements.into_iter().map(entitlement_json).collect(),
    }
}

pub fn base_level_json(row: BaseLevelRow) -> wire::BaseLevelJson {
    wire::BaseLevelJson {
        program: row.level.program.as_str().to_owned(),
        province: row.level.province.map(|p| p.as_str().to_owned()),
        from: row.level.from.to_string(),
        amount_vnd: row.level.amount_vnd,
        decree: row.decree,
    }
}
