"""What the wizard keeps when the consumer leaves a step some other way than 下一步: uploads over
the request limit, the background autosave and the progress indicator's step buttons."""

from __future__ import annotations

import html
import io

import pytest

from disputes.cases import uploads
from disputes.cases.models import CaseDraft, DraftFile
from disputes.db import db
from tests.cases.filing import PDF, STEP_POSTS, post_step, start_draft, step_url


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def saved(app, draft_id: int) -> CaseDraft:
    with app.app_context():
        draft = db.session.get(CaseDraft, draft_id)
        db.session.expunge(draft)
        return draft


def stored_files(app) -> list[DraftFile]:
    with app.app_context():
        return db.session.scalars(db.select(DraftFile)).all()


@pytest.fixture
def draft_id(client, login, consumer):
    login(consumer)
    return start_draft(client)


@pytest.fixture
def small_limits(app, monkeypatch):
    """An upload step that takes 1024 bytes of files and 2048 bytes of form around them."""
    monkeypatch.setattr(uploads, "FORM_OVERHEAD_BYTES", 2048)
    app.config["UPLOAD_MAX_REQUEST_BYTES"] = 1024


def upload_many(client, draft_id: int, sizes: list[int], kind: str = "photo", **fields):
    files = [(io.BytesIO(PDF + b"0" * size), f"照片{i}.pdf") for i, size in enumerate(sizes)]
    data = {"kind": kind, "action": "upload", "files": files, **fields}
    return client.post(step_url(draft_id, 6), data=data, content_type="multipart/form-data")


# --- uploads over the request limit -----------------------------------------------------------


def test_files_above_the_general_request_limit_but_within_the_stated_limits_are_stored(
    app, client, draft_id
):
    app.config.update(MAX_CONTENT_LENGTH=4096, UPLOAD_MAX_FILE_BYTES=8192)

    response = upload_many(client, draft_id, [3000, 3000, 3000])

    assert response.status_code == 200
    assert len(stored_files(app)) == 3


def test_files_over_the_request_limit_come_back_to_the_step_with_a_message(
    app, client, draft_id, small_limits
):
    post_step(client, draft_id, 1)

    response = upload_many(client, draft_id, [1500, 1500], kind="photo")

    assert response.status_code == 413
    text = page(response)
    assert "第 6 步，共 7 步" in text
    assert "一次上传的文件总大小超过" in text
    assert "请分几次上传" in text
    assert 'id="files-error"' in text  # next to the file field
    assert '<option selected value="photo">' in text  # what was chosen is kept
    assert stored_files(app) == []
    assert saved(app, draft_id).data["1"]["purchase-brand"] == ["示例品牌"]  # nothing lost


def test_step_6_hint_states_the_per_file_and_per_upload_limits(app, client, draft_id):
    text = page(client.get(step_url(draft_id, 6)))

    assert "每个文件不超过 10 MB" in text
    assert "合计不超过 100 MB" in text


def test_an_oversized_post_with_a_foreign_token_shows_the_saved_step_not_the_post(
    app, client, draft_id, small_limits
):
    app.config["WTF_CSRF_ENABLED"] = True

    response = upload_many(client, draft_id, [4000], kind="photo", csrf_token="forged")

    assert response.status_code == 413
    text = page(response)
    assert "请分几次上传" in text
    assert '<option selected value="photo">' not in text


def test_an_oversized_post_to_someone_elses_draft_gets_the_plain_413_page(
    app, client, login, make_user, draft_id, small_limits
):
    login(make_user("consumer"))

    response = upload_many(client, draft_id, [4000])

    assert response.status_code == 413
    text = page(response)
    assert "上传的文件超过了允许的大小" in text
    assert "第 6 步" not in text


def test_an_oversized_post_elsewhere_keeps_the_general_limit(app, client, draft_id):
    app.config["MAX_CONTENT_LENGTH"] = 1024

    response = client.post(
        step_url(draft_id, 1), data={**STEP_POSTS[1], "purchase-model": "x" * 2048}
    )

    assert response.status_code == 413
    assert "第 1 步，共 7 步" in page(response)  # still the wizard, with the saved step


# --- autosave and the step buttons ------------------------------------------------------------


def test_autosave_keeps_invalid_input_without_moving_on(app, client, draft_id):
    response = post_step(client, draft_id, 1, action="autosave", purchase__invoice_date="")

    assert response.status_code == 204
    draft = saved(app, draft_id)
    assert draft.step == 1
    assert draft.data["1"]["purchase-brand"] == ["示例品牌"]
    assert draft.data["1"]["purchase-invoice_date"] == [""]


def test_autosave_on_the_upload_step_stores_no_file(app, client, draft_id):
    data = {"kind": "photo", "action": "autosave", "files": (io.BytesIO(PDF), "a.pdf")}

    response = client.post(step_url(draft_id, 6), data=data, content_type="multipart/form-data")

    assert response.status_code == 204
    assert stored_files(app) == []
    assert saved(app, draft_id).data["6"] == {"kind": ["photo"]}


def test_autosave_with_an_expired_token_saves_nothing(app, client, draft_id):
    app.config["WTF_CSRF_ENABLED"] = True

    response = post_step(client, draft_id, 1, action="autosave")

    assert response.status_code == 400
    assert "1" not in saved(app, draft_id).data


def test_autosave_of_someone_elses_draft_is_refused(app, client, login, make_user, draft_id):
    login(make_user("consumer"))

    response = post_step(client, draft_id, 1, action="autosave")

    assert response.status_code == 404
    assert "1" not in saved(app, draft_id).data


def test_the_progress_steps_are_buttons_that_save_the_step_first(app, client, draft_id):
    post_step(client, draft_id, 1)
    text = page(client.get(step_url(draft_id, 2)))
    assert 'name="action" value="go_to-1"' in text

    response = post_step(
        client, draft_id, 2, action="go_to-1", warranty__compensation_rate_percent="50"
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(step_url(draft_id, 1))
    draft = saved(app, draft_id)
    assert draft.data["2"]["warranty-compensation_rate_percent"] == ["50"]  # kept, unchecked
    assert draft.step == 1


@pytest.mark.parametrize("action", ["go_to-0", "go_to-8", "go_to-x"])
def test_a_go_to_outside_the_wizard_just_saves(app, client, draft_id, action):
    response = post_step(client, draft_id, 1, action=action)

    assert response.status_code == 200
    assert "第 1 步，共 7 步" in page(response)
    assert saved(app, draft_id).data["1"]["purchase-brand"] == ["示例品牌"]


def test_the_wizard_loads_its_autosave_script(client, draft_id):
    text = page(client.get(step_url(draft_id, 1)))

    assert '<script src="/static/js/wizard.js" defer></script>' in text
    with client.get("/static/js/wizard.js") as script:
        assert script.status_code == 200
