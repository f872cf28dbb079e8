//! The words of asxh-core's errors ([`FormatError`], [`FieldError`], [`Problem`]) for the people
//! who typed the value: the field named by its label as clerks know it (the list's column
//! headers), what was wrong and what was expected, from the catalogue. The errors' own
//! `Display` stays the English of logs, the API and JSON.

use asxh_core::error::{DateForm, FieldError, FormatError, Problem};
use asxh_core::Sex;

use crate::format::date;
use crate::message::{fill, Args};
use crate::{labels, Catalogued, Lang, Msg};

/// The label of a field by its name in the formats, the API and the personalizer's rows
/// (`ssn`, `date_of_birth`, `entitlements[1]`); a name without a label (a field of bytes no
/// one types) is shown as it is.
pub fn field_label(field: &str, lang: Lang) -> String {
    if let Some(i) = field
        .strip_prefix("entitlements[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|i| i.parse::<usize>().ok())
    {
        return fill(
            lang.text(Msg::FieldEntitlement),
            &[("number", (i + 1).to_string())],
        );
    }
    field_msg(field).map_or_else(|| field.to_owned(), |m| lang.text(m).to_owned())
}

fn field_msg(field: &str) -> Option<Msg> {
    Some(match field {
        "ssn" | "first_ssn" => Msg::FieldSsn,
        "full_name" | "name" => Msg::FieldFullName,
        "date_of_birth" => Msg::FieldDateOfBirth,
        "sex" => Msg::FieldSex,
        "area_code" | "area" => Msg::FieldAreaCode,
        "entitlements" => Msg::FieldEntitlements,
        "program" => Msg::FieldProgram,
        "category" => Msg::FieldCategory,
        "recipient" | "authorized_recipient" => Msg::FieldRecipient,
        "authorized_recipient.name" => Msg::FieldRecipientName,
        "authorized_recipient.id_number" => Msg::FieldRecipientId,
        "monthly_amount_vnd" | "amount_vnd" => Msg::FieldMonthlyAmount,
        "valid_from" => Msg::FieldValidFrom,
        "valid_until" => Msg::FieldValidUntil,
        "serial" => Msg::FieldSerial,
        "pin" => Msg::FieldPin,
        "admin_code" => Msg::FieldAdminCode,
        "expires" => Msg::FieldExpires,
        "issued" | "the issue date" => Msg::FieldIssued,
        "month" => Msg::FieldMonth,
        "file" => Msg::FieldFile,
        "office" => Msg::FieldOffice,
        "as_of" => Msg::FieldAsOf,
        "row" => Msg::FieldRow,
        _ => return None,
    })
}

/// Every field name [`field_label`] knows, for the catalogue test.
pub const LABELLED_FIELDS: &[&str] = &[
    "ssn",
    "full_name",
    "date_of_birth",
    "sex",
    "area_code",
    "entitlements",
    "program",
    "category",
    "recipient",
    "authorized_recipient.name",
    "authorized_recipient.id_number",
    "monthly_amount_vnd",
    "valid_from",
    "valid_until",
    "serial",
    "pin",
    "admin_code",
    "expires",
    "issued",
    "month",
    "file",
    "row",
    "office",
    "as_of",
];

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

/// An ISO date (or part of one) as people write it, day first in both languages: what they
/// type is day first too.
fn day(_: Lang, iso: &str) -> String {
    date(iso)
}

fn date_form(form: DateForm) -> Msg {
    match form {
        DateForm::Iso => Msg::DateFormIso,
        DateForm::Whole => Msg::DateFormWhole,
        DateForm::IsoPartial => Msg::DateFormIsoPartial,
        DateForm::Partial => Msg::DateFormPartial,
        DateForm::Month => Msg::DateFormMonth,
    }
}

impl Catalogued for Problem {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        use Problem as P;
        let text = |t: &str| vec![("text", quoted(t))];
        let sex = |s: Sex| lang.text(labels::sex(s)).to_owned();
        match self {
            P::SsnNotTwelveDigits { text: t } => (Msg::ProblemSsnNotTwelveDigits, text(t)),
            P::SsnProvince { text: t } => (
                Msg::ProblemSsnProvince,
                vec![
                    ("text", quoted(t)),
                    ("province", t.get(..3).unwrap_or(t).to_owned()),
                ],
            ),
            P::SsnSexDisagrees {
                ssn,
                encoded,
                holder,
            } => (
                Msg::ProblemSsnSexDisagrees,
                vec![
                    ("ssn", ssn.clone()),
                    ("encoded", sex(*encoded)),
                    ("digit", ssn.get(3..4).unwrap_or_default().to_owned()),
                    ("holder", sex(*holder)),
                ],
            ),
            P::SsnBirthYearDisagrees {
                ssn,
                year,
                date_of_birth,
            } => (
                Msg::ProblemSsnBirthYearDisagrees,
                vec![
                    ("ssn", ssn.clone()),
                    ("year", year.to_string()),
                    ("date_of_birth", day(lang, date_of_birth)),
                ],
            ),
            P::NameControlCharacter { code } => (
                Msg::ProblemNameControlCharacter,
                vec![("code", format!("{code:04X}"))],
            ),
            P::NameEmpty => (Msg::ProblemNameEmpty, vec![]),
            P::NameTooLong { bytes, max } => (
                Msg::ProblemNameTooLong,
                vec![("bytes", bytes.to_string()), ("max", max.to_string())],
            ),
            P::NameCharacter { found } => (
                Msg::ProblemNameCharacter,
                vec![("found", format!("\"{found}\" (U+{:04X})", *found as u32))],
            ),
            P::NameNoLetter => (Msg::ProblemNameNoLetter, vec![]),
            P::SerialOutOfRange { number, max } => (
                Msg::ProblemSerialOutOfRange,
                vec![("number", number.to_string()), ("max", max.to_string())],
            ),
            P::SerialForm { text: t } => (Msg::ProblemSerialForm, text(t)),
            P::SerialCheckDigit {
                text: t,
                found,
                expected,
            } => (
                Msg::ProblemSerialCheckDigit,
                vec![
                    ("text", quoted(t)),
                    ("found", found.to_string()),
                    ("expected", expected.to_string()),
                ],
            ),
            P::PinForm => (Msg::ProblemPinForm, vec![]),
            P::AdminCodeForm => (Msg::ProblemAdminCodeForm, vec![]),
            P::AreaCodeForm { text: t } => (Msg::ProblemAreaCodeForm, text(t)),
            P::ProvinceMerged {
                area,
                code,
                old_name,
                new_code,
                new_name,
                since,
            } => (
                Msg::ProblemProvinceMerged,
                vec![
                    ("area", area.clone()),
                    ("code", code.clone()),
                    ("old_name", old_name.clone()),
                    ("new_code", new_code.clone()),
                    ("new_name", new_name.clone()),
                    ("since", day(lang, since)),
                ],
            ),
            P::ProvinceUnknown { area, code } => (
                Msg::ProblemProvinceUnknown,
                vec![("area", area.clone()), ("code", code.clone())],
            ),
            P::SexForm { text: t } => (Msg::ProblemSexForm, text(t)),
            P::OfficeCodeForm { text: t } => (Msg::ProblemOfficeCodeForm, text(t)),
            P::ProgramForm { text: t } => (Msg::ProblemProgramForm, text(t)),
            P::CategoryForm { text: t } => (Msg::ProblemCategoryForm, text(t)),
            P::IdNumberForm { text: t } => (Msg::ProblemIdNumberForm, text(t)),
            P::DateForm { text: t, expected } => (
                Msg::ProblemDateForm,
                vec![
                    ("text", quoted(t)),
                    ("expected", lang.text(date_form(*expected)).to_owned()),
                ],
            ),
            P::DateNotDigits { text: t } => (Msg::ProblemDateNotDigits, text(t)),
            P::MonthOutOfRange { month } => (
                Msg::ProblemMonthOutOfRange,
                vec![("month", month.to_string())],
            ),
            P::NotCalendarDate {
                year,
                month,
                day: d,
            } => (
                Msg::ProblemNotCalendarDate,
                vec![("date", format!("{d:02}/{month:02}/{year:04}"))],
            ),
            P::DateOutOfRange { date: d } => {
                (Msg::ProblemDateOutOfRange, vec![("date", day(lang, d))])
            }
            P::BirthYearOutOfRange { year } => (
                Msg::ProblemBirthYearOutOfRange,
                vec![("year", year.to_string())],
            ),
            P::DayFirst { text: t, problem } => (
                Msg::ProblemDayFirst,
                vec![("text", quoted(t)), ("problem", problem.text(lang))],
            ),
            P::RollMonthOutOfRange { text: t } => (
                Msg::ProblemRollMonthOutOfRange,
                vec![("text", day(lang, t))],
            ),
            P::EndsBeforeStart {
                end,
                start,
                start_field,
            } => (
                Msg::ProblemEndsBeforeStart,
                vec![
                    ("end", day(lang, end)),
                    ("start", day(lang, start)),
                    ("start_field", field_label(start_field, lang)),
                ],
            ),
            P::TooManyEntitlements { count, max } => (
                Msg::ProblemTooManyEntitlements,
                vec![("count", count.to_string()), ("max", max.to_string())],
            ),
            P::AmountOutOfRange { amount, max } => (
                Msg::ProblemAmountOutOfRange,
                vec![("amount", lang.money(*amount)), ("max", lang.money(*max))],
            ),
            P::NotOneOf { text: t, choices } => (
                Msg::ProblemNotOneOf,
                vec![("text", quoted(t)), ("choices", (*choices).to_owned())],
            ),
            P::Encoding(detail) => (Msg::ProblemEncoding, vec![("detail", detail.clone())]),
        }
    }

    fn examples() -> Vec<Self> {
        Problem::examples()
    }
}

impl Catalogued for FieldError {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        (
            Msg::ProblemOfField,
            vec![
                ("field", field_label(self.field, lang)),
                ("problem", self.problem.text(lang)),
            ],
        )
    }

    fn examples() -> Vec<Self> {
        Problem::examples()
            .into_iter()
            .map(|problem| FieldError {
                field: "date_of_birth",
                problem: Box::new(problem),
            })
            .collect()
    }
}

impl Catalogued for FormatError {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        match self {
            FormatError::InvalidField(f) => f.message(lang),
            FormatError::Malformed { .. } | FormatError::UnexpectedTag { .. } => {
                (Msg::ProblemEncoding, vec![("detail", self.to_string())])
            }
            FormatError::BadSignature { .. } => {
                (Msg::ProblemBadSignature, vec![("detail", self.to_string())])
            }
        }
    }

    fn examples() -> Vec<Self> {
        let mut all: Vec<FormatError> = FieldError::examples()
            .into_iter()
            .map(FormatError::InvalidField)
            .collect();
        all.extend([
            FormatError::malformed("credential", "truncated"),
            FormatError::UnexpectedTag {
                context: "credential",
                expected: "7F21".into(),
                found: "30".into(),
            },
            FormatError::BadSignature {
                context: "credential",
                key_id: "0123456789abcdef".into(),
            },
        ]);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::check_catalogued;

    #[test]
    fn every_problem_of_a_typed_value_has_its_vietnamese_text() {
        check_catalogued::<Problem>().unwrap();
        check_catalogued::<FieldError>().unwrap();
        check_catalogued::<FormatError>().unwrap();
    }

    #[test]
    fn every_labelled_field_has_a_label_in_both_languages() {
        for field in LABELLED_FIELDS {
            let msg = field_msg(field).unwrap_or_else(|| panic!("{field} has no label"));
            assert!(msg.vi().is_some(), "{field}");
        }
        assert_eq!(field_label("entitlements[1]", Lang::Vi), "Chính sách thứ 2");
        assert_eq!(field_label("records", Lang::Vi), "records");
    }

    #[test]
    fn a_date_that_is_not_on_the_calendar_is_named_by_its_label_and_written_day_first() {
        let e = asxh_core::PartialDate::parse_human("date_of_birth", "1950-02-30").unwrap_err();
        assert_eq!(
            e.text(Lang::Vi),
            "Ngày sinh: ngày 30/02/1950 không có trên lịch"
        );
        assert_eq!(
            e.text(Lang::En),
            "Date of birth: 30/02/1950 is not a calendar date"
        );
        assert_eq!(
            e.to_string(),
            "invalid date_of_birth: 1950-02-30 is not a calendar date"
        );
    }

    #[test]
    fn a_month_first_date_says_the_day_comes_first() {
        let e = asxh_core::PartialDate::parse_human("date_of_birth", "08/19/1946").unwrap_err();
        assert_eq!(
            e.text(Lang::Vi),
            "Ngày sinh: \"08/19/1946\": tháng 19 không có (tháng từ 1 đến 12) (ghi ngày trước, tháng sau: dd/mm/yyyy)"
        );
    }

    #[test]
    fn an_ssn_that_disagrees_with_the_sex_names_both_in_words() {
        let ssn = asxh_core::Ssn::parse("051146000123").unwrap();
        let dob = asxh_core::PartialDate::parse("d", "1946").unwrap();
        let e = ssn.check_holder(Sex::Male, dob).unwrap_err();
        assert_eq!(
            e.text(Lang::Vi),
            "Số định danh cá nhân: 051146000123 là số của người giới tính Nữ (chữ số thứ 4 là 1), nhưng giới tính ghi là Nam"
        );
        assert_eq!(
            e.to_string(),
            "invalid ssn: 051146000123 encodes sex F (digit 4 = 1), but the holder's sex is M"
        );
    }
}
