"""What several test modules share that is not a fixture: test data, the databases' test
configuration, threads released at once, the fuzz budget. Tests import these from here, never
from a conftest or another test module."""
