"""One module per source format. Each parses and checks a whole file, then writes it.

Parsing raises ImportFailed listing every problem before anything is written; writing
runs inside the caller's transaction (see cityhall.places.services).
"""
