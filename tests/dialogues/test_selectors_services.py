import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from dialogues import selectors, services
from dialogues.models import DialogueSession, Petition, PetitionEvent, PetitionStatus, ReceptionSession
from tests.factories import GrantFactory, UserFactory
from units import access

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


def make_session(unit, day, **kw):
    petitions = kw.pop("petitions", [])
    data = {
        "unit": unit,
        "held_on": day,
        "chair_role": "chu_tich_ubnd",
        "chair_name": "Bùi Văn Hùng",
        "scope": "toan_dien",
        "trigger": "dinh_ky",
        "topic": "Đối thoại",
        "participants": 50,
        **kw,
    }
    return services.session_create(actor=None, data=data, petitions=petitions)


def petition_row(**kw):
    return {"content": "Kiến nghị", "field": "dat_dai", **kw}


def random_world(tree, seed):
    rng = random.Random(seed)
    units = [tree["commune_a"], tree["commune_b"], tree["commune_c"], tree["district_x"]]
    for _ in range(40):
        unit = rng.choice(units)
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
        rows = []
        for _ in range(rng.randrange(0, 5)):
            kind = rng.random()
            if kind < 0.3:
                rows.append(petition_row(answered_at_session=True, result="Đã trả lời"))
            else:
                rows.append(
                    petition_row(
                        assignee_person="Ông A",
                        task="Việc",
                        deadline=day + dt.timedelta(days=rng.randrange(5, 200)),
                        responsible_unit="UBND",
                    )
                )
        session = make_session(
            unit,
            day,
            scope=rng.choice(["toan_dien", "chuyen_de"]),
            trigger=rng.choice(["dinh_ky", "theo_yeu_cau", "vu_viec"]),
            participants=rng.randrange(10, 300),
            petitions=rows,
        )
        for p in session.petitions.filter(status=PetitionStatus.ASSIGNED):
            if rng.random() < 0.6 and p.raised_on <= TODAY:
                services.petition_close(
                    actor=None, petition=p, status="resolved", result="Xong", result_date=min(TODAY, p.deadline)
                )
    for _ in range(30):
        ReceptionSession.objects.create(
            unit=rng.choice(units),
            held_on=dt.date(2024, 6, 1) + dt.timedelta(days=rng.randrange(0, 800)),
            kind=rng.choice(["thuong_xuyen", "dinh_ky_nguoi_dung_dau", "dot_xuat"]),
            receiver_role="chu_tich_ubnd",
            persons=rng.randrange(0, 20),
            cases_new=rng.randrange(0, 5),
            cases_old=rng.randrange(0, 5),
            complaints=rng.randrange(0, 2),
            petitions_count=rng.randrange(0, 6),
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dialogue_figures_match_an_independent_count(tree, seed, django_assert_max_num_queries):
    random_world(tree, seed)
    scope, start, end = tree["district_x"], dt.date(2025, 3, 1), dt.date(2026, 6, 30)
    with django_assert_max_num_queries(2):
        figures = selectors.dialogue_figures(scope, start, end, today=TODAY)
    in_scope = [
        s for s in DialogueSession.objects.all() if s.unit.path.startswith(scope.path) and start <= s.held_on <= end
    ]
    assert figures["sessions"] == len(in_scope)
    assert figures["level_commune"] == sum(1 for s in in_scope if s.level == "commune")
    assert figures["level_district"] == sum(1 for s in in_scope if s.level == "district")
    assert figures["scope_chuyen_de"] == sum(1 for s in in_scope if s.scope == "chuyen_de")
    assert figures["trigger_theo_yeu_cau"] == sum(1 for s in in_scope if s.trigger == "theo_yeu_cau")
    assert figures["participants"] == sum(s.participants for s in in_scope)
    petitions = [p for s in in_scope for p in s.petitions.all()]
    assert figures["raised"] == len(petitions)
    assert figures["answered"] == sum(p.answered_at_session for p in petitions)
    resolved = sum(p.status in ("resolved", "explained") for p in petitions)
    assert figures["resolved"] == resolved
    overdue = sum(
        p.status in ("new", "assigned", "in_progress") and p.deadline and p.deadline < TODAY for p in petitions
    )
    assert figures["overdue"] == overdue
    if petitions:
        assert abs(float(figures["resolution_rate"]) - 100 * resolved / len(petitions)) < 0.06


def test_reception_figures_match_and_compare_with_last_year(tree, django_assert_max_num_queries):
    random_world(tree, 7)
    scope, start, end = tree["province"], dt.date(2025, 10, 15), dt.date(2026, 10, 15)
    with django_assert_max_num_queries(2):
        figures = selectors.reception_figures(scope, start, end)
    qs = ReceptionSession.objects.filter(held_on__range=(start, end))
    assert figures["total_sessions"] == qs.count()
    assert figures["total_persons"] == (qs.aggregate(n=Sum("persons"))["n"] or 0)
    routine = qs.filter(kind="thuong_xuyen")
    assert figures["routine_sessions"] == routine.count()
    assert figures["head_cases_new"] == (qs.exclude(kind="thuong_xuyen").aggregate(n=Sum("cases_new"))["n"] or 0)
    prev = ReceptionSession.objects.filter(held_on__range=(dt.date(2024, 10, 15), dt.date(2025, 10, 15)))
    assert figures["change_total_sessions"] == qs.count() - prev.count()


def test_empty_scope_gives_zeros_not_errors(tree):
    figures = selectors.dialogue_figures(tree["commune_c"], dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert figures["sessions"] == 0
    assert figures["participants"] == 0
    assert figures["resolution_rate"] is None


def test_a_petition_cannot_close_without_its_result(tree):
    session = make_session(tree["commune_a"], dt.date(2026, 9, 1), petitions=[petition_row()])
    petition = session.petitions.get()
    with pytest.raises(ValidationError) as exc:
        services.petition_close(actor=None, petition=petition, status="resolved", result=" ", result_date=TODAY)
    assert "result" in exc.value.error_dict
    assert "__all__" in exc.value.error_dict  # the other four "rõ" are missing too
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.NEW
    assert petition.events.count() == 1


def test_every_change_is_an_event_and_stale_edits_are_refused(tree):
    session = make_session(tree["commune_a"], dt.date(2026, 9, 1), petitions=[petition_row()])
    petition = session.petitions.get()
    opened_version = petition.version
    services.petition_assign(
        actor=None,
        petition=petition,
        assignee_person="Ông A",
        task="Việc",
        deadline=dt.date(2026, 12, 1),
        responsible_unit="UBND",
        expected_version=opened_version,
    )
    stale_copy = Petition.objects.get(pk=petition.pk)
    stale_copy.version = opened_version
    with pytest.raises(services.StaleEdit):
        services.petition_progress(actor=None, petition=stale_copy, note="cũ", expected_version=opened_version)
    services.petition_close(
        actor=None, petition=petition, status="resolved", result="Xong", result_date=dt.date(2026, 11, 1)
    )
    kinds = list(PetitionEvent.objects.filter(petition=petition).values_list("kind", flat=True))
    assert kinds == ["created", "assigned", "closed"]


def test_a_transfer_makes_the_petition_visible_to_the_receiving_unit(tree):
    session = make_session(tree["commune_a"], dt.date(2026, 9, 1), petitions=[petition_row()])
    petition = session.petitions.get()
    other = GrantFactory(user=UserFactory(username="rep.c"), unit=tree["commune_c"], role="reporter").user
    assert not access.for_user(other, access.VIEW, Petition.objects.all()).exists()
    services.petition_transfer(actor=None, petition=petition, to_unit=tree["commune_c"], note="Thuộc thẩm quyền")
    visible = access.for_user(other, access.VIEW, Petition.objects.all())
    assert list(visible) == [petition]
    assert visible.count() == 1
    with pytest.raises(ValidationError):
        services.petition_transfer(actor=None, petition=petition, to_unit=tree["commune_b"], note="x")


def test_enterprise_dialogues_need_both_sides(tree, reporter):
    from dialogues.forms import DialogueSessionForm
    from tests.factories import UnitFactory

    company = UnitFactory(name="Công ty May", kind="enterprise", parent=tree["commune_a"], staff_count=120)
    form = DialogueSessionForm(
        {
            "unit": company.pk,
            "held_on": "01/11/2026",
            "topic": "Đối thoại tại nơi làm việc",
            "scope": "toan_dien",
            "trigger": "dinh_ky",
            "format": "truc_tiep",
            "chair_role": "nguoi_su_dung_lao_dong",
            "chair_name": "Ông B",
            "participants": 30,
            "employer_reps": 2,
        },
        user=reporter,
    )
    assert not form.is_valid()
    assert "ít nhất 3" in form.errors["employer_reps"][0]
    assert "phải ghi số đại diện" in form.errors["employee_reps"][0]


def test_future_dates_and_negative_counts_are_refused(reporter, tree):
    from dialogues.forms import DialogueSessionForm

    form = DialogueSessionForm(
        {
            "unit": tree["commune_a"].pk,
            "held_on": "01/01/2099",
            "topic": "x",
            "scope": "toan_dien",
            "trigger": "dinh_ky",
            "format": "truc_tiep",
            "chair_role": "chu_tich_ubnd",
            "chair_name": "Ông B",
            "participants": -3,
        },
        user=reporter,
    )
    assert not form.is_valid()
    assert "tương lai" in form.errors["held_on"][0]
    assert "participants" in form.errors
