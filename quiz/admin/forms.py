"""Admin forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..labels import KIND_LABELS, ROLE_LABELS


class UploadForm(FlaskForm):
    file = FileField(
        _l("Tệp Excel (.xlsx) hoặc CSV (UTF-8)"),
        validators=[FileRequired(message=_l("Vui lòng chọn một tệp để tải lên."))],
    )
    submit = SubmitField(_l("Tải lên và kiểm tra"))


class UnitForm(FlaskForm):
    name = StringField(
        _l("Tên đơn vị"),
        validators=[DataRequired(message=_l("Vui lòng nhập tên đơn vị.")), Length(max=255)],
    )
    kind = SelectField(
        _l("Loại đơn vị"), choices=[SelectChoice(k.value, v) for k, v in KIND_LABELS.items()]
    )
    parent_id = SelectField(_l("Đơn vị cấp trên"), coerce=int, validate_choice=False)
    headcount = StringField(
        _l("Số biên chế (không bắt buộc)"),
        validators=[
            Optional(),
            Regexp(r"^\d{1,7}$", message=_l("Số biên chế phải là số nguyên không âm.")),
        ],
    )
    target_rate = StringField(
        _l("Tỷ lệ tham gia mục tiêu, % (không bắt buộc)"),
        validators=[
            Optional(),
            Regexp(
                r"^(100([.,]0+)?|\d{1,2}([.,]\d+)?)$",
                message=_l("Tỷ lệ mục tiêu là một số từ 0 đến 100."),
            ),
        ],
    )
    submit = SubmitField(_l("Lưu"))


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Vai trò"), choices=[SelectChoice(k.value, v) for k, v in ROLE_LABELS.items()]
    )
    submit = SubmitField(_l("Đổi vai trò"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Xác nhận"))
