"""Account forms. The services check the rules; these give friendly field messages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TelField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..labels import GROUP_LABELS
from ..models import Group

GROUP_CHOICES = [SelectChoice(g.value, label) for g, label in GROUP_LABELS.items()]

_required_name = DataRequired(message=_l("Vui lòng nhập họ và tên."))


class UnitPickerMixin:
    unit_query = StringField(_l("Tìm đơn vị (gõ tên, có dấu hoặc không dấu)"))
    search_unit = SubmitField(_l("Tìm đơn vị"))
    unit_id = SelectField(
        _l("Đơn vị công tác"),
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(message=_l("Vui lòng chọn đơn vị công tác trong danh sách."))],
    )


class RegisterForm(UnitPickerMixin, FlaskForm):
    full_name = StringField(_l("Họ và tên"), validators=[_required_name, Length(max=200)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    phone = TelField(_l("Số điện thoại"), validators=[Optional(), Length(max=20)])
    password = PasswordField(_l("Mật khẩu (ít nhất 8 ký tự)"))
    confirm = PasswordField(_l("Nhập lại mật khẩu"))
    group = RadioField(_l("Đối tượng dự thi"), choices=GROUP_CHOICES, default=Group.STAFF.value)
    consent = BooleanField(
        _l("Tôi đã đọc thông báo xử lý dữ liệu cá nhân và đồng ý cho hội thi xử lý dữ liệu của tôi")
    )
    submit = SubmitField(_l("Đăng ký"))


class LoginForm(FlaskForm):
    login = StringField(
        _l("Email hoặc số điện thoại"),
        validators=[DataRequired(message=_l("Vui lòng nhập email hoặc số điện thoại."))],
    )
    password = PasswordField(
        _l("Mật khẩu"), validators=[DataRequired(message=_l("Vui lòng nhập mật khẩu."))]
    )
    submit = SubmitField(_l("Đăng nhập"))


class ProfileForm(UnitPickerMixin, FlaskForm):
    full_name = StringField(_l("Họ và tên"), validators=[_required_name, Length(max=200)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    phone = TelField(_l("Số điện thoại"), validators=[Optional(), Length(max=20)])
    group = RadioField(_l("Đối tượng dự thi"), choices=GROUP_CHOICES)
    position = StringField(_l("Chức vụ (không bắt buộc)"), validators=[Length(max=200)])
    # A text field, so a wrong value gets our message, not WTForms' English one.
    birth_year = StringField(
        _l("Năm sinh (không bắt buộc)"),
        validators=[
            Optional(),
            Regexp(r"^(19|20)\d\d$", message=_l("Năm sinh gồm 4 chữ số, ví dụ 1985.")),
        ],
    )
    submit = SubmitField(_l("Lưu thông tin"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Mật khẩu hiện tại"))
    new = PasswordField(_l("Mật khẩu mới (ít nhất 8 ký tự)"))
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"))
    submit = SubmitField(_l("Đổi mật khẩu"))


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email của tài khoản"), validators=[Length(max=254)])
    submit = SubmitField(_l("Gửi liên kết đặt lại mật khẩu"))


class ResetForm(FlaskForm):
    new = PasswordField(_l("Mật khẩu mới (ít nhất 8 ký tự)"))
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"))
    submit = SubmitField(_l("Đặt mật khẩu mới"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Đăng xuất"))
