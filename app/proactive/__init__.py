"""Proactive disclosure (主动公开, GIO ch. III): drafting, 先审后发, publication into the public catalogue."""
