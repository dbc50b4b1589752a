"""Question-bank forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..labels import DIFFICULTY_LABELS


class BankForm(FlaskForm):
    name = StringField(
        _l("Tên ngân hàng câu hỏi"),
        validators=[
            DataRequired(message=_l("Vui lòng nhập tên ngân hàng câu hỏi.")),
            Length(max=120),
        ],
    )
    description = TextAreaField(_l("Mô tả (không bắt buộc)"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Tạo ngân hàng"))


class QuestionUploadForm(FlaskForm):
    file = FileField(
        _l("Tệp câu hỏi (.xlsx, .csv, .gift, .txt)"),
        validators=[FileRequired(message=_l("Vui lòng chọn một tệp để tải lên."))],
    )
    topic = StringField(_l("Chủ đề (cho tệp Aiken)"), validators=[Length(max=120)])
    submit = SubmitField(_l("Tải lên và kiểm tra"))


class QuestionForm(FlaskForm):
    topic = StringField(_l("Chủ đề"))
    text = TextAreaField(_l("Câu hỏi"), render_kw={"rows": 4})
    A = StringField(_l("Phương án A"))
    B = StringField(_l("Phương án B"))
    C = StringField(_l("Phương án C"))
    D = StringField(_l("Phương án D"))
    E = StringField(_l("Phương án E"))
    F = StringField(_l("Phương án F"))
    answer = SelectField(
        _l("Đáp án đúng"),
        choices=[SelectChoice(letter, letter) for letter in "ABCDEF"],
        validate_choice=False,  # the question checker validates, with our messages
    )
    explanation = TextAreaField(_l("Giải thích"), render_kw={"rows": 3})
    source = StringField(_l("Nguồn (văn bản căn cứ)"))
    difficulty = SelectField(
        _l("Độ khó"),
        choices=[SelectChoice("", _l("— Chưa xác định —"))]
        + [SelectChoice(k.value, v) for k, v in DIFFICULTY_LABELS.items()],
        validate_choice=False,
    )
    submit = SubmitField(_l("Lưu phiên bản mới"))
