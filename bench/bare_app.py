"""The bare stack: Flask + Flask-SQLAlchemy and nothing of ours, for the load benchmark's ratios.

Served by the same gunicorn settings against the same database as the app being measured:
    DATABASE_URL=... gunicorn bench.bare_app:app
/ok answers a constant; /one runs one SELECT of one row by primary key through the session.
"""

import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"].replace(
    "postgresql://", "postgresql+psycopg://", 1
)
app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}  # as the app's config
db = SQLAlchemy(app)


@app.get("/ok")
def ok():
    return "ok"


@app.get("/one")
def one():
    title = db.session.execute(text("SELECT title FROM round WHERE id = 1")).scalar_one()
    return {"title": title}
