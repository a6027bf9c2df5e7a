"""flowrag engine: ingestion, index, retrieval, facts and answers. No Slack here."""
