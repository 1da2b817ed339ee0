"""Emergency alerts (alert.py) and the people and places they reach (subscriber.py)."""
