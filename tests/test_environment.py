"""Project housekeeping: declared dependencies agree, generated folders stay out of git."""

import re
import subprocess
import tomllib

import yaml
from conftest import REPO


def _name(spec: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_installs_the_same_packages_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = dict(_name(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda, pip = {}, {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.update(_name(s) for s in dep.get("pip", []))
        else:
            conda.update([_name(dep)])
    conda.pop("pip", None)
    assert conda.pop("python") == (">=" + project["requires-python"].lstrip(">="))
    assert {**conda, **pip} == wanted


def test_generated_course_folders_are_ignored_by_git():
    for folder in ["release/m/a.ipynb", "submitted/x/m/a.ipynb", "autograded/x/m/a.ipynb",
                   "feedback/x/m/a.html", "build/demo/gradebook.db", "gradebook.db", ".venv/bin/python"]:
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", folder], cwd=REPO)
        assert ignored.returncode == 0, f"{folder} is not git-ignored"


def test_readme_quickstart_is_the_two_commands():
    readme = (REPO / "README.md").read_text()
    quick = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^\s*make \w+", quick, re.M)
    assert [c.strip() for c in commands] == ["make demo", "make test"]
    for who in ["Trainer", "New hire", "Supervisor"]:
        assert f"### {who}" in readme
