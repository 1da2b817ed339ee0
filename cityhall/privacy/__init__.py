"""Privacy by design: consents, the personal-data register, export, erasure and retention."""
