"""The workflows of the tool, with no terminal: each reads its inputs, runs the core, returns."""
