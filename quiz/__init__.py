"""The contest site: create_app wires configuration, extensions and blueprints."""

import sys

from flask import Flask, has_request_context, request
from flask_babel import format_datetime, format_decimal, format_percent
from werkzeug.middleware.proxy_fix import ProxyFix

from question_bank import display_phone

from . import cli, config, errors, headers, query_args, static_files, triggers  # noqa: F401 - triggers: create_all hooks
from .admin.views import bp as admin_bp
from .announcements.views import bp as announcements_bp
from .api.views import bp as api_bp
from .attempts.views import bp as attempts_bp
from .auth import sessions
from .auth.views import bp as auth_bp
from .bank.views import bp as bank_bp
from .certificates.views import bp as certificates_bp
from .contest.views import bp as contest_bp
from .extensions import babel, csrf, db, init_migrate, limiter, login_manager, mail
from .guide.views import bp as guide_bp
from .jobs.views import bp as jobs_bp
from .judging.views import bp as judging_bp
from .legal.views import bp as legal_bp
from .main.views import bp as main_bp
from .manager.views import bp as manager_bp
from .materials.views import bp as materials_bp
from .practice.views import bp as practice_bp
from .privacy.views import bp as privacy_bp
from .results.views import bp as results_bp
from .teams.views import bp as teams_bp


def select_locale() -> str:
    if not has_request_context():
        return "vi"
    lang = request.cookies.get("lang")
    return lang if lang in ("vi", "en") else "vi"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; wiring only (no database writes, no network)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    env = None
    if test_config is not None and "ENVIRON" in test_config:
        env = test_config.pop("ENVIRON")
    app.config.from_mapping(config.load(app.instance_path, env))
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False  # Vietnamese stays readable in JSON
    if app.config["PROXY_FIX"]:
        n = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    db.init_app(app)
    if "gunicorn" not in sys.modules:  # web workers never migrate: no alembic in them
        init_migrate(app)
    login_manager.init_app(app)
    sessions.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    if app.config["RATELIMIT_ENABLED"] and not app.config.get("REDIS_URL"):
        # Said once at start, so nobody believes ten tries means ten across workers.
        app.logger.warning(
            "REDIS_URL is not set: rate limits are counted per worker process "
            "(set REDIS_URL to share them between workers and app servers)."
        )
    babel.init_app(app, locale_selector=select_locale)
    mail.init_app(app)
    query_args.register(app)
    static_files.init_app(app)

    for bp in (
        main_bp,
        auth_bp,
        admin_bp,
        bank_bp,
        manager_bp,
        api_bp,
        contest_bp,
        attempts_bp,
        practice_bp,
        results_bp,
        privacy_bp,
        legal_bp,
        jobs_bp,
        announcements_bp,
        materials_bp,
        guide_bp,
        certificates_bp,
        judging_bp,
        teams_bp,
    ):
        app.register_blueprint(bp)

    errors.register(app)
    cli.register(app)

    app.jinja_env.filters["datetime"] = lambda v: format_datetime(v, "dd/MM/yyyy HH:mm")
    app.jinja_env.filters["date"] = lambda v: format_datetime(v, "dd/MM/yyyy")
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["percent"] = lambda v: format_percent(v, "#,##0.#%")
    app.jinja_env.filters["phone"] = display_phone

    @app.context_processor
    def _globals():
        return {"contest_name": app.config["CONTEST_NAME"], "lang": select_locale()}

    headers.init_app(app)

    return app
