"""Background jobs: queued by a page, worked by `flask jobs work`, shown to their owner."""

import threading
from datetime import timedelta

import pytest
from flask import g

from question_bank.people import PersonRecord
from quiz.admin import services as admin_services
from quiz.errors import DomainError
from quiz.extensions import db
from quiz.jobs import services as jobs
from quiz.models import AuditLog, Job, Upload, User, utcnow
from tests.admin.test_users import upload_people
from tests.factories import PASSWORD

ROWS = [
    ("Phan Thị Lan", "lan@example.vn", "", "QNG-BS", "", "", ""),
    ("Hồ Văn Nam", "", "0935 123 456", "QNG-BS", "", "", ""),
]


@pytest.fixture
def site(make_unit, make_user, login):
    root = make_unit(code="QNG", name="Tỉnh Quảng Ngãi", kind="province")
    commune = make_unit(root, code="QNG-BS", name="Xã Bình Sơn")
    admin = make_user(root, role="admin", full_name="Ban Tổ chức")
    login(admin)
    return {"root": root, "commune": commune, "admin": admin}


def _client_of(web_app, user):
    c = web_app.test_client()
    assert (
        c.post("/auth/login", data={"login": user.login, "password": PASSWORD}).status_code == 302
    )
    return c


def _people() -> int:
    return db.session.scalar(db.select(db.func.count(User.id)))


def test_an_import_is_queued_worked_and_its_credentials_go_to_its_owner_alone(
    client, web_app, site, make_user, run_jobs
):
    preview = upload_people(client, ROWS)
    confirm = client.post(f"{preview.request.path}/confirm")
    job_url = confirm.headers["Location"]
    waiting = client.get(job_url)
    assert "Đang chờ đến lượt xử lý" in waiting.text
    assert 'data-refresh="2"' in waiting.text and "js/job-progress.js" in waiting.text
    assert client.get(job_url + "/download").status_code == 404  # nothing yet
    before = _people()

    assert run_jobs() == (1, 0)

    done = client.get(job_url)
    assert "Đã tạo 2 tài khoản" in done.text and "data-refresh" not in done.text
    assert _people() == before + 2
    assert client.get(job_url + "/download").status_code == 200
    other_admin = _client_of(web_app, make_user(site["root"], role="admin"))
    assert other_admin.get(job_url).status_code == 200  # admins see that it ran…
    assert other_admin.get(job_url + "/download").status_code == 404  # …not the passwords
    contestant = _client_of(web_app, make_user(site["commune"]))
    assert contestant.get(job_url).status_code == 404
    assert contestant.get(job_url + "/download").status_code == 404
    entry = db.session.execute(db.select(AuditLog).filter_by(action="users.import")).scalar_one()
    assert entry.actor_id == site["admin"].id and entry.details["created"] == 2


def test_a_failing_import_changes_nothing_and_says_why(client, site, make_user, run_jobs):
    preview = upload_people(client, ROWS)
    # Someone takes a login of the file between the preview and the job.
    make_user(site["commune"], email="lan@example.vn")
    before = _people()
    confirm = client.post(f"{preview.request.path}/confirm")
    assert run_jobs() == (0, 1)
    page = client.get(confirm.headers["Location"])
    assert "Tác vụ không thành công; không có dữ liệu nào bị thay đổi." in page.text
    assert "Tệp có 1 lỗi" in page.text and ">2<" in page.text  # the row, by number
    assert _people() == before
    assert db.session.execute(db.select(AuditLog).filter_by(action="users.import")).first() is None
    # The upload stays, free for another try once the file is fixed.
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == 1
    job = db.session.get(Job, int(confirm.headers["Location"].rsplit("/", 1)[1]))
    assert (job.status, job.upload_id) == ("failed", None)


def test_a_login_taken_at_the_last_moment_is_caught_by_the_database_and_names_its_row(
    app, site, make_user
):
    make_user(site["commune"], phone="+84935123456")
    records = [
        PersonRecord(
            2, "Phan Thị Lan", "lan@example.vn", None, "QNG-BS", "contestant", None, "staff"
        ),
        PersonRecord(3, "Hồ Văn Nam", None, "+84935123456", "QNG-BS", "contestant", None, "staff"),
    ]
    before = _people()
    with pytest.raises(DomainError) as refused:
        admin_services.import_people(records, actor=None, now=utcnow())
    assert refused.value.code == "login_taken"
    assert "Dòng 3: 0935 123 456" in refused.value.text()
    db.session.rollback()
    assert _people() == before


def test_progress_is_shown_while_the_job_runs(client, site, app):
    job_id = jobs.enqueue("users.import", actor=site["admin"], now=utcnow()).id
    assert jobs.claim_next(utcnow(), "test") == job_id
    db.session.rollback()
    g.sqlite_write = False  # as the worker, before its writing transaction
    jobs.ProgressWriter(job_id)("passwords", 1200, 50000)
    page = client.get(f"/admin/jobs/{job_id}")
    assert "Đang tạo mật khẩu ban đầu" in page.text
    assert "1.200 / 50.000 dòng" in page.text and "2,4%" in page.text
    assert '<progress max="50000" value="1200">' in page.text


def test_the_command_works_off_the_queue(client, site, runner, app):
    round_less = jobs.enqueue("results.export", actor=site["admin"], now=utcnow(), params={})
    result = runner.invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "Đã xử lý 0 tác vụ, 1 tác vụ lỗi." in result.output
    db.session.expire_all()
    assert db.session.get(Job, round_less.id).error == "Đợt thi không còn tồn tại."
    assert "Đợt thi không còn tồn tại." in client.get(f"/admin/jobs/{round_less.id}").text


def test_a_job_whose_worker_died_is_failed_and_old_files_are_dropped(app, site):
    now = utcnow()
    stuck = jobs.enqueue("results.export", actor=site["admin"], now=now)
    jobs.claim_next(now - jobs.STALE_AFTER - timedelta(minutes=1), "dead")
    old = jobs.enqueue("results.export", actor=site["admin"], now=now)
    g.sqlite_write = True
    db.session.execute(
        db.update(Job)
        .where(Job.id == old.id)
        .values(status="done", finished_at=now - jobs.RESULT_KEEP * 2, result_data=b"x")
    )
    db.session.commit()
    assert jobs.fail_stale(now) == 1
    db.session.expire_all()
    assert db.session.get(Job, stuck.id).error_code == "interrupted"
    assert db.session.get(Job, old.id).result_data is None


def test_two_workers_never_run_the_same_job(app, site):
    ids = [jobs.enqueue("results.export", actor=site["admin"], now=utcnow()).id for _ in range(12)]
    barrier = threading.Barrier(4)
    claimed: list[int] = []
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            with app.app_context():
                barrier.wait()
                while (job_id := jobs.claim_next(utcnow(), name)) is not None:
                    claimed.append(job_id)
                db.session.remove()
        except BaseException as err:  # reported below, not lost in the thread
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(claimed) == ids  # each job once, none twice


# PostgreSQL only: SKIP LOCKED is its mechanism; SQLite has one writer at a time, and
# there the claim waits for the write lock (the four-thread test covers both databases).
@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_locked_job_is_skipped_not_waited_for(app, site, backend):
    first = jobs.enqueue("results.export", actor=site["admin"], now=utcnow())
    second = jobs.enqueue("results.export", actor=site["admin"], now=utcnow())
    with db.engine.connect() as other:
        # Another worker's claim, caught between its SELECT … FOR UPDATE and its commit.
        other.exec_driver_sql("SET lock_timeout = '2s'")
        other.execute(db.select(Job.id).where(Job.id == first.id).with_for_update())
        assert jobs.claim_next(utcnow(), "me") == second.id
        other.rollback()
