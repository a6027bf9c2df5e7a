"""The question side: reading a question into a typed query, executing it exactly, choosing
what to cite, and writing the answer."""
