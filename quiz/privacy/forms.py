"""The deletion request and the organizers' decision on it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length


class DeletionRequestForm(FlaskForm):
    reason = TextAreaField(
        _l("Lý do (không bắt buộc)"), validators=[Length(max=1000)], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Gửi yêu cầu xóa dữ liệu"))
