"""Deadlines on China's working calendar, with policies from the packaged deadlines.yml."""
from datetime import date, datetime, timedelta


from ticketing.domain.deadlines import DeadlinePolicy, default_policy
from ticketing.core.timefmt import CHINA_TZ, display_china
from ticketing.domain.workcalendar import WorkCalendar, YearOverride, default_calendar


def cn(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHINA_TZ)


def compute(start: datetime, policy: str):  # type: ignore[no-untyped-def]
    return default_policy().compute(start, policy)


def test_calendar_knows_2026_make_up_saturdays_and_holidays() -> None:
    cal = default_calendar()
    assert cal.is_working_day(date(2026, 2, 14))  # Saturday, worked for Spring Festival
    assert cal.is_working_day(date(2026, 10, 10))  # Saturday, worked for National Day
    assert cal.is_working_day(date(2026, 9, 20))  # Sunday, worked for National Day
    assert not cal.is_working_day(date(2026, 2, 16))  # Monday in Spring Festival
    assert not cal.is_working_day(date(2026, 10, 7))  # Wednesday in National Day week
    assert not cal.is_working_day(date(2026, 11, 28))  # ordinary Saturday
    assert cal.is_working_day(date(2026, 11, 27))  # ordinary Friday


def test_friday_evening_ordinary_ticket() -> None:
    due = compute(cn(2026, 11, 27, 19, 0), "ordinary")
    # seven working days counted from Monday: Mon 30 Nov … Tue 8 Dec, end of day
    assert due.resolve_due_at == cn(2026, 12, 8, 17, 30)
    # four working hours from Monday 09:00: 09:00-12:00 then one hour after lunch
    assert due.sign_due_at == cn(2026, 11, 30, 14, 30)
    assert display_china(due.resolve_due_at) == "2026年12月8日（周二）17:30"


def test_spring_festival_2026_counts_make_up_saturdays() -> None:
    due = compute(cn(2026, 2, 13, 10, 0), "ordinary")
    # Sat 14 Feb (worked), then 24–27 Feb, Sat 28 Feb (worked), Mon 2 Mar
    assert due.resolve_due_at == cn(2026, 3, 2, 17, 30)
    assert due.sign_due_at == cn(2026, 2, 13, 15, 30)


def test_received_during_spring_festival_signs_after_the_break() -> None:
    due = compute(cn(2026, 2, 17, 20, 0), "ordinary")
    assert due.sign_due_at == cn(2026, 2, 24, 14, 30)


def test_national_day_2026_with_make_up_saturday() -> None:
    due = compute(cn(2026, 9, 30, 16, 0), "ordinary")
    # 8, 9, Sat 10 (worked), 12, 13, 14, 15 October
    assert due.resolve_due_at == cn(2026, 10, 15, 17, 30)
    assert compute(cn(2026, 9, 30, 16, 0), "consultation").resolve_due_at == cn(2026, 10, 10, 17, 30)


def test_urgent_and_utilities_run_on_the_clock_across_midnight() -> None:
    start = cn(2026, 12, 31, 23, 30)
    urgent = compute(start, "urgent")
    assert urgent.resolve_due_at == cn(2027, 1, 1, 1, 30)
    assert compute(start, "utilities").resolve_due_at == start + timedelta(hours=24)


def test_working_hours_after_midnight_start_next_morning() -> None:
    due = compute(cn(2026, 11, 26, 0, 30), "consultation")
    assert due.sign_due_at == cn(2026, 11, 26, 11, 0)


def test_into_2027_is_flagged_estimated_and_never_crashes() -> None:
    due = compute(cn(2026, 12, 30, 10, 0), "ordinary")
    assert due.resolve_due_at.year == 2027 and due.estimated
    assert not default_calendar().is_working_day(date(2027, 1, 1))
    for year in (2027, 2035, 2099, 2150, 9998):
        result = compute(cn(year, 6, 15, 10, 0), "ordinary")
        assert result.resolve_due_at > cn(year, 6, 15, 10, 0)
    assert not compute(cn(2026, 6, 1, 10, 0), "ordinary").estimated


def test_operator_override_wins_and_clears_estimate() -> None:
    override = YearOverride(published=True, days_off=frozenset({date(2027, 3, 1)}),
                            working_days=frozenset({date(2027, 2, 20)}))
    cal = WorkCalendar({2027: override})
    assert cal.is_working_day(date(2027, 2, 20)) and not cal.is_working_day(date(2027, 3, 1))
    assert not cal.is_estimated(2027) and cal.is_estimated(2028)
    assert WorkCalendar.from_data({"years": {2027: {"days_off": ["2027-03-01"]}}}).is_working_day(date(2027, 3, 1)) is False


def test_policy_selection() -> None:
    policy = default_policy()
    assert policy.select(kind="投诉", category=[], urgent=True) == "urgent"
    assert policy.select(kind="求助", category=["城乡建设", "城市建设和市政管理", "电力供应"], urgent=False) == "utilities"
    assert policy.select(kind="咨询", category=["劳动和社会保障"], urgent=False) == "consultation"
    assert policy.select(kind="投诉", category=["环境保护"], urgent=False) == "ordinary"


def test_resolve_never_before_sign() -> None:
    data = {"working_hours": [["09:00", "17:00"]], "policies": {
        "odd": {"sign": {"working_hours": 16}, "resolve": {"hours": 1}}}}
    policy = DeadlinePolicy(data, WorkCalendar())
    due = policy.compute(cn(2026, 11, 25, 10, 0), "odd")
    assert due.resolve_due_at == due.sign_due_at == cn(2026, 11, 27, 10, 0)


def test_warning_time_is_the_configured_share_of_the_allowed_time() -> None:
    policy = default_policy()
    start = cn(2026, 11, 25, 8, 0)
    assert policy.warning_time(start, start + timedelta(hours=10)) == start + timedelta(hours=10 * policy.warning_share)
    assert policy.warning_time(start, start - timedelta(hours=1)) == start - timedelta(hours=1)


def test_year_summary_lists_the_exceptions() -> None:
    summary = default_calendar().year_summary(2026)
    assert not summary["estimated"]
    assert {"2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"} <= set(summary["weekend_working_days"])
    assert {"2026-02-16", "2026-10-01", "2026-10-07"} <= set(summary["weekday_days_off"])
    assert default_calendar().year_summary(2027)["estimated"]


def test_packaged_override_file_parses() -> None:
    from ticketing.core.configfiles import load_yaml

    data = load_yaml("calendar_overrides.yml")
    assert isinstance(WorkCalendar.from_data(data), WorkCalendar)


# The 2026→2027 boundary: 2027's schedule is not official yet, so the library estimates it; an
# operator's override file (same format as the packaged calendar_overrides.yml) replaces the estimate.
# The 2027 days below are made up for the test, not the official schedule.
OVERRIDE_2027 = """\
years:
  2027:
    published: true
    days_off: [2027-01-01, 2027-01-04, 2027-01-05]
    working_days: []
"""


def policy_with(calendar: WorkCalendar) -> DeadlinePolicy:
    from ticketing.core.configfiles import load_yaml

    return DeadlinePolicy(load_yaml("deadlines.yml"), calendar)


def test_year_boundary_without_override_uses_the_estimate() -> None:
    policy = policy_with(WorkCalendar())
    due = policy.compute(cn(2026, 12, 30, 10, 0), "ordinary")
    # Thu 31 Dec, (Fri 1 Jan off), 4–8 Jan, Mon 11 Jan
    assert due.resolve_due_at == cn(2027, 1, 11, 17, 30) and due.estimated
    # 16:00 on the last working day of 2026: 1.5 working hours left today, the rest on Monday 4 Jan
    late = policy.compute(cn(2026, 12, 31, 16, 0), "ordinary")
    assert late.sign_due_at == cn(2027, 1, 4, 11, 30) and late.estimated


def test_year_boundary_with_override_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ticketing.core.configfiles import load_yaml

    (tmp_path / "calendar_overrides.yml").write_text(OVERRIDE_2027, encoding="utf-8")
    calendar = WorkCalendar.from_data(load_yaml("calendar_overrides.yml", tmp_path))
    assert not calendar.is_estimated(2027) and calendar.is_estimated(2028)
    policy = policy_with(calendar)
    due = policy.compute(cn(2026, 12, 30, 10, 0), "ordinary")
    # Thu 31 Dec, then 1, 4 and 5 Jan off: 6, 7, 8, 11, 12, Wed 13 Jan
    assert due.resolve_due_at == cn(2027, 1, 13, 17, 30) and not due.estimated
    late = policy.compute(cn(2026, 12, 31, 16, 0), "ordinary")
    assert late.sign_due_at == cn(2027, 1, 6, 11, 30) and not late.estimated


def test_friday_evening_before_national_day_and_across_midnight() -> None:
    # Friday 18 Sep 2026, 21:00: the weekend is followed by the make-up Sunday 20 Sep
    due = compute(cn(2026, 9, 18, 21, 0), "ordinary")
    assert due.sign_due_at == cn(2026, 9, 20, 14, 30)
    # Sun 20 (worked), 21–24, Fri 25 off (Mid-Autumn Festival), 28, 29 September
    assert due.resolve_due_at == cn(2026, 9, 29, 17, 30)
    # just before and just after midnight on a Friday night land on the same working morning
    before = compute(cn(2026, 11, 27, 23, 59), "consultation").sign_due_at
    after = compute(cn(2026, 11, 28, 0, 1), "consultation").sign_due_at
    assert before == after == cn(2026, 11, 30, 11, 0)


def test_spring_festival_make_up_saturday_is_a_normal_working_day() -> None:
    # received on the make-up Saturday 14 Feb 2026 itself: the clock runs that day
    due = compute(cn(2026, 2, 14, 9, 0), "consultation")
    assert due.sign_due_at == cn(2026, 2, 14, 11, 0)
    # 3 working days from the next working day: 24, 25, 26 Feb
    assert due.resolve_due_at == cn(2026, 2, 26, 17, 30)


def test_staff_page_marks_a_due_date_in_an_estimated_year(client, make_ticket, sign_in) -> None:  # type: ignore[no-untyped-def]
    """An approved extension into a year not yet published: API flag and the staff page say so."""
    ticket = make_ticket()
    number, code = ticket["number"], ticket["department"]["code"]

    def act(action: str, role: str = "department", **fields):  # type: ignore[no-untyped-def]
        body = {"action": action, "role": role, "actor": "王科长", **fields}
        if role == "department":
            body["department"] = code
        response = client.post(f"/api/tickets/{number}/transitions", json=body)
        assert response.status_code == 200, response.text
        return response.json()["ticket"]

    act("sign")
    act("request_extension", reason="需协调多个单位", requested_due_at="2035-03-01T17:30:00+08:00")
    assert act("approve_extension", role="staff")["deadline_estimated"] is True
    sign_in("operator")
    assert "推定节假日" in client.get(f"/staff/tickets/{number}").text
