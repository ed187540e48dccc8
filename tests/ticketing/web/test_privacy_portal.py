"""Masking personal data, and the department portal that shows only a department's own tickets."""
import re

import pytest

from ticketing.domain.privacy import mask_name, mask_phone, mask_text


@pytest.mark.parametrize(("raw", "masked"), [
    ("13812345678", "138****5678"), ("138 1234 5678", "138****5678"), ("027-85551234", "*******1234"),
    (None, None), ("", ""),
])
def test_mask_phone(raw, masked) -> None:
    assert mask_phone(raw) == masked


def test_mask_text_hides_numbers_but_keeps_the_rest() -> None:
    text = "电话13812345678，身份证42010219900101123X，座机027-85551234，工单20261125-000001，3楼"
    out = mask_text(text)
    assert "13812345678" not in out and "138****5678" in out
    assert "19900101" not in out and out.count("123X") == 1
    assert "85551234" not in out and "20261125-000001" in out and "3楼" in out


def test_mask_name() -> None:
    assert mask_name("张三丰", False) == "张**" and mask_name(None, False) == "未留姓名" and mask_name("李四", True) == "匿名"


def test_department_sees_only_its_tickets_masked(client, make_ticket, sign_in) -> None:
    lamp = make_ticket(description="路灯坏了，请联系我13812345678", contact_name="张三", contact_phone="13812345678")
    wage = make_ticket(description="老板拖欠工资")
    code = lamp["department"]["code"]
    sign_in("dept_officer", code)
    listing = client.get(f"/dept/{code}/tickets").text
    assert re.findall(r'data-ticket="([^"]+)"', listing) == [lamp["number"]]
    assert "13812345678" not in listing
    detail = client.get(f"/dept/{code}/tickets/{lamp['number']}").text
    assert "138****5678" in detail and "13812345678" not in detail and "张*" in detail
    assert client.get(f"/dept/{code}/tickets/{wage['number']}").status_code == 403
    assert client.get("/dept/no-such-dept/tickets").status_code == 403
    sign_in("operator")
    staff = client.get(f"/staff/tickets/{lamp['number']}").text
    assert "13812345678" in staff


def test_department_signs_and_resolves_through_the_portal(client, make_ticket, sign_in) -> None:
    ticket = make_ticket()
    code = ticket["department"]["code"]
    sign_in("dept_officer", code)
    page = client.get(f"/dept/{code}/tickets/{ticket['number']}").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert set(re.findall(r'name="action" value="([a-z_]+)"', page)) == {"sign", "return"}
    url = f"/dept/{code}/tickets/{ticket['number']}/actions"
    assert client.post(url, data={"csrf": token, "action": "sign", "actor": "王科长"},
                       follow_redirects=False).status_code == 303
    later = client.post(url, data={"csrf": token, "action": "request_extension", "reason": "需协调",
                                   "requested_due_at": "2030-01-10T17:30"}, follow_redirects=False)
    assert later.status_code == 303
    after = client.get(f"/api/tickets/{ticket['number']}").json()
    assert after["state"] == "已签收" and after["extension_requested_due_at"] == "2030-01-10T17:30:00+08:00"
    other = client.post(f"/dept/water-supply/tickets/{ticket['number']}/actions",
                        data={"csrf": token, "action": "resolve", "reply": "x"})
    assert other.status_code == 403
    assert client.get(f"/api/tickets/{ticket['number']}").json()["state"] == "已签收"


def test_department_home_is_the_officers_own_list(client, make_ticket, sign_in) -> None:
    make_ticket()
    sign_in("dept_officer", "urban-management")
    html = client.get("/dept").text
    assert "武汉市城市管理执法委员会" in html and "在办工单 1 件" in html


def test_anonymous_contact_is_hidden_from_departments(client, make_ticket, sign_in) -> None:
    ticket = make_ticket(contact_name="李女士", contact_phone="13900001111", anonymous=True)
    code = ticket["department"]["code"]
    sign_in("dept_officer", code)
    dept = client.get(f"/dept/{code}/tickets/{ticket['number']}").text
    assert "1111" not in dept and "李" not in dept.split("流转记录")[0].split("诉求内容")[1]
    sign_in("operator")
    assert "13900001111" in client.get(f"/staff/tickets/{ticket['number']}").text
