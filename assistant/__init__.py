"""policy-assistant: answers questions about Chinese IP policy documents with clause citations."""

__version__ = "0.1.0"
