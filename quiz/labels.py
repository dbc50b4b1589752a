"""What enum values are called on screen and in exports, in the user's language."""

from flask_babel import lazy_gettext as _l

from .models import Difficulty, Group, RankingMode, Role, UnitKind, UnitLevel

KIND_LABELS = {
    UnitKind.PROVINCE: _l("Tỉnh, thành phố"),
    UnitKind.DEPARTMENT: _l("Sở, ban, ngành"),
    UnitKind.DISTRICT: _l("Huyện, thị xã, thành phố thuộc tỉnh"),
    UnitKind.COMMUNE: _l("Xã, phường, đặc khu"),
    UnitKind.AGENCY: _l("Cơ quan, đơn vị"),
    UnitKind.OTHER: _l("Khác"),
}
ROLE_LABELS = {
    Role.CONTESTANT: _l("Thí sinh"),
    Role.UNIT_MANAGER: _l("Cán bộ đầu mối đơn vị"),
    Role.ADMIN: _l("Quản trị (Ban Tổ chức)"),
    Role.JUDGE: _l("Giám khảo"),
}
GROUP_LABELS = {
    Group.STAFF: _l("Cán bộ, công chức, viên chức, người lao động"),
    Group.CITIZEN: _l("Nhân dân"),
}
DIFFICULTY_LABELS = {
    Difficulty.EASY: _l("Dễ"),
    Difficulty.MEDIUM: _l("Trung bình"),
    Difficulty.HARD: _l("Khó"),
}

# Collective prizes: the level of units that competes (results/ranking.py unit_ranking).
UNIT_LEVEL_LABELS = {
    UnitLevel.LEAF: _l("Các đơn vị không có đơn vị trực thuộc"),
    UnitLevel.DEPARTMENT_COMMUNE: _l("Sở, ban, ngành và xã, phường, đặc khu"),
    UnitLevel.DEPARTMENT_DISTRICT: _l("Sở, ban, ngành và huyện, thị xã, thành phố"),
    UnitLevel.DISTRICT: _l("Huyện, thị xã, thành phố (gồm các xã trực thuộc)"),
    UnitLevel.COMMUNE: _l("Xã, phường, đặc khu"),
    UnitLevel.DEPARTMENT: _l("Sở, ban, ngành"),
}
# The contest-wide ranking (results/contest_ranking.py).
RANKING_MODE_LABELS = {
    RankingMode.BEST: _l("Kết quả tốt nhất của mỗi người qua các đợt"),
    RankingMode.SUM: _l("Tổng số câu đúng qua các đợt"),
}
