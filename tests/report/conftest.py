from tests.migration.conftest import stack  # noqa: F401  (the in-process simulated fleet)
