"""Recap and reporting: plain read models of a cycle and the builders that turn them into
chat text, XLSX, PNG charts, PDF and CSV.

`model` holds the dataclasses the recap service returns; `progress` and `assessment` are the pure
computations behind them; the other modules build files and never touch the database.
"""
