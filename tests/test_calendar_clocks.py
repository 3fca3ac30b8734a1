"""Working-day calendar and statutory clocks (DOMAIN.md 1, 2.2, 2.3, 4).

The calendar is seeded from ``chinese_calendar``; every expected date below is
worked out by hand from the State Council holiday notices for 2025
(国办发明电〔2024〕12号) and 2026 (国办发明电〔2025〕7号), so these tests check
our counting, not the library against itself.
"""
from datetime import date, timedelta

import pytest

from workflows.calendar import Day, WorkCalendar, covered_years, seed_days
from workflows.clocks import (
    ClockError,
    Extend,
    Pause,
    Restart,
    Resume,
    Stop,
    compute,
    disclosure_correction,
    disclosure_reply,
    fee_payment,
    petition_handling,
    petition_intake,
    petition_review,
    third_party_answer,
    third_party_pause,
)

D = date


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar.from_chinese_calendar()


def _days(first, last):
    return {first + timedelta(n) for n in range((last - first).days + 1)}


# Rest days and make-up working days as the notices publish them.
NOTICES = {
    2025: (
        _days(D(2025, 1, 1), D(2025, 1, 1)) | _days(D(2025, 1, 28), D(2025, 2, 4))
        | _days(D(2025, 4, 4), D(2025, 4, 6)) | _days(D(2025, 5, 1), D(2025, 5, 5))
        | _days(D(2025, 5, 31), D(2025, 6, 2)) | _days(D(2025, 10, 1), D(2025, 10, 8)),
        {D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)},
    ),
    2026: (
        _days(D(2026, 1, 1), D(2026, 1, 3)) | _days(D(2026, 2, 15), D(2026, 2, 23))
        | _days(D(2026, 4, 4), D(2026, 4, 6)) | _days(D(2026, 5, 1), D(2026, 5, 5))
        | _days(D(2026, 6, 19), D(2026, 6, 21)) | _days(D(2026, 9, 25), D(2026, 9, 27))
        | _days(D(2026, 10, 1), D(2026, 10, 7)),
        {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)},
    ),
}


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_every_day_of_the_year_follows_the_state_council_notice(cal, year):
    rest, makeup = NOTICES[year]
    for d in _days(D(year, 1, 1), D(year, 12, 31)):
        expected = d in makeup or (d.weekday() < 5 and d not in rest)
        assert cal.is_working(d) == expected, d
        assert not cal.is_provisional(d)
        assert (cal.day(d).name == "调休上班") == (d in makeup), d


@pytest.mark.parametrize("day, name", [
    (D(2025, 1, 29), "春节"), (D(2025, 4, 4), "清明节"), (D(2025, 5, 2), "劳动节"),
    (D(2025, 5, 31), "端午节"), (D(2025, 10, 6), "中秋节"), (D(2025, 10, 1), "国庆节"),
    (D(2026, 1, 2), "元旦"), (D(2026, 2, 14), "调休上班"), (D(2026, 3, 3), None),
])
def test_seeded_days_carry_chinese_holiday_names(cal, day, name):
    assert cal.day(day).name == name


def test_covered_years_are_probed_and_seeding_skips_uncovered_years():
    assert covered_years() == range(2004, 2027)  # chinese-calendar 1.11.0, pinned in requirements.txt
    seeded = seed_days([1900, 2025])
    assert len(seeded) == 365 and {d.date.year for d in seeded} == {2025}


# (start, working days, due): day 0 is the start day, whatever it is.
WORKING_DAY_TABLE = [
    (D(2025, 9, 26), 1, D(2025, 9, 28)),    # make-up Sunday counts
    (D(2025, 10, 10), 1, D(2025, 10, 11)),  # make-up Saturday counts
    (D(2025, 9, 30), 1, D(2025, 10, 9)),    # National Day break skipped
    (D(2025, 12, 31), 1, D(2026, 1, 4)),    # New Year 2026, make-up Sunday 4 Jan
    (D(2026, 2, 13), 1, D(2026, 2, 14)),    # make-up Saturday before Spring Festival
    (D(2026, 2, 14), 1, D(2026, 2, 24)),    # Spring Festival 15–23 Feb skipped
    (D(2025, 10, 3), 0, D(2025, 10, 3)),    # zero days: the start day itself
]


@pytest.mark.parametrize("start, n, due", WORKING_DAY_TABLE)
def test_add_working_days_counts_makeup_days_and_skips_holidays(cal, start, n, due):
    assert cal.add_working_days(start, n) == due
    assert cal.working_days_between(start, due) == n


def test_unpublished_year_uses_weekends_and_fixed_holidays_and_never_raises(cal):
    # 2030: 1–2 May are 劳动节 (two days since State Council Order No. 795), 1–3 Oct 国庆节.
    assert cal.add_working_days(D(2030, 4, 30), 1) == D(2030, 5, 3)
    assert cal.add_working_days(D(2030, 9, 30), 1) == D(2030, 10, 4)
    assert cal.day(D(2027, 1, 1)) == Day(D(2027, 1, 1), False, "元旦")
    assert cal.is_provisional(D(2027, 1, 1)) and cal.is_provisional(D(1990, 6, 1))
    assert cal.provisional_for(D(2026, 12, 1), D(2027, 1, 5))
    assert not cal.provisional_for(D(2025, 1, 1), D(2026, 12, 31))


def test_domain_example_correction_reply_and_extension(cal):
    received = D(2025, 9, 26)  # a Friday, the last working day before National Day
    assert compute(disclosure_correction(received), cal, received).due_date == D(2025, 10, 13)
    reply = disclosure_reply(received)
    assert compute(reply, cal, received).due_date == D(2025, 10, 30)
    extended = reply.add(Extend(D(2025, 10, 28), "需要与多个部门核实"))
    assert compute(extended, cal, received).due_date == D(2025, 11, 27)


def test_reply_due_skips_national_day_and_counts_makeup_saturday(cal):
    deadline = compute(disclosure_reply(D(2025, 9, 26)), cal, D(2025, 9, 26))
    assert deadline.explanation == [
        "2025年9月26日收到申请（第0日）",
        "按工作日计算20个工作日，至2025年10月30日",
        "其间国庆节、中秋节放假（10月1日至10月8日）不计；9月28日、10月11日为调休工作日，计入",
    ]
    assert deadline.state == "running" and not deadline.provisional


def test_receipt_on_a_holiday_is_day_zero_and_counting_starts_next_working_day(cal):
    deadline = compute(disclosure_reply(D(2025, 10, 3)), cal, D(2025, 10, 3))
    assert deadline.due_date == D(2025, 11, 4)
    assert deadline.explanation[0] == "2025年10月3日收到申请（第0日），当日为国庆节假日，从下一个工作日起计算"
    assert compute(disclosure_correction(D(2025, 10, 3)), cal, D(2025, 10, 3)).due_date == D(2025, 10, 16)


def test_spring_festival_2026_is_skipped_and_both_makeup_saturdays_count(cal):
    received = D(2026, 2, 13)
    assert compute(disclosure_correction(received), cal, received).due_date == D(2026, 3, 2)
    deadline = compute(disclosure_reply(received), cal, received)
    assert deadline.due_date == D(2026, 3, 19)
    assert "其间春节放假（2月15日至2月23日）不计；2月14日、2月28日为调休工作日，计入" in deadline.explanation


# (clock factory, start, due) for the other working-day clocks.
@pytest.mark.parametrize("factory, start, due", [
    (third_party_answer, D(2025, 10, 9), D(2025, 10, 29)),  # 15 wd, GIO 32
    (fee_payment, D(2025, 9, 26), D(2025, 10, 30)),         # 20 wd from the day after, FEE
])
def test_third_party_and_fee_clocks_count_working_days(cal, factory, start, due):
    assert compute(factory(start), cal, start).due_date == due


def _hypothetical_2027(cal):
    """A calendar in which a (made-up) 2027 notice adds 春节 6–14 Feb to the fixed holidays."""
    days = {d: cal.day(d) for d in _days(D(2027, 1, 1), D(2027, 12, 31))}
    days.update({d: Day(d, False, "春节") for d in _days(D(2027, 2, 6), D(2027, 2, 14))})
    for year in cal.published_years:
        days.update({d: cal.day(d) for d in _days(D(year, 1, 1), D(year, 12, 31))})
    return WorkCalendar(days, cal.published_years | {2027})


def test_deadline_crossing_into_unpublished_year_is_provisional_until_published(cal):
    clock = disclosure_reply(D(2026, 12, 15)).add(Extend(D(2027, 1, 6), "情况复杂"))
    provisional = compute(clock, cal, D(2027, 1, 6))
    # 12 working days left in December, 元旦 (Fri 1 Jan) skipped, then the rest in 2027.
    assert provisional.due_date == D(2027, 2, 10)
    assert provisional.provisional and 2027 in provisional.depends_on_years
    assert provisional.explanation[-1] == "2027年的节假日安排尚未公布，本期限按周末和固定节日推算，为暂定日期"
    assert "按工作日计算20个工作日，至2027年1月13日" in provisional.explanation

    published = compute(clock, _hypothetical_2027(cal), D(2027, 1, 6))
    assert published.due_date == D(2027, 2, 17)  # five weekdays of 春节 no longer count
    assert not published.provisional
    assert not any("尚未公布" in line for line in published.explanation)


def test_third_party_consultation_time_is_not_counted(cal):
    clock = disclosure_reply(D(2025, 9, 26)).add(third_party_pause(D(2025, 10, 9)))
    paused = compute(clock, cal, D(2025, 10, 15))
    # 4 working days used (28 Sep, 29, 30, 9 Oct); 16 left, as if resumed on 15 Oct.
    assert (paused.state, paused.due_date) == ("paused", D(2025, 11, 6))
    assert "如2025年10月15日恢复计算，将于2025年11月6日到期" in paused.explanation[-1]

    resumed = compute(clock.add(Resume(D(2025, 10, 20), "收到答复")), cal, D(2025, 10, 20))
    assert (resumed.state, resumed.due_date) == ("running", D(2025, 11, 11))
    assert any(line.startswith("10月9日起征求第三方意见，至10月20日收到答复，其间不计入答复期限")
               for line in resumed.explanation)


def test_pause_recorded_after_the_limit_ran_out_changes_nothing(cal):
    clock = disclosure_reply(D(2025, 9, 26)).add(third_party_pause(D(2025, 11, 3)))
    deadline = compute(clock, cal, D(2025, 11, 5))
    assert (deadline.state, deadline.due_date) == ("overdue", D(2025, 10, 30))


def test_restart_after_correction_runs_the_full_period_from_the_corrected_application(cal):
    clock = (disclosure_reply(D(2025, 9, 26))
             .add(Pause(D(2025, 10, 13), "等待申请人补正", "《政府信息公开条例》第三十条"))
             .add(Restart(D(2025, 11, 3), "收到补正后的申请")))
    deadline = compute(clock, cal, D(2025, 11, 3))
    assert deadline.due_date == D(2025, 12, 1)
    assert deadline.explanation[:3] == [
        "2025年9月26日收到申请（第0日）",
        "2025年11月3日收到补正后的申请，答复期限自当日起重新计算（第0日）",
        "按工作日计算20个工作日，至2025年12月1日",
    ]


def test_extension_is_added_after_the_paused_due_date(cal):
    clock = (disclosure_reply(D(2025, 9, 26)).add(third_party_pause(D(2025, 10, 9)))
             .add(Resume(D(2025, 10, 20), "收到答复")).add(Extend(D(2025, 11, 5), "情况复杂")))
    deadline = compute(clock, cal, D(2025, 11, 5))
    assert deadline.due_date == D(2025, 12, 9)  # 11 Nov + 20 working days
    assert "2025年11月5日经负责人同意延长20个工作日（理由：情况复杂），至2025年12月9日（《政府信息公开条例》第三十三条）" \
        in deadline.explanation


def test_second_extension_is_refused_citing_the_rule(cal):
    clock = disclosure_reply(D(2025, 9, 26)).add(Extend(D(2025, 10, 28), "情况复杂"))
    with pytest.raises(ClockError, match="只能延长一次.*第三十三条"):
        clock.add(Extend(D(2025, 11, 20), "还需时间"))
    with pytest.raises(ClockError, match="不得延长"):
        disclosure_correction(D(2025, 9, 26)).add(Extend(D(2025, 9, 30), "x"))
    with pytest.raises(ClockError, match="最多延长20个工作日"):
        disclosure_reply(D(2025, 9, 26)).add(Extend(D(2025, 10, 28), "x", days=25))


@pytest.mark.parametrize("entry", [
    third_party_pause(D(2025, 10, 10)),   # paused twice
    Resume(D(2025, 10, 8)),               # before the previous entry
])
def test_ledger_refuses_entries_out_of_order(entry):
    clock = disclosure_reply(D(2025, 9, 26)).add(third_party_pause(D(2025, 10, 9)))
    with pytest.raises(ClockError):
        clock.add(entry)


def test_ledger_refuses_resume_while_running_and_anything_after_stop():
    clock = disclosure_reply(D(2025, 9, 26))
    with pytest.raises(ClockError, match="未暂停"):
        clock.add(Resume(D(2025, 10, 9)))
    stopped = clock.add(Stop(D(2025, 10, 20)))
    with pytest.raises(ClockError, match="已停止"):
        stopped.add(third_party_pause(D(2025, 10, 21)))
    assert clock.state == "running" and stopped.state == "stopped"


@pytest.mark.parametrize("stop_on, today, state, last_line", [
    (None, D(2025, 10, 30), "running", None),
    (None, D(2025, 10, 31), "overdue", "已于2025年10月30日到期，截至2025年10月31日尚未办结，已逾期"),
    (D(2025, 10, 30), D(2025, 12, 1), "met", "2025年10月30日办结，在期限内"),
    (D(2025, 11, 3), D(2025, 12, 1), "overdue", "2025年11月3日办结，超过期限2个工作日"),
])
def test_a_deadline_is_met_only_when_stopped_by_its_due_date(cal, stop_on, today, state, last_line):
    clock = disclosure_reply(D(2025, 9, 26))
    if stop_on:
        clock = clock.add(Stop(stop_on))
    deadline = compute(clock, cal, today)
    assert (deadline.due_date, deadline.state) == (D(2025, 10, 30), state)
    if last_line:
        assert deadline.explanation[-1] == last_line


@pytest.mark.parametrize("factory, start, due", [
    (petition_intake, D(2025, 9, 26), D(2025, 10, 11)),     # 15 days, holidays included (XF 22)
    (petition_handling, D(2025, 9, 26), D(2025, 11, 25)),   # 60 days (XF 34)
    (petition_review, D(2025, 12, 25), D(2026, 1, 24)),     # 30 days (XF 35)
    (petition_handling, D(2026, 12, 1), D(2027, 1, 30)),    # calendar days: never provisional
])
def test_petition_clocks_count_calendar_days(cal, factory, start, due):
    deadline = compute(factory(start), cal, start)
    assert deadline.due_date == due and not deadline.provisional


def test_petition_handling_extends_by_thirty_days_once(cal):
    clock = petition_handling(D(2025, 9, 26)).add(Extend(D(2025, 11, 20), "情况复杂"))
    deadline = compute(clock, cal, D(2025, 11, 20))
    assert deadline.due_date == D(2025, 12, 25)
    assert deadline.explanation[1] == "按自然日计算60日，至2025年11月25日"
    with pytest.raises(ClockError, match="只能延长一次.*第三十四条"):
        clock.add(Extend(D(2025, 12, 1), "还需时间"))
