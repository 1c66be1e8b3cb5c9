"""Desk pages for speakers and topics: the lists, a speaker's edit page, merging two speakers, renaming a topic.

Anyone on the desk may look the lists up; editors and admins change what the public pages name.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import IntegerField

from claimtrack.accounts.access import EDITORS, desk_user, requires_role
from claimtrack.claims.models import Topic
from claimtrack.db import get_or_404, get_session
from claimtrack.errors import Invalid
from claimtrack.speakers.directory import suggest_speakers
from claimtrack.speakers.forms import ConfirmMergeForm, MergeForm, SpeakerForm, TopicForm
from claimtrack.speakers.listing import PER_PAGE, likely_duplicates, speaker_list, speaker_usage, topic_list
from claimtrack.speakers.management import (
    StaleSpeaker,
    find_merge_partner,
    merge_speakers,
    rename_topic,
    update_speaker,
)
from claimtrack.speakers.models import Speaker

bp = Blueprint("speakers", __name__, url_prefix="/desk")

Page = str | Response | tuple[str, int]
#: The merge form shares the speaker's page with the edit form: its fields are named merge-other, merge-keep, ...
MERGE_PREFIX = "merge"


def _show_version(field: IntegerField, version: int) -> None:
    """Put ``version`` in a hidden field of a form sent back (a number field shows what was sent, else)."""
    field.data, field.raw_data = version, [str(version)]


def _page_arg() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and int(value) >= 1 else 1


@bp.get("/speakers/")
@requires_role()
def index() -> str:
    """Speakers by name, searched by a part of a name or alias, a page at a time."""
    session, query, page = get_session(), request.args.get("q", "").strip()[:200], _page_arg()
    rows, total = speaker_list(session, query, page)
    pages = max(1, -(-total // PER_PAGE))
    # Nothing contains those letters: offer the names they most resemble ("Peskof").
    suggestions = suggest_speakers(session, query) if query and not total else []
    return render_template("desk/speakers.html", rows=rows, total=total, query=query, page=page, pages=pages,
                           suggestions=suggestions)


def _speaker_form(speaker: Speaker) -> SpeakerForm:
    aliases = "\n".join(a.alias for a in speaker.aliases)
    return SpeakerForm(data={"name": speaker.name, "role_title": speaker.role_title or "", "aliases": aliases,
                             "version": speaker.version})


def _render_edit(
    speaker: Speaker, form: SpeakerForm, merge_form: MergeForm | None = None, status: int = 200, conflict: bool = False
) -> tuple[str, int]:
    session = get_session()
    merge_form = merge_form or MergeForm(formdata=None, data={"version": speaker.version}, prefix=MERGE_PREFIX)
    return render_template(
        "desk/speaker_edit.html", speaker=speaker, form=form, merge_form=merge_form, conflict=conflict,
        usage=speaker_usage(session, speaker), duplicates=likely_duplicates(session, speaker),
    ), status


@bp.route("/speakers/<int:speaker_id>", methods=["GET", "POST"])
@requires_role(*EDITORS)
def edit(speaker_id: int) -> Page:
    """Change a speaker's name, role or title and aliases; a save made to an outdated version answers 409.

    :raise 404: when there is no such speaker.
    """
    speaker = get_or_404(Speaker, speaker_id, "speaker")
    form = SpeakerForm() if request.method == "POST" else _speaker_form(speaker)
    if not form.validate_on_submit():
        return _render_edit(speaker, form, status=422 if form.is_submitted() else 200)
    assert form.version.data is not None  # required: set once the form validated
    with form.domain_errors():
        try:
            changed = update_speaker(get_session(), speaker, name=form.name.data or "", role_title=form.role_title.data,
                                     aliases=form.alias_lines(), actor=desk_user(), version=form.version.data)
        except StaleSpeaker as exc:
            # Keep what this user typed, now based on the version shown beside it, so saving again is a choice.
            _show_version(form.version, exc.current_version)
            return _render_edit(speaker, form, status=exc.status, conflict=True)
        flash(f"Saved {speaker.name}." if changed else "Nothing changed.", "info")
        return redirect(url_for("speakers.edit", speaker_id=speaker.id))
    return _render_edit(speaker, form, status=form.error_status)


@bp.post("/speakers/<int:speaker_id>/merge")
@requires_role(*EDITORS)
def merge(speaker_id: int) -> Page:
    """Step one of a merge: find the other speaker and show what merging would do, to confirm.

    :raise 404: when there is no such speaker.
    """
    session = get_session()
    speaker = get_or_404(Speaker, speaker_id, "speaker")
    form = MergeForm(prefix=MERGE_PREFIX)
    if form.validate_on_submit():
        with form.domain_errors(fallback="other"):
            other = find_merge_partner(session, speaker, form.other.data)
            versions = {speaker.id: form.version.data, other.id: other.version}
            keep, gone = (speaker, other) if form.keep.data == "this" else (other, speaker)
            confirm = ConfirmMergeForm(formdata=None, data={
                "keep_id": keep.id, "other_id": gone.id, "keep_version": versions[keep.id],
                "other_version": versions[gone.id],
            })
            return _render_merge(keep, gone, confirm, 200)
    return _render_edit(speaker, _speaker_form(speaker), merge_form=form, status=form.error_status)


def _render_merge(keep: Speaker, other: Speaker, form: ConfirmMergeForm, status: int) -> tuple[str, int]:
    session = get_session()
    return render_template(
        "desk/speaker_merge.html", keep=keep, other=other, form=form,
        keep_usage=speaker_usage(session, keep), other_usage=speaker_usage(session, other),
    ), status


@bp.post("/speakers/merge")
@requires_role(*EDITORS)
def confirm_merge() -> Page:
    """Step two: merge the speakers as confirmed, if neither changed since.

    :raise Invalid: (422) when the confirmation form was not sent whole.
    :raise 404: when either speaker is gone (merged away by someone else, say).
    """
    form = ConfirmMergeForm()
    if not form.validate_on_submit():
        raise Invalid("the merge was not confirmed as shown: start again from the speaker's page")
    assert form.keep_id.data is not None and form.other_id.data is not None  # required: set once the form validated
    keep = get_or_404(Speaker, form.keep_id.data, "speaker")
    other = get_or_404(Speaker, form.other_id.data, "speaker")
    with form.domain_errors():
        try:
            result = merge_speakers(get_session(), keep, other, actor=desk_user(),
                                    keep_version=form.keep_version.data, other_version=form.other_version.data)
        except StaleSpeaker as exc:
            flash(f"{exc.message} Here is the merge again, as both speakers stand now.", "error")
            _show_version(form.keep_version, keep.version)
            _show_version(form.other_version, other.version)
            return _render_merge(keep, other, form, exc.status)
        flash(result.summary(), "info")
        return redirect(url_for("speakers.edit", speaker_id=keep.id))
    return _render_merge(keep, other, form, form.error_status)


@bp.get("/topics/")
@requires_role()
def topics() -> str:
    """Every topic, with how many statements are filed under it."""
    return render_template("desk/topics.html", topics=topic_list(get_session()))


@bp.route("/topics/<int:topic_id>", methods=["GET", "POST"])
@requires_role(*EDITORS)
def edit_topic(topic_id: int) -> Page:
    """Rename a topic; its old address redirects to the new one.

    :raise 404: when there is no such topic.
    """
    topic = get_or_404(Topic, topic_id, "topic")
    old_name = topic.name
    form = TopicForm() if request.method == "POST" else TopicForm(data={"name": topic.name})
    if form.validate_on_submit():
        with form.domain_errors():
            changed = rename_topic(get_session(), topic, form.name.data or "", actor=desk_user())
            flash(f"Renamed \u201c{old_name}\u201d to \u201c{topic.name}\u201d." if changed else "Nothing changed.", "info")
            return redirect(url_for("speakers.topics"))
    status = form.error_status if form.is_submitted() else 200
    return render_template("desk/topic_edit.html", topic=topic, form=form), status
