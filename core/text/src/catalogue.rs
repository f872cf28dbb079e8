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
    IdCard { vi: "CCCD", en: "ID" }

    // The verifier's prompts (shown in both languages at once).
    EnterPin { vi: "Mời nhập mã PIN", en: "Enter PIN" }
    WaitingForCard { vi: "Đang chờ thẻ…", en: "Waiting for a card…" }
    TakeCardOut { vi: "Rút thẻ ra…", en: "Remove the card…" }

    // The personalizer.
    NoReaderFound {
        vi: "Không thấy đầu đọc thẻ nào (kiểm tra dây cắm và dịch vụ pcscd).",
        en: "No card reader found (check the cable and that pcscd runs).",
    }
    ReaderHasCard { vi: "có thẻ", en: "card present" }
    ReaderEmpty { vi: "trống", en: "empty" }
    HolderPinPrompt { vi: "Người hưởng nhập mã PIN (4–8 chữ số): ", en: "Holder's PIN (4 to 8 digits): " }
    CardIssued { vi: "Đã cấp thẻ", en: "Card issued" }
    CardFace { vi: "Mặt thẻ:", en: "Card face:" }
    CardSheet { vi: "Tờ in mặt thẻ:", en: "Card sheet:" }
    Cards { vi: "thẻ", en: "cards" }
    ListRefused { vi: "Danh sách có lỗi; chưa thẻ nào được ghi:", en: "The list has errors; no card was touched:" }
    /// "line" inside a sentence.
    LineWord { vi: "dòng", en: "line" }
    /// "Line" starting a sentence.
    LineHeading { vi: "Dòng", en: "Line" }
    InsertBlankCard { vi: "mời đưa thẻ trắng vào đầu đọc", en: "insert a blank card" }
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
        vi: "cột {header} không rõ ở dòng tiêu đề (dòng {row}); các cột là Số định danh, Họ và tên, Ngày sinh, Giới tính, Mã địa bàn, Chế độ, Người nhận thay (hoặc tên tiếng Anh: ssn, full_name, date_of_birth, sex, area_code, entitlements, recipient)",
        en: "unknown column {header} in the header (row {row}); the columns are ssn, full_name, date_of_birth, sex, area_code, entitlements, recipient (or their Vietnamese names: Số định danh, Họ và tên, Ngày sinh, Giới tính, Mã địa bàn, Chế độ, Người nhận thay)",
    }
    ListColumnMissing {
        vi: "thiếu cột {name} (dòng tiêu đề {row}: {headers})",
        en: "the column {name} is missing (header row {row}: {headers})",
    }
    ListNoRows { vi: "danh sách không có dòng nào", en: "the list has no rows" }
    ListRowMalformed { vi: "dòng không đúng khuôn dạng:", en: "not a well-formed row:" }
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

    // Living entitlements: the entitlements' dates at the payment point (SPEC.md §5.5 step 4).
    VerdictNothingPayable {
        vi: "✘ KHÔNG CÓ CHÍNH SÁCH NÀO ĐƯỢC CHI TRẢ HÔM NAY — thẻ thật, nhưng mọi chính sách trên thẻ đã hết thời hạn hưởng hoặc chưa đến ngày hưởng — KHÔNG chi trả",
        en: "✘ NOTHING PAYABLE TODAY — a genuine card, but every entitlement on it has ended or not yet started — do NOT pay",
    }
    /// Under an entitlement whose valid-until has passed: "… 30/06/2026".
    EntitlementEnded { vi: "✘ KHÔNG chi trả: thời hạn hưởng đã kết thúc ngày", en: "✘ NOT payable: ended on" }
    /// Under an entitlement whose valid-from is still to come: "… 01/01/2027".
    EntitlementNotYetStarted { vi: "✘ KHÔNG chi trả: chưa đến thời hạn hưởng, bắt đầu từ ngày", en: "✘ NOT payable: starts on" }
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
