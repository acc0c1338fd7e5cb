"""The robustness suite: bad inputs, faults and hostile content (issue 5).

Each ``test_bad_*`` module is a catalogue of bad inputs for one component, one test per
input: each must give a clear message with the documented exit or HTTP status, show no
traceback, and leave the store as it was. ``test_faults*`` kill builds, loads and servers;
``test_security`` checks the defaults (loopback, read-only, limits, headers, no network).
"""
