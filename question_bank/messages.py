"""Every user-facing message of the package, in Vietnamese, ready for gettext.

Messages stay untranslated here: a `Problem` keeps the template and its
params, and the Flask app renders `gettext(message) % params` in the reader's
language. Extract them with `pybabel extract -k N_`. No message may contain a
literal percent sign, because gettext only interpolates when params are given.
"""


def N_(s: str) -> str:
    """Mark a message for extraction; translation happens later, in the app."""
    return s


# Whole-file problems.
UNSUPPORTED_FORMAT = N_("Không đọc được tệp “%(filename)s”: chỉ nhận tệp có đuôi %(accepted)s.")
EMPTY_FILE = N_("Tệp không có dữ liệu: dòng đầu tiên phải là dòng tiêu đề.")
BROKEN_XLSX = N_(
    "Tệp Excel bị hỏng hoặc không phải định dạng .xlsx. Hãy mở tệp bằng Excel "
    "và lưu lại dưới dạng Sổ làm việc Excel (*.xlsx)."
)
NOT_UTF8 = N_(
    "Tệp CSV không dùng bảng mã UTF-8 nên tiếng Việt sẽ bị lỗi font. Trong Excel, "
    "chọn Lưu thành → CSV UTF-8 (Comma delimited) (*.csv) rồi tải tệp lên lại."
)
XLSX_TOO_BIG = N_(
    "Tệp Excel giải nén ra quá lớn hoặc có cấu trúc bất thường nên không được đọc "
    "(tối đa %(max_mb)s MB dữ liệu sau khi giải nén). Hãy chỉ giữ lại trang tính cần "
    "nhập, xoá các định dạng không cần thiết rồi lưu lại tệp."
)
BROKEN_CSV = N_("Tệp CSV sai định dạng nên không đọc được.")
UNKNOWN_HEADER = N_(
    "Cột “%(header)s” không được hỗ trợ. Các tiêu đề cột được chấp nhận: %(accepted)s."
)
DUPLICATE_HEADER = N_("Cột “%(header)s” xuất hiện nhiều lần trong dòng tiêu đề.")
MISSING_HEADER = N_("Dòng tiêu đề thiếu cột bắt buộc “%(header)s”.")
# Where a problem is, in a CSV file: after "D «Đáp án»", for those who open it as text.
CSV_COLUMN_NUMBER = N_("(cột thứ %(number)s)")
TOO_MANY_ROWS = N_("Tệp có quá nhiều dòng: tối đa %(max_rows)s dòng dữ liệu.")

# Units file.
MISSING_CODE = N_("Thiếu mã đơn vị.")
CODE_TOO_LONG = N_("Mã đơn vị “%(code)s” dài quá %(max)s ký tự.")
CODE_BAD_CHARACTERS = N_(
    "Mã đơn vị “%(code)s” chỉ được gồm chữ cái không dấu, chữ số và các ký tự . - _"
)
MISSING_UNIT_NAME = N_("Thiếu tên đơn vị.")
UNIT_NAME_TOO_LONG = N_("Tên đơn vị dài quá %(max)s ký tự.")
UNKNOWN_KIND = N_("Loại đơn vị “%(value)s” không hợp lệ. Các loại được chấp nhận: %(accepted)s.")
DUPLICATE_CODE = N_("Mã đơn vị “%(code)s” bị trùng với dòng %(other_row)s.")
UNKNOWN_PARENT = N_(
    "Không tìm thấy đơn vị cấp trên có mã “%(parent_code)s” trong tệp hoặc trong hệ thống."
)
OWN_PARENT = N_("Đơn vị “%(code)s” không thể là đơn vị cấp trên của chính nó.")
PARENT_CYCLE = N_("Đơn vị “%(code)s” nằm trong một vòng lặp cấp trên: %(cycle)s.")
BAD_HEADCOUNT = N_("Biên chế “%(value)s” phải là một số nguyên không âm.")
BAD_TARGET_RATE = N_("Tỷ lệ mục tiêu “%(value)s” phải là một số từ 0 đến 100.")

# Users file.
MISSING_FULL_NAME = N_("Thiếu họ và tên.")
FULL_NAME_TOO_LONG = N_("Họ và tên dài quá %(max)s ký tự.")
MISSING_LOGIN = N_("Cần có email hoặc số điện thoại để đăng nhập.")
BAD_EMAIL = N_("Email “%(value)s” không hợp lệ.")
BAD_PHONE = N_("Số điện thoại “%(value)s” không hợp lệ.")
DUPLICATE_EMAIL = N_("Email “%(value)s” bị trùng với dòng %(other_row)s.")
DUPLICATE_PHONE = N_("Số điện thoại “%(value)s” bị trùng với dòng %(other_row)s.")
EMAIL_TAKEN = N_("Email “%(value)s” đã được dùng cho một tài khoản khác.")
PHONE_TAKEN = N_("Số điện thoại “%(value)s” đã được dùng cho một tài khoản khác.")
MISSING_UNIT_CODE = N_("Thiếu mã đơn vị.")
UNKNOWN_UNIT = N_("Không tìm thấy đơn vị có mã “%(code)s”.")
UNKNOWN_ROLE = N_("Vai trò “%(value)s” không hợp lệ. Các vai trò được chấp nhận: %(accepted)s.")
UNKNOWN_GROUP = N_(
    "Đối tượng “%(value)s” không hợp lệ. Các đối tượng được chấp nhận: %(accepted)s."
)
UNKNOWN_ORGANIZER_STAFF = N_(
    "Cột thành viên Ban Tổ chức “%(value)s” không hợp lệ. Các giá trị được chấp nhận: %(accepted)s."
)

# Questions file (XLSX, CSV), and the Aiken and GIFT formats.
MISSING_TOPIC = N_("Thiếu chủ đề.")
TOPIC_TOO_LONG = N_("Chủ đề dài quá %(max)s ký tự.")
MISSING_QUESTION = N_("Thiếu nội dung câu hỏi.")
QUESTION_TOO_LONG = N_("Câu hỏi dài quá %(max)s ký tự.")
DUPLICATE_QUESTION = N_("Câu hỏi bị trùng với câu hỏi ở dòng %(other_row)s.")
QUESTION_IN_BANK = N_("Câu hỏi này đã có trong ngân hàng câu hỏi.")
TOO_FEW_CHOICES = N_("Câu hỏi cần ít nhất %(min)s phương án trả lời.")
TOO_MANY_CHOICES = N_("Câu hỏi có %(count)s phương án, nhiều hơn mức tối đa %(max)s (A đến F).")
CHOICE_GAP = N_(
    "Phương án %(letter)s để trống nhưng phương án %(next)s có nội dung: các phương án "
    "phải điền liên tục từ A."
)
CHOICE_TOO_LONG = N_("Phương án %(letter)s dài quá %(max)s ký tự.")
DUPLICATE_CHOICE = N_("Phương án %(letter)s trùng với phương án %(other)s.")
MISSING_ANSWER = N_("Thiếu đáp án đúng.")
BAD_ANSWER = N_("Đáp án “%(value)s” không hợp lệ: hãy ghi một chữ cái từ A đến F.")
ANSWER_NOT_A_CHOICE = N_("Đáp án %(letter)s không trỏ tới phương án nào có nội dung.")
EXPLANATION_TOO_LONG = N_("Phần giải thích dài quá %(max)s ký tự.")
SOURCE_TOO_LONG = N_("Nguồn dài quá %(max)s ký tự.")
UNKNOWN_DIFFICULTY = N_("Độ khó “%(value)s” không hợp lệ. Các mức được chấp nhận: %(accepted)s.")
AIKEN_MISSING_ANSWER = N_("Câu hỏi thiếu dòng “ANSWER: …” ghi chữ cái của đáp án đúng.")
AIKEN_CHOICE_ORDER = N_(
    "Phương án %(letter)s không đúng thứ tự: ở vị trí này phải là phương án %(expected)s."
)
GIFT_UNSUPPORTED = N_(
    "Chỉ hỗ trợ câu hỏi trắc nghiệm có một đáp án đúng (một đáp án “=” và các "
    "phương án sai “~”); câu hỏi này thuộc loại khác nên không nhập được."
)
GIFT_NO_CORRECT_CHOICE = N_(
    "Câu hỏi không có đáp án đúng (bắt đầu bằng “=”). Chỉ hỗ trợ câu hỏi trắc nghiệm "
    "có một đáp án đúng."
)
GIFT_SEVERAL_CORRECT_CHOICES = N_(
    "Câu hỏi có %(count)s đáp án đúng (bắt đầu bằng “=”). Chỉ hỗ trợ câu hỏi trắc "
    "nghiệm có một đáp án đúng."
)
GIFT_UNCLOSED = N_("Thiếu dấu “}” đóng phần đáp án của câu hỏi.")

# Plain-text question files (GIFT, Aiken).
NOT_UTF8_TEXT = N_(
    "Tệp văn bản không dùng bảng mã UTF-8 nên tiếng Việt sẽ bị lỗi. Hãy lưu lại tệp với "
    "bảng mã UTF-8 (trong Notepad: Lưu thành → Encoding: UTF-8) rồi tải lên lại."
)

# Register of legal documents.
MISSING_NUMBER = N_("Thiếu số hiệu văn bản.")
NUMBER_TOO_LONG = N_("Số hiệu văn bản dài quá %(max)s ký tự.")
DUPLICATE_NUMBER = N_("Số hiệu văn bản trùng với dòng %(other_row)s.")
MISSING_NAME = N_("Thiếu tên văn bản.")
NAME_TOO_LONG = N_("Tên văn bản dài quá %(max)s ký tự.")
UNKNOWN_DOCUMENT_KIND = N_("Loại văn bản “%(value)s” không hợp lệ. Chấp nhận: %(accepted)s.")
UNKNOWN_DOCUMENT_STATUS = N_("Tình trạng “%(value)s” không hợp lệ. Chấp nhận: %(accepted)s.")
BAD_DATE = N_("“%(value)s” không phải ngày hợp lệ (ghi dạng ngày/tháng/năm, ví dụ 01/7/2025).")
REPLACEMENT_NOT_REPLACED = N_(
    "Chỉ văn bản có tình trạng “đã được thay thế” mới ghi văn bản thay thế và ngày thay thế."
)
REPLACED_BY_ITSELF = N_("Văn bản không thể được thay thế bởi chính nó.")
UNKNOWN_REPLACEMENT = N_(
    "Văn bản thay thế “%(number)s” không có trong tệp: hãy thêm một dòng cho văn bản đó."
)
ISSUER_TOO_LONG = N_("Tên cơ quan ban hành dài quá %(max)s ký tự.")
NOTE_TOO_LONG = N_("Ghi chú dài quá %(max)s ký tự.")
