//! The help texts of the three tools' command lines, one table per tool, in Vietnamese (in the
//! glossary's words) and English.

mod personalizer;
mod server;
mod verifier;

use super::Help;

/// Every table.
pub(super) const ALL: &[&[Help]] = &[verifier::TEXTS, personalizer::TEXTS, server::TEXTS];

/// The options that exist only in a build with a feature (the emulated card): their texts may
/// have nothing to describe in another build.
pub(super) const FEATURE_GATED: &[&str] = &["--emulator"];

/// A table's line: key, Vietnamese, English.
macro_rules! help {
    ($($key:literal => $vi:literal, $en:literal;)*) => {
        &[$(crate::cli::Help { key: $key, vi: $vi, en: $en },)*]
    };
}
pub(crate) use help;
