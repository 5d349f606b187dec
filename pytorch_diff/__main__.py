"""``python -m pytorch_diff`` runs the ptdiff command."""

from .cli import main

main()
