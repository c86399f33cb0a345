"""whereabouts: a movement ledger."""
