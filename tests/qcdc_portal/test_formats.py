import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, number_format

from qcdc_portal.lib.text import fold


class DayForm(forms.Form):
    day = forms.DateField()
    amount = forms.DecimalField(localize=True)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dates_are_read_day_first(lang):
    with translation.override(lang):
        form = DayForm({"day": "05/06/2025", "amount": "1"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == dt.date(2025, 6, 5)


def test_month_first_dates_are_refused():
    with translation.override("vi"):
        form = DayForm({"day": "12/31/2025", "amount": "1"})
        assert not form.is_valid()
        assert "day" in form.errors


def test_dates_are_shown_dd_mm_yyyy():
    with translation.override("vi"):
        assert date_format(dt.date(2025, 6, 5), "SHORT_DATE_FORMAT") == "05/06/2025"
        assert date_format(dt.date(2025, 6, 5)) == "05/06/2025"
        rendered = Template("{{ d|date:'SHORT_DATE_FORMAT' }} {{ d }}").render(Context({"d": dt.date(2025, 2, 1)}))
        assert rendered == "01/02/2025 01/02/2025"


def test_numbers_use_vietnamese_marks():
    with translation.override("vi"):
        assert number_format(1107, force_grouping=True) == "1.107"
        assert number_format(Decimal("53.28"), decimal_pos=2) == "53,28"
        assert number_format(2217413000, force_grouping=True) == "2.217.413.000"
        assert Template("{% load portal %}{{ n|vn_number }}").render(Context({"n": 3508})) == "3.508"


def test_vietnamese_decimals_are_parsed_with_comma():
    with translation.override("vi"):
        form = DayForm({"day": "01/01/2025", "amount": "53,28"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == Decimal("53.28")


def test_ids_and_years_in_templates_are_never_grouped():
    # Grouping is explicit (vn_number); a bare integer in a link or attribute stays as is.
    with translation.override("vi"):
        rendered = Template('{% load portal %}<a data-pick="{{ pk }}">{{ year }}</a> {{ n|vn_number }}').render(
            Context({"pk": 12345, "year": 2025, "n": 12345})
        )
    assert rendered == '<a data-pick="12345">2025</a> 12.345'


def test_english_numbers_use_english_marks():
    with translation.override("en"):
        assert number_format(1107, force_grouping=True) == "1,107"


def test_timezone_is_vietnam(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Lạc Sơn", "lac son"),
        ("Thị trấn Vụ Bản", "thi tran vu ban"),
        ("ĐỊNH CƯ", "dinh cu"),
        ("  Ân   Nghĩa ", "an nghia"),
    ],
)
def test_fold_strips_diacritics(text, folded):
    assert fold(text) == folded
