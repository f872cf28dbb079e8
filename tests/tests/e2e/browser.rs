//! The browser the end-to-end tests drive, shared by the console's and the counter page's
//! tests: Debian's Chromium headless through chromedriver (fantoccini), and the checks every
//! page gets — a screenshot, axe-core's WCAG 2.1 A and AA rules, a focus ring of 3:1 against
//! what is behind it, reflow at 320 CSS px, and no English that once leaked onto a Vietnamese
//! page.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// A chromedriver process on a free port, killed on drop.
pub(crate) struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub(crate) fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver; scripts/setup installs it)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start listening"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1366,768", "--lang=vi"],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session through chromedriver")
}

/// `target/<shots>/`, made if need be.
fn screenshot_dir(shots: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target")
        .join(shots);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Leaves a screenshot of the page as `target/<shots>/<name>.png`.
pub(crate) async fn snap(c: &Client, shots: &str, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshot_dir(shots).join(format!("{name}.png")), png).unwrap();
}

/// axe-core, injected into each page the browser test visits (`tests/assets/axe-core/`).
const AXE: &str = include_str!("../../assets/axe-core/axe.min.js");

/// Runs axe-core's WCAG 2.1 A and AA rules on the page: one line per rule it finds broken.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
    + v.nodes.map(n => n.target.join(' ')).join(', '))))
  .catch(e => done(['axe-core failed: ' + e]));
"#;

/// Focuses the first visible element `arguments[0]` names that is not disabled (a disabled
/// control takes no focus) and answers its outline colour and the colour behind
/// it (the first ancestor with a background), both as `rgb(…)`.
const FOCUS_RING: &str = r#"
const el = [...document.querySelectorAll(arguments[0])]
  .find(e => e.type !== 'hidden' && !e.disabled && e.getClientRects().length > 0);
if (!el) return null;
el.focus();
if (document.activeElement !== el) return ['no focus on ' + el.outerHTML.slice(0, 80), ''];
const outline = getComputedStyle(el).outlineColor;
let back = el.parentElement;
while (back && ['transparent', 'rgba(0, 0, 0, 0)'].includes(getComputedStyle(back).backgroundColor)) {
  back = back.parentElement;
}
const behind = back ? getComputedStyle(back).backgroundColor : 'rgb(255, 255, 255)';
el.blur();
return [outline, behind];
"#;

/// The WCAG contrast ratio of two `rgb(r, g, b)` colours.
pub(crate) fn contrast(a: &str, b: &str) -> f64 {
    fn luminance(css: &str) -> f64 {
        let channels: Vec<f64> = css
            .trim_start_matches("rgba(")
            .trim_start_matches("rgb(")
            .trim_end_matches(')')
            .split(',')
            .take(3)
            .map(|c| c.trim().parse::<f64>().expect("an rgb() colour") / 255.0)
            .map(|c| {
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            })
            .collect();
        0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The text a Vietnamese page shows, without what it marks as English on purpose (`lang="en"`:
/// the language switch, the server's own words under "Chi tiết kỹ thuật"): `null` on a page
/// in another language.
const VIETNAMESE_TEXT: &str = r#"
if (document.documentElement.lang !== 'vi') { return null; }
const body = document.body.cloneNode(true);
body.querySelectorAll('[lang]:not([lang="vi"]), script, style').forEach(e => e.remove());
return body.textContent.replace(/\s+/g, ' ');
"#;

/// English that once reached a Vietnamese page (the card's history, roles, statuses, refusals,
/// buttons, headings), as whole words.
const ENGLISH_THAT_LEAKED: &[&str] = &[
    "issued",
    "activated",
    "revoked",
    "Revoked",
    "voided",
    "Active",
    "Pending",
    "office#",
    "admin#",
    "Not allowed",
    "may not",
    "Search",
    "Dashboard",
    "Cards",
    "Offices",
    "Accounts",
    "Log out",
    "Sign out",
    "Back",
    "Status",
    "Reason",
    "Serial",
    "Holder",
    "Name",
    "Date",
    "Unknown",
    "Error",
    "the",
    "and",
    "of",
    "is",
    "not",
    "with",
    "this",
];

/// Common English words that no Vietnamese text has.
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "for", "with", "this", "that", "from", "not", "are", "was", "has", "have",
    "been", "will", "can", "cannot", "may", "must", "should", "which", "what", "when", "where",
    "who", "your", "you", "its", "their", "there", "here", "than", "then", "into", "only", "each",
    "every", "other", "more", "less", "all", "any", "some", "none", "yes", "no", "new", "old",
    "card", "cards", "page", "error", "failed", "invalid", "missing", "unknown", "found", "save",
    "send", "cancel", "confirm", "print", "download", "upload", "delete", "edit", "view", "show",
    "hide", "next", "previous", "total", "amount", "month", "year", "day", "date", "time",
];

/// The English a Vietnamese page must not show: the words that once leaked, the common English
/// words, and every word of the catalogue's English texts that none of its Vietnamese texts has
/// (so a message that falls back to English, or an English text written in a page, is found).
fn english_words() -> &'static std::collections::HashSet<String> {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        fn words(text: &str) -> impl Iterator<Item = String> + '_ {
            // Placeholders ({serial}) are not words of the text.
            let mut depth = 0;
            let plain: String = text
                .chars()
                .map(|c| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ if depth == 0 => return c,
                        _ => {}
                    }
                    ' '
                })
                .collect();
            plain
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .into_iter()
        }
        let vietnamese: std::collections::HashSet<String> = asxh_text::Msg::ALL
            .iter()
            .filter_map(|m| m.vi())
            .flat_map(words)
            .collect();
        asxh_text::Msg::ALL
            .iter()
            .flat_map(|m| words(m.en()))
            .chain(ENGLISH_WORDS.iter().map(|w| w.to_string()))
            .filter(|w| !vietnamese.contains(w) && w.is_ascii())
            .collect()
    })
}

/// The English words of [`ENGLISH_THAT_LEAKED`] and [`english_words`] that `text` holds as words.
pub(crate) fn english_in(text: &str) -> Vec<String> {
    let words: std::collections::HashSet<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '#'))
        .collect();
    let text_words: Vec<&str> = text.split_whitespace().collect();
    let leaked = ENGLISH_THAT_LEAKED.iter().copied().filter(|w| {
        if w.contains(' ') {
            text_words.join(" ").contains(w)
        } else {
            words.contains(w) || (w.ends_with('#') && text.contains(w))
        }
    });
    let catalogue = english_words();
    let mut found: Vec<String> = leaked.map(str::to_owned).collect();
    let mut seen: std::collections::HashSet<String> =
        found.iter().map(|w| w.to_lowercase()).collect();
    for word in text.split(|c: char| !c.is_alphabetic()) {
        let lower = word.to_lowercase();
        if catalogue.contains(&lower) && seen.insert(lower) {
            found.push(word.to_owned());
        }
    }
    found
}

#[test]
fn the_english_check_finds_whole_words_only() {
    assert_eq!(
        english_in("Thẻ đã Ngừng sử dụng (mất thẻ) — Đơn vị cấp thẻ #1 (QNG-01)"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_in("Sự kiện: issued bởi office#1@QNG-01; Not allowed"),
        ["issued", "office#", "Not allowed", "Not", "allowed"]
    );
    let nothing = english_in("Thesis: Nothing");
    assert!(
        !nothing.iter().any(|w| w == "Not" || w == "the"),
        "{nothing:?}"
    );
}

#[test]
fn the_english_check_finds_a_catalogue_text_that_fell_back_to_english() {
    let english = asxh_text::Lang::En.text(asxh_text::Msg::ConsoleChooseAReason);
    assert!(
        !english_in(&format!("Thẻ số 000123: {english}")).is_empty(),
        "{english}"
    );
    assert!(english_words().len() > 500, "{}", english_words().len());
    let vietnamese = asxh_text::Lang::Vi.text(asxh_text::Msg::ConsoleChooseAReason);
    assert_eq!(english_in(vietnamese), Vec::<String>::new());
}

/// Leaves a screenshot of the page in `target/<shots>/`, then checks it: a Vietnamese page shows none of the English
/// that used to leak; axe-core finds nothing; the focus ring of a
/// link in the page and of one in the header has at least 3:1 against what is behind it (WCAG
/// 1.4.11, which axe does not check); at 320 CSS px wide the page does not scroll sideways (WCAG
/// 1.4.10), with a screenshot of that view too.
pub(crate) async fn check_page(c: &Client, shots: &str, name: &str) {
    snap(c, shots, name).await;
    let text = c.execute(VIETNAMESE_TEXT, vec![]).await.unwrap();
    if let Some(text) = text.as_str() {
        let english = english_in(text);
        assert!(
            english.is_empty(),
            "page {name} is Vietnamese but shows {english:?}: {text}"
        );
    }
    c.execute(AXE, vec![]).await.expect("axe-core loads");
    let found = c
        .execute_async(AXE_RUN, vec![])
        .await
        .expect("axe-core runs");
    let found: Vec<String> = serde_json::from_value(found).unwrap();
    assert!(found.is_empty(), "page {name}: axe-core finds {found:#?}");

    for target in [
        "main a, main button, main input, main select, main summary",
        "header a",
    ] {
        let ring = c.execute(FOCUS_RING, vec![json!(target)]).await.unwrap();
        if let Some([outline, behind]) =
            serde_json::from_value::<Option<[String; 2]>>(ring).unwrap()
        {
            let ratio = contrast(&outline, &behind);
            assert!(
                ratio >= 3.0,
                "page {name}: the focus ring of `{target}` is {outline} on {behind}, {ratio:.2}:1"
            );
        }
    }

    c.set_window_size(320, 800).await.unwrap();
    let widths = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let [scroll, inner]: [u64; 2] = serde_json::from_value(widths).unwrap();
    snap(c, shots, &format!("{name}-320px")).await;
    c.set_window_size(1366, 768).await.unwrap();
    assert!(
        inner <= 330,
        "the window could not be made 320 px wide (it is {inner} px)"
    );
    assert!(
        scroll <= inner,
        "page {name}: at {inner} px wide the page is {scroll} px wide, it scrolls sideways"
    );
}
