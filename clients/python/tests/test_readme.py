"""The README's Python example is this suite's test_readme_example.py, word for word."""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_the_readme_shows_the_example_this_suite_runs():
    example = (HERE / "test_readme_example.py").read_text()
    readme = (HERE.parents[2] / "README.md").read_text()
    assert f"```python\n{example}```" in readme, "copy tests/test_readme_example.py into README.md"
