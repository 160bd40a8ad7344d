"""units/access.py: the one place that decides who sees and may do what."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.factories import GrantFactory, UnitFactory, UserFactory
from units import access
from units.models import Grant, Role, Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    """The shared tree plus agencies and hamlets at every level, and a second province."""
    t = dict(tree)
    t["agency_x"] = UnitFactory(name="Phòng Nội vụ", kind=UnitKind.STATE_AGENCY, parent=t["district_x"])
    t["agency_a"] = UnitFactory(name="Trường Mầm non Vụ Bản", kind=UnitKind.PUBLIC_SERVICE, parent=t["commune_a"])
    t["hamlet_a"] = UnitFactory(name="Tổ dân phố 1", kind=UnitKind.HAMLET, parent=t["commune_a"])
    t["hamlet_b"] = UnitFactory(name="Xóm Bái", kind=UnitKind.HAMLET, parent=t["commune_b"])
    t["agency_y"] = UnitFactory(name="Phòng Tư pháp Kim Bôi", kind=UnitKind.STATE_AGENCY, parent=t["district_y"])
    t["hamlet_c"] = UnitFactory(name="Thôn Mớ Đá", kind=UnitKind.HAMLET, parent=t["commune_c"])
    t["province_2"] = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    t["district_2"] = UnitFactory(name="Huyện Khác", kind=UnitKind.DISTRICT, parent=t["province_2"])
    t["commune_2"] = UnitFactory(name="Xã Khác", kind=UnitKind.COMMUNE, parent=t["district_2"])
    return t


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def subtree_ids(*units):
    out = set()
    for unit in units:
        out |= ids(Unit.objects.filter(path__startswith=unit.path))
    return out


def user_with(*grants):
    """A fresh user holding ``grants`` (pairs of unit, role)."""
    user = UserFactory()
    for unit, role in grants:
        GrantFactory(user=user, unit=unit, role=role)
    return user


# --- Scope of each role ------------------------------------------------------------------


def test_reporter_sees_only_its_commune_subtree(world, reporter):
    visible = ids(access.for_user(reporter, access.VIEW))
    assert visible == {world["commune_a"].pk, world["agency_a"].pk, world["hamlet_a"].pk}
    assert world["commune_b"].pk not in visible
    assert world["district_x"].pk not in visible  # a grant covers the subtree, not the ancestors


def test_reviewer_of_a_district_sees_its_subtree_but_not_the_other_district(world, reviewer):
    visible = ids(access.for_user(reviewer, access.VIEW))
    expected = {
        world["district_x"].pk,
        world["commune_a"].pk,
        world["commune_b"].pk,
        world["agency_x"].pk,
        world["agency_a"].pk,
        world["hamlet_a"].pk,
        world["hamlet_b"].pk,
    }
    assert visible == expected
    assert not visible & subtree_ids(world["district_y"])
    assert world["province"].pk not in visible


def test_steering_sees_its_province_not_another(world, steering):
    visible = ids(access.for_user(steering, access.VIEW))
    assert visible == subtree_ids(world["province"])
    assert world["agency_y"].pk in visible
    assert world["hamlet_c"].pk in visible
    assert not visible & subtree_ids(world["province_2"])


def test_superuser_sees_everything(world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    for action in access.ACTIONS:
        assert ids(access.for_user(admin, action)) == ids(Unit.objects.all())
    assert access.scope(admin, access.VIEW).everything
    assert access.can(admin, access.MANAGE_ACCOUNTS, world["commune_2"])


def test_anonymous_sees_nothing(world):
    anonymous = AnonymousUser()
    for action in access.ACTIONS:
        assert not access.for_user(anonymous, action).exists()
        assert not access.can(anonymous, action)
    assert access.grants_of(anonymous) == []


def test_inactive_user_sees_nothing_even_with_a_grant(world):
    user = user_with((world["province"], Role.STEERING))
    assert access.for_user(user, access.VIEW).exists()
    user.is_active = False
    user.save()
    for action in access.ACTIONS:
        assert not access.for_user(user, action).exists()
    assert not access.can(user, access.VIEW, world["commune_a"])


def test_inactive_superuser_sees_nothing(world):
    admin = UserFactory(is_superuser=True, is_active=False)
    assert not access.for_user(admin, access.VIEW).exists()


def test_user_without_grants_sees_nothing(world):
    user = UserFactory()
    assert not access.for_user(user, access.VIEW).exists()
    assert not access.can(user, access.VIEW)


def test_unknown_action_is_refused(world, reporter):
    with pytest.raises(ValueError, match="unknown action"):
        access.scope(reporter, "delete_everything")


# --- Roles and actions -------------------------------------------------------------------


def test_role_actions():
    assert access.MANAGE_UNITS not in access.ROLE_ACTIONS[Role.REPORTER]
    assert access.MANAGE_ACCOUNTS not in access.ROLE_ACTIONS[Role.REPORTER]
    assert access.REPORT in access.ROLE_ACTIONS[Role.REPORTER]
    assert access.MANAGE_UNITS in access.ROLE_ACTIONS[Role.REVIEWER]
    assert access.MANAGE_ACCOUNTS not in access.ROLE_ACTIONS[Role.REVIEWER]
    assert access.REPORT not in access.ROLE_ACTIONS[Role.REVIEWER]
    assert access.MANAGE_ACCOUNTS in access.ROLE_ACTIONS[Role.STEERING]
    assert access.STEER in access.ROLE_ACTIONS[Role.STEERING]
    assert access.ROLE_ACTIONS[Role.ADMIN] == frozenset(access.ACTIONS)
    # Every role can at least read, and every role is described.
    assert set(access.ROLE_ACTIONS) == set(Role.values)
    assert all(access.VIEW in actions for actions in access.ROLE_ACTIONS.values())
    assert set(access.ACTION_LABELS) == set(access.ACTIONS)


def test_actions_follow_the_role_in_the_queryset(world, reporter, reviewer, steering):
    assert not access.for_user(reporter, access.MANAGE_UNITS).exists()
    assert not access.can(reporter, access.MANAGE_UNITS)
    assert ids(access.for_user(reporter, access.REPORT)) == subtree_ids(world["commune_a"])

    assert ids(access.for_user(reviewer, access.MANAGE_UNITS)) == subtree_ids(world["district_x"])
    assert not access.for_user(reviewer, access.MANAGE_ACCOUNTS).exists()
    assert not access.can(reviewer, access.MANAGE_ACCOUNTS)

    assert ids(access.for_user(steering, access.MANAGE_ACCOUNTS)) == subtree_ids(world["province"])
    assert access.can(steering, access.MANAGE_ACCOUNTS, world["hamlet_c"])
    assert not access.can(steering, access.MANAGE_ACCOUNTS, world["commune_2"])


def test_mixed_roles_give_each_action_its_own_scope(world):
    # Reporter on commune A and reviewer of district Y: reports only for A, reviews only Y.
    user = user_with((world["commune_a"], Role.REPORTER), (world["district_y"], Role.REVIEWER))
    assert ids(access.for_user(user, access.REPORT)) == subtree_ids(world["commune_a"])
    assert ids(access.for_user(user, access.REVIEW)) == subtree_ids(world["district_y"])
    assert ids(access.for_user(user, access.VIEW)) == subtree_ids(world["commune_a"], world["district_y"])


# --- Querysets of other models, several grants, overlaps -------------------------------


def test_for_user_filters_grants_through_their_access_path(world, reviewer):
    assert Grant.ACCESS_PATH == "unit__path"
    inside = GrantFactory(unit=world["commune_b"], role=Role.REPORTER)
    on_hamlet = GrantFactory(unit=world["hamlet_a"], role=Role.REPORTER)
    outside = GrantFactory(unit=world["commune_c"], role=Role.REPORTER)
    elsewhere = GrantFactory(unit=world["commune_2"], role=Role.REPORTER)
    visible = ids(access.for_user(reviewer, access.VIEW, Grant.objects.all()))
    own = Grant.objects.get(user=reviewer)
    assert visible == {inside.pk, on_hamlet.pk, own.pk}
    assert outside.pk not in visible
    assert elsewhere.pk not in visible


def test_several_grants_see_the_union(world):
    cluster = user_with((world["commune_a"], Role.REVIEWER), (world["commune_c"], Role.REVIEWER))
    visible = ids(access.for_user(cluster, access.VIEW))
    assert visible == subtree_ids(world["commune_a"], world["commune_c"])
    assert world["hamlet_c"].pk in visible
    assert world["commune_b"].pk not in visible
    assert world["district_x"].pk not in visible
    assert len(access.scope(cluster, access.VIEW).paths) == 2


def test_overlapping_grants_do_not_duplicate_rows(world):
    user = user_with((world["district_x"], Role.REVIEWER), (world["commune_a"], Role.REPORTER))
    qs = access.for_user(user, access.VIEW)
    pks = list(qs.values_list("pk", flat=True))
    assert len(pks) == len(set(pks))
    assert qs.count() == len(subtree_ids(world["district_x"]))
    # The commune's path, covered by the district's, is dropped from the scope.
    assert access.scope(user, access.VIEW).paths == (world["district_x"].path,)
    # Grants through a join do not duplicate either.
    grants = list(access.for_user(user, access.VIEW, Grant.objects.all()).values_list("pk", flat=True))
    assert len(grants) == len(set(grants)) == 2


def test_grants_are_cached_until_forgotten(world):
    user = user_with((world["commune_a"], Role.REPORTER))
    assert ids(access.for_user(user, access.VIEW)) == subtree_ids(world["commune_a"])
    GrantFactory(user=user, unit=world["commune_c"], role=Role.REPORTER)
    access.forget(user)
    assert ids(access.for_user(user, access.VIEW)) == subtree_ids(world["commune_a"], world["commune_c"])


# --- Single objects: 404 out of scope, 403 seen but not allowed --------------------------


def test_get_for_user_returns_an_object_in_scope(world, reviewer):
    unit = access.get_for_user(reviewer, access.MANAGE_UNITS, Unit.objects.all(), pk=world["agency_a"].pk)
    assert unit == world["agency_a"]


def test_get_for_user_out_of_scope_is_404(world, reviewer):
    with pytest.raises(Http404):
        access.get_for_user(reviewer, access.VIEW, Unit.objects.all(), pk=world["commune_c"].pk)
    # Even for an action the user holds elsewhere: nothing leaks about the object.
    with pytest.raises(Http404):
        access.get_for_user(reviewer, access.MANAGE_UNITS, Unit.objects.all(), pk=world["agency_y"].pk)
    with pytest.raises(Http404):
        access.get_for_user(reviewer, access.VIEW, Unit.objects.all(), pk="not-a-number")
    with pytest.raises(Http404):
        access.get_for_user(reviewer, access.VIEW, Unit.objects.all(), pk=10**9)


def test_get_for_user_visible_but_not_allowed_is_403(world, reporter):
    assert access.get_for_user(reporter, access.VIEW, Unit.objects.all(), pk=world["agency_a"].pk)
    with pytest.raises(PermissionDenied):
        access.get_for_user(reporter, access.MANAGE_UNITS, Unit.objects.all(), pk=world["agency_a"].pk)


def test_get_for_user_on_grants(world, steering, reporter):
    grant = GrantFactory(unit=world["commune_b"], role=Role.REPORTER)
    assert access.get_for_user(steering, access.MANAGE_ACCOUNTS, Grant.objects.all(), pk=grant.pk) == grant
    with pytest.raises(Http404):  # commune B is outside the reporter's commune A
        access.get_for_user(reporter, access.MANAGE_ACCOUNTS, Grant.objects.all(), pk=grant.pk)
    own = Grant.objects.get(user=reporter)
    with pytest.raises(PermissionDenied):  # seen, but a reporter does not manage accounts
        access.get_for_user(reporter, access.MANAGE_ACCOUNTS, Grant.objects.all(), pk=own.pk)


def test_require(world, reporter):
    access.require(reporter, access.REPORT, world["hamlet_a"])
    with pytest.raises(PermissionDenied):
        access.require(reporter, access.MANAGE_UNITS, world["hamlet_a"])
    with pytest.raises(Http404):
        access.require(reporter, access.VIEW, world["commune_b"])


# --- Prefix safety -----------------------------------------------------------------------


def test_a_path_prefix_includes_the_trailing_slash(db):
    # ids chosen so that one id is a textual prefix of the other ("900001" / "9000012").
    short = UnitFactory(pk=900001, name="Tỉnh Một", kind=UnitKind.PROVINCE)
    long = UnitFactory(pk=9000012, name="Tỉnh Mười Hai", kind=UnitKind.PROVINCE)
    under_long = UnitFactory(name="Xã dưới", kind=UnitKind.COMMUNE, parent=long)
    assert short.path == "/900001/"
    assert long.path == "/9000012/"
    assert long.path.startswith(short.path.rstrip("/"))  # the trap a slash-less prefix would fall into
    user = user_with((short, Role.STEERING))
    assert ids(access.for_user(user, access.VIEW)) == {short.pk}
    assert not access.can(user, access.VIEW, long)
    assert not access.can(user, access.VIEW, under_long)
    with pytest.raises(Http404):
        access.get_for_user(user, access.VIEW, Unit.objects.all(), pk=long.pk)
    assert access.scope(user, access.VIEW).paths == ("/900001/",)


def test_scope_covers_is_prefix_safe():
    s = access.Scope(False, ("/1/",))
    assert s.covers("/1/")
    assert s.covers("/1/5/")
    assert not s.covers("/12/")
    assert not s.covers("/12/1/")
    assert access.Scope(True, ()).covers("/12/")
    assert not access.Scope(False, ()).covers("/1/")


# --- Accounts ----------------------------------------------------------------------------


def test_accounts_for(world, steering, reviewer, reporter):
    in_province = user_with((world["commune_c"], Role.REPORTER))
    elsewhere = user_with((world["commune_2"], Role.REPORTER))
    both = user_with((world["hamlet_a"], Role.REPORTER), (world["commune_2"], Role.REPORTER))
    no_grant = UserFactory()
    accounts = ids(access.accounts_for(steering))
    assert {steering.pk, reviewer.pk, reporter.pk, in_province.pk, both.pk} <= accounts
    assert elsewhere.pk not in accounts
    assert no_grant.pk not in accounts
    # One row per account even with several grants in scope.
    pks = list(access.accounts_for(steering).values_list("pk", flat=True))
    assert len(pks) == len(set(pks))
    # Reviewers and reporters manage no account.
    assert not access.accounts_for(reviewer).exists()
    assert not access.accounts_for(reporter).exists()
    # A superuser manages every account, grants or not.
    admin = UserFactory(is_superuser=True)
    assert no_grant.pk in ids(access.accounts_for(admin))


def test_get_account_for_user(world, steering):
    elsewhere = user_with((world["commune_2"], Role.REPORTER))
    inside = user_with((world["commune_c"], Role.REPORTER))
    assert access.get_account_for_user(steering, inside.pk) == inside
    with pytest.raises(Http404):
        access.get_account_for_user(steering, elsewhere.pk)
    with pytest.raises(Http404):
        access.get_account_for_user(steering, "abc")


def test_manages_every_grant_of(world, steering):
    inside = user_with((world["commune_c"], Role.REPORTER), (world["hamlet_a"], Role.REVIEWER))
    straddling = user_with((world["commune_c"], Role.REPORTER), (world["commune_2"], Role.REPORTER))
    superuser = UserFactory(is_superuser=True)
    GrantFactory(user=superuser, unit=world["commune_a"], role=Role.ADMIN)
    assert access.manages_every_grant_of(steering, inside)
    assert not access.manages_every_grant_of(steering, straddling)
    assert not access.manages_every_grant_of(steering, superuser)
    reviewer = user_with((world["district_y"], Role.REVIEWER))
    assert not access.manages_every_grant_of(reviewer, inside)
    assert access.manages_every_grant_of(UserFactory(is_superuser=True), straddling)


def test_only_admins_revoke_or_lock_admin_grants(client, tree, steering):
    from django.urls import reverse

    from units.models import Grant

    admin_user = GrantFactory(user=UserFactory(username="quantri.p"), unit=tree["province"], role="admin").user
    admin_grant = Grant.objects.get(user=admin_user)
    assert not access.may_revoke(steering, admin_grant)
    client.force_login(steering)
    assert client.post(reverse("grant-revoke", args=[admin_grant.pk])).status_code == 403
    assert client.post(reverse("account-toggle", args=[admin_user.pk])).status_code == 403
    assert client.delete(f"/api/v1/grants/{admin_grant.pk}/").status_code == 403
    assert Grant.objects.filter(pk=admin_grant.pk).exists()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    other_admin = GrantFactory(user=UserFactory(username="quantri.2"), unit=tree["province"], role="admin").user
    assert access.may_revoke(other_admin, admin_grant)
