"""Figures for supervisors: 三率, hotspots, the dashboard's views."""
