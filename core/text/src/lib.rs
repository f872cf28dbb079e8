//! asxh-text: the one place for human language. Every message and title a clerk or an
//! administrator reads is a [`Msg`] of the typed catalogue ([`catalogue`]) with its Vietnamese
//! and English text, picked by a [`Lang`]; the labels of codes (programs, revocation reasons,
//! sexes, card statuses, roles) are looked up here too ([`labels`]), and counts, money and times
//! are written here ([`format`]). A message with data (a finding, an error) is a typed value
//! that names its template and fills its placeholders ([`message::Catalogued`]). A message
//! without its Vietnamese text falls back to English and fails this crate's tests, and a typed
//! message whose template lacks it fails its own crate's tests.
//!
//! The console's pages read their texts from the catalogue too; [`Lang::t`] (two texts side by
//! side) is for a page being written, until its texts join the catalogue.
#![forbid(unsafe_code)]

pub mod areas;
pub mod catalogue;
#[cfg(feature = "clap")]
pub mod cli;
pub mod format;
pub mod labels;
pub mod logs;
pub mod message;
pub mod os_error;
pub mod problems;
pub mod usage;

pub use catalogue::Msg;

/// `println!` that does not panic when standard output is gone (`… | head`, a closed terminal):
/// what a person reads there is lost, but the command goes on to finish its work (a batch writes
/// its job and results files, a server command its database), so nothing is left half-done. The
/// tools print what people read through it.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// [`say!`] without the newline.
#[macro_export]
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}
pub use format::local_time;
pub use message::Catalogued;

/// The language of what people read: Vietnamese by default, English on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// `vi` or `en` (a cookie's or a form's value); anything else is Vietnamese.
    pub fn parse(code: &str) -> Lang {
        if code.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The catalogue's text of `msg` in this language.
    pub fn text(self, msg: Msg) -> &'static str {
        match self {
            Lang::Vi => msg.vi().unwrap_or(msg.en()),
            Lang::En => msg.en(),
        }
    }

    /// One of two texts written side by side where they are used (the console's pages, until
    /// their texts join the catalogue).
    pub fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}
