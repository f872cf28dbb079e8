//! Messages with data: a typed value (a verifier's finding, an error of a tool) that people read
//! is a catalogue template ([`Msg`] with `{name}` placeholders) and the values of its
//! placeholders, through [`Catalogued`]. Each such type lists one example of each of its
//! variants, so that [`check_catalogued`] can walk them in its crate's tests: a variant whose
//! template has no Vietnamese text, or whose placeholders and values do not match, fails there.

use crate::{Lang, Msg};

/// The values of a template's placeholders, by name.
pub type Args = Vec<(&'static str, String)>;

/// A typed message people read.
pub trait Catalogued {
    /// The catalogue template of this value and the values of its placeholders, written in
    /// `lang` (a value that is itself a message is written in the same language).
    fn message(&self, lang: Lang) -> (Msg, Args);

    /// One value of each variant, for the catalogue test.
    fn examples() -> Vec<Self>
    where
        Self: Sized;

    /// The text in `lang`; the operating system's words in a `{detail}` are in `lang` too.
    fn text(&self, lang: Lang) -> String {
        let (msg, mut args) = self.message(lang);
        for (name, value) in &mut args {
            if *name == "detail" {
                if let std::borrow::Cow::Owned(said) = crate::os_error::in_lang(value, lang) {
                    *value = said;
                }
            }
        }
        fill(lang.text(msg), &args)
    }
}

/// `template` with each `{name}` replaced by its value; the values are not searched again.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + len];
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => {
                out.push_str(&rest[..open]);
                out.push_str(value);
            }
            None => out.push_str(&rest[..open + len + 1]),
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The placeholders of a template, sorted.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Walks every example of `T` in both languages: its template must have its Vietnamese text, and
/// the value must fill every placeholder of both texts of the template (a text may leave out a
/// value the other language shows, such as an explanation). Returns what is wrong, one line per
/// problem.
pub fn check_catalogued<T: Catalogued + std::fmt::Debug>() -> Result<(), String> {
    let mut problems = Vec::new();
    let examples = T::examples();
    if examples.is_empty() {
        problems.push(format!("{} lists no examples", std::any::type_name::<T>()));
    }
    for example in &examples {
        for lang in Lang::ALL {
            let (msg, args) = example.message(lang);
            let vi = msg.vi().filter(|vi| !vi.trim().is_empty());
            if vi.is_none() {
                problems.push(format!("{example:?}: {msg:?} has no Vietnamese text"));
            }
            let mut given: Vec<&str> = args.iter().map(|(n, _)| *n).collect();
            given.sort_unstable();
            for (which, template) in [("Vietnamese", vi.unwrap_or("")), ("English", msg.en())] {
                if vi.is_some() || which == "English" {
                    let wanted = placeholders(template);
                    let unfilled: Vec<&&str> =
                        wanted.iter().filter(|w| !given.contains(w)).collect();
                    if !unfilled.is_empty() {
                        problems.push(format!(
                            "{example:?} ({lang:?}): the {which} text of {msg:?} has the placeholders {unfilled:?} the value does not fill"
                        ));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_and_unknown_braces_stay() {
        let args = vec![("ssn", "0{ssn}".to_owned()), ("line", "3".to_owned())];
        assert_eq!(
            fill("{ssn} ở dòng {line}, {other} {", &args),
            "0{ssn} ở dòng 3, {other} {"
        );
        assert_eq!(placeholders("{b} {a} {b} {Not} {}"), vec!["a", "b"]);
    }

    #[derive(Debug)]
    enum Sample {
        Good,
        Untranslated,
        Unfilled,
    }

    impl Catalogued for Sample {
        fn message(&self, _: Lang) -> (Msg, Args) {
            match self {
                Sample::Good => (
                    Msg::SsnAlreadyOnLine,
                    vec![("ssn", "1".into()), ("line", "2".into())],
                ),
                Sample::Untranslated => (Msg::CardName, vec![]),
                Sample::Unfilled => (Msg::SsnAlreadyOnLine, vec![("ssn", "1".into())]),
            }
        }
        fn examples() -> Vec<Self> {
            vec![Sample::Good, Sample::Untranslated, Sample::Unfilled]
        }
    }

    #[test]
    fn the_check_names_a_variant_whose_placeholders_are_not_filled() {
        let problems = check_catalogued::<Sample>().unwrap_err();
        assert!(problems.contains("Unfilled"), "{problems}");
        assert!(!problems.contains("Good"), "{problems}");
        assert!(!problems.contains("Untranslated"), "{problems}");
        assert_eq!(Sample::Good.text(Lang::Vi), "số định danh 1 đã có ở dòng 2");
    }
}
