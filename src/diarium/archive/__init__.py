"""The e-archive: E-ARK / FGS information packages (CSIP, SIP, AIP, DIP)."""
