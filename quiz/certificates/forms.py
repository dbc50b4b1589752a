"""The certificate setting of a contest (on the contest's edit page)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import Length, Optional

from ..models import CertificateSetting


class CertificateSettingForm(FlaskForm):
    enabled = BooleanField(_l("Cấp giấy chứng nhận cho người dự thi và người đạt giải"))
    signer_title = StringField(
        _l("Chức danh người ký"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Chức danh và tên người ký dài tối đa 200 ký tự.")),
        ],
    )
    signer_name = StringField(
        _l("Họ và tên người ký"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Chức danh và tên người ký dài tối đa 200 ký tự.")),
        ],
    )
    save = SubmitField(_l("Lưu cài đặt giấy chứng nhận"))

    @classmethod
    def data_of(cls, setting: CertificateSetting | None) -> dict:
        if setting is None:
            return {"enabled": False, "signer_title": "", "signer_name": ""}
        return {
            "enabled": setting.enabled,
            "signer_title": setting.signer_title or "",
            "signer_name": setting.signer_name or "",
        }
