from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = "Đối thoại, kiến nghị, tiếp công dân"
