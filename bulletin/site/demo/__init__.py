"""Demo content that `make run` loads into an empty database (see loader.load_demo_content)."""
