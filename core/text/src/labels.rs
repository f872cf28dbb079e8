//! The labels of codes: program titles, revocation reasons, sexes, card statuses and account
//! roles, each the [`Msg`] of its code. Codes of closed lists are matched exhaustively, so a new
//! revocation reason or sex does not compile until it has its text.

use asxh_core::entitlement::ProgramCode;
use asxh_core::lists::RevocationReason;
use asxh_core::Sex;

use crate::{Lang, Msg};

/// The title of a program, when its code is one of the known ones (the list is open).
pub fn program(code: &ProgramCode) -> Option<Msg> {
    Some(match code.as_str() {
        "TGXH" => Msg::ProgramTgxh,
        "NCC" => Msg::ProgramNcc,
        "HN" => Msg::ProgramHn,
        "HCN" => Msg::ProgramHcn,
        "BHYT" => Msg::ProgramBhyt,
        "BHXH" => Msg::ProgramBhxh,
        "BHTN" => Msg::ProgramBhtn,
        _ => return None,
    })
}

/// Why a card was revoked, for clerks.
pub fn reason(reason: RevocationReason) -> Msg {
    match reason {
        RevocationReason::Lost => Msg::ReasonLost,
        RevocationReason::Stolen => Msg::ReasonStolen,
        RevocationReason::Damaged => Msg::ReasonDamaged,
        RevocationReason::Deceased => Msg::ReasonDeceased,
        RevocationReason::Error => Msg::ReasonError,
        RevocationReason::Replaced => Msg::ReasonReplaced,
    }
}

/// Sex as a label.
pub fn sex(sex: Sex) -> Msg {
    match sex {
        Sex::Male => Msg::SexMale,
        Sex::Female => Msg::SexFemale,
    }
}

/// A card's status on the server (`pending`, `active`, `revoked`, `void`).
pub fn card_status(status: &str) -> Msg {
    match status {
        "pending" => Msg::StatusPending,
        "active" => Msg::StatusActive,
        "revoked" => Msg::StatusRevoked,
        "void" => Msg::StatusVoid,
        _ => Msg::StatusUnknown,
    }
}

/// An event of a card's history as the server records it (`issued`, `activated`, `voided`,
/// `revoked`, `replacement requested`).
pub fn card_event(event: &str) -> Option<Msg> {
    Some(match event {
        "issued" => Msg::EventIssued,
        "activated" => Msg::EventActivated,
        "voided" => Msg::EventVoided,
        "revoked" => Msg::EventRevoked,
        "replacement requested" => Msg::EventReplacementRequested,
        _ => return None,
    })
}

/// An account's role on the server (`admin`, `office`, `payment-point`, `auditor`,
/// `data-entry`).
pub fn role(role: &str) -> Option<Msg> {
    Some(match role {
        "admin" => Msg::RoleAdmin,
        "office" => Msg::RoleOffice,
        "payment-point" => Msg::RolePaymentPoint,
        "auditor" => Msg::RoleAuditor,
        "data-entry" => Msg::RoleDataEntry,
        _ => return None,
    })
}

/// The labels in one language, from the codes as they are stored and sent.
impl Lang {
    /// The title of the program `code`, when it is a known one.
    pub fn program(self, code: &str) -> Option<&'static str> {
        let code = ProgramCode::parse(code).ok()?;
        program(&code).map(|m| self.text(m))
    }

    /// The label of a card status.
    pub fn status(self, status: &str) -> &'static str {
        self.text(card_status(status))
    }

    /// The label of a sex code (`M`, `F`; anything else is unknown).
    pub fn sex(self, code: &str) -> &'static str {
        self.text(Sex::from_bytes(code.as_bytes()).map_or(Msg::SexUnknown, sex))
    }

    /// The label of a revocation reason code, capitalised; an unknown code as it is.
    pub fn reason(self, code: &str) -> String {
        match RevocationReason::parse(code) {
            Ok(r) => capitalize(self.text(reason(r))),
            Err(_) => code.to_owned(),
        }
    }

    /// The label of a card history event; an unknown one as it is.
    pub fn card_event(self, event: &str) -> &str {
        card_event(event).map_or(event, |m| self.text(m))
    }

    /// Who did something, from the audit log's and card history's form (`office#3@QNG-01`,
    /// `admin#2`, `cli`): `Đơn vị cấp thẻ #3 (QNG-01)`, `Quản trị #2`, the operator.
    pub fn actor(self, actor: &str) -> String {
        if actor == "cli" {
            return self.text(Msg::ActorOperator).to_owned();
        }
        let Some((role_code, rest)) = actor.split_once('#') else {
            return actor.to_owned();
        };
        let Some(role) = role(role_code) else {
            return actor.to_owned();
        };
        let role = self.text(role);
        match rest.split_once('@') {
            Some((id, office)) => format!("{role} #{id} ({office})"),
            None => format!("{role} #{rest}"),
        }
    }

    /// The label of an account role; `?` for an unknown one.
    pub fn role(self, code: &str) -> &'static str {
        role(code).map_or("?", |m| self.text(m))
    }
}

fn capitalize(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_codes_are_read_as_the_credential_writes_them() {
        assert_eq!(Lang::En.program("bhyt"), Some("Health insurance"));
        assert_eq!(Lang::Vi.program("TGXH"), Some("Trợ giúp xã hội"));
        assert_eq!(Lang::Vi.program("XYZ"), None);
        assert_eq!(Lang::Vi.program("T"), None, "not a program code");
    }

    #[test]
    fn every_revocation_reason_reads_in_both_languages_and_in_english_is_its_code() {
        for r in RevocationReason::ALL {
            assert_eq!(Lang::En.text(reason(r)), r.as_str());
            assert_ne!(Lang::Vi.text(reason(r)), r.as_str());
        }
        assert_eq!(Lang::Vi.reason("lost"), "Mất thẻ");
        assert_eq!(Lang::En.reason("deceased"), "Deceased");
        assert_eq!(Lang::En.reason("whatever"), "whatever");
    }

    #[test]
    fn unknown_statuses_sexes_and_roles_still_get_a_label() {
        assert_eq!(Lang::Vi.status("active"), "Đang hiệu lực");
        assert_eq!(Lang::En.status("later"), "Unknown");
        assert_eq!(Lang::Vi.sex("F"), "Nữ");
        assert_eq!(Lang::En.sex("X"), "Unknown");
        assert_eq!(Lang::En.role("payment-point"), "Payment point");
        assert_eq!(Lang::Vi.role("root"), "?");
    }

    #[test]
    fn history_events_and_their_actors_read_in_words() {
        assert_eq!(Lang::Vi.card_event("activated"), "Kích hoạt thẻ");
        assert_eq!(Lang::En.card_event("revoked"), "Revoked");
        assert_eq!(Lang::Vi.card_event("something new"), "something new");
        assert_eq!(
            Lang::Vi.actor("office#1@QNG-01"),
            "Đơn vị cấp thẻ #1 (QNG-01)"
        );
        assert_eq!(Lang::En.actor("admin#2"), "Administrator #2");
        assert_eq!(Lang::Vi.actor("cli"), "Người vận hành máy chủ (dòng lệnh)");
        assert_eq!(Lang::Vi.actor("robot#9"), "robot#9");
    }
}
