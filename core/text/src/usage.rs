//! A command used the wrong way, or an option or a file it names that cannot be used: the
//! usage errors of the tools, typed with their data so the clerk reads them from the catalogue.
//! A lower layer's own words (the operating system's, a library's) follow as technical detail.
//! The `Display` is the English text.

use std::fmt;

use asxh_core::Problem;

use crate::message::{fill, Args};
use crate::{Catalogued, Lang, Msg};

/// What is wrong with how a command was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Usage {
    /// An option's value refused by a format (`--admin-code`).
    Value {
        option: &'static str,
        problem: Box<Problem>,
    },
    /// The PIN typed at the prompt.
    Pin(Box<Problem>),
    PinUnreadable {
        detail: String,
    },
    /// A server address that is not an HTTP one.
    ServerUrl {
        url: String,
    },
    /// A root fingerprint that is not 64 hex digits.
    RootFingerprint {
        text: String,
    },
    /// A verifier data directory that already has its pinned root.
    AlreadyInitialised {
        dir: String,
    },
    CannotRead {
        path: String,
        detail: String,
    },
    CannotWrite {
        path: String,
        detail: String,
    },
    TokenFile {
        path: String,
        detail: String,
    },
    /// The CA file (`--ca-file`) or the TLS set-up built from it.
    CaFile {
        detail: String,
    },
    PathNotUtf8 {
        option: &'static str,
        path: String,
    },
    /// A command that needs an option it was not given.
    Needs {
        command: &'static str,
        option: &'static str,
    },
    /// A command that needs one of these ways of giving it its input.
    OneOf {
        ways: &'static [&'static str],
    },
    JobExists {
        path: String,
    },
    NoJob {
        path: String,
    },
    FaceFormat {
        path: String,
    },
    SheetFormat {
        path: String,
    },
    SheetEmpty,
    SeveralCards {
        count: usize,
    },
    OfficeName,
    /// The file of decisions on likely duplicates (`--accept-duplicates`).
    DecisionsUnreadable {
        path: String,
        detail: String,
    },
    DecisionsColumns {
        path: String,
        decision: &'static str,
        ssn: &'static str,
    },
    DecisionUnknown {
        path: String,
        row: u64,
        text: String,
    },
    DecisionSsn {
        path: String,
        row: u64,
        problem: Box<Problem>,
    },
    EmulatedCard {
        path: String,
        detail: String,
    },
    Reader {
        detail: String,
    },
    /// A file given as a photo of a card face that is no image.
    ImageUnreadable {
        path: String,
        detail: String,
    },
    NoQrInImage {
        path: String,
    },
    /// An image whose QR codes are none of them a card's (`found`: the start of each).
    NoCardQrInImage {
        path: String,
        found: String,
    },
}

impl Usage {
    /// Whether the command line itself is wrong (an option missing or mistyped), as opposed to
    /// a file, an image or a device it names that cannot be used: only the first is framed
    /// as a wrong command.
    pub fn is_command_line(&self) -> bool {
        use Usage as U;
        matches!(
            self,
            U::Value { .. }
                | U::ServerUrl { .. }
                | U::RootFingerprint { .. }
                | U::AlreadyInitialised { .. }
                | U::PathNotUtf8 { .. }
                | U::Needs { .. }
                | U::OneOf { .. }
                | U::JobExists { .. }
                | U::NoJob { .. }
                | U::FaceFormat { .. }
                | U::SheetFormat { .. }
                | U::SheetEmpty
                | U::SeveralCards { .. }
                | U::OfficeName
        )
    }

    /// The catalogue message of a tool's error for this usage error: framed as a wrong
    /// command when [`Usage::is_command_line`], as it is otherwise.
    pub fn as_error(&self, lang: Lang) -> (Msg, Args) {
        let text = self.text(lang);
        if self.is_command_line() {
            (Msg::ErrorUsage, vec![("detail", text)])
        } else {
            (Msg::Nested, vec![("text", text)])
        }
    }
}

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

impl Catalogued for Usage {
    fn message(&self, lang: Lang) -> (Msg, Args) {
        use Usage as U;
        let s = |v: &str| v.to_owned();
        match self {
            U::Value { option, problem } => (
                Msg::UsageValue,
                vec![("option", s(option)), ("problem", problem.text(lang))],
            ),
            U::Pin(problem) => (Msg::UsagePin, vec![("problem", problem.text(lang))]),
            U::PinUnreadable { detail } => (Msg::UsagePinUnreadable, vec![("detail", s(detail))]),
            U::ServerUrl { url } => (Msg::UsageServerUrl, vec![("url", quoted(url))]),
            U::RootFingerprint { text } => {
                (Msg::UsageRootFingerprint, vec![("text", quoted(text))])
            }
            U::AlreadyInitialised { dir } => (Msg::UsageAlreadyInitialised, vec![("dir", s(dir))]),
            U::CannotRead { path, detail } => (
                Msg::UsageCannotRead,
                vec![("path", s(path)), ("detail", s(detail))],
            ),
            U::CannotWrite { path, detail } => (
                Msg::UsageCannotWrite,
                vec![("path", s(path)), ("detail", s(detail))],
            ),
            U::TokenFile { path, detail } => (
                Msg::UsageTokenFile,
                vec![("path", s(path)), ("detail", s(detail))],
            ),
            U::CaFile { detail } => (Msg::UsageCaFile, vec![("detail", s(detail))]),
            U::PathNotUtf8 { option, path } => (
                Msg::UsagePathNotUtf8,
                vec![("option", s(option)), ("path", s(path))],
            ),
            U::Needs { command, option } => (
                Msg::UsageNeeds,
                vec![("command", s(command)), ("option", s(option))],
            ),
            U::OneOf { ways } => {
                let or = lang.text(Msg::UsageOr);
                let text = match ways.split_last() {
                    Some((last, [])) => s(last),
                    Some((last, rest)) => format!("{} {or} {last}", rest.join(", ")),
                    None => String::new(),
                };
                (Msg::UsageOneOf, vec![("ways", text)])
            }
            U::JobExists { path } => (Msg::UsageJobExists, vec![("path", s(path))]),
            U::NoJob { path } => (Msg::UsageNoJob, vec![("path", s(path))]),
            U::FaceFormat { path } => (Msg::UsageFaceFormat, vec![("path", s(path))]),
            U::SheetFormat { path } => (Msg::UsageSheetFormat, vec![("path", s(path))]),
            U::SheetEmpty => (Msg::UsageSheetEmpty, vec![]),
            U::SeveralCards { count } => (
                Msg::UsageSeveralCards,
                vec![("count", lang.count(*count as u64))],
            ),
            U::OfficeName => (Msg::UsageOfficeName, vec![]),
            U::DecisionsUnreadable { path, detail } => (
                Msg::UsageDecisionsUnreadable,
                vec![("path", s(path)), ("detail", s(detail))],
            ),
            U::DecisionsColumns {
                path,
                decision,
                ssn,
            } => (
                Msg::UsageDecisionsColumns,
                vec![
                    ("path", s(path)),
                    ("decision", quoted(decision)),
                    ("ssn", quoted(ssn)),
                ],
            ),
            U::DecisionUnknown { path, row, text } => (
                Msg::UsageDecisionUnknown,
                vec![
                    ("path", s(path)),
                    ("row", row.to_string()),
                    ("text", quoted(text)),
                ],
            ),
            U::DecisionSsn { path, row, problem } => (
                Msg::UsageDecisionSsn,
                vec![
                    ("path", s(path)),
                    ("row", row.to_string()),
                    ("problem", problem.text(lang)),
                ],
            ),
            U::EmulatedCard { path, detail } => (
                Msg::UsageEmulatedCard,
                vec![("path", s(path)), ("detail", s(detail))],
            ),
            U::Reader { detail } => (Msg::UsageReader, vec![("detail", s(detail))]),
            U::ImageUnreadable { path, detail } => (
                Msg::UsageImageUnreadable,
                vec![("path", s(path)), ("detail", s(detail))],
            ),
            U::NoQrInImage { path } => (Msg::UsageNoQrInImage, vec![("path", s(path))]),
            U::NoCardQrInImage { path, found } => (
                Msg::UsageNoCardQrInImage,
                vec![("path", s(path)), ("found", s(found))],
            ),
        }
    }

    fn examples() -> Vec<Self> {
        use Usage as U;
        let path = || "a.csv".to_owned();
        let detail = || "No such file or directory (os error 2)".to_owned();
        vec![
            U::Value {
                option: "--admin-code",
                problem: Box::new(Problem::AdminCodeForm),
            },
            U::Pin(Box::new(Problem::PinForm)),
            U::PinUnreadable { detail: detail() },
            U::ServerUrl {
                url: "example.org".into(),
            },
            U::RootFingerprint { text: "ab".into() },
            U::AlreadyInitialised {
                dir: "/var/lib/asxh".into(),
            },
            U::CannotRead {
                path: path(),
                detail: detail(),
            },
            U::CannotWrite {
                path: path(),
                detail: detail(),
            },
            U::TokenFile {
                path: path(),
                detail: detail(),
            },
            U::CaFile { detail: detail() },
            U::PathNotUtf8 {
                option: "--ca-file",
                path: path(),
            },
            U::Needs {
                command: "batch",
                option: "--job",
            },
            U::OneOf {
                ways: &["--text TEXT", "--image FILE", "-"],
            },
            U::JobExists { path: path() },
            U::NoJob { path: path() },
            U::FaceFormat { path: path() },
            U::SheetFormat { path: path() },
            U::SheetEmpty,
            U::SeveralCards { count: 3 },
            U::OfficeName,
            U::DecisionsUnreadable {
                path: path(),
                detail: detail(),
            },
            U::DecisionsColumns {
                path: path(),
                decision: "Quyết định",
                ssn: "Số định danh cá nhân",
            },
            U::DecisionUnknown {
                path: path(),
                row: 3,
                text: "có".into(),
            },
            U::DecisionSsn {
                path: path(),
                row: 3,
                problem: Box::new(Problem::SsnNotTwelveDigits { text: "1".into() }),
            },
            U::EmulatedCard {
                path: path(),
                detail: detail(),
            },
            U::Reader { detail: detail() },
            U::ImageUnreadable {
                path: path(),
                detail: detail(),
            },
            U::NoQrInImage { path: path() },
            U::NoCardQrInImage {
                path: path(),
                found: "\"https://example.org\"".into(),
            },
        ]
    }
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (msg, args) = self.message(Lang::En);
        f.write_str(&fill(msg.en(), &args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The variant's place in the enum; a new variant fails to compile here until it is given
    /// one, and then fails the test below until it has an example.
    fn variant(u: &Usage) -> usize {
        use Usage as U;
        match u {
            U::Value { .. } => 0,
            U::Pin(_) => 1,
            U::PinUnreadable { .. } => 2,
            U::ServerUrl { .. } => 3,
            U::RootFingerprint { .. } => 4,
            U::AlreadyInitialised { .. } => 5,
            U::CannotRead { .. } => 6,
            U::CannotWrite { .. } => 7,
            U::TokenFile { .. } => 8,
            U::CaFile { .. } => 9,
            U::PathNotUtf8 { .. } => 10,
            U::Needs { .. } => 11,
            U::OneOf { .. } => 12,
            U::JobExists { .. } => 13,
            U::NoJob { .. } => 14,
            U::FaceFormat { .. } => 15,
            U::SheetFormat { .. } => 16,
            U::SheetEmpty => 17,
            U::SeveralCards { .. } => 18,
            U::OfficeName => 19,
            U::DecisionsUnreadable { .. } => 20,
            U::DecisionsColumns { .. } => 21,
            U::DecisionUnknown { .. } => 22,
            U::DecisionSsn { .. } => 23,
            U::EmulatedCard { .. } => 24,
            U::Reader { .. } => 25,
            U::ImageUnreadable { .. } => 26,
            U::NoQrInImage { .. } => 27,
            U::NoCardQrInImage { .. } => 28,
        }
    }

    #[test]
    fn every_usage_error_has_an_example() {
        let mut seen: Vec<usize> = Usage::examples().iter().map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..29).collect::<Vec<_>>());
    }

    #[test]
    fn every_usage_error_has_its_vietnamese_text() {
        crate::message::check_catalogued::<Usage>().unwrap();
    }

    #[test]
    fn the_ways_to_give_an_input_are_joined_with_the_languages_or() {
        let u = Usage::OneOf {
            ways: &["--text TEXT", "--image FILE", "-"],
        };
        assert_eq!(
            u.text(Lang::Vi),
            "cần một trong các cách: --text TEXT, --image FILE hoặc -"
        );
        assert_eq!(u.to_string(), "give one of --text TEXT, --image FILE or -");
    }
}
