"""Excel exports of a teams contest's stage: standings, payout list, each judge's sheets and
the running order (DESIGN.md §7: one sheet per view, a header row, Vietnamese headings)."""

from ..models import Contest, Stage
from ..timeutil import to_local
from ..xlsx import workbook_bytes
from . import teams_queries as queries
from . import teams_standings

PRIZE_NAMES = {
    "first": "Giải Nhất",
    "second": "Giải Nhì",
    "third": "Giải Ba",
    "consolation": "Giải Khuyến khích",
}


def stage_workbook(contest: Contest, stage: Stage) -> bytes:
    """The published standings once published, the live computation before that."""
    parts = queries.parts(contest.id)
    if stage.published_at is not None:
        rows = [
            (
                s.rank,
                team,
                unit,
                [s.part_scores.get(str(p.id)) for p in parts],
                s.total,
                s.prize,
                s.prize_amount,
                s.specials,
            )
            for s, team, unit in queries.published(stage.id)
        ]
    else:
        rows = [
            (
                r.rank,
                r.team,
                r.team.unit,
                [r.part_scores.get(p.id) for p in parts],
                r.total,
                r.prize,
                r.prize_amount,
                r.specials,
            )
            for r in teams_standings.compute(stage)
        ]
    standings = (
        ["Hạng", "Đội", "Đơn vị", "Mã đơn vị", *[p.name for p in parts], "Tổng điểm", "Giải"],
        [
            [rank, team.name, unit.name, unit.code, *scores, total, PRIZE_NAMES.get(prize, "")]
            for rank, team, unit, scores, total, prize, _, _ in rows
        ],
    )
    payout = []
    for rank, team, unit, _, _, prize, amount, specials in rows:
        if prize:
            payout.append([team.name, unit.name, PRIZE_NAMES[prize], amount or 0, rank])
        for special in specials:
            payout.append([team.name, unit.name, special["name"], special["amount"], rank])
    sheets_rows = []
    criteria = {p.id: queries.part_criteria(p.id) for p in parts}
    for sheet in queries.sheets(stage.id):
        scores = {s.criterion_id: s.half_points / 2 for s in sheet.scores}
        for c in criteria.get(sheet.part_id, []):
            sheets_rows.append(
                [
                    sheet.judge.full_name,
                    sheet.team.name,
                    sheet.part.name,
                    c.title,
                    c.max_points,
                    scores.get(c.id),
                    "Đã nộp" if sheet.is_submitted else "Nháp",
                    to_local(sheet.submitted_at).strftime("%d/%m/%Y %H:%M")
                    if sheet.submitted_at
                    else "",
                ]
            )
    order = [
        [
            d.position,
            d.team.name,
            d.team.unit.name,
            to_local(d.drawn_at).strftime("%d/%m/%Y %H:%M"),
            d.drawn_by.full_name if d.drawn_by else "",
        ]
        for d in queries.draw(stage.id)
    ]
    return workbook_bytes(
        {
            "Bảng xếp hạng": standings,
            "Danh sách chi thưởng": (
                ["Đội", "Đơn vị", "Giải", "Số tiền (đồng)", "Hạng"],
                payout,
            ),
            "Phiếu chấm": (
                [
                    "Giám khảo",
                    "Đội",
                    "Phần thi",
                    "Tiêu chí",
                    "Điểm tối đa",
                    "Điểm",
                    "Trạng thái",
                    "Nộp lúc",
                ],
                sheets_rows,
            ),
            "Thứ tự thi": (["Thứ tự", "Đội", "Đơn vị", "Bốc thăm lúc", "Người bốc thăm"], order),
        }
    )
