from tests.board.signing import board_pki, signing  # noqa: F401  (fixtures)
