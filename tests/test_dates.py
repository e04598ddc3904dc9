from datetime import date

import pytest

from searcher.dates import iso_day, period


@pytest.mark.parametrize("text, first, last", [
    ("2022", date(2022, 1, 1), date(2022, 12, 31)),
    ("2022-12", date(2022, 12, 1), date(2022, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2022-12-02", date(2022, 12, 2), date(2022, 12, 2)),
    ("2/12/2022", date(2022, 12, 2), date(2022, 12, 2)),  # day first, as Vietnamese write it
    ("02-12-2022", date(2022, 12, 2), date(2022, 12, 2)),
    ("12/2022", date(2022, 12, 1), date(2022, 12, 31)),
    (" 2022 ", date(2022, 1, 1), date(2022, 12, 31)),
])
def test_a_period_runs_from_its_first_to_its_last_day(text, first, last):
    assert period(text) == (first, last)


@pytest.mark.parametrize("text", ["", "22", "2022-13", "2022-02-30", "31/2/2022", "13/2022", "2022/12/02", "hôm qua",
                                  "2022-12-02T10:00"])
def test_what_names_no_day_is_no_period(text):
    assert period(text) is None


@pytest.mark.parametrize("value, day", [
    ("2023-02-05", "2023-02-05"),
    ("2023-02-05T20:30:00+00:00", "2023-02-06"),  # 03:30 on the 6th in Vietnam
    ("2023-02-05T20:30:00Z", "2023-02-06"),
    ("2023-02-05T16:59:59Z", "2023-02-05"),
    ("2023-02-06T01:00:00+0900", "2023-02-05"),
    ("2023-02-05T20:30:00", "2023-02-05"),  # no zone: as written
    ("2023-02-05 20:30:00.123+07:00", "2023-02-05"),
])
def test_a_web_page_time_is_dated_in_utc_plus_7(value, day):
    assert iso_day(value) == day


@pytest.mark.parametrize("value", [
    None, "", "yesterday", "2023-02-30", "05/02/2023",
    # Times whose day in Vietnam falls outside the calendar ("no date" as some sites write it).
    "0001-01-01T00:00:00+07:00", "0001-01-01T00:00:00+09:00", "9999-12-31T23:00:00-05:00",
])
def test_an_unreadable_date_is_none(value):
    assert iso_day(value) is None
