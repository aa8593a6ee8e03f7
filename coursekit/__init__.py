"""coursekit: a Jupyter/nbgrader curriculum for customer-service and contact-center teams."""

__version__ = "0.1.0"
