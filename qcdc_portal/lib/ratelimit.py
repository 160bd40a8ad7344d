"""A fixed-window counter in the cache, for throttling by client address."""

from django.core.cache import cache


def hit(key: str, limit: int, window: int) -> bool:
    """Count one hit; return True while the count within the window is at most ``limit``."""
    cache_key = f"rl:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return True
    return count <= limit


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
