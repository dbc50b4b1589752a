"""Forms of the announcements."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class AnnouncementForm(FlaskForm):
    title = StringField(
        _l("Tiêu đề"),
        validators=[DataRequired(message=_l("Vui lòng nhập tiêu đề thông báo.")), Length(max=200)],
    )
    body = TextAreaField(
        _l("Nội dung"),
        validators=[Length(max=20000)],
        render_kw={"rows": 10},
        description=_l(
            "Mỗi đoạn cách nhau một dòng trống. Địa chỉ web (https://…) tự thành liên kết; "
            "có thể dùng Markdown: **đậm**, *nghiêng*, danh sách bắt đầu bằng “- ”. "
            "Mã HTML không được hiển thị."
        ),
    )
    contest_id = SelectField(_l("Thuộc hội thi"), coerce=int, default=0)
    pinned = BooleanField(_l("Ghim lên đầu danh sách"))
    published = BooleanField(_l("Công bố (bỏ chọn để lưu nháp hoặc gỡ thông báo)"), default=True)
    submit = SubmitField(_l("Lưu"))


class ActionForm(FlaskForm):
    submit = SubmitField(_l("Xóa"))
