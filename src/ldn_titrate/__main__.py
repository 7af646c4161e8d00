"""``python -m ldn_titrate``."""

from ldn_titrate.cli import main

main()
