"""Electronic signatures of final documents (PAdES, with pyHanko).

keys.py        the signer interface (one small class) and its PKCS#12 and PKCS#11 keys
pades.py       adds one signature to a PDF as an incremental update (B-B, B-T, B-LT)
validation.py  checks every signature of a PDF against the configured trust list
report.py      the validation report as JSON and as a readable PDF page
trust.py       the trust list, revocation data and timestamp authority from the settings

Nothing here knows cases or documents: the workflow (who signs in which order, who may see
what) is the registry's (registry/services/signatures.py). See docs/signatures.md."""
