"""The workflows of the tool, apart from any terminal: what the command line runs."""
