"""Presentation: how results are shown in chat (button labels, keyboards, callback namespaces,
task messages). Conversations and the outbox both use it, so a task renders the same anywhere."""
