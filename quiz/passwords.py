"""Password hashing: argon2id at OWASP's minimum, older hashes upgraded at the next login.

A person's own password is hashed with argon2id (19 MiB, 2 iterations, 1 lane: OWASP's
Password Storage Cheat Sheet minimum). A generated initial password (account import, reset)
is a 12-character random secret from a 31-letter alphabet (59 bits) that must be replaced at
first login: it takes a cheap salted PBKDF2 hash, so a province's 50,000 accounts import in
seconds instead of an hour, and the hash is upgraded to argon2id as soon as it is used.
docs/security.md has the reasoning and the figures.
"""

import ctypes
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from werkzeug.security import check_password_hash, generate_password_hash

ARGON2ID = "argon2id"
ONE_TIME_METHOD = "pbkdf2:sha256:1000"
_ARGON2 = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@functools.cache
def _return_hash_memory_to_the_system() -> None:
    """Each argon2id hash allocates 19 MiB. glibc raises its mmap threshold after freeing such
    a block, so from the second hash on the 19 MiB come from the heap and stay in the worker
    for good (measured: RSS +19 MiB per worker). A fixed threshold of 1 MiB keeps them mmapped
    and returned at once. Done once per process, before its first hash; a no-op off glibc."""
    try:
        ctypes.CDLL(None).mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


def hash_password(password: str, method: str) -> str:
    if method == ARGON2ID:
        _return_hash_memory_to_the_system()
        return _ARGON2.hash(password)
    return generate_password_hash(password, method=method)


def verify(stored: str, password: str) -> bool:
    if stored.startswith("$argon2"):
        _return_hash_memory_to_the_system()
        try:
            return _ARGON2.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored, password)
    except ValueError:  # an unknown or damaged hash never logs anyone in
        return False


def needs_rehash(stored: str, method: str) -> bool:
    """True when the stored hash is weaker than the configured method (argon2id only)."""
    if method != ARGON2ID:
        return False
    return not stored.startswith("$argon2") or _ARGON2.check_needs_rehash(stored)
