"""Delivery on screen: activities, sessions, registers, participants, volunteers, figures,
and attendance sheets to print."""
