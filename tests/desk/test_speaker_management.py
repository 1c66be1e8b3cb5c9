"""Speakers and topics are managed on the desk: edited, merged and renamed by editors, audited, and their
old public addresses keep working."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.articles.services import record_appearance
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.models import ChangeKind, Statement, StatementChange, StatementRevision, Topic
from claimtrack.claims.services import log_statement
from claimtrack.demo import load_fixtures
from claimtrack.errors import Invalid, PermissionDenied
from claimtrack.speakers.directory import SpeakerDirectory
from claimtrack.speakers.management import StaleSpeaker, merge_speakers, rename_topic, update_speaker
from claimtrack.speakers.models import SlugRedirect, Speaker, SpeakerAlias
from claimtrack.speakers.services import create_speaker, find_speaker_by_name
from claimtrack.spotting.live_index import LiveIndex
from tests.desk.conftest import see_committed


def _statement(session: Session, speaker: Speaker, text: str, topics: tuple[str, ...] = ()) -> Statement:
    statement = log_statement(session, text, speaker=speaker, said_on=dt.date(2025, 12, 2), topics=topics)
    workflow.publish(session, statement, None, version=None)
    return statement


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _logged(session: Session, statement_ids: list[int], after_seq: int) -> bool:
    """Whether each statement has an upsert in the change log after ``after_seq``."""
    logged = set(session.scalars(select(StatementChange.statement_id).where(
        StatementChange.seq > after_seq, StatementChange.kind == ChangeKind.UPSERT,
    )))
    return set(statement_ids) <= logged


def _last_seq(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.max(StatementChange.seq), 0))) or 0


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(rf'value="([^"]*)"[^>]*name="{name}"', page)
    assert found is not None, f"no hidden field {name}"
    return found.group(1)


def _merge_step(other: str, keep: str, version: int) -> dict[str, Any]:
    """What the merge form on a speaker's page sends."""
    return {"merge-other": other, "merge-keep": keep, "merge-version": version}


def _edit(speaker: Speaker, **changes: Any) -> dict[str, Any]:
    data = {"name": speaker.name, "role_title": speaker.role_title or "",
            "aliases": "\n".join(a.alias for a in speaker.aliases), "version": speaker.version}
    return {**data, **changes}


@pytest.fixture
def peskov(session: Session) -> Speaker:
    speaker = create_speaker(session, "Dmitri Peskov", role_title="Kremlin spokesman", aliases=["the Kremlin"])
    _statement(session, speaker, "Any deal needs radical changes to the American proposals.")
    session.commit()
    return speaker


# -- editing -------------------------------------------------------------------------------------


def test_an_editor_renames_a_speaker_and_the_old_address_redirects(
    session: Session, editor_client: FlaskClient, client: FlaskClient, peskov: Speaker
) -> None:
    seq = _last_seq(session)
    response = editor_client.post(f"/desk/speakers/{peskov.id}", data=_edit(
        peskov, name="Dmitry Peskov", role_title="Kremlin spokesperson", aliases="the Kremlin\n Peskov \n\npeskov\nDmitry  Peskov",
    ))
    assert response.status_code == 302 and response.location == f"/desk/speakers/{peskov.id}"
    see_committed(session)
    assert (peskov.name, peskov.slug, peskov.role_title) == ("Dmitry Peskov", "dmitry-peskov", "Kremlin spokesperson")
    # Blank lines, repeats (ignoring case) and the name itself are left out.
    assert [a.alias for a in peskov.aliases] == ["Peskov", "the Kremlin"]
    assert peskov.version == 2

    moved = client.get("/speakers/dmitri-peskov?page=1")
    assert moved.status_code == 301 and moved.location == "/speakers/dmitry-peskov?page=1"
    page = client.get("/speakers/dmitry-peskov").get_data(as_text=True)
    assert "Dmitry Peskov" in page and "radical changes" in page

    (event,) = _events(session, "update")
    assert event.entity == "speakers" and event.entity_id == peskov.id
    assert event.before is not None and event.after is not None
    assert (event.before["name"], event.before["aliases"]) == ("Dmitri Peskov", ["the Kremlin"])
    assert (event.after["name"], event.after["aliases"]) == ("Dmitry Peskov", ["Peskov", "the Kremlin"])
    # The match index holds the speaker's name with each statement: they are logged again.
    assert _logged(session, [s.id for s in peskov.statements], seq)


def test_the_speaker_directory_knows_a_new_name_and_alias_at_once(
    session: Session, editor_client: FlaskClient, peskov: Speaker
) -> None:
    editor_client.post(f"/desk/speakers/{peskov.id}", data=_edit(peskov, name="Dmitry Peskov", aliases="Putin's spokesman"))
    see_committed(session)
    directory = SpeakerDirectory.load(session)
    hit = directory.resolve("Putin's spokesman")
    assert hit is not None and (hit.speaker_id, hit.name) == (peskov.id, "Dmitry Peskov")
    assert directory.resolve("the Kremlin") is None or directory.resolve("the Kremlin").speaker_id != peskov.id  # type: ignore[union-attr]
    suggested = editor_client.get("/desk/speakers/suggest?q=Dmitry%20Pesk").get_json()["speakers"]
    assert suggested[0]["name"] == "Dmitry Peskov"


def test_a_save_that_changes_nothing_writes_nothing(session: Session, editor: User, peskov: Speaker) -> None:
    events = len(_events(session, "update"))
    changed = update_speaker(session, peskov, name=" Dmitri  Peskov", role_title="Kremlin spokesman",
                             aliases=["the Kremlin", ""], actor=editor, version=peskov.version)
    session.commit()
    assert changed is False and peskov.version == 1 and len(_events(session, "update")) == events
    assert session.scalar(select(func.count()).select_from(SlugRedirect)) == 0


def test_fact_checkers_may_look_speakers_and_topics_up_but_not_change_them(
    session: Session, fc_client: FlaskClient, fact_checker: User, peskov: Speaker
) -> None:
    listing = fc_client.get("/desk/speakers/")
    assert listing.status_code == 200 and "Dmitri Peskov" in listing.get_data(as_text=True)
    assert f"/desk/speakers/{peskov.id}" not in listing.get_data(as_text=True), "no edit link for a fact-checker"
    assert fc_client.get("/desk/topics/").status_code == 200
    topic = session.scalars(select(Topic)).first()
    assert fc_client.get(f"/desk/speakers/{peskov.id}").status_code == 403
    assert fc_client.post(f"/desk/speakers/{peskov.id}", data=_edit(peskov, name="Someone Else")).status_code == 403
    assert fc_client.post(f"/desk/speakers/{peskov.id}/merge", data=_merge_step("x", "this", 1)).status_code == 403
    assert fc_client.post("/desk/speakers/merge", data={}).status_code == 403
    if topic is not None:
        assert fc_client.post(f"/desk/topics/{topic.id}", data={"name": "x"}).status_code == 403
    # The services refuse on their own too, whatever calls them.
    with pytest.raises(PermissionDenied):
        update_speaker(session, peskov, name="Someone Else", role_title=None, aliases=[], actor=fact_checker, version=None)
    see_committed(session)
    assert peskov.name == "Dmitri Peskov"


def test_a_name_or_alias_another_speaker_goes_by_is_refused_beside_its_field(
    session: Session, editor_client: FlaskClient, peskov: Speaker
) -> None:
    kellogg = create_speaker(session, "Keith Kellogg", aliases=["the U.S. envoy"])
    session.commit()
    clash = editor_client.post(f"/desk/speakers/{peskov.id}", data=_edit(peskov, name="keith kellogg"))
    page = clash.get_data(as_text=True)
    assert clash.status_code == 422
    assert f"“keith kellogg” is already the name of Keith Kellogg (#{kellogg.id})" in page and "merge the two speakers" in page
    alias = editor_client.post(f"/desk/speakers/{peskov.id}", data=_edit(peskov, aliases="the Kremlin\nThe U.S. Envoy"))
    assert alias.status_code == 422
    assert "“The U.S. Envoy” is already an alias of Keith Kellogg" in alias.get_data(as_text=True)
    see_committed(session)
    assert (peskov.name, peskov.version, [a.alias for a in peskov.aliases]) == ("Dmitri Peskov", 1, ["the Kremlin"])
    assert _events(session, "update") == []


def test_an_empty_name_or_a_too_long_alias_is_refused(session: Session, editor_client: FlaskClient, peskov: Speaker) -> None:
    empty = editor_client.post(f"/desk/speakers/{peskov.id}", data=_edit(peskov, name="   "))
    assert empty.status_code == 422 and "Give the speaker&#39;s name." in empty.get_data(as_text=True)
    too_long = editor_client.post(f"/desk/speakers/{peskov.id}", data=_edit(peskov, aliases="x" * 201))
    assert too_long.status_code == 422 and "An alias is at most 200 characters" in too_long.get_data(as_text=True)
    see_committed(session)
    assert peskov.version == 1


def test_a_save_over_someone_elses_answers_409_and_saving_again_is_a_choice(
    session: Session, editor: User, editor_client: FlaskClient, peskov: Speaker
) -> None:
    update_speaker(session, peskov, name="Dmitry Peskov", role_title=None, aliases=[], actor=editor, version=1)
    session.commit()
    stale = editor_client.post(f"/desk/speakers/{peskov.id}", data=_edit(peskov, name="D. Peskov", version=1))
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Someone else saved this speaker first" in page
    assert 'value="D. Peskov"' in page and _hidden(page, "version") == "2"
    see_committed(session)
    assert peskov.name == "Dmitry Peskov"
    again = editor_client.post(f"/desk/speakers/{peskov.id}", data=_edit(peskov, name="D. Peskov", version=2))
    assert again.status_code == 302
    see_committed(session)
    assert peskov.name == "D. Peskov" and peskov.version == 3
    with pytest.raises(StaleSpeaker):
        update_speaker(session, peskov, name="X", role_title=None, aliases=[], actor=editor, version=2)


def test_a_renamed_speakers_old_slug_is_not_given_to_a_new_speaker(
    session: Session, editor: User, client: FlaskClient
) -> None:
    smith = create_speaker(session, "John Smith")
    for name in ("John Smyth", "John Smith"):
        update_speaker(session, smith, name=name, role_title=None, aliases=[], actor=editor, version=None)
    session.commit()
    # Renamed back, the speaker has the address again, and it is a page, not a redirect.
    assert smith.slug == "john-smith" and client.get("/speakers/john-smith").status_code == 200
    assert client.get("/speakers/john-smyth").location == "/speakers/john-smith"
    update_speaker(session, smith, name="John Smyth", role_title=None, aliases=[], actor=editor, version=None)
    newcomer = create_speaker(session, "John Smith")
    session.commit()
    assert (smith.slug, newcomer.slug) == ("john-smyth", "john-smith-2")
    assert client.get("/speakers/john-smith").location == "/speakers/john-smyth"
    assert session.scalar(select(func.count()).select_from(SlugRedirect)) == 1


def test_loading_the_demo_again_after_a_rename_and_a_merge_adds_nothing(session: Session, editor: User) -> None:
    load_fixtures(session)
    by_slug = {s.slug: s for s in session.scalars(select(Speaker))}
    update_speaker(session, by_slug["keith-kellogg"], name="Gen. Keith Kellogg", role_title=None, aliases=[],
                   actor=editor, version=None)
    merge_speakers(session, by_slug["volodymyr-zelensky"], by_slug["dmitry-peskov"], actor=editor, keep_version=None,
                   other_version=None)
    session.commit()
    assert load_fixtures(session).created == {}


# -- merging -------------------------------------------------------------------------------------


@pytest.fixture
def duplicates(session: Session, peskov: Speaker) -> tuple[Speaker, Speaker]:
    """Peskov twice: an imported "D. Peskov" with a statement, an alias, a repeat appearance."""
    duplicate = create_speaker(session, "D. Peskov", role_title="Kremlin spokesman", aliases=["Peskov", "the Kremlin"])
    _statement(session, duplicate, "The talks are not close to a result.")
    original = peskov.statements[0]
    record_appearance(session, original, speaker=duplicate, appeared_on=dt.date(2025, 12, 5))
    # A public revision names the speaker too (and keeps the name it had then).
    session.add(StatementRevision(statement_id=duplicate.statements[0].id, number=1, text="The talks are not close.",
                                  speaker_id=duplicate.id, speaker_name="D. Peskov"))
    session.commit()
    return peskov, duplicate


def _merge(client: FlaskClient, speaker: Speaker, other: str, keep: str = "this") -> FlaskClient:
    """Both steps of a merge on the desk, as a person does them: review, then confirm."""
    review = client.post(f"/desk/speakers/{speaker.id}/merge", data=_merge_step(other, keep, speaker.version))
    page = review.get_data(as_text=True)
    assert review.status_code == 200, page
    fields = {name: _hidden(page, name) for name in ("keep_id", "other_id", "keep_version", "other_version")}
    confirmed = client.post("/desk/speakers/merge", data=fields)
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)
    return client


def test_a_merge_moves_statements_appearances_and_aliases_to_the_speaker_kept(
    session: Session, editor_client: FlaskClient, duplicates: tuple[Speaker, Speaker]
) -> None:
    kept, gone = duplicates
    gone_id, gone_statements = gone.id, [s.id for s in gone.statements]
    seq = _last_seq(session)
    review = editor_client.post(f"/desk/speakers/{gone.id}/merge", data=_merge_step("Dmitri Peskov", "other", 1))
    page = review.get_data(as_text=True)
    assert "Merge D. Peskov into Dmitri Peskov?" in page and "/speakers/d-peskov" in page
    _merge(editor_client, gone, "Dmitri Peskov", keep="other")
    see_committed(session)

    assert session.get(Speaker, gone_id) is None
    assert sorted(s.text for s in kept.statements) == [
        "Any deal needs radical changes to the American proposals.", "The talks are not close to a result.",
    ]
    assert [a.speaker_id for a in kept.statements[0].appearances] == [kept.id]
    # The other's name becomes an alias; an alias both had is kept once.
    assert [a.alias for a in kept.aliases] == ["D. Peskov", "Peskov", "the Kremlin"]
    assert session.scalar(select(func.count()).select_from(SpeakerAlias).where(SpeakerAlias.speaker_id == gone_id)) == 0
    assert kept.version == 2
    revision = session.scalars(select(StatementRevision)).one()
    assert (revision.speaker_id, revision.speaker_name) == (kept.id, "D. Peskov")
    assert _logged(session, gone_statements, seq)

    merged_away, merged_into = _events(session, "merge")
    assert (merged_away.entity_id, merged_into.entity_id) == (gone_id, kept.id)
    assert merged_away.before is not None and merged_away.before["name"] == "D. Peskov"
    assert merged_away.after == {"merged_into_id": kept.id, "statements": gone_statements,
                                 "appearances": [a.id for a in kept.statements[0].appearances]}
    assert merged_into.after is not None and merged_into.after["merged_from_id"] == gone_id
    assert merged_into.after["aliases"] == ["D. Peskov", "Peskov", "the Kremlin"]


def test_a_merged_speakers_page_and_api_address_redirect_to_the_one_kept(
    session: Session, editor_client: FlaskClient, client: FlaskClient, duplicates: tuple[Speaker, Speaker]
) -> None:
    kept, gone = duplicates
    gone_id = gone.id
    _merge(editor_client, kept, "D. Peskov")
    page = client.get("/speakers/d-peskov")
    assert page.status_code == 301 and page.location == "/speakers/dmitri-peskov"
    api = client.get(f"/api/v1/speakers/{gone_id}")
    assert api.status_code == 301 and api.location.endswith(f"/api/v1/speakers/{kept.id}")
    followed = client.get(api.location)
    assert followed.status_code == 200 and followed.get_json()["name"] == "Dmitri Peskov"
    assert client.get("/api/v1/speakers/999999").status_code == 404
    # Attribution and the desk's lookups find the merged name.
    hit = SpeakerDirectory.load(session).resolve("D. Peskov")
    assert hit is not None and hit.speaker_id == kept.id
    found = find_speaker_by_name(session, "d. peskov")
    assert found is not None and found.id == kept.id


def test_a_second_merge_carries_the_first_ones_addresses_along(
    session: Session, editor: User, client: FlaskClient, duplicates: tuple[Speaker, Speaker]
) -> None:
    kept, gone = duplicates
    gone_id = gone.id
    merge_speakers(session, kept, gone, actor=editor, keep_version=1, other_version=1)
    third = create_speaker(session, "Dmitry Sergeyevich Peskov")
    merge_speakers(session, third, kept, actor=editor, keep_version=1, other_version=2)
    session.commit()
    assert client.get("/speakers/d-peskov").location == "/speakers/dmitry-sergeyevich-peskov"
    assert client.get("/speakers/dmitri-peskov").location == "/speakers/dmitry-sergeyevich-peskov"
    assert client.get(f"/api/v1/speakers/{gone_id}").location.endswith(f"/api/v1/speakers/{third.id}")
    assert len(third.statements) == 2


def test_the_match_index_knows_a_moved_statement_by_its_new_speaker(
    session: Session, editor: User, duplicates: tuple[Speaker, Speaker], tmp_path: Path
) -> None:
    kept, gone = duplicates
    moved = gone.statements[0]
    index = LiveIndex(tmp_path)

    def same_speaker(name: str) -> float:
        (hit,) = [m for m in index.search(session, moved.text, speaker=name) if m.doc_id == moved.id]
        return hit.components["speaker"]

    assert same_speaker("D. Peskov") == 1.0
    merge_speakers(session, kept, gone, actor=editor, keep_version=1, other_version=1)
    session.flush()
    assert (same_speaker("Dmitri Peskov"), same_speaker("D. Peskov")) == (1.0, 0.0)


def test_a_speaker_cannot_be_merged_into_itself(
    session: Session, editor: User, editor_client: FlaskClient, peskov: Speaker
) -> None:
    for other in (f"#{peskov.id}", str(peskov.id)):
        response = editor_client.post(f"/desk/speakers/{peskov.id}/merge", data=_merge_step(other, "this", 1))
        assert response.status_code == 422
        assert "That is this speaker: a speaker cannot be merged into itself." in response.get_data(as_text=True)
    with pytest.raises(Invalid) as refused:
        merge_speakers(session, peskov, peskov, actor=editor, keep_version=None, other_version=None)
    assert refused.value.field == "other"


def test_naming_no_speaker_or_several_asks_for_the_one_meant(
    session: Session, editor_client: FlaskClient, duplicates: tuple[Speaker, Speaker]
) -> None:
    kept, gone = duplicates
    third = create_speaker(session, "Peskov's deputy", aliases=["Peskov"])
    session.commit()
    several = editor_client.post(f"/desk/speakers/{kept.id}/merge", data=_merge_step("peskov", "this", 1))
    page = several.get_data(as_text=True)
    assert several.status_code == 422
    assert f"Several speakers go by “peskov”: D. Peskov (#{gone.id}), Peskov&#39;s deputy (#{third.id})" in page
    unknown = editor_client.post(f"/desk/speakers/{kept.id}/merge", data=_merge_step("D. Peskof", "this", 1))
    assert unknown.status_code == 422
    assert f"No other speaker goes by “D. Peskof”. Did you mean D. Peskov (#{gone.id})" in unknown.get_data(as_text=True)
    missing = editor_client.post(f"/desk/speakers/{kept.id}/merge", data=_merge_step("#999999", "this", 1))
    assert missing.status_code == 422 and "There is no speaker #999999." in missing.get_data(as_text=True)


def test_a_merge_confirmed_after_either_speaker_changed_writes_nothing(
    session: Session, editor: User, editor_client: FlaskClient, duplicates: tuple[Speaker, Speaker]
) -> None:
    kept, gone = duplicates
    review = editor_client.post(f"/desk/speakers/{kept.id}/merge", data=_merge_step("D. Peskov", "this", 1))
    fields = {name: _hidden(review.get_data(as_text=True), name) for name in ("keep_id", "other_id", "keep_version", "other_version")}
    update_speaker(session, gone, name="D. S. Peskov", role_title=None, aliases=["Peskov"], actor=editor, version=1)
    session.commit()
    events, seq = session.scalar(select(func.count()).select_from(AuditEvent)), _last_seq(session)

    stale = editor_client.post("/desk/speakers/merge", data=fields)
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "D. S. Peskov was changed by someone else since you opened it" in page
    assert _hidden(page, "other_version") == "2", "confirming again is a choice made on the current versions"
    see_committed(session)
    assert session.get(Speaker, gone.id) is not None and len(gone.statements) == 1
    assert [a.speaker_id for a in kept.statements[0].appearances] == [gone.id]
    assert session.scalar(select(func.count()).select_from(SlugRedirect).where(SlugRedirect.old_speaker_id == gone.id)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events and _last_seq(session) == seq


def test_a_merge_form_sent_without_its_confirmation_fields_is_refused(session: Session, editor_client: FlaskClient) -> None:
    response = editor_client.post("/desk/speakers/merge", data={"keep_id": "1"})
    assert response.status_code == 422 and "start again from the speaker" in response.get_data(as_text=True)


# -- lists ---------------------------------------------------------------------------------------


def test_the_speaker_list_searches_names_and_aliases_a_page_at_a_time(
    session: Session, editor_client: FlaskClient, peskov: Speaker
) -> None:
    for n in range(1, 56):
        create_speaker(session, f"Member {n:02d}", aliases=[f"MP {n:02d}"])
    session.commit()
    first = editor_client.get("/desk/speakers/?q=member").get_data(as_text=True)
    assert "55 speakers matching “member”, page 1 of 2." in first and "Member 50" in first and "Member 51" not in first
    second = editor_client.get("/desk/speakers/?q=member&page=2").get_data(as_text=True)
    assert "Member 51" in second and "Member 55" in second and "Member 01" not in second
    by_alias = editor_client.get("/desk/speakers/?q=kremlin").get_data(as_text=True)
    assert "1 speaker matching “kremlin”." in by_alias and f'href="/desk/speakers/{peskov.id}"' in by_alias
    # A literal % matches a %, not everything.
    assert "0 speakers matching “%”." in editor_client.get("/desk/speakers/?q=%25").get_data(as_text=True)
    typo = editor_client.get("/desk/speakers/?q=Peskof").get_data(as_text=True)
    assert "Close names:" in typo and "Dmitri Peskov" in typo


def test_the_edit_page_offers_likely_duplicates(editor_client: FlaskClient, duplicates: tuple[Speaker, Speaker]) -> None:
    kept, gone = duplicates
    page = editor_client.get(f"/desk/speakers/{kept.id}").get_data(as_text=True)
    assert "Likely the same person:" in page and f'href="/desk/speakers/{gone.id}"' in page
    assert "2 statements" not in page and "1 statement and 0 appearances name this speaker" in page


def test_the_desk_navigation_links_the_speakers(editor_client: FlaskClient) -> None:
    page = editor_client.get("/desk/").get_data(as_text=True)
    assert 'href="/desk/speakers/"' in page


# -- topics --------------------------------------------------------------------------------------


def test_renaming_a_topic_redirects_its_old_address(
    session: Session, editor_client: FlaskClient, client: FlaskClient, peskov: Speaker
) -> None:
    _statement(session, peskov, "The talks continue.", topics=("Peace",))
    session.commit()
    topic = session.scalars(select(Topic).where(Topic.slug == "peace")).one()
    listing = editor_client.get("/desk/topics/").get_data(as_text=True)
    assert f'href="/desk/topics/{topic.id}"' in listing and "/topics/peace" in listing
    response = editor_client.post(f"/desk/topics/{topic.id}", data={"name": "Peace talks"})
    assert response.status_code == 302
    see_committed(session)
    assert (topic.name, topic.slug) == ("Peace talks", "peace-talks")
    moved = client.get("/topics/peace")
    assert moved.status_code == 301 and moved.location == "/topics/peace-talks"
    assert "The talks continue." in client.get("/topics/peace-talks").get_data(as_text=True)
    assert client.get("/topics/no-such-topic").status_code == 404
    (event,) = _events(session, "rename")
    assert event.entity == "topics" and event.before is not None and event.after is not None
    assert (event.before["name"], event.after["name"]) == ("Peace", "Peace talks")


def test_renaming_a_topic_to_another_topics_name_is_refused(
    session: Session, editor: User, editor_client: FlaskClient, peskov: Speaker
) -> None:
    _statement(session, peskov, "The talks continue.", topics=("Peace", "Ceasefire"))
    session.commit()
    peace = session.scalars(select(Topic).where(Topic.slug == "peace")).one()
    response = editor_client.post(f"/desk/topics/{peace.id}", data={"name": "  CEASEFIRE "})
    assert response.status_code == 422 and "There is already a topic called “Ceasefire”." in response.get_data(as_text=True)
    see_committed(session)
    assert (peace.name, peace.slug) == ("Peace", "peace") and _events(session, "rename") == []
    assert rename_topic(session, peace, "Peace", actor=editor) is False
    with pytest.raises(Invalid):
        rename_topic(session, peace, " ", actor=editor)
