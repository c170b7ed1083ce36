"""The cryptography of packs, all of it from `cryptography`'s documented constructions:
Ed25519 signatures (who sent a pack), X25519 key agreement + HKDF-SHA256 + AES-256-GCM (to a
partner whose key we know, as the X25519 docs prescribe), scrypt + AES-256-GCM (to a
passphrase told by another route). Nothing here is home-made: only the gluing."""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

RAW = serialization.Encoding.Raw
RAW_PUBLIC = serialization.PublicFormat.Raw
RAW_PRIVATE = serialization.PrivateFormat.Raw
NO_ENCRYPTION = serialization.NoEncryption()

HKDF_INFO = b"collab-desktop pack v1 x25519"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# Letters and digits that cannot be misread over the phone (no I, L, O, U; Crockford's base32).
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class DecryptFailed(Exception):
    """The key or passphrase does not open it, or the ciphertext was changed."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_signing_key() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(RAW, RAW_PRIVATE, NO_ENCRYPTION)


def new_exchange_key() -> bytes:
    return X25519PrivateKey.generate().private_bytes(RAW, RAW_PRIVATE, NO_ENCRYPTION)


def signing_public(private: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes(RAW, RAW_PUBLIC)


def exchange_public(private: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(RAW, RAW_PUBLIC)


def key_fingerprint(signing_public_key: bytes, exchange_public_key: bytes) -> str:
    """A short code for reading aloud: 80 bits of SHA-256 over both public keys, in four
    groups of four letters and digits, e.g. "7KQ2-M9XD-4RTB-HC3W"."""
    digest = hashlib.sha256(b"collab-desktop key\0" + signing_public_key + exchange_public_key)
    number = int.from_bytes(digest.digest()[:10], "big")
    chars = []
    for _ in range(16):
        number, index = divmod(number, 32)
        chars.append(_ALPHABET[index])
    code = "".join(reversed(chars))
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def sign(private: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).sign(message)


def verify(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _hkdf(shared: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=HKDF_INFO).derive(shared)


def encrypt_to_key(recipient_public: bytes, plaintext: bytes, aad: bytes) -> tuple[dict, bytes]:
    """Ephemeral X25519 with the recipient's key, HKDF-SHA256, AES-256-GCM."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(RAW, RAW_PUBLIC)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _hkdf(shared, ephemeral_public + recipient_public)
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext, aad)
    params = {"ephemeral": b64(ephemeral_public), "nonce": b64(nonce)}
    return params, sealed


def decrypt_with_key(private: bytes, params: dict, sealed: bytes, aad: bytes) -> bytes:
    try:
        ours = X25519PrivateKey.from_private_bytes(private)
        ephemeral_public = unb64(params["ephemeral"])
        shared = ours.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _hkdf(shared, ephemeral_public + ours.public_key().public_bytes(RAW, RAW_PUBLIC))
        return AESGCM(key).decrypt(unb64(params["nonce"]), sealed, aad)
    except (InvalidTag, ValueError, KeyError, TypeError) as error:
        raise DecryptFailed from error


def _scrypt(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def encrypt_with_passphrase(passphrase: str, plaintext: bytes, aad: bytes) -> tuple[dict, bytes]:
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_scrypt(passphrase, salt)).encrypt(nonce, plaintext, aad)
    return {"salt": b64(salt), "nonce": b64(nonce), "n": SCRYPT_N, "r": SCRYPT_R}, sealed


def decrypt_with_passphrase(passphrase: str, params: dict, sealed: bytes, aad: bytes) -> bytes:
    try:
        if params.get("n") != SCRYPT_N or params.get("r") != SCRYPT_R:
            raise ValueError("unexpected scrypt parameters")  # never let a file set the cost
        key = _scrypt(passphrase, unb64(params["salt"]))
        return AESGCM(key).decrypt(unb64(params["nonce"]), sealed, aad)
    except (InvalidTag, ValueError, KeyError, TypeError) as error:
        raise DecryptFailed from error
