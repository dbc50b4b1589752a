"""Build the load benchmark's database with the target checkout's own models.

Run by bench/load.py as a script, with the target checkout as cwd and PYTHONPATH, so the schema
and the password hash are those of the code being measured:
    python bench/fixture.py '{"url": ..., "contestants": 300, "questions": 10}'
Prints one JSON line: the two round ids, the logins and their password.
"""

import json
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from question_bank.questions import QuestionRecord
from question_bank.tabular import fold
from quiz import create_app
from quiz.bank import services as bank_services
from quiz.extensions import db
from quiz.models import Contest, Round, Unit, User
from quiz.unit_tree import recompute_paths

PASSWORD = "bench-mat-khau-1"  # noqa: S105 - a throwaway account in a throwaway database
DISTRICTS = 10
COMMUNES_PER_DISTRICT = 12  # 1 + 10 + 120 = 131 units, a province's size


def build(url: str, contestants: int, questions: int, secret: str) -> dict:
    app = create_app(
        {
            "ENVIRON": {"APP_ENV": "production", "SECRET_KEY": secret},
            "SQLALCHEMY_DATABASE_URI": url,
        }
    )
    now = datetime.now(UTC)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:  # our own database: start from nothing
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.create_all()

        province = Unit(code="T", name="Tỉnh Thử", name_search="tinh thu", kind="province")
        db.session.add(province)
        db.session.flush()
        communes = []
        for d in range(1, DISTRICTS + 1):
            district = Unit(
                code=f"H{d}",
                name=f"Huyện {d}",
                name_search=f"huyen {d}",
                kind="district",
                parent_id=province.id,
                headcount=COMMUNES_PER_DISTRICT * 100,
            )
            db.session.add(district)
            db.session.flush()
            for c in range(1, COMMUNES_PER_DISTRICT + 1):
                commune = Unit(
                    code=f"X{d}-{c}",
                    name=f"Xã {d}-{c}",
                    name_search=f"xa {d}-{c}",
                    kind="commune",
                    parent_id=district.id,
                    headcount=100,
                )
                communes.append(commune)
        db.session.add_all(communes)
        db.session.flush()
        recompute_paths()

        # Every choice text is unique, so the check after the run can compare what was
        # acknowledged with what is stored without knowing how choice ids are made.
        bank = bank_services.create_bank("Bench", None, actor=None, now=now)
        records = [
            QuestionRecord(
                row=i,
                topic="Chuyển đổi số" if i % 2 else "Cải cách hành chính",
                text=f"Câu hỏi thử số {i}: phương án nào đúng?",
                choices=tuple(f"Câu {i} phương án {letter}" for letter in "ABCD"),
                answer=i % 4,
                explanation=None,
                source=None,
                difficulty=None,
            )
            for i in range(1, max(60, questions * 3) + 1)
        ]
        bank_services.import_records(bank, records, actor=None, now=now)
        contest = Contest(slug="bench", title="Hội thi đo tải", rules="")
        db.session.add(contest)
        rounds = []
        for title in ("Đợt thi (luồng đầy đủ)", "Đợt thi (bắt đầu cùng lúc)"):
            round_ = Round(
                contest=contest,
                title=title,
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(days=1),
                bank_id=bank.id,
                question_count=questions,
                time_limit_seconds=3600,
                attempts_allowed=1,
            )
            db.session.add(round_)
            rounds.append(round_)

        # One real hash with the app's own method, shared by every account: logging in costs
        # what it costs in production, creating 3,000 accounts does not take 5 minutes.
        probe = User()
        probe.set_password(PASSWORD, now=now)
        logins = [f"thi-sinh-{i}@bench.vn" for i in range(1, contestants + 1)]
        db.session.execute(
            insert(User),
            [
                {
                    "full_name": f"Thí Sinh {i}",
                    "name_search": fold(f"Thí Sinh {i}"),
                    "email": login,
                    "password_hash": probe.password_hash,
                    "unit_id": communes[i % len(communes)].id,
                    "role": "contestant",
                    "participant_group": "staff",
                    "created_at": now,
                    "password_changed_at": now,
                }
                for i, login in enumerate(logins, start=1)
            ],
        )
        db.session.commit()
        result = {
            "rounds": [r.id for r in rounds],
            "logins": logins,
            "password": PASSWORD,
            "attempts_allowed": 1,
        }
        db.session.remove()
        db.engine.dispose()
    return result


if __name__ == "__main__":
    args = json.loads(sys.argv[1])
    print(json.dumps(build(args["url"], args["contestants"], args["questions"], args["secret"])))
