"""Staffing from forecast volume: forecast, Erlang C/A, simulation, rota (issue 18)."""
