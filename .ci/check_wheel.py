"""Run by .ci/run with a fresh venv's Python that has only the built wheel installed, from a folder
outside the checkout: every built-in preset and theme of the checkout must come with the wheel."""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

checkout = Path(sys.argv[1]).resolve()
venv_bin = Path(sys.executable).parent
with tempfile.TemporaryDirectory() as elsewhere:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DPG_LORA_") and k != "PYTHONPATH"}
    env["DPG_LORA_USER_DIR"] = str(Path(elsewhere) / "user")
    listing = subprocess.run([str(venv_bin / "dpg-lora"), "presets", "list", "--json"], cwd=elsewhere,
                             env=env, capture_output=True, text=True, check=True)
    themes = subprocess.run([sys.executable, "-c", "from dpg_lora.resources import theme_names, themes_dir;"
                             "print(themes_dir()); print(*theme_names())"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, check=True).stdout.split("\n")
elsewhere_for_catalogues = tempfile.gettempdir()
rows = [r for r in json.loads(listing.stdout) if r["source"] == "builtin"]
problems = []
wanted = sorted(p.name for p in (checkout / "presets").glob("*.json"))
shipped = sorted(Path(r["path"]).name for r in rows)
if shipped != wanted:
    problems.append(f"built-in presets in the wheel {shipped}, in the checkout {wanted}")
problems += [f"{r['path']}: {r['error']}" for r in rows if r["error"]]
installed = Path(sys.prefix).resolve()
problems += [f"{r['path']} is not inside the installed package" for r in rows
             if installed not in Path(r["path"]).resolve().parents]
wanted_themes = sorted(p.stem for p in (checkout / "themes").glob("*.json"))
if themes[1].split() != wanted_themes or installed not in Path(themes[0]).resolve().parents:
    problems.append(f"themes in the wheel {themes[1].split()} at {themes[0]}, in the checkout {wanted_themes}")
catalogues = subprocess.run([sys.executable, "-c", "from dpg_lora.i18n import LANGUAGES, load_catalogue;"
                             "print(*(len(load_catalogue(lang).texts) for lang in LANGUAGES))"],
                            cwd=elsewhere_for_catalogues, env=env, capture_output=True, text=True)
if catalogues.returncode != 0 or "0" in catalogues.stdout.split():
    problems.append(f"message catalogues missing from the wheel: {catalogues.stdout.strip()} {catalogues.stderr.strip()}")
for problem in problems:
    print(f"wheel check: {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"wheel check: {len(shipped)} built-in presets and {len(wanted_themes)} themes installed with the wheel")
