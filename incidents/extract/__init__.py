"""Incidents out of report text: sentences, dates, facts, places and the incident record."""
