"""State changes of the privacy domain, one module per subject (consents, exports, closures)."""
