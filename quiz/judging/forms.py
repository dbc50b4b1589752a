"""Forms of judged contests: entries, score sheets and the secretariat's settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from ..admin.forms import LocalDateTimeField

WHOLE = r"^\s*\d{1,9}\s*$"
NUMBER = r"^\s*\d{1,6}([.,]\d{1,4})?\s*$"


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


class EntryForm(FlaskForm):
    title = StringField(
        _l("Tên tác phẩm"),
        validators=[
            DataRequired(message=_l("Vui lòng nhập tên tác phẩm.")),
            Length(max=255, message=_l("Tên tác phẩm dài tối đa 255 ký tự.")),
        ],
    )
    authors = StringField(
        _l("Tác giả, nhóm tác giả"),
        validators=[
            DataRequired(message=_l("Vui lòng nhập tác giả.")),
            Length(max=500, message=_l("Tác giả dài tối đa 500 ký tự.")),
        ],
    )
    description = TextAreaField(
        _l("Mô tả ngắn"),
        validators=[Length(max=5000, message=_l("Phần mô tả tối đa 5.000 ký tự."))],
    )
    video_url = StringField(
        _l("Đường dẫn video (YouTube, Facebook, Google Drive…)"),
        validators=[Length(max=500, message=_l("Đường dẫn dài tối đa 500 ký tự."))],
        render_kw={"inputmode": "url"},
    )
    file = FileField(_l("Hoặc tải tệp lên (mp4, webm, mov, pdf, jpg, png)"))
    submit = SubmitField(_l("Lưu tác phẩm"))


class RejectForm(FlaskForm):
    reason = StringField(
        _l("Lý do loại"),
        validators=[
            DataRequired(message=_l("Vui lòng nêu lý do loại.")),
            Length(max=1000, message=_l("Lý do dài tối đa 1.000 ký tự.")),
        ],
    )
    submit = SubmitField(_l("Loại tác phẩm"))


class ReopenForm(FlaskForm):
    reason = StringField(
        _l("Lý do mở lại"),
        validators=[
            DataRequired(message=_l("Vui lòng nêu lý do mở lại phiếu.")),
            Length(max=1000, message=_l("Lý do dài tối đa 1.000 ký tự.")),
        ],
    )
    submit = SubmitField(_l("Mở lại phiếu"))


class ReachForm(FlaskForm):
    likes = StringField(
        _l("Lượt thích"),
        validators=[InputRequired(), Regexp(WHOLE, message=_l("Nhập một số nguyên không âm."))],
        render_kw={"inputmode": "numeric"},
    )
    shares = StringField(
        _l("Lượt chia sẻ"),
        validators=[InputRequired(), Regexp(WHOLE, message=_l("Nhập một số nguyên không âm."))],
        render_kw={"inputmode": "numeric"},
    )
    evidence_url = StringField(
        _l("Đường dẫn minh chứng"),
        validators=[DataRequired(message=_l("Vui lòng nhập đường dẫn minh chứng."))],
        render_kw={"inputmode": "url"},
    )
    submit = SubmitField(_l("Lưu số liệu"))


class AssignForm(FlaskForm):
    judge_id = SelectField(_l("Giám khảo"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Phân công"))


class CriteriaForm(FlaskForm):
    criteria = TextAreaField(
        _l("Tiêu chí chấm (mỗi dòng: tên = điểm tối đa)"),
        validators=[DataRequired(message=_l("Vui lòng nhập ít nhất một tiêu chí."))],
    )
    submit = SubmitField(_l("Lưu phiếu chấm"))


NUMBER_MESSAGE = _l("Nhập một số không âm, ví dụ 20 hoặc 0,5.")


def _number(label, message=NUMBER_MESSAGE):
    return StringField(
        label,
        validators=[InputRequired(message=message), Regexp(NUMBER, message=message)],
        render_kw={"inputmode": "decimal"},
    )


def _whole(label, optional: bool = False):
    message = _l("Nhập một số nguyên không âm.")
    first = Optional() if optional else InputRequired(message=message)
    return StringField(
        label,
        validators=[first, Regexp(WHOLE, message=message)],
        render_kw={"inputmode": "numeric"},
    )


class SettingsForm(FlaskForm):
    registration_closes_at = LocalDateTimeField(_l("Hạn đăng ký tác phẩm"), validators=[Optional()])
    selection_closes_at = LocalDateTimeField(
        _l("Hạn chọn tác phẩm vào chung kết"), validators=[Optional()]
    )
    preliminary_quota = _whole(_l("Số tác phẩm mỗi đơn vị cấp trên được chọn"), optional=True)
    voting_opens_at = LocalDateTimeField(_l("Mở bình chọn"), validators=[Optional()])
    voting_closes_at = LocalDateTimeField(_l("Đóng bình chọn"), validators=[Optional()])
    site_votes = BooleanField(_l("Bình chọn trên trang"))
    votes_public = BooleanField(_l("Công khai số lượt bình chọn"))
    jury_weight = _number(_l("Điểm ban giám khảo (tối đa)"))
    audience_weight = _number(_l("Điểm khán giả (tối đa)"))
    vote_factor = _number(_l("Hệ số mỗi lượt bình chọn trên trang"))
    like_factor = _number(_l("Hệ số mỗi lượt thích"))
    share_factor = _number(_l("Hệ số mỗi lượt chia sẻ"))
    finalist_count = _whole(_l("Số tác phẩm vào vòng trình diễn"))
    first_count = _whole(_l("Số giải Nhất"))
    first_amount = _whole(_l("Tiền thưởng giải Nhất (đồng)"))
    second_count = _whole(_l("Số giải Nhì"))
    second_amount = _whole(_l("Tiền thưởng giải Nhì (đồng)"))
    third_count = _whole(_l("Số giải Ba"))
    third_amount = _whole(_l("Tiền thưởng giải Ba (đồng)"))
    consolation_count = _whole(_l("Số giải Khuyến khích"))
    consolation_amount = _whole(_l("Tiền thưởng giải Khuyến khích (đồng)"))
    submit = SubmitField(_l("Lưu cài đặt"))


class SpecialPrizeForm(FlaskForm):
    name = StringField(
        _l("Tên giải đặc biệt"),
        validators=[
            DataRequired(message=_l("Vui lòng nhập tên giải.")),
            Length(max=200, message=_l("Tên giải dài tối đa 200 ký tự.")),
        ],
    )
    amount = _whole(_l("Tiền thưởng (đồng)"))
    entry_id = SelectField(_l("Tác phẩm đoạt giải"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Lưu giải"))
