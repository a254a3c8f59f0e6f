"""YAML parsing for the shipped resources (rulebooks, field table), imported only when used."""

from __future__ import annotations

from typing import Any


def parse_yaml(text: str) -> Any:
    """The document's data, with libyaml's safe loader where PyYAML has it (ten times faster);
    a syntax error is a ValueError."""
    import yaml  # here, not at start-up: the first parse runs in a worker

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from exc
