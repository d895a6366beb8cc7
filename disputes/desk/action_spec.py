"""An action the case page offers: its name (the URL's slug), its label, its form."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type
    danger: bool = False
