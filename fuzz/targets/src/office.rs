//! Targets of what the issuing side reads: the province's list in the personalizer (any file
//! through the sheet reader: XLSX, CSV in any encoding Excel writes) and the
//! JSON bodies of the server's `POST /v1/cards` and `POST /v1/revocations`.

use asxh_api::IssueRequest;
use asxh_core::lists::RevocationReason;
use asxh_core::view::EntitlementView;
use asxh_core::{CardSerial, Date, Ssn};
use asxh_personalizer::batch::read_list_bytes;
use asxh_server::api::{parse_json, parse_revocation_request};
use asxh_server::registry::{CheckedIssueRequest, RevocationTarget};
use asxh_text::Lang;

/// A batch list file, read as the batch reads it (workbook or text, encoding and delimiter
/// detected). Read with a fixed today, so that a replay gives the same answer any day. An
/// accepted list has rows in file order after the header, its valid rows have distinct SSNs,
/// and every invalid row says why.
pub fn batch_csv(data: &[u8]) {
    let today = Date::parse("today", "2026-11-25").expect("a date");
    match read_list_bytes(data, today, Lang::Vi) {
        Ok(list) => {
            assert!(!list.rows.is_empty(), "an accepted list has rows");
            assert!(list.rows[0].line >= 2, "the header comes first");
            assert!(
                list.rows.windows(2).all(|w| w[0].line < w[1].line),
                "rows are in file order"
            );
            let mut ssns: Vec<Ssn> = list.valid().map(|r| r.request.holder().ssn()).collect();
            ssns.sort_unstable_by_key(ToString::to_string);
            assert!(
                ssns.windows(2).all(|w| w[0] != w[1]),
                "the valid rows have each SSN once"
            );
            for row in &list.rows {
                if let Err(problems) = &row.outcome {
                    assert!(!problems.is_empty(), "an invalid row says why");
                }
            }
        }
        Err(problems) => assert!(!problems.is_empty(), "a refused list says why"),
    }
}

/// A JSON request body, read both as an issue request (deserialized, then every field checked
/// as the handler does) and as a revocation request. What is accepted is consistent: the
/// holder has the request's SSN and area, entitlements convert to their view and back, a
/// serial or reason prints as text that parses to itself.
pub fn server_request_bodies(data: &[u8]) {
    if let Ok(request) = parse_json::<IssueRequest>(data) {
        if let Ok(checked) = CheckedIssueRequest::parse(&request) {
            assert_eq!(checked.holder.ssn(), checked.ssn);
            assert_eq!(checked.holder.area(), &checked.area);
            assert_eq!(checked.holder.sex(), checked.sex);
            assert_eq!(checked.holder.date_of_birth(), checked.dob);
            assert!(checked.entitlements.len() <= asxh_core::credential::MAX_ENTITLEMENTS);
            for entitlement in &checked.entitlements {
                assert_eq!(
                    &EntitlementView::from(entitlement)
                        .to_entitlement()
                        .expect("the view of a valid entitlement converts back"),
                    entitlement
                );
            }
            if let Some((serial, reason)) = checked.replaces {
                check_serial_and_reason(serial, reason);
            }
        }
    }
    if let Ok((target, reason)) = parse_revocation_request(data) {
        match target {
            RevocationTarget::Serial(serial) => check_serial_and_reason(serial, reason),
            RevocationTarget::Ssn(ssn) => {
                assert_eq!(Ssn::parse(&ssn.to_string()).ok(), Some(ssn));
            }
        }
    }
}

fn check_serial_and_reason(serial: CardSerial, reason: RevocationReason) {
    assert_eq!(CardSerial::parse(&serial.to_string()).ok(), Some(serial));
    assert_eq!(RevocationReason::parse(reason.as_str()).ok(), Some(reason));
}
