"""Invariants of judged contests (DESIGN.md §9) at the service level, on both databases."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from quiz.errors import DomainError
from quiz.extensions import db
from quiz.judging import queries, services, standings
from quiz.models import AuditLog, Entry, EntryVote, ScoreSheet, SheetScore
from tests.factories import (
    make_entries_contest,
    make_entry,
    make_judge,
    make_sheet,
    make_unit,
    make_user,
    now,
)


@pytest.fixture
def tree(app):
    province = make_unit(kind="province")
    district = make_unit(province, kind="district")
    communes = [make_unit(district) for _ in range(4)]
    return province, district, communes


def actions() -> list[str]:
    return list(db.session.execute(db.select(AuditLog.action).order_by(AuditLog.id)).scalars())


def codes(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    return caught.value.code


# ---- entries ----


def test_manager_registers_an_entry_for_their_unit(tree):
    _, _, communes = tree
    contest = make_entries_contest(registration_closes_at=now() + timedelta(days=1))
    manager = make_user(communes[0], role="unit_manager")
    entry = services.register_entry(
        contest,
        communes[0].id,
        title="  Chuyển  đổi số ở xã ",
        authors="Tổ CNS",
        video_url="https://youtu.be/abc",
        actor=manager,
        now=now(),
    )
    assert entry.title == "Chuyển đổi số ở xã"
    assert actions() == ["contest.create", "entry.register"]
    # Another unit's manager, and a contestant, find nothing to register for.
    other = make_user(communes[1], role="unit_manager")
    assert (
        codes(
            services.register_entry,
            contest,
            communes[0].id,
            title="T",
            authors="A",
            video_url="https://youtu.be/x",
            actor=other,
            now=now(),
        )
        == "not_found"
    )
    contestant = make_user(communes[0])
    assert (
        codes(
            services.register_entry,
            contest,
            communes[0].id,
            title="T",
            authors="A",
            video_url="https://youtu.be/x",
            actor=contestant,
            now=now(),
        )
        == "not_found"
    )


def test_entry_needs_a_link_or_a_file_and_a_web_link(tree):
    _, _, communes = tree
    contest = make_entries_contest()
    manager = make_user(communes[0], role="unit_manager")
    common = {"title": "T", "authors": "A", "actor": manager, "now": now()}
    assert codes(services.register_entry, contest, communes[0].id, **common) == "no_media"
    assert (
        codes(
            services.register_entry,
            contest,
            communes[0].id,
            video_url="javascript:alert(1)",
            **common,
        )
        == "invalid_url"
    )
    assert (
        codes(
            services.register_entry,
            contest,
            communes[0].id,
            upload=("clip.html", b"<script>"),
            **common,
        )
        == "invalid_file"
    )
    assert db.session.execute(db.select(Entry)).first() is None


def test_uploaded_file_is_kept_outside_the_database_under_a_random_name(tree, app, tmp_path):
    _, _, communes = tree
    app.config["JUDGED_FILES_DIR"] = str(tmp_path / "files")
    contest = make_entries_contest()
    manager = make_user(communes[0], role="unit_manager")
    entry = services.register_entry(
        contest,
        communes[0].id,
        title="T",
        authors="A",
        upload=("../Clip Xã.MP4", b"\0\1video"),
        actor=manager,
        now=now(),
    )
    assert entry.file_type == "video/mp4" and entry.file_name == "Clip Xã.MP4"
    assert entry.file_key.endswith(".mp4") and "/" not in entry.file_key
    assert (tmp_path / "files" / entry.file_key).read_bytes() == b"\0\1video"
    first = entry.file_key
    services.update_entry(
        entry, title="T", authors="A", upload=("poster.png", b"\x89PNG"), actor=manager, now=now()
    )
    assert entry.file_type == "image/png"
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == [entry.file_key]
    assert first != entry.file_key


def test_entry_edits_end_at_the_deadline(tree):
    _, _, communes = tree
    deadline = now() + timedelta(hours=1)
    contest = make_entries_contest(registration_closes_at=deadline)
    manager = make_user(communes[0], role="unit_manager")
    entry = make_entry(contest, communes[0])
    services.update_entry(
        entry,
        title="Mới",
        authors="A",
        video_url="https://fb.watch/x",
        actor=manager,
        now=deadline - timedelta(seconds=1),
    )
    assert codes(
        services.update_entry,
        entry,
        title="Muộn",
        authors="A",
        video_url="https://fb.watch/x",
        actor=manager,
        now=deadline,
    ) == ("registration_closed")
    assert codes(
        services.register_entry,
        contest,
        communes[0].id,
        title="Muộn",
        authors="A",
        video_url="https://fb.watch/x",
        actor=manager,
        now=deadline,
    ) == ("registration_closed")
    assert db.session.get(Entry, entry.id).title == "Mới"


def test_organizers_reject_an_entry_with_a_reason(tree):
    province, _, communes = tree
    admin = make_user(province, role="admin")
    contest = make_entries_contest()
    entry = make_entry(contest, communes[0])
    assert codes(services.reject_entry, entry, "  ", actor=admin, now=now()) == "invalid_reason"
    services.reject_entry(entry, "Trùng lặp", actor=admin, now=now())
    assert db.session.get(Entry, entry.id).reject_reason == "Trùng lặp"
    manager = make_user(communes[0], role="unit_manager")
    assert codes(services.reject_entry, entry, "x", actor=manager, now=now()) == "not_found"
    assert actions()[-1] == "entry.reject"


def test_database_refuses_a_rejection_without_reason(tree):
    contest = make_entries_contest()
    entry = make_entry(contest, tree[2][0])
    entry.status = "rejected"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


# ---- preliminary selection ----


def test_parent_unit_picks_at_most_its_quota(tree):
    province, district, communes = tree
    contest = make_entries_contest(preliminary_quota=2)
    entries = [make_entry(contest, c) for c in communes[:3]]
    manager = make_user(district, role="unit_manager")
    services.pick_entry(entries[0], actor=manager, now=now())
    services.pick_entry(entries[1], actor=manager, now=now())
    assert codes(services.pick_entry, entries[2], actor=manager, now=now()) == "quota_full"
    assert queries.picks_of(contest.id, district.id) == 2
    # A commune manager is not the parent: nothing to pick.
    commune_manager = make_user(communes[2], role="unit_manager")
    assert codes(services.pick_entry, entries[2], actor=commune_manager, now=now()) == ("not_found")
    # Unpicking frees a slot for another.
    services.unpick_entry(entries[0], actor=manager, now=now())
    services.pick_entry(entries[2], actor=manager, now=now())
    assert {e.id for e in queries.pool(contest.id, queries.settings_of(contest))} == {
        entries[1].id,
        entries[2].id,
    }


def test_picks_end_at_the_deadline_but_organizers_override(tree):
    province, district, communes = tree
    deadline = now() - timedelta(minutes=1)
    contest = make_entries_contest(preliminary_quota=1, selection_closes_at=deadline)
    entries = [make_entry(contest, c) for c in communes[:2]]
    manager = make_user(district, role="unit_manager")
    assert codes(services.pick_entry, entries[0], actor=manager, now=now()) == ("selection_closed")
    admin = make_user(province, role="admin")
    services.pick_entry(entries[0], actor=admin, now=now())
    services.pick_entry(entries[1], actor=admin, now=now())  # beyond the quota: an override
    assert queries.picks_of(contest.id, district.id) == 2
    log = (
        db.session.execute(
            db.select(AuditLog).where(AuditLog.action == "entry.pick").order_by(AuditLog.id)
        )
        .scalars()
        .all()
    )
    assert [entry.details["override"] for entry in log] == [True, True]


def test_database_refuses_two_picks_in_one_slot_directly(tree):
    _, district, communes = tree
    contest = make_entries_contest(preliminary_quota=2)
    make_entry(contest, communes[0], selected_by_unit_id=district.id, selection_slot=1)
    with pytest.raises(IntegrityError):
        make_entry(contest, communes[1], selected_by_unit_id=district.id, selection_slot=1)
    db.session.rollback()


# ---- jury ----


@pytest.fixture
def jury(tree):
    province, district, communes = tree
    contest = make_entries_contest()
    stage = queries.stage_of(contest, "final")
    entries = [make_entry(contest, c) for c in communes[:3]]
    judge = make_judge(make_unit(province, kind="department"), assign_to=contest)
    return contest, stage, entries, judge


def criteria_ids(contest) -> list[int]:
    return [c.id for c in queries.criteria(contest.id)]


def test_judge_saves_a_draft_then_submits_and_the_sheet_locks(jury):
    contest, stage, entries, judge = jury
    content, art = criteria_ids(contest)
    services.save_sheet(stage, judge, entries[0], {content: 71}, "Tốt", now=now())
    sheet = db.session.execute(db.select(ScoreSheet)).scalar_one()
    assert sheet.status == "draft"
    assert (
        codes(services.save_sheet, stage, judge, entries[0], {content: 71}, submit=True, now=now())
        == "sheet_incomplete"
    )
    services.save_sheet(
        stage, judge, entries[0], {content: 71, art: 50}, "Tốt", submit=True, now=now()
    )
    assert (
        codes(services.save_sheet, stage, judge, entries[0], {content: 80, art: 60}, now=now())
        == "sheet_submitted"
    )
    scores = db.session.execute(db.select(SheetScore.half_points)).scalars().all()
    assert sorted(scores) == [50, 71]  # 35,5 and 25: unchanged


def test_secretariat_reopens_a_sheet_audit_logged(jury, tree):
    contest, stage, entries, judge = jury
    content, art = criteria_ids(contest)
    sheet = services.save_sheet(
        stage, judge, entries[0], {content: 10, art: 10}, submit=True, now=now()
    )
    admin = make_user(tree[0], role="admin")
    assert codes(services.reopen_sheet, sheet, "lý do", actor=judge, now=now()) == "not_found"
    services.reopen_sheet(sheet, "Giám khảo xin sửa", actor=admin, now=now())
    log = db.session.execute(
        db.select(AuditLog).where(AuditLog.action == "sheet.reopen")
    ).scalar_one()
    assert log.details["total"] == 10 and log.details["reason"] == "Giám khảo xin sửa"
    services.save_sheet(stage, judge, entries[0], {content: 20, art: 10}, submit=True, now=now())


def test_scores_outside_zero_to_maximum_are_refused(jury):
    contest, stage, entries, judge = jury
    content, art = criteria_ids(contest)
    assert codes(services.save_sheet, stage, judge, entries[0], {content: 81}, now=now()) == (
        "score_out_of_range"
    )
    assert codes(services.save_sheet, stage, judge, entries[0], {content: -1}, now=now()) == (
        "score_out_of_range"
    )
    services.save_sheet(stage, judge, entries[0], {content: 80, art: 0}, now=now())
    assert services.parse_points("7,5") == 15 and services.parse_points("40") == 80
    for bad in ("7.3", "abc", "nan", ""):
        with pytest.raises(ValueError):
            services.parse_points(bad)


def test_database_refuses_a_score_above_the_criterion_maximum(jury):
    contest, stage, entries, judge = jury
    sheet = make_sheet(contest, judge, entries[0], [10, 10], submitted=False)
    score = sheet.scores[0]
    score.half_points = score.max_half_points + 1
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # Nor can the copied maximum drift from the criterion's own.
    score = db.session.get(SheetScore, (sheet.id, score.criterion_id))
    score.max_half_points = 2000
    score.half_points = 1000
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_judge_is_never_shown_an_entry_of_their_own_unit(jury, tree):
    contest, stage, entries, judge = jury
    _, district, communes = tree
    settings = queries.settings_of(contest)
    own = make_judge(communes[0], assign_to=contest)
    shown = [e.id for e, _ in queries.judge_queue(stage, own, settings)]
    assert entries[0].id not in shown and entries[1].id in shown
    assert codes(services.save_sheet, stage, own, entries[0], {}, now=now()) == "not_found"
    # A district judge gets none of the district's communes either.
    district_judge = make_judge(district, assign_to=contest)
    assert queries.judge_queue(stage, district_judge, settings) == []
    assert len(queries.judge_queue(stage, judge, settings)) == 3


def test_unassigned_judge_scores_nothing(jury, tree):
    contest, stage, entries, _ = jury
    stranger = make_judge(make_unit(tree[0], kind="department"))
    assert codes(services.save_sheet, stage, stranger, entries[0], {}, now=now()) == ("not_found")


def test_criteria_are_editable_until_the_first_sheet_is_submitted(jury, tree):
    contest, stage, entries, judge = jury
    admin = make_user(tree[0], role="admin")
    services.set_criteria(
        contest, [("Nội dung", 80), ("Kỹ thuật", 40), ("Sáng tạo", 20)], actor=admin, now=now()
    )
    assert [c.max_points for c in queries.criteria(contest.id)] == [40, 20, 10]
    ids = criteria_ids(contest)
    services.save_sheet(stage, judge, entries[0], dict.fromkeys(ids, 2), submit=True, now=now())
    assert codes(services.set_criteria, contest, [("Một", 20)], actor=admin, now=now()) == (
        "criteria_locked"
    )


# ---- audience ----


def test_one_vote_per_account_and_entry(jury, tree):
    contest, stage, entries, judge = jury
    settings = queries.settings_of(contest)
    settings.voting_opens_at = now() - timedelta(days=1)
    settings.voting_closes_at = now() + timedelta(days=1)
    db.session.commit()
    voter = make_user(tree[2][3])
    assert services.vote(entries[0], voter, now=now()) is True
    assert services.vote(entries[0], voter, now=now()) is False
    assert services.vote(entries[1], voter, now=now()) is True
    assert queries.vote_counts(contest.id) == {entries[0].id: 1, entries[1].id: 1}
    db.session.add(EntryVote(entry_id=entries[0].id, user_id=voter.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert codes(services.vote, entries[0], voter, now=now() + timedelta(days=2)) == (
        "voting_closed"
    )


# ---- standings ----


def test_jury_score_is_the_mean_and_drops_highest_and_lowest_from_five(jury, tree):
    contest, stage, entries, _ = jury
    department = make_unit(tree[0], kind="department")
    judges = [make_judge(department, assign_to=contest) for _ in range(5)]
    settings = queries.settings_of(contest)
    # Entry 0: four sheets, all counted: (70 + 60 + 50 + 30) / 4 = 52.5 of 70 → 75 of 100
    # (dropping 70 and 30 would give 55 → 78.57).
    for judge, total in zip(judges, (70, 60, 50, 30), strict=False):
        make_sheet(
            contest,
            judge,
            entries[0],
            [total - 30 if total > 30 else total, 30 if total > 30 else 0],
        )
    # Entry 1: five sheets: 70 and 0 dropped, (40 + 40 + 40) / 3 = 40 → 57.14 (all five
    # would give 190 / 5 = 38 → 54.29).
    for judge, total in zip(judges, (70, 40, 40, 40, 0), strict=True):
        make_sheet(contest, judge, entries[1], [min(total, 40), max(total - 40, 0)])
    # A draft never counts.
    make_sheet(contest, judges[4], entries[0], [40, 30], submitted=False)
    rows = {r.entry.id: r for r in standings.compute(stage, settings)}
    assert rows[entries[0].id].jury_score == pytest.approx(75.0)
    assert rows[entries[1].id].jury_score == pytest.approx(57.14)
    assert rows[entries[1].id].sheets == 5
    assert rows[entries[2].id].jury_score is None
    assert [r.entry.id for r in standings.compute(stage, settings)] == [
        entries[0].id,
        entries[1].id,
        entries[2].id,
    ]


def test_audience_points_are_proportional_to_the_best_and_weighted(jury, tree):
    contest, stage, entries, judge = jury
    admin = make_user(tree[0], role="admin")
    services.update_settings(
        contest,
        actor=admin,
        now=now(),
        jury_weight=80.0,
        audience_weight=20.0,
        like_factor=1.0,
        share_factor=2.0,
        vote_factor=0.0,
    )
    services.enter_reach(entries[0], 100, 50, "https://facebook.com/p/1", actor=admin, now=now())
    services.enter_reach(entries[1], 50, 25, "https://facebook.com/p/2", actor=admin, now=now())
    make_sheet(contest, judge, entries[0], [40, 30])  # 70 of 70 → 80
    make_sheet(contest, judge, entries[1], [40, 30])
    rows = {r.entry.id: r for r in standings.compute(stage, queries.settings_of(contest))}
    assert rows[entries[0].id].audience_score == 20 and rows[entries[0].id].total == 100
    assert rows[entries[1].id].audience_score == 10 and rows[entries[1].id].total == 90
    assert rows[entries[2].id].audience_score == 0
    assert "entry.reach" in actions()


def test_ties_break_on_jury_then_first_criterion_then_registration(jury, tree):
    contest, stage, entries, judge = jury
    # Same total; entry 2 has the higher first criterion; entries 0 and 1 tie on both:
    # the earlier registration (entry 0) goes first.
    make_sheet(contest, judge, entries[0], [30, 20])
    make_sheet(contest, judge, entries[1], [30, 20])
    make_sheet(contest, judge, entries[2], [40, 10])
    settings = queries.settings_of(contest)
    first = [r.entry.id for r in standings.compute(stage, settings)]
    assert first == [entries[2].id, entries[0].id, entries[1].id]
    db.session.expire_all()
    assert [r.entry.id for r in standings.compute(stage, settings)] == first


def test_standings_recomputed_from_rows_give_the_same_order(jury, tree):
    contest, stage, entries, _ = jury
    department = make_unit(tree[0], kind="department")
    judges = [make_judge(department, assign_to=contest) for _ in range(6)]
    more = [make_entry(contest, make_unit(tree[1])) for _ in range(5)]
    for i, entry in enumerate(entries + more):
        for j, judge in enumerate(judges):
            make_sheet(contest, judge, entry, [(i * 7 + j * 3) % 41, (i + j) % 31])
    settings = queries.settings_of(contest)
    runs = []
    for _ in range(3):
        db.session.expire_all()
        runs.append([(r.entry.id, r.total, r.rank) for r in standings.compute(stage, settings)])
    assert runs[0] == runs[1] == runs[2]


def test_publication_freezes_the_standings_with_prizes(jury, tree):
    contest, stage, entries, judge = jury
    admin = make_user(tree[0], role="admin")
    services.update_settings(
        contest,
        actor=admin,
        now=now(),
        finalist_count=2,
        prizes={
            "first": {"count": 1, "amount": 10_000_000},
            "second": {"count": 1, "amount": 5_000_000},
        },
    )
    make_sheet(contest, judge, entries[0], [40, 30])
    sheet = make_sheet(contest, judge, entries[1], [20, 10])
    frozen = services.publish(stage, actor=admin, now=now())
    assert [(s.entry_id, s.rank, s.prize, s.prize_amount, s.finalist) for s in frozen] == [
        (entries[0].id, 1, "first", 10_000_000, True),
        (entries[1].id, 2, "second", 5_000_000, True),
        (entries[2].id, 3, None, None, False),  # no sheet: no prize
    ]
    assert db.session.get(type(stage), stage.id).published_at is not None
    # Scoring stops at publication.
    content, art = criteria_ids(contest)
    services.reopen_sheet(sheet, "sửa", actor=admin, now=now())
    assert codes(services.save_sheet, stage, judge, entries[1], {content: 80}, now=now()) == (
        "stage_published"
    )


@pytest.mark.parametrize("step", ["register", "update"])
def test_a_file_whose_save_fails_is_removed_from_disk(tree, app, tmp_path, monkeypatch, step):
    _, _, communes = tree
    app.config["JUDGED_FILES_DIR"] = str(tmp_path / "files")
    contest = make_entries_contest()
    manager = make_user(communes[0], role="unit_manager")
    common = {"title": "T", "authors": "A", "actor": manager, "now": now()}
    entry = None
    if step == "update":
        entry = services.register_entry(
            contest, communes[0].id, upload=("a.mp4", b"first"), **common
        )
    kept = sorted(p.name for p in (tmp_path / "files").iterdir()) if entry else []

    def broken(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("the database refused"))

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(IntegrityError):
        if entry is None:
            services.register_entry(contest, communes[0].id, upload=("b.mp4", b"new"), **common)
        else:
            services.update_entry(entry, upload=("b.mp4", b"new"), **common)
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == kept
    if entry is not None:
        db.session.refresh(entry)
        assert [entry.file_key] == kept


def test_a_submitted_sheet_is_audit_logged_with_its_total_and_a_draft_is_not(jury):
    contest, stage, entries, judge = jury
    content, art = criteria_ids(contest)
    services.save_sheet(stage, judge, entries[0], {content: 71}, now=now())
    assert "sheet.submit" not in actions()
    sheet = services.save_sheet(
        stage, judge, entries[0], {content: 71, art: 50}, submit=True, now=now()
    )
    log = db.session.execute(
        db.select(AuditLog).where(AuditLog.action == "sheet.submit")
    ).scalar_one()
    assert (log.actor_id, log.target_type, log.target_id) == (
        judge.id,
        "score_sheet",
        str(sheet.id),
    )
    assert log.details == {"entry_id": entries[0].id, "total": 60.5}
