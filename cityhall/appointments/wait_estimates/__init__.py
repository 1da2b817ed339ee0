"""Estimated waits at a facility's counters, from live data (docs/wait-estimates.md).

`service_times` learns how long visits hold a counter; `simulation` plays the queue ahead
forward over a snapshot of the facility. Both are pure; the reads of the models come on top.
"""
