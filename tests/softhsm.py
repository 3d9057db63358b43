"""A real PKCS#11 token for tests: SoftHSM2 (Debian's softhsm2) with its tokens in a
temporary folder, a token initialised with softhsm2-util, and a signer's RSA key and
certificate put on it through the PKCS#11 API itself (python-pkcs11)."""

import os
import subprocess
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from tests.pki import Issued

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
SO_PIN = "87654321"


def prepare(folder: Path) -> None:
    """Point SoftHSM2 at a fresh token folder. Must run before the module is first loaded
    in this process (SoftHSM reads its configuration once)."""
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)


def init_token(label: str, pin: str) -> None:
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label,
                    "--pin", pin, "--so-pin", SO_PIN], check=True, capture_output=True)


def put_key(token_label: str, pin: str, key_label: str, issued: Issued) -> None:
    """The private key and its certificate on the token, both labelled `key_label`."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass
    from pkcs11.util.rsa import decode_rsa_private_key

    from diarium.documents.signing.keys import _library

    token = _library(MODULE).get_token(token_label=token_label)
    der = issued.key.private_bytes(serialization.Encoding.DER,
                                   serialization.PrivateFormat.TraditionalOpenSSL,
                                   serialization.NoEncryption())
    with token.open(user_pin=pin, rw=True) as session:
        attributes = decode_rsa_private_key(der)
        attributes.update({Attribute.LABEL: key_label, Attribute.ID: b"\x01",
                           Attribute.TOKEN: True, Attribute.SIGN: True,
                           Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False})
        session.create_object(attributes)
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.VALUE: issued.cert_der, Attribute.LABEL: key_label,
            Attribute.SUBJECT: issued.certificate.subject.public_bytes(),
            Attribute.ID: b"\x01", Attribute.TOKEN: True,
        })
    del pkcs11
