import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))},
        "DJANGO_SETTINGS_MODULE": "qcdc_portal.settings",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "r8Q!c2v#Lm9pZx4Tb7Yw1Ke6Hs3Nd0Gf5Ju8Ao2Pi7Ut4Ry1Eq9Wz3Xc6Vb0Nm5",
        "DJANGO_ALLOWED_HOSTS": "qcdc.example.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_seed_demo_refuses_when_debug_is_off(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))},
        "DJANGO_SETTINGS_MODULE": "qcdc_portal.settings",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "r8Q!c2v#Lm9pZx4Tb7Yw1Ke6Hs3Nd0Gf5Ju8Ao2Pi7Ut4Ry1Eq9Wz3Xc6Vb0Nm5",
        "DJANGO_ALLOWED_HOSTS": "qcdc.example.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "seed_demo từ chối chạy khi DEBUG tắt" in result.stderr
