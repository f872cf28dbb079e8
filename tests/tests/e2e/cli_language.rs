//! The tools' command lines in the clerk's language: `--help` of the verifier, the personalizer
//! and the server in Vietnamese by default and in English with `--lang en` or `ASXH_LANG=en`,
//! clap's usage errors written in the same language with exit code 2, and the server's errors
//! read as their meaning first with the server's own words as technical detail.

use std::process::{Command, Output};

use asxh_e2e::binary;

/// Runs a tool with `ASXH_LANG` set to `env` (or unset).
fn run(tool: &'static str, args: &[&str], env: Option<&str>) -> Output {
    let mut command = Command::new(binary(tool));
    command.args(args);
    match env {
        Some(lang) => command.env("ASXH_LANG", lang),
        None => command.env_remove("ASXH_LANG"),
    };
    command.output().expect("the tool runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const ENGLISH_HELP: [&str; 7] = [
    "Usage:",
    "Options:",
    "Commands:",
    "Print help",
    "Print version",
    "[default:",
    "[possible values:",
];

#[test]
fn the_help_of_each_tool_and_subcommand_is_vietnamese_by_default() {
    let cases: [(&'static str, &[&str], &[&str]); 4] = [
        (
            "asxh-verifier",
            &["--help"],
            &["Lệnh:", "Kiểm tra thẻ trong đầu đọc", "Mã thoát: 0 hợp lệ"],
        ),
        (
            "asxh-verifier",
            &["pay", "--help"],
            &[
                "Cách dùng: asxh-verifier pay [TUỲ CHỌN] --data <DATA>",
                "holder (người thụ hưởng)",
                "[mặc định: all]",
            ],
        ),
        (
            "asxh-personalizer",
            &["batch", "--help"],
            &["Cấp thẻ cho mọi dòng của một danh sách", "--skip-invalid"],
        ),
        (
            "asxh-server",
            &["--help"],
            &["Máy chủ cấp thẻ", "Đơn vị cấp thẻ", "In số phiên bản"],
        ),
    ];
    for (tool, args, parts) in cases {
        let out = run(tool, args, None);
        let help = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{tool} {args:?}: {help}");
        for part in ["Cách dùng:", "Tuỳ chọn:", "In trợ giúp của lệnh"]
            .iter()
            .chain(parts)
        {
            assert!(
                help.contains(part),
                "{part:?} not in {tool} {args:?}: {help}"
            );
        }
        for english in ENGLISH_HELP {
            assert!(
                !help.contains(english),
                "{english:?} in {tool} {args:?}: {help}"
            );
        }
    }
}

#[test]
fn the_help_is_english_with_lang_en_anywhere_or_asxh_lang_en() {
    let cases: [(&'static str, &[&str], Option<&str>); 5] = [
        ("asxh-verifier", &["pay", "--lang", "en", "--help"], None),
        ("asxh-verifier", &["--lang", "en", "--help"], Some("vi")),
        ("asxh-verifier", &["--help"], Some("en")),
        ("asxh-personalizer", &["--lang=en", "batch", "--help"], None),
        ("asxh-server", &["--help", "--lang", "en"], None),
    ];
    for (tool, args, env) in cases {
        let out = run(tool, args, env);
        let help = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{tool} {args:?}: {help}");
        for part in ["Usage:", "Options:", "Print help"] {
            assert!(
                help.contains(part),
                "{part:?} not in {tool} {args:?}: {help}"
            );
        }
        for vietnamese in ["Cách dùng", "Tuỳ chọn", "In trợ giúp"] {
            assert!(
                !help.contains(vietnamese),
                "{vietnamese:?} in {tool} {args:?}: {help}"
            );
        }
    }
    let pay = text(&run("asxh-verifier", &["pay", "--lang", "en", "--help"], None).stdout);
    assert!(
        pay.contains("Pay the beneficiary of the card") && pay.contains("[default: all]"),
        "{pay}"
    );
}

#[test]
fn an_unknown_option_exits_2_naming_it_in_vietnamese_with_the_usage_and_where_to_read_more() {
    let out = run("asxh-verifier", &["card", "--nonsense"], None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("Lỗi: Lệnh chưa đúng: lệnh này không có tuỳ chọn --nonsense"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Cách dùng: asxh-verifier card [TUỲ CHỌN] --data <DATA>")
            && stderr.contains("Xem thêm: asxh-verifier card --help"),
        "{stderr}"
    );
    for english in [
        "error:",
        "unexpected argument",
        "Usage:",
        "For more information",
    ] {
        assert!(!stderr.contains(english), "{english:?} in {stderr}");
    }

    let out = run("asxh-verifier", &["verify", "--nonsense"], None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("không có lệnh 'verify'")
            && stderr.contains("Xem thêm: asxh-verifier --help"),
        "{stderr}"
    );

    let out = run(
        "asxh-verifier",
        &["card", "--nonsense", "--lang", "en"],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: unexpected argument '--nonsense' found")
            && stderr.contains("Usage: asxh-verifier card [OPTIONS] --data <DATA>"),
        "{stderr}"
    );
}

#[test]
fn a_missing_option_a_wrong_choice_and_a_refused_value_are_explained_in_vietnamese() {
    let out = run("asxh-verifier", &["init", "--data", "d"], None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("thiếu tuỳ chọn bắt buộc: --server <SERVER>, --root-fingerprint"),
        "{stderr}"
    );

    let out = run(
        "asxh-verifier",
        &["pay", "--data", "d", "--collector", "neighbour"],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("giá trị 'neighbour' không dùng được cho --collector <COLLECTOR>; các giá trị được chấp nhận: holder, recipient"),
        "{stderr}"
    );

    let out = run(
        "asxh-personalizer",
        &[
            "batch",
            "--check",
            "--input",
            "list.csv",
            "--card-timeout",
            "5x",
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("giá trị '5x' của --card-timeout <CARD_TIMEOUT> không đúng (chi tiết kỹ thuật: \"5x\": the unit is s, m or h)"),
        "{stderr}"
    );
}

#[test]
fn a_server_error_reads_its_meaning_then_the_servers_words_and_keeps_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let init = run("asxh-server", &["init", "--data", data], None);
    assert!(init.status.success(), "{}", text(&init.stderr));

    let args = ["office", "rotate-key", "--data", data, "--code", "NOPE"];
    let out = run("asxh-server", &args, None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "Lỗi: Không tìm thấy thẻ, đơn vị hoặc trang này.\nChi tiết kỹ thuật: office NOPE does not exist"
    );

    let out = run("asxh-server", &args, Some("en"));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(stderr.trim_end(), "error: office NOPE does not exist");
}
