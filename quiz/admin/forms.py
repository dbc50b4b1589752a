"""Admin forms."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import DateTimeLocalInput

from ..contest.services import RoundSettings
from ..labels import GROUP_LABELS, KIND_LABELS, RANKING_MODE_LABELS, ROLE_LABELS, UNIT_LEVEL_LABELS
from ..models import Group, Prediction, Prize, RankingMode, ReviewPolicy, Round, UnitLevel
from ..results.exports import PRIZE_LABELS
from ..results.ranking import unit_level
from ..timeutil import parse_local, to_local


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


class OrganizerStaffForm(FlaskForm):
    organizer_staff = BooleanField(
        _l("Thành viên Ban Tổ chức (được dự thi và xếp hạng, không xét giải)")
    )
    submit = SubmitField(_l("Lưu"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Xác nhận"))


def parse_draws(text: str) -> dict[str, int]:
    """Draw rules typed one per line as “Chủ đề = số câu”; a bad line raises ValueError."""
    draws: dict[str, int] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        topic, sep, count = line.rpartition("=")
        topic, count = " ".join(topic.split()), count.strip()
        if not sep or not topic or not (count.isascii() and count.isdigit()):
            raise ValueError(
                _(
                    "Dòng %(n)d (“%(line)s”) không đúng dạng “Chủ đề = số câu”, "
                    "ví dụ “Chuyển đổi số = 10”.",
                    n=number,
                    line=line.strip(),
                )
            )
        if topic in draws:
            raise ValueError(
                _(
                    "Dòng %(n)d: chủ đề “%(topic)s” đã có ở dòng trước.",
                    n=number,
                    topic=topic,
                )
            )
        draws[topic] = int(count)
    return draws


def format_draws(draws: dict[str, int]) -> str:
    return "\n".join(f"{topic} = {count}" for topic, count in draws.items())


class LocalDateTimeField(Field):
    """A datetime-local input read as Vietnam time; its data is a UTC datetime."""

    widget = DateTimeLocalInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if not self.data:
            return ""
        # Minutes only: browsers drop a value with microseconds, and one with seconds
        # fails the input's default step of 60 s, so a round made from the CLI could
        # not be saved. process_formdata keeps the stored seconds when the minute is
        # sent back unchanged.
        return _minute(to_local(self.data)).replace(tzinfo=None).isoformat(timespec="minutes")

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_local(valuelist[0])
            except (ValueError, OverflowError) as err:
                raise ValueError(
                    _("Thời điểm không hợp lệ; nhập ngày và giờ, ví dụ 01/12/2026 08:00.")
                ) from err
            saved = self.object_data
            if isinstance(saved, datetime) and self.data == _minute(saved):
                # The minute shown, sent back unchanged: saving never moves the time.
                self.data = saved


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def _id_or_zero(value) -> int:
    # A select of ids: anything that is not a number is "none chosen", and the service
    # (or the choice check) answers it in Vietnamese rather than WTForms' English.
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _whole(label, message, default=None, digits: int = 4):
    return StringField(
        label,
        default=default,
        validators=[
            InputRequired(message=message),
            Regexp(rf"^\s*\d{{1,{digits}}}\s*$", message=message),
        ],
        render_kw={"inputmode": "numeric"},
    )


PREDICTION_LABELS = {
    Prediction.NONE: _l("Không có câu hỏi dự đoán"),
    Prediction.PERFECT: _l("Dự đoán số người trả lời đúng tất cả các câu"),
    Prediction.PARTICIPANTS: _l("Dự đoán số người tham gia"),
}
REVIEW_LABELS = {
    ReviewPolicy.AFTER_CLOSE: _l("Sau khi đợt thi đóng"),
    ReviewPolicy.AFTER_SUBMIT: _l("Ngay sau khi nộp bài"),
    ReviewPolicy.NEVER: _l("Không cho xem"),
}


class ContestEditForm(FlaskForm):
    title = StringField(
        _l("Tên hội thi"),
        validators=[
            DataRequired(message=_l("Vui lòng nhập tên hội thi.")),
            Length(max=255, message=_l("Tên hội thi dài tối đa 255 ký tự.")),
        ],
    )
    rules = TextAreaField(_l("Thể lệ (Markdown)"), render_kw={"rows": 10})
    count_unapproved = BooleanField(
        _l(
            "Tính cả tài khoản tự đăng ký chưa được đơn vị duyệt vào tỷ lệ tham gia và giải tập thể"
        ),
        default=True,
    )
    submit = SubmitField(_l("Lưu"))


class ContestForm(ContestEditForm):
    count_unapproved = None  # chosen on the edit page, before anyone takes part
    slug = StringField(
        _l("Đường dẫn (slug)"),
        validators=[
            DataRequired(message=_l("Vui lòng nhập đường dẫn (slug) của hội thi.")),
            Length(max=80, message=_l("Đường dẫn (slug) dài tối đa 80 ký tự.")),
        ],
    )
    kind = SelectField(
        _l("Loại hội thi"),
        choices=[
            SelectChoice("quiz", _l("Thi trắc nghiệm trực tuyến")),
            SelectChoice(
                "entries", _l("Cuộc thi tác phẩm (ban giám khảo chấm, khán giả bình chọn)")
            ),
        ],
        default="quiz",
    )
    submit = SubmitField(_l("Tạo hội thi"))


class RoundForm(FlaskForm):
    title = StringField(
        _l("Tên đợt thi"),
        validators=[
            DataRequired(message=_l("Vui lòng nhập tên đợt thi.")),
            Length(max=255, message=_l("Tên đợt thi dài tối đa 255 ký tự.")),
        ],
    )
    opens_at = LocalDateTimeField(
        _l("Thời điểm mở (giờ Việt Nam)"),
        validators=[InputRequired(message=_l("Vui lòng nhập thời điểm mở."))],
    )
    closes_at = LocalDateTimeField(
        _l("Thời điểm đóng (giờ Việt Nam)"),
        validators=[InputRequired(message=_l("Vui lòng nhập thời điểm đóng."))],
    )
    bank_id = SelectField(
        _l("Ngân hàng câu hỏi"),
        coerce=_id_or_zero,
        invalid_choice_message=_l("Vui lòng chọn một ngân hàng câu hỏi."),
    )
    citizen_bank_id = SelectField(
        _l("Ngân hàng riêng cho Nhân dân (không bắt buộc)"),
        coerce=_id_or_zero,
        invalid_choice_message=_l("Vui lòng chọn một ngân hàng câu hỏi."),
    )
    question_count = _whole(_l("Số câu hỏi của đề"), _l("Số câu hỏi phải là số nguyên dương."))
    time_limit_minutes = StringField(
        _l("Thời gian làm bài (phút)"),
        validators=[
            InputRequired(message=_l("Vui lòng nhập thời gian làm bài.")),
            Regexp(
                r"^\s*\d{1,4}([.,]\d{1,4})?\s*$",
                message=_l("Thời gian làm bài là số phút, ví dụ 15 hoặc 7,5."),
            ),
        ],
        render_kw={"inputmode": "decimal"},
    )
    draws = TextAreaField(
        _l("Số câu theo chủ đề (không bắt buộc)"),
        render_kw={"rows": 5},
    )
    attempts_allowed = _whole(
        _l("Số lần thi được phép"), _l("Số lần thi phải là số nguyên dương."), default="1"
    )
    grace_seconds = _whole(
        _l("Thời gian bù trễ mạng (giây)"),
        _l("Thời gian bù trễ mạng là số giây, ví dụ 10."),
        default="10",
    )
    prediction = RadioField(
        _l("Câu hỏi dự đoán"),
        choices=[SelectChoice(k.value, v) for k, v in PREDICTION_LABELS.items()],
        default=Prediction.NONE.value,
        invalid_choice_message=_l("Loại câu hỏi dự đoán không hợp lệ."),
    )
    review_policy = RadioField(
        _l("Xem lại đáp án"),
        choices=[SelectChoice(k.value, v) for k, v in REVIEW_LABELS.items()],
        default=ReviewPolicy.AFTER_CLOSE.value,
        invalid_choice_message=_l("Chế độ xem lại đáp án không hợp lệ."),
    )
    shuffle_questions = BooleanField(_l("Đảo thứ tự câu hỏi"), default=True)
    shuffle_choices = BooleanField(_l("Đảo thứ tự phương án trả lời"), default=True)
    allow_staff = BooleanField(GROUP_LABELS[Group.STAFF], default=True)
    allow_citizen = BooleanField(GROUP_LABELS[Group.CITIZEN], default=True)
    submit = SubmitField(_l("Lưu đợt thi"))

    def validate_draws(self, field) -> None:
        try:
            parse_draws(field.data)
        except ValueError as err:
            raise ValidationError(str(err)) from err

    @staticmethod
    def data_of(round_: Round) -> dict:
        """What the form shows for a saved round."""
        return {
            "title": round_.title,
            "opens_at": round_.opens_at,
            "closes_at": round_.closes_at,
            "bank_id": round_.bank_id,
            "citizen_bank_id": round_.citizen_bank_id or 0,
            "question_count": str(round_.question_count),
            # Four decimals bring any whole number of seconds back exactly.
            "time_limit_minutes": f"{round_.time_limit_seconds / 60:.4f}".rstrip("0").rstrip("."),
            "draws": format_draws({d.topic: d.count for d in round_.draws}),
            "attempts_allowed": str(round_.attempts_allowed),
            "grace_seconds": str(round_.grace_seconds),
            "prediction": round_.prediction,
            "review_policy": round_.review_policy,
            "shuffle_questions": round_.shuffle_questions,
            "shuffle_choices": round_.shuffle_choices,
            "allow_staff": round_.allow_staff,
            "allow_citizen": round_.allow_citizen,
        }

    def settings(self) -> RoundSettings:
        """The validated form as the settings the contest services check and save."""
        minutes = Decimal(self.time_limit_minutes.data.strip().replace(",", "."))
        return RoundSettings(
            title=self.title.data,
            opens_at=self.opens_at.data,
            closes_at=self.closes_at.data,
            bank_id=self.bank_id.data,
            citizen_bank_id=self.citizen_bank_id.data or None,
            question_count=int(self.question_count.data),
            time_limit_seconds=int((minutes * 60).to_integral_value(ROUND_HALF_UP)),
            draws=parse_draws(self.draws.data),
            attempts_allowed=int(self.attempts_allowed.data),
            grace_seconds=int(self.grace_seconds.data),
            prediction=self.prediction.data,
            review_policy=self.review_policy.data,
            shuffle_questions=self.shuffle_questions.data,
            shuffle_choices=self.shuffle_choices.data,
            allow_staff=self.allow_staff.data,
            allow_citizen=self.allow_citizen.data,
        )


PRIZE_MESSAGE = _l("Số giải phải là số nguyên không âm (0 nếu không có giải này).")


class PrizeForm(FlaskForm):
    """How many prizes a round gives: per group and kind, and the collective prizes."""

    staff_first = _whole(PRIZE_LABELS[Prize.FIRST], PRIZE_MESSAGE, default="0")
    staff_second = _whole(PRIZE_LABELS[Prize.SECOND], PRIZE_MESSAGE, default="0")
    staff_third = _whole(PRIZE_LABELS[Prize.THIRD], PRIZE_MESSAGE, default="0")
    staff_consolation = _whole(PRIZE_LABELS[Prize.CONSOLATION], PRIZE_MESSAGE, default="0")
    citizen_first = _whole(PRIZE_LABELS[Prize.FIRST], PRIZE_MESSAGE, default="0")
    citizen_second = _whole(PRIZE_LABELS[Prize.SECOND], PRIZE_MESSAGE, default="0")
    citizen_third = _whole(PRIZE_LABELS[Prize.THIRD], PRIZE_MESSAGE, default="0")
    citizen_consolation = _whole(PRIZE_LABELS[Prize.CONSOLATION], PRIZE_MESSAGE, default="0")
    unit_prize_count = _whole(
        _l("Số giải tập thể"),
        _l("Số giải tập thể phải là số nguyên không âm (0 nếu không có)."),
        default="0",
    )
    unit_min_rate = StringField(
        _l("Tỷ lệ tham gia tối thiểu để xét giải tập thể (%)"),
        default="0",
        validators=[
            InputRequired(message=_l("Vui lòng nhập tỷ lệ tham gia tối thiểu.")),
            Regexp(
                r"^\s*(100([.,]0+)?|\d{1,2}([.,]\d+)?)\s*$",
                message=_l("Tỷ lệ tham gia tối thiểu là một số từ 0 đến 100, ví dụ 50 hoặc 62,5."),
            ),
        ],
        render_kw={"inputmode": "decimal"},
    )
    unit_level = SelectField(
        _l("Cấp đơn vị xét giải tập thể"),
        choices=[SelectChoice(k.value, v) for k, v in UNIT_LEVEL_LABELS.items()],
        default=UnitLevel.LEAF.value,
        invalid_choice_message=_l("Hãy chọn cấp đơn vị xét giải tập thể trong danh sách."),
    )
    publish_all_names = BooleanField(_l("Công bố họ tên của mọi người được xếp hạng"))
    save_prizes = SubmitField(_l("Lưu số giải"))

    def group_fields(self, group: str) -> list[Field]:
        return [self[f"{group}_{prize.value}"] for prize in Prize]

    @staticmethod
    def data_of(round_: Round) -> dict:
        """What the form shows for a saved round."""
        counts = round_.prize_counts or {}
        data = {
            f"{group.value}_{prize.value}": str(counts.get(group.value, {}).get(prize.value, 0))
            for group in Group
            for prize in Prize
        }
        data["unit_prize_count"] = str(round_.unit_prize_count)
        data["unit_min_rate"] = f"{round_.unit_min_rate:g}"
        data["publish_all_names"] = round_.publish_all_names
        data["unit_level"] = unit_level(round_)
        return data

    def settings(self) -> dict:
        """The validated form as the arguments of the prize settings service."""
        return {
            "counts": {
                group.value: {
                    prize.value: int(self[f"{group.value}_{prize.value}"].data) for prize in Prize
                }
                for group in Group
            },
            "unit_prize_count": int(self.unit_prize_count.data),
            "unit_min_rate": float(self.unit_min_rate.data.strip().replace(",", ".")),
            "publish_all_names": bool(self.publish_all_names.data),
            "unit_level": self.unit_level.data,
        }


class FlagForm(FlaskForm):
    """An organizer's decision on a too-fast submission: one of two buttons."""

    clear = SubmitField(_l("Bỏ đánh dấu (hợp lệ)"))
    confirm = SubmitField(_l("Xác nhận: không tính bài này"))


class PublishForm(FlaskForm):
    """Publication, confirmed by a checkbox: it cannot be undone."""

    confirm = BooleanField(
        _l("Tôi đã kiểm tra bảng xếp hạng"),
        validators=[
            DataRequired(
                message=_l(
                    "Hãy kiểm tra bảng xếp hạng và đánh dấu ô “Tôi đã kiểm tra bảng xếp hạng” "
                    "trước khi công bố."
                )
            )
        ],
    )
    publish = SubmitField(_l("Công bố kết quả"))


class ContestRankingForm(FlaskForm):
    """The contest-wide ranking: how it is computed and its individual prizes per group."""

    mode = SelectField(
        _l("Cách xếp hạng chung cuộc"),
        choices=[SelectChoice(k.value, v) for k, v in RANKING_MODE_LABELS.items()],
        default=RankingMode.BEST.value,
        invalid_choice_message=_l("Hãy chọn cách xếp hạng chung cuộc trong danh sách."),
    )
    staff_first = _whole(PRIZE_LABELS[Prize.FIRST], PRIZE_MESSAGE, default="0")
    staff_second = _whole(PRIZE_LABELS[Prize.SECOND], PRIZE_MESSAGE, default="0")
    staff_third = _whole(PRIZE_LABELS[Prize.THIRD], PRIZE_MESSAGE, default="0")
    staff_consolation = _whole(PRIZE_LABELS[Prize.CONSOLATION], PRIZE_MESSAGE, default="0")
    citizen_first = _whole(PRIZE_LABELS[Prize.FIRST], PRIZE_MESSAGE, default="0")
    citizen_second = _whole(PRIZE_LABELS[Prize.SECOND], PRIZE_MESSAGE, default="0")
    citizen_third = _whole(PRIZE_LABELS[Prize.THIRD], PRIZE_MESSAGE, default="0")
    citizen_consolation = _whole(PRIZE_LABELS[Prize.CONSOLATION], PRIZE_MESSAGE, default="0")
    save_ranking = SubmitField(_l("Lưu cách xếp hạng và số giải"))

    def group_fields(self, group: str) -> list[Field]:
        return [self[f"{group}_{prize.value}"] for prize in Prize]

    @staticmethod
    def data_of(mode: str, counts: dict) -> dict:
        data = {
            f"{group.value}_{prize.value}": str(counts.get(group.value, {}).get(prize.value, 0))
            for group in Group
            for prize in Prize
        }
        data["mode"] = mode
        return data

    def settings(self) -> dict:
        return {
            "mode": self.mode.data,
            "counts": {
                group.value: {
                    prize.value: int(self[f"{group.value}_{prize.value}"].data) for prize in Prize
                }
                for group in Group
            },
        }
