import factory
from django.conf import settings
from django.contrib.auth import get_user_model

from units.models import CodeList, Grant, Unit, UnitKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password("mat-khau-thu-1")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code_list = CodeList.LOCAL
    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử {n}")
    kind = UnitKind.COMMUNE


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grant

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "reporter"


DEMO_PASSWORD = settings.DEMO_PASSWORD
