"""The local production tier: `python -m cluster start|stop|status` (`make cluster`)."""
