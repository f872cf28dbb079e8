//! The catalogue: one [`Msg`] per text, each with its English and (normally) its Vietnamese
//! version. Declared through `catalogue!` so that [`Msg::ALL`] lists every message and a test can
//! walk them all; a message still waiting for its translation is written without `vi` and
//! fails that test.

macro_rules! catalogue {
    ($( $(#[$doc:meta])* $id:ident { $(vi: $vi:literal,)? en: $en:literal $(,)? } )*) => {
        /// A message of the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $( $(#[$doc])* $id, )*
        }

        impl Msg {
            /// Every message, in the order of the catalogue.
            pub const ALL: &'static [Msg] = &[$(Msg::$id,)*];

            /// The Vietnamese text, `None` while the message waits for its translation.
            pub fn vi(self) -> Option<&'static str> {
                match self {
                    $( Msg::$id => None $(.or(Some($vi)))?, )*
                }
            }

            /// The English text.
            pub fn en(self) -> &'static str {
                match self {
                    $( Msg::$id => $en, )*
                }
            }
        }
    };
}

impl Msg {
    /// Both texts for a screen read by people of either language: `vi / en`.
    pub fn both(self) -> String {
        format!("{} / {}", self.vi().unwrap_or(self.en()), self.en())
    }
}

catalogue! {
    // The product.
    /// The card's name, on the console's pages and as the face's title when no program is named.
    CardName { vi: "Thẻ an sinh xã hội", en: "Social security card" }

    // Program titles (the known codes of the open program list).
    ProgramTgxh { vi: "Trợ giúp xã hội", en: "Social assistance" }
    ProgramNcc { vi: "Người có công", en: "People with merit" }
    ProgramHn { vi: "Hộ nghèo", en: "Poor household" }
    ProgramHcn { vi: "Hộ cận nghèo", en: "Near-poor household" }
    ProgramBhyt { vi: "Bảo hiểm y tế", en: "Health insurance" }
    ProgramBhxh { vi: "Bảo hiểm xã hội", en: "Social insurance" }
    ProgramBhtn { vi: "Bảo hiểm thất nghiệp", en: "Unemployment insurance" }

    // Revocation reasons (in English their code, as the lists and the API write them).
    ReasonLost { vi: "mất thẻ", en: "lost" }
    ReasonStolen { vi: "bị lấy cắp", en: "stolen" }
    ReasonDamaged { vi: "thẻ bị hỏng", en: "damaged" }
    ReasonDeceased { vi: "người thụ hưởng đã từ trần", en: "deceased" }
    ReasonError { vi: "cấp sai thông tin", en: "error" }
    ReasonReplaced { vi: "đã cấp thẻ thay thế", en: "replaced" }

    // Sex, as a label (the console, the card face).
    SexMale { vi: "Nam", en: "Male" }
    SexFemale { vi: "Nữ", en: "Female" }
    SexUnknown { vi: "Không rõ", en: "Unknown" }
    /// Sex inside a line of the verifier's screen (lower case in English).
    ScreenMale { vi: "Nam", en: "male" }
    /// Sex inside a line of the verifier's screen (lower case in English).
    ScreenFemale { vi: "Nữ", en: "female" }

    // Card statuses on the server.
    StatusPending { vi: "Chờ ghi thẻ", en: "Pending" }
    StatusActive { vi: "Đang hiệu lực", en: "Active" }
    StatusRevoked { vi: "Ngừng sử dụng", en: "Revoked" }
    StatusVoid { vi: "Hủy (chưa phát hành)", en: "Void (never used)" }
    StatusUnknown { vi: "Không rõ", en: "Unknown" }

    // What a refusal of the server means, for the console's error pages (the server's own detail
    // follows as technical detail).
    ProblemInvalid {
        vi: "Thông tin nhập chưa đúng. Kiểm tra lại các ô đã điền rồi gửi lại.",
        en: "Something entered is not right. Check the fields and send again.",
    }
    ProblemNotLoggedIn {
        vi: "Phiên làm việc đã hết hoặc mã truy cập không còn hiệu lực. Hãy đăng nhập lại.",
        en: "The session has ended or the token is no longer valid. Log in again.",
    }
    ProblemForbidden {
        vi: "Tài khoản này không được làm việc này, hoặc việc này nằm ngoài địa bàn của tài khoản.",
        en: "This account may not do this, or it is outside the account's area.",
    }
    ProblemNotFound {
        vi: "Không tìm thấy thẻ, đơn vị hoặc trang này.",
        en: "No such card, office or page.",
    }
    ProblemConflict {
        vi: "Không thực hiện được: tình trạng hiện tại của thẻ hoặc hồ sơ không cho phép (ví dụ thẻ đã ngừng sử dụng).",
        en: "This cannot be done in the card's or record's present state (for example, the card is already revoked).",
    }
    ProblemTooLarge { vi: "Dữ liệu gửi lên quá lớn.", en: "What was sent is too large." }
    ProblemTimeout {
        vi: "Dữ liệu gửi lên quá chậm nên máy chủ đã thôi chờ; chưa có gì được ghi. Hãy gửi lại.",
        en: "What was sent came too slowly and the server stopped waiting; nothing was written. Send it again.",
    }
    ProblemStorage {
        vi: "Máy chủ tạm thời không ghi được dữ liệu. Thử lại sau ít phút.",
        en: "The server cannot write its data just now. Try again in a few minutes.",
    }
    ProblemDiskFull {
        vi: "Ổ đĩa của máy chủ đã đầy; chưa có gì được ghi. Báo bộ phận kỹ thuật.",
        en: "The server's disk is full; nothing was written. Tell the technical staff.",
    }
    ProblemServer {
        vi: "Lỗi máy chủ. Dừng thao tác và báo bộ phận kỹ thuật.",
        en: "Server error. Stop and tell the technical staff.",
    }
    ProblemTechnicalDetail { vi: "Chi tiết kỹ thuật", en: "Technical detail" }

    // Events of a card's history on the server.
    EventIssued { vi: "Ký dữ liệu thẻ (chờ ghi thẻ)", en: "Credential signed (card pending)" }
    EventActivated { vi: "Kích hoạt thẻ", en: "Activated" }
    EventVoided { vi: "Hủy (chưa phát hành)", en: "Voided (never issued)" }
    EventRevoked { vi: "Ngừng sử dụng", en: "Revoked" }
    EventReplacementRequested { vi: "Yêu cầu cấp lại hoặc cấp đổi", en: "Replacement requested" }
    /// Who did it, when it was the server's operator at its command line.
    ActorOperator { vi: "Người vận hành máy chủ (dòng lệnh)", en: "Server operator (command line)" }

    // Roles of the server's accounts.
    RoleAdmin { vi: "Quản trị", en: "Administrator" }
    RoleOffice { vi: "Đơn vị cấp thẻ", en: "Issuing office" }
    RolePaymentPoint { vi: "Điểm chi trả", en: "Payment point" }
    RoleAuditor { vi: "Giám sát (chỉ xem)", en: "Auditor" }

    // The verifier's verdict line: whether to pay.
    // A genuine chip proves the card, not the person; a QR proves neither, so it never has the
    // valid card's mark; a bad card is reported, never seized (a post-office clerk may not).
    VerdictValid {
        vi: "✔ HỢP LỆ — thẻ thật do đơn vị có thẩm quyền cấp. Đối chiếu người nhận rồi chi trả.",
        en: "✔ VALID — a genuine card from an authorised office. Check the person collecting, then pay.",
    }
    VerdictValidQrOnly {
        vi: "⚠ CHỈ CÓ MÃ QR — dữ liệu thật, nhưng mã QR không chứng minh người xuất trình. Đối chiếu giấy tờ tùy thân rồi mới chi trả.",
        en: "⚠ QR ONLY — authentic data, but a QR proves nothing about who shows it. Check an identity document before paying.",
    }
    VerdictValidStaleData {
        vi: "⚠ HỢP LỆ — thẻ thật do đơn vị có thẩm quyền cấp, nhưng danh sách thu hồi đã cũ. Đối chiếu người nhận rồi chi trả; đồng bộ sớm.",
        en: "⚠ VALID — a genuine card from an authorised office, but the revocation list is old. Check the person collecting, then pay; sync soon.",
    }
    VerdictValidQrOnlyStaleData {
        vi: "⚠ CHỈ CÓ MÃ QR — dữ liệu thật, nhưng danh sách thu hồi đã cũ. Đối chiếu giấy tờ tùy thân rồi mới chi trả; đồng bộ sớm.",
        en: "⚠ QR ONLY — authentic data, but the revocation list is old. Check an identity document before paying; sync soon.",
    }
    /// After the verdict line when the revocation data is a day old or more: "… 8 ngày".
    RevocationDataAge { vi: "dữ liệu thu hồi cập nhật cách đây", en: "revocation data from" }
    DaysAgo { vi: "ngày", en: "days ago" }
    /// After the verdict line when the revocation list is dated in the point's future.
    RevocationDataFromTheFuture {
        vi: "danh sách thu hồi mang ngày giờ trong tương lai — kiểm tra đồng hồ máy tính",
        en: "the revocation list is dated in the future — check this computer's clock",
    }
    VerdictRevoked { vi: "✘ THẺ ĐÃ NGỪNG SỬ DỤNG — KHÔNG chi trả", en: "✘ CARD REVOKED — do NOT pay" }
    VerdictNotInValidity {
        vi: "✘ THẺ HẾT HẠN hoặc CHƯA CÓ HIỆU LỰC — KHÔNG chi trả",
        en: "✘ CARD EXPIRED or NOT YET VALID — do NOT pay",
    }
    VerdictUntrustedIssuer {
        vi: "✘ THẺ KHÔNG DO ĐƠN VỊ CÓ THẨM QUYỀN CẤP — KHÔNG chi trả, lập biên bản, báo cán bộ phụ trách",
        en: "✘ NOT ISSUED BY AN AUTHORISED OFFICE — do NOT pay, write a report, tell the supervisor",
    }
    VerdictTampered {
        vi: "✘ CHỮ KÝ SỐ KHÔNG HỢP LỆ — dữ liệu bị làm giả hoặc sửa đổi — KHÔNG chi trả, lập biên bản, báo cán bộ phụ trách",
        en: "✘ DIGITAL SIGNATURE NOT VALID — forged or altered data — do NOT pay, write a report, tell the supervisor",
    }
    VerdictCloneSuspected {
        vi: "✘ NGHI THẺ SAO CHÉP — KHÔNG chi trả, lập biên bản, báo cán bộ phụ trách",
        en: "✘ CLONE SUSPECTED — do NOT pay, write a report, tell the supervisor",
    }
    VerdictCardUnusable {
        vi: "✘ THẺ BỊ KHÓA, ĐÃ HỦY hoặc CHƯA CẤP — KHÔNG chi trả",
        en: "✘ CARD BLOCKED, TERMINATED or NOT ISSUED — do NOT pay",
    }
    VerdictStaleRevocationData {
        vi: "✘ DANH SÁCH THU HỒI QUÁ CŨ — kết nối mạng và đồng bộ trước khi chi trả",
        en: "✘ REVOCATION LIST TOO OLD — connect and sync before paying",
    }
    VerdictNotACardQr {
        vi: "✘ KHÔNG PHẢI MÃ THẺ — quét lại mã QR in trên thẻ",
        en: "✘ NOT A CARD QR — scan the QR printed on the card again",
    }
    VerdictReaderError {
        vi: "✘ LỖI ĐẦU ĐỌC HOẶC THẺ — rút thẻ ra, cắm lại và thử lại",
        en: "✘ READER OR CARD ERROR — pull the card out, insert it again and retry",
    }

    // The verifier's screen of a card: field labels.
    HolderName { vi: "Họ và tên:", en: "Name:" }
    HolderDateOfBirth { vi: "Ngày sinh:", en: "Date of birth:" }
    HolderSex { vi: "Giới tính:", en: "Sex:" }
    HolderIdNumber { vi: "Số định danh cá nhân:", en: "ID number:" }
    HolderArea { vi: "Địa bàn:", en: "Area:" }
    CardSerial { vi: "Số thẻ:", en: "Card serial:" }
    CardExpires { vi: "Hạn thẻ:", en: "Expires:" }
    CardIssuedBy { vi: "Đơn vị cấp thẻ:", en: "Issued by:" }
    EntitlementsNone { vi: "Chính sách: (chưa có)", en: "Entitlements: (none)" }
    EntitlementsHeading { vi: "Chính sách được hưởng:", en: "Entitlements:" }
    RevokedBecause { vi: "Lý do ngừng sử dụng:", en: "Revoked because:" }
    Detail { vi: "Chi tiết:", en: "Detail:" }
    Note { vi: "Lưu ý:", en: "Note:" }
    // Inside an entitlement's line.
    Category { vi: "diện đối tượng", en: "category" }
    PerMonth { vi: "tháng", en: "month" }
    Until { vi: "đến", en: "until" }
    AuthorisedRecipient { vi: "Người giám hộ hoặc người được ủy quyền", en: "Guardian or authorised person" }
    IdCard { vi: "số định danh", en: "ID" }

    // The verifier's prompts (shown in both languages at once).
    EnterPin { vi: "Mời nhập mã PIN", en: "Enter PIN" }
    WaitingForCard { vi: "Đang chờ thẻ…", en: "Waiting for a card…" }
    TakeCardOut { vi: "Rút thẻ ra…", en: "Remove the card…" }

    // `watch --pay`: the question after a verdict with lines due (answered c = có, k = không).
    WatchPayAsk {
        vi: "Chi trả {count} dòng, tổng {total} cho chủ thẻ? [c/k]",
        en: "Pay {count} lines, {total} in all, to the holder? [c/k: yes/no]",
    }
    WatchPayDeclined { vi: "Không chi trả.", en: "Not paid." }

    // The counter page (`asxh-verifier counter`): a local web page over the watch loop.
    CounterTitle { vi: "Quầy chi trả", en: "Payment counter" }
    CounterInsertCard { vi: "Mời đưa thẻ vào đầu đọc", en: "Please insert the card into the reader" }
    CounterReaderUnavailable { vi: "Không kết nối được đầu đọc thẻ: kiểm tra dây cắm đầu đọc và dịch vụ PC/SC (pcscd). Trang vẫn thử lại; vẫn chi trả được bằng mục \"Chi trả khi không dùng được chip thẻ\".", en: "The card reader cannot be reached: check the reader's cable and the PC/SC service (pcscd). The page keeps trying; payments without the chip still work." }
    CounterReading { vi: "Đang đọc thẻ…", en: "Reading the card…" }
    CounterPoint { vi: "Điểm chi trả {point}", en: "Payment point {point}" }
    CounterOtherLanguage { vi: "English", en: "Tiếng Việt" }
    CounterHolderHeading { vi: "Người thụ hưởng", en: "Beneficiary" }
    CounterLinesHeading { vi: "Các khoản tháng {month}", en: "Lines for {month}" }
    CounterNoLines { vi: "Không có khoản nào trong danh sách chi trả tháng này.", en: "No line on this month's payment roll." }
    CounterColumnTick { vi: "Chọn", en: "Pay" }
    CounterColumnWhat { vi: "Khoản", en: "Line" }
    CounterColumnAmount { vi: "Số tiền", en: "Amount" }
    CounterColumnState { vi: "Tình trạng", en: "State" }
    CounterColumnCollector { vi: "Người được nhận", en: "May collect" }
    CounterPaidHere { vi: "✘ KHÔNG chi trả: đã chi trả tại điểm này lúc {at}, biên nhận số {receipt}", en: "✘ NOT payable: paid here on {at}, receipt no. {receipt}" }
    CounterCollectorLabel { vi: "Người nhận tiền", en: "Who collects the money" }
    CounterCollectorHolder { vi: "Chủ thẻ (người thụ hưởng)", en: "The holder (beneficiary)" }
    CounterCollectorRecipient { vi: "{role}: {name}", en: "{role}: {name}" }
    CounterIdNumberLabel { vi: "Số định danh cá nhân trên giấy tờ của người nhận (12 chữ số)", en: "Identity number on the collector's document (12 digits)" }
    CounterPayButton { vi: "Chi trả", en: "Pay" }
    CounterPaying { vi: "Đang ký biên nhận trên thẻ, không rút thẻ ra…", en: "The card is signing the receipt: do not remove it…" }
    CounterHandOver { vi: "Giao tiền cho người nhận: {total} cho {collector}", en: "Hand the money to the collector: {total} to {collector}" }
    CounterReceiptHeading { vi: "Biên nhận chi trả số {number}", en: "Payment receipt no. {number}" }
    CounterReceiptTime { vi: "Thời gian: {time}", en: "Time: {time}" }
    CounterReceiptTotal { vi: "Tổng cộng: {total}", en: "Total: {total}" }
    CounterPrint { vi: "In biên nhận", en: "Print the receipt" }
    CounterFallbackHeading { vi: "Chi trả khi không dùng được chip thẻ", en: "Paying when the chip cannot be used" }
    CounterFallbackReason { vi: "Lý do", en: "Reason" }
    CounterFallbackSsn { vi: "Số định danh cá nhân của người thụ hưởng (12 chữ số)", en: "The beneficiary's personal identification number (12 digits)" }
    CounterFallbackQr { vi: "Nội dung mã QR trên thẻ (quét hoặc gõ; khi chip không đọc được)", en: "The card's QR text (scanned or typed; when the chip cannot be read)" }
    CounterFallbackIdChecked { vi: "Đã kiểm tra giấy tờ tùy thân của người nhận", en: "The collector's identity document was checked" }
    CounterFallbackButton { vi: "Chi trả không qua chip", en: "Pay without the chip" }
    CounterToday { vi: "Hôm nay: {receipts} biên nhận, {lines} khoản, {total}", en: "Today: {receipts} receipts, {lines} lines, {total}" }
    CounterListAge { vi: "{list}: cập nhật cách đây {age}", en: "{list}: from {age} ago" }
    CounterListStale { vi: "{list}: cập nhật cách đây {age} — ĐÃ CŨ, cần đồng bộ", en: "{list}: from {age} ago — OLD, sync" }
    CounterListMissing { vi: "{list}: chưa có — cần đồng bộ", en: "{list}: none held — sync" }
    CounterRefusedToken { vi: "Yêu cầu không mang mã phiên của trang quầy chi trả: đã từ chối (tải lại trang)", en: "The request lacks the counter page's session token: refused (reload the page)" }
    CounterRefusedHost { vi: "Trang quầy chi trả chỉ trả lời tại {listen}, không tại '{host}': đã từ chối", en: "The counter page answers at {listen} only, not at '{host}': refused" }
    CounterRefusedOrigin { vi: "Yêu cầu gửi từ trang khác ({origin}): đã từ chối", en: "A request sent from another site ({origin}): refused" }
    CounterCardChanged { vi: "Thẻ trong đầu đọc đã thay đổi: xem lại kết quả kiểm tra rồi mới chi trả", en: "The card in the reader changed: check the new verdict before paying" }
    CounterNoCard { vi: "Chưa có thẻ trong đầu đọc", en: "No card in the reader" }
    CounterNotAnswered { vi: "Đầu đọc thẻ không trả lời: CHƯA chi trả; kiểm tra đầu đọc rồi thử lại", en: "The card reader does not answer: NOT paid; check the reader and try again" }
    CounterNothingTicked { vi: "Chưa chọn khoản nào để chi trả", en: "No line ticked to pay" }
    CounterIdNeeded { vi: "Nhập số định danh cá nhân trên giấy tờ của người nhận", en: "Type the identity number on the collector's document" }
    CounterIdNotChecked { vi: "Chưa xác nhận đã kiểm tra giấy tờ tùy thân: chưa chi trả", en: "The identity document is not confirmed as checked: not paid" }
    CounterBadRequest { vi: "Yêu cầu không đúng: {detail}", en: "Bad request: {detail}" }
    CounterNotFound { vi: "Không có trang này", en: "No such page" }
    CounterListening { vi: "Trang quầy chi trả: {url} (mở bằng trình duyệt trên máy này)", en: "Counter page: {url} (open it in a browser on this computer)" }
    CounterNotLoopback { vi: "--listen {listen} không phải địa chỉ nội bộ của máy (127.0.0.1 hoặc ::1): trang quầy chi trả chỉ mở trên máy này", en: "--listen {listen} is not a loopback address (127.0.0.1 or ::1): the counter page is served on this computer only" }
    CounterCannotListen { vi: "không mở được trang quầy chi trả tại {listen} (chi tiết kỹ thuật: {detail})", en: "cannot serve the counter page at {listen} ({detail})" }

    // The personalizer.
    NoReaderFound {
        vi: "Không thấy đầu đọc thẻ nào (kiểm tra dây cắm và dịch vụ pcscd).",
        en: "No card reader found (check the cable and that pcscd runs).",
    }
    ReaderHasCard { vi: "có thẻ", en: "card present" }
    ReaderEmpty { vi: "trống", en: "empty" }
    HolderPinPrompt { vi: "Người thụ hưởng nhập mã PIN (4–8 chữ số): ", en: "Holder's PIN (4 to 8 digits): " }
    CardIssued { vi: "Đã cấp thẻ", en: "Card issued" }
    CardFace { vi: "Mặt thẻ:", en: "Card face:" }
    CardSheet { vi: "Tờ in mặt thẻ:", en: "Card sheet:" }
    Cards { vi: "thẻ", en: "cards" }
    ListRefused { vi: "Danh sách có lỗi; chưa thẻ nào được ghi:", en: "The list has errors; no card was touched:" }
    /// "line" inside a sentence.
    LineWord { vi: "dòng", en: "line" }
    /// "Line" starting a sentence.
    LineHeading { vi: "Dòng", en: "Line" }
    InsertBlankCard { vi: "mời đưa phôi thẻ vào đầu đọc", en: "insert a blank card" }
    RemoveThisCard { vi: "rút thẻ này ra", en: "remove this card" }
    RemoveCard { vi: "Rút thẻ ra.", en: "Remove the card." }
    BatchFinished { vi: "Xong", en: "Finished" }
    BatchCardsIssued { vi: "thẻ đã cấp", en: "cards issued" }
    BatchRowsFailed { vi: "dòng lỗi (chạy lại với --resume)", en: "rows failed (run again with --resume)" }
    BatchResultsIn { vi: "kết quả", en: "results in" }

    // Reading a list (`{ssn}` and the like are filled in where the message is used).
    ListReadAs { vi: "Đã đọc danh sách", en: "List read" }
    Worksheet { vi: "trang tính", en: "worksheet" }
    DelimiterComma { vi: "phân cách bằng dấu phẩy", en: "comma-separated" }
    DelimiterSemicolon { vi: "phân cách bằng dấu chấm phẩy", en: "semicolon-separated" }
    DelimiterTab { vi: "phân cách bằng dấu tab", en: "tab-separated" }
    Rows { vi: "dòng", en: "rows" }
    SsnLeadingZeroLost {
        vi: "{ssn} có 11 chữ số: Excel đã bỏ số 0 đứng đầu vì cột được định dạng kiểu Số (số đúng có lẽ là 0{ssn}). Định dạng cột là Văn bản (Text), nhập lại các số định danh rồi lưu lại danh sách.",
        en: "{ssn} has 11 digits: Excel dropped the leading 0 because the column is formatted as a Number (the SSN is probably 0{ssn}). Format the column as Text, type the SSNs again and save the list again.",
    }
    SsnScientific {
        vi: "{ssn}: Excel đã hiển thị số định danh dạng số mũ rồi lưu như vậy, các chữ số đã mất và không khôi phục được. Định dạng cột là Văn bản (Text), nhập lại các số định danh rồi lưu lại danh sách.",
        en: "{ssn}: Excel showed the SSN in scientific notation and saved it so; its digits are lost and cannot be recovered. Format the column as Text, type the SSNs again and save the list again.",
    }
    SsnNumberCell {
        vi: "(ô kiểu Số: định dạng cột là Văn bản (Text) và nhập lại)",
        en: "(the cell is a Number: format the column as Text and type it again)",
    }
    AreaCodeNumberCell {
        vi: "là ô kiểu Số: Excel bỏ các số 0 ở cuối mã (51.22900 thành 51.229). Định dạng cột là Văn bản (Text) và nhập lại mã địa bàn.",
        en: "is a Number cell: Excel drops the zeros at the end of a code (51.22900 becomes 51.229). Format the column as Text and type the area codes again.",
    }
    ListColumnTwice {
        vi: "cột {name} xuất hiện hai lần (tiêu đề {header} ở cột {column})",
        en: "the column {name} appears twice (header {header} in column {column})",
    }
    ListColumnUnknown {
        vi: "cột {header} không rõ ở dòng tiêu đề (dòng {row}); các cột là Số định danh cá nhân, Họ và tên, Ngày sinh, Giới tính, Mã địa bàn, Chính sách, Người được ủy quyền (hoặc tên tiếng Anh: ssn, full_name, date_of_birth, sex, area_code, entitlements, recipient)",
        en: "unknown column {header} in the header (row {row}); the columns are ssn, full_name, date_of_birth, sex, area_code, entitlements, recipient (or their Vietnamese names: Số định danh cá nhân, Họ và tên, Ngày sinh, Giới tính, Mã địa bàn, Chính sách, Người được ủy quyền)",
    }
    ListColumnMissing {
        vi: "thiếu cột {name} (dòng tiêu đề {row}: {headers})",
        en: "the column {name} is missing (header row {row}: {headers})",
    }
    ListNoRows { vi: "danh sách không có dòng nào", en: "the list has no rows" }
    ListRowMalformed { vi: "không đúng khuôn dạng:", en: "not a well-formed row:" }
    SsnAlreadyOnLine {
        vi: "số định danh {ssn} đã có ở dòng {line}",
        en: "SSN {ssn} is already on line {line}",
    }
    ListValid { vi: "Danh sách hợp lệ", en: "The list is valid" }
    ListHasErrors { vi: "Danh sách có lỗi:", en: "The list has errors:" }
    InvalidRowsSkipped { vi: "dòng không hợp lệ được bỏ qua (--skip-invalid)", en: "invalid rows skipped (--skip-invalid)" }
    RejectedRowsIn { vi: "Các dòng bị từ chối, kèm lý do, để gửi lại xã:", en: "The rejected rows, with their reasons, to send back to the commune:" }

    // The server's checks before the first card.
    AccountMayNotIssue {
        vi: "Tài khoản này ({role}) không được cấp thẻ: dùng mã truy cập (token) của đơn vị cấp thẻ. Chưa thẻ nào được ghi.",
        en: "This account ({role}) may not issue cards: use an issuing office's token. No card was touched.",
    }
    OfficeKeyNotActive {
        vi: "Khóa ký của đơn vị cấp thẻ {office} không còn hiệu lực ({status}): báo quản trị viên. Chưa thẻ nào được ghi.",
        en: "The signing key of office {office} is not active ({status}): call the administrator. No card was touched.",
    }
    OutsideArea {
        vi: "địa bàn {area} nằm ngoài địa bàn của tài khoản ({own}): đơn vị khác cấp thẻ này",
        en: "area {area} is outside the account's area {own}: another office issues this card",
    }
    AlreadyHasCard {
        vi: "số định danh này đã có thẻ {serial} ({status}); cấp lại hoặc cấp đổi thẻ bằng lệnh issue --replaces",
        en: "this SSN already has card {serial} ({status}); a new card for it is a replacement: issue --replaces",
    }

    // Likely duplicates.
    DuplicatesFound {
        vi: "Có thể trùng người (cùng họ tên, ngày sinh và địa bàn, khác số định danh); chưa thẻ nào được ghi:",
        en: "Likely duplicates (same name, birth date and area under another SSN); no card was touched:",
    }
    DuplicatesDecide {
        vi: "Ghi quyết định (cấp / bỏ) cho từng dòng vào tệp này rồi chạy lại với --accept-duplicates TỆP:",
        en: "Write a decision (issue / skip) for each row in this file, then run again with --accept-duplicates FILE:",
    }
    SameAsLine { vi: "cùng người với dòng", en: "same person as line" }
    SameAsCard { vi: "cùng người với thẻ đã cấp", en: "same person as issued card" }
    DuplicateSkipped { vi: "bỏ qua theo quyết định: có thể trùng người —", en: "skipped by decision: likely duplicate —" }
    DecisionIssue { vi: "cấp", en: "issue" }
    DecisionSkip { vi: "bỏ", en: "skip" }
    ColumnDecision { vi: "Quyết định (cấp / bỏ)", en: "Decision (issue / skip)" }
    ColumnLine { vi: "Dòng", en: "Line" }
    ColumnSsn { vi: "Số định danh", en: "SSN" }
    ColumnName { vi: "Họ và tên", en: "Full name" }
    ColumnDateOfBirth { vi: "Ngày sinh", en: "Date of birth" }
    ColumnArea { vi: "Mã địa bàn", en: "Area code" }
    ColumnSameAs { vi: "Trùng với", en: "Same as" }
    ColumnReason { vi: "Lý do", en: "Reason" }
    ColumnSerial { vi: "Số thẻ", en: "Card serial" }
    ColumnState { vi: "Trạng thái", en: "State" }

    // A batch's rows and its end.
    RowDone { vi: "đã cấp thẻ", en: "done" }
    RowFailed { vi: "lỗi (chạy lại với --resume)", en: "failed (run again with --resume)" }
    RowRejected { vi: "bị từ chối", en: "rejected" }
    BatchRowsRejected { vi: "dòng bị từ chối", en: "rows rejected" }
    BatchRowsLeft { vi: "dòng chưa làm", en: "rows not done yet" }
    StopRequested {
        vi: "Sẽ dừng sau thẻ đang ghi (nhấn Ctrl-C lần nữa để dừng ngay; --resume sẽ xử lý thẻ dở).",
        en: "Stopping after the card being written (press Ctrl-C again to stop at once; --resume settles that card).",
    }
    BatchStopped { vi: "Đã dừng (Ctrl-C)", en: "Stopped (Ctrl-C)" }
    ToGoOn { vi: "Để làm tiếp:", en: "To go on:" }
    // The verifier's findings: what a verification found, on the Detail and Note lines
    // (asxh_verdict::Finding). A `{detail}` is the technical detail of a card's or a parser's
    // error, as it was reported.
    FindingNoTrustList {
        vi: "chưa có danh sách đơn vị cấp thẻ tin cậy: kết nối mạng rồi chạy `asxh-verifier sync`",
        en: "no trust list yet: run `asxh-verifier sync` while online",
    }
    FindingIssuerUnknown {
        vi: "khóa ký {key} không có trong danh sách đơn vị cấp thẻ tin cậy",
        en: "issuer key {key} is not in the trust list",
    }
    FindingIssuerRevoked {
        vi: "khóa ký {key} của đơn vị cấp thẻ {office} đã ngừng sử dụng",
        en: "issuer key {key} of office {office} is revoked",
    }
    FindingIssuerKeyNotYetValid {
        vi: "khóa ký {key} chỉ có hiệu lực từ ngày {from}",
        en: "issuer key {key} is valid only from {from}",
    }
    FindingIssuedOutsideKeyValidity {
        vi: "thẻ cấp ngày {issued}, ngoài thời hạn của khóa ký (từ {from} đến {until})",
        en: "issued {issued} outside the issuer key's validity {from} to {until}",
    }
    FindingRevoked { vi: "thẻ {serial} đã ngừng sử dụng ({reason})", en: "card {serial} is revoked ({reason})" }
    FindingNotYetValid { vi: "thẻ chỉ có hiệu lực từ ngày {from}", en: "card is valid only from {from}" }
    FindingExpired { vi: "thẻ đã hết hạn ngày {on}", en: "card expired on {on}" }
    FindingNoRevocationList {
        vi: "chưa có danh sách thu hồi: kết nối mạng rồi chạy `asxh-verifier sync`",
        en: "no revocation list yet: run `asxh-verifier sync` while online",
    }
    FindingNoRevocationData { vi: "không có dữ liệu thu hồi", en: "there is no revocation data" }
    FindingRevocationDataFromTheFuture {
        vi: "dữ liệu thu hồi mang thời điểm {ahead} sau giờ của máy này, nên không biết dữ liệu đã cũ bao lâu",
        en: "the revocation data is dated {ahead} in the future, so its age is unknown",
    }
    FindingRevocationDataTooOld {
        vi: "dữ liệu thu hồi đã cũ {age}, quá mức cho phép {allowed}",
        en: "revocation data is {age} old, more than the allowed {allowed}",
    }
    FindingTrustListOverdue {
        vi: "danh sách đơn vị cấp thẻ tin cậy (phiên bản {version}) lẽ ra đã có bản mới trước {by}: hãy đồng bộ",
        en: "the trust list (version {version}) promised a newer one by {by}: sync",
    }
    FindingRevocationListOverdue {
        vi: "danh sách thu hồi (phiên bản {version}) lẽ ra đã có bản mới trước {by}: hãy đồng bộ",
        en: "the revocation list (version {version}) promised a newer one by {by}: sync",
    }
    FindingRevocationListFromTheFuture {
        vi: "danh sách thu hồi mang thời điểm {dated}, sau giờ hiện tại của máy này ({now}): kiểm tra đồng hồ",
        en: "the revocation list is dated {dated}, in this computer's future (now {now}): check the clock",
    }
    FindingSelectFailed {
        vi: "thẻ không trả lời lệnh chọn ứng dụng (SELECT); chi tiết kỹ thuật: {detail}",
        en: "the card did not answer SELECT: {detail}",
    }
    FindingCardBlocked { vi: "thẻ đang bị khóa", en: "the card is BLOCKED" }
    FindingCardTerminated { vi: "thẻ đã bị hủy vĩnh viễn", en: "the card is TERMINATED" }
    FindingCardNeverIssued {
        vi: "thẻ chưa từng được cấp (đang là {state})",
        en: "the card was never issued (it is {state})",
    }
    FindingReadFailed {
        vi: "không đọc được dữ liệu trên thẻ; chi tiết kỹ thuật: {detail}",
        en: "reading the credential failed: {detail}",
    }
    FindingCredentialMalformed {
        vi: "dữ liệu trên thẻ không đúng khuôn dạng; chi tiết kỹ thuật: {detail}",
        en: "the credential is not well formed: {detail}",
    }
    FindingCredentialNamesNoIssuer {
        vi: "dữ liệu trên thẻ không ghi khóa ký của đơn vị cấp thẻ; chi tiết kỹ thuật: {detail}",
        en: "the credential names no issuer: {detail}",
    }
    FindingQrNamesNoIssuer {
        vi: "mã QR không ghi khóa ký của đơn vị cấp thẻ; chi tiết kỹ thuật: {detail}",
        en: "the QR names no issuer: {detail}",
    }
    FindingSignatureInvalid {
        vi: "chữ ký số của đơn vị cấp thẻ không hợp lệ; chi tiết kỹ thuật: {detail}",
        en: "the issuer signature does not verify: {detail}",
    }
    FindingSerialMismatch {
        vi: "thẻ báo số thẻ {announced}, dữ liệu trên thẻ ghi số {credential}",
        en: "the card announces serial {announced}, its credential {credential}",
    }
    FindingWrongPin { vi: "sai mã PIN (còn {tries} lần thử)", en: "wrong PIN ({tries} tries left)" }
    FindingPinBlocked { vi: "mã PIN đã bị khóa do nhập sai nhiều lần", en: "the PIN is blocked" }
    FindingNoPinSet { vi: "thẻ chưa đặt mã PIN", en: "the card has no PIN set" }
    FindingPinCheckFailed {
        vi: "không kiểm tra được mã PIN; chi tiết kỹ thuật: {detail}",
        en: "PIN check failed: {detail}",
    }
    FindingActiveAuthRefused {
        vi: "thẻ từ chối xác thực chủ động (chứng minh thẻ giữ khóa bí mật); chi tiết kỹ thuật: {detail}",
        en: "the card refused active authentication: {detail}",
    }
    FindingActiveAuthFailed {
        vi: "không xác thực chủ động được với thẻ; chi tiết kỹ thuật: {detail}",
        en: "active authentication failed: {detail}",
    }
    FindingCopiedCredential {
        vi: "thẻ không chứng minh được mình giữ khóa bí mật của dữ liệu này: dữ liệu đã bị sao chép sang một thẻ khác",
        en: "the card could not prove it holds the key of this credential: the credential was copied onto another card",
    }
    FindingPinNotConfirmed {
        vi: "câu trả lời của thẻ không xác nhận đã kiểm tra mã PIN",
        en: "the card's answer does not confirm the PIN check",
    }
    FindingNotACardQr {
        vi: "mã quét được không phải mã QR của thẻ; chi tiết kỹ thuật: {detail}",
        en: "the scan is not a card QR: {detail}",
    }
    FindingQrOnly {
        vi: "chỉ có mã QR: dữ liệu là thật, nhưng không chứng minh người xuất trình là chủ thẻ; đối chiếu giấy tờ tùy thân",
        en: "QR only: the data is authentic, but it does not prove the person showing it is the holder; check an identity document",
    }
    FindingReaderUnavailable {
        vi: "không kết nối được với thẻ trong đầu đọc; chi tiết kỹ thuật: {detail}",
        en: "no card to connect to: {detail}",
    }
    FindingEmulatorUnopenable {
        vi: "không mở được thẻ mô phỏng {path}; chi tiết kỹ thuật: {detail}",
        en: "cannot open the emulated card {path}: {detail}",
    }

    // A card's life cycle (SPEC.md §8.1), as the personalizer's inspect and the findings say it.
    LifeCycleBlank { vi: "phôi thẻ (chưa ghi)", en: "BLANK" }
    LifeCyclePersonalizing { vi: "đang ghi dở", en: "PERSONALIZING" }
    LifeCycleIssued { vi: "đã cấp (đã khóa ghi)", en: "ISSUED" }
    LifeCycleBlocked { vi: "đang bị khóa", en: "BLOCKED" }
    LifeCycleTerminated { vi: "đã hủy vĩnh viễn", en: "TERMINATED" }
    // The server's TLS certificate refused by the personalizer or the verifier
    // (asxh_client::CertificateProblem).
    CertificateUnknownIssuer {
        vi: "Không tin được chứng chỉ bảo mật của máy chủ {host}: chứng chỉ do một tổ chức mà máy này không biết cấp. Nếu tỉnh dùng chứng chỉ riêng, hãy xin bộ phận CNTT của tỉnh tệp chứng chỉ gốc (CA, dạng PEM) rồi chạy lại với --ca-file <tệp>, hoặc cài tệp đó vào kho chứng chỉ của hệ điều hành.",
        en: "Cannot trust the certificate of server {host}: it was issued by an authority this computer does not know. If the province uses its own certificate authority, get its CA certificate (PEM) from the province's IT staff and run again with --ca-file FILE, or install it in the operating system's certificate store.",
    }
    CertificateCaUsedAsEndEntity {
        vi: "Máy chủ {host} dùng chứng chỉ gốc (CA) làm chứng chỉ của chính nó. Bộ phận CNTT của tỉnh cần cấp cho máy chủ một chứng chỉ riêng do CA đó ký; tệp CA vẫn dùng với --ca-file.",
        en: "Server {host} presents a CA certificate as its own. The province's IT staff must give the server its own certificate signed by that CA; keep using the CA file with --ca-file.",
    }
    CertificateExpired {
        vi: "Chứng chỉ bảo mật của máy chủ {host} đã hết hạn. Kiểm tra ngày giờ của máy này; nếu đúng, báo bộ phận CNTT của tỉnh gia hạn chứng chỉ.",
        en: "The certificate of server {host} has expired. Check this computer's date and time; if they are right, ask the province's IT staff to renew the certificate.",
    }
    CertificateNotYetValid {
        vi: "Chứng chỉ bảo mật của máy chủ {host} chưa đến ngày có hiệu lực. Kiểm tra ngày giờ của máy này; nếu đúng, báo bộ phận CNTT của tỉnh.",
        en: "The certificate of server {host} is not valid yet. Check this computer's date and time; if they are right, tell the province's IT staff.",
    }
    CertificateWrongName {
        vi: "Chứng chỉ bảo mật của máy chủ không cấp cho tên {host}. Kiểm tra địa chỉ --server (dùng đúng tên ghi trong chứng chỉ) hoặc báo bộ phận CNTT của tỉnh.",
        en: "The server's certificate is not issued for the name {host}. Check the --server address (use the name the certificate carries) or tell the province's IT staff.",
    }
    CertificateRevoked {
        vi: "Chứng chỉ bảo mật của máy chủ {host} đã bị thu hồi. Không kết nối tiếp; báo ngay bộ phận CNTT của tỉnh.",
        en: "The certificate of server {host} has been revoked. Do not connect; tell the province's IT staff at once.",
    }
    CertificateOther {
        vi: "Không thiết lập được kết nối bảo mật (TLS) với máy chủ {host} (chi tiết kỹ thuật: {detail}). Báo bộ phận CNTT của tỉnh.",
        en: "No secure (TLS) connection to server {host} ({detail}). Tell the province's IT staff.",
    }
    // The verifier's sync and its errors (asxh_verifier::VerifierError, Refusal, SyncNote).
    ListTrust { vi: "danh sách đơn vị cấp thẻ tin cậy", en: "trust list" }
    ListRevocation { vi: "danh sách thu hồi", en: "revocation list" }
    ListRevocationDelta { vi: "phần thay đổi của danh sách thu hồi", en: "revocation delta" }
    RefusalDoesNotVerify {
        vi: "{list} không đúng chữ ký số hoặc khuôn dạng (chi tiết kỹ thuật: {detail})",
        en: "the {list} does not verify: {detail}",
    }
    RefusalOlder {
        vi: "{list} phiên bản {version} cũ hơn phiên bản {held} đang giữ (dữ liệu cũ bị gửi lại)",
        en: "the {list} version {version} is older than the held version {held}",
    }
    RefusalFullForDelta {
        vi: "máy chủ gửi danh sách đầy đủ khi được hỏi phần thay đổi",
        en: "the server sent a full list where a delta was asked for",
    }
    RefusalDeltaForFull {
        vi: "máy chủ gửi phần thay đổi khi được hỏi danh sách đầy đủ",
        en: "the server sent a delta where a full list was asked for",
    }
    RefusalFromTheFuture {
        vi: "{list} mang thời điểm {dated}, quá {skew} sau giờ của máy này ({now}): kiểm tra đồng hồ của máy",
        en: "the {list} is dated {dated}, more than {skew} after this computer's time {now}; check the clock",
    }
    RefusalRootKeyUnreadable {
        vi: "máy chủ không trả về khóa gốc hợp lệ (chi tiết kỹ thuật: {detail})",
        en: "the root key answer holds no valid P-256 key: {detail}",
    }
    RefusalRootMismatch {
        vi: "khóa gốc của máy chủ có dấu vân tay {actual}, không phải dấu vân tay đã ghi nhận {pinned}: không tin máy chủ này, báo bộ phận kỹ thuật",
        en: "the server's root key has fingerprint {actual}, not the pinned {pinned}",
    }
    RefusalNoTrustListAfterSync {
        vi: "đồng bộ xong mà vẫn chưa có danh sách đơn vị cấp thẻ tin cậy",
        en: "no trust list after sync",
    }
    RefusalCacheDoesNotVerify {
        vi: "{list} lưu trên máy này không kiểm tra được (chi tiết kỹ thuật: {detail}); hãy đồng bộ lại",
        en: "the {list} held here does not verify ({detail}); run sync",
    }
    ErrorUsage { vi: "Lệnh chưa đúng: {detail}", en: "{detail}" }
    VerifierNotInitialised {
        vi: "{dir} chưa phải thư mục dữ liệu của máy kiểm tra thẻ: chạy `asxh-verifier init --data {dir} --server URL --root-fingerprint HEX` trước",
        en: "{dir} is not a verifier data directory: run `asxh-verifier init --data {dir} --server URL --root-fingerprint HEX` first",
    }
    VerifierStorage {
        vi: "Lỗi dữ liệu lưu trên máy này (chi tiết kỹ thuật: {detail}). Báo bộ phận kỹ thuật.",
        en: "local storage: {detail}",
    }
    ErrorNetwork {
        vi: "Không kết nối được máy chủ; kiểm tra mạng rồi thử lại (chi tiết kỹ thuật: {detail}).",
        en: "cannot reach the server: {detail}",
    }
    VerifierRefused {
        vi: "Đã từ chối dữ liệu máy chủ gửi, chưa lưu gì: {what}",
        en: "refused what the server sent: {what}",
    }
    /// A message that is another typed message's text, as it is.
    Nested { vi: "{text}", en: "{text}" }
    /// Before an error on a tool's standard error.
    ErrorPrefix { vi: "Lỗi:", en: "error:" }
    SyncDone {
        vi: "Đã đồng bộ: danh sách đơn vị cấp thẻ tin cậy phiên bản {trust}{updated}, danh sách thu hồi phiên bản {revocation} ({fetch}, {revoked} thẻ ngừng sử dụng)",
        en: "synced: trust list v{trust}{updated}, revocation list v{revocation} ({fetch}, {revoked} revoked cards)",
    }
    SyncUpdated { vi: " (đã cập nhật)", en: " (updated)" }
    SyncFetchFull { vi: "tải toàn bộ", en: "full" }
    SyncFetchDelta { vi: "tải phần thay đổi", en: "delta" }
    SyncFetchCompacted { vi: "gộp các phần thay đổi", en: "compacted" }
    SyncFetchUnchanged { vi: "không thay đổi", en: "unchanged" }
    SyncUnknownBase {
        vi: "máy chủ không còn giữ phiên bản {since}; đã tải danh sách đầy đủ",
        en: "the server no longer knows version {since}; took its full list",
    }
    SyncKept {
        vi: "giữ lại {count} thẻ ngừng sử dụng mà danh sách của máy chủ không còn ghi",
        en: "{count} revocations kept that the server's list no longer carries",
    }
    SyncOverdue {
        vi: "{list} của máy chủ (phiên bản {version}) lẽ ra đã có bản mới trước {by}; máy chủ không ký lại danh sách",
        en: "the server's {list} (version {version}) promised a newer one by {by}; the server is not re-signing it",
    }
    VerifierInitialised {
        vi: "Đã thiết lập {dir} cho máy chủ {server}; đã ghi nhận khóa gốc có dấu vân tay {fingerprint}. Chạy tiếp `asxh-verifier sync --data {dir}`.",
        en: "initialised {dir} for {server}; root pinned to {fingerprint}; run `asxh-verifier sync --data {dir}` next",
    }
    JournalExported { vi: "Đã ghi {count} lượt kiểm tra vào {path}", en: "wrote {count} verifications to {path}" }
    // What opening or settling a batch job did (asxh_personalizer::batch::JobNote).
    JobVoidedInterrupted {
        vi: "dòng {line}: đã hủy thẻ {serial} đang chờ ghi của lần chạy bị gián đoạn",
        en: "line {line}: voided PENDING card {serial} of an interrupted run",
    }
    JobVoidedNotLocked {
        vi: "dòng {line}: đã hủy thẻ {serial} đang chờ ghi (thẻ chưa được khóa ghi)",
        en: "line {line}: voided PENDING card {serial} (the card was not locked)",
    }
    JobActivatedLocked {
        vi: "dòng {line}: thẻ {serial} đã được khóa ghi; đã kích hoạt thẻ trên máy chủ",
        en: "line {line}: card {serial} was locked; activated it on the server",
    }
    JobRejectedCorrected {
        vi: "dòng {line}: dòng bị từ chối đã được sửa; sẽ cấp thẻ lại",
        en: "line {line}: the rejected row was corrected; it is issued again",
    }
    JobRejectedRetried {
        vi: "{count} dòng bị từ chối được thử lại (--retry-rejected)",
        en: "{count} rejected rows are tried again (--retry-rejected)",
    }

    // The personalizer's inspect of a card.
    InspectLifeCycle { vi: "Trạng thái thẻ:", en: "life cycle:" }
    InspectSerial { vi: "Số thẻ:", en: "serial:" }
    InspectPin { vi: "Mã PIN của người thụ hưởng:", en: "holder PIN:" }
    InspectPinNotSet { vi: "chưa đặt", en: "not set" }
    InspectPinTriesLeft { vi: "còn {tries} lần thử", en: "{tries} tries left" }
    InspectKey { vi: "khóa của thẻ:", en: "key:" }
    InspectCredential { vi: "dữ liệu thẻ:", en: "credential:" }
    Yes { vi: "có", en: "yes" }
    No { vi: "không", en: "no" }
    InspectHolder {
        vi: "Người thụ hưởng: {name} ({ssn}), hạn thẻ {expires} (chữ ký số không được kiểm tra ở đây: dùng asxh-verifier)",
        en: "holder: {name} ({ssn}), expires {expires} (signature not checked here: use asxh-verifier)",
    }
    InspectUnreadable {
        vi: "dữ liệu thẻ không đọc được (chi tiết kỹ thuật: {detail})",
        en: "credential does not parse: {detail}",
    }
    // The personalizer's errors (asxh_personalizer::PersonalizerError).
    PersonalizerInvalid { vi: "Dữ liệu thẻ không hợp lệ: {problems}", en: "invalid card data: {problems}" }
    PersonalizerCardNotBlank {
        vi: "Thẻ trong đầu đọc {state}{serial}: không bao giờ ghi đè thẻ; hãy đưa phôi thẻ vào",
        en: "the card is {state}{serial}: it is never overwritten; insert a blank card",
    }
    /// ` (card …)` after the state of a card that is not blank.
    PersonalizerCardSerial { vi: " (thẻ {serial})", en: " (card {serial})" }
    PersonalizerCard {
        vi: "Lỗi thẻ hoặc đầu đọc; rút thẻ ra, cắm lại và thử lại (chi tiết kỹ thuật: {detail})",
        en: "card or reader: {detail}",
    }
    PersonalizerReadBack {
        vi: "Thẻ vừa ghi không kiểm tra đạt khi đọc lại; không phát thẻ này (chi tiết kỹ thuật: {detail})",
        en: "the written card does not verify: {detail}",
    }
    PersonalizerServer {
        vi: "Máy chủ từ chối ({status}): {meaning} (chi tiết kỹ thuật: {code}: {message})",
        en: "server refused ({status} {code}): {message}",
    }
    PersonalizerDuplicates {
        vi: "{count} dòng có thể trùng người đã có trong danh sách hoặc đã được cấp thẻ dưới số định danh khác: quyết định bằng --accept-duplicates",
        en: "{count} rows may be people already listed or issued under another SSN: decide them with --accept-duplicates",
    }
    PersonalizerRowsServerRefuses {
        vi: "{count} dòng của {input} sẽ bị máy chủ từ chối; chưa thẻ nào được ghi",
        en: "{count} rows of {input} the server would refuse",
    }
    PersonalizerRowsChangeIssued {
        vi: "{count} dòng của {input} thay đổi thẻ đã cấp; chưa thẻ nào được ghi",
        en: "{count} rows of {input} change cards already issued",
    }
    PersonalizerJob {
        vi: "Lỗi tệp theo dõi đợt cấp thẻ (chi tiết kỹ thuật: {detail})",
        en: "job file: {detail}",
    }
    // The console's frame, log-in, dashboard, card, office and error pages.
    ConsoleDashboardArea { vi: "Tổng quan — địa bàn", en: "Dashboard — area" }
    ConsoleLogIn { vi: "Đăng nhập", en: "Log in" }
    ConsoleSeconds { vi: "giây.", en: "seconds." }
    ConsoleTooManyFromAddress {
        vi: "Quá nhiều lần đăng nhập sai từ máy này. Hãy thử lại sau",
        en: "Too many failed log-ins from this computer. Try again in",
    }
    ConsoleTooManyForAccount {
        vi: "Tài khoản này đã đăng nhập quá nhiều lần. Hãy thử lại sau",
        en: "This account has logged in too many times. Try again in",
    }
    ConsoleLoginExpired {
        vi: "Trang đăng nhập đã hết hạn. Hãy nhập lại mã truy cập.",
        en: "The log-in page had expired. Enter your token again.",
    }
    ConsoleTokenUnknown {
        vi: "Mã truy cập không đúng hoặc đã bị khóa.",
        en: "The token is not recognised or has been revoked.",
    }
    ConsoleAccountCannotUseConsole {
        vi: "Tài khoản này không dùng được trang quản trị (điểm chi trả dùng phần mềm chi trả, không dùng trang này).",
        en: "This account cannot use the console (payment points use the payment software, not this console).",
    }
    ConsoleFindACard { vi: "Tìm thẻ", en: "Find a card" }
    ConsoleCardRevokedInList {
        vi: "Thẻ đã ngừng sử dụng. Thẻ có trong danh sách thu hồi phiên bản",
        en: "Card revoked. It is in revocation list version",
    }
    ConsoleRefusedAfterNextSync {
        vi: "; các điểm chi trả từ chối thẻ sau lần đồng bộ tiếp theo.",
        en: "; payment points refuse it after their next sync.",
    }
    ConsoleReplacementRequested {
        vi: "Đã ghi yêu cầu cấp lại. Đơn vị cấp thẻ sẽ thấy yêu cầu trên trang tổng quan.",
        en: "Replacement requested. Issuing offices see it on their dashboard.",
    }
    ConsoleCard { vi: "Thẻ", en: "Card" }
    ConsoleChooseAReason { vi: "Hãy chọn một lý do.", en: "Choose a reason." }
    ConsoleOfficesAndAccounts { vi: "Đơn vị và tài khoản", en: "Offices and accounts" }
    ConsoleOfficeAdded { vi: "Đã thêm đơn vị cấp thẻ", en: "Office added:" }
    ConsoleNewAccount { vi: "Tài khoản mới", en: "New account" }
    ConsoleConfirmAccountRevoke {
        vi: "Hãy đánh dấu ô xác nhận trước khi khóa tài khoản.",
        en: "Tick the confirmation box before revoking an account.",
    }
    ConsoleRevokedAccount { vi: "Đã khóa tài khoản", en: "Revoked account" }
    ConsoleKeyRotated {
        vi: "Đã tạo khóa mới; khóa cũ thôi dùng, thẻ đã cấp vẫn hợp lệ. Khóa mới:",
        en: "New key made; the old one is retired and its cards stay valid. New key:",
    }
    ConsoleRetiredKey { vi: "Đã thôi dùng khóa", en: "Retired key" }
    ConsoleRevokedKey { vi: "Đã thu hồi khóa", en: "Revoked key" }
    ConsoleConfirmKeyChange {
        vi: "Hãy đánh dấu ô xác nhận trước khi đổi trạng thái khóa.",
        en: "Tick the confirmation box before changing a key.",
    }
    ConsoleSkipToContent { vi: "Bỏ qua đến nội dung", en: "Skip to content" }
    ConsoleSocialSecurityCardAdministration {
        vi: "Thẻ an sinh xã hội — Quản trị",
        en: "Social security card — Administration",
    }
    ConsoleMainNavigation { vi: "Điều hướng chính", en: "Main navigation" }
    ConsoleDashboard { vi: "Tổng quan", en: "Dashboard" }
    ConsoleArea { vi: "Địa bàn", en: "Area" }
    ConsoleLogOut { vi: "Đăng xuất", en: "Log out" }
    ConsoleChartFigures { vi: "Số liệu của biểu đồ", en: "The chart's figures" }
    ConsoleWeekOf { vi: "Tuần từ", en: "Week of" }
    ConsoleCardsRevoked { vi: "Số thẻ ngừng sử dụng", en: "Cards revoked" }
    ConsoleNotAllowed { vi: "Không được phép", en: "Not allowed" }
    ConsoleNotFound { vi: "Không tìm thấy", en: "Not found" }
    ConsoleCannotBeDone { vi: "Không thực hiện được", en: "Cannot be done" }
    ConsoleSomethingIsNotRight { vi: "Thông tin chưa đúng", en: "Something is not right" }
    ConsoleNotLoggedIn { vi: "Chưa đăng nhập", en: "Not logged in" }
    ConsoleServerError { vi: "Lỗi máy chủ", en: "Server error" }
    ConsoleBackToTheDashboard { vi: "Về trang tổng quan", en: "Back to the dashboard" }
    // The console's views (cards, offices, accounts, keys, charts).
    ConsoleFormExpired {
        vi: "Biểu mẫu đã hết hạn hoặc không đến từ trang quản trị này. Hãy tải lại trang và thử lại.",
        en: "The form has expired or did not come from this console. Reload the page and try again.",
    }
    ConsoleLogInWithTheAccount {
        vi: "Đăng nhập bằng mã truy cập (token) của tài khoản do quản trị viên cấp.",
        en: "Log in with the account token your administrator gave you.",
    }
    ConsoleAccountToken { vi: "Mã truy cập", en: "Account token" }
    ConsoleIssued { vi: "Đã cấp", en: "Issued" }
    ConsoleActive { vi: "Đang hiệu lực", en: "Active" }
    ConsoleRevoked { vi: "Ngừng sử dụng", en: "Revoked" }
    ConsolePending { vi: "Chờ ghi thẻ", en: "Pending" }
    ConsoleNoRequestIsWaiting {
        vi: "Không có yêu cầu nào đang chờ.",
        en: "No request is waiting.",
    }
    ConsoleOldCard { vi: "Thẻ cũ", en: "Old card" }
    ConsoleBeneficiary { vi: "Người thụ hưởng", en: "Beneficiary" }
    ConsoleReason { vi: "Lý do", en: "Reason" }
    ConsoleRequested { vi: "Yêu cầu lúc", en: "Requested" }
    ConsoleCardsIssued { vi: "thẻ đã cấp", en: "cards issued" }
    ConsoleActiveLower { vi: "đang hiệu lực", en: "active" }
    ConsoleRevokedLower { vi: "ngừng sử dụng", en: "revoked" }
    ConsoleReplacementsWaiting { vi: "yêu cầu cấp lại đang chờ", en: "replacements waiting" }
    ConsoleRevocationsPerWeek { vi: "Thẻ ngừng sử dụng theo tuần", en: "Revocations per week" }
    ConsoleCardsRevokedEachWeekLast {
        vi: "Số thẻ ngừng sử dụng mỗi tuần, 12 tuần gần nhất",
        en: "Cards revoked each week, last 12 weeks",
    }
    ConsoleByArea { vi: "Theo địa bàn", en: "By area" }
    ConsoleByProgram { vi: "Theo chính sách", en: "By program" }
    ConsoleProgram { vi: "Chính sách", en: "Program" }
    ConsoleReplacementsWaitingForANew {
        vi: "Yêu cầu cấp lại thẻ đang chờ",
        en: "Replacements waiting for a new card",
    }
    ConsolePrintTheNewCardWith {
        vi: "In thẻ mới bằng asxh-personalizer issue --replaces <số thẻ cũ> khi thẻ cũ còn hiệu lực (thẻ hỏng).",
        en: "Print the new card with asxh-personalizer issue --replaces <old serial> when the old card is still active (damaged card).",
    }
    ConsoleCardSerialSSNOrName {
        vi: "Số thẻ, số an sinh xã hội hoặc họ tên",
        en: "Card serial, SSN or name",
    }
    ConsoleSearch { vi: "Tìm", en: "Search" }
    ConsoleResults { vi: "Kết quả", en: "Results" }
    ConsoleNoCardInYourArea {
        vi: "Không có thẻ nào trong địa bàn của bạn khớp với tìm kiếm.",
        en: "No card in your area matches.",
    }
    ConsoleSerial { vi: "Số thẻ", en: "Serial" }
    ConsoleName { vi: "Họ tên", en: "Name" }
    ConsoleSSN { vi: "Số định danh cá nhân", en: "SSN" }
    ConsoleStatus { vi: "Trạng thái", en: "Status" }
    ConsoleIssuedOn { vi: "Ngày cấp", en: "Issued" }
    ConsoleOffice { vi: "Đơn vị", en: "Office" }
    ConsoleMonth { vi: "/tháng", en: "/month" }
    ConsoleDateOfBirth { vi: "Ngày sinh", en: "Date of birth" }
    ConsoleSex { vi: "Giới tính", en: "Sex" }
    ConsoleIssuedBy { vi: "Đơn vị cấp", en: "Issued by" }
    ConsoleExpires { vi: "Hết hạn", en: "Expires" }
    ConsoleReplacesCard { vi: "Thay cho thẻ", en: "Replaces card" }
    ConsoleReplacedByCard { vi: "Được thay bằng thẻ", en: "Replaced by card" }
    ConsoleRevocationReason { vi: "Lý do ngừng sử dụng", en: "Revocation reason" }
    ConsoleRevokedOn { vi: "Ngày ngừng sử dụng", en: "Revoked on" }
    ConsoleRevocationList { vi: "Danh sách thu hồi", en: "Revocation list" }
    ConsoleVersion { vi: "phiên bản ", en: "version " }
    ConsoleEntitlements { vi: "Chính sách được hưởng", en: "Entitlements" }
    ConsoleTheCardCarriesNoEntitlement {
        vi: "Thẻ không ghi chính sách nào.",
        en: "The card carries no entitlement.",
    }
    ConsoleCategory { vi: "Diện đối tượng", en: "Category" }
    ConsoleAmount { vi: "Mức trợ cấp/tháng", en: "Amount" }
    ConsoleFrom { vi: "Từ", en: "From" }
    ConsoleUntil { vi: "Đến", en: "Until" }
    ConsoleGuardianOrAuthorisedPerson {
        vi: "Người giám hộ / người được ủy quyền",
        en: "Guardian or authorised person",
    }
    ConsoleActions { vi: "Thao tác", en: "Actions" }
    ConsoleRevokeCardButton { vi: "Ngừng sử dụng thẻ…", en: "Revoke card…" }
    ConsoleReplaceCardButton { vi: "Cấp lại thẻ…", en: "Replace card…" }
    ConsoleReplacementRequests { vi: "Yêu cầu cấp lại", en: "Replacement requests" }
    ConsoleNewCard { vi: "đã cấp thẻ mới ", en: "new card " }
    ConsoleWaitingForAnOfficeTo {
        vi: "đang chờ đơn vị cấp thẻ in thẻ mới",
        en: "waiting for an office to print the new card",
    }
    ConsoleHistory { vi: "Lịch sử", en: "History" }
    ConsoleWhen { vi: "Thời điểm", en: "When" }
    ConsoleEvent { vi: "Sự kiện", en: "Event" }
    ConsoleBy { vi: "Người thực hiện", en: "By" }
    ConsoleDetail { vi: "Chi tiết", en: "Detail" }
    ConsoleRevokeCardTitle { vi: "Ngừng sử dụng thẻ", en: "Revoke card" }
    ConsoleReplaceCardTitle { vi: "Cấp lại thẻ", en: "Replace card" }
    ConsoleReasonPlaceholder { vi: "— Chọn lý do —", en: "— Choose a reason —" }
    ConsoleALostOrStolenCard {
        vi: "Thẻ mất hoặc bị lấy cắp ngừng sử dụng ngay. Thẻ bị hỏng vẫn dùng được cho đến khi thẻ cấp đổi được in.",
        en: "A lost or stolen card is revoked at once. A damaged card keeps working until the new card is printed.",
    }
    ConsoleContinue { vi: "Tiếp tục", en: "Continue" }
    ConsoleCancel { vi: "Hủy", en: "Cancel" }
    ConsoleReasonLabel { vi: "Lý do: ", en: "Reason: " }
    ConsoleTheCardWillBeRevoked {
        vi: "Thẻ sẽ ngừng sử dụng ngay và không thể khôi phục. Các điểm chi trả từ chối thẻ này sau lần đồng bộ tiếp theo.",
        en: "The card will be revoked now, for good. Payment points refuse it after their next sync.",
    }
    ConsoleTheCardKeepsWorkingUntil {
        vi: "Thẻ vẫn dùng được cho đến khi đơn vị cấp thẻ in thẻ mới thay thế.",
        en: "The card keeps working until an issuing office prints the replacement.",
    }
    ConsoleConfirm { vi: "Xác nhận: ", en: "Confirm: " }
    ConsoleNoGoBack { vi: "Không, quay lại", en: "No, go back" }
    ConsoleKeyActive { vi: "đang dùng", en: "active" }
    ConsoleRetiredItsCardsStayValid {
        vi: "đã thôi dùng (thẻ đã cấp vẫn hợp lệ)",
        en: "retired (its cards stay valid)",
    }
    ConsoleRevokedNoneOfItsCards {
        vi: "đã thu hồi (không tin thẻ nào nó ký)",
        en: "revoked (none of its cards is trusted)",
    }
    ConsoleRetireKey { vi: "Thôi dùng khóa", en: "Retire key" }
    ConsoleRevokeKeyCompromised { vi: "Thu hồi khóa (bị lộ)", en: "Revoke key (compromised)" }
    ConsoleIAmSure { vi: "Tôi chắc chắn: ", en: "I am sure: " }
    ConsoleIssuingOffices { vi: "Đơn vị cấp thẻ", en: "Issuing offices" }
    ConsoleCode { vi: "Mã", en: "Code" }
    ConsoleOfficeNameShort { vi: "Tên", en: "Name" }
    ConsoleIssuerKeys { vi: "Khóa cấp thẻ", en: "Issuer keys" }
    ConsoleValid { vi: "Hiệu lực", en: "Valid" }
    ConsoleCards { vi: "Số thẻ", en: "Cards" }
    ConsoleNewKeyRotateFor { vi: "Tạo khóa mới (thay khóa) cho ", en: "New key (rotate) for " }
    ConsoleAddAnIssuingOffice { vi: "Thêm đơn vị cấp thẻ", en: "Add an issuing office" }
    ConsoleOfficeCode { vi: "Mã đơn vị", en: "Office code" }
    ConsoleOfficeName { vi: "Tên đơn vị", en: "Office name" }
    ConsoleAddOfficeAndCreateIts {
        vi: "Thêm đơn vị và tạo khóa",
        en: "Add office and create its key",
    }
    ConsoleAccounts { vi: "Tài khoản", en: "Accounts" }
    ConsoleRole { vi: "Vai trò", en: "Role" }
    ConsoleLabel { vi: "Ghi chú", en: "Label" }
    ConsoleCreated { vi: "Tạo lúc", en: "Created" }
    ConsoleAccountRevoked { vi: "Đã khóa ", en: "Revoked " }
    ConsoleActiveYou { vi: "Đang dùng (bạn)", en: "Active (you)" }
    ConsoleIAmSureRevokeAccount {
        vi: "Tôi chắc chắn khóa tài khoản #",
        en: "I am sure: revoke account #",
    }
    ConsoleRevokeAccount { vi: "Khóa tài khoản #", en: "Revoke account #" }
    ConsoleCreateAnAccount { vi: "Tạo tài khoản", en: "Create an account" }
    ConsoleOfficeIssuingOfficeAccountsOnly {
        vi: "Đơn vị (chỉ cho đơn vị cấp thẻ)",
        en: "Office (issuing office accounts only)",
    }
    ConsoleLabelWhoOrWhichCounter {
        vi: "Ghi chú (người hoặc quầy dùng tài khoản)",
        en: "Label (who or which counter uses it)",
    }
    ConsoleCreateAccount { vi: "Tạo tài khoản", en: "Create account" }
    ConsoleAccount { vi: "Tài khoản #", en: "Account #" }
    ConsoleWasCreatedCopyTheToken {
        vi: " đã được tạo. Sao chép mã truy cập dưới đây và trao cho người dùng: mã chỉ hiển thị một lần.",
        en: " was created. Copy the token below and hand it to its user: it is shown only once.",
    }
    ConsoleDone { vi: "Xong", en: "Done" }
    // An outcome in a line of the verifier's journal.
    JournalCard { vi: "thẻ", en: "card" }
    JournalQr { vi: "QR", en: "QR" }
    JournalValid { vi: "Hợp lệ", en: "valid" }
    JournalValidQrOnly { vi: "Chỉ có mã QR", en: "valid, QR only" }
    JournalValidStaleData { vi: "Hợp lệ, danh sách thu hồi cũ", en: "valid, old revocation data" }
    JournalValidQrOnlyStaleData {
        vi: "Chỉ có mã QR, danh sách thu hồi cũ",
        en: "valid, QR only, old revocation data",
    }
    JournalRevoked { vi: "Ngừng sử dụng", en: "revoked" }
    JournalNotInValidity { vi: "Hết hạn hoặc chưa có hiệu lực", en: "expired or not yet valid" }
    JournalUntrustedIssuer { vi: "Không do đơn vị có thẩm quyền cấp", en: "untrusted issuer" }
    JournalTampered { vi: "Chữ ký số không hợp lệ", en: "forged or altered" }
    JournalCloneSuspected { vi: "Nghi thẻ sao chép", en: "clone suspected" }
    JournalCardUnusable { vi: "Thẻ bị khóa, đã hủy hoặc chưa cấp", en: "blocked, terminated or not issued" }
    JournalStaleRevocationData { vi: "Danh sách thu hồi quá cũ", en: "revocation data too old" }
    JournalReaderError { vi: "Lỗi đầu đọc hoặc thẻ", en: "reader or card error" }
    JournalNotACardQr { vi: "Không phải mã thẻ", en: "not a card QR" }
    JournalNothingPayable { vi: "Không có chính sách được chi trả", en: "nothing payable today" }

    // Areas, the commune data-entry role and the reports.
    RoleDataEntry { vi: "Nhập liệu cấp xã", en: "Commune data entry" }
    /// Between a pre-merger unit's name and the unit it lies in today: "Vĩnh Phúc (nay thuộc Phú Thọ)".
    AreaNowPartOf { vi: "nay thuộc", en: "now part of" }
    Reports { vi: "Báo cáo", en: "Reports" }
    ReportByArea { vi: "Theo địa bàn", en: "By area" }
    ReportBySex { vi: "Theo giới tính", en: "By sex" }
    ReportByAge { vi: "Theo nhóm tuổi", en: "By age band" }
    ReportByProgram { vi: "Theo chính sách", en: "By program" }
    ReportByCategory { vi: "Theo diện đối tượng", en: "By category" }
    ReportCode { vi: "Mã", en: "Code" }
    ReportName { vi: "Tên", en: "Name" }
    ReportPeople { vi: "Số người thụ hưởng", en: "Beneficiaries" }
    ReportMen { vi: "Nam", en: "Men" }
    ReportWomen { vi: "Nữ", en: "Women" }
    ReportTotal { vi: "Tổng cộng", en: "Total" }
    ReportMonth { vi: "Tháng", en: "Month" }
    ReportIncreases { vi: "Tăng", en: "Increases" }
    ReportDecreases { vi: "Giảm", en: "Decreases" }
    ReportInForce { vi: "Đang hưởng cuối tháng", en: "In force at the month's end" }
    ReportChanges { vi: "Biến động tăng, giảm theo tháng", en: "Monthly increases and decreases" }
    /// Above the report: the day its figures are as of.
    ReportAsOf { vi: "Số liệu tính đến ngày", en: "Figures as of" }
    ReportShow { vi: "Xem", en: "Show" }
    ReportExport { vi: "Tải về", en: "Download" }
    /// What the reports count: people with a card in force on the day.
    ReportWhat {
        vi: "Người thụ hưởng có thẻ đang hiệu lực vào ngày báo cáo, trong địa bàn của bạn. Mỗi người được tính một lần; người hưởng nhiều chính sách được tính ở mỗi chính sách.",
        en: "Beneficiaries with a card in force on the report's day, within your area. Each person counts once; a person with several programs counts in each program.",
    }
    AgeUnder6 { vi: "Dưới 6 tuổi", en: "Under 6" }
    Age6To15 { vi: "Từ 6 đến 15 tuổi", en: "6 to 15" }
    Age16To59 { vi: "Từ 16 đến 59 tuổi", en: "16 to 59" }
    Age60To79 { vi: "Từ 60 đến 79 tuổi", en: "60 to 79" }
    Age80Up { vi: "Từ 80 tuổi trở lên", en: "80 and over" }

    // Living entitlements: the entitlements' dates at the payment point (SPEC.md §5.5 step 4).
    VerdictNothingPayable {
        vi: "✘ KHÔNG CÓ CHÍNH SÁCH NÀO ĐƯỢC CHI TRẢ HÔM NAY — thẻ thật, nhưng mọi chính sách trên thẻ đã hết thời hạn hưởng hoặc chưa đến ngày hưởng — KHÔNG chi trả",
        en: "✘ NOTHING PAYABLE TODAY — a genuine card, but every entitlement on it has ended or not yet started — do NOT pay",
    }
    /// Under an entitlement whose valid-until has passed: "… 30/06/2026".
    EntitlementEnded { vi: "✘ KHÔNG chi trả: thời hạn hưởng đã kết thúc ngày", en: "✘ NOT payable: ended on" }
    /// Under an entitlement whose valid-from is still to come: "… 01/01/2027".
    EntitlementNotYetStarted { vi: "✘ KHÔNG chi trả: chưa đến thời hạn hưởng, bắt đầu từ ngày", en: "✘ NOT payable: starts on" }

    // The register of entitlement decisions (the console's pages).
    RegisterTitle { vi: "Quyết định hưởng chính sách", en: "Entitlement decisions" }
    RegisterFindBeneficiary { vi: "Tra cứu người thụ hưởng", en: "Find a beneficiary" }
    RegisterOpen { vi: "Xem hồ sơ", en: "Open" }
    RegisterPutBeneficiary { vi: "Thêm hoặc sửa người thụ hưởng", en: "Register or update a beneficiary" }
    RegisterResidence { vi: "Nơi cư trú (mã xã)", en: "Residence (commune code)" }
    RegisterRecordDecision { vi: "Ghi quyết định hưởng", en: "Record a decision" }
    RegisterDecisionFor { vi: "Quyết định cho người thụ hưởng (số định danh cá nhân) hoặc cho hộ (mã hộ)", en: "For a beneficiary (SSN) or a household (household code)" }
    RegisterProgram { vi: "Chính sách", en: "Program" }
    RegisterCategory { vi: "Diện đối tượng", en: "Category" }
    RegisterCoefficient { vi: "Hệ số (phần trăm: 1,5 ghi 150)", en: "Coefficient (hundredths: 1.5 is 150)" }
    RegisterFixedAmount { vi: "Hoặc mức cố định (đồng/tháng)", en: "Or a fixed amount (VND a month)" }
    RegisterDecisionNo { vi: "Số quyết định", en: "Decision number" }
    RegisterDecisionDate { vi: "Ngày quyết định", en: "Decision date" }
    RegisterPaidFrom { vi: "Hưởng từ tháng", en: "Paid from" }
    RegisterPaidUntil { vi: "Đến tháng (nếu có)", en: "Until (if any)" }
    RegisterSettledUntil { vi: "Đã chi trả đến tháng (theo phần mềm cũ, nếu có)", en: "Already paid until (by the earlier system, if any)" }
    RegisterHousehold { vi: "Mã hộ", en: "Household code" }
    RegisterHouseholdDecision { vi: "Quyết định của hộ", en: "The household's decision" }
    RegisterEntitlements { vi: "Các quyết định hưởng", en: "Decisions" }
    RegisterNoEntitlements { vi: "Chưa có quyết định hưởng nào.", en: "No decision recorded yet." }
    RegisterStatusActive { vi: "Đang hưởng", en: "Active" }
    RegisterStatusSuspended { vi: "Tạm dừng", en: "Suspended" }
    RegisterStatusStopped { vi: "Thôi hưởng", en: "Stopped" }
    RegisterSuspend { vi: "Tạm dừng", en: "Suspend" }
    RegisterResume { vi: "Tiếp tục hưởng", en: "Resume" }
    RegisterStop { vi: "Thôi hưởng", en: "Stop" }
    RegisterOnDay { vi: "Từ ngày", en: "From the day" }
    RegisterNote { vi: "Ghi chú", en: "Note" }
    RegisterReasonNotCollected { vi: "Không nhận trợ cấp 3 tháng liên tục", en: "Not collected for three months" }
    RegisterReasonUnderReview { vi: "Đang xem xét lại điều kiện hưởng", en: "Under review" }
    RegisterReasonOther { vi: "Lý do khác", en: "Other reason" }
    RegisterReasonDeceased { vi: "Người thụ hưởng đã từ trần", en: "Deceased" }
    RegisterReasonMovedAway { vi: "Chuyển đi nơi khác", en: "Moved away" }
    RegisterReasonNotEligible { vi: "Không còn đủ điều kiện hưởng", en: "No longer eligible" }
    RegisterWhoCollects { vi: "Người giám hộ / Người được ủy quyền", en: "Guardian / authorised person" }
    RegisterRoleGuardian { vi: "Người giám hộ", en: "Guardian" }
    RegisterRoleAuthorised { vi: "Người được ủy quyền", en: "Authorised person" }
    RegisterOnlyHolder { vi: "Người thụ hưởng tự nhận", en: "The beneficiary collects" }
    RegisterRecipientName { vi: "Họ và tên", en: "Full name" }
    RegisterIdNumber { vi: "Số định danh cá nhân (12 chữ số)", en: "Personal ID number (12 digits)" }
    RegisterDocument { vi: "Giấy ủy quyền hoặc quyết định giám hộ (số)", en: "Letter of authorisation or guardianship decision (number)" }
    RegisterValidFrom { vi: "Hiệu lực từ ngày", en: "Valid from" }
    RegisterValidUntil { vi: "Đến ngày (nếu có)", en: "Valid until (if any)" }
    RegisterChangeRecipient { vi: "Đổi người giám hộ / người được ủy quyền", en: "Change the guardian or authorised person" }
    RegisterRemoveRecipient { vi: "Bỏ người giám hộ / người được ủy quyền", en: "Remove the guardian or authorised person" }
    RegisterHistory { vi: "Lịch sử thay đổi", en: "History of changes" }
    RegisterChangeRecorded { vi: "Ghi quyết định", en: "Decision recorded" }
    RegisterChangeSuspended { vi: "Tạm dừng", en: "Suspended" }
    RegisterChangeResumed { vi: "Tiếp tục hưởng", en: "Resumed" }
    RegisterChangeStopped { vi: "Thôi hưởng", en: "Stopped" }
    RegisterChangeRecipientDone { vi: "Đổi người giám hộ / người được ủy quyền", en: "Guardian or authorised person changed" }
    RegisterBaseLevels { vi: "Mức chuẩn trợ giúp xã hội", en: "Base levels" }
    RegisterNational { vi: "Toàn quốc", en: "National" }
    RegisterProvince { vi: "Tỉnh (mã 2 chữ số)", en: "Province (2-digit code)" }
    RegisterFromMonth { vi: "Từ tháng", en: "From" }
    RegisterAmount { vi: "Mức (đồng/tháng)", en: "Amount (VND a month)" }
    RegisterDecree { vi: "Văn bản quy định", en: "Decree or resolution" }
    RegisterSetBaseLevel { vi: "Đặt mức chuẩn của tỉnh", en: "Set the province's base level" }
    RegisterBaseLevelHint {
        vi: "Mức chuẩn mới áp dụng cho mọi mức trợ cấp tính theo hệ số, từ tháng đã chọn; không cần cấp lại thẻ.",
        en: "A new base level applies to every amount computed by coefficient, from the month chosen; no card is reissued.",
    }
    RegisterMonths { vi: "Thời gian hưởng", en: "Months paid" }
    RegisterRule { vi: "Mức trợ cấp/tháng", en: "Monthly amount" }
    RegisterTimesBase { vi: "× mức chuẩn", en: "× the base level" }
    RegisterFirstPaid { vi: "Chi trả lần đầu tháng", en: "First paid in" }
    RegisterSave { vi: "Lưu", en: "Save" }
    RegisterSaved { vi: "Đã lưu.", en: "Saved." }

    // What is wrong with a value people type (asxh_core::Problem, FormatError): `{field}` is the
    // field's label below, values as they were typed, quoted.
    ProblemOfField { vi: "{field}: {problem}", en: "{field}: {problem}" }
    ProblemSsnNotTwelveDigits {
        vi: "{text} không đủ 12 chữ số (ví dụ đúng: 051146000123)",
        en: "{text} is not 12 digits (expected e.g. 051146000123)",
    }
    ProblemSsnProvince {
        vi: "{text} có mã tỉnh nơi đăng ký khai sinh {province}, phải từ 001 đến 099",
        en: "{text} has province code {province}, expected a birth-registration province code 001 to 099",
    }
    ProblemSsnSexDisagrees {
        vi: "{ssn} là số của người giới tính {encoded} (chữ số thứ 4 là {digit}), nhưng giới tính ghi là {holder}",
        en: "{ssn} encodes sex {encoded} (digit 4 = {digit}), but the holder's sex is {holder}",
    }
    ProblemSsnBirthYearDisagrees {
        vi: "{ssn} là số của người sinh năm {year}, nhưng ngày sinh ghi là {date_of_birth}",
        en: "{ssn} encodes birth year {year}, but the date of birth is {date_of_birth}",
    }
    ProblemNameControlCharacter {
        vi: "có ký tự điều khiển U+{code} (dấu tab hoặc xuống dòng): gõ lại trên một dòng",
        en: "contains the control character U+{code} (a tab or a line break): type it on one line",
    }
    ProblemNameEmpty { vi: "đang để trống", en: "is empty" }
    ProblemNameTooLong {
        vi: "dài {bytes} byte (UTF-8), tối đa {max} byte",
        en: "is {bytes} bytes of UTF-8, at most {max} allowed",
    }
    ProblemNameCharacter {
        vi: "có ký tự {found} không được dùng; chỉ được dùng chữ cái, dấu cách, dấu gạch nối, dấu nháy đơn và dấu chấm",
        en: "contains {found}; only letters, spaces, hyphens, apostrophes and periods are allowed",
    }
    ProblemNameNoLetter { vi: "không có chữ cái nào", en: "contains no letter" }
    ProblemSerialOutOfRange { vi: "{number} nằm ngoài khoảng 1 đến {max}", en: "{number} is outside 1 to {max}" }
    ProblemSerialForm {
        vi: "{text} không phải số thẻ (cần 10 chữ số, dấu gạch ngang và chữ số kiểm tra, ví dụ 0000012345-5)",
        en: "{text} is not a card serial (expected 10 digits, a dash and a check digit, e.g. 0000012345-5)",
    }
    ProblemSerialCheckDigit {
        vi: "{text} có chữ số kiểm tra {found}, đúng ra phải là {expected}: số thẻ bị gõ nhầm",
        en: "{text} has check digit {found}, expected {expected}: the serial is mistyped",
    }
    ProblemPinForm { vi: "phải gồm 4 đến 8 chữ số", en: "must be 4 to 8 digits" }
    ProblemAdminCodeForm {
        vi: "phải gồm 8 đến 16 ký tự ASCII in được, không có dấu cách",
        en: "must be 8 to 16 printable ASCII characters without spaces",
    }
    ProblemAreaCodeForm {
        vi: "{text} không phải mã địa bàn: cần mã tỉnh 2 chữ số, có thể thêm mã huyện 3 chữ số và mã xã 5 chữ số, cách nhau bằng dấu chấm (51, 51.22903, 51.429.22903)",
        en: "{text} is not an area code: expected the province's 2-digit code, then optionally a 3-digit district and a 5-digit commune code, dot-separated (51, 51.22903, 51.429.22903)",
    }
    ProblemProvinceMerged {
        vi: "{area}: tỉnh {code} ({old_name}) đã hợp nhất vào {new_code} {new_name} từ ngày {since}; ghi mã đang có hiệu lực",
        en: "{area}: province {code} ({old_name}) is part of {new_code} {new_name} since {since}; give the code of today",
    }
    ProblemProvinceUnknown {
        vi: "{area}: mã tỉnh {code} không có trong danh mục tỉnh, thành phố",
        en: "{area}: province {code} is in no list of provinces",
    }
    ProblemSexForm { vi: "{text} không phải giới tính (ghi Nam hoặc Nữ)", en: "{text} is not a sex (expected M or F)" }
    ProblemOfficeCodeForm {
        vi: "{text} không phải mã đơn vị cấp thẻ (cần 2 đến 16 ký tự A-Z, 0-9, gạch ngang hoặc gạch dưới)",
        en: "{text} is not an office code (expected 2 to 16 of A-Z 0-9 - _)",
    }
    ProblemProgramForm {
        vi: "{text} không phải mã chính sách (cần 2 đến 8 chữ cái hoặc chữ số, ví dụ TGXH, NCC, HN, HCN, BHYT, BHXH, BHTN)",
        en: "{text} is not a program code (expected 2 to 8 letters or digits, e.g. TGXH, NCC, HN, HCN, BHYT, BHXH, BHTN)",
    }
    ProblemCategoryForm {
        vi: "{text} không phải mã diện đối tượng (cần 1 đến 16 ký tự A-Z, 0-9, dấu chấm, gạch dưới hoặc gạch ngang)",
        en: "{text} is not a category code (expected 1 to 16 of A-Z 0-9 . _ -)",
    }
    ProblemIdNumberForm {
        vi: "{text} không phải số giấy tờ tùy thân (cần 12 chữ số, hoặc 9 chữ số với chứng minh nhân dân cũ)",
        en: "{text} is not an ID number (expected 12 digits, or 9 for an old identity card)",
    }
    ProblemDateForm { vi: "{text} không phải {expected}", en: "{text} is not {expected}" }
    DateFormIso { vi: "ngày dạng YYYY-MM-DD", en: "a date YYYY-MM-DD" }
    DateFormWhole { vi: "ngày đủ ngày, tháng, năm (dd/mm/yyyy)", en: "a whole date dd/mm/yyyy (or YYYY-MM-DD)" }
    DateFormIsoPartial { vi: "năm, tháng/năm hoặc ngày/tháng/năm (YYYY, YYYY-MM hoặc YYYY-MM-DD)", en: "YYYY, YYYY-MM or YYYY-MM-DD" }
    DateFormPartial { vi: "ngày dạng dd/mm/yyyy, mm/yyyy hoặc yyyy", en: "a date dd/mm/yyyy, mm/yyyy or yyyy" }
    DateFormMonth { vi: "tháng dạng YYYY-MM", en: "a month YYYY-MM" }
    ProblemDateNotDigits { vi: "{text} có ký tự không phải chữ số", en: "{text} contains a non-digit" }
    ProblemMonthOutOfRange { vi: "tháng {month} không có (tháng từ 1 đến 12)", en: "month {month} is not 1 to 12" }
    ProblemNotCalendarDate { vi: "ngày {date} không có trên lịch", en: "{date} is not a calendar date" }
    ProblemDateOutOfRange {
        vi: "ngày {date} nằm ngoài khoảng 01/01/2000 đến 06/06/2179",
        en: "{date} is outside 01/01/2000 to 06/06/2179",
    }
    ProblemBirthYearOutOfRange { vi: "năm {year} nằm ngoài khoảng 1900 đến 2399", en: "year {year} is outside 1900 to 2399" }
    ProblemDayFirst {
        vi: "{text}: {problem} (ghi ngày trước, tháng sau: dd/mm/yyyy)",
        en: "{text}: {problem} (the day comes first: dd/mm/yyyy)",
    }
    ProblemRollMonthOutOfRange {
        vi: "{text} không phải tháng trong khoảng 01/2000 đến 12/2179",
        en: "{text} is not a month from 01/2000 to 12/2179",
    }
    ProblemEndsBeforeStart { vi: "{end} trước {start_field} {start}", en: "{end} is before {start_field} {start}" }
    ProblemTooManyEntitlements {
        vi: "có {count} chính sách, một thẻ chứa tối đa {max}",
        en: "{count} entitlements, at most {max} fit on a card",
    }
    ProblemAmountOutOfRange {
        vi: "{amount} nằm ngoài khoảng 1 đến {max} (để trống nếu chính sách không chi trả tiền)",
        en: "{amount} is outside 1 to {max} (leave it out when the program pays no amount)",
    }
    ProblemNotOneOf { vi: "{text} không phải một trong các mã: {choices}", en: "{text} is not one of {choices}" }
    ProblemEncoding {
        vi: "dữ liệu không đúng khuôn dạng (chi tiết kỹ thuật: {detail})",
        en: "the data is not well formed ({detail})",
    }
    ProblemBadSignature {
        vi: "chữ ký số không hợp lệ: dữ liệu bị làm giả hoặc sửa đổi (chi tiết kỹ thuật: {detail})",
        en: "the digital signature does not verify: the data is forged or altered ({detail})",
    }
    // The fields' labels, as clerks know them (the list's column headers, GLOSSARY.md).
    FieldSsn { vi: "Số định danh cá nhân", en: "SSN" }
    FieldFullName { vi: "Họ và tên", en: "Full name" }
    FieldDateOfBirth { vi: "Ngày sinh", en: "Date of birth" }
    FieldSex { vi: "Giới tính", en: "Sex" }
    FieldAreaCode { vi: "Mã địa bàn", en: "Area code" }
    FieldEntitlements { vi: "Chính sách", en: "Entitlements" }
    /// One of a row's entitlements: "Chính sách thứ 2".
    FieldEntitlement { vi: "Chính sách thứ {number}", en: "Entitlement {number}" }
    FieldProgram { vi: "Mã chính sách", en: "Program" }
    FieldCategory { vi: "Diện đối tượng", en: "Category" }
    FieldRecipient { vi: "Người giám hộ hoặc người được ủy quyền", en: "Guardian or authorised person" }
    FieldRecipientName {
        vi: "Họ và tên người giám hộ hoặc người được ủy quyền",
        en: "Name of the guardian or authorised person",
    }
    FieldRecipientId {
        vi: "Số giấy tờ của người giám hộ hoặc người được ủy quyền",
        en: "ID number of the guardian or authorised person",
    }
    FieldMonthlyAmount { vi: "Mức trợ cấp/tháng", en: "Monthly amount" }
    FieldValidFrom { vi: "ngày bắt đầu hưởng", en: "valid from" }
    FieldValidUntil { vi: "ngày thôi hưởng", en: "valid until" }
    FieldSerial { vi: "Số thẻ", en: "Card serial" }
    FieldPin { vi: "Mã PIN", en: "PIN" }
    FieldAdminCode { vi: "Mã quản trị thẻ", en: "Admin code" }
    FieldExpires { vi: "Hạn thẻ", en: "Expiry date" }
    FieldIssued { vi: "ngày cấp", en: "the issue date" }
    FieldMonth { vi: "Tháng", en: "Month" }
    FieldFile { vi: "Tệp danh sách", en: "File" }
    FieldOffice { vi: "Mã đơn vị cấp thẻ", en: "Office code" }
    FieldAsOf { vi: "Ngày báo cáo", en: "Report date" }
    FieldRow { vi: "Dòng", en: "Row" }
    // The personalizer's own problems with a typed request (asxh_personalizer::request).
    EntitlementSpecForm {
        vi: "{spec} không đúng dạng MÃ CHÍNH SÁCH:MÃ DIỆN[:MỨC TRỢ CẤP[:TỪ NGÀY[:ĐẾN NGÀY]]] (ví dụ TGXH:BTXH-80:540000:01/01/2026)",
        en: "{spec} is not PROGRAM:CATEGORY[:AMOUNT[:FROM[:UNTIL]]] (e.g. TGXH:BTXH-80:540000:2026-01-01)",
    }
    EntitlementAmountNotWhole {
        vi: "{spec}: mức trợ cấp {amount} không phải số đồng nguyên",
        en: "{spec}: amount {amount} is not a whole number of đồng",
    }
    EntitlementSpecProblem { vi: "{spec}: {problem}", en: "{spec}: {problem}" }
    RecipientForm {
        vi: "{text} không đúng dạng HỌ TÊN:SỐ GIẤY TỜ",
        en: "{text} is not NAME:ID-NUMBER",
    }
    RowIssuedWithOtherData {
        vi: "thẻ của số định danh {ssn} đã cấp ({serial}) với thông tin khác: danh sách không sửa được thẻ đã cấp; để nguyên dòng như cũ, hoặc cấp đổi thẻ (issue --replaces)",
        en: "the card of SSN {ssn} is issued already ({serial}) with other data: a list does not change an issued card; leave the row as it was, or replace the card (issue --replaces)",
    }
    CardBeingWritten { vi: "đang ghi thẻ", en: "being written" }
    FileCannotRead { vi: "không đọc được {path}: {detail}", en: "cannot read {path}: {detail}" }
    // The tools' usage errors (asxh_text::usage::Usage): `{detail}` is the operating system's or
    // a library's own words.
    UsageValue { vi: "{option}: {problem}", en: "{option}: {problem}" }
    UsagePin { vi: "Mã PIN {problem}", en: "The PIN {problem}" }
    UsagePinUnreadable { vi: "không đọc được mã PIN (chi tiết kỹ thuật: {detail})", en: "cannot read the PIN: {detail}" }
    UsageServerUrl {
        vi: "--server {url} phải bắt đầu bằng http:// hoặc https://",
        en: "--server {url} must start with http:// or https://",
    }
    UsageRootFingerprint {
        vi: "--root-fingerprint {text} không phải 64 chữ số hệ mười sáu (dấu vân tay SHA-256 mà `asxh-server init` đã in ra)",
        en: "--root-fingerprint {text} is not 64 hex digits (the SHA-256 fingerprint `asxh-server init` printed)",
    }
    UsageAlreadyInitialised {
        vi: "{dir} đã được khởi tạo; không ghim lại khóa gốc",
        en: "{dir} is already initialised; refusing to re-pin its root",
    }
    UsageCannotRead { vi: "không đọc được {path} (chi tiết kỹ thuật: {detail})", en: "cannot read {path}: {detail}" }
    UsageCannotWrite { vi: "không ghi được {path} (chi tiết kỹ thuật: {detail})", en: "cannot write {path}: {detail}" }
    UsageTokenFile {
        vi: "không đọc được tệp mã truy cập {path} (chi tiết kỹ thuật: {detail})",
        en: "cannot read the token file {path}: {detail}",
    }
    UsageCaFile {
        vi: "không dùng được tệp chứng chỉ CA của tỉnh (--ca-file) (chi tiết kỹ thuật: {detail})",
        en: "{detail}",
    }
    UsagePathNotUtf8 { vi: "{option} {path}: đường dẫn không phải UTF-8", en: "{option} {path}: the path is not UTF-8" }
    UsageNeeds { vi: "lệnh {command} cần {option}", en: "{command} needs {option}" }
    UsageOneOf { vi: "cần một trong các cách: {ways}", en: "give one of {ways}" }
    /// Between the last two of a list of choices.
    UsageOr { vi: "hoặc", en: "or" }
    UsageJobExists {
        vi: "tệp công việc {path} đã có: thêm --resume để làm tiếp",
        en: "the job file {path} exists: add --resume to carry on with it",
    }
    UsageNoJob { vi: "--resume: không có tệp công việc {path}", en: "--resume: there is no job file {path}" }
    UsageFaceFormat {
        vi: "{path}: mặt thẻ được in ra tệp .png, .svg hoặc .pdf",
        en: "{path}: the card face is printed as .png, .svg or .pdf",
    }
    UsageSheetFormat { vi: "{path}: tờ in nhiều thẻ là tệp .pdf", en: "{path}: a sheet of cards is printed as .pdf" }
    UsageSheetEmpty { vi: "tờ in cần ít nhất một thẻ", en: "a sheet needs at least one card" }
    UsageSeveralCards {
        vi: "{count} thẻ: nhiều thẻ được in trên tờ A4, thêm --sheet",
        en: "{count} cards: several cards are printed on A4 sheets, add --sheet",
    }
    UsageOfficeName {
        vi: "mặt thẻ ghi đơn vị cấp thẻ (Nơi cấp): thêm --office-name",
        en: "the face shows the issuing office (Nơi cấp): give --office-name",
    }
    UsageDecisionsUnreadable {
        vi: "--accept-duplicates {path}: không đọc được tệp (chi tiết kỹ thuật: {detail})",
        en: "--accept-duplicates {path}: {detail}",
    }
    UsageDecisionsColumns {
        vi: "--accept-duplicates {path}: không có cột {decision} và cột {ssn}: dùng tệp mà lệnh batch đã ghi, sau khi điền quyết định",
        en: "--accept-duplicates {path}: no {decision} and {ssn} columns: give the file the batch wrote, with the decisions filled in",
    }
    UsageDecisionUnknown {
        vi: "--accept-duplicates {path}: dòng {row}: {text} không phải quyết định (ghi cấp hoặc bỏ)",
        en: "--accept-duplicates {path}: row {row}: {text} is not a decision (write cấp or bỏ, issue or skip)",
    }
    UsageDecisionSsn {
        vi: "--accept-duplicates {path}: dòng {row}: Số định danh cá nhân: {problem}",
        en: "--accept-duplicates {path}: row {row}: SSN: {problem}",
    }
    UsageEmulatedCard {
        vi: "không dùng được thẻ mô phỏng {path} (chi tiết kỹ thuật: {detail})",
        en: "emulated card {path}: {detail}",
    }
    UsageReader { vi: "lỗi đầu đọc thẻ (chi tiết kỹ thuật: {detail})", en: "reader: {detail}" }
    UsageImageUnreadable {
        vi: "không đọc được ảnh {path}: cần ảnh chụp hoặc ảnh quét dạng PNG hoặc JPEG (chi tiết kỹ thuật: {detail})",
        en: "cannot read the image {path}: {detail} (expected a PNG or JPEG photo or scan)",
    }
    UsageNoQrInImage {
        vi: "không thấy mã QR nào trong ảnh {path}: chụp thẳng mặt thẻ, rõ nét, thấy trọn mã QR",
        en: "no QR code found in {path}: photograph the card face straight on, in focus, with the whole code visible",
    }
    UsageNoCardQrInImage {
        vi: "Không phải mã thẻ — quét lại: ảnh {path} có mã QR nhưng không phải mã thẻ an sinh xã hội (đọc được: {found})",
        en: "Not a card QR — scan again: {path} holds QR codes but no card QR (found: {found})",
    }
    // What the personalizer cannot print a face from (asxh_personalizer::FaceInput).
    FaceCredentialNotHex {
        vi: "dữ liệu thẻ (--credential) không phải chuỗi hệ mười sáu (hex)",
        en: "the credential is not hex",
    }
    FaceCredentialUnreadable {
        vi: "không đọc được dữ liệu thẻ (chi tiết kỹ thuật: {detail})",
        en: "the credential does not parse: {detail}",
    }
    FaceNotACardFile {
        vi: "{path} không phải tệp thẻ (tệp JSON có credential_hex và qr_text) (chi tiết kỹ thuật: {detail})",
        en: "{path}: not a card file (JSON with credential_hex and qr_text): {detail}",
    }
    FaceQrDoesNotFit {
        vi: "nội dung mã QR quá dài, không tạo được mã QR (chi tiết kỹ thuật: {detail})",
        en: "the QR text does not fit a QR code: {detail}",
    }
    FaceQrTooDense {
        vi: "mã QR cần {modules} ô mỗi cạnh, nhiều hơn mặt thẻ in rõ được ({max})",
        en: "the QR text needs {modules} modules, more than the card face prints legibly ({max})",
    }
    FaceNoRoom {
        vi: "mặt thẻ không còn chỗ cho {label} {value}: họ tên, tên xã và tên đơn vị cấp thẻ đã chiếm hết (chữ không nhỏ hơn {min_pt} pt)",
        en: "the card face has no room left for {label} {value}: the name, the commune and the issuing office's name take it (text stays at least {min_pt} pt)",
    }
    // A file that is no list, or a row that is no row (asxh_sheet::SheetError, RowProblem).
    SheetWorkbook {
        vi: "không mở được tệp bảng tính; mở bằng Excel rồi lưu lại dạng .xlsx hoặc CSV (chi tiết kỹ thuật: {detail})",
        en: "the workbook cannot be read ({detail}); save it again from Excel as .xlsx or as CSV",
    }
    SheetNoWorksheet { vi: "tệp bảng tính không có trang tính nào có dữ liệu", en: "the workbook has no worksheet with data" }
    SheetBinary {
        vi: "không phải danh sách: tệp có ký tự NUL (tệp nhị phân, hoặc văn bản theo bảng mã không có dấu BOM); từ Excel, lưu danh sách dạng .xlsx hoặc \"CSV UTF-8\"",
        en: "not a list: the text holds NUL characters (a binary file, or text in an encoding without a byte-order mark); save the list from Excel as .xlsx or \"CSV UTF-8\"",
    }
    SheetNotCsv { vi: "không phải tệp CSV (chi tiết kỹ thuật: {detail})", en: "not CSV: {detail}" }
    SheetBrokenText {
        vi: "tệp không phải văn bản {encoding} từ đầu đến cuối (số byte lẻ, hoặc có ký tự bị hỏng)",
        en: "the file is not {encoding} text throughout (an odd number of bytes or a broken character)",
    }
    SheetBrokenUtf8 { vi: "tệp bắt đầu là UTF-8 nhưng byte {byte} không phải UTF-8", en: "the file starts as UTF-8 but byte {byte} is not UTF-8" }
    SheetEmpty { vi: "tệp trống", en: "the file is empty" }
    SheetRowWidth {
        vi: "có {cells} ô trong khi dòng tiêu đề có {header} ô (thiếu dấu nháy đóng, hoặc dấu phân cách nằm trong một ô không đặt trong dấu nháy)",
        en: "{cells} cells where the header has {header} (a quote not closed, or a delimiter inside a cell that is not quoted)",
    }
    ListProblemsIn { vi: "{count} lỗi trong {path}", en: "{count} problems in {path}" }
    FileNotAList {
        vi: "không dùng được {path} làm danh sách (xem lỗi ở trên)",
        en: "{path} cannot be used as a list (see the problems above)",
    }
    // Payments at the counter (issue #19): the console's page of a month's payments and its
    // exports (words of the glossary: chi trả, biên nhận, điểm chi trả, chi trùng).
    ConsolePaymentsTitle { vi: "Tình hình chi trả", en: "Payments" }
    ConsolePaymentsLink { vi: "Xem tình hình chi trả tháng này", en: "See this month's payments" }
    ConsolePaymentsByArea { vi: "Theo xã", en: "By commune" }
    ConsolePaymentsByProgram { vi: "Theo chính sách", en: "By program" }
    ConsolePaymentsByPoint { vi: "Theo điểm chi trả", en: "By payment point" }
    ConsolePaymentsPoint { vi: "Điểm chi trả", en: "Payment point" }
    ConsolePaymentsPaidLines { vi: "Số khoản đã chi trả", en: "Lines paid" }
    ConsolePaymentsPaidAmount { vi: "Số tiền đã chi trả", en: "Amount paid" }
    ConsolePaymentsUnpaidLines { vi: "Số khoản chưa chi trả", en: "Lines unpaid" }
    ConsolePaymentsUnpaidAmount { vi: "Số tiền chưa chi trả", en: "Amount unpaid" }
    ConsolePaymentsReceipts { vi: "Số lượng biên nhận", en: "Receipts" }
    ConsolePaymentsReceiptNo { vi: "Số biên nhận", en: "Receipt no." }
    ConsolePaymentsSsn { vi: "Số ĐDCN", en: "SSN" }
    ConsolePaymentsPaidAt { vi: "Thời điểm chi trả", en: "Paid at" }
    ConsolePaymentsAmount { vi: "Số tiền", en: "Amount" }
    ConsolePaymentsKind { vi: "Loại khoản", en: "Kind" }
    ConsolePaymentsFirstMonth { vi: "Từ tháng", en: "From month" }
    ConsolePaymentsLastMonth { vi: "Đến tháng", en: "To month" }
    ConsolePaymentsCollector { vi: "Người nhận", en: "Collected by" }
    ConsolePaymentsCollectorHolder { vi: "người thụ hưởng", en: "the beneficiary" }
    ConsolePaymentsCollectorGuardian { vi: "người giám hộ", en: "guardian" }
    ConsolePaymentsCollectorAuthorised { vi: "người được ủy quyền", en: "authorised person" }
    ConsolePaymentsSignedBy { vi: "Ký bởi", en: "Signed by" }
    ConsolePaymentsSignedByCard { vi: "thẻ", en: "the card" }
    ConsolePaymentsSignedByPoint { vi: "điểm chi trả", en: "the payment point" }
    ConsolePaymentsStatus { vi: "Trạng thái", en: "Status" }
    ConsolePaymentsStatusPaid { vi: "đã chi trả", en: "paid" }
    ConsolePaymentsStatusTwice { vi: "chi trùng", en: "paid twice" }
    ConsolePaymentsFlagged { vi: "Biên nhận chi trùng", en: "Receipts paying a line twice" }
    ConsolePaymentsFlaggedNote {
        vi: "Hai điểm chi trả đã chi cùng một khoản khi không có mạng. Biên nhận đến sau được giữ lại, kèm biên nhận đã chi trước làm bằng chứng; không biên nhận nào bị bỏ đi.",
        en: "Two payment points paid the same line while offline. The later receipt is kept, with the receipt that paid first as evidence; no receipt is dropped.",
    }
    ConsolePaymentsNoFlagged { vi: "Không có biên nhận chi trùng.", en: "No receipt paid a line twice." }
    ConsolePaymentsPaidFirst { vi: "Biên nhận đã chi trước", en: "Receipt that paid first" }
    ConsolePaymentsEvidence { vi: "Dữ liệu biên nhận (hex)", en: "Receipt bytes (hex)" }
    ConsolePaymentsNone { vi: "Chưa có khoản nào trong danh sách chi trả tháng này.", en: "No line on this month's payment roll yet." }
    ConsolePaymentsExport { vi: "Tải danh sách biên nhận của tháng", en: "Download the month's receipts" }

    // Payment into an account (issue #19 items 4 and 5): the method in the register, the
    // transfer list (danh sách chuyển khoản), the bank's result, the three unpaid months.
    RegisterChangeAccount { vi: "Đổi phương thức chi trả", en: "Payment method changed" }
    RegisterAccountTitle { vi: "Phương thức chi trả", en: "Payment method" }
    RegisterAccountCounter { vi: "Tại điểm chi trả", en: "At the counter" }
    RegisterAccountInto { vi: "Chuyển khoản vào tài khoản", en: "Into an account" }
    RegisterAccountKind { vi: "Loại tài khoản", en: "Account kind" }
    RegisterAccountBank { vi: "Tài khoản ngân hàng", en: "Bank account" }
    RegisterAccountEwallet { vi: "Ví điện tử", en: "E-wallet" }
    RegisterAccountProvider { vi: "Ngân hàng / ví điện tử", en: "Bank or e-wallet" }
    RegisterAccountNumber { vi: "Số tài khoản", en: "Account number" }
    RegisterAccountHolderName { vi: "Tên chủ tài khoản", en: "Account holder's name" }
    RegisterAccountOwner { vi: "Tài khoản của", en: "Whose account" }
    RegisterAccountOwnerHolder { vi: "người thụ hưởng", en: "the beneficiary" }
    RegisterAccountOwnerRecipient { vi: "người giám hộ / người được ủy quyền", en: "the guardian or authorised person" }
    RegisterAccountSet { vi: "Lưu phương thức chi trả", en: "Save the payment method" }
    RegisterAccountSetDone {
        vi: "Đã lưu phương thức chi trả; danh sách chi trả được lập lại và chờ phê duyệt.",
        en: "Payment method saved; the payment roll is drafted again and waits for approval.",
    }
    TransfersTitle { vi: "Danh sách chuyển khoản", en: "Transfer list" }
    TransfersReference { vi: "Mã tham chiếu", en: "Reference" }
    TransfersFullName { vi: "Họ và tên", en: "Full name" }
    TransfersByProvider { vi: "Tổng theo ngân hàng / ví điện tử", en: "Totals by bank or e-wallet" }
    TransfersLines { vi: "Số khoản", en: "Lines" }
    TransfersResult { vi: "Kết quả", en: "Result" }
    TransfersResultOk { vi: "đã chuyển", en: "transferred" }
    TransfersResultFailed { vi: "không thành công", en: "failed" }
    TransfersResultAwaiting { vi: "chờ kết quả", en: "awaiting the result" }
    TransfersBankTxn { vi: "Mã giao dịch ngân hàng", en: "Bank transaction id" }
    TransfersReason { vi: "Lý do", en: "Reason" }
    TransfersNone { vi: "Không có khoản chuyển khoản nào trong danh sách chi trả đã công bố tháng này.", en: "No line paid into an account on this month's published payment roll." }
    TransfersExport { vi: "Tải danh sách chuyển khoản", en: "Download the transfer list" }
    TransfersUploadTitle { vi: "Nạp kết quả chuyển khoản của ngân hàng", en: "Upload the bank's transfer result" }
    TransfersUploadHint {
        vi: "Tệp CSV hoặc XLSX với các cột: Mã tham chiếu, Kết quả (ok / failed), Mã giao dịch, Lý do. Một dòng sai thì không ghi nhận dòng nào.",
        en: "A CSV or XLSX file with the columns: reference, result (ok / failed), bank transaction id, reason. One bad row and nothing is recorded.",
    }
    TransfersUploadFile { vi: "Tệp kết quả", en: "Result file" }
    TransfersUploadSubmit { vi: "Nạp kết quả", en: "Upload the result" }
    TransfersUploadDone {
        vi: "Đã ghi nhận {recorded} kết quả mới, {repeated} kết quả đã có từ trước.",
        en: "{recorded} new results recorded, {repeated} already recorded before.",
    }
    TransfersResultNoColumns {
        vi: "tệp kết quả cần các cột mã tham chiếu, kết quả, mã giao dịch và lý do (reference, result, bank_txn, reason); dòng tiêu đề là {header}",
        en: "the result file needs the columns reference, result, bank_txn and reason; its header is {header}",
    }
    TransfersResultBadReference {
        vi: "dòng {row}: mã tham chiếu {value} không có trong danh sách chuyển khoản đã công bố (cần mã 24 ký tự của danh sách chuyển khoản)",
        en: "row {row}: reference {value} is on no published transfer list (expected the 24-character reference of the transfer list)",
    }
    TransfersResultBadResult {
        vi: "dòng {row}: kết quả {value} không hợp lệ (cần ok hoặc failed)",
        en: "row {row}: result {value} is not valid (expected ok or failed)",
    }
    TransfersResultNoTxn {
        vi: "dòng {row}: thiếu mã giao dịch của ngân hàng cho khoản đã chuyển (cần 1 đến 64 ký tự)",
        en: "row {row}: no bank transaction id for a transfer made (expected 1 to 64 characters)",
    }
    TransfersResultNoReason {
        vi: "dòng {row}: thiếu lý do cho khoản chuyển không thành công (cần 1 đến 200 ký tự)",
        en: "row {row}: no reason for a failed transfer (expected 1 to 200 characters)",
    }
    TransfersResultRepeated {
        vi: "dòng {row}: mã tham chiếu {value} đã có ở dòng {first} của tệp",
        en: "row {row}: reference {value} is already on row {first} of the file",
    }
    TransfersResultConflict {
        vi: "dòng {row}: khoản {value} đã có kết quả {recorded}, khác với kết quả trong tệp {given}",
        en: "row {row}: line {value} already has the result {recorded}, unlike the file's {given}",
    }
    TransfersResultEmpty { vi: "tệp kết quả không có dòng nào", en: "the result file has no rows" }
    TransfersResultRefused { vi: "Không ghi nhận dòng nào của tệp:", en: "Nothing of the file is recorded:" }
    ReconcileAccountLines { vi: "Khoản chuyển khoản", en: "Lines paid into an account" }
    ReconcileTransferred { vi: "Đã chuyển", en: "Transferred" }
    ReconcileFailed { vi: "Không thành công", en: "Failed" }
    ReconcileAwaiting { vi: "Chờ kết quả", en: "Awaiting the result" }
    UnpaidTitle { vi: "Không nhận trợ cấp 3 tháng liên tiếp", en: "Not collected for three months in a row" }
    UnpaidHint {
        vi: "Người thụ hưởng có khoản phải trả trong danh sách chi trả đã công bố của tháng này và hai tháng trước mà chưa nhận khoản nào (không có biên nhận, không có chuyển khoản thành công).",
        en: "Beneficiaries with lines due in the published payment rolls of this month and the two before who collected none of them (no receipt, no transfer made).",
    }
    UnpaidMonths { vi: "Các tháng chưa nhận", en: "Months not collected" }
    UnpaidNone { vi: "Không có người thụ hưởng nào chưa nhận trợ cấp 3 tháng liên tiếp.", en: "No beneficiary has gone three months without collecting." }
    UnpaidSuspend { vi: "Tạm dừng", en: "Suspend" }
    UnpaidSuspendNote { vi: "không nhận trợ cấp 3 tháng liên tiếp", en: "not collected for three months in a row" }
    UnpaidSuspendDone {
        vi: "Đã tạm dừng {count} chế độ; danh sách chi trả được công bố lại ngay.",
        en: "{count} entitlements suspended; the payment roll is published again at once.",
    }

    // The payment roll (SPEC.md §17): the verifier's sync, findings and screen, the server's
    // console page of a draft.
    ListRoll { vi: "danh sách chi trả", en: "payment roll" }
    ListRollDelta { vi: "phần thay đổi của danh sách chi trả", en: "payment roll delta" }
    RefusalRollOtherArea {
        vi: "danh sách chi trả gửi về là của {area} tháng {month}, không phải của {expected_area} tháng {expected_month} mà điểm chi trả này phục vụ",
        en: "the payment roll sent is for {area} {month}, not for {expected_area} {expected_month}, which this point serves",
    }
    SyncRoll {
        vi: "Danh sách chi trả {area} tháng {month}: phiên bản {version} ({fetch}), {count} người thụ hưởng.",
        en: "Payment roll {area} {month}: version {version} ({fetch}), {count} beneficiaries.",
    }
    SyncNoRoll {
        vi: "máy chủ chưa công bố danh sách chi trả tháng {month} của {area}",
        en: "the server has published no payment roll of {area} for {month} yet",
    }
    FindingNotInRoll {
        vi: "người thụ hưởng không có tên trong danh sách chi trả tháng {month} của {area}: không có khoản nào được chi trả",
        en: "the beneficiary is not on the payment roll of {area} for {month}: nothing is payable",
    }
    FindingNoLineDue {
        vi: "danh sách chi trả tháng {month} không còn khoản nào được chi trả cho người thụ hưởng (đã chi trả, tạm dừng, thôi hưởng hoặc chính sách ngoài thời hạn hưởng)",
        en: "the payment roll for {month} has no line payable to the beneficiary (paid, suspended, stopped, or the entitlement outside its dates)",
    }
    FindingNoRoll {
        vi: "chưa có danh sách chi trả tháng {month} của {area}: số tiền trên thẻ chỉ để tham khảo; kết nối mạng rồi chạy `asxh-verifier sync`",
        en: "no payment roll of {area} for {month} yet: the card's amounts are for reference only; run `asxh-verifier sync` while online",
    }
    FindingRollOverdue {
        vi: "danh sách chi trả (phiên bản {version}) lẽ ra đã có bản mới trước {by}: hãy đồng bộ",
        en: "the payment roll (version {version}) promised a newer one by {by}: sync",
    }
    /// The heading of the roll's lines on the verifier's screen.
    RollHeading { vi: "Danh sách chi trả tháng {month} (phiên bản {version}):", en: "Payment roll for {month} (version {version}):" }
    RollKindMonthly { vi: "trợ cấp hằng tháng", en: "monthly allowance" }
    RollKindArrears { vi: "truy lĩnh", en: "arrears" }
    RollKindOneOff { vi: "chi trả một lần", en: "one-off payment" }
    RollLinePayable { vi: "✔ được chi trả", en: "✔ payable" }
    RollLinePaid { vi: "✘ KHÔNG chi trả: đã chi trả", en: "✘ NOT payable: already paid" }
    RollLineSuspended { vi: "✘ KHÔNG chi trả: tạm dừng", en: "✘ NOT payable: suspended" }
    RollLineStopped { vi: "✘ KHÔNG chi trả: thôi hưởng", en: "✘ NOT payable: stopped" }
    RollLinePaidByAccount { vi: "✘ KHÔNG chi trả tại quầy: chi trả qua tài khoản", en: "✘ NOT at the counter: paid into an account" }
    RollLineOutsideDates { vi: "✘ KHÔNG chi trả: chính sách trên thẻ ngoài thời hạn hưởng", en: "✘ NOT payable: the card's entitlement is outside its dates" }
    RollCollectorHolder { vi: "Người nhận: người thụ hưởng", en: "Collected by: the beneficiary" }
    RollCollectorGuardian { vi: "Người nhận: người giám hộ", en: "Collected by: guardian" }
    RollCollectorAuthorised { vi: "Người nhận: người được ủy quyền", en: "Collected by: authorised person" }
    RollValidUntil { vi: "giấy ủy quyền có hiệu lực đến", en: "authorised until" }
    /// Beside the card's entitlements when the roll decides the amounts.
    RollAmountsFromRoll { vi: "(số tiền theo danh sách chi trả bên dưới)", en: "(amounts from the payment roll below)" }
    RollDataAge { vi: "danh sách chi trả cập nhật cách đây", en: "payment roll from" }
    VerdictNothingDueOnRoll {
        vi: "✘ KHÔNG CÓ KHOẢN NÀO ĐƯỢC CHI TRẢ THÁNG NÀY theo danh sách chi trả — thẻ thật — KHÔNG chi trả",
        en: "✘ NOTHING PAYABLE THIS MONTH on the payment roll — the card is genuine — do NOT pay",
    }
    ConsoleRollTitle { vi: "Danh sách chi trả", en: "Payment roll" }
    ConsoleRollDraft { vi: "Bản dự thảo số", en: "Draft no." }
    ConsoleRollBeneficiaries { vi: "Số người thụ hưởng", en: "Beneficiaries" }
    ConsoleRollLines { vi: "Số khoản chi trả", en: "Lines" }
    ConsoleRollTotal { vi: "Tổng số tiền phải chi trả", en: "Total due" }
    ConsoleRollAdded { vi: "Tăng mới", en: "Added" }
    ConsoleRollRemoved { vi: "Giảm", en: "Removed" }
    ConsoleRollChanged { vi: "Thay đổi", en: "Changed" }
    ConsoleRollAgainst { vi: "So với phiên bản đã công bố", en: "Against the published version" }
    ConsoleRollNothingPublished { vi: "chưa công bố", en: "none published" }
    ConsoleRollStatusDraft { vi: "Chờ phê duyệt", en: "Waiting for approval" }
    ConsoleRollStatusPublished { vi: "Đã công bố", en: "Published" }
    ConsoleRollStatusSuperseded { vi: "Đã được thay bằng bản dự thảo mới hơn", en: "Superseded" }
    ConsoleRollApprove { vi: "Phê duyệt và công bố", en: "Approve and publish" }
    ConsoleRollApprovedBy { vi: "Người phê duyệt", en: "Approved by" }
    ConsoleRollNoApprovalNeeded { vi: "Chỉ giảm số tiền phải chi trả: đã công bố ngay, không cần phê duyệt", en: "Reduces what is payable only: published at once without approval" }
    ConsoleRollNoDrafts { vi: "Chưa có bản dự thảo nào cho tháng này.", en: "No draft for this month yet." }
    ConsoleRollApproved { vi: "Đã phê duyệt và công bố danh sách chi trả, phiên bản {version}.", en: "Approved and published, version {version}." }
    /// The monthly changes report (biến động tăng/giảm) of a payment roll.
    ConsoleChangesTitle { vi: "Biến động tăng/giảm", en: "Monthly changes" }
    ConsoleChangesLink { vi: "Biến động tăng/giảm so với tháng trước", en: "Changes since last month" }
    ConsoleChangesAgainst { vi: "So với danh sách chi trả tháng {month} đã công bố.", en: "Against the published roll of {month}." }
    ConsoleChangesNoPrevious { vi: "Chưa công bố danh sách chi trả tháng {month}: mọi người được chi trả tháng này đều tính là tăng mới.", en: "No roll of {month} was published: everyone paid this month counts as new." }
    ConsoleChangesNotPublished { vi: "Danh sách chi trả tháng {month} chưa được công bố: biến động chỉ tính theo danh sách đã công bố.", en: "The roll of {month} is not published yet: changes count published rolls only." }
    ConsoleChangesCommune { vi: "Xã, phường", en: "Commune" }
    ConsoleChangesBefore { vi: "Hưởng tháng trước", en: "Paid last month" }
    ConsoleChangesAfter { vi: "Hưởng tháng này", en: "Paid this month" }
    ConsoleChangesAmount { vi: "Số tiền/tháng", en: "Amount/month" }
    ConsoleChangesNew { vi: "Tăng mới", en: "New" }
    ConsoleChangesResumed { vi: "Hưởng lại", en: "Resumed" }
    ConsoleChangesSuspended { vi: "Tạm dừng", en: "Suspended" }
    ConsoleChangesStopped { vi: "Thôi hưởng, chuyển đi", en: "Stopped or moved away" }
    ConsoleChangesRaised { vi: "Tăng mức", en: "Amount raised" }
    ConsoleChangesLowered { vi: "Giảm mức", en: "Amount lowered" }
    ConsoleChangesArrears { vi: "Truy lĩnh", en: "Arrears" }
    ConsoleChangesOneOff { vi: "Chi một lần", en: "One-off payments" }
    ConsoleChangesPeople { vi: "Danh sách người có biến động", en: "The people concerned" }
    ConsoleChangesKind { vi: "Biến động", en: "Change" }
    ConsoleChangesAmountBefore { vi: "Mức tháng trước", en: "Last month" }
    ConsoleChangesAmountAfter { vi: "Mức tháng này", en: "This month" }
    ConsoleChangesNone { vi: "Không có biến động so với tháng trước.", en: "No change since last month." }
    ConsoleChangesPersonCount { vi: "Số người", en: "People" }
    // Payments at the counter (asxh-verifier pay, receipts, the upload in sync).
    PayDone {
        vi: "CHI TRẢ: giao {total} cho {collector}. Số biên nhận {receipt}",
        en: "PAY: hand {total} to {collector}. Receipt no. {receipt}",
    }
    PayLine { vi: "  khoản {number}: {what}: {amount}", en: "  line {number}: {what}: {amount}" }
    PayCollectorHolder { vi: "người thụ hưởng", en: "the beneficiary" }
    PayCollectorGuardian { vi: "người giám hộ", en: "the guardian" }
    PayCollectorAuthorised { vi: "người được ủy quyền", en: "the authorised person" }
    PaySignedByCard { vi: "Biên nhận do thẻ ký số.", en: "Receipt signed by the card." }
    PaySignedByPoint {
        vi: "Biên nhận do điểm chi trả ký số, không qua thẻ: {reason}.",
        en: "Receipt signed by the payment point, not by the card: {reason}.",
    }
    FallbackChipUnreadable {
        vi: "chip thẻ không đọc được (đã kiểm tra mã QR và giấy tờ tùy thân)",
        en: "the chip cannot be read (QR and identity document checked)",
    }
    FallbackCardNotPresented {
        vi: "người thụ hưởng không mang thẻ (đã kiểm tra giấy tờ tùy thân và danh sách chi trả)",
        en: "the card was not presented (identity document and payment roll checked)",
    }
    FallbackCardCannotSign { vi: "thẻ đời cũ không ký được biên nhận", en: "the card is an older one that cannot sign receipts" }
    PayPinBlocked {
        vi: "Thẻ bị khóa do nhập sai mã PIN: vẫn chi trả bình thường, thẻ vẫn ký biên nhận. Hướng dẫn người thụ hưởng đến đơn vị cấp thẻ để mở khóa.",
        en: "The card's PIN is blocked by wrong PINs: paid as usual, the card still signs. Send the beneficiary to the issuing office to unblock it.",
    }
    PayAlreadyPaid {
        vi: "ĐÃ CHI TRẢ khoản {line} ({what}) lúc {at} tại điểm chi trả {point}, biên nhận số {receipt}: KHÔNG chi trả lại",
        en: "ALREADY PAID: line {line} ({what}) on {at} at payment point {point}, receipt no. {receipt}: do NOT pay again",
    }
    PayMarkedPaid {
        vi: "ĐÃ CHI TRẢ khoản {line} ({what}): danh sách chi trả phiên bản {version} ghi đã chi trả (tại một điểm chi trả khác): KHÔNG chi trả lại",
        en: "ALREADY PAID: line {line} ({what}) is marked paid on the payment roll version {version} (paid at another point): do NOT pay again",
    }
    PayLineNotPayable {
        vi: "khoản {line} ({what}) không được chi trả: {why}",
        en: "line {line} ({what}) is not payable: {why}",
    }
    PayNoSuchLine {
        vi: "không có khoản số {line}: danh sách chi trả có {count} khoản cho người thụ hưởng này, đánh số từ 1",
        en: "there is no line {line}: the payment roll has {count} lines for this beneficiary, numbered from 1",
    }
    PayBadLines {
        vi: "--lines '{text}' chưa đúng: ghi `all` hoặc số thứ tự các khoản như trên màn hình, cách nhau bằng dấu phẩy (ví dụ 1,3)",
        en: "--lines '{text}' is not `all` or line numbers as shown, separated by commas (e.g. 1,3)",
    }
    PayTooManyLines {
        vi: "đã chọn {count} khoản: một biên nhận chi trả tối đa {max} khoản; chi trả làm nhiều lần, mỗi lần chọn bằng --lines",
        en: "{count} lines chosen: one receipt pays at most {max}; pay in several goes, choosing with --lines",
    }
    PayNothingDue {
        vi: "không còn khoản nào được chi trả cho người thụ hưởng trong danh sách chi trả tháng {month}: KHÔNG chi trả",
        en: "nothing is left payable to the beneficiary on the payment roll for {month}: do NOT pay",
    }
    PayNotInRoll {
        vi: "số định danh cá nhân {ssn} không có tên trong danh sách chi trả tháng {month} của {area}: KHÔNG chi trả",
        en: "{ssn} is not on the payment roll of {area} for {month}: do NOT pay",
    }
    PayNoRoll {
        vi: "chưa có danh sách chi trả tháng {month} của {area}: chưa chi trả được; kết nối mạng rồi chạy `asxh-verifier sync`",
        en: "no payment roll of {area} for {month}: cannot pay yet; run `asxh-verifier sync` while online",
    }
    PayNoArea {
        vi: "điểm chi trả chưa đặt địa bàn chi trả: chạy `asxh-verifier sync --area MÃ_ĐỊA_BÀN` trước",
        en: "this point has no area to pay in: run `asxh-verifier sync --area CODE` first",
    }
    PayNoRecipient {
        vi: "khoản {line} không có người giám hộ hay người được ủy quyền trong danh sách chi trả: chỉ người thụ hưởng được nhận; KHÔNG chi trả cho người khác",
        en: "line {line} names no guardian or authorised person on the payment roll: only the beneficiary collects; do NOT pay anyone else",
    }
    PayWrongRecipient {
        vi: "số định danh cá nhân {id} không phải của {role} ghi trong danh sách chi trả cho khoản {line}: KHÔNG chi trả",
        en: "identity number {id} is not that of the {role} the payment roll names for line {line}: do NOT pay",
    }
    PayRecipientExpired {
        vi: "giấy ủy quyền của {role} cho khoản {line} chỉ có hiệu lực đến {until}: KHÔNG chi trả cho người này",
        en: "the {role}'s authorisation for line {line} ended on {until}: do NOT pay them",
    }
    PayCardRemoved {
        vi: "Thẻ bị rút ra khi đang ký biên nhận: CHƯA chi trả, không lưu biên nhận nào. Cắm lại thẻ rồi làm lại (chi tiết kỹ thuật: {detail}).",
        en: "The card was pulled out while signing the receipt: NOT paid, no receipt kept. Insert the card and start again ({detail}).",
    }
    PaySigningFailed {
        vi: "Thẻ không ký được biên nhận: CHƯA chi trả, không lưu biên nhận nào (chi tiết kỹ thuật: {detail}).",
        en: "The card could not sign the receipt: NOT paid, no receipt kept ({detail}).",
    }
    PayReceiptDoesNotVerify {
        vi: "Chữ ký số của thẻ trên biên nhận không hợp lệ: CHƯA chi trả, không lưu biên nhận; báo cán bộ phụ trách (chi tiết kỹ thuật: {detail}).",
        en: "The card's digital signature on the receipt does not verify: NOT paid, no receipt kept; tell the officer in charge ({detail}).",
    }
    PayNotVerified {
        vi: "Thẻ không đạt kiểm tra (xem kết quả ở trên): KHÔNG chi trả.",
        en: "The card did not pass verification (see above): do NOT pay.",
    }
    PayQrOtherSsn {
        vi: "mã QR là của số định danh cá nhân {qr}, không phải {ssn}: KHÔNG chi trả",
        en: "the QR is of {qr}, not {ssn}: do NOT pay",
    }
    PayPointKeyUnreadable {
        vi: "không dùng được khóa ký số của điểm chi trả trong {path}; báo bộ phận kỹ thuật (chi tiết kỹ thuật: {detail})",
        en: "the payment point's key in {path} cannot be used ({detail})",
    }
    PayBadPointCode {
        vi: "mã điểm chi trả '{code}' trong cấu hình chưa đúng (chi tiết kỹ thuật: {detail})",
        en: "the payment point code '{code}' in the configuration is not valid ({detail})",
    }
    PayUploadLater { vi: "Biên nhận đã lưu; chưa gửi được lên máy chủ ({detail}): sẽ gửi ở lần đồng bộ sau.", en: "The receipt is stored; not sent to the server yet ({detail}): it goes at the next sync." }
    SyncUploadSkipped {
        vi: "chưa có mã truy cập (token) của điểm chi trả: chưa gửi biên nhận lên máy chủ ({pending} biên nhận đang chờ); chạy `asxh-verifier sync --token-file TỆP`",
        en: "no payment-point token: receipts not uploaded ({pending} waiting); run `asxh-verifier sync --token-file FILE`",
    }
    SyncUploaded {
        vi: "Biên nhận gửi lên máy chủ: {recorded} được ghi nhận, {already} đã có từ trước, {flagged} bị đánh dấu chi trả trùng, {refused} bị từ chối; {pending} đang chờ gửi.",
        en: "Receipts uploaded: {recorded} recorded, {already} already recorded, {flagged} flagged as double payments, {refused} refused; {pending} waiting.",
    }
    SyncPointKeyRegistered {
        vi: "đã đăng ký khóa ký số của điểm chi trả {code} với máy chủ",
        en: "registered payment point {code}'s key with the server",
    }
    VerifierServerRefused {
        vi: "Máy chủ từ chối {what} (mã {status}: {detail})",
        en: "the server refused {what} ({status}: {detail})",
    }
    UploadWhatKey { vi: "đăng ký khóa ký số của điểm chi trả", en: "the payment point's key" }
    UploadWhatReceipts { vi: "các biên nhận gửi lên", en: "the receipts uploaded" }
    TokenStored { vi: "Đã lưu mã truy cập (token) của điểm chi trả.", en: "Payment-point token stored." }
    ReceiptsHeading {
        vi: "BẢNG KÊ CHI TRẢ ngày {day} — điểm chi trả {point}",
        en: "End-of-day payment list {day} — payment point {point}",
    }
    ReceiptsTotal { vi: "Tổng cộng: {count} biên nhận, {total}", en: "Total: {count} receipts, {total}" }
    ReceiptsExported { vi: "Đã ghi {count} biên nhận vào {path}", en: "wrote {count} receipts to {path}" }
    ReceiptPending { vi: "chờ gửi", en: "waiting" }
    ReceiptRecorded { vi: "máy chủ đã ghi nhận", en: "recorded" }
    ReceiptFlagged { vi: "CHI TRẢ TRÙNG — báo cán bộ phụ trách", en: "DOUBLE PAYMENT — tell the officer in charge" }
    ReceiptRefused { vi: "máy chủ TỪ CHỐI — báo cán bộ phụ trách", en: "REFUSED by the server — tell the officer in charge" }
    // The printed end-of-day list (bảng kê chi trả, `receipts --pdf`).
    DayListTitle { vi: "BẢNG KÊ CHI TRẢ", en: "END-OF-DAY PAYMENT LIST" }
    DayListDayPoint { vi: "Ngày {day} — Điểm chi trả {point}", en: "{day} — payment point {point}" }
    DayListArea { vi: "Địa bàn chi trả: {area}", en: "Paying area: {area}" }
    DayListNoArea { vi: "Địa bàn chi trả: chưa đặt", en: "Paying area: not set" }
    DayListColNo { vi: "STT", en: "No." }
    DayListColTime { vi: "Giờ", en: "Time" }
    DayListColReceipt { vi: "Số biên nhận", en: "Receipt number" }
    DayListColSsn { vi: "Số ĐDCN", en: "Personal ID no." }
    DayListColName { vi: "Họ và tên", en: "Full name" }
    DayListColCollector { vi: "Người nhận", en: "Collected by" }
    DayListColLines { vi: "Khoản chi trả", en: "Lines paid" }
    DayListColAmount { vi: "Số tiền", en: "Amount" }
    DayListSignedByPoint { vi: "điểm chi trả ký", en: "signed by the point" }
    DayListTotals {
        vi: "Tổng cộng: {count} biên nhận, {lines} khoản, {total}",
        en: "Total: {count} receipts, {lines} lines, {total}",
    }
    DayListNone { vi: "Không có biên nhận nào trong ngày.", en: "No receipts this day." }
    DayListClerk { vi: "Người lập bảng", en: "Prepared by" }
    DayListSupervisor { vi: "Kiểm soát", en: "Checked by" }
    DayListSignHint { vi: "(Ký, ghi rõ họ tên)", en: "(signature and full name)" }
    DayListPage { vi: "Trang {page}/{pages}", en: "Page {page} of {pages}" }
    DayListPrinted { vi: "In lúc {at}", en: "Printed {at}" }
    ReceiptsPdfWritten {
        vi: "Đã ghi bảng kê chi trả ({count} biên nhận, {pages} trang) vào {path}",
        en: "wrote the end-of-day list ({count} receipts, {pages} pages) to {path}",
    }
    // The tools' log lines (asxh_text::logs): the server's journal, the verifier's terminal.
    LogListPublished { vi: "đã công bố danh sách", en: "published" }
    LogHeartbeatFailed { vi: "ký lại danh sách định kỳ không được; sẽ thử lại", en: "list heartbeat failed; retrying" }
    LogRollRedrafted { vi: "đã lập lại danh sách chi trả sau khi hồ sơ thay đổi", en: "payment roll drafted again after a register change" }
    LogRedraftFailed { vi: "lập lại danh sách chi trả sau khi hồ sơ thay đổi không được; sẽ thử lại", en: "drafting the rolls again after a register change failed; retrying" }
    LogCheckpointWorksAgain { vi: "ghi dồn cơ sở dữ liệu (checkpoint) đã chạy lại được", en: "checkpointing the database works again" }
    LogCheckpointFailed { vi: "ghi dồn cơ sở dữ liệu (checkpoint) không được; sẽ thử lại", en: "checkpointing the database failed; retrying" }
    LogPublishFailed { vi: "công bố danh sách thu hồi không được; sẽ thử lại", en: "publishing the revocation list failed; retrying" }
    LogConnectionCap {
        vi: "chỉ phục vụ tối đa {cap} kết nối cùng lúc, không phải {asked}: tiến trình chỉ được mở {files} tệp (tăng giới hạn, ví dụ LimitNOFILE= trong tệp systemd)",
        en: "serving at most {cap} connections at once, not {asked}: the process may open only {files} files (raise its limit, e.g. LimitNOFILE= in the systemd unit)",
    }
    LogAcceptFailed { vi: "nhận một kết nối không được", en: "accepting a connection failed" }
    LogPersistedListBad { vi: "danh sách thu hồi đã lưu không kiểm tra được chữ ký; lập lại từ sổ đăng ký thẻ", en: "the persisted revocation list does not verify; rebuilding it from the registry" }
    LogRequestFailed { vi: "yêu cầu bị lỗi phía máy chủ", en: "request failed" }
    LogPaidMarksFailed { vi: "không công bố được các dòng đã chi trả của danh sách chi trả", en: "cannot publish the paid marks of the payment roll" }
    LogRedraftByHand { vi: "không lập lại được danh sách chi trả sau khi hồ sơ thay đổi; sửa hồ sơ rồi lập lại bằng tay", en: "cannot draft the payment roll again after a change in the register; draft it by hand once the register is corrected" }
    LogKeyFileLeft { vi: "không xóa được tệp khóa ký chưa ghi nhận", en: "could not remove an unrecorded issuer key file" }
    LogDayTotals { vi: "không tính được tổng chi trả trong ngày", en: "the day's totals" }
    LogReceiptsUploaded { vi: "đã gửi biên nhận lên máy chủ", en: "receipts uploaded" }
    LogUploadLater { vi: "chưa gửi được biên nhận; sẽ gửi lại sau", en: "upload later" }
    LogLinesPaidHere { vi: "không đọc được các dòng đã chi trả tại điểm này", en: "the lines paid here" }
    LogCounterRuntime { vi: "không chạy được trang quầy chi trả", en: "the counter page's runtime" }
    LogCounterStopped { vi: "trang quầy chi trả đã dừng", en: "the counter page stopped" }
    LogCounterListener { vi: "không mở được địa chỉ của trang quầy chi trả", en: "the counter page's listener" }
    LogReaderLost { vi: "không kết nối được đầu đọc thẻ; đang thử lại", en: "the card reader cannot be reached; trying again" }
    LogWaitingForRemoval { vi: "lỗi khi chờ rút thẻ ra", en: "waiting for removal" }
    LogSynced { vi: "đã đồng bộ danh sách", en: "synced" }
    LogSyncFailed { vi: "đồng bộ không được; vẫn kiểm tra thẻ bằng danh sách đã lưu", en: "sync failed; verifying with the cached lists" }
    // The server's command line (`asxh-server`): what each command did. A value a script reads
    // (the root fingerprint, a version, a table's columns) keeps its form in both languages.
    ServerInitialised { vi: "Đã khởi tạo thư mục dữ liệu {dir}", en: "initialised {dir}" }
    /// The fingerprint last on its line, after `: ` (scripts read it there).
    ServerRootFingerprint {
        vi: "Dấu vân tay khóa gốc (ghi vào mọi máy kiểm tra thẻ): {fingerprint}",
        en: "root key fingerprint (pin it in every verifier): {fingerprint}",
    }
    ServerOfficeAdded {
        vi: "Đã thêm đơn vị cấp thẻ {code}, khóa ký {key}",
        en: "office {code} added, issuer key {key}",
    }
    /// The last column of an office's line in `office list`.
    ServerOfficeCards { vi: "{count} thẻ", en: "{count} cards" }
    /// An issuer key's line under its office in `office list` (tab-separated columns).
    ServerOfficeKeyLine { vi: "  khóa ký {key}\t{status}\t{from} – {until}", en: "  key {key}\t{status}\t{from} – {until}" }
    ServerNewIssuerKey {
        vi: "Đơn vị cấp thẻ {code}: khóa ký mới {key}",
        en: "office {code}: new issuer key {key}",
    }
    ServerOldKeyRetired {
        vi: "Đã thôi dùng khóa ký {key} (thẻ đã cấp vẫn hợp lệ)",
        en: "retired issuer key {key} (its cards stay valid)",
    }
    ServerTrustListVersion { vi: "Danh sách đơn vị cấp thẻ tin cậy phiên bản {version}", en: "trust list version {version}" }
    ServerKeyRetired {
        vi: "Đã thôi dùng khóa ký {key} của đơn vị cấp thẻ {office} (hiệu lực {from} – {until}); thẻ đã cấp vẫn hợp lệ",
        en: "issuer key {key} of office {office} is retired (valid {from} – {until})",
    }
    ServerKeyRevoked {
        vi: "Đã thu hồi khóa ký {key} của đơn vị cấp thẻ {office} (hiệu lực {from} – {until}): sau lần đồng bộ tới, máy kiểm tra thẻ không tin thẻ nào khóa này đã ký",
        en: "issuer key {key} of office {office} is revoked (valid {from} – {until})",
    }
    ServerAccountTokenInFile {
        vi: "Đã tạo tài khoản {id} ({role}); mã truy cập (token) đã ghi vào {path} (quyền 0600)",
        en: "account {id} ({role}) created; its token is in {path} (mode 0600)",
    }
    /// On standard error, above the token alone on standard output.
    ServerAccountTokenShownOnce {
        vi: "Đã tạo tài khoản {id} ({role}); mã truy cập (token) chỉ hiện một lần:",
        en: "account {id} ({role}) created; its token is shown only once:",
    }
    ServerTokenFileExists {
        vi: "tệp đã có; không bao giờ ghi đè tệp mã truy cập, hãy cho một đường dẫn mới",
        en: "it exists; a token file is never overwritten, give a new path",
    }
    ServerTokenFileFailed {
        vi: "không tạo được tệp mã truy cập {path}: {detail}",
        en: "cannot create token file {path}: {detail}",
    }
    /// The header of `account list` (tab-separated; the rows below keep their codes).
    ServerAccountsHeader {
        vi: "Mã\tVai trò\tĐơn vị cấp thẻ\tĐịa bàn\tTrạng thái\tNhãn",
        en: "id\trole\toffice\tarea\tstatus\tlabel",
    }
    ServerAccountRevoked { vi: "Đã khóa tài khoản {id}: mã truy cập của nó không dùng được nữa", en: "account {id} revoked" }
    ServerCardRevoked { vi: "Đã ngừng sử dụng thẻ {serial} ({reason})", en: "revoked {serial} ({reason})" }
    ServerRevocationListVersion { vi: "Danh sách thu hồi phiên bản {version}", en: "revocation list version {version}" }
    ServerAuditIntact {
        vi: "Chuỗi nhật ký thao tác còn nguyên vẹn: {rows} dòng, mã băm cuối {hash}",
        en: "audit chain intact: {rows} rows, last hash {hash}",
    }
    ServerBackedUp { vi: "Đã sao lưu cơ sở dữ liệu vào {path}", en: "backed up to {path}" }
    ServerReplacedKept {
        vi: "Cơ sở dữ liệu bị thay được giữ lại ở {path}",
        en: "the replaced database is kept as {path}",
    }
    ServerRestored { vi: "Đã khôi phục {from} vào {dir}", en: "restored {from} into {dir}" }
    ServerListsPublished {
        vi: "Đã công bố danh sách đơn vị cấp thẻ tin cậy phiên bản {trust} và danh sách thu hồi phiên bản {revocation} (cao hơn {floor})",
        en: "published trust list version {trust} and revocation list version {revocation} (above {floor})",
    }
    ServerAreasImported {
        vi: "Đã nhập {units} đơn vị hành chính ({merged} đơn vị đã sáp nhập vào đơn vị khác) từ {file} ({source})",
        en: "imported {units} units ({merged} merged into another) from {file} ({source})",
    }
    ServerTransferLinesWritten { vi: "Đã ghi {count} dòng vào {path}", en: "{count} lines written to {path}" }
    ServerTransferResultsRecorded {
        vi: "Đã ghi nhận {recorded} kết quả chuyển khoản, {repeated} kết quả đã ghi nhận từ trước",
        en: "{recorded} results recorded, {repeated} recorded before",
    }
    ServerUncollectedSuspended {
        vi: "Đã tạm dừng {count} quyết định hưởng: {note}",
        en: "{count} entitlements suspended: {note}",
    }
    ServerEntitlementSuspended { vi: "Quyết định hưởng {id}: tạm dừng từ {on}", en: "entitlement {id}: suspend from {on}" }
    ServerEntitlementResumed { vi: "Quyết định hưởng {id}: hưởng lại từ {on}", en: "entitlement {id}: resume from {on}" }
    ServerEntitlementStopped { vi: "Quyết định hưởng {id}: thôi hưởng từ {on}", en: "entitlement {id}: stop from {on}" }
    ServerBeneficiaryRegistered { vi: "Đã đăng ký người thụ hưởng {ssn}", en: "beneficiary {ssn} registered" }
    ServerBeneficiaryUpdated { vi: "Đã cập nhật người thụ hưởng {ssn}", en: "beneficiary {ssn} updated" }
    ServerHouseholdRegistered {
        vi: "Đã đăng ký hộ {code} với {count} thành viên",
        en: "household {code} registered with {count} members",
    }
    ServerEntitlementRecorded { vi: "Đã ghi quyết định hưởng {id}", en: "entitlement {id} recorded" }
    ServerRecipientChanged { vi: "Quyết định hưởng {id}: đã đổi người nhận", en: "entitlement {id}: recipient changed" }
    ServerPaidIntoAccount { vi: "Quyết định hưởng {id}: chi trả vào tài khoản", en: "entitlement {id}: paid into the account" }
    ServerPaidAtCounter { vi: "Quyết định hưởng {id}: chi trả tại điểm chi trả", en: "entitlement {id}: paid at the counter" }
    ServerBaseLevelSet {
        vi: "Mức chuẩn của chính sách {program} từ {from}: {amount}",
        en: "base level of {program} from {from} set to {amount}",
    }
    ServerBaseLevelReplaced {
        vi: "Mức chuẩn của chính sách {program} từ {from}: {amount} (trước đây {was})",
        en: "base level of {program} from {from} set to {amount} (was {was})",
    }
    // The command lines' machinery (asxh_text::cli): headings, built-in flags, clap's errors.
    CliUsageHeading { vi: "Cách dùng:", en: "Usage:" }
    CliCommandsHeading { vi: "Lệnh", en: "Commands" }
    CliOptionsHeading { vi: "Tuỳ chọn", en: "Options" }
    CliArgumentsHeading { vi: "Đối số", en: "Arguments" }
    CliCommandPlaceholder { vi: "LỆNH", en: "COMMAND" }
    CliOptionsPlaceholder { vi: "[TUỲ CHỌN]", en: "[OPTIONS]" }
    CliHelpFlag { vi: "In trợ giúp của lệnh", en: "Print help" }
    CliVersionFlag { vi: "In số phiên bản", en: "Print version" }
    CliLangFlag { vi: "Ngôn ngữ của thông báo: vi (tiếng Việt) hoặc en (tiếng Anh); không ghi thì theo biến môi trường ASXH_LANG, rồi đến tiếng Việt", en: "Language of the messages: vi (Vietnamese) or en (English); without it, the environment variable ASXH_LANG, else Vietnamese" }
    CliDefault { vi: "mặc định: {value}", en: "default: {value}" }
    CliValues { vi: "giá trị: {values}", en: "possible values: {values}" }
    CliSeeAlso { vi: "Xem thêm: {command} --help", en: "For more information, try '{command} --help'." }
    CliUnknownOption { vi: "lệnh này không có tuỳ chọn {arg}", en: "unexpected argument '{arg}' found" }
    CliUnexpectedArgument { vi: "lệnh này không nhận đối số '{arg}'", en: "unexpected argument '{arg}' found" }
    CliDidYouMean { vi: "có phải định viết {suggested}?", en: "did you mean {suggested}?" }
    CliAsValue { vi: "nếu '{arg}' là một giá trị, hãy viết '-- {arg}'", en: "to pass '{arg}' as a value, use '-- {arg}'" }
    CliUnknownCommand { vi: "không có lệnh '{command}'", en: "unrecognized subcommand '{command}'" }
    CliMissingCommand { vi: "{command} cần một lệnh con, một trong: {valid}", en: "'{command}' requires a subcommand, one of: {valid}" }
    CliMissingRequired { vi: "thiếu tuỳ chọn bắt buộc: {args}", en: "the following required arguments were not provided: {args}" }
    CliInvalidValue { vi: "giá trị '{value}' không dùng được cho {arg}; các giá trị được chấp nhận: {valid}", en: "invalid value '{value}' for '{arg}'; possible values: {valid}" }
    CliEmptyValue { vi: "{arg} cần một giá trị; các giá trị được chấp nhận: {valid}", en: "a value is required for '{arg}'; possible values: {valid}" }
    CliValueValidation { vi: "giá trị '{value}' của {arg} không đúng (chi tiết kỹ thuật: {detail})", en: "invalid value '{value}' for '{arg}': {detail}" }
    CliConflict { vi: "không dùng {arg} cùng với {prior}", en: "the argument '{arg}' cannot be used with {prior}" }
    CliTooManyValues { vi: "{arg} nhận quá nhiều giá trị: thừa '{value}'", en: "unexpected value '{value}' for '{arg}' found; no more were expected" }
    CliTooFewValues { vi: "{arg} cần ít nhất {min} giá trị, mới có {actual}", en: "{min} values required by '{arg}'; only {actual} were provided" }
    CliWrongNumberOfValues { vi: "{arg} cần {expected} giá trị, mới có {actual}", en: "{expected} values required for '{arg}' but {actual} were provided" }
    CliNoEquals { vi: "{arg} cần giá trị viết liền sau dấu bằng: {arg}=GIÁ_TRỊ", en: "equal sign is needed when assigning values to '{arg}'" }
    CliInvalidUtf8 { vi: "có đối số không phải văn bản UTF-8", en: "invalid UTF-8 was detected in one or more arguments" }
    CliOther { vi: "lệnh chưa đúng (chi tiết kỹ thuật: {detail})", en: "{detail}" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_its_vietnamese_and_its_english_text() {
        let untranslated: Vec<&Msg> = Msg::ALL
            .iter()
            .filter(|m| m.vi().is_none_or(|vi| vi.trim().is_empty()))
            .collect();
        assert!(
            untranslated.is_empty(),
            "no Vietnamese text: {untranslated:?}"
        );
        for m in Msg::ALL {
            assert!(!m.en().trim().is_empty(), "{m:?} has no English text");
        }
    }

    #[test]
    fn a_language_picks_its_text_and_both_reads_vietnamese_then_english() {
        assert_eq!(crate::Lang::Vi.text(Msg::CardName), "Thẻ an sinh xã hội");
        assert_eq!(crate::Lang::En.text(Msg::CardName), "Social security card");
        assert_eq!(
            Msg::WaitingForCard.both(),
            "Đang chờ thẻ… / Waiting for a card…"
        );
    }
}
