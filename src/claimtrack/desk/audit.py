"""The audit trail for admins: every write, filterable by actor, entity, action and dates."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from claimtrack.accounts.access import ADMINS, requires_role
from claimtrack.accounts.models import User
from claimtrack.audit.models import AuditEvent
from claimtrack.db import get_session
from claimtrack.forms import QueryForm

bp = Blueprint("audit", __name__, url_prefix="/desk/audit")

PAGE_SIZE = 50


class AuditFilterForm(QueryForm):
    actor = SelectField("Actor", choices={}, validate_choice=False)
    entity = SelectField("Entity", choices={}, validate_choice=False)
    action = SelectField("Action", choices={}, validate_choice=False)
    since = DateField("From", validators=[Optional()])
    until = DateField("Until", validators=[Optional()])
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1)], default=1)


def _choices(column: InstrumentedAttribute[str]) -> dict[str, str]:
    values = get_session().scalars(select(column).distinct().order_by(column)).all()
    return {"": "Any", **{v: v for v in values if v}}


def _filtered(form: AuditFilterForm) -> Select[AuditEvent]:
    query = select(AuditEvent)
    if form.actor.data == "system":
        query = query.where(AuditEvent.actor_id.is_(None))
    elif form.actor.data and form.actor.data.isdigit():
        query = query.where(AuditEvent.actor_id == int(form.actor.data))
    if form.entity.data:
        query = query.where(AuditEvent.entity == form.entity.data)
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data)
    if form.since.data:
        query = query.where(AuditEvent.at >= dt.datetime.combine(form.since.data, dt.time.min, dt.UTC))
    if form.until.data:
        # "Until" includes the whole day.
        end = dt.datetime.combine(form.until.data + dt.timedelta(days=1), dt.time.min, dt.UTC)
        query = query.where(AuditEvent.at < end)
    return query


@bp.get("/")
@requires_role(*ADMINS)
def index() -> tuple[str, int] | str:
    session = get_session()
    form = AuditFilterForm(request.args)
    users = session.execute(select(User.id, User.email).order_by(User.email)).all()
    form.actor.choices = {"": "Anyone", "system": "The system", **{str(uid): email for uid, email in users}}
    form.entity.choices = _choices(AuditEvent.entity)
    form.action.choices = _choices(AuditEvent.action)
    if not form.validate():
        return render_template("desk/audit.html", form=form, events=[], page=1, pages=1, total=0), 422
    query = _filtered(form)
    # Counted over the filtered query as a subquery: swapping its columns for count() would drop
    # the FROM when no filter names the table, and count one row.
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(form.page.data or 1, pages)
    events = session.scalars(
        query.options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("desk/audit.html", form=form, events=events, page=page, pages=pages, total=total)
