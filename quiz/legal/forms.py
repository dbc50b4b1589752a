"""Forms of the register of legal documents."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..models import LegalStatus
from .labels import LEGAL_KIND_LABELS, LEGAL_STATUS_LABELS


class DocumentForm(FlaskForm):
    number = StringField(
        _l("Số hiệu"),
        validators=[DataRequired(message=_l("Vui lòng nhập số hiệu.")), Length(max=60)],
    )
    name = TextAreaField(
        _l("Tên văn bản"),
        validators=[DataRequired(message=_l("Vui lòng nhập tên văn bản.")), Length(max=500)],
        render_kw={"rows": 2},
    )
    kind = SelectField(
        _l("Loại văn bản"), choices=[SelectChoice(k.value, v) for k, v in LEGAL_KIND_LABELS.items()]
    )
    issuer = StringField(_l("Cơ quan ban hành"), validators=[Length(max=200)])
    issued_on = DateField(_l("Ngày ban hành"), validators=[Optional()])
    effective_on = DateField(_l("Ngày có hiệu lực"), validators=[Optional()])
    status = SelectField(
        _l("Tình trạng"),
        choices=[
            SelectChoice(s.value, LEGAL_STATUS_LABELS[s])
            for s in (LegalStatus.IN_FORCE, LegalStatus.AMENDED)
        ],
    )
    note = TextAreaField(_l("Ghi chú"), validators=[Length(max=1000)], render_kw={"rows": 2})
    submit = SubmitField(_l("Lưu"))


class ReplaceForm(FlaskForm):
    replaced_by = StringField(
        _l("Số hiệu văn bản thay thế"),
        validators=[Length(max=60)],
        description=_l("Văn bản thay thế phải có trong danh mục; để trống nếu chưa có."),
    )
    replaced_from = DateField(
        _l("Bị thay thế từ ngày"),
        validators=[DataRequired(message=_l("Vui lòng nhập ngày văn bản bị thay thế."))],
    )
    submit = SubmitField(_l("Đánh dấu bị thay thế"))


class LinksForm(FlaskForm):
    numbers = TextAreaField(
        _l("Số hiệu các văn bản câu hỏi căn cứ"),
        render_kw={"rows": 3},
        description=_l(
            "Mỗi dòng một số hiệu, ví dụ 91/2025/QH15. Để trống: câu hỏi không căn cứ văn bản nào."
        ),
    )
    submit = SubmitField(_l("Lưu liên kết"))


class RegisterUploadForm(FlaskForm):
    file = FileField(
        _l("Tệp danh mục văn bản (.xlsx hoặc .csv)"),
        validators=[FileRequired(message=_l("Vui lòng chọn một tệp để tải lên."))],
    )
    submit = SubmitField(_l("Nhập danh mục"))


class ActionForm(FlaskForm):
    submit = SubmitField(_l("Xác nhận"))
