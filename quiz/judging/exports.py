"""XLSX exports of a judged stage: each judge's sheets, the aggregated table, the payouts."""

from ..models import Contest, Stage
from ..xlsx import excel_time, workbook_bytes
from . import queries, standings

PRIZE_NAMES = {
    "first": "Giải Nhất",
    "second": "Giải Nhì",
    "third": "Giải Ba",
    "consolation": "Giải Khuyến khích",
}


def _local(value):
    return excel_time(value) if value else None


def _heading(contest: Contest, stage: Stage) -> list[tuple[str, object]]:
    """The title block of every sheet: which contest and stage."""
    return [("Hội thi", contest.title), ("Vòng", stage.title)]


def _half(value: int | None) -> float | None:
    return None if value is None else value / 2


def judges_sheets(contest: Contest, stage: Stage) -> bytes:
    """One sheet per judge: each entry scored, per criterion, with totals and comments."""
    criteria = queries.criteria(contest.id)
    headers = [
        "Mã tác phẩm",
        "Tên tác phẩm",
        "Đơn vị",
        *[f"{c.title} (tối đa {c.max_points:g})" for c in criteria],
        "Tổng điểm",
        "Nhận xét",
        "Trạng thái",
        "Nộp lúc",
    ]
    sheets = {}
    for judge in queries.assigned_judges(stage.id):
        rows = []
        for sheet in queries.sheets(stage.id, judge_id=judge.id):
            by = {s.criterion_id: s.half_points for s in sheet.scores}
            rows.append(
                [
                    sheet.entry.id,
                    sheet.entry.title,
                    sheet.entry.unit.name,
                    *[_half(by.get(c.id)) for c in criteria],
                    sum(by.values()) / 2,
                    sheet.comment,
                    "Đã nộp" if sheet.is_submitted else "Nháp",
                    _local(sheet.submitted_at),
                ]
            )
        title = f"{judge.id} {judge.full_name}"[:31]
        sheets[title] = (headers, rows)
    if not sheets:
        sheets["Phiếu chấm"] = (headers, [])
    return workbook_bytes(sheets, heading=_heading(contest, stage), locale="vi")


def _rows(contest: Contest, stage: Stage) -> list[standings.Row]:
    return standings.compute(stage, queries.settings_of(contest))


def standings_table(contest: Contest, stage: Stage) -> bytes:
    """The aggregated table of a stage, as computed now from the stored rows."""
    headers = [
        "Hạng",
        "Mã tác phẩm",
        "Tên tác phẩm",
        "Tác giả",
        "Mã đơn vị",
        "Đơn vị",
        "Số phiếu đã nộp",
        "Điểm giám khảo",
        "Chỉ số khán giả",
        "Điểm khán giả",
        "Tổng điểm",
        "Vào vòng trình diễn",
        "Giải",
    ]
    rows = [
        [
            r.rank,
            r.entry.id,
            r.entry.title,
            r.entry.authors,
            r.entry.unit.code,
            r.entry.unit.name,
            r.sheets,
            r.jury_score,
            r.audience_figure,
            r.audience_score,
            r.total,
            "Có" if r.finalist else "Không",
            PRIZE_NAMES.get(r.prize or "", ""),
        ]
        for r in _rows(contest, stage)
    ]
    return workbook_bytes(
        {"Bảng tổng hợp": (headers, rows)}, heading=_heading(contest, stage), locale="vi"
    )


def payout_list(contest: Contest, stage: Stage) -> bytes:
    """Prizes with their amounts in VND: the published standings once published, else the
    current computation; then the special prizes."""
    headers = ["Giải", "Hạng", "Mã tác phẩm", "Tên tác phẩm", "Tác giả", "Đơn vị", "Số tiền (đồng)"]
    rows = []
    if stage.published_at is not None:
        for s, e, u in queries.published_standings(stage.id):
            if s.prize:
                rows.append(
                    [PRIZE_NAMES[s.prize], s.rank, e.id, e.title, e.authors, u.name, s.prize_amount]
                )
    else:
        for r in _rows(contest, stage):
            if r.prize:
                rows.append(
                    [
                        PRIZE_NAMES[r.prize],
                        r.rank,
                        r.entry.id,
                        r.entry.title,
                        r.entry.authors,
                        r.entry.unit.name,
                        r.prize_amount,
                    ]
                )
    for p in queries.special_prizes(contest.id):
        if p.entry is not None:
            rows.append(
                [
                    p.name,
                    None,
                    p.entry.id,
                    p.entry.title,
                    p.entry.authors,
                    p.entry.unit.name,
                    p.amount,
                ]
            )
    return workbook_bytes(
        {"Danh sách chi thưởng": (headers, rows)}, heading=_heading(contest, stage), locale="vi"
    )
