"""The board most browser tests work in, with its registrator and officer."""

from tests import factories as f


def ks_with_staff():
    """Kommunstyrelsen's series KS, the registrator Rut (rut) and the officer Hans (hans).
    Returns (series, registrator, officer)."""
    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    reg = f.user("rut", roles={ks.authority: "registrar"}, first_name="Rut", last_name="Reg")
    hans = f.user("hans", roles={ks.authority: "officer"}, first_name="Hans", last_name="Hand")
    return ks, reg, hans
