"""The manager's corrections: a person's unit and group, and approvals."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField
from wtforms.validators import DataRequired

from ..auth.forms import GROUP_CHOICES


class PlacementForm(FlaskForm):
    unit_id = SelectField(
        _l("Đơn vị công tác"),
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(message=_l("Vui lòng chọn đơn vị công tác trong danh sách."))],
    )
    group = RadioField(_l("Đối tượng dự thi"), choices=GROUP_CHOICES)
    submit = SubmitField(_l("Lưu thay đổi"))


class ApproveForm(FlaskForm):
    submit = SubmitField(_l("Duyệt"))


class ResetPasswordForm(FlaskForm):
    submit = SubmitField(_l("Cấp lại mật khẩu"))
