def build_demo_projects(stdout=None):
    """Filled in below."""
