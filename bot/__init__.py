"""flowrag Slack bot: a thin Bolt layer over core.Engine."""
