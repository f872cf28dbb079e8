//! The help texts of asxh-server's command line (the operator's tool).

use crate::cli::Help;

pub(crate) const TEXTS: &[Help] = super::help! {
    "asxh-server" =>
        "Máy chủ cấp thẻ an sinh xã hội điện tử",
        "Issuing server of the electronic social security card";
    "asxh-server #exit-codes" =>
        "Mã thoát: 0 xong, 2 dữ liệu nhập không hợp lệ hoặc lệnh chưa đúng, 3 không tìm thấy, 4 tình trạng hiện tại không cho phép, 5 không có quyền, 6 lỗi cơ sở dữ liệu hoặc ổ đĩa đầy, 7 chuỗi nhật ký kiểm tra bị sửa hoặc mất dòng, 8 tệp mã truy cập đã có (không ghi đè), 1 lỗi khác.",
        "Exit codes: 0 done, 2 invalid input or usage, 3 not found, 4 conflict with the present state, 5 forbidden, 6 storage error or disk full, 7 the audit chain is altered or missing rows, 8 the token file exists (never overwritten), 1 any other error.";

    // Options several commands share.
    "asxh-server --data" =>
        "Thư mục dữ liệu của máy chủ (tạo bằng `init`)",
        "The server's data directory (made by `init`)";
    "asxh-server --area" =>
        "Mã địa bàn (tỉnh hoặc xã)",
        "The area's code (a province or a commune)";
    "asxh-server --month" =>
        "Tháng, dạng YYYY-MM",
        "The month, `YYYY-MM`";
    "asxh-server --ssn" =>
        "Số định danh cá nhân (12 chữ số)",
        "The personal identification number (12 digits)";
    "asxh-server --code" =>
        "Mã đơn vị cấp thẻ",
        "The issuing office's code";
    "asxh-server --key-id" =>
        "Mã khóa ký số: 16 chữ số hex, như `office list` hiện",
        "16 hex digits, as `office list` shows";
    "asxh-server --id" =>
        "Số hiệu của chế độ đang hưởng (như `register show` hiện)",
        "The entitlement's id (as `register show` shows it)";
    "asxh-server --revocation-list-refresh" =>
        "Ký lại danh sách thu hồi khi bản phát hành mới nhất đã cũ chừng này",
        "Re-sign the revocation list when its newest publication is this old";
    "asxh-server --revocation-list-validity" =>
        "Thời hạn mà danh sách thu hồi cam kết (next_update tính từ lúc ký)",
        "How long a revocation list promises (its next_update after signing)";
    "asxh-server --trust-list-refresh" =>
        "Ký lại danh sách đơn vị cấp thẻ tin cậy khi bản phát hành mới nhất đã cũ chừng này",
        "Re-sign the trust list when its newest publication is this old";
    "asxh-server --trust-list-validity" =>
        "Thời hạn mà danh sách đơn vị cấp thẻ tin cậy cam kết",
        "How long a trust list promises";
    "asxh-server --list-max-age" =>
        "Thời gian lâu nhất một bộ nhớ đệm HTTP phía trước được giữ một danh sách (Cache-Control max-age; không bao giờ quá next_update của danh sách). Việc ngừng sử dụng một thẻ đến máy kiểm tra thẻ trong khoảng này cộng với chu kỳ đồng bộ của máy",
        "The longest an HTTP cache in front may keep a list (Cache-Control max-age; never past the list's next_update). A revocation reaches a polling verifier within this plus its poll interval";
    "asxh-server --delta-cache-mib" =>
        "Dung lượng (MiB) các phần thay đổi của danh sách thu hồi được giữ sẵn (bỏ phần cũ nhất trước); danh sách đơn vị cấp thẻ tin cậy và danh sách thu hồi đầy đủ luôn được giữ",
        "MiB of revocation-list deltas kept built (the oldest dropped first); the trust list and the full revocation list are always kept";

    "asxh-server init" =>
        "Tạo cơ sở dữ liệu, khóa gốc và khóa ký danh sách thu hồi; in dấu vân tay của khóa gốc",
        "Create the database, the root key and the revocation-list key; print the root fingerprint";

    "asxh-server office" =>
        "Các Đơn vị cấp thẻ",
        "Issuing offices";
    "asxh-server office add" =>
        "Tạo một Đơn vị cấp thẻ và khóa ký số của đơn vị, rồi thêm vào danh sách đơn vị cấp thẻ tin cậy",
        "Create an issuing office and its issuer key, and add it to the trust list";
    "asxh-server office add --code" =>
        "Mã của đơn vị cấp thẻ mới",
        "The new office's code";
    "asxh-server office add --name" =>
        "Tên của đơn vị cấp thẻ",
        "The office's name";
    "asxh-server office add --area" =>
        "Mã địa bàn (tỉnh hoặc xã) của đơn vị",
        "The code of the office's area (a province or a commune)";
    "asxh-server office list" =>
        "Liệt kê các đơn vị cấp thẻ và mọi khóa ký số từng có của mỗi đơn vị (tình trạng và thời hạn)",
        "List the offices and every issuer key each has had (status and validity)";
    "asxh-server office rotate-key" =>
        "Cấp khóa ký số mới cho một đơn vị; khóa cũ thôi dùng (các thẻ đã ký vẫn hợp lệ)",
        "Give an office a new issuer key; its old key is retired (its cards stay valid)";
    "asxh-server office retire-key" =>
        "Cho một khóa ký số thôi dùng: không ký thẻ mới, các thẻ đã ký vẫn hợp lệ",
        "Retire an issuer key: it signs no new cards, the cards it signed stay valid";
    "asxh-server office revoke-key" =>
        "Thu hồi một khóa ký số bị lộ: máy kiểm tra thẻ không tin cậy thẻ nào do khóa đó ký",
        "Revoke a compromised issuer key: verifiers trust none of the cards it signed";

    "asxh-server account" =>
        "Các tài khoản và mã truy cập (token) của tài khoản",
        "Accounts and their bearer tokens";
    "asxh-server account add" =>
        "Tạo một tài khoản; in mã truy cập (token) một lần duy nhất (hoặc ghi vào --out)",
        "Create an account; prints its bearer token once (or writes it to --out)";
    "asxh-server account add --role" =>
        "Vai trò: admin (quản trị), office (đơn vị cấp thẻ), data-entry (nhập liệu của xã), auditor (Giám sát (chỉ xem)) hoặc payment-point (điểm chi trả)",
        "admin, office, data-entry (a commune's data entry), auditor (read-only oversight) or payment-point";
    "asxh-server account add --office" =>
        "Mã đơn vị cấp thẻ của tài khoản (vai trò office)",
        "The account's issuing office (role office)";
    "asxh-server account add --area" =>
        "Địa bàn của tài khoản (tỉnh hoặc xã)",
        "The account's area (a province or a commune)";
    "asxh-server account add --out" =>
        "Ghi mã truy cập vào tệp mới này (quyền 0600; không bao giờ ghi đè tệp đã có) thay vì in ra",
        "Write the token to this new file (mode 0600; an existing file is never overwritten) instead of printing it";
    "asxh-server account add --label" =>
        "Tài khoản dành cho ai hoặc cho việc gì (hiện trong `account list` và trang quản trị), ví dụ \"Chị Lan, quầy 2\": tối đa 100 byte, không có ký tự điều khiển hay ký tự ẩn",
        "Who or what the account is for (shown by `account list` and the console), such as \"Chị Lan, quầy 2\": at most 100 bytes, no control or invisible characters";
    "asxh-server account list" =>
        "Liệt kê mọi tài khoản: số hiệu, vai trò, đơn vị, địa bàn, tình trạng và nhãn (không bao giờ in mã truy cập)",
        "List every account: id, role, office, area, status and label (never a token)";
    "asxh-server account revoke" =>
        "Thu hồi một tài khoản: mã truy cập của tài khoản thôi có hiệu lực",
        "Revoke an account: its token stops working";
    "asxh-server account revoke --id" =>
        "Số hiệu của tài khoản (như `account list` hiện)",
        "The account's id (as `account list` shows it)";

    "asxh-server serve" =>
        "Chạy API HTTP",
        "Serve the HTTP API";
    "asxh-server serve --listen" =>
        "Địa chỉ và cổng để nhận kết nối",
        "The address and port to listen on";
    "asxh-server serve --tls-cert" =>
        "Chuỗi chứng chỉ của máy chủ (PEM: chứng chỉ của máy chủ, rồi các chứng chỉ trung gian nếu có)",
        "The server's certificate chain (PEM: its certificate, then any intermediates)";
    "asxh-server serve --tls-key" =>
        "Khóa bí mật của chứng chỉ (PEM)",
        "The certificate's private key (PEM)";
    "asxh-server serve --header-timeout" =>
        "Thời gian một máy khách có để gửi phần đầu yêu cầu, tính từ lúc kết nối hoặc từ byte đầu tiên của phần đầu",
        "Time a client has to send a request header, from connecting or from the header's first byte";
    "asxh-server serve --body-timeout" =>
        "Thời gian một máy khách có để gửi phần thân yêu cầu sau khi phần đầu đã đến (quá thì trả 408)",
        "Time a client has to send a request body once its header arrived (else 408)";
    "asxh-server serve --idle-timeout" =>
        "Đóng kết nối giữ mở (keep-alive) không có yêu cầu nào sau khoảng thời gian này",
        "A kept-alive connection without a request is closed after this";
    "asxh-server serve --max-connections" =>
        "Số kết nối mở cùng lúc tối đa (giảm xuống cho vừa giới hạn số tệp mở của tiến trình); khi đầy, kết nối chờ lâu nhất mà không có yêu cầu bị đóng để nhận kết nối mới",
        "Most connections open at once (lowered to fit the process's open-file limit); when full, the connection waiting longest without a request is closed for the new one";
    "asxh-server serve --trusted-proxy" =>
        "Một proxy ngược (nginx) đứng trước máy chủ, ghi được nhiều lần: với yêu cầu qua proxy này, địa chỉ của máy khách là địa chỉ cuối cùng proxy thêm vào X-Forwarded-For (để giới hạn số lần đăng nhập)",
        "A reverse proxy (nginx) in front of the server, repeatable: from it, the client's address is the last one it added to X-Forwarded-For (for log-in throttling)";
    "asxh-server serve --login-failures-per-hour" =>
        "Số lần đăng nhập trang quản trị thất bại tối đa trong một giờ của một địa chỉ máy khách (tối đa 10 lần liền nhau)",
        "Failed console log-ins one client address may make in an hour (at most 10 at once)";
    "asxh-server serve --logins-per-hour" =>
        "Số lần đăng nhập trang quản trị trong một giờ của một tài khoản (tối đa 10 lần liền nhau; mỗi lần đều ghi nhật ký kiểm tra)",
        "Console log-ins of one account in an hour (at most 10 at once; each is audited)";

    "asxh-server revoke" =>
        "Ngừng sử dụng một thẻ, hoặc mọi thẻ đang hiệu lực của một Số định danh cá nhân (như POST /v1/revocations)",
        "Revoke a card, or every live card of an SSN (same effect as POST /v1/revocations)";
    "asxh-server revoke --serial" =>
        "Số sê-ri của thẻ",
        "The card's serial";
    "asxh-server revoke --ssn" =>
        "Số định danh cá nhân: ngừng sử dụng mọi thẻ đang hiệu lực của người này",
        "The personal identification number: every live card of this person is revoked";
    "asxh-server revoke --reason" =>
        "Lý do: lost (mất thẻ), stolen (bị lấy cắp), damaged (thẻ bị hỏng), deceased (người thụ hưởng đã từ trần), error (cấp sai thông tin) hoặc replaced (đã cấp thẻ thay thế)",
        "lost, stolen, damaged, deceased, error or replaced";

    "asxh-server audit" =>
        "Nhật ký kiểm tra",
        "The audit log";
    "asxh-server audit verify" =>
        "Tính lại chuỗi băm; báo lỗi và chỉ ra dòng đầu tiên bị sửa hoặc bị mất",
        "Recompute the hash chain; fail naming the first altered or missing row";

    "asxh-server backup" =>
        "Sao lưu trực tuyến cơ sở dữ liệu (nhất quán cả khi máy chủ đang chạy)",
        "Online backup of the database (consistent while the server runs)";
    "asxh-server backup --to" =>
        "Tệp sao lưu cần ghi",
        "The backup file to write";
    "asxh-server restore" =>
        "Thay cơ sở dữ liệu bằng một bản sao lưu (máy chủ phải dừng); các tệp khóa giữ nguyên, và cả hai danh sách được phát hành ngay với phiên bản cao hơn mọi bản đã phát hành",
        "Replace the database with a backup (the server must be stopped); the key files stay, and both lists are published at once at versions above anything published before";
    "asxh-server restore --from" =>
        "Một tệp do `asxh-server backup` ghi",
        "A file written by `asxh-server backup`";

    "asxh-server areas" =>
        "Danh mục đơn vị hành chính (danh mục tỉnh có sẵn cùng máy chủ)",
        "The catalogue of administrative units (the provinces ship with the server)";
    "asxh-server areas import" =>
        "Nhập danh mục đơn vị hành chính chính thức (XLSX hoặc CSV có các cột Mã tỉnh, Mã xã, Tên xã, và Cấp, Mã quận huyện, Hiệu lực từ, Hiệu lực đến, Mã xã mới nếu có); tệp có một dòng sai thì không nhập gì",
        "Import the official list of administrative units (XLSX or CSV with the columns Mã tỉnh, Mã xã, Tên xã, and Cấp, Mã quận huyện, Hiệu lực từ, Hiệu lực đến, Mã xã mới when it has them); a file with a bad row imports nothing";
    "asxh-server areas import <file>" =>
        "Tệp danh mục (XLSX hoặc CSV)",
        "The list's file (XLSX or CSV)";

    "asxh-server register" =>
        "Sổ quyết định hưởng chính sách: người thụ hưởng, hộ, quyết định và các thay đổi, mức chuẩn trợ giúp xã hội (cùng tác dụng như các API `/v1/beneficiaries`, `/v1/households`, `/v1/entitlements` và `/v1/base-levels`)",
        "The register of entitlement decisions: beneficiaries, households, decisions and their changes, base levels (the same effects as the API's `/v1/beneficiaries`, `/v1/households`, `/v1/entitlements` and `/v1/base-levels`)";
    "asxh-server register --data" =>
        "Thư mục dữ liệu của máy chủ (ghi trước hay sau lệnh con đều được)",
        "The data directory (before or after the subcommand)";
    "asxh-server register --name" =>
        "Họ và tên, có dấu",
        "The full name, with its diacritics";
    "asxh-server register --area" =>
        "Mã xã nơi cư trú",
        "The code of the commune of residence";
    "asxh-server register --program" =>
        "Mã Chính sách (TGXH, NCC, HN, …)",
        "The program's code (TGXH, NCC, HN, …)";
    "asxh-server register --on" =>
        "Ngày có hiệu lực, dạng YYYY-MM-DD",
        "The day it takes effect, YYYY-MM-DD";
    "asxh-server register --reason" =>
        "Lý do",
        "The reason";
    "asxh-server register --note" =>
        "Ghi chú lưu trong lịch sử của chế độ đang hưởng",
        "A note kept in the entitlement's history";
    "asxh-server register --recipient-role" =>
        "Người nhận thay: guardian (Người giám hộ) hoặc authorised (Người được ủy quyền)",
        "guardian or authorised";
    "asxh-server register --recipient-name" =>
        "Họ và tên của người nhận thay",
        "The recipient's full name";
    "asxh-server register --recipient-id" =>
        "Số định danh cá nhân của người nhận thay (12 chữ số)",
        "The recipient's identity number (12 digits)";
    "asxh-server register --recipient-document" =>
        "Giấy tờ giao quyền nhận thay (quyết định giám hộ, giấy ủy quyền, …)",
        "The document that gives the recipient the right to collect (guardianship decision, authorisation, …)";
    "asxh-server register --recipient-from" =>
        "Ngày bắt đầu được nhận thay, dạng YYYY-MM-DD",
        "The first day the recipient may collect, YYYY-MM-DD";
    "asxh-server register --recipient-until" =>
        "Ngày cuối được nhận thay, dạng YYYY-MM-DD",
        "The last day the recipient may collect, YYYY-MM-DD";
    "asxh-server register beneficiary" =>
        "Đăng ký một người thụ hưởng, hoặc đổi họ tên hay xã nơi cư trú của người đó",
        "Register a beneficiary, or change their name or commune of residence";
    "asxh-server register household" =>
        "Đăng ký một hộ (mã hộ) ở một xã, cùng các thành viên",
        "Register a household (mã hộ) in a commune, with its members";
    "asxh-server register household --code" =>
        "Mã hộ",
        "The household's code";
    "asxh-server register household --member" =>
        "Số định danh cá nhân của một thành viên (đã đăng ký là người thụ hưởng), ghi được nhiều lần",
        "A member's SSN (registered as a beneficiary), repeatable";
    "asxh-server register decide" =>
        "Ghi một quyết định hưởng chính sách cho một người thụ hưởng (--ssn) hoặc một hộ (--household)",
        "Record an entitlement decision for a beneficiary (--ssn) or a household (--household)";
    "asxh-server register decide --household" =>
        "Mã hộ",
        "The household's code";
    "asxh-server register decide --category" =>
        "Mã Diện đối tượng trong chính sách",
        "The category's code within the program";
    "asxh-server register decide --coefficient" =>
        "Hệ số, tính theo phần trăm mức chuẩn trợ giúp xã hội (1,5 ghi là 150)",
        "Hundredths of the base level (1.5 is 150)";
    "asxh-server register decide --fixed-vnd" =>
        "Mức trợ cấp/tháng cố định, tính bằng đồng (thay cho --coefficient)",
        "A fixed monthly amount in đồng (instead of --coefficient)";
    "asxh-server register decide --decision-no" =>
        "Số quyết định",
        "The decision number (số quyết định)";
    "asxh-server register decide --decision-date" =>
        "Ngày ký quyết định, dạng YYYY-MM-DD",
        "The decision's date, YYYY-MM-DD";
    "asxh-server register decide --paid-from" =>
        "Tháng bắt đầu chi trả, dạng YYYY-MM",
        "The first month paid, YYYY-MM";
    "asxh-server register decide --paid-until" =>
        "Tháng cuối cùng chi trả, dạng YYYY-MM",
        "The last month paid, YYYY-MM";
    "asxh-server register decide --settled-until" =>
        "Tháng cuối cùng hệ thống cũ đã chi trả (YYYY-MM): không truy lĩnh cho tháng đó và các tháng trước",
        "The last month already paid by the system the register replaces (YYYY-MM): no arrears for it or before";
    "asxh-server register suspend" =>
        "Tạm dừng một chế độ đang hưởng từ một ngày: not_collected (không đến nhận), under_review (đang xem xét) hoặc other (khác)",
        "Suspend an entitlement (tạm dừng) from a day: not_collected, under_review or other";
    "asxh-server register resume" =>
        "Cho hưởng lại một chế độ đang tạm dừng từ một ngày",
        "Resume a suspended entitlement from a day";
    "asxh-server register stop" =>
        "Thôi hưởng một chế độ từ một ngày: deceased (người thụ hưởng đã từ trần), moved_away (chuyển đi nơi khác) hoặc not_eligible (không còn đủ điều kiện)",
        "Stop an entitlement (thôi hưởng) on a day: deceased, moved_away or not_eligible";
    "asxh-server register recipient" =>
        "Đổi người được nhận một chế độ: người nhận thay được ghi, hoặc không có ai (--none)",
        "Change who may collect an entitlement: the recipient given, or none (--none)";
    "asxh-server register recipient --none" =>
        "Không có người nhận thay: người thụ hưởng tự nhận",
        "No recipient: the holder collects";
    "asxh-server register account" =>
        "Cách chi trả một chế độ: vào tài khoản (`set`) hoặc lại tại quầy (`clear`)",
        "How an entitlement is paid: into an account (`set`) or at the counter again (`clear`)";
    "asxh-server register account set" =>
        "Chi trả chế độ vào tài khoản ngân hàng hoặc ví điện tử",
        "Pay the entitlement into a bank account or e-wallet";
    "asxh-server register account set --kind" =>
        "Loại tài khoản: bank (ngân hàng) hoặc ewallet (ví điện tử)",
        "bank or ewallet";
    "asxh-server register account set --provider" =>
        "Tên ngân hàng hoặc ví điện tử",
        "The bank's or e-wallet's name";
    "asxh-server register account set --account-no" =>
        "Số tài khoản: 6 đến 20 chữ số",
        "6 to 20 digits";
    "asxh-server register account set --holder-name" =>
        "Tên chủ tài khoản",
        "The account holder's name";
    "asxh-server register account set --owner" =>
        "Tài khoản của ai: holder (của chính người thụ hưởng) hoặc recipient (của người nhận thay)",
        "Whose account: holder (the beneficiary's own) or recipient";
    "asxh-server register account clear" =>
        "Chi trả chế độ lại tại quầy",
        "Pay the entitlement at the counter again";
    "asxh-server register base-level" =>
        "Đặt mức chuẩn trợ giúp xã hội của một chính sách từ một tháng: mức toàn quốc, hoặc mức riêng của một tỉnh (--province)",
        "Set a program's base level from a month: national, or a province's own (--province)";
    "asxh-server register base-level --province" =>
        "Mã tỉnh có mức riêng",
        "The code of the province with its own level";
    "asxh-server register base-level --from" =>
        "Tháng bắt đầu áp dụng, dạng YYYY-MM",
        "The first month it applies, YYYY-MM";
    "asxh-server register base-level --amount-vnd" =>
        "Mức chuẩn, tính bằng đồng",
        "The level in đồng";
    "asxh-server register base-level --decree" =>
        "Nghị định quy định mức này, ví dụ 76/2024/NĐ-CP",
        "The decree that sets it, such as 76/2024/NĐ-CP";
    "asxh-server register base-levels" =>
        "Liệt kê các mức chuẩn trợ giúp xã hội",
        "List the base levels";
    "asxh-server register show" =>
        "Một người thụ hưởng với mọi chế độ đang hưởng và lịch sử của từng chế độ, dạng JSON",
        "A beneficiary with every entitlement and its history, as JSON";

    "asxh-server roll" =>
        "Danh sách chi trả hằng tháng của một địa bàn (SPEC.md §17.3): lập bản dự thảo, liệt kê các bản dự thảo, phê duyệt",
        "The monthly payment roll of an area (SPEC.md §17.3): draft, list drafts, approve";
    "asxh-server roll draft" =>
        "Lập bản dự thảo danh sách chi trả của một địa bàn cho một tháng từ sổ quyết định (số tiền mỗi người thụ hưởng cư trú ở đó được hưởng trong tháng); in bản dự thảo cùng bản tóm tắt kiểm tra. Bản dự thảo chỉ giảm số tiền so với danh sách đã công bố thì được công bố ngay",
        "Draft the roll of an area for a month from the register (what each beneficiary residing there is due that month); prints the draft with its check summary. A draft that only reduces what the published roll pays is published at once";
    "asxh-server roll drafts" =>
        "Các bản dự thảo của một tháng của địa bàn, mới nhất trước, cùng bản tóm tắt kiểm tra (JSON)",
        "The drafts of an area's month, newest first, with their check summaries (JSON)";
    "asxh-server roll approve" =>
        "Phê duyệt một bản dự thảo, tức là công bố bản đó",
        "Approve a draft, which publishes it";
    "asxh-server roll approve --draft" =>
        "Số hiệu của bản dự thảo (như `roll drafts` hiện)",
        "The draft's id (as `roll drafts` shows it)";

    "asxh-server transfers" =>
        "Danh sách chuyển khoản của một tháng của địa bàn và kết quả của ngân hàng (cùng tác dụng như API `/v1/transfers`)",
        "The transfer list (danh sách chuyển khoản) of an area's month and the bank's results (the same effects as the API's `/v1/transfers`)";
    "asxh-server transfers list" =>
        "Các khoản của danh sách chi trả đã công bố được chi vào tài khoản, dạng JSON; với --out, danh sách dạng tệp CSV (có BOM) hoặc XLSX cho ngân hàng (theo phần mở rộng của tệp)",
        "The published rolls' lines paid into an account, as JSON; with --out, the list as a CSV (with a BOM) or XLSX file for the bank (by the file's extension)";
    "asxh-server transfers list --out" =>
        "Tệp cần ghi (.csv hoặc .xlsx)",
        "The file to write (.csv or .xlsx)";
    "asxh-server transfers results" =>
        "Ghi nhận tệp kết quả của ngân hàng (CSV hoặc XLSX: reference, result ok/failed, bank_txn, reason); tệp có một dòng sai thì không ghi nhận gì",
        "Record the bank's result file (CSV or XLSX: reference, result ok/failed, bank_txn, reason); a file with a broken row records nothing";
    "asxh-server transfers results <file>" =>
        "Tệp kết quả của ngân hàng",
        "The bank's result file";

    "asxh-server uncollected" =>
        "Những người thụ hưởng không nhận gì trong ba tháng đã công bố, và việc tạm dừng chế độ của họ (API `/v1/uncollected`)",
        "The beneficiaries who collected nothing for three published months, and their suspension (the API's `/v1/uncollected`)";
    "asxh-server uncollected list" =>
        "Những người thụ hưởng của địa bàn không nhận gì trong tháng và hai tháng trước đó",
        "The beneficiaries of the area who collected nothing in the month and the two before";
    "asxh-server uncollected suspend" =>
        "Tạm dừng từ hôm nay các chế độ đang hưởng của họ: không đến nhận trong ba tháng",
        "Suspend (tạm dừng) their active entitlements from today: not collected for three months";

    "asxh-server openapi" =>
        "In tài liệu OpenAPI 3 của API HTTP (như tại /v1/openapi.json)",
        "Print the OpenAPI 3 document of the HTTP API (as served at /v1/openapi.json)";
};
