"""The grader's settings: ``autograder/config.toml``, overridden by ``--config`` and env."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from .sandbox import Limits

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

DEFAULT = Path(__file__).resolve().parents[1] / "config.toml"
DEMO_SECRET = "demo-secret-not-for-real-courses"


@dataclass
class Config:
    secret: str = DEMO_SECRET
    assignment: str = "autograder.backprop"
    submission_timeout: float = 60.0
    timeout_scale: float = 1.0
    limits: Limits = field(default_factory=Limits)

    @property
    def demo_secret(self):
        return self.secret == DEMO_SECRET


def load(path=None, environ=None):
    """Defaults, then ``config.toml``, then the file at ``path``, then AUTOGRADER_SECRET."""
    environ = os.environ if environ is None else environ
    data = {}
    for source in [DEFAULT] + ([Path(path)] if path else []):
        with open(source, "rb") as handle:
            loaded = tomllib.load(handle)
        limits = {**data.get("limits", {}), **loaded.pop("limits", {})}
        data.update(loaded)
        data["limits"] = limits
    limits = data.pop("limits", {})
    config = Config(
        secret=str(environ.get("AUTOGRADER_SECRET") or data.get("secret", DEMO_SECRET)),
        assignment=str(data.get("assignment", "autograder.backprop")),
        submission_timeout=float(data.get("submission_timeout", 60)),
        timeout_scale=float(data.get("timeout_scale", 1.0)),
        limits=Limits(
            cpu_seconds=int(limits.get("cpu_seconds", 60)),
            memory_bytes=int(limits.get("memory_mb", 2048)) << 20,
            file_bytes=int(limits.get("file_mb", 1)) << 20,
            open_files=int(limits.get("open_files", 64)),
            processes=int(limits.get("processes", 64)),
        ),
    )
    return config
