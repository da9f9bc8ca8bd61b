"""The GitHub workflows: what they run, with which permissions, and two linters' verdict.

actionlint (with shellcheck for `run:` scripts) and zizmor are test dependencies
installed from PyPI; zizmor runs with --offline, so the tests never reach the network.
Each linter is also shown a deliberately bad workflow, to prove it is really looking.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")

BAD_WORKFLOW = """\
on: pull_request_target
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}" $UNQUOTED
"""


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is missing: `make test` installs it with `pip install -e '.[test]'`")
    return str(path)


def run_tool(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "NO_COLOR": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_ci_runs_on_pull_requests_and_pushes_with_a_read_only_token() -> None:
    ci = load("ci.yml")
    assert set(ci["on"]) == {"pull_request", "push"}
    assert ci["permissions"] == {"contents": "read"}
    for job in ci["jobs"].values():
        assert job.get("permissions", {}) in ({}, {"contents": "read"})


def test_no_workflow_uses_pull_request_target_or_event_text_in_run() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert "pull_request_target" not in text and "workflow_run" not in text, path.name
        for step in steps(load(path.name)):
            assert "${{" not in step.get("run", ""), (path.name, step.get("name"))


def test_ci_runs_the_commands_contributors_run() -> None:
    runs = [step.get("run", "") for step in steps(load("ci.yml"))]
    order = ["apt-get install", "make install", ".venv/bin/digest check", "make test",
             ".venv/bin/digest build"]
    positions = [next(i for i, run in enumerate(runs) if command in run) for command in order]
    assert positions == sorted(positions)
    assert any("chromium" in run for run in runs if "apt-get install" in run)
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for command in order[1:]:
        assert command in guide, command


def test_a_job_builds_and_tests_with_properdocs_through_the_local_script() -> None:
    job = load("ci.yml")["jobs"]["properdocs"]
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("chromium" in run for run in runs if "apt-get install" in run)
    assert runs[-1] == ".ci/properdocs"  # what a developer runs, nothing workflow-only
    script = (REPO / ".ci" / "properdocs").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in script
    order = ["install --quiet -e '.[test]' properdocs", "uninstall --quiet --yes mkdocs",
             'mkdocs.__name__ == "properdocs"', "digest\" build", "-m pytest"]
    positions = [script.index(command) for command in order]
    assert positions == sorted(positions)


def test_shellcheck_accepts_the_ci_scripts(tmp_path: Path) -> None:
    scripts = sorted(str(p) for p in (REPO / ".ci").iterdir())
    result = run_tool(tool("shellcheck"), *scripts)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr
    bad = tmp_path / "bad"
    bad.write_text("#!/usr/bin/env bash\necho $UNQUOTED\n")
    assert "SC2086" in run_tool(tool("shellcheck"), str(bad)).stdout


def test_pages_deploys_main_with_only_the_pages_permissions() -> None:
    pages = load("pages.yml")
    assert pages["on"]["push"] == {"branches": ["main"]}
    assert pages["permissions"] == {}
    assert pages["concurrency"]["group"] == "pages"
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    build_steps = build["steps"]
    assert ".venv/bin/digest build" in " ".join(s.get("run", "") for s in build_steps)
    upload = [s for s in build_steps if "upload-pages-artifact" in s.get("uses", "")]
    assert upload and upload[0]["with"]["path"] == "site"


def test_actions_are_pinned_to_commits() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        for step in steps(load(path.name)):
            if "uses" in step:
                assert PINNED.match(step["uses"]), (path.name, step["uses"])
                assert step.get("with", {}).get("persist-credentials", False) is False


def test_actionlint_accepts_the_workflows(tmp_path: Path) -> None:
    actionlint = tool("actionlint")
    result = run_tool(actionlint, "-oneline", *sorted(str(p) for p in WORKFLOWS.glob("*.yml")))
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW)
    result = run_tool(actionlint, "-oneline", str(bad))
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout  # the expression check
    assert "SC2086" in result.stdout  # shellcheck is installed and used


def zizmor_findings(path: Path) -> list[tuple[str, str]]:
    result = run_tool(tool("zizmor"), "--offline", "--format", "json", str(path))
    assert result.returncode in (0, *range(10, 15)), result.stderr  # 1 and 2 are errors
    return [(f["ident"], f["determinations"]["severity"]) for f in json.loads(result.stdout)]


def test_zizmor_finds_nothing_serious(tmp_path: Path) -> None:
    findings = zizmor_findings(WORKFLOWS)
    assert [f for f in findings if f[1] in ("High", "Medium")] == []
    bad = tmp_path / ".github" / "workflows"
    bad.mkdir(parents=True)
    (bad / "bad.yml").write_text(BAD_WORKFLOW)
    found = {ident for ident, severity in zizmor_findings(bad) if severity == "High"}
    assert {"dangerous-triggers", "template-injection"} <= found


def test_pull_request_and_issue_templates() -> None:
    template = (REPO / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert ".venv/bin/digest check" in template and "make serve" in template
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "suggest-a-paper.yml")
                          .read_text(encoding="utf-8"))
    assert form["name"] and form["description"]
    ids = [item.get("id") for item in form["body"] if item["type"] != "markdown"]
    assert {"title", "link", "abstract", "topics"} <= set(ids)
    required = {item["id"] for item in form["body"]
                if item.get("validations", {}).get("required")}
    assert {"title", "link"} <= required


def test_readme_points_contributors_to_the_guide() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "CONTRIBUTING.md" in readme and "digest new" in readme


def test_daily_import_proposes_one_pull_request_per_day_with_least_privilege() -> None:
    workflow = load("import.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert workflow["on"]["schedule"][0]["cron"]
    assert workflow["permissions"] == {}
    job, propose = workflow["jobs"]["import"], workflow["jobs"]["propose"]
    assert job["permissions"] == {"contents": "read"}
    runs = " ".join(step.get("run", "") for step in job["steps"])
    # The sources are site_config/site.yml's `import:`, so the workflow runs them all.
    assert runs.index(".venv/bin/digest import daily") < runs.index(".venv/bin/digest check")
    # Only the job that runs no code of the repository may write.
    assert propose["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert all("run" not in step for step in propose["steps"])
    assert propose["needs"] == "import"
    create = [s for s in propose["steps"]
              if s["uses"].startswith("peter-evans/create-pull-request@")]
    assert len(create) == 1
    options = create[0]["with"]
    # One branch per day: a re-run updates that day's pull request instead of adding one.
    assert options["branch"] == "import/hf-${{ needs.import.outputs.date }}"
    # The import report is the body; with the default token, it says the checks did not run.
    assert options["body-path"] == ("${{ secrets.DIGEST_PR_TOKEN && 'import-report.md' || "
                                    "'import-report-default-token.md' }}")
    assert options["add-paths"] == "content/papers/*.md"


@pytest.mark.parametrize("where", ["repository", "init"])
def test_the_import_pull_request_uses_the_token_secret_or_says_it_fell_back(
        where: str, tmp_path: Path) -> None:
    folder = WORKFLOWS if where == "repository" else init_workflows(tmp_path)
    workflow = yaml.safe_load((folder / "import.yml").read_text(encoding="utf-8"))
    create = [s for s in workflow["jobs"]["propose"]["steps"]
              if s["uses"].startswith("peter-evans/create-pull-request@")][0]["with"]
    assert create["token"] == "${{ secrets.DIGEST_PR_TOKEN || github.token }}"
    assert "import-report-default-token.md" in create["body-path"]
    stage = " ".join(s.get("run", "") for s in workflow["jobs"]["import"]["steps"])
    assert "the check has not run" in stage and "DIGEST_PR_TOKEN" in stage
    assert "staged/import-report-default-token.md" in stage
    # The secret never reaches the job that runs the project's code.
    assert "secrets." not in yaml.safe_dump(workflow["jobs"]["import"])


def init_workflows(tmp_path: Path) -> Path:
    """The workflows `digest init` writes, rendered with sample values."""
    from digest.project.init import init_project

    init_project(tmp_path / "lab", "Protein Lab: \"reading\"", "https://lab.github.io/r/")
    return tmp_path / "lab" / ".github" / "workflows"


def test_actionlint_and_zizmor_accept_the_workflows_digest_init_writes(
        tmp_path: Path) -> None:
    folder = init_workflows(tmp_path)
    files = sorted(str(p) for p in folder.glob("*.yml"))
    assert len(files) == 3
    result = run_tool(tool("actionlint"), "-oneline", *files, cwd=tmp_path / "lab")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr
    assert [f for f in zizmor_findings(folder) if f[1] in ("High", "Medium")] == []
    for path in folder.glob("*.yml"):
        for step in steps(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if "uses" in step:
                assert PINNED.match(step["uses"]), (path.name, step["uses"])
            assert "${{" not in step.get("run", ""), (path.name, step.get("name"))
