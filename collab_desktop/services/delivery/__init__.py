"""Delivery: activities and their sessions, registers and attendance, participants,
volunteers and their clearances, and the figures counted from them. No Qt here."""
