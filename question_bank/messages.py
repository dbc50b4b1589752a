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
BROKEN_CSV = N_("Tệp CSV sai định dạng nên không đọc được.")
UNKNOWN_HEADER = N_(
    "Cột “%(header)s” không được hỗ trợ. Các tiêu đề cột được chấp nhận: %(accepted)s."
)
DUPLICATE_HEADER = N_("Cột “%(header)s” xuất hiện nhiều lần trong dòng tiêu đề.")
MISSING_HEADER = N_("Dòng tiêu đề thiếu cột bắt buộc “%(header)s”.")
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
