"""Thin Typer commands, one module per command group (each defines ``register(app)``)."""
