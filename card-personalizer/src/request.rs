//! One card to issue, checked before any card is touched: the holder (SSN agreeing with sex and
//! birth year), the area, and the entitlements, from the command line's
//! `PROGRAM:CATEGORY[:AMOUNT[:FROM[:UNTIL]]]` or a CSV row. A [`CardRequest`] only exists valid;
//! its JSON is the body of `POST /v1/cards`.

use asxh_api::{IssueRequest, Replaces};
use asxh_core::view::{EntitlementView, RecipientView};
use asxh_core::{
    provinces, AreaCode, Date, FormatError, Holder, PartialDate, PersonName, Sex, Ssn,
};
use asxh_text::message::fill;
use asxh_text::problems::field_label;
use asxh_text::{Catalogued, Lang, Msg};

/// A field-level problem: the field by its name in the rows and the API (`ssn`,
/// `entitlements[1]`), and its label and what is wrong in the clerk's language. Shown as
/// `label: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub label: String,
    pub message: String,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.label.as_str() {
            "" => f.write_str(&self.message),
            label => write!(f, "{label}: {}", self.message),
        }
    }
}

impl FieldProblem {
    /// A problem already written in `lang`. A problem of a row as a whole (`row`) has no label.
    pub fn new(field: &str, lang: Lang, message: String) -> FieldProblem {
        FieldProblem {
            field: field.to_owned(),
            label: match field {
                "row" => String::new(),
                _ => field_label(field, lang),
            },
            message,
        }
    }

    /// A problem of asxh-core's with the value of `field`, worded in `lang`.
    pub fn format(field: &str, lang: Lang, e: &FormatError) -> FieldProblem {
        let message = match e {
            FormatError::InvalidField(f) => f.problem.text(lang),
            other => other.text(lang),
        };
        FieldProblem::new(field, lang, message)
    }
}

/// A valid card request.
#[derive(Debug, Clone)]
pub struct CardRequest {
    holder: Holder,
    entitlements: Vec<EntitlementView>,
    replaces: Option<(String, String)>,
}

/// The holder fields as typed. Its JSON is how a batch's job file keeps a row
/// ([`CardRequest::raw`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RawRequest {
    pub ssn: String,
    pub full_name: String,
    pub date_of_birth: String,
    pub sex: String,
    pub area_code: String,
    /// `PROGRAM:CATEGORY[:AMOUNT[:FROM[:UNTIL]]]` each.
    pub entitlements: Vec<String>,
    /// `NAME:ID-NUMBER` of an authorised recipient for every entitlement.
    pub recipient: Option<String>,
    /// `(serial, reason)` of the card this one replaces.
    pub replaces: Option<(String, String)>,
}

/// Parses `PROGRAM:CATEGORY[:AMOUNT[:FROM[:UNTIL]]]`; FROM defaults to `today`; FROM and UNTIL
/// as people write dates (`01/01/2026` or `2026-01-01`).
pub fn parse_entitlement(
    spec: &str,
    recipient: Option<&RecipientView>,
    today: Date,
    lang: Lang,
) -> Result<EntitlementView, String> {
    let quoted = format!("\"{spec}\"");
    let parts: Vec<&str> = spec.split(':').map(str::trim).collect();
    if parts.len() < 2 || parts.len() > 5 {
        return Err(fill(
            lang.text(Msg::EntitlementSpecForm),
            &[("spec", quoted)],
        ));
    }
    let amount = match parts.get(2).filter(|a| !a.is_empty()) {
        Some(a) => Some(a.replace(['.', ','], "").parse::<u64>().map_err(|_| {
            fill(
                lang.text(Msg::EntitlementAmountNotWhole),
                &[("spec", quoted.clone()), ("amount", format!("\"{a}\""))],
            )
        })?),
        None => None,
    };
    let in_spec = |e: FormatError| {
        fill(
            lang.text(Msg::EntitlementSpecProblem),
            &[("spec", quoted.clone()), ("problem", e.text(lang))],
        )
    };
    let date = |i: usize, field: &'static str| {
        parts
            .get(i)
            .filter(|d| !d.is_empty())
            .map(|d| Date::parse_human(field, d).map_err(in_spec))
            .transpose()
    };
    let view = EntitlementView {
        program: parts[0].to_ascii_uppercase(),
        category: Some(parts[1].to_ascii_uppercase()),
        monthly_amount_vnd: amount,
        valid_from: Some(date(3, "valid_from")?.unwrap_or(today).to_string()),
        valid_until: date(4, "valid_until")?.map(|d| d.to_string()),
        authorized_recipient: recipient.cloned(),
    };
    view.to_entitlement().map_err(in_spec)?;
    Ok(view)
}

impl CardRequest {
    /// Checks every field; returns all problems at once so a clerk fixes a row in one go.
    /// The problems are worded in `lang`.
    pub fn parse(
        raw: &RawRequest,
        today: Date,
        lang: Lang,
    ) -> Result<CardRequest, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let problem = |field: &str, e: FormatError| FieldProblem::format(field, lang, &e);
        let ssn = Ssn::parse(&raw.ssn)
            .map_err(|e| problems.push(problem("ssn", e)))
            .ok();
        let name = PersonName::parse("full_name", &raw.full_name)
            .map_err(|e| problems.push(problem("full_name", e)))
            .ok();
        let dob = PartialDate::parse_human("date_of_birth", &raw.date_of_birth)
            .map_err(|e| problems.push(problem("date_of_birth", e)))
            .ok();
        let sex = Sex::parse(&raw.sex)
            .map_err(|e| problems.push(problem("sex", e)))
            .ok();
        // A new card takes the province codes in force (SPEC.md §4.6): the server would refuse a
        // pre-merger code only after the card generated its key.
        let area = AreaCode::parse(&raw.area_code)
            .map_err(|e| e.text(lang))
            .and_then(|a| {
                provinces::check_in_force(&a, today)
                    .map(|()| a)
                    .map_err(|p| p.text(lang))
            })
            .map_err(|message| problems.push(FieldProblem::new("area_code", lang, message)))
            .ok();
        let recipient = match raw.recipient.as_deref().filter(|r| !r.trim().is_empty()) {
            None => None,
            Some(r) => match r.rsplit_once(':') {
                Some((name, id)) => Some(RecipientView {
                    name: name.trim().to_owned(),
                    id_number: id.trim().to_owned(),
                }),
                None => {
                    problems.push(FieldProblem::new(
                        "recipient",
                        lang,
                        fill(
                            lang.text(Msg::RecipientForm),
                            &[("text", format!("\"{r}\""))],
                        ),
                    ));
                    None
                }
            },
        };
        if raw.entitlements.len() > asxh_core::credential::MAX_ENTITLEMENTS {
            let too_many = asxh_core::Problem::TooManyEntitlements {
                count: raw.entitlements.len(),
                max: asxh_core::credential::MAX_ENTITLEMENTS,
            };
            problems.push(FieldProblem::new("entitlements", lang, too_many.text(lang)));
        }
        let mut entitlements = Vec::new();
        for (i, spec) in raw.entitlements.iter().enumerate() {
            match parse_entitlement(spec, recipient.as_ref(), today, lang) {
                Ok(e) => entitlements.push(e),
                Err(e) => problems.push(FieldProblem::new(&format!("entitlements[{i}]"), lang, e)),
            }
        }
        let holder = match (ssn, name, dob, sex, area) {
            (Some(ssn), Some(name), Some(dob), Some(sex), Some(area)) => {
                Holder::new(ssn, name, dob, sex, area)
                    .map_err(|e| problems.push(problem("ssn", e)))
                    .ok()
            }
            _ => None,
        };
        match holder {
            Some(holder) if problems.is_empty() => Ok(CardRequest {
                holder,
                entitlements,
                replaces: raw.replaces.clone(),
            }),
            _ => Err(problems),
        }
    }

    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// The request in its canonical typed form: parsing it again gives the same request (dates
    /// ISO, defaults filled in, names NFC).
    pub fn raw(&self) -> RawRequest {
        let h = &self.holder;
        RawRequest {
            ssn: h.ssn().to_string(),
            full_name: h.name().as_str().to_owned(),
            date_of_birth: h.date_of_birth().to_string(),
            sex: h.sex().code().to_owned(),
            area_code: h.area().as_str().to_owned(),
            entitlements: self
                .entitlements
                .iter()
                .map(|e| {
                    format!(
                        "{}:{}:{}:{}:{}",
                        e.program,
                        e.category.as_deref().unwrap_or_default(),
                        e.monthly_amount_vnd
                            .map(|a| a.to_string())
                            .unwrap_or_default(),
                        e.valid_from.as_deref().unwrap_or_default(),
                        e.valid_until.as_deref().unwrap_or_default()
                    )
                    .trim_end_matches(':')
                    .to_owned()
                })
                .collect(),
            recipient: self
                .entitlements
                .iter()
                .find_map(|e| e.authorized_recipient.as_ref())
                .map(|r| format!("{}:{}", r.name, r.id_number)),
            replaces: self.replaces.clone(),
        }
    }

    /// The `POST /v1/cards` body for a card whose key is `card_public_key_hex`.
    pub fn to_issue_request(&self, card_public_key_hex: &str) -> IssueRequest {
        let h = &self.holder;
        IssueRequest {
            ssn: h.ssn().to_string(),
            full_name: h.name().as_str().to_owned(),
            date_of_birth: h.date_of_birth().to_string(),
            sex: h.sex().code().to_owned(),
            area_code: h.area().as_str().to_owned(),
            entitlements: self.entitlements.clone(),
            card_public_key_hex: card_public_key_hex.to_owned(),
            replaces: self.replaces.as_ref().map(|(serial, reason)| Replaces {
                serial: serial.clone(),
                reason: reason.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawRequest {
        RawRequest {
            ssn: "051146000123".into(),
            full_name: "  Trần   Thị Lan ".into(),
            date_of_birth: "1946-08-19".into(),
            sex: "Nữ".into(),
            area_code: "51.22903".into(),
            entitlements: vec!["TGXH:BTXH-80:540.000:2026-01-01".into(), "bhyt:bt".into()],
            recipient: Some("Phạm Thị Hoa:001175000222".into()),
            replaces: None,
        }
    }

    #[test]
    fn a_typed_request_is_normalised_and_checked() {
        let req =
            CardRequest::parse(&raw(), Date::parse("d", "2026-11-25").unwrap(), Lang::En).unwrap();
        let body = serde_json::to_value(req.to_issue_request("04ab")).unwrap();
        assert_eq!(body["full_name"], "Trần Thị Lan");
        assert_eq!(body["sex"], "F");
        assert_eq!(body["entitlements"][0]["monthly_amount_vnd"], 540000);
        assert_eq!(body["entitlements"][1]["program"], "BHYT");
        assert_eq!(body["entitlements"][1]["valid_from"], "2026-11-25");
        assert_eq!(
            body["entitlements"][0]["authorized_recipient"]["id_number"],
            "001175000222"
        );
    }

    #[test]
    fn a_pre_merger_province_code_is_refused_with_the_code_of_today() {
        let mut typed = raw();
        typed.area_code = "26.08884".into();
        let problems =
            CardRequest::parse(&typed, Date::parse("d", "2026-11-25").unwrap(), Lang::En)
                .unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "area_code");
        assert!(
            problems[0].message.contains("is part of 25 Phú Thọ"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn the_canonical_form_parses_back_to_the_same_request() {
        let today = Date::parse("d", "2026-11-25").unwrap();
        let mut typed = raw();
        typed.date_of_birth = "19/08/1946".into();
        typed.entitlements = vec![
            "TGXH:BTXH-80:540.000:01/01/2026:31/12/2030".into(),
            "bhyt:bt".into(),
        ];
        let req = CardRequest::parse(&typed, today, Lang::En).unwrap();
        let canonical = req.raw();
        assert_eq!(canonical.date_of_birth, "1946-08-19");
        assert_eq!(
            canonical.entitlements,
            [
                "TGXH:BTXH-80:540000:2026-01-01:2030-12-31",
                "BHYT:BT::2026-11-25"
            ]
        );
        let again = CardRequest::parse(&canonical, Date::epoch(), Lang::En).unwrap();
        assert_eq!(again.raw(), canonical);
        assert_eq!(again.to_issue_request("04"), req.to_issue_request("04"));
    }

    #[test]
    fn every_problem_of_a_request_is_reported_with_its_field() {
        let mut bad = raw();
        bad.ssn = "05114600012".into();
        bad.date_of_birth = "1946-13".into();
        bad.entitlements = vec!["TGXH".into(), "TGXH:X:0".into()];
        let problems = CardRequest::parse(&bad, Date::today(), Lang::En).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["ssn", "date_of_birth", "entitlements[0]", "entitlements[1]"]
        );
        let mut disagree = raw();
        disagree.sex = "M".into();
        let problems = CardRequest::parse(&disagree, Date::today(), Lang::En).unwrap_err();
        assert_eq!(problems[0].field, "ssn");
    }
}
