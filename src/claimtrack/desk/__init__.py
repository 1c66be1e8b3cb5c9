"""The fact-checker desk: logging, rating, publishing and reviewing, behind a login.

:func:`init_app` wires the login manager and every desk blueprint into the app.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from claimtrack.accounts import access
    from claimtrack.accounts.routes import bp as accounts_bp
    from claimtrack.accounts.team_routes import bp as team_bp
    from claimtrack.claims.routes import bp as claims_bp
    from claimtrack.desk.audit import bp as audit_bp
    from claimtrack.desk.retractions import bp as retractions_bp
    from claimtrack.desk.routes import bp as desk_bp
    from claimtrack.outcomes.routes import bp as outcomes_bp
    from claimtrack.ratings.routes import bp as ratings_bp
    from claimtrack.speakers.routes import bp as speakers_bp
    from claimtrack.spotting.routes import bp as spotting_bp

    access.init_app(app)
    for blueprint in (accounts_bp, team_bp, desk_bp, claims_bp, ratings_bp, outcomes_bp, audit_bp, spotting_bp,
                      speakers_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(retractions_bp)
