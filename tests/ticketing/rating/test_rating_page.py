"""The one-tap rating link and its page: one good use, and every bad link changes nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from ticketing.core.timefmt import utcnow
from ticketing.models.rating import RatingLink
from ticketing.services import rating_links
from ticketing.web import rating_page
from tests.ticketing.rating.helpers import act, answered, csrf_of, history, link_for, state

MARKUP = '<script>alert("x")</script><b>太慢了</b>'


@pytest.fixture(autouse=True)
def _no_rate_limit():  # type: ignore[no-untyped-def]
    rating_page.LIMIT.clear()
    yield
    rating_page.LIMIT.clear()


def post(client, path: str, number: str, rating: str, comment: str = ""):  # type: ignore[no-untyped-def]
    page = client.get(path)
    token = csrf_of(page.text) if page.status_code == 200 else csrf_of(client.get("/lookup").text)
    return client.post(path, data={"csrf": token, "number": number, "rating": rating, "comment": comment})


def link_row(app, path: str) -> RatingLink:  # type: ignore[no-untyped-def]
    with app.state.sessions() as session:
        return session.get(RatingLink, int(path.removeprefix("/r/").split(".")[0], 36))


def test_good_link_shows_the_answer_and_records_the_rating(client, app) -> None:
    number = answered(client)
    path = link_for(app, number)
    assert path.startswith("/r/") and len(path) <= 24  # short enough for one SMS segment
    page = client.get(path)
    assert page.status_code == 200
    assert "请评价这次答复" in page.text and "已安排维修人员" in page.text and number in page.text
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert "小区门口路灯坏了" not in page.text and "13812345678" not in page.text  # no description, no contact
    done = post(client, path, number, "满意", "处理很及时")
    assert done.status_code == 200 and "感谢您的评价" in done.text
    ticket = state(client, number)
    assert (ticket["state"], ticket["rating"]) == ("已回访", "满意")
    last = history(client, number)[-1]
    assert (last["action"], last["role"], last["actor"]) == ("follow_up", "resident", "市民（评价链接）")
    assert "处理很及时" in last["note"]
    row = link_row(app, path)
    assert row.used_at is not None and row.used_rating == "满意"


def test_issuing_twice_for_one_answer_gives_one_link(client, app) -> None:
    number = answered(client)
    assert link_for(app, number) == link_for(app, number)


def test_no_answer_no_link(client, app, make_ticket) -> None:
    with pytest.raises(ValueError):
        link_for(app, make_ticket()["number"])


def test_expired_link_is_explained_and_changes_nothing(client, app) -> None:
    number = answered(client)
    path = link_for(app, number, now=utcnow() - timedelta(days=8))  # lived 7 days (config/followup.yml)
    page = client.get(path)
    assert page.status_code == 410 and "评价链接已过期" in page.text and number in page.text
    refused = post(client, path, number, "满意")
    assert refused.status_code == 410 and "已过期" in refused.text
    assert state(client, number)["state"] == "已办结" and state(client, number)["rating"] is None
    assert link_row(app, path).refused_count == 1


def test_reused_link_is_refused_politely(client, app) -> None:
    number = answered(client)
    path = link_for(app, number)
    assert post(client, path, number, "基本满意").status_code == 200
    before = history(client, number)
    again = post(client, path, number, "不满意", "再评一次")
    assert again.status_code == 409
    assert "已经使用过" in again.text and "基本满意" in again.text
    assert history(client, number) == before and state(client, number)["rating"] == "基本满意"
    assert client.get(path).status_code == 409
    assert link_row(app, path).refused_count == 1


@pytest.mark.parametrize("change", ["signature", "id", "truncated", "garbage"])
def test_altered_link_is_refused(client, app, change: str) -> None:
    number = answered(client)
    path = link_for(app, number)
    ident, signature = path.removeprefix("/r/").split(".")
    bad = {"signature": f"{ident}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
           "id": f"{int(ident, 36) + 1:x}.{signature}", "truncated": f"{ident}.{signature[:6]}",
           "garbage": "%3Cscript%3E.x"}[change]
    page = client.get(f"/r/{bad}")
    assert page.status_code == 404 and "无法识别这个评价链接" in page.text
    refused = post(client, f"/r/{bad}", number, "满意")
    assert refused.status_code == 404
    assert state(client, number)["state"] == "已办结" and state(client, number)["rating"] is None


def test_link_for_another_ticket_changes_neither(client, app) -> None:
    mine, other = answered(client), answered(client)
    path = link_for(app, mine)
    refused = post(client, path, other, "不满意")  # the form says another ticket than the link
    assert refused.status_code == 400 and "不属于您提交的工单" in refused.text
    assert state(client, mine)["rating"] is None and state(client, other)["rating"] is None
    # A row moved to another ticket (or a link forged for one) no longer matches its signature.
    other_id = link_row(app, link_for(app, other)).ticket_id
    with app.state.sessions() as session, session.begin():
        session.execute(update(RatingLink).where(RatingLink.id == link_row(app, path).id).values(ticket_id=other_id))
    assert client.get(path).status_code == 404
    assert post(client, path, other, "满意").status_code == 404
    assert state(client, other)["rating"] is None


def test_token_signed_with_another_key_is_refused(client, app) -> None:
    number = answered(client)
    path = link_for(app, number)
    with app.state.sessions() as session:
        forged = rating_links.token_for(session.get(RatingLink, link_row(app, path).id), secret="x" * 40)
    assert client.get(f"/r/{forged}").status_code == 404


def test_second_rating_of_the_same_answer_is_refused(client, app) -> None:
    number = answered(client)
    path = link_for(app, number)
    assert act(client, number, "follow_up", "resident", rating="满意").status_code == 200  # the chat rated it
    page = client.get(path)
    assert page.status_code == 409 and "这次答复已经评价过了" in page.text and "满意" in page.text
    refused = post(client, path, number, "不满意", "改主意了")
    assert refused.status_code == 409 and "每次答复只能评价一次" in refused.text
    assert state(client, number)["rating"] == "满意" and state(client, number)["state"] == "已回访"


def test_unsatisfied_reopens_the_ticket_and_old_link_is_superseded(client, app) -> None:
    number = answered(client)
    path = link_for(app, number)
    done = post(client, path, number, "不满意", "灯还是不亮")
    assert done.status_code == 200 and "重新办理" in done.text
    ticket = state(client, number)
    assert ticket["state"] == "已派单" and ticket["reopen_count"] == 1 and ticket["rating"] is None
    actions = [(e["action"], e["role"]) for e in history(client, number)[-2:]]
    assert actions == [("follow_up", "resident"), ("reopen", "system")]
    assert "灯还是不亮" in history(client, number)[-1]["reason"]
    # The department answers again: a new link is needed, the old one belongs to the old answer.
    code = ticket["department"]["code"]
    act(client, number, "sign", "department", department=code)
    act(client, number, "resolve", "department", department=code, reply="已更换整套灯具。")
    fresh = link_for(app, number)
    assert fresh != path
    assert client.get(path).status_code == 409  # used (and about the old answer)
    assert client.get(fresh).status_code == 200 and "已更换整套灯具" in client.get(fresh).text


def test_unused_link_of_a_replaced_answer_is_superseded(client, app) -> None:
    number = answered(client)
    path = link_for(app, number)
    act(client, number, "follow_up", "resident", rating="不满意")
    act(client, number, "reopen", "system", reason="市民不满意")
    code = state(client, number)["department"]["code"]
    act(client, number, "sign", "department", department=code)
    act(client, number, "resolve", "department", department=code, reply="第二次答复")
    page = client.get(path)
    assert page.status_code == 410 and "答复已有更新" in page.text


def test_markup_in_a_comment_is_text_everywhere(client, app, sign_in) -> None:
    number = answered(client)
    assert post(client, link_for(app, number), number, "不满意", MARKUP).status_code == 200
    sign_in("operator")
    staff_page = client.get(f"/staff/tickets/{number}")
    assert staff_page.status_code == 200
    assert "<script>alert" not in staff_page.text and "<b>太慢了</b>" not in staff_page.text
    assert "&lt;script&gt;alert" in staff_page.text and "&lt;b&gt;太慢了&lt;/b&gt;" in staff_page.text
    assert history(client, number)[-2]["note"].endswith(MARKUP)  # stored as typed


def test_no_csrf_no_rating(client, app) -> None:
    number = answered(client)
    path = link_for(app, number)
    client.get(path)
    refused = client.post(path, data={"csrf": "wrong", "number": number, "rating": "满意"})
    assert refused.status_code == 403 and "页面已过期" in refused.text
    assert state(client, number)["rating"] is None


def test_missing_choice_shows_the_form_again(client, app) -> None:
    number = answered(client)
    path = link_for(app, number)
    again = post(client, path, number, "", "<i>忘了选</i>")
    assert again.status_code == 422 and "请选择" in again.text and "&lt;i&gt;忘了选&lt;/i&gt;" in again.text
    assert state(client, number)["rating"] is None and link_row(app, path).used_at is None
