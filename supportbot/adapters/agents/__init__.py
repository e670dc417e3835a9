"""The agent console: where support agents take over customers' conversations (docs/agent-console.md)."""
