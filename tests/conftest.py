"""Shared fixtures: the curriculum's modules and built, graded course folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coursekit import course

REPO = Path(__file__).resolve().parents[1]
SHARED_REAL = REPO.parent / "shared" / "real"
MODULES = course.list_modules()


def module_params():
    """One pytest param per module, grouped so one xdist worker builds each module once."""
    return [pytest.param(m, marks=pytest.mark.xdist_group(m), id=m) for m in MODULES]


def require_service(reason: str):
    """Skip with a clear reason, or fail when CI demands every service (COURSEKIT_REQUIRE_SERVICES=1)."""
    if os.environ.get("COURSEKIT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


def real_data(name: str) -> Path:
    """A file of ../shared/real, or a clean skip when ../shared is absent."""
    path = SHARED_REAL / name
    if not path.exists():
        pytest.skip(f"{path} not present (real data lives in ../shared/real beside the repo)")
    return path


@pytest.fixture(scope="session")
def built_modules(tmp_path_factory):
    """module -> a course folder with that module built (made once per worker, on first use)."""
    cache: dict[str, Path] = {}

    def get(module: str) -> Path:
        if module not in cache:
            root = tmp_path_factory.mktemp(f"course-{module}")
            course.build(root, [module])
            cache[module] = root
        return cache[module]

    return get


def copy_course(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
