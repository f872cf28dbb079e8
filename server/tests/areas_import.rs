//! `asxh-server areas import` with the official list as offices get it (a title row above the
//! header, semicolons, UTF-8 with a BOM; `tests/areas/danh-muc.csv`): the real binary on a real
//! data directory. Merged units keep their names and lead to their successors; a file with a bad
//! row imports nothing and exits 2.

use std::path::Path;
use std::process::Command;

use asxh_core::{AreaCode, Date};
use asxh_server::{areas, Store};

fn server(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_asxh-server"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_official_list_imports_and_a_merged_commune_is_named_with_its_successor() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    assert!(server(&["init", "--data", data]).status.success());
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/areas/danh-muc.csv");
    let out = server(&["areas", "import", "--data", data, list.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.contains("Đã nhập 4 đơn vị hành chính (2 đơn vị đã sáp nhập vào đơn vị khác)")
            && said.contains("CSV, UTF-8 (BOM), semicolon-separated"),
        "{said}"
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Mã tỉnh,Mã xã,Tên xã\n51,22904,Xã Mới\n27,123456,Xã Sai\n",
    )
    .unwrap();
    let out = server(&["areas", "import", "--data", data, bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("row 3: commune \"123456\" is not a code of 5 digits"),
        "{err}"
    );

    let store = Store::open(Path::new(data)).unwrap();
    let name = |code: &str, day: &str| {
        store
            .read(|c| {
                areas::name_of(
                    c,
                    &AreaCode::parse(code).unwrap(),
                    Date::parse("day", day).unwrap(),
                )
            })
            .unwrap()
            .text("nay thuộc")
    };
    assert_eq!(name("51.22903", "2025-08-01"), "Xã Nghĩa Hành, Quảng Ngãi");
    assert_eq!(
        name("51.22906", "2024-08-01"),
        "Xã Đình Cương, Quảng Ngãi (nay thuộc Xã Nghĩa Hành, Quảng Ngãi)"
    );
    assert_eq!(
        name("26.08884", "2024-08-01"),
        "Phường Liên Bảo, Vĩnh Phúc (nay thuộc Phường Vĩnh Phúc, Phú Thọ)"
    );
    assert_eq!(
        name("51.22904", "2025-08-01"),
        "Quảng Ngãi",
        "nothing of the bad file"
    );
}
