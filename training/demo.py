def build_demo_training(stdout=None):
    """Placeholder until the demo records are written."""
