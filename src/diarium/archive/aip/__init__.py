"""Building the E-ARK AIP: the submitted SIP plus an AIP-level METS.xml and PREMIS."""
