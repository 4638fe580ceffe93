"""A trainer script that takes no command-line arguments at all."""
print("hello")
