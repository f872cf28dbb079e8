//! Lists as offices save them, made in the test that reads them: the same text in each encoding
//! Excel writes ([`utf8_bom`], [`utf16le_bom`], [`utf16be_bom`], [`windows_1258`]) and an XLSX
//! workbook with text, number and date cells ([`xlsx`]), so no binary fixture is committed.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use unicode_normalization::UnicodeNormalization;

/// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
pub fn utf8_bom(text: &str) -> Vec<u8> {
    [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
}

/// UTF-16 little-endian with a byte-order mark (Excel's "Unicode Text").
pub fn utf16le_bom(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

/// UTF-16 big-endian with a byte-order mark.
pub fn utf16be_bom(text: &str) -> Vec<u8> {
    [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect()
}

/// Windows-1258 as Windows writes Vietnamese in it: a letter with its circumflex, breve or horn
/// precomposed (â, ă, ơ, …) and the tone mark after it as a combining character (the code page
/// has no "ầ"). Panics on a character the code page cannot hold.
pub fn windows_1258(text: &str) -> Vec<u8> {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut out = String::new();
    let mut letter = String::new();
    let mut tones = String::new();
    let flush = |out: &mut String, letter: &mut String, tones: &mut String| {
        out.extend(letter.nfc());
        out.push_str(tones);
        letter.clear();
        tones.clear();
    };
    for c in text.nfd() {
        if TONES.contains(&c) {
            tones.push(c);
        } else if unicode_normalization::char::is_combining_mark(c) {
            letter.push(c);
        } else {
            flush(&mut out, &mut letter, &mut tones);
            letter.push(c);
        }
    }
    flush(&mut out, &mut letter, &mut tones);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&out);
    assert!(
        !unmappable,
        "{text:?} has a character Windows-1258 cannot hold"
    );
    bytes.into_owned()
}

/// A cell of a test workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum XlsxCell {
    Text(String),
    Number(f64),
    /// A real date cell (shown as dd/mm/yyyy).
    Date(u16, u8, u8),
    Empty,
}

/// An XLSX workbook with one worksheet named `worksheet` holding `rows`.
pub fn xlsx(worksheet: &str, rows: &[Vec<XlsxCell>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(worksheet).expect("worksheet name");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                XlsxCell::Text(t) => sheet.write_string(r, c, t).map(drop),
                XlsxCell::Number(n) => sheet.write_number(r, c, *n).map(drop),
                XlsxCell::Date(y, m, d) => sheet
                    .write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(*y, *m, *d).expect("a date"),
                        &date,
                    )
                    .map(drop),
                XlsxCell::Empty => Ok(()),
            }
            .expect("cell written");
        }
    }
    book.save_to_buffer().expect("workbook saved")
}
