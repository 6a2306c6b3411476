"""A quick password hasher for the test process.

Django's PBKDF2 runs 1,000,000 iterations, ~0.3 s of CPU per hash here, and nearly every
test creates a user and many log in: a py-spy sample of the suite found 90% of its time in
`pbkdf2`. This is the same algorithm with 1,000 iterations. The iteration count is stored
in each hash, so a server or worker started by a test (with the production hashers)
verifies these passwords too, and upgrades them on first login as it would any old hash."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000
