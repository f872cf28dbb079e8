//! The operating system's own words inside a technical detail ("No such file or directory (os
//! error 2)", "Connection refused (os error 111)"), said in Vietnamese for the errors a clerk or
//! an operator meets: a missing file, no permission, a full disk, a server that refuses or does
//! not answer. The error's number stays, for whoever helps them.

use std::borrow::Cow;

use crate::Lang;

/// The C library's description of each error and its Vietnamese words.
const DESCRIPTIONS: &[(&str, &str)] = &[
    ("No such file or directory", "không có tệp hoặc thư mục này"),
    ("Permission denied", "không có quyền truy cập"),
    ("Operation not permitted", "không được phép làm việc này"),
    ("File exists", "tệp đã có"),
    ("Not a directory", "không phải thư mục"),
    ("Is a directory", "là một thư mục, không phải tệp"),
    ("No space left on device", "ổ đĩa đã đầy"),
    (
        "Disk quota exceeded",
        "đã dùng hết dung lượng được cấp trên ổ đĩa",
    ),
    ("Read-only file system", "ổ đĩa chỉ cho đọc"),
    ("File name too long", "tên tệp quá dài"),
    ("Directory not empty", "thư mục không trống"),
    ("Input/output error", "lỗi đọc ghi ổ đĩa"),
    ("Too many open files", "mở quá nhiều tệp cùng lúc"),
    ("Connection refused", "máy chủ từ chối kết nối"),
    ("Connection reset by peer", "máy bên kia ngắt kết nối"),
    ("Connection timed out", "quá thời gian chờ kết nối"),
    ("No route to host", "không có đường mạng tới máy chủ"),
    ("Network is unreachable", "không vào được mạng"),
    (
        "Address already in use",
        "địa chỉ đã có chương trình khác dùng",
    ),
    (
        "Cannot assign requested address",
        "máy này không có địa chỉ đó",
    ),
    ("Broken pipe", "nơi nhận dữ liệu đã đóng"),
];

/// `detail` with the operating system's words in `lang`: in Vietnamese each description the
/// table knows is replaced; anything else is left as it is.
pub fn in_lang(detail: &str, lang: Lang) -> Cow<'_, str> {
    if lang == Lang::En || !detail.contains("(os error ") {
        return Cow::Borrowed(detail);
    }
    let mut out = Cow::Borrowed(detail);
    for (english, vietnamese) in DESCRIPTIONS {
        if out.contains(english) {
            out = Cow::Owned(out.replace(english, vietnamese));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io_text(kind: i32) -> String {
        std::io::Error::from_raw_os_error(kind).to_string()
    }

    #[test]
    fn a_missing_file_and_a_refused_connection_read_in_vietnamese_with_their_numbers() {
        assert_eq!(
            in_lang(&io_text(2), Lang::Vi),
            "không có tệp hoặc thư mục này (os error 2)"
        );
        assert_eq!(
            in_lang(
                &format!("error sending request: {}", io_text(111)),
                Lang::Vi
            ),
            "error sending request: máy chủ từ chối kết nối (os error 111)"
        );
        assert_eq!(in_lang(&io_text(2), Lang::En), io_text(2));
    }

    #[test]
    fn every_description_is_the_one_the_operating_system_writes() {
        // The errors' numbers on Linux, in the table's order.
        let numbers = [
            2, 13, 1, 17, 20, 21, 28, 122, 30, 36, 39, 5, 24, 111, 104, 110, 113, 101, 98, 99, 32,
        ];
        assert_eq!(numbers.len(), DESCRIPTIONS.len());
        for (n, (english, _)) in numbers.iter().zip(DESCRIPTIONS) {
            assert_eq!(io_text(*n), format!("{english} (os error {n})"));
        }
    }

    #[test]
    fn a_detail_without_an_operating_system_error_is_left_as_it_is() {
        let detail = "Permission denied by the server's policy";
        assert_eq!(in_lang(detail, Lang::Vi), detail);
    }
}
