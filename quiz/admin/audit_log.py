"""The audit log in words: who did what to which record, and what changed.

ACTIONS is the one table of action codes: every code passed to `audit.record` has a row
here (tests/admin/test_audit_log.py reads the code base and fails on a code without one).
"""

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..labels import (
    GROUP_LABELS,
    KIND_LABELS,
    RANKING_MODE_LABELS,
    ROLE_LABELS,
    UNIT_LEVEL_LABELS,
)
from ..models import AuditLog, Prize
from .forms import PREDICTION_LABELS, REVIEW_LABELS


@dataclass(frozen=True)
class Action:
    name: str  # what the filter lists: "Sửa đợt thi"
    sentence: str  # after the actor's name, with %(target)s: "đã sửa đợt thi %(target)s"


ACTIONS: dict[str, Action] = {
    "seed.demo": Action(_l("Tạo dữ liệu mẫu"), _l("đã tạo dữ liệu mẫu")),
    "units.import": Action(_l("Nhập danh sách đơn vị"), _l("đã nhập danh sách đơn vị")),
    "unit.update": Action(_l("Sửa đơn vị"), _l("đã sửa đơn vị %(target)s")),
    "users.import": Action(_l("Nhập tài khoản hàng loạt"), _l("đã nhập tài khoản hàng loạt")),
    "user.create": Action(_l("Tạo tài khoản"), _l("đã tạo tài khoản %(target)s")),
    "user.role": Action(_l("Đổi vai trò"), _l("đã đổi vai trò của %(target)s")),
    "user.organizer_staff": Action(
        _l("Đổi tư cách thành viên Ban Tổ chức"),
        _l("đã đổi tư cách thành viên Ban Tổ chức của %(target)s"),
    ),
    "user.reset_password": Action(_l("Đặt lại mật khẩu"), _l("đã đặt lại mật khẩu của %(target)s")),
    "user.password_reset_requested": Action(
        _l("Yêu cầu đường dẫn đặt lại mật khẩu"),
        _l("đã gửi đường dẫn đặt lại mật khẩu tới e-mail của %(target)s"),
    ),
    "user.password_reset_by_link": Action(
        _l("Đặt lại mật khẩu qua e-mail"),
        _l("đã tự đặt lại mật khẩu qua đường dẫn gửi tới e-mail (%(target)s)"),
    ),
    "user.placement": Action(
        _l("Chuyển đơn vị, đối tượng dự thi"),
        _l("đã chuyển đơn vị hoặc đối tượng dự thi của %(target)s"),
    ),
    "user.approve": Action(_l("Duyệt tài khoản"), _l("đã duyệt tài khoản %(target)s")),
    "contest.create": Action(_l("Tạo hội thi"), _l("đã tạo hội thi %(target)s")),
    "contest.update": Action(_l("Sửa hội thi"), _l("đã sửa hội thi %(target)s")),
    "round.create": Action(_l("Tạo đợt thi"), _l("đã tạo đợt thi %(target)s")),
    "round.update": Action(_l("Sửa đợt thi"), _l("đã sửa đợt thi %(target)s")),
    "round.prizes": Action(_l("Đặt số giải"), _l("đã đặt số giải của đợt thi %(target)s")),
    "results.publish": Action(_l("Công bố kết quả"), _l("đã công bố kết quả đợt thi %(target)s")),
    "attempt.flag_cleared": Action(
        _l("Bỏ đánh dấu bài nộp quá nhanh"),
        _l("đã bỏ đánh dấu bài nộp quá nhanh %(target)s (được xét giải)"),
    ),
    "attempt.flag_confirmed": Action(
        _l("Giữ đánh dấu bài nộp quá nhanh"),
        _l("đã giữ đánh dấu bài nộp quá nhanh %(target)s (không xét giải)"),
    ),
    "bank.create": Action(_l("Tạo ngân hàng câu hỏi"), _l("đã tạo ngân hàng câu hỏi %(target)s")),
    "bank.import": Action(_l("Nạp câu hỏi"), _l("đã nạp câu hỏi vào ngân hàng %(target)s")),
    "question.edit": Action(_l("Sửa câu hỏi"), _l("đã sửa câu hỏi %(target)s")),
    "question.retire": Action(_l("Ngừng dùng câu hỏi"), _l("đã ngừng dùng câu hỏi %(target)s")),
    "question.restore": Action(_l("Dùng lại câu hỏi"), _l("đã dùng lại câu hỏi %(target)s")),
    "question.citations": Action(
        _l("Sửa văn bản trích dẫn của câu hỏi"),
        _l("đã sửa văn bản trích dẫn của câu hỏi %(target)s"),
    ),
    "announcement.create": Action(_l("Đăng thông báo"), _l("đã đăng thông báo %(target)s")),
    "announcement.edit": Action(_l("Sửa thông báo"), _l("đã sửa thông báo %(target)s")),
    "announcement.delete": Action(_l("Xóa thông báo"), _l("đã xóa thông báo %(target)s")),
    "material.create": Action(_l("Thêm tài liệu"), _l("đã thêm tài liệu %(target)s")),
    "material.edit": Action(_l("Sửa tài liệu"), _l("đã sửa tài liệu %(target)s")),
    "material.delete": Action(_l("Xóa tài liệu"), _l("đã xóa tài liệu %(target)s")),
    "contest.ranking": Action(
        _l("Đặt xếp hạng chung cuộc"), _l("đã đặt cách xếp hạng chung cuộc của hội thi %(target)s")
    ),
    "contest.ranking_publish": Action(
        _l("Công bố xếp hạng chung cuộc"),
        _l("đã công bố xếp hạng chung cuộc của hội thi %(target)s"),
    ),
    "certificates.settings": Action(
        _l("Đặt giấy chứng nhận"), _l("đã đặt việc cấp giấy chứng nhận của hội thi %(target)s")
    ),
    "judged.settings": Action(
        _l("Đặt thể lệ cuộc thi chấm điểm"),
        _l("đã sửa thiết lập của cuộc thi %(target)s"),
    ),
    "judged.criteria": Action(
        _l("Đặt phiếu chấm điểm"),
        _l("đã đặt các tiêu chí của phiếu chấm điểm cuộc thi %(target)s"),
    ),
    "judged.special_prize": Action(
        _l("Đặt giải đặc biệt"),
        _l("đã đặt giải đặc biệt của cuộc thi %(target)s"),
    ),
    "entry.register": Action(
        _l("Đăng ký tác phẩm"),
        _l("đã đăng ký tác phẩm %(target)s"),
    ),
    "entry.update": Action(
        _l("Sửa tác phẩm"),
        _l("đã sửa tác phẩm %(target)s"),
    ),
    "entry.reject": Action(
        _l("Loại tác phẩm"),
        _l("đã loại tác phẩm %(target)s"),
    ),
    "entry.restore": Action(
        _l("Nhận lại tác phẩm"),
        _l("đã nhận lại tác phẩm %(target)s"),
    ),
    "entry.pick": Action(
        _l("Chọn tác phẩm vào chung khảo"),
        _l("đã chọn tác phẩm %(target)s vào chung khảo"),
    ),
    "entry.unpick": Action(
        _l("Bỏ chọn tác phẩm"),
        _l("đã bỏ chọn tác phẩm %(target)s"),
    ),
    "entry.reach": Action(
        _l("Nhập lượt thích, chia sẻ"),
        _l("đã nhập lượt thích, chia sẻ của tác phẩm %(target)s"),
    ),
    "judge.assign": Action(
        _l("Phân công giám khảo"),
        _l("đã phân công giám khảo cho vòng %(target)s"),
    ),
    "judge.unassign": Action(
        _l("Bỏ phân công giám khảo"),
        _l("đã bỏ phân công giám khảo ở vòng %(target)s"),
    ),
    "sheet.submit": Action(
        _l("Nộp phiếu chấm"),
        _l("đã nộp phiếu chấm %(target)s"),
    ),
    "sheet.reopen": Action(
        _l("Mở lại phiếu chấm"),
        _l("đã mở lại phiếu chấm %(target)s"),
    ),
    "standings.publish": Action(
        _l("Công bố bảng xếp hạng"),
        _l("đã công bố bảng xếp hạng vòng %(target)s"),
    ),
    "standings.withdraw": Action(
        _l("Thu hồi bảng xếp hạng"),
        _l("đã thu hồi bảng xếp hạng vòng %(target)s"),
    ),
    "teams.settings": Action(
        _l("Đặt thể lệ hội thi đội"),
        _l("đã sửa thiết lập của hội thi đội %(target)s"),
    ),
    "teams.part": Action(
        _l("Thêm phần thi"),
        _l("đã thêm một phần thi vào hội thi %(target)s"),
    ),
    "teams.part_update": Action(
        _l("Sửa phần thi"),
        _l("đã sửa một phần thi của hội thi %(target)s"),
    ),
    "teams.part_delete": Action(
        _l("Xóa phần thi"),
        _l("đã xóa một phần thi của hội thi %(target)s"),
    ),
    "teams.cluster_delete": Action(
        _l("Xóa cụm thi"),
        _l("đã xóa một cụm thi của hội thi %(target)s"),
    ),
    "teams.cluster": Action(
        _l("Đặt cụm thi"),
        _l("đã đặt cụm thi %(target)s"),
    ),
    "teams.assign": Action(
        _l("Xếp đơn vị vào cụm thi"),
        _l("đã xếp các đơn vị vào cụm thi %(target)s"),
    ),
    "teams.draw": Action(
        _l("Bốc thăm thứ tự thi"),
        _l("đã bốc thăm thứ tự thi của %(target)s"),
    ),
    "teams.publish": Action(
        _l("Công bố kết quả cụm thi"),
        _l("đã công bố kết quả của %(target)s"),
    ),
    "teams.withdraw": Action(
        _l("Thu hồi kết quả cụm thi"),
        _l("đã thu hồi kết quả của %(target)s"),
    ),
    "team.register": Action(
        _l("Đăng ký đội thi"),
        _l("đã đăng ký đội thi %(target)s"),
    ),
    "team.update": Action(
        _l("Sửa đội thi"),
        _l("đã sửa đội thi %(target)s"),
    ),
    "team.delete": Action(
        _l("Xóa đội thi"),
        _l("đã xóa một đội thi của hội thi %(target)s"),
    ),
    "team.member_remove": Action(
        _l("Xóa thành viên đội thi"),
        _l("đã xóa một thành viên của đội thi %(target)s"),
    ),
    "team.confirm": Action(
        _l("Xác nhận đội thi"),
        _l("đã xác nhận đội thi %(target)s"),
    ),
    "team.unconfirm": Action(
        _l("Bỏ xác nhận đội thi"),
        _l("đã bỏ xác nhận đội thi %(target)s"),
    ),
    "team.device_code": Action(
        _l("Cấp mã thiết bị cho đội"),
        _l("đã cấp mã thiết bị mới cho đội thi %(target)s"),
    ),
    "team_sheet.submit": Action(
        _l("Nộp phiếu chấm đội"),
        _l("đã nộp phiếu chấm %(target)s"),
    ),
    "team_sheet.reopen": Action(
        _l("Mở lại phiếu chấm đội"),
        _l("đã mở lại phiếu chấm %(target)s"),
    ),
    "live.questions": Action(
        _l("Chọn câu hỏi phần thi trực tiếp"),
        _l("đã chọn câu hỏi cho phần thi trực tiếp %(target)s"),
    ),
    "live.next": Action(
        _l("Mở câu hỏi tiếp theo"),
        _l("đã mở câu hỏi tiếp theo của phần thi trực tiếp %(target)s"),
    ),
    "live.reveal": Action(
        _l("Công bố đáp án"),
        _l("đã công bố đáp án trong phần thi trực tiếp %(target)s"),
    ),
    "live.pause": Action(
        _l("Tạm dừng đếm ngược"),
        _l("đã tạm dừng đếm ngược của phần thi trực tiếp %(target)s"),
    ),
    "live.resume": Action(
        _l("Tiếp tục đếm ngược"),
        _l("đã cho tiếp tục đếm ngược của phần thi trực tiếp %(target)s"),
    ),
    "live.finish": Action(
        _l("Kết thúc phần thi trực tiếp"),
        _l("đã kết thúc phần thi trực tiếp %(target)s"),
    ),
    "live.hand_answer": Action(
        _l("Nhập đáp án thay đội"),
        _l("đã nhập đáp án thay một đội trong phần thi trực tiếp %(target)s"),
    ),
    "legal.create": Action(_l("Thêm văn bản"), _l("đã thêm văn bản %(target)s")),
    "legal.edit": Action(_l("Sửa văn bản"), _l("đã sửa văn bản %(target)s")),
    "legal.replace": Action(
        _l("Ghi văn bản bị thay thế"), _l("đã ghi văn bản %(target)s là bị thay thế")
    ),
    "legal.import": Action(_l("Nhập danh mục văn bản"), _l("đã nhập danh mục văn bản")),
    "privacy.deletion_request": Action(
        _l("Yêu cầu xóa dữ liệu cá nhân"),
        _l("đã yêu cầu xóa dữ liệu cá nhân của tài khoản %(target)s"),
    ),
    "privacy.anonymize": Action(
        _l("Xóa (ẩn danh hóa) dữ liệu cá nhân"),
        _l("đã xóa (ẩn danh hóa) dữ liệu cá nhân của tài khoản %(target)s"),
    ),
    "privacy.deletion_rejected": Action(
        _l("Từ chối yêu cầu xóa dữ liệu"),
        _l("đã từ chối yêu cầu xóa dữ liệu của tài khoản %(target)s"),
    ),
}

# What a detail or a changed field is called; a key without a label is shown as it is.
FIELD_LABELS = {
    "title": _l("Tên"),
    "rules": _l("Thể lệ"),
    "slug": _l("Đường dẫn"),
    "contest": _l("Hội thi"),
    "round": _l("Đợt thi"),
    "opens_at": _l("Mở lúc"),
    "closes_at": _l("Đóng lúc"),
    "bank_id": _l("Ngân hàng câu hỏi (mã số)"),
    "citizen_bank_id": _l("Ngân hàng câu hỏi cho nhân dân (mã số)"),
    "question_count": _l("Số câu hỏi"),
    "time_limit_seconds": _l("Thời gian làm bài (giây)"),
    "attempts_allowed": _l("Số lượt thi"),
    "grace_seconds": _l("Thời gian bù trễ (giây)"),
    "prediction": _l("Câu hỏi dự đoán"),
    "review_policy": _l("Xem lại đáp án"),
    "shuffle_questions": _l("Đảo thứ tự câu hỏi"),
    "shuffle_choices": _l("Đảo thứ tự phương án"),
    "allow_staff": _l("Cho cán bộ, công chức, viên chức, người lao động dự thi"),
    "allow_citizen": _l("Cho nhân dân dự thi"),
    "draws": _l("Số câu theo chủ đề"),
    "min_seconds_per_question": _l("Số giây tối thiểu mỗi câu"),
    "count_unapproved": _l("Tính cả tài khoản chưa duyệt"),
    "prize_counts": _l("Số giải"),
    "unit_prize_count": _l("Số giải tập thể"),
    "unit_min_rate": _l("Tỷ lệ tham gia tối thiểu (%)"),
    "publish_all_names": _l("Công bố tên mọi người"),
    "name": _l("Tên"),
    "code": _l("Mã"),
    "kind": _l("Loại"),
    "parent": _l("Đơn vị cấp trên"),
    "headcount": _l("Biên chế"),
    "target_rate": _l("Tỷ lệ tham gia mục tiêu"),
    "role": _l("Vai trò"),
    "is_organizer_staff": _l("Thành viên Ban Tổ chức"),
    "organizer_staff": _l("Thành viên Ban Tổ chức"),
    "unit": _l("Đơn vị"),
    "group": _l("Đối tượng dự thi"),
    "created": _l("Số mục đã tạo"),
    "updated": _l("Số mục đã cập nhật"),
    "filename": _l("Tệp"),
    "elevated": _l("Được cấp quyền cao hơn"),
    "demoted": _l("Số người hạ về thí sinh"),
    "added": _l("Số câu hỏi đã thêm"),
    "topics": _l("Số câu theo chủ đề"),
    "previous_id": _l("Phiên bản trước (mã số)"),
    "version": _l("Phiên bản"),
    "reason": _l("Lý do"),
    "accounts": _l("Số tài khoản"),
    "flag": _l("Dấu hiệu"),
    "duration_ms": _l("Thời gian làm bài (mili giây)"),
    "questions": _l("Câu hỏi liên quan (mã số)"),
    "replaced_by": _l("Bị thay thế bởi"),
    "linked": _l("Số câu hỏi được gắn"),
    "before": _l("Trước"),
    "after": _l("Sau"),
    "number": _l("Số hiệu"),
    "status": _l("Trạng thái"),
    "unit_level": _l("Cấp đơn vị xét giải tập thể"),
    "criteria": _l("Tiêu chí"),
    "entry_id": _l("Tác phẩm (mã số)"),
    "judge_id": _l("Giám khảo (mã số)"),
    "by_unit": _l("Đơn vị chọn (mã số)"),
    "slot": _l("Suất"),
    "override": _l("Ban Tổ chức chọn thay"),
    "likes": _l("Lượt thích"),
    "shares": _l("Lượt chia sẻ"),
    "evidence": _l("Minh chứng"),
    "total": _l("Tổng điểm"),
    "entries": _l("Số tác phẩm"),
    "amount": _l("Số tiền (đồng)"),
    "topic": _l("Chủ đề"),
    "team_id": _l("Đội thi (mã số)"),
    "part_id": _l("Phần thi (mã số)"),
    "weight": _l("Trọng số"),
    "position": _l("Câu số"),
    "letter": _l("Đáp án chọn"),
    "choice": _l("Phương án"),
    "before_choice": _l("Phương án trước đó"),
    "part": _l("Phần thi"),
    "live": _l("Thi trực tiếp"),
    "venue": _l("Địa điểm"),
    "units": _l("Đơn vị (mã số)"),
    "unit_id": _l("Đơn vị (mã số)"),
    "order": _l("Thứ tự thi (mã đội)"),
    "size": _l("Số thành viên"),
    "teams": _l("Số đội"),
    "mode": _l("Cách xếp hạng chung cuộc"),
    "enabled": _l("Cấp giấy chứng nhận"),
    "signer_title": _l("Chức danh người ký"),
    "signer_name": _l("Người ký"),
    "ranked": _l("Số người được xếp hạng"),
}
PRIZE_NAMES = {
    Prize.FIRST: _l("Giải Nhất"),
    Prize.SECOND: _l("Giải Nhì"),
    Prize.THIRD: _l("Giải Ba"),
    Prize.CONSOLATION: _l("Giải Khuyến khích"),
}
# Values shown by their label, for the fields that hold an enum.
VALUE_LABELS = {
    "kind": KIND_LABELS,
    "role": ROLE_LABELS,
    "group": GROUP_LABELS,
    "participant_group": GROUP_LABELS,
    "prediction": PREDICTION_LABELS,
    "review_policy": REVIEW_LABELS,
    "unit_level": UNIT_LEVEL_LABELS,
    "mode": RANKING_MODE_LABELS,
}
# Keys inside a nested value (prize counts per group and prize) with a label of their own.
KEY_LABELS = {
    **{k.value: v for k, v in GROUP_LABELS.items()},
    **{k.value: v for k, v in PRIZE_NAMES.items()},
}
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
LONG_TEXT = 160


@dataclass(frozen=True)
class Detail:
    label: str
    value: str
    old: str | None = None  # set for a change: "label: old → new"


@dataclass(frozen=True)
class Line:
    entry: AuditLog
    sentence: Markup
    details: list[Detail]


def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def action_name(code: str) -> str:
    action = ACTIONS.get(code)
    return str(action.name) if action else code


def value_text(key: str | None, value: object) -> str:
    """A stored value as a person reads it: dates in Vietnam time, Có/Không, enum labels."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    labels = VALUE_LABELS.get(key or "")
    if labels is not None and isinstance(value, str):
        for enum_value, label in labels.items():
            if enum_value.value == value:
                return str(label)
    if isinstance(value, int | float):
        return format_decimal(value)
    if isinstance(value, str) and ISO_TIME.match(value):
        try:
            return format_datetime(datetime.fromisoformat(value), "dd/MM/yyyy HH:mm")
        except ValueError:
            return value
    if isinstance(value, dict):
        return (
            "; ".join(f"{KEY_LABELS.get(k, k)}: {value_text(key, v)}" for k, v in value.items())
            or "—"
        )
    if isinstance(value, list):
        return ", ".join(value_text(key, v) for v in value) or "—"
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _details(details: dict) -> list[Detail]:
    lines = []
    for key, value in (details or {}).items():
        if key == "changes" and isinstance(value, dict):
            for name, pair in value.items():
                old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
                lines.append(
                    Detail(field_label(name), value_text(name, new), value_text(name, old))
                )
        else:
            lines.append(Detail(field_label(key), value_text(key, value)))
    return lines


def _quoted(text: str) -> str:
    return f"«{text}»"


def target_text(entry: AuditLog, record: object) -> str:
    """The record an entry is about, in words: «Tuần 1» của hội thi «…»."""
    kind, key = entry.target_type, entry.target_id
    if key is None:
        return ""
    if record is None:  # deleted since, or never stored under this id
        return f"#{key}"
    if kind == "round":
        return _(
            "%(round)s của hội thi %(contest)s",
            round=_quoted(record.title),
            contest=_quoted(record.contest.title),
        )
    if kind == "contest":
        return _quoted(record.title)
    if kind == "unit":
        return f"{_quoted(record.name)} ({record.code})"
    if kind == "user":
        return _quoted(record.full_name)
    if kind == "bank":
        return _quoted(record.name)
    if kind == "question":
        return _("#%(id)s (ngân hàng %(bank)s)", id=record.id, bank=_quoted(record.bank.name))
    if kind == "legal_document":
        return _quoted(record.number)
    if kind in ("announcement", "study_material", "entry"):
        return _quoted(record.title)
    if kind == "stage":
        return _(
            "%(stage)s của cuộc thi %(contest)s",
            stage=_quoted(record.title),
            contest=_quoted(record.contest.title),
        )
    if kind == "team":
        return _quoted(record.name)
    if kind in ("score_sheet", "team_sheet"):
        return _(
            "#%(id)s của giám khảo %(name)s",
            id=record.id,
            name=_quoted(record.judge.full_name),
        )
    if kind in ("announcement", "study_material"):
        return _quoted(record.title)
    if kind == "attempt":
        return _("#%(id)s của %(name)s", id=record.id, name=_quoted(record.user.full_name))
    return f"#{key}"


def lines(entries, targets: dict[tuple[str, str], object]) -> list[Line]:
    """A page of entries as sentences with their details."""
    out = []
    for entry in entries:
        actor = entry.actor.full_name if entry.actor else _("Dòng lệnh / hệ thống")
        record = targets.get((entry.target_type, entry.target_id or ""))
        target = target_text(entry, record)
        action = ACTIONS.get(entry.action)
        if action is None:
            phrase = escape(entry.action) + (Markup(" ") + escape(target) if target else "")
        else:
            phrase = escape(str(action.sentence) % {"target": target}).strip()
        sentence = Markup("<strong>{}</strong> {}").format(actor, phrase)
        out.append(Line(entry, sentence, _details(entry.details)))
    return out
