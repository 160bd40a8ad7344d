from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (m=19 MiB, t=2, p=1).

    Django's default (100 MiB, p=8) costs ~2 GB of memory for 20 simultaneous sign-ins on
    our 2-core servers; this keeps the strength OWASP asks for at a fifth of the cost.
    Existing hashes with other parameters are upgraded at the next sign-in.
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
