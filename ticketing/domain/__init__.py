"""The 12345 rules as plain data and functions: vocabulary, workflow, routing, deadlines, permissions."""
