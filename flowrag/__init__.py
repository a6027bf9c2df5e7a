"""Entry points above the engine (`core`) and the Slack bot (`bot`): the `flowrag` command line,
the demo and the doctor. Each builds its settings once and the parts it needs."""
