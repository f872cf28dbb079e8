//! The help texts of asxh-verifier's command line (the payment clerk's tool).

use crate::cli::Help;

pub(crate) const TEXTS: &[Help] = super::help! {
    "asxh-verifier" =>
        "Kiểm tra thẻ an sinh xã hội điện tử và mã QR của thẻ tại điểm chi trả",
        "Verify electronic social security cards and their QR codes at a payment point";
    "asxh-verifier #exit-codes" =>
        "Mã thoát: 0 hợp lệ, 10 chỉ mã QR hợp lệ, 11 hợp lệ nhưng dữ liệu thu hồi đã cũ, 12 chỉ mã QR hợp lệ trên dữ liệu cũ, 20 thẻ ngừng sử dụng, 21 thẻ hết hạn hoặc chưa đến ngày hiệu lực, 22 thẻ không do đơn vị có thẩm quyền cấp, 23 chữ ký số không hợp lệ hoặc dữ liệu bị sửa đổi, 24 nghi thẻ sao chép, 25 thẻ bị khóa, đã chấm dứt hoặc chưa phát hành, 26 hôm nay không có khoản nào được chi trả, 30 dữ liệu thu hồi quá cũ, 40 lỗi đầu đọc hoặc thẻ, 43 không phải mã thẻ, 2 lệnh chưa đúng, 3 lỗi lưu trữ trên máy, 41 không kết nối được máy chủ, 42 dữ liệu máy chủ gửi không kiểm chứng được; pay: 50 đã chi trả, 51 các khoản không được chi trả, 52 người nhận không được nhận, 53 thẻ không ký biên nhận (chưa chi trả, không lưu gì); sync: 54 máy chủ từ chối khóa ký số hoặc dữ liệu gửi lên của điểm chi trả; counter: 55 --listen không phải địa chỉ nội bộ (loopback), 56 không mở được địa chỉ đó.",
        "Exit codes: 0 valid, 10 valid QR only, 11 valid on old revocation data, 12 valid QR only on old data, 20 revoked, 21 expired or not yet valid, 22 untrusted issuer, 23 bad signature or tampered, 24 clone suspected, 25 card blocked, terminated or not issued, 26 nothing payable today, 30 revocation data too old, 40 reader or card error, 43 not a card QR, 2 usage, 3 local storage, 41 server unreachable, 42 the server sent something that does not verify; pay: 50 already paid, 51 lines not payable, 52 collector refused, 53 the card did not sign (nothing paid, nothing stored); sync: 54 the server refused the point's key or upload; counter: 55 --listen not loopback, 56 cannot listen.";

    // Options several commands share.
    "asxh-verifier --data" =>
        "Thư mục dữ liệu của máy kiểm tra thẻ (tạo bằng `init`)",
        "The verifier's data directory (made by `init`)";
    "asxh-verifier --json" =>
        "In kết quả dạng JSON (cấu trúc ổn định) thay cho màn hình của nhân viên chi trả",
        "Print the verdict as JSON (a stable schema) instead of the clerk's screen";
    "asxh-verifier --max-list-age" =>
        "Tuổi tối đa của dữ liệu thu hồi được chấp nhận (ví dụ 7d, 12h)",
        "Oldest revocation data accepted (e.g. 7d, 12h)";
    "asxh-verifier --stale-policy" =>
        "Làm gì khi dữ liệu thu hồi cũ hơn --max-list-age",
        "What to do when the revocation data is older than --max-list-age";
    "asxh-verifier --stale-policy=warn" =>
        "vẫn kiểm tra, kết quả màu vàng (mã thoát 11, 12) báo dữ liệu đã cũ",
        "verify, with the amber outcome (exit 11, 12) saying the data is old";
    "asxh-verifier --stale-policy=refuse" =>
        "không kiểm tra (mã thoát 30) cho đến khi đồng bộ",
        "refuse to verify (exit 30) until synced";
    "asxh-verifier --journal-holder" =>
        "Ghi cả họ tên và Số định danh cá nhân của người thụ hưởng vào nhật ký (không có: chỉ số sê-ri thẻ và kết quả)",
        "Keep the holder's name and SSN in the journal (off: only serial and outcome)";
    "asxh-verifier --reader" =>
        "Tên đầu đọc thẻ PC/SC (hoặc một phần tên); mặc định: đầu đọc đầu tiên có thẻ",
        "PC/SC reader name (or part of it); default: the first reader with a card";
    "asxh-verifier --emulator" =>
        "Dùng thẻ giả lập có trạng thái lưu trong tệp này (ứng dụng thẻ tham chiếu; chỉ có khi dựng với tính năng `emulator`)",
        "Use an emulated card whose state is in this file (the reference card application; built with the `emulator` feature only)";
    "asxh-verifier --pin-prompt" =>
        "Hỏi mã PIN của người thụ hưởng (đọc từ đầu vào chuẩn) và kiểm tra mã PIN trên thẻ trước",
        "Ask for the holder's PIN (read from standard input) and verify it on the card first";
    "asxh-verifier --sync-every" =>
        "Bao lâu đồng bộ một lần trong khi chạy (ví dụ 50s, 5m); 0 là không bao giờ. Mặc định bảo đảm khoản đã chi trả ở điểm khác, hoặc thẻ ngừng sử dụng, bị từ chối ở đây trong vòng một phút",
        "How often to sync while running (e.g. 50s, 5m); 0 to never. The default keeps a line paid at another point, or a card revoked, refused here within a minute";
    "asxh-verifier --ca-file" =>
        "Chứng chỉ CA của tỉnh (PEM) cho máy chủ https://, được tin cậy cùng với kho chứng chỉ của hệ điều hành",
        "The province's CA certificate (PEM) for an https:// server, trusted besides the operating system's certificate store";
    "asxh-verifier --token-file" =>
        "Tệp chứa mã truy cập (token) của tài khoản điểm chi trả: biên nhận được gửi lên máy chủ bằng mã này",
        "The file holding the payment-point account's token: receipts are uploaded with it";
    "asxh-verifier --area" =>
        "Xã (hoặc địa bàn lớn hơn) mà điểm chi trả này chi trả: `sync` tải danh sách chi trả của địa bàn đó",
        "The commune (or larger area) this point pays in: `sync` fetches its payment roll";

    "asxh-verifier init" =>
        "Tạo thư mục dữ liệu và ghim dấu vân tay của khóa gốc",
        "Create the data directory and pin the root key fingerprint";
    "asxh-verifier init --server" =>
        "Địa chỉ máy chủ cấp thẻ (http:// hoặc https://)",
        "The issuing server's address (http:// or https://)";
    "asxh-verifier init --root-fingerprint" =>
        "Dấu vân tay SHA-256 của khóa gốc, như `asxh-server init` đã in ra",
        "SHA-256 fingerprint of the root key, as `asxh-server init` printed it";
    "asxh-verifier init --point-id" =>
        "Mã của điểm chi trả, in trên mọi biên nhận: 2 đến 16 ký tự A-Z 0-9 - _",
        "The payment point's code, on every receipt it makes: 2 to 16 of A-Z 0-9 - _";

    "asxh-verifier sync" =>
        "Tải danh sách đơn vị cấp thẻ tin cậy, phần cập nhật của danh sách thu hồi và danh sách chi trả của địa bàn; kiểm chứng chúng bằng khóa gốc đã ghim; gửi lên máy chủ các biên nhận đang chờ (bằng mã truy cập của điểm chi trả)",
        "Fetch the trust list, revocation updates and the area's payment roll; verify them against the pinned root; upload the receipts waiting (with the point's token)";
    "asxh-verifier sync --token-file" =>
        "Từ nay gửi biên nhận bằng mã truy cập (token) của điểm chi trả trong tệp này",
        "Upload with the payment-point token in this file from now on";
    "asxh-verifier sync --json" =>
        "In kết quả đồng bộ dạng JSON",
        "Print the sync's outcome as JSON";
    "asxh-verifier sync --ca-file" =>
        "Từ nay tin cậy chứng chỉ CA này (PEM) cho máy chủ",
        "Trust this CA certificate (PEM) for the server from now on";
    "asxh-verifier sync --area" =>
        "Từ nay chi trả tại địa bàn này (tải danh sách chi trả của địa bàn)",
        "Pay in this area from now on (its payment roll is fetched)";

    "asxh-verifier card" =>
        "Kiểm tra thẻ trong đầu đọc (hoặc thẻ giả lập)",
        "Verify the card in a reader (or an emulated card)";

    "asxh-verifier watch" =>
        "Kiểm tra mọi thẻ cắm vào đầu đọc, suốt ngày; đồng bộ ở chế độ nền",
        "Verify every card inserted into a reader, all day; sync in the background";
    "asxh-verifier watch --reader" =>
        "Tên đầu đọc thẻ PC/SC (hoặc một phần tên); mặc định: đầu đọc đầu tiên",
        "PC/SC reader name (or part of it); default: the first reader";
    "asxh-verifier watch --pay" =>
        "Sau kết quả có khoản đến hạn, hỏi trên màn hình có chi trả cho người thụ hưởng không (trả lời c hoặc k ở đầu vào chuẩn) và chi trả như lệnh `pay`",
        "After a verdict with lines due, ask on the terminal whether to pay them to the holder (answer c or k on standard input) and pay as `pay` does";

    "asxh-verifier counter" =>
        "Màn hình quầy chi trả: một trang trên máy này (chỉ địa chỉ nội bộ) theo dõi đầu đọc, hiện kết quả kiểm tra và các khoản đến hạn, chi trả với chữ ký số của thẻ và in biên nhận",
        "The counter screen: a page on this computer (loopback only) that follows the reader, shows the verdict and the lines due, pays with the card signing, and prints the receipt";
    "asxh-verifier counter --reader" =>
        "Tên đầu đọc thẻ PC/SC (hoặc một phần tên); mặc định: đầu đọc đầu tiên",
        "PC/SC reader name (or part of it); default: the first reader";
    "asxh-verifier counter --listen" =>
        "Địa chỉ của trang: chỉ 127.0.0.1 hoặc ::1",
        "The page's address: 127.0.0.1 or ::1 only";

    "asxh-verifier qr" =>
        "Kiểm tra mã QR: văn bản, các dòng của máy quét ở đầu vào chuẩn (`-`), hoặc một ảnh",
        "Verify a QR code: text, a scanner's lines on standard input (`-`), or an image";
    "asxh-verifier qr --text" =>
        "Văn bản của mã QR",
        "The QR code's text";
    "asxh-verifier qr --image" =>
        "Ảnh chụp hoặc ảnh quét có mã QR của thẻ",
        "A photo or scan holding the card's QR code";
    "asxh-verifier qr <stdin>" =>
        "`-`: đọc mỗi dòng một mã QR từ đầu vào chuẩn (máy quét kiểu bàn phím)",
        "`-`: read one QR text per line from standard input (a keyboard-wedge scanner)";

    "asxh-verifier pay" =>
        "Chi trả cho người thụ hưởng của thẻ (hoặc, với --fallback, của --ssn): thẻ ký biên nhận, biên nhận được lưu trước khi hiện số tiền cần giao",
        "Pay the beneficiary of the card (or, with --fallback, of --ssn): the card signs the receipt, which is stored before the amount to hand over is shown";
    "asxh-verifier pay --lines" =>
        "`all` (mọi khoản được chi trả lúc này) hoặc số thứ tự các khoản đã hiện, ví dụ `1,3`",
        "`all` (every line payable now) or the line numbers shown, e.g. `1,3`";
    "asxh-verifier pay --collector" =>
        "Ai nhận tiền",
        "Who takes the money";
    "asxh-verifier pay --collector=holder" =>
        "người thụ hưởng",
        "the beneficiary";
    "asxh-verifier pay --collector=recipient" =>
        "Người giám hộ hoặc Người được ủy quyền có tên trong danh sách chi trả (kèm --id-number)",
        "the guardian or authorised person the roll names (with --id-number)";
    "asxh-verifier pay --id-number" =>
        "Số định danh cá nhân (12 chữ số) của người nhận, như trên giấy tờ tùy thân của họ",
        "The identity number (12 digits) of the recipient, as on their identity document";
    "asxh-verifier pay --fallback" =>
        "Chi trả khi thẻ không ký được; biên nhận do khóa của điểm chi trả này ký",
        "Pay without the card signing; the receipt is signed by this point's key";
    "asxh-verifier pay --fallback=chip_unreadable" =>
        "chip không trả lời: đã kiểm tra mã QR của thẻ (--qr-text hoặc --qr-image) và giấy tờ tùy thân",
        "the chip does not answer: the card's QR (--qr-text or --qr-image) and an identity document were checked";
    "asxh-verifier pay --fallback=card_not_presented" =>
        "không có thẻ: đã kiểm tra giấy tờ tùy thân và danh sách chi trả",
        "no card: an identity document and the roll were checked";
    "asxh-verifier pay --ssn" =>
        "Số định danh cá nhân của người thụ hưởng (kèm --fallback)",
        "The beneficiary's personal identification number (with --fallback)";
    "asxh-verifier pay --qr-text" =>
        "Văn bản mã QR của thẻ (kèm --fallback chip-unreadable)",
        "The card's QR text (with --fallback chip-unreadable)";
    "asxh-verifier pay --qr-image" =>
        "Ảnh chụp hoặc ảnh quét mã QR của thẻ (kèm --fallback chip-unreadable)",
        "A photo or scan of the card's QR (with --fallback chip-unreadable)";

    "asxh-verifier receipts" =>
        "Bảng kê chi trả trong ngày: số biên nhận, người thụ hưởng, các khoản, tổng cộng và tình trạng gửi lên máy chủ",
        "The day's payments (bảng kê chi trả): receipt numbers, beneficiaries, lines, totals and upload state";
    "asxh-verifier receipts --date" =>
        "Ngày cần xem (dd/mm/yyyy hoặc YYYY-MM-DD, giờ Việt Nam); mặc định hôm nay",
        "The day (dd/mm/yyyy or YYYY-MM-DD, Vietnam time); default today";
    "asxh-verifier receipts --export" =>
        "Ghi bảng kê ra tệp CSV này (UTF-8 có BOM, để mở bằng Excel)",
        "Write the list to this CSV file (UTF-8 with a byte order mark, for Excel)";
    "asxh-verifier receipts --pdf" =>
        "Ghi bảng kê để in ra tệp này: PDF khổ A4, có tổng cộng và chỗ ký",
        "Write the list to print, an A4 PDF with the totals and the signature blocks, to this file";
    "asxh-verifier receipts --json" =>
        "In mỗi biên nhận một dòng JSON",
        "Print each receipt as a line of JSON";

    "asxh-verifier journal" =>
        "Xem hoặc xuất nhật ký các lần kiểm tra thẻ",
        "Show or export the journal of verifications";
    "asxh-verifier journal --export" =>
        "Ghi nhật ký ra tệp CSV này",
        "Write the journal to this CSV file";
    "asxh-verifier journal --json" =>
        "In mỗi dòng nhật ký một dòng JSON",
        "Print each journal row as a line of JSON";
};
