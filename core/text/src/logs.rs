//! The language of the tools' log lines (what `tracing` writes to standard error): a clerk who
//! runs `watch` or `counter` in a terminal, or an operator reading the server's journal, reads
//! them in the tool's language. The logger is one per process, so the language is too: set once
//! by `main` from the command line, Vietnamese until then. The fields of a line (`error = …`)
//! keep the lower layer's words.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::{Lang, Msg};

static ENGLISH: AtomicBool = AtomicBool::new(false);

/// The language of this process's log lines from now on.
pub fn set_lang(lang: Lang) {
    ENGLISH.store(lang == Lang::En, Ordering::Relaxed);
}

/// The language of this process's log lines.
pub fn lang() -> Lang {
    if ENGLISH.load(Ordering::Relaxed) {
        Lang::En
    } else {
        Lang::Vi
    }
}

/// The text of a log line, in the log's language.
pub fn text(msg: Msg) -> &'static str {
    lang().text(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_are_vietnamese_until_main_asks_for_english() {
        assert_eq!(text(Msg::LogSyncFailed), Lang::Vi.text(Msg::LogSyncFailed));
        set_lang(Lang::En);
        assert_eq!(text(Msg::LogSyncFailed), Lang::En.text(Msg::LogSyncFailed));
        set_lang(Lang::Vi);
    }
}
