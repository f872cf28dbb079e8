//! The help texts of asxh-personalizer's command line (the issuing office's tool).

use crate::cli::Help;

pub(crate) const TEXTS: &[Help] = super::help! {
    "asxh-personalizer" =>
        "Ghi dữ liệu và in thẻ an sinh xã hội điện tử tại đơn vị cấp thẻ",
        "Personalize and print electronic social security cards at an issuing office";
    "asxh-personalizer #exit-codes" =>
        "Mã thoát: 0 xong, 2 lệnh chưa đúng, 3 dữ liệu không hợp lệ (chưa đụng đến thẻ nào), 4 thẻ không phải phôi thẻ, 5 thẻ vừa ghi không kiểm tra đạt, 6 máy chủ từ chối, 7 lỗi tệp công việc hoặc tệp kết quả, 8 lô xong nhưng có dòng lỗi, 9 có hồ sơ nghi trùng chờ quyết định (--accept-duplicates), 10 lô xong nhưng có dòng bị trả lại (trong tệp các dòng bị trả lại), 40 lỗi thẻ hoặc đầu đọc, 41 không kết nối được máy chủ, 130 lô dừng vì Ctrl-C (làm tiếp bằng --resume).",
        "Exit codes: 0 done, 2 usage, 3 invalid data (nothing was touched), 4 card not blank, 5 the written card did not verify, 6 the server refused, 7 job file or output error, 8 a batch finished with failed rows, 9 likely duplicates wait for a decision (--accept-duplicates), 10 a batch finished with rejected rows (sent back in the rejected file), 40 card or reader error, 41 server unreachable, 130 a batch stopped by Ctrl-C (carry on with --resume).";

    // Options several commands share.
    "asxh-personalizer --server" =>
        "Địa chỉ máy chủ cấp thẻ (http:// hoặc https://)",
        "The issuing server's address (http:// or https://)";
    "asxh-personalizer --token-file" =>
        "Tệp chứa mã truy cập (token) của tài khoản đơn vị cấp thẻ",
        "File holding the office account's bearer token";
    "asxh-personalizer --ca-file" =>
        "Chứng chỉ CA của tỉnh (PEM), được tin cậy cùng với kho chứng chỉ của hệ điều hành",
        "The province's CA certificate (PEM), trusted besides the operating system's store";
    "asxh-personalizer --reader" =>
        "Tên đầu đọc thẻ PC/SC (hoặc một phần tên); mặc định: đầu đọc đầu tiên",
        "PC/SC reader name (or part of it); default: the first reader";
    "asxh-personalizer --emulator" =>
        "Thẻ giả lập có trạng thái lưu trong tệp này (tạo phôi thẻ mới nếu chưa có; chỉ có khi dựng với tính năng `emulator`)",
        "An emulated card whose state is in this file (created blank if missing; built with the `emulator` feature only)";
    "asxh-personalizer --admin-code" =>
        "Mã quản trị của phôi thẻ (do nhà cung cấp thẻ giao)",
        "Administrative code of the blank cards (as delivered by the card vendor)";

    "asxh-personalizer readers" =>
        "Liệt kê các đầu đọc thẻ PC/SC và cho biết đầu đọc nào đang có thẻ",
        "List PC/SC readers and whether a card is in each";
    "asxh-personalizer inspect" =>
        "Xem vòng đời, số sê-ri và người thụ hưởng của một thẻ",
        "Show a card's life cycle, serial and holder";

    "asxh-personalizer issue" =>
        "Cấp một thẻ: ghi dữ liệu, khóa, kiểm tra, kích hoạt, in",
        "Issue one card: personalize, lock, verify, activate, print";
    "asxh-personalizer issue --ssn" =>
        "Số định danh cá nhân (12 chữ số) của người thụ hưởng",
        "The beneficiary's personal identification number (12 digits)";
    "asxh-personalizer issue --name" =>
        "Họ và tên của người thụ hưởng, có dấu",
        "The beneficiary's full name, with its diacritics";
    "asxh-personalizer issue --dob" =>
        "Ngày sinh: dd/mm/yyyy, mm/yyyy hoặc yyyy (hoặc dạng ISO YYYY-MM-DD)",
        "Date of birth: dd/mm/yyyy, mm/yyyy or yyyy (or ISO YYYY-MM-DD)";
    "asxh-personalizer issue --sex" =>
        "Giới tính: M/F (Nam/Nữ)",
        "Sex: M/F (Nam/Nữ)";
    "asxh-personalizer issue --area" =>
        "Mã xã nơi cư trú của người thụ hưởng",
        "The code of the commune the beneficiary lives in";
    "asxh-personalizer issue --entitlement" =>
        "Chính sách và Diện đối tượng: CHÍNH_SÁCH:DIỆN[:MỨC_TRỢ_CẤP[:TỪ[:ĐẾN]]], ghi được nhiều lần",
        "PROGRAM:CATEGORY[:AMOUNT[:FROM[:UNTIL]]], repeatable";
    "asxh-personalizer issue --recipient" =>
        "Người được ủy quyền nhận thay: HỌ_TÊN:SỐ_ĐỊNH_DANH",
        "NAME:ID-NUMBER of an authorised recipient";
    "asxh-personalizer issue --pin-prompt" =>
        "Hỏi người thụ hưởng mã PIN (đọc từ đầu vào chuẩn) và đặt mã PIN đó cho thẻ",
        "Ask the holder for a PIN (read from standard input) and set it on the card";
    "asxh-personalizer issue --replaces" =>
        "Số sê-ri của thẻ cũ mà thẻ này thay thế (cấp lại, cấp đổi; kèm --reason)",
        "The serial of the card this one replaces (with --reason)";
    "asxh-personalizer issue --reason" =>
        "Lý do thẻ cũ ngừng sử dụng: lost (mất thẻ), stolen (bị lấy cắp), damaged (thẻ bị hỏng), …",
        "Why the replaced card is withdrawn (lost, stolen, damaged, ...)";
    "asxh-personalizer issue --print" =>
        "In mặt thẻ ra tệp này (.png, .svg hoặc .pdf)",
        "Print the card face to this file (.png, .svg or .pdf)";

    "asxh-personalizer batch" =>
        "Cấp thẻ cho mọi dòng của một danh sách, lần lượt từng thẻ, làm tiếp được khi bị gián đoạn",
        "Issue a card for every row of a list, one card after another, resumable";
    "asxh-personalizer batch --server" =>
        "Địa chỉ máy chủ cấp thẻ (không cần với --check)",
        "The issuing server's address (not with --check)";
    "asxh-personalizer batch --token-file" =>
        "Tệp chứa mã truy cập (token) của tài khoản đơn vị cấp thẻ (không cần với --check)",
        "File holding the office account's bearer token (not with --check)";
    "asxh-personalizer batch --input" =>
        "Danh sách của tỉnh: .xlsx (hoặc .xls, .ods), hoặc CSV mã UTF-8, UTF-16 (\"Unicode Text\") hay Windows-1258, phân cách bằng dấu phẩy, dấu chấm phẩy hoặc tab",
        "The province's list: .xlsx (or .xls, .ods), or CSV in UTF-8, UTF-16 (\"Unicode Text\") or Windows-1258, separated by commas, semicolons or tabs";
    "asxh-personalizer batch --check" =>
        "Chỉ kiểm tra danh sách: mọi lỗi kèm dòng và cột, và các hồ sơ nghi trùng trong danh sách (không cần máy chủ, không đụng đến thẻ). Mã thoát 0 khi không có lỗi, 3 khi có dòng không hợp lệ, 9 khi có hồ sơ nghi trùng",
        "Only check the list: every problem with its row and field, and likely duplicates in it (no server, no card). Exit 0 when clean, 3 with invalid rows, 9 with likely duplicates";
    "asxh-personalizer batch --job" =>
        "Tệp công việc của lô: ghi lại từng thẻ đã cấp để làm tiếp được sau khi bị gián đoạn",
        "The batch's job file: it records each card issued, so that the batch can carry on after an interruption";
    "asxh-personalizer batch --resume" =>
        "Làm tiếp tệp công việc, với danh sách cũ hoặc danh sách đã sửa: các dòng đã cấp thẻ phải giữ nguyên; các dòng bị trả lại đã sửa được làm lại",
        "Carry on with the job file, with the same list or a corrected one: the rows issued must be unchanged; corrected rejected rows are tried again";
    "asxh-personalizer batch --skip-invalid" =>
        "Cấp thẻ cho các dòng hợp lệ, ghi các dòng còn lại kèm lý do vào tệp các dòng bị trả lại",
        "Issue the valid rows and write the others, with their reasons, to the rejected file";
    "asxh-personalizer batch --retry-rejected" =>
        "Kèm --resume: làm lại các dòng bị trả lại dù danh sách chưa sửa chúng",
        "With --resume: try the rejected rows again even if the list did not correct them";
    "asxh-personalizer batch --accept-duplicates" =>
        "Tệp hồ sơ nghi trùng mà lô đã ghi, mỗi dòng có quyết định (cấp / bỏ)",
        "The likely-duplicates file the batch wrote, with a decision (cấp / bỏ) for each row";
    "asxh-personalizer batch --rejected" =>
        "Nơi ghi các dòng bị trả lại (.csv hoặc .xlsx; ghi được nhiều lần; mặc định: tên tệp công việc, hoặc với --check tên danh sách, thêm .rejected.csv và .rejected.xlsx)",
        "Where the rejected rows go (.csv or .xlsx; repeatable; default: the job file, or with --check the list, with .rejected.csv and .rejected.xlsx)";
    "asxh-personalizer batch --duplicates" =>
        "Nơi liệt kê các hồ sơ nghi trùng để quyết định (.xlsx hoặc .csv; mặc định: tên tệp công việc, hoặc với --check tên danh sách, thêm .duplicates.xlsx)",
        "Where likely duplicates are listed for a decision (.xlsx or .csv; default: the job file, or with --check the list, with .duplicates.xlsx)";
    "asxh-personalizer batch --print-dir" =>
        "In mặt thẻ của từng thẻ (PNG) vào thư mục này, kèm tệp thẻ (JSON) bên cạnh để in lại bằng `print --card-file`",
        "Print each card's face (PNG) into this directory, with its card file (JSON) beside it for printing again with `print --card-file`";
    "asxh-personalizer batch --sheet" =>
        "Ghi mặt thẻ của mọi thẻ lô đã cấp lên các tờ A4 (PDF, 10 thẻ một trang, có dấu cắt); thẻ của lần chạy trước bị gián đoạn được tải từ máy chủ",
        "Write the faces of every card the job has issued on A4 sheets (PDF, 10 cards a page with crop marks); cards of an earlier, interrupted run are fetched from the server";
    "asxh-personalizer batch --results" =>
        "Tệp CSV kết quả (mặc định: tên tệp công việc thêm .results.csv)",
        "Results CSV (default: the job file with .results.csv)";
    "asxh-personalizer batch --card-timeout" =>
        "Thời gian chờ cắm từng thẻ vào đầu đọc",
        "How long to wait for each card to be inserted";

    "asxh-personalizer print" =>
        "In mặt thẻ: một thẻ ra một tệp (.png, .svg hoặc .pdf), hoặc nhiều thẻ trên các tờ A4",
        "Print card faces: one card to a file (.png, .svg or .pdf), or several on A4 sheets";
    "asxh-personalizer print --credential" =>
        "Dữ liệu thẻ đã ký (dạng hex); cần kèm --qr",
        "The signed credential (hex); needs --qr";
    "asxh-personalizer print --qr" =>
        "Văn bản mã QR của thẻ",
        "The card's QR text";
    "asxh-personalizer print --card-file" =>
        "Một tệp thẻ (JSON có credential_hex và qr_text, như `batch --print-dir` ghi bên cạnh mỗi mặt thẻ, hoặc hồ sơ thẻ lấy từ máy chủ); ghi được nhiều lần",
        "A card file (JSON with credential_hex and qr_text, as `batch --print-dir` writes beside each face, or a card's record from the server); repeatable";
    "asxh-personalizer print --serial" =>
        "Tải thẻ có số sê-ri này từ máy chủ; ghi được nhiều lần",
        "Fetch the card with this serial from the server; repeatable";
    "asxh-personalizer print --server" =>
        "Địa chỉ máy chủ cấp thẻ (kèm --serial)",
        "The issuing server's address (with --serial)";
    "asxh-personalizer print --token-file" =>
        "Tệp chứa mã truy cập (token) của tài khoản đơn vị cấp thẻ (kèm --serial)",
        "File holding the office account's bearer token (with --serial)";
    "asxh-personalizer print --ca-file" =>
        "Chứng chỉ CA của tỉnh (PEM), kèm --server",
        "The province's CA certificate (PEM), with --server";
    "asxh-personalizer print --office-name" =>
        "Đơn vị cấp thẻ ghi trên mặt thẻ ở mục \"Nơi cấp\" (mặc định: tên trong tệp thẻ, hoặc tên mà danh sách đơn vị cấp thẻ tin cậy của máy chủ ghi cho khóa của đơn vị đã cấp thẻ)",
        "Issuing office shown on the face as \"Nơi cấp\" (default: the card file's, or the name the server's trust list gives the card's issuer key)";
    "asxh-personalizer print --sheet" =>
        "Xếp các thẻ lên tờ A4, 10 thẻ một trang, có dấu cắt (PDF)",
        "Lay the cards out on A4 sheets, 10 a page with crop marks (PDF)";
    "asxh-personalizer print --out" =>
        "Tệp cần ghi",
        "The file to write";
};
