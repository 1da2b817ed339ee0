"""State changes of the accounts domain (see the modules of this package)."""
