from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Ban Thanh tra nhân dân, Ban Giám sát đầu tư cộng đồng"
