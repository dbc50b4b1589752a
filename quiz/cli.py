"""Flask commands (DESIGN.md §6): `flask --app wsgi …`."""

import signal
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask_babel import gettext as _

from question_bank.people import display_phone, read_people
from question_bank.units import read_units

from .admin import services
from .attempts import services as attempt_services
from .auth.services import check_new_password, parse_login
from .bank import services as bank_services
from .config import DEV_ENVS
from .contest import services as contest_services
from .errors import DomainError
from .extensions import db
from .jobs import worker as job_worker
from .legal import queries as legal_queries
from .legal import services as legal_services
from .models import Contest, Round, Unit, User, utcnow
from .query_args import strict_int
from .results import exports, publication
from .seed import seed
from .timeutil import parse_local


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _print_problems(problems) -> None:
    for p in problems:
        where = _("dòng %(row)s", row=p.row) if p.row else _("tệp")
        if p.column:
            where += ", " + _("cột %(column)s", column=p.where(_))
        click.echo(f"  - {where}: {p.text(_)}", err=True)


def _open(path: str):
    try:
        return Path(path).open("rb")
    except OSError as err:
        _fail(_("Không mở được tệp %(path)s: %(reason)s", path=path, reason=err.strerror))


units_cli = click.Group("units", help="Đơn vị: nhập cây đơn vị từ tệp.")
bank_cli = click.Group("bank", help="Ngân hàng câu hỏi: nạp và xuất câu hỏi.")
users_cli = click.Group("users", help="Tài khoản: tạo một tài khoản hoặc nhập hàng loạt.")


@units_cli.command("import")
@click.argument("file")
def units_import(file: str) -> None:
    """Load or update the unit tree from an XLSX or CSV file (all or nothing)."""

    with _open(file) as stream:
        result = read_units(stream, file, services.existing_unit_parents())
    if not result.ok:
        click.echo(_("Tệp có %(n)d lỗi, không nhập gì:", n=len(result.problems)), err=True)
        _print_problems(result.problems)
        raise SystemExit(1)
    counts = services.import_units(result.records, actor=None, now=utcnow())
    click.echo(_("Đã nhập đơn vị: %(created)d mới, %(updated)d cập nhật.", **counts))


@users_cli.command("import")
@click.argument("file")
@click.option("--out", "out", required=True, help="Tệp XLSX ghi tài khoản và mật khẩu ban đầu.")
def users_import(file: str, out: str) -> None:
    """Create accounts in bulk; initial passwords go to the --out XLSX file."""

    if not out.lower().endswith(".xlsx"):
        _fail(_("Tệp kết quả (--out) phải có đuôi .xlsx."))
    unit_codes = set(db.session.execute(db.select(Unit.code)).scalars())
    taken = {x for pair in db.session.execute(db.select(User.email, User.phone)) for x in pair if x}
    with _open(file) as stream:
        result = read_people(stream, file, unit_codes, taken)
    if not result.ok:
        click.echo(_("Tệp có %(n)d lỗi, không nhập gì:", n=len(result.problems)), err=True)
        _print_problems(result.problems)
        raise SystemExit(1)
    out_path = Path(out)
    if not out_path.parent.exists():
        _fail(_("Thư mục của tệp kết quả không tồn tại: %(path)s", path=str(out_path.parent)))
    try:
        created = services.import_people(result.records, actor=None, now=utcnow())
    except DomainError as err:
        _fail(err.text())
    out_path.write_bytes(services.credentials_xlsx(created, utcnow()))
    click.echo(
        _(
            "Đã tạo %(n)d tài khoản; mật khẩu ban đầu ghi trong %(out)s.",
            n=len(created),
            out=out,
        )
    )


@users_cli.command("create")
@click.option("--login", required=True, help="Email hoặc số điện thoại.")
@click.option("--name", required=True, help="Họ và tên.")
@click.option("--unit", "unit_code", required=True, help="Mã đơn vị.")
@click.option(
    "--role",
    default="contestant",
    type=click.Choice(["contestant", "unit_manager", "admin", "judge"]),
)
@click.option("--group", default="staff", type=click.Choice(["staff", "citizen"]))
@click.option(
    "--organizer-staff",
    is_flag=True,
    default=False,
    help="Thành viên Ban Tổ chức: được dự thi, không xét giải.",
)
# Without --password it is asked for, hidden and twice, so it stays out of the shell
# history and the process list; scripts may still pass it (DESIGN §6).
@click.option(
    "--password",
    prompt="Mật khẩu",
    hide_input=True,
    confirmation_prompt="Nhập lại mật khẩu",
    help="Mật khẩu (bỏ trống để nhập ẩn khi được hỏi).",
)
def users_create(
    login: str,
    name: str,
    unit_code: str,
    role: str,
    group: str,
    organizer_staff: bool,
    password: str,
):
    """Create one account."""

    email, phone = parse_login(login)
    if not email and not phone:
        _fail(_("“%(login)s” không phải email hay số điện thoại hợp lệ.", login=login))
    try:
        check_new_password(password, password)
        user = services.create_user(
            actor=None,
            now=utcnow(),
            unit_code=unit_code,
            full_name=name,
            email=email,
            phone=phone,
            password=password,
            role=role,
            group=group,
            organizer_staff=organizer_staff,
        )
    except DomainError as err:
        _fail(err.text())
    login = user.email or display_phone(user.phone)
    click.echo(_("Đã tạo tài khoản %(login)s (id %(id)d).", login=login, id=user.id))


@bank_cli.command("import")
@click.argument("file")
@click.option("--bank", "bank_name", required=True, help="Tên ngân hàng (tạo mới nếu chưa có).")
@click.option("--topic", default=None, help="Chủ đề cho tệp Aiken (.txt), vốn không ghi chủ đề.")
def bank_import(file: str, bank_name: str, topic: str | None) -> None:
    """Load questions (XLSX, CSV, GIFT .gift, Aiken .txt) into a bank, all or nothing."""
    if not bank_name.strip():
        _fail(_("Vui lòng nhập tên ngân hàng câu hỏi."))
    with _open(file) as stream:
        data = stream.read()
    try:
        bank, result, counts = bank_services.import_file(
            bank_name, data, file, actor=None, now=utcnow(), topic=topic
        )
    except DomainError as err:
        _fail(err.text())
    if counts is None:
        click.echo(_("Tệp có %(n)d lỗi, không nạp câu hỏi nào:", n=len(result.problems)), err=True)
        _print_problems(result.problems)
        raise SystemExit(1)
    for name, n in sorted(counts.items()):
        click.echo(f"  {name}: {n}")
    click.echo(
        _("Đã thêm %(n)d câu hỏi vào ngân hàng “%(bank)s”.", n=sum(counts.values()), bank=bank.name)
    )


@bank_cli.command("export")
@click.argument("bank_name", metavar="BANK")
@click.option("--format", "fmt", required=True, type=click.Choice(["xlsx", "csv", "aiken", "gift"]))
@click.option("--out", "out", required=True, help="Tệp ghi ra.")
def bank_export(bank_name: str, fmt: str, out: str) -> None:
    """Write a bank's current questions to a file."""
    bank = bank_services.bank_by_name(bank_name)
    if bank is None:
        _fail(_("Không có ngân hàng câu hỏi tên “%(name)s”.", name=bank_name))
    records = bank_services.current_records(bank)
    try:
        Path(out).write_bytes(bank_services.EXPORT_FORMATS[fmt][2](records))
    except OSError as err:
        _fail(_("Không ghi được tệp %(path)s: %(reason)s", path=out, reason=err.strerror))
    click.echo(_("Đã xuất %(n)d câu hỏi ra %(out)s.", n=len(records), out=out))


contests_cli = click.Group("contests", help="Hội thi: tạo hội thi.")
rounds_cli = click.Group("rounds", help="Đợt thi: tạo đợt thi.")
attempts_cli = click.Group("attempts", help="Bài thi: chốt các bài đã hết giờ.")


@contests_cli.command("create")
@click.option("--slug", required=True, help="Đường dẫn, ví dụ hoi-thi-cds-2026.")
@click.option("--title", required=True, help="Tên hội thi.")
@click.option("--rules-file", default=None, help="Tệp Markdown (UTF-8) chứa thể lệ.")
@click.option(
    "--kind",
    default="quiz",
    type=click.Choice(["quiz", "entries", "teams"]),
    help="Loại hội thi: quiz (thi trắc nghiệm), entries (tác phẩm dự thi), teams (đội thi).",
)
def contests_create(slug: str, title: str, rules_file: str | None, kind: str) -> None:
    """Create a contest."""
    rules = ""
    if rules_file:
        with _open(rules_file) as stream:
            try:
                rules = stream.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                _fail(_("Tệp thể lệ phải dùng bảng mã UTF-8."))
    try:
        contest = contest_services.create_contest(
            slug, title, rules, kind=kind, actor=None, now=utcnow()
        )
    except DomainError as err:
        _fail(err.text())
    click.echo(_("Đã tạo hội thi “%(title)s” (%(slug)s).", title=contest.title, slug=contest.slug))


def _time(value: str, option: str) -> datetime:
    try:
        return parse_local(value)
    except ValueError:
        _fail(
            _(
                "%(option)s: “%(value)s” không phải thời điểm ISO 8601 (ví dụ "
                "2026-11-23T08:00 hoặc 2026-11-23T08:00+07:00).",
                option=option,
                value=value,
            )
        )


@rounds_cli.command("create")
@click.option("--contest", "slug", required=True, help="Slug của hội thi.")
@click.option("--title", required=True)
@click.option("--bank", "bank_name", required=True, help="Ngân hàng câu hỏi.")
@click.option("--citizen-bank", default=None, help="Ngân hàng riêng cho Nhân dân (tùy chọn).")
@click.option("--questions", type=click.IntRange(1, 200), required=True)
@click.option("--time-limit", type=click.IntRange(30, 86400), required=True, help="Giây.")
@click.option("--opens", required=True, help="ISO 8601; không ghi múi giờ = giờ Việt Nam.")
@click.option("--closes", required=True, help="ISO 8601; không ghi múi giờ = giờ Việt Nam.")
@click.option("--draw", "draws", multiple=True, help="CHỦ ĐỀ=SỐ_CÂU, lặp lại được.")
@click.option("--attempts", type=click.IntRange(1, 100), default=1, show_default=True)
@click.option("--grace", type=click.IntRange(0, 600), default=10, show_default=True)
@click.option(
    "--prediction", type=click.Choice(["perfect", "participants", "none"]), default="none"
)
@click.option(
    "--review", type=click.Choice(["after_close", "after_submit", "never"]), default="after_close"
)
@click.option("--groups", type=click.Choice(["all", "staff", "citizen"]), default="all")
@click.option("--no-shuffle", is_flag=True, help="Giữ nguyên thứ tự câu hỏi và phương án.")
def rounds_create(
    slug,
    title,
    bank_name,
    citizen_bank,
    questions,
    time_limit,
    opens,
    closes,
    draws,
    attempts,
    grace,
    prediction,
    review,
    groups,
    no_shuffle,
) -> None:
    """Create a round; prints the new round's id alone on its last line."""
    contest = db.session.execute(db.select(Contest).filter_by(slug=slug)).scalar_one_or_none()
    if contest is None:
        _fail(_("Không có hội thi “%(slug)s”.", slug=slug))
    banks = {}
    for name in filter(None, (bank_name, citizen_bank)):
        banks[name] = bank_services.bank_by_name(name)
        if banks[name] is None:
            _fail(_("Không có ngân hàng câu hỏi tên “%(name)s”.", name=name))
    rules: dict[str, int] = {}
    for item in draws:
        topic, sep, count = item.rpartition("=")
        number = strict_int(count.strip())
        if not sep or not topic.strip() or number is None:
            _fail(_("--draw cần dạng CHỦ_ĐỀ=SỐ_CÂU, nhận được “%(value)s”.", value=item))
        rules[topic.strip()] = number
    settings = contest_services.RoundSettings(
        title=title,
        opens_at=_time(opens, "--opens"),
        closes_at=_time(closes, "--closes"),
        bank_id=banks[bank_name].id,
        citizen_bank_id=banks[citizen_bank].id if citizen_bank else None,
        question_count=questions,
        time_limit_seconds=time_limit,
        draws=rules,
        attempts_allowed=attempts,
        grace_seconds=grace,
        prediction=prediction,
        review_policy=review,
        shuffle_questions=not no_shuffle,
        shuffle_choices=not no_shuffle,
        allow_staff=groups in ("all", "staff"),
        allow_citizen=groups in ("all", "citizen"),
    )
    try:
        round_ = contest_services.create_round(contest, settings, actor=None, now=utcnow())
    except DomainError as err:
        _fail(err.text())
    click.echo(_("Đã tạo đợt thi “%(title)s” của hội thi %(slug)s.", title=round_.title, slug=slug))
    for warning in legal_queries.round_warning_messages(round_):
        click.echo(warning)
    click.echo(str(round_.id))


@attempts_cli.command("close-expired")
def attempts_close_expired() -> None:
    """Finalize attempts left open past their deadline (run it from cron every minute)."""
    done, failed = attempt_services.close_expired(utcnow())
    click.echo(_("Đã chốt %(done)d bài thi hết giờ; %(failed)d bài lỗi.", done=done, failed=failed))
    if failed:
        raise SystemExit(1)


results_cli = click.Group("results", help="Kết quả: công bố và xuất kết quả đợt thi.")


def _round(value: str) -> Round:
    # An id PostgreSQL's integer column can hold; anything else names no round.
    valid = value.isascii() and value.isdigit() and int(value) < 2**31
    round_ = db.session.get(Round, int(value)) if valid else None
    if round_ is None:
        _fail(_("Không có đợt thi %(id)s.", id=value))
    return round_


@results_cli.command("publish")
@click.argument("round_id", metavar="ROUND")
def results_publish(round_id: str) -> None:
    """Freeze and publish a round's ranking and prizes."""
    round_ = _round(round_id)
    try:
        ranked = publication.publish(round_, actor=None, now=utcnow())
    except DomainError as err:
        _fail(err.text())
    click.echo(
        _(
            "Đã công bố kết quả đợt thi “%(title)s”: %(n)d người được xếp hạng.",
            title=round_.title,
            n=ranked,
        )
    )


@results_cli.command("export")
@click.argument("round_id", metavar="ROUND")
@click.option("--out", "out", required=True, help="Tệp XLSX ghi kết quả.")
def results_export(round_id: str, out: str) -> None:
    """Write a round's ranking, prizes and unit participation to an XLSX file."""
    if not out.lower().endswith(".xlsx"):
        _fail(_("Tệp kết quả (--out) phải có đuôi .xlsx."))
    out_path = Path(out)
    if not out_path.parent.is_dir():
        _fail(_("Thư mục của tệp kết quả không tồn tại: %(path)s", path=str(out_path.parent)))
    round_ = _round(round_id)
    data = exports.results_workbook(round_, now=utcnow())
    try:
        out_path.write_bytes(data)
    except OSError as err:
        _fail(_("Không ghi được tệp %(path)s: %(reason)s", path=out, reason=err.strerror))
    state = _("đã công bố") if round_.results_published_at else _("bản xem trước, chưa công bố")
    click.echo(
        _(
            "Đã xuất kết quả đợt thi “%(title)s” (%(state)s) ra %(out)s.",
            title=round_.title,
            state=state,
            out=out,
        )
    )


@click.command("seed-demo")
def seed_demo() -> None:
    """A demo province, its units and demo accounts (only into an empty database)."""
    if current_app.config["APP_ENV"] not in DEV_ENVS:
        # Demo accounts with printed passwords have no place on a live site.
        _fail(
            _(
                "Không chạy dữ liệu mẫu khi APP_ENV là %(env)s: chỉ dùng cho "
                "development hoặc test.",
                env=current_app.config["APP_ENV"],
            )
        )
    accounts = seed(now=utcnow())
    if accounts is None:
        click.echo(_("Cơ sở dữ liệu đã có dữ liệu: bỏ qua dữ liệu mẫu."))
        return
    click.echo(_("Đã tạo dữ liệu mẫu. Tài khoản demo (chỉ in một lần):"))
    for role, login, password in accounts:
        click.echo(f"  {role:<14} {login:<32} {password}")


legal_cli = click.Group("legal", help="Danh mục văn bản pháp luật: nhập và xuất.")


@legal_cli.command("import")
@click.argument("file")
def legal_import(file: str) -> None:
    """Add or update register entries from an XLSX or CSV file, all or nothing."""
    with _open(file) as stream:
        data = stream.read()
    result, counts = legal_services.import_file(data, file, actor=None, now=utcnow())
    if counts is None:
        click.echo(_("Tệp có %(n)d lỗi, không nhập văn bản nào:", n=len(result.problems)), err=True)
        _print_problems(result.problems)
        raise SystemExit(1)
    click.echo(
        _(
            "Đã nhập danh mục: thêm %(added)d, cập nhật %(updated)d văn bản; "
            "liên kết thêm %(linked)d câu hỏi.",
            added=counts.added,
            updated=counts.updated,
            linked=counts.linked,
        )
    )


@legal_cli.command("export")
@click.option("--out", "out", required=True, help="Tệp .xlsx ghi ra.")
def legal_export(out: str) -> None:
    """Write the register to an XLSX file that `legal import` reads back."""
    try:
        Path(out).write_bytes(legal_services.export_xlsx())
    except OSError as err:
        _fail(_("Không ghi được tệp %(path)s: %(reason)s", path=out, reason=err.strerror))
    click.echo(_("Đã xuất danh mục văn bản ra %(out)s.", out=out))


jobs_cli = click.Group("jobs", help="Tác vụ nền: nhập, xuất dữ liệu lớn bắt đầu từ trang quản trị.")


@jobs_cli.command("work")
@click.option("--once", is_flag=True, help="Xử lý hết hàng đợi hiện có rồi dừng (cho cron).")
@click.option(
    "--max-seconds",
    type=click.FloatRange(min=0),
    default=None,
    help="Không nhận tác vụ mới sau chừng ấy giây (tác vụ đang chạy vẫn làm xong).",
)
@click.option(
    "--poll", type=click.FloatRange(min=0.1), default=1.0, help="Giây giữa hai lần xem hàng đợi."
)
def jobs_work(once: bool, max_seconds: float | None, poll: float) -> None:
    """Run background jobs (imports, exports) until stopped; several workers may run at once."""
    stopping = []

    def stop(signum, _frame):
        # SIGTERM (systemd, `make run` ending): finish the job at hand, then exit.
        stopping.append(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        done, failed = job_worker.work(
            once=once, max_seconds=max_seconds, poll_seconds=poll, stop=lambda: bool(stopping)
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo(_("Đã xử lý %(done)d tác vụ, %(failed)d tác vụ lỗi.", done=done, failed=failed))


def register(app: Flask) -> None:
    app.cli.add_command(legal_cli)
    app.cli.add_command(units_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(contests_cli)
    app.cli.add_command(rounds_cli)
    app.cli.add_command(attempts_cli)
    app.cli.add_command(results_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(jobs_cli)
