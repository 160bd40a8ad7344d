from django.conf import settings


def portal(request):
    """Navigation by role: which menu entries the signed-in user gets."""
    from units import access

    user = getattr(request, "user", None)
    nav = {}
    if user is not None and user.is_authenticated:
        nav = {action: access.can(user, action) for action in access.ACTIONS}
    return {"nav": nav, "DEBUG": settings.DEBUG}
