//! The tools' command lines in the clerk's language: a `clap::Command` tree built by derive is
//! given the help texts of this module's tables ([`texts`]) in Vietnamese or English — each
//! command's description, each option's and argument's help, the exit codes, the headings and
//! the `-h`/`-V` flags — and clap's own errors are written from their kind and context in the
//! same language. The language is chosen before parsing ([`lang_of`]): `--lang en` anywhere on
//! the command line, else the environment variable `ASXH_LANG` (`vi` or `en`), else Vietnamese.
//!
//! A text is keyed by the command path and the option (`asxh-verifier pay --collector`), an
//! argument by its id (`asxh-server areas import <file>`), a value of an option by both
//! (`asxh-verifier pay --collector=holder`), a command's exit codes by `#exit-codes`. A key not
//! found for a subcommand is looked up in its parent, and so on up to the tool, so an option
//! every subcommand shares (`--data`) is written once. [`check`] walks a tool's whole tree and
//! lists what has no text, and what the tables hold that the tool no longer has.

mod texts;

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use crate::message::fill;
use crate::{Lang, Msg};

/// One help text of the tables, in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Help {
    pub key: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

impl Help {
    fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

/// The language of a tool's help and errors, decided before parsing: the last `--lang X` or
/// `--lang=X` of the arguments (`vi` or `en`), else `env` (the value of `ASXH_LANG`), else
/// Vietnamese.
pub fn lang_of(args: &[OsString], env: Option<&str>) -> Lang {
    let mut chosen = None;
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--lang") {
            Some("") => args.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_owned),
            None => None,
        };
        match value.as_deref() {
            Some("en") => chosen = Some(Lang::En),
            Some("vi") => chosen = Some(Lang::Vi),
            _ => {}
        }
    }
    chosen.unwrap_or(match env.map(str::trim) {
        Some(code) if code.eq_ignore_ascii_case("en") => Lang::En,
        _ => Lang::Vi,
    })
}

/// Parses the process's command line into `T` in the language [`lang_of`] decides from it and
/// `ASXH_LANG`, with the command tree localised ([`command`]). Help and version are printed to
/// standard output and end the process with 0; a wrong command line is written in that language
/// to standard error ([`error_text`]) and ends it with 2. The process's log lines
/// ([`crate::logs`]) are in that language from then on.
pub fn parse<T: clap::Parser>() -> (T, Lang) {
    let args: Vec<OsString> = std::env::args_os().collect();
    let env = std::env::var("ASXH_LANG").ok();
    let lang = lang_of(args.get(1..).unwrap_or_default(), env.as_deref());
    crate::logs::set_lang(lang);
    let mut cmd = command(T::command(), lang);
    let parsed = cmd
        .try_get_matches_from_mut(&args)
        .and_then(|mut matches| T::from_arg_matches_mut(&mut matches));
    match parsed {
        Ok(value) => (value, lang),
        Err(e) => {
            let code = match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    e.exit_code()
                }
                _ => {
                    eprintln!("{}", error_text(&e, &mut cmd, &args, lang));
                    2
                }
            };
            std::process::exit(code)
        }
    }
}

/// `cmd` (a tool's tree, as derive builds it) with every text in `lang`, built, and with the
/// usage lines written in `lang` too.
pub fn command(cmd: Command, lang: Lang) -> Command {
    command_with(cmd, lang, texts::ALL)
}

fn command_with(cmd: Command, lang: Lang, table: &[&[Help]]) -> Command {
    let mut cmd = localise(cmd, lang, table);
    cmd.build();
    if lang != Lang::En {
        usage_in(&mut cmd, lang);
    }
    cmd
}

/// The most specific text for `key` of the command at `path`: the path's own, else its parent's,
/// up to the tool's.
fn lookup(table: &[&[Help]], path: &str, key: &str) -> Option<Help> {
    let mut scope = path;
    loop {
        let full = format!("{scope} {key}");
        let found = table
            .iter()
            .flat_map(|t| t.iter())
            .find(|h| h.key == full || (key.is_empty() && h.key == scope));
        if let Some(help) = found {
            return Some(*help);
        }
        match scope.rsplit_once(' ') {
            Some((parent, _)) if !key.is_empty() => scope = parent,
            _ => return None,
        }
    }
}

/// The text whose key is `key` itself.
fn exact(table: &[&[Help]], key: &str) -> Option<Help> {
    table
        .iter()
        .flat_map(|t| t.iter())
        .find(|h| h.key == key)
        .copied()
}

/// The key of an option (`--data`) or an argument (`<file>`).
fn arg_key(arg: &Arg) -> String {
    match arg.get_long() {
        Some(long) => format!("--{long}"),
        None => format!("<{}>", arg.get_id()),
    }
}

fn template(lang: Lang) -> String {
    format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        lang.text(Msg::CliUsageHeading)
    )
}

/// The texts of `cmd` and of its subcommands in `lang`, from `table`.
fn localise(cmd: Command, lang: Lang, table: &[&[Help]]) -> Command {
    let root = cmd.get_name().to_owned();
    let has_lang = cmd.get_arguments().any(|a| a.get_id() == "lang");
    let mut cmd = localise_at(cmd, &root, lang, table);
    if cmd.get_version().is_some() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(lang.text(Msg::CliVersionFlag))
                .help_heading(lang.text(Msg::CliOptionsHeading)),
        );
    }
    if !has_lang {
        cmd = cmd.arg(
            Arg::new("lang")
                .long("lang")
                .global(true)
                .value_name("LANG")
                .value_parser(["vi", "en"])
                .default_value(lang.code())
                .hide_default_value(true)
                .hide_possible_values(true)
                .help(lang.text(Msg::CliLangFlag))
                .help_heading(lang.text(Msg::CliOptionsHeading)),
        );
    }
    cmd
}

fn localise_at(cmd: Command, path: &str, lang: Lang, table: &[&[Help]]) -> Command {
    let mut cmd = cmd
        .help_template(template(lang))
        .subcommand_help_heading(lang.text(Msg::CliCommandsHeading))
        .subcommand_value_name(lang.text(Msg::CliCommandPlaceholder))
        .disable_help_flag(true)
        .disable_help_subcommand(true);
    if let Some(help) = lookup(table, path, "") {
        cmd = cmd.about(help.text(lang)).long_about(None);
    }
    if let Some(help) = exact(table, &format!("{path} #exit-codes")) {
        cmd = cmd.after_help(help.text(lang)).after_long_help(None);
    }
    cmd = cmd.mut_args(|arg| localise_arg(arg, path, lang, table));
    cmd = cmd.arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help(lang.text(Msg::CliHelpFlag))
            .help_heading(lang.text(Msg::CliOptionsHeading)),
    );
    cmd.mut_subcommands(|sub| {
        let sub_path = format!("{path} {}", sub.get_name());
        localise_at(sub, &sub_path, lang, table)
    })
}

fn localise_arg(arg: Arg, path: &str, lang: Lang, table: &[&[Help]]) -> Arg {
    let key = arg_key(&arg);
    let mut text = match lookup(table, path, &key) {
        Some(help) => help.text(lang).to_owned(),
        None if arg.get_id() == "lang" => lang.text(Msg::CliLangFlag).to_owned(),
        None => arg.get_help().map(|h| h.to_string()).unwrap_or_default(),
    };
    let mut notes = Vec::new();
    if arg.get_action().takes_values() {
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| {
                let named = lookup(table, path, &format!("{key}={}", v.get_name()));
                match named.map(|h| h.text(lang)) {
                    Some(help) => format!("{} ({help})", v.get_name()),
                    None => v.get_name().to_owned(),
                }
            })
            .collect();
        if !values.is_empty() {
            notes.push(fill(
                lang.text(Msg::CliValues),
                &[("values", values.join(", "))],
            ));
        }
        let defaults: Vec<String> = if arg.get_id() == "lang" {
            vec![lang.code().to_owned()]
        } else {
            arg.get_default_values()
                .iter()
                .map(|d| d.to_string_lossy().into_owned())
                .collect()
        };
        if !defaults.is_empty() {
            notes.push(fill(
                lang.text(Msg::CliDefault),
                &[("value", defaults.join(","))],
            ));
        }
    }
    if !notes.is_empty() {
        let _ = write!(text, " [{}]", notes.join("; "));
    }
    let heading = if arg.is_positional() {
        Msg::CliArgumentsHeading
    } else {
        Msg::CliOptionsHeading
    };
    let arg = if arg.get_id() == "lang" {
        arg.default_value(lang.code())
    } else {
        arg
    };
    let arg = if arg.get_action().takes_values() {
        arg.hide_default_value(true).hide_possible_values(true)
    } else {
        arg
    };
    arg.help(text)
        .long_help(None)
        .help_heading(lang.text(heading))
}

/// Each usage line of the built tree `cmd` with its placeholder of options in `lang`.
fn usage_in(cmd: &mut Command, lang: Lang) {
    let usage = usage_of(cmd).replace(
        Lang::En.text(Msg::CliOptionsPlaceholder),
        lang.text(Msg::CliOptionsPlaceholder),
    );
    *cmd = std::mem::take(cmd).override_usage(usage);
    for sub in cmd.get_subcommands_mut() {
        usage_in(sub, lang);
    }
}

/// The usage of a built command, without its heading.
fn usage_of(cmd: &mut Command) -> String {
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .strip_prefix(Lang::En.text(Msg::CliUsageHeading))
        .unwrap_or(&usage);
    usage.trim().to_owned()
}

/// The subcommand of `cmd` the arguments name (every word that is a subcommand's name, in turn).
fn subcommand_path<'a>(cmd: &'a mut Command, args: &[OsString]) -> (&'a mut Command, String) {
    let mut path = cmd.get_name().to_owned();
    let mut current = cmd;
    for arg in args.iter().skip(1) {
        let word = arg.to_string_lossy();
        if word.starts_with('-') {
            continue;
        }
        if current.find_subcommand(word.as_ref()).is_some() {
            let next = current
                .find_subcommand_mut(word.as_ref())
                .expect("the subcommand just found");
            path = format!("{path} {}", next.get_name());
            current = next;
        }
    }
    (current, path)
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(value) => value.to_string(),
        None => String::new(),
    }
}

/// What is wrong with the command line, in `lang`.
fn problem(e: &clap::Error, lang: Lang) -> String {
    let c = |kind| context(e, kind);
    let say = |msg: Msg, args: &[(&str, String)]| fill(lang.text(msg), args);
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let arg = c(ContextKind::InvalidArg);
            let mut text = if arg.starts_with('-') {
                say(Msg::CliUnknownOption, &[("arg", arg.clone())])
            } else {
                say(Msg::CliUnexpectedArgument, &[("arg", arg.clone())])
            };
            let suggested = c(ContextKind::SuggestedArg);
            if !suggested.is_empty() {
                text.push_str("; ");
                text.push_str(&say(Msg::CliDidYouMean, &[("suggested", suggested)]));
            }
            for tip in match e.get(ContextKind::Suggested) {
                Some(ContextValue::StyledStrs(tips)) => tips.clone(),
                _ => Vec::new(),
            } {
                let tip = tip.to_string();
                text.push_str("; ");
                if tip.starts_with("to pass") {
                    text.push_str(&say(Msg::CliAsValue, &[("arg", arg.clone())]));
                } else {
                    let named = tip
                        .trim_end_matches(" exists")
                        .trim_matches('\'')
                        .to_owned();
                    text.push_str(&say(Msg::CliDidYouMean, &[("suggested", named)]));
                }
            }
            text
        }
        ErrorKind::InvalidSubcommand => {
            let mut text = say(
                Msg::CliUnknownCommand,
                &[("command", c(ContextKind::InvalidSubcommand))],
            );
            let suggested = c(ContextKind::SuggestedSubcommand);
            if !suggested.is_empty() {
                text.push_str("; ");
                text.push_str(&say(Msg::CliDidYouMean, &[("suggested", suggested)]));
            }
            text
        }
        ErrorKind::MissingSubcommand => say(
            Msg::CliMissingCommand,
            &[
                ("command", c(ContextKind::InvalidSubcommand)),
                ("valid", c(ContextKind::ValidSubcommand)),
            ],
        ),
        ErrorKind::MissingRequiredArgument => say(
            Msg::CliMissingRequired,
            &[("args", c(ContextKind::InvalidArg))],
        ),
        ErrorKind::InvalidValue => {
            let value = c(ContextKind::InvalidValue);
            let args = [
                ("arg", c(ContextKind::InvalidArg)),
                ("valid", c(ContextKind::ValidValue)),
            ];
            if value.is_empty() {
                say(Msg::CliEmptyValue, &args)
            } else {
                let mut text = say(
                    Msg::CliInvalidValue,
                    &[args[0].clone(), args[1].clone(), ("value", value)],
                );
                let suggested = c(ContextKind::SuggestedValue);
                if !suggested.is_empty() {
                    text.push_str("; ");
                    text.push_str(&say(Msg::CliDidYouMean, &[("suggested", suggested)]));
                }
                text
            }
        }
        ErrorKind::ValueValidation => {
            let detail = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            say(
                Msg::CliValueValidation,
                &[
                    ("arg", c(ContextKind::InvalidArg)),
                    ("value", c(ContextKind::InvalidValue)),
                    ("detail", detail),
                ],
            )
        }
        ErrorKind::ArgumentConflict => say(
            Msg::CliConflict,
            &[
                ("arg", c(ContextKind::InvalidArg)),
                ("prior", c(ContextKind::PriorArg)),
            ],
        ),
        ErrorKind::TooManyValues => say(
            Msg::CliTooManyValues,
            &[
                ("arg", c(ContextKind::InvalidArg)),
                ("value", c(ContextKind::InvalidValue)),
            ],
        ),
        ErrorKind::TooFewValues => say(
            Msg::CliTooFewValues,
            &[
                ("arg", c(ContextKind::InvalidArg)),
                ("min", c(ContextKind::MinValues)),
                ("actual", c(ContextKind::ActualNumValues)),
            ],
        ),
        ErrorKind::WrongNumberOfValues => say(
            Msg::CliWrongNumberOfValues,
            &[
                ("arg", c(ContextKind::InvalidArg)),
                ("expected", c(ContextKind::ExpectedNumValues)),
                ("actual", c(ContextKind::ActualNumValues)),
            ],
        ),
        ErrorKind::NoEquals => say(Msg::CliNoEquals, &[("arg", c(ContextKind::InvalidArg))]),
        ErrorKind::InvalidUtf8 => say(Msg::CliInvalidUtf8, &[]),
        _ => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            let detail = first.strip_prefix("error: ").unwrap_or(first).to_owned();
            say(Msg::CliOther, &[("detail", detail)])
        }
    }
}

/// A wrong command line in `lang`: what is wrong, the usage of the (sub)command the arguments
/// name in the localised tree `cmd`, and where to read more. Clap's own detail of a value the
/// option's parser refused follows as technical detail.
pub fn error_text(e: &clap::Error, cmd: &mut Command, args: &[OsString], lang: Lang) -> String {
    let what = fill(lang.text(Msg::ErrorUsage), &[("detail", problem(e, lang))]);
    let (sub, path) = subcommand_path(cmd, args);
    let usage = usage_of(sub);
    format!(
        "{} {what}\n\n{} {usage}\n\n{}",
        lang.text(Msg::ErrorPrefix),
        lang.text(Msg::CliUsageHeading),
        fill(lang.text(Msg::CliSeeAlso), &[("command", path)])
    )
}

/// A tool's failure for people to read: in Vietnamese, what it means (a catalogue message, as
/// the console's error pages show it) and then the tool's own English words as technical
/// detail; in English, the tool's own words.
pub fn failure(lang: Lang, meaning: Msg, detail: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "{} {}\n{}: {detail}",
            lang.text(Msg::ErrorPrefix),
            lang.text(meaning),
            lang.text(Msg::ProblemTechnicalDetail)
        ),
        Lang::En => format!("{} {detail}", lang.text(Msg::ErrorPrefix)),
    }
}

/// What the tables lack for the tool `cmd` (as derive builds it, not localised): every command,
/// option, argument and described value that is not hidden must have a Vietnamese text that is
/// not its English one; and every text of the tables under the tool's name must still be used.
/// One line per problem. The localised tree is built in both languages first, so that clap's
/// own checks of a tree (in debug builds) run on it too.
pub fn check(cmd: &Command) -> Result<(), String> {
    check_with(cmd, texts::ALL)
}

fn check_with(cmd: &Command, table: &[&[Help]]) -> Result<(), String> {
    for lang in Lang::ALL {
        command_with(cmd.clone(), lang, table).debug_assert();
    }
    let mut problems = Vec::new();
    let mut used = Vec::new();
    check_at(cmd, cmd.get_name(), table, &mut problems, &mut used);
    let root = cmd.get_name();
    for help in table.iter().flat_map(|t| t.iter()) {
        let of_tool = help.key == root || help.key.starts_with(&format!("{root} "));
        let gated = texts::FEATURE_GATED.iter().any(|k| help.key.ends_with(k));
        if of_tool && !gated && !used.contains(&help.key) {
            problems.push(format!("{}: a text for nothing the tool has", help.key));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn check_at(
    cmd: &Command,
    path: &str,
    table: &[&[Help]],
    problems: &mut Vec<String>,
    used: &mut Vec<&'static str>,
) {
    let mut need = |key: &str, what: String| match lookup(table, path, key) {
        None => problems.push(format!("{what}: no text")),
        Some(help) => {
            used.push(help.key);
            if help.vi.trim().is_empty() || help.vi == help.en {
                problems.push(format!("{what}: no Vietnamese text of its own"));
            }
        }
    };
    need("", path.to_owned());
    if exact(table, &format!("{path} #exit-codes")).is_some() {
        need("#exit-codes", format!("{path} #exit-codes"));
    }
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let key = arg_key(arg);
        if arg.get_id() != "lang" || lookup(table, path, &key).is_some() {
            need(&key, format!("{path} {key}"));
        }
        for value in arg.get_possible_values() {
            if value.get_help().is_some() && !value.is_hide_set() {
                let key = format!("{key}={}", value.get_name());
                need(&key, format!("{path} {key}"));
            }
        }
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        check_at(
            sub,
            &format!("{path} {}", sub.get_name()),
            table,
            problems,
            used,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[Help] = &[
        Help {
            key: "tool",
            vi: "Công cụ thử",
            en: "A test tool",
        },
        Help {
            key: "tool --data",
            vi: "Thư mục dữ liệu",
            en: "The data directory",
        },
        Help {
            key: "tool run",
            vi: "Chạy",
            en: "Run",
        },
        Help {
            key: "tool run --mode",
            vi: "Cách chạy",
            en: "How to run",
        },
        Help {
            key: "tool run --mode=fast",
            vi: "nhanh",
            en: "quickly",
        },
        Help {
            key: "tool run --json",
            vi: "In dạng JSON",
            en: "Print JSON",
        },
        Help {
            key: "tool run <file>",
            vi: "Tệp cần chạy",
            en: "The file to run",
        },
    ];

    fn tool() -> Command {
        Command::new("tool")
            .version("1.0")
            .about("A test tool")
            .subcommand_required(true)
            .subcommand(
                Command::new("run")
                    .about("Run")
                    .arg(Arg::new("data").long("data").required(true))
                    .arg(
                        Arg::new("mode")
                            .long("mode")
                            .default_value("fast")
                            .value_parser([
                                clap::builder::PossibleValue::new("fast").help("quickly"),
                                clap::builder::PossibleValue::new("slow"),
                            ]),
                    )
                    .arg(Arg::new("json").long("json").action(ArgAction::SetTrue))
                    .arg(Arg::new("file")),
            )
    }

    fn localised(lang: Lang) -> Command {
        command_with(tool(), lang, &[TABLE])
    }

    fn help_of(lang: Lang, args: &[&str]) -> String {
        let err = localised(lang).try_get_matches_from(args).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DisplayHelp);
        err.render().to_string()
    }

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_the_last_lang_option_else_the_environment_else_vietnamese() {
        assert_eq!(lang_of(&os(&["pay", "--lang", "en"]), None), Lang::En);
        assert_eq!(lang_of(&os(&["--lang=en", "pay"]), Some("vi")), Lang::En);
        assert_eq!(lang_of(&os(&["--lang=en", "--lang", "vi"]), None), Lang::Vi);
        assert_eq!(lang_of(&os(&["pay"]), Some("en")), Lang::En);
        assert_eq!(lang_of(&os(&["pay", "--lang", "fr"]), Some("EN")), Lang::En);
        assert_eq!(lang_of(&os(&["pay"]), Some("fr")), Lang::Vi);
        assert_eq!(lang_of(&os(&["pay"]), None), Lang::Vi);
    }

    #[test]
    fn a_subcommands_help_is_vietnamese_with_its_values_default_and_headings() {
        let help = help_of(Lang::Vi, &["tool", "run", "--help"]);
        for part in [
            "Chạy",
            "Cách dùng: tool run [TUỲ CHỌN] --data <data> [file]",
            "Tuỳ chọn:",
            "Đối số:",
            "Thư mục dữ liệu",
            "Cách chạy [giá trị: fast (nhanh), slow; mặc định: fast]",
            "Tệp cần chạy",
            "-h, --help",
            "In trợ giúp của lệnh",
            "Ngôn ngữ của thông báo",
        ] {
            assert!(help.contains(part), "{part:?} not in {help}");
        }
        for english in ["Usage:", "Options:", "Arguments:", "Print help", "default:"] {
            assert!(!help.contains(english), "{english:?} in {help}");
        }
    }

    #[test]
    fn the_tools_help_lists_its_commands_and_the_version_flag_in_english_on_request() {
        let vi = help_of(Lang::Vi, &["tool", "--help"]);
        assert!(vi.contains("Lệnh:") && vi.contains("LỆNH") && vi.contains("In số phiên bản"));
        let en = help_of(Lang::En, &["tool", "--help"]);
        for part in [
            "A test tool",
            "Usage: tool",
            "Commands:",
            "Print help",
            "Print version",
        ] {
            assert!(en.contains(part), "{part:?} not in {en}");
        }
        assert!(!en.contains("Lệnh"), "{en}");
    }

    #[test]
    fn an_unknown_option_is_named_in_vietnamese_with_the_usage_and_where_to_read_more() {
        let mut cmd = localised(Lang::Vi);
        let args = os(&["tool", "run", "--data", "d", "--nonsense"]);
        let err = cmd.try_get_matches_from_mut(&args).unwrap_err();
        let text = error_text(&err, &mut cmd, &args, Lang::Vi);
        assert!(
            text.starts_with("Lỗi: Lệnh chưa đúng: lệnh này không có tuỳ chọn --nonsense"),
            "{text}"
        );
        assert!(text.contains("Cách dùng: tool run [TUỲ CHỌN]"), "{text}");
        assert!(text.ends_with("Xem thêm: tool run --help"), "{text}");
    }

    #[test]
    fn a_mistyped_option_is_suggested_and_a_missing_or_wrong_value_is_explained() {
        let mut cmd = localised(Lang::Vi);
        let cases: [(&[&str], &[&str]); 4] = [
            (
                &["tool", "run", "--dat", "d"],
                &["--dat", "có phải định viết --data?"],
            ),
            (
                &["tool", "run"],
                &["thiếu tuỳ chọn bắt buộc: --data <data>"],
            ),
            (
                &["tool", "run", "--data", "d", "--mode", "medium"],
                &[
                    "giá trị 'medium' không dùng được cho --mode <mode>",
                    "fast, slow",
                ],
            ),
            (&["tool", "walk"], &["không có lệnh 'walk'"]),
        ];
        for (args, parts) in cases {
            let args = os(args);
            let err = cmd.try_get_matches_from_mut(&args).unwrap_err();
            let text = error_text(&err, &mut cmd, &args, Lang::Vi);
            for part in parts {
                assert!(text.contains(part), "{part:?} not in {text}");
            }
        }
    }

    #[test]
    fn a_value_the_parser_refuses_keeps_the_parsers_words_as_technical_detail() {
        let mut cmd = Command::new("tool").arg(
            Arg::new("count")
                .long("count")
                .value_parser(clap::value_parser!(u8)),
        );
        let args = os(&["tool", "--count", "x"]);
        let err = cmd.try_get_matches_from_mut(&args).unwrap_err();
        let text = error_text(&err, &mut cmd, &args, Lang::Vi);
        assert!(
            text.contains(
                "giá trị 'x' của --count <count> không đúng (chi tiết kỹ thuật: invalid digit"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_lang_option_defaults_to_the_chosen_language() {
        let matches = localised(Lang::En)
            .try_get_matches_from(["tool", "run", "--data", "d"])
            .unwrap();
        let run = matches.subcommand_matches("run").unwrap();
        assert_eq!(
            run.get_one::<String>("lang").map(String::as_str),
            Some("en")
        );
    }

    #[test]
    fn the_check_finds_what_has_no_text_and_texts_for_nothing() {
        assert_eq!(check_with(&tool(), &[TABLE]), Ok(()));
        let with_more = tool().subcommand(Command::new("stop").arg(Arg::new("now").long("now")));
        let problems = check_with(&with_more, &[TABLE]).unwrap_err();
        assert!(problems.contains("tool stop: no text"), "{problems}");
        assert!(problems.contains("tool stop --now: no text"), "{problems}");
        let same = [Help {
            key: "tool run",
            vi: "Run",
            en: "Run",
        }];
        let problems = check_with(&tool(), &[&same, TABLE]).unwrap_err();
        assert!(
            problems.contains("tool run: no Vietnamese text of its own"),
            "{problems}"
        );
        let stale = [Help {
            key: "tool gone",
            vi: "Đã bỏ",
            en: "Gone",
        }];
        let problems = check_with(&tool(), &[TABLE, &stale]).unwrap_err();
        assert!(
            problems.contains("tool gone: a text for nothing"),
            "{problems}"
        );
    }

    #[test]
    fn a_failure_reads_its_meaning_then_the_tools_words_as_technical_detail() {
        assert_eq!(
            failure(Lang::Vi, Msg::ProblemNotFound, "no such office X"),
            "Lỗi: Không tìm thấy thẻ, đơn vị hoặc trang này.\nChi tiết kỹ thuật: no such office X"
        );
        assert_eq!(
            failure(Lang::En, Msg::ProblemNotFound, "no such office X"),
            "error: no such office X"
        );
    }
}
