"""Forms of the study materials."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class MaterialForm(FlaskForm):
    topic = StringField(
        _l("Chủ đề"),
        validators=[DataRequired(message=_l("Vui lòng nhập chủ đề.")), Length(max=120)],
        render_kw={"list": "topic-list"},  # the topics already used, offered as one types
    )
    title = StringField(
        _l("Tên tài liệu"),
        validators=[DataRequired(message=_l("Vui lòng nhập tên tài liệu.")), Length(max=300)],
    )
    description = TextAreaField(_l("Mô tả"), validators=[Length(max=2000)], render_kw={"rows": 3})
    url = StringField(_l("Liên kết (địa chỉ web)"), validators=[Optional(), Length(max=1000)])
    file = FileField(_l("Hoặc tải tệp lên (PDF, DOCX, XLSX, PPTX, ảnh)"))
    position = IntegerField(
        _l("Thứ tự"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=100000, message=_l("Thứ tự là một số từ 0 đến 100000.")),
        ],
    )
    submit = SubmitField(_l("Lưu"))


class ActionForm(FlaskForm):
    submit = SubmitField(_l("Xóa"))
