//! The tools' command lines in the clerk's language: `--help` of the verifier, the personalizer
//! and the server in Vietnamese by default and in English with `--lang en` or `ASXH_LANG=en`,
//! clap's usage errors written in the same language with exit code 2, and the server's errors
//! read as their meaning first with the server's own words as technical detail; what the server's
//! commands did (init, office add and list, account add, revoke) said in the same language, with
//! the values scripts read (fingerprint, token, columns, versions) where they always were.

use std::process::{Command, Output};

use asxh_e2e::binary;
use asxh_e2e::server::{issue_body, ServerDir};

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

/// English words of the server's output that a Vietnamese line never has.
const ENGLISH_SAID: [&str; 9] = [
    "initialised",
    "fingerprint",
    "added",
    "created",
    "token is",
    "revoked",
    "version",
    " cards",
    "  key ",
];

/// `asxh-server init` in a new directory, `--lang en` when `english`: its standard output.
fn init_said(english: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut args = vec!["init", "--data", data.to_str().unwrap()];
    if english {
        args.extend(["--lang", "en"]);
    }
    let out = run("asxh-server", &args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The number last on the last line (a list's version).
fn last_number(said: &str) -> u64 {
    said.lines()
        .last()
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no version last in {said}"))
}

#[test]
fn the_servers_commands_say_what_they_did_in_vietnamese_and_in_english_with_lang_en() {
    let vi = init_said(false);
    let lines: Vec<&str> = vi.lines().collect();
    assert!(lines[0].starts_with("Đã khởi tạo thư mục dữ liệu "), "{vi}");
    assert!(
        lines[1].starts_with("Dấu vân tay khóa gốc (ghi vào mọi máy kiểm tra thẻ): "),
        "{vi}"
    );
    let en = init_said(true);
    assert!(en.starts_with("initialised "), "{en}");
    assert!(
        en.contains("\nroot key fingerprint (pin it in every verifier): "),
        "{en}"
    );
    for said in [&vi, &en] {
        let fp = said.lines().nth(1).unwrap().rsplit_once(": ").unwrap().1;
        assert_eq!(fp.len(), 64, "the fingerprint alone after ': ': {said}");
        assert!(fp.bytes().all(|b| b.is_ascii_hexdigit()), "{said}");
    }

    let dir = ServerDir::init();
    assert_eq!(dir.fingerprint.len(), 64, "{}", dir.fingerprint);
    let server = dir.start();
    let mut said_vi = String::new();
    let mut said_en = String::new();
    let mut last_version = 0;
    for (n, (office, english)) in [("QNG-01", false), ("QNG-02", true)]
        .into_iter()
        .enumerate()
    {
        let lang: &[&str] = if english { &["--lang", "en"] } else { &[] };
        let cli = |args: &[&str]| {
            let all: Vec<&str> = args.iter().chain(lang).copied().collect();
            let out = dir.cli(&all);
            assert!(out.status.success(), "{all:?}: {}", text(&out.stderr));
            (text(&out.stdout), text(&out.stderr))
        };
        let said = if english { &mut said_en } else { &mut said_vi };

        let (added, _) = cli(&[
            "office",
            "add",
            "--code",
            office,
            "--name",
            "Phòng LĐ-TB&XH",
            "--area",
            "51",
        ]);
        let (token, note) = cli(&["account", "add", "--role", "office", "--office", office]);
        let token = token.strip_suffix('\n').expect("one line");
        assert!(
            !token.contains(char::is_whitespace),
            "the token alone on stdout: {token:?}"
        );
        assert_eq!(
            server.get("/v1/whoami", Some(token)).status,
            200,
            "a working token"
        );
        let (listed, _) = cli(&["office", "list"]);
        let row = listed
            .lines()
            .find(|l| l.split('\t').next() == Some(office))
            .unwrap_or_else(|| panic!("{office} in {listed}"));
        assert_eq!(
            row.split('\t').nth(1),
            Some("51"),
            "the area's column: {row}"
        );

        let issued = server.post("/v1/cards", Some(token), issue_body(300 + n as u32, "51"));
        assert_eq!(issued.status, 201, "{}", issued.json());
        let serial = issued.json()["serial"].as_str().unwrap().to_owned();
        let (revoked, _) = cli(&["revoke", "--serial", &serial, "--reason", "lost"]);
        let version = last_number(&revoked);
        assert!(version > last_version, "a new list's version: {revoked}");
        last_version = version;
        *said = [added, note, listed, revoked].concat();
        if english {
            assert!(
                said.contains(&format!("office {office} added, issuer key ")),
                "{said}"
            );
            assert!(
                said.contains("(office) created; its token is shown only once:"),
                "{said}"
            );
            assert!(said.contains("\t0 cards\n  key "), "{said}");
            assert!(
                said.contains(&format!(
                    "revoked {serial} (lost)\nrevocation list version {version}"
                )),
                "{said}"
            );
        } else {
            assert!(
                said.contains(&format!("Đã thêm đơn vị cấp thẻ {office}, khóa ký ")),
                "{said}"
            );
            assert!(
                said.contains("(Đơn vị cấp thẻ); mã truy cập (token) chỉ hiện một lần:"),
                "{said}"
            );
            assert!(said.contains("\t0 thẻ\n  khóa ký "), "{said}");
            assert!(said.contains(&format!("Đã ngừng sử dụng thẻ {serial} (mất thẻ)\nDanh sách thu hồi phiên bản {version}")), "{said}");
        }
    }
    for word in ENGLISH_SAID {
        assert!(
            !vi.contains(word) && !said_vi.contains(word),
            "{word:?} in {vi}{said_vi}"
        );
        assert!(
            en.contains(word) || said_en.contains(word),
            "{word:?} in {en}{said_en}"
        );
    }
}
